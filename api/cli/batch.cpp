// clausematch batch: the optimal assignment of a whole territory. Thin door: loads the data,
// builds the matcher's candidate graph, solves it with the assignment facade (certified), then
// writes the proposals (CSV and JSON, with each pair's score components and reasons) and a summary
// (positions filled, by public, by trade, mean distance, people left unassigned and why).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/cli/score_config.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"

namespace clausematch::api::cli {
namespace {

namespace as = matcher::assignment;
namespace fs = std::filesystem;
using nlohmann::json;

struct BatchArgs {
  std::string data_dir;
  bool sample = false;
  std::string out_dir;
  std::string config;
  std::string today;
  std::string mode = "fill-then-score";
  std::string solver = "ours";
  std::size_t max_candidates = matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  std::string reference = data::DefaultReferenceDir();
};

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Writes `text` to dir/name through a temporary file and a rename: no partial file on failure.
void WriteAtomically(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path tmp = dir / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, dir / name);
}

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// One line of progress on stderr: a bar on a terminal, a line every 10% otherwise.
class Progress {
 public:
  explicit Progress(std::string label) : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0) {}
  void operator()(std::size_t done, std::size_t total) {
    if (total == 0) return;
    const int pct = static_cast<int>(100 * done / total);
    if (tty_) {
      const int width = 30, filled = pct * width / 100;
      std::fprintf(stderr, "\r%s [%s%s] %3d%% (%zu/%zu)", label_.c_str(), std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), pct, done, total);
      if (done == total) std::fputc('\n', stderr);
    } else if (pct / 10 != last_decile_ || done == total) {
      last_decile_ = pct / 10;
      std::fprintf(stderr, "%s: %d%% (%zu/%zu)\n", label_.c_str(), pct, done, total);
    }
  }

 private:
  std::string label_;
  bool tty_;
  int last_decile_ = -1;
};

int Run(const BatchArgs& args) {
  if (args.sample == !args.data_dir.empty()) throw InputError("batch: give exactly one of --data DIR or --sample");
  if (args.out_dir.empty()) throw InputError("batch: --out DIR is required");
  const auto mode = as::ParseObjectiveMode(args.mode);
  if (!mode) throw InputError("batch: --mode must be fill-then-score or score, not '" + args.mode + "'");
  const auto solver = as::ParseSolverKind(args.solver);
  if (!solver) throw InputError("batch: --solver must be ours, boost or greedy, not '" + args.solver + "'");

  const auto t0 = std::chrono::steady_clock::now();
  const auto ref = data::LoadReferential(args.reference);
  const std::string dir = args.sample ? data::DefaultSampleDir() : args.data_dir;
  model::Dataset dataset = data::LoadDataset(dir, *ref);
  dataset.Index();

  matcher::MatcherOptions options;
  if (!args.today.empty()) {
    const auto d = model::Date::Parse(args.today);
    if (!d) throw InputError("batch: --today must be a date YYYY-MM-DD, not '" + args.today + "'");
    options.today = *d;
  } else if (dataset.as_of) {
    options.today = *dataset.as_of;
  } else {
    throw InputError("batch: the dataset has no as_of date; give --today YYYY-MM-DD");
  }
  if (!args.config.empty()) options.weights = LoadScoreWeights(args.config);

  const matcher::Matcher engine(*ref, dataset, options);
  const auto t1 = std::chrono::steady_clock::now();

  matcher::GraphOptions graph_options;
  graph_options.max_candidates_per_opening = args.max_candidates;
  Progress progress("candidate graph");
  graph_options.progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };
  const matcher::CandidateGraph graph = engine.BuildCandidateGraph(graph_options);
  const auto t2 = std::chrono::steady_clock::now();

  as::AssignmentOptions solve_options;
  solve_options.mode = *mode;
  solve_options.solver = *solver;
  // Proposals a facilitator already accepted are not re-proposed: the matcher already removes
  // their positions from the graph, so nothing is fixed here.
  std::fprintf(stderr, "assignment: solving %u participants x %u openings, %llu candidate pairs...\n",
               graph.problem.num_participants, graph.problem.num_openings,
               static_cast<unsigned long long>(graph.problem.num_edges()));
  const as::AssignmentResult result = as::SolveAssignment(graph.problem, solve_options);
  const auto t3 = std::chrono::steady_clock::now();
  if (result.status == as::Status::kBadInput || result.status == as::Status::kBadCostRange)
    throw std::runtime_error("assignment failed: " + std::string(as::ToString(result.status)) + ": " + result.message);

  // Proposals with their explanations, by opening then score.
  struct Proposal {
    std::uint32_t participant = 0;  // left node = dataset position (graph keeps every participant)
    std::uint32_t opening = 0;      // right node
    matcher::PairExplanation why;
  };
  std::vector<Proposal> proposals;
  const auto& problem = graph.problem;
  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    const auto o = result.opening_of[p];
    if (o == as::kNone) continue;
    const auto pos = dataset.participant_pos.at(graph.participant_ids[p]);
    proposals.push_back(
        {static_cast<std::uint32_t>(pos), o, engine.Explain(static_cast<std::uint32_t>(pos), graph.opening_index[o])});
  }
  std::sort(proposals.begin(), proposals.end(), [&](const Proposal& a, const Proposal& b) {
    if (a.opening != b.opening) return graph.opening_ids[a.opening] < graph.opening_ids[b.opening];
    if (a.why.components.total != b.why.components.total) return a.why.components.total > b.why.components.total;
    return dataset.participants[a.participant].id < dataset.participants[b.participant].id;
  });

  // Summary figures.
  std::int64_t positions_total = 0;
  for (auto n : problem.positions) positions_total += n;
  std::map<std::string, int> by_public;
  std::map<std::string, std::pair<int, int>> by_trade;  // fiche label -> (filled, positions)
  for (std::uint32_t o = 0; o < problem.num_openings; ++o) {
    const auto& opening = dataset.openings[graph.opening_index[o]];
    const auto* fiche = ref->FindFiche(opening.fiche);
    by_trade[fiche ? opening.fiche.str() + " " + fiche->label : opening.fiche.str()].second += problem.positions[o];
  }
  double distance_sum = 0;
  for (const auto& pr : proposals) {
    const auto& opening = dataset.openings[graph.opening_index[pr.opening]];
    const auto* fiche = ref->FindFiche(opening.fiche);
    by_trade[fiche ? opening.fiche.str() + " " + fiche->label : opening.fiche.str()].first += 1;
    distance_sum += pr.why.reach.distance_km;
    const auto bits = problem.participant_publics.empty() ? 0u : problem.participant_publics[pr.participant];
    for (const auto& info : model::AllCriteria())
      if (bits & (1u << static_cast<unsigned>(info.criterion))) by_public[std::string(info.code)] += 1;
  }
  int not_active = 0, no_candidate = 0, outcompeted = 0;
  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    if (result.opening_of[p] != as::kNone) continue;
    const auto& person = dataset.participants[dataset.participant_pos.at(graph.participant_ids[p])];
    if (person.status != model::ParticipantStatus::kActive || !person.consent)
      ++not_active;
    else if (problem.offsets[p] == problem.offsets[p + 1])
      ++no_candidate;
    else
      ++outcompeted;
  }

  // Files.
  const fs::path out(args.out_dir);
  fs::create_directories(out);
  std::string csv =
      "opening_id,contract_id,appellation,fiche,participant_id,score,skill_fit,distance_score,priority,waiting,"
      "hours,exposure_penalty,distance_km,reasons\n";
  json items = json::array();
  for (const auto& pr : proposals) {
    const auto& opening = dataset.openings[graph.opening_index[pr.opening]];
    const auto& person = dataset.participants[pr.participant];
    const auto& c = pr.why.components;
    std::string reasons;
    json reasons_json = json::array();
    for (const auto& r : pr.why.reasons) {
      reasons += (reasons.empty() ? "" : " | ") + r.text;
      reasons_json.push_back({{"code", r.code}, {"text", r.text}});
    }
    csv += std::to_string(opening.id.value()) + "," + std::to_string(opening.contract.value()) + "," +
           std::to_string(opening.appellation) + "," + opening.fiche.str() + "," + std::to_string(person.id.value()) +
           "," + Fixed(c.total, 4) + "," + Fixed(c.skill_fit, 4) + "," + Fixed(c.distance, 4) + "," +
           Fixed(c.priority, 4) + "," + Fixed(c.waiting, 4) + "," + Fixed(c.hours, 4) + "," + Fixed(c.exposure, 4) +
           "," + Fixed(pr.why.reach.distance_km, 1) + "," + data::CsvEscape(reasons) + "\n";
    items.push_back({{"opening_id", opening.id.value()},
                     {"contract_id", opening.contract.value()},
                     {"appellation", opening.appellation},
                     {"fiche", opening.fiche.str()},
                     {"participant_id", person.id.value()},
                     {"score", c.total},
                     {"components",
                      {{"skill_fit", c.skill_fit},
                       {"rome_relation", c.rome_relation},
                       {"skill_overlap", c.skill_overlap},
                       {"skill_embedding", c.skill_embedding},
                       {"distance", c.distance},
                       {"priority", c.priority},
                       {"waiting", c.waiting},
                       {"hours", c.hours},
                       {"exposure_penalty", c.exposure}}},
                     {"distance_km", pr.why.reach.distance_km},
                     {"reasons", reasons_json}});
  }
  json quotas = json::array();
  for (const auto& q : result.quotas)
    quotas.push_back({{"contract_index", q.contract_index},
                      {"required", q.required},
                      {"achieved", q.achieved},
                      {"shortfall", q.shortfall}});
  json trades = json::array();
  for (const auto& [label, fp] : by_trade)
    trades.push_back({{"trade", label}, {"filled", fp.first}, {"positions", fp.second}});
  const json summary = {
      {"today", options.today.ToString()},
      {"status", std::string(as::ToString(result.status))},
      {"certificate", result.certificate.Verdict()},
      {"mode", args.mode},
      {"solver", args.solver},
      {"participants", problem.num_participants},
      {"openings", problem.num_openings},
      {"positions", positions_total},
      {"filled", proposals.size()},
      {"total_score", result.total_weight / static_cast<double>(matcher::kWeightScale)},
      {"candidate_pairs", problem.num_edges()},
      {"pairs_in_reach", graph.pairs_in_reach},
      {"pairs_eligible", graph.pairs_eligible},
      {"mean_distance_km", proposals.empty() ? 0.0 : distance_sum / static_cast<double>(proposals.size())},
      {"filled_by_public", by_public},
      {"by_trade", trades},
      {"quotas", quotas},
      {"unassigned",
       {{"not_active_or_no_consent", not_active},
        {"no_eligible_opening_in_reach", no_candidate},
        {"positions_went_to_better_fits", outcompeted}}},
      {"seconds",
       {{"load", Seconds(t0, t1)}, {"candidate_graph", Seconds(t1, t2)}, {"solve_and_certify", Seconds(t2, t3)}}}};
  WriteAtomically(out, "assignments.csv", csv);
  WriteAtomically(out, "assignments.json", json{{"proposals", items}}.dump(2) + "\n");
  WriteAtomically(out, "summary.json", summary.dump(2) + "\n");

  // Readable summary.
  std::cout << "Batch assignment, " << (dataset.territory.empty() ? dir : dataset.territory) << ", as of "
            << options.today.ToString() << "\n"
            << "  participants " << problem.num_participants << ", open openings " << problem.num_openings
            << ", positions " << positions_total << ", candidate pairs " << problem.num_edges() << "\n"
            << "  positions filled     " << proposals.size() << " / " << positions_total << "\n"
            << "  total score          " << Fixed(result.total_weight / static_cast<double>(matcher::kWeightScale), 2)
            << "\n"
            << "  mean distance        "
            << Fixed(proposals.empty() ? 0.0 : distance_sum / static_cast<double>(proposals.size()), 1) << " km\n"
            << "  filled by public    ";
  for (const char* code : {"rsa", "jeune", "deld", "detld", "rqth", "senior", "ase", "qpv"})
    if (by_public.count(code)) std::cout << " " << code << "=" << by_public[code];
  std::cout << "\n  unassigned           " << no_candidate << " with no eligible opening in reach, " << outcompeted
            << " outranked on every opening they could take, " << not_active << " inactive or without consent\n";
  for (const auto& q : result.quotas)
    if (q.shortfall > 0)
      std::cout << "  quota missed         contract #" << q.contract_index << ": " << q.achieved << " of " << q.required
                << " required (short by " << q.shortfall << ")\n";
  // kInfeasible here only means a quota could not be met: the assignment is still the optimum
  // among those achieving the largest quota count (docs/assignment.md).
  const bool quota_short = result.status == as::Status::kInfeasible;
  std::cout << "  solver               " << args.solver << ", "
            << (quota_short ? std::string("best possible with quota shortfall")
                            : std::string(as::ToString(result.status)))
            << ", " << result.certificate.Verdict() << "\n"
            << "  time                 load " << Fixed(Seconds(t0, t1), 2) << " s, candidate graph "
            << Fixed(Seconds(t1, t2), 2) << " s, solve + certificate " << Fixed(Seconds(t2, t3), 2) << " s\n"
            << "  written              " << (out / "assignments.csv").string() << ", assignments.json, summary.json\n";
  return result.certificate.optimal || *solver == as::SolverKind::kGreedy ? kExitOk : kExitFailure;
}

}  // namespace

void AddBatch(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand("batch", "Optimal assignment of participants to all open openings, certified");
  cmd->add_option("--data", args->data_dir, "Dataset folder (csv, json or bin)");
  cmd->add_flag("--sample", args->sample, "Use the bundled sample region");
  cmd->add_option("--out", args->out_dir, "Output folder for assignments.csv/.json and summary.json");
  cmd->add_option("--config", args->config, "Score weights (JSON), see docs/scoring.md");
  cmd->add_option("--today", args->today, "Reference date YYYY-MM-DD (default: the dataset's as_of)");
  cmd->add_option("--mode", args->mode, "fill-then-score (default) or score");
  cmd->add_option("--solver", args->solver, "ours (default), boost (oracle, small inputs) or greedy (baseline)");
  cmd->add_option("--max-candidates", args->max_candidates, "Candidates kept per opening (0 = all eligible)");
  cmd->add_option("--reference", args->reference, "Reference data folder");
  cmd->callback([&ctx, args] { ctx.exit_code = RunGuarded([&] { return Run(*args); }); });
}

}  // namespace clausematch::api::cli
