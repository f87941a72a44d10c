// clausematch batch: the optimal assignment of a whole territory. Thin door: loads the data,
// builds the matcher's candidate graph, solves it with the assignment facade (certified), then
// writes the proposals (CSV and JSON, with each pair's score components and reasons) and a summary
// (positions filled, by public, by trade, mean distance, people left unassigned and why).
#include "service/batch.hpp"

#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/cli/score_config.hpp"
#include "api/json/batch_json.hpp"
#include "data/csv_reader.hpp"
#include "matcher/assignment/dimacs.hpp"
#include "matcher/reach.hpp"

namespace clausematch::api::cli {
namespace {

namespace as = matcher::assignment;
namespace fs = std::filesystem;

struct BatchArgs {
  MatcherInputFlags input;
  std::string out_dir;
  std::string mode = "fill-then-score";
  std::string solver = "ours";
  std::size_t max_candidates = matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  std::string network_file;  // --write-network: the compiled flow network, DIMACS
  std::string previous_dir;  // --previous: a previous run's output folder (its state.bin)
  bool no_state = false;     // --no-state: do not keep state.bin for a later run
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

// One line of progress on stderr: a bar on a terminal, a line every 10% otherwise; each with the
// rate so far and the estimated time left at that rate (shown once a second has passed). The clock
// starts at the first report (the phase's start when it reports 0 first), and the rate counts the
// items done since then.
class Progress {
 public:
  explicit Progress(std::string label) : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0) {}
  void operator()(std::size_t done, std::size_t total) {
    if (total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (!started_) {
      started_ = true;
      start_ = now;
      done_at_start_ = done;
    }
    const int pct = static_cast<int>(100 * done / total);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string pace;
    if (elapsed >= 1.0 && done > done_at_start_) {
      const double rate = static_cast<double>(done - done_at_start_) / elapsed;
      pace = ", " + Fixed(rate, rate < 10 ? 1 : 0) + "/s, " +
             (done == total ? Fixed(elapsed, 1) + " s"
                            : "about " + Fixed(static_cast<double>(total - done) / rate, 0) + " s left");
    }
    if (tty_) {
      const int width = 30, filled = pct * width / 100;
      std::fprintf(stderr, "\r%s [%s%s] %3d%% (%zu/%zu%s)   ", label_.c_str(), std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), pct, done, total, pace.c_str());
      if (done == total) std::fputc('\n', stderr);
    } else if (pct / 10 != last_decile_ || done == total) {
      last_decile_ = pct / 10;
      std::fprintf(stderr, "%s: %d%% (%zu/%zu%s)\n", label_.c_str(), pct, done, total, pace.c_str());
    }
  }

 private:
  std::string label_;
  bool tty_;
  bool started_ = false;
  std::chrono::steady_clock::time_point start_;
  std::size_t done_at_start_ = 0;
  int last_decile_ = -1;
};

// assignments.csv and assignments.json, rendered by blocks of proposals in parallel. The JSON text
// is the one nlohmann::json{{"proposals", items}}.dump(2) gives: each item dumped alone and
// indented by two levels.
struct RenderedProposals {
  std::string csv;
  std::string json;
};

constexpr std::string_view kCsvHeader =
    "opening_id,contract_id,appellation,fiche,participant_id,score,skill_fit,distance_score,priority,waiting,"
    "hours,exposure_penalty,distance_km,hire_date,conditions,reasons\n";

void AppendCsvLine(std::string& csv, const model::Dataset& dataset, const service::BatchPair& pr) {
  const auto& opening = dataset.openings[pr.opening];
  const auto& person = dataset.participants[pr.participant];
  const auto& c = pr.why.components;
  std::string reasons;
  for (const auto& r : pr.why.reasons) {
    if (!reasons.empty()) reasons += " | ";
    reasons += r.text;
  }
  // The proofs to renew before the hire, by criterion code ("rsa|qpv"; renew_by is the hire date).
  std::string conditions;
  for (const auto& cond : pr.why.conditions) {
    if (!conditions.empty()) conditions += '|';
    conditions += model::Code(cond.criterion);
  }
  char numbers[256];
  const int n =
      std::snprintf(numbers, sizeof numbers, "%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.0f,", c.total, c.skill_fit,
                    c.distance, c.priority, c.waiting, c.hours, c.exposure, matcher::ShownKm(pr.why.reach.distance_km));
  csv += std::to_string(opening.id.value());
  csv += ',';
  csv += std::to_string(opening.contract.value());
  csv += ',';
  csv += std::to_string(opening.appellation);
  csv += ',';
  csv += opening.fiche.str();
  csv += ',';
  csv += std::to_string(person.id.value());
  csv += ',';
  csv.append(numbers, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof numbers) - 1)));
  csv += pr.why.verdict.hire_date.ToString();
  csv += ',';
  csv += conditions;
  csv += ',';
  csv += data::CsvEscape(reasons);
  csv += '\n';
}

RenderedProposals RenderProposals(const model::Dataset& dataset, const std::vector<service::BatchPair>& proposals) {
  constexpr std::size_t kBlock = 1024;
  const std::size_t blocks = (proposals.size() + kBlock - 1) / kBlock;
  std::vector<RenderedProposals> parts(blocks);
  Progress writing("writing proposals");
  std::size_t done = 0;
  std::mutex progress_mutex;
  writing(0, proposals.size());
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    auto& part = parts[b];
    const std::size_t end = std::min(proposals.size(), (b + 1) * kBlock);
    for (std::size_t i = b * kBlock; i < end; ++i) {
      AppendCsvLine(part.csv, dataset, proposals[i]);
      if (i > 0) part.json += ",\n";
      part.json += "    ";
      json::AppendProposalText(part.json, dataset, proposals[i], 4);
    }
    const std::lock_guard lock(progress_mutex);
    done += end - b * kBlock;
    writing(done, proposals.size());
  });
  RenderedProposals all;
  std::size_t csv_size = kCsvHeader.size(), json_size = 64;
  for (const auto& part : parts) {
    csv_size += part.csv.size();
    json_size += part.json.size();
  }
  all.csv.reserve(csv_size);
  all.csv += kCsvHeader;
  all.json.reserve(json_size);
  all.json += proposals.empty() ? "{\n  \"proposals\": []" : "{\n  \"proposals\": [\n";
  for (auto& part : parts) {
    all.csv += part.csv;
    all.json += part.json;
    part = {};
  }
  all.json += proposals.empty() ? "\n}\n" : "\n  ]\n}\n";
  return all;
}

int Run(const BatchArgs& args) {
  if (args.out_dir.empty()) throw InputError("batch: --out DIR is required");
  service::BatchParams params;
  const auto mode = as::ParseObjectiveMode(args.mode);
  if (!mode) throw InputError("batch: --mode must be fill-then-score or score, not '" + args.mode + "'");
  params.mode = *mode;
  const auto solver = as::ParseSolverKind(args.solver);
  if (!solver) throw InputError("batch: --solver must be ours, auction, boost or greedy, not '" + args.solver + "'");
  params.solver = *solver;
  params.max_candidates = args.max_candidates;

  const auto t0 = std::chrono::steady_clock::now();
  // The previous run's state.bin is read and checked on its own thread while the data loads (one
  // thread): it is needed once the matcher's index is built.
  std::future<service::PreviousRun> previous_read;
  if (!args.previous_dir.empty())
    previous_read = std::async(std::launch::async, [dir = args.previous_dir] { return service::ReadPreviousRun(dir); });
  const auto in = LoadMatcherInputs("batch", args.input, NoDate::kRefuse);
  const auto& dataset = in.dataset;
  const auto t1 = std::chrono::steady_clock::now();
  params.as_of = in.options.today;
  params.weights = in.options.weights;

  service::BatchHooks hooks;
  Progress indexing("matcher index (participants)");
  hooks.index_progress = [&indexing](std::size_t done, std::size_t total) { indexing(done, total); };
  Progress progress("candidate graph");
  hooks.graph_progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };
  Progress solving("solve (flow solves, at most)");
  hooks.solve_progress = [&solving](std::size_t done, std::size_t most) { solving(done, most); };
  Progress explaining("explanations");
  hooks.explain_progress = [&explaining](std::size_t done, std::size_t total) { explaining(done, total); };
  hooks.before_solve = [&args, &params](const matcher::AssignmentProblem& problem) {
    std::fprintf(stderr, "assignment: solving %u participants x %u openings, %llu candidate pairs...\n",
                 problem.num_participants, problem.num_openings, static_cast<unsigned long long>(problem.num_edges()));
    if (args.network_file.empty()) return;
    // The network the solver sees (quota classes and gains included), for LEMON's dimacs-solver,
    // `clausematch solve` or bench_assignment --dimacs.
    as::AssignmentOptions options;
    options.mode = params.mode;
    const auto compiled = as::Compile(problem, options);
    if (compiled.status != as::Status::kOptimal) return;  // the solve reports it
    const fs::path target(args.network_file);
    const fs::path tmp = target.string() + ".tmp";
    {
      std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
      as::WriteDimacs(file, compiled.transport, "clausematch batch network");
      file.flush();
      if (!file) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, target);
    std::fprintf(stderr, "assignment: network written to %s\n", target.c_str());
  };
  if (auto problems = service::CheckBatchParams(params); !problems.empty())
    throw InputError("batch: " + problems.front().field.substr(1) + ": " + problems.front().message);
  params.keep_state = !args.no_state;  // built on the thread that writes state.bin, while the proposals render
  service::PreviousRun previous;
  if (previous_read.valid()) previous = previous_read.get();
  auto report =
      service::RunBatch(*in.referential, dataset, params, hooks, args.previous_dir.empty() ? nullptr : &previous);
  previous = {};
  auto& summary = report.summary;
  summary.seconds.load = Seconds(t0, t1);
  const auto& inc = summary.incremental;
  std::string incremental_line = "cold (no --previous)";
  if (inc.previous == "refused") incremental_line = "cold: previous run not used, " + inc.reason;
  if (inc.previous == "used")
    incremental_line =
        "warm: " + std::to_string(inc.openings_reused) + " openings' cuts reused, " + std::to_string(inc.openings_new) +
        " new, " + std::to_string(inc.openings_changed) + " changed and " + std::to_string(inc.openings_near_changes) +
        " near changed participants scanned, " + std::to_string(inc.openings_removed) + " gone; participants " +
        std::to_string(inc.participants_added) + " added, " + std::to_string(inc.participants_removed) + " removed, " +
        std::to_string(inc.participants_changed) + " changed; solver " + inc.solver_start +
        (inc.solver_note.empty() ? "" : " (" + inc.solver_note + ")") + (inc.reason.empty() ? "" : "; " + inc.reason);
  if (!args.previous_dir.empty()) std::fprintf(stderr, "incremental: %s\n", incremental_line.c_str());

  // Files. state.bin (what a later `batch --previous` takes) is written on its own thread while
  // the proposals are rendered; a run without it leaves no stale state behind.
  const fs::path out(args.out_dir);
  fs::create_directories(out);
  const fs::path state_path = out / std::string(service::kBatchStateFile);
  std::future<std::string> state_written;
  if (report.state_source) {
    state_written = std::async(std::launch::async, [&report, &state_path] {
      const auto start = std::chrono::steady_clock::now();
      const auto state = service::BuildBatchState(std::move(*report.state_source));
      report.state_source.reset();
      const auto built = std::chrono::steady_clock::now();
      service::SaveBatchState(state, state_path.string());
      return "state: " + std::to_string(state.num_edges()) + " cut edges written to " + state_path.string() + " in " +
             Fixed(Seconds(built, std::chrono::steady_clock::now()), 2) + " s (built in " +
             Fixed(Seconds(start, built), 2) + " s)";
    });
  } else {
    std::error_code ignored;
    fs::remove(state_path, ignored);
  }
  const auto writing_start = std::chrono::steady_clock::now();
  const std::size_t proposals = report.proposals.size();
  const auto rendered = RenderProposals(dataset, report.proposals);
  const auto rendered_at = std::chrono::steady_clock::now();
  WriteAtomically(out, "assignments.csv", rendered.csv);
  WriteAtomically(out, "assignments.json", rendered.json);
  WriteAtomically(out, "summary.json", json::SummaryJson(summary).dump(2) + "\n");
  std::fprintf(stderr, "outputs: %zu proposals written in %s s (rendered in %s s)\n", proposals,
               Fixed(Seconds(writing_start, std::chrono::steady_clock::now()), 2).c_str(),
               Fixed(Seconds(writing_start, rendered_at), 2).c_str());
  if (state_written.valid()) std::fprintf(stderr, "%s\n", state_written.get().c_str());

  // Readable summary.
  const auto& result = report.result;
  std::cout << "Batch assignment, " << (dataset.territory.empty() ? in.dir : dataset.territory) << ", as of "
            << in.options.today.ToString() << "\n"
            << "  participants " << summary.participants << ", open openings " << summary.openings << ", positions "
            << summary.positions << ", candidate pairs " << summary.candidate_pairs << "\n"
            << "  positions filled     " << summary.filled << " / " << summary.positions << "\n"
            << "  total score          " << Fixed(summary.total_score, 2) << "\n"
            << "  mean distance        " << Fixed(summary.mean_distance_km, 1) << " km\n"
            << "  filled by public    ";
  for (const char* code : {"rsa", "jeune", "deld", "detld", "rqth", "senior", "ase", "qpv"})
    if (auto it = summary.filled_by_public.find(code); it != summary.filled_by_public.end())
      std::cout << " " << code << "=" << it->second;
  std::cout << "\n  counted provisionally";
  if (summary.filled_by_public_provisional.empty()) std::cout << " none";
  for (const auto& [code, n] : summary.filled_by_public_provisional) std::cout << " " << code << "=" << n;
  std::cout << " (proof to renew before the hire; priority and quotas counted it)\n"
            << "  subject to renewal   " << summary.subject_to_renewal << " proposal(s)";
  if (!summary.to_renew_by_criterion.empty()) {
    std::cout << ", proofs to renew:";
    for (const auto& [code, n] : summary.to_renew_by_criterion) std::cout << " " << code << "=" << n;
  }
  std::cout << "\n  unassigned           " << summary.no_eligible_opening_in_reach
            << " with no eligible opening in reach, " << summary.positions_went_to_better_fits
            << " outranked on every opening they could take, " << summary.not_active_or_no_consent
            << " inactive or without consent\n";
  if (!summary.quotas.empty()) {
    std::size_t met = 0, met_provisionally = 0;
    for (const auto& q : summary.quotas) {
      if (q.shortfall > 0) continue;
      ++met;
      // Met only thanks to people counted provisionally: holds if their proofs are renewed.
      if (q.achieved - q.achieved_provisionally < q.required) ++met_provisionally;
    }
    std::cout << "  quotas met           " << met << " of " << summary.quotas.size() << " (" << met_provisionally
              << " only with people counted provisionally)\n";
  }
  std::size_t missed = 0;
  std::int64_t missed_units = 0;
  for (const auto& q : summary.quotas) {
    if (q.shortfall <= 0) continue;
    missed_units += q.shortfall;
    if (++missed <= 10) std::cout << "  quota missed         " << q.explanation << "\n";
  }
  if (missed > 10)
    std::cout << "  quota missed         ... " << missed - 10 << " more contracts; " << missed << " in all, short by "
              << missed_units << " positions (summary.json lists each)\n";
  const auto& opt = summary.optimality;
  std::cout << "  quotas               total shortfall " << opt.shortfall << " (least possible: at least "
            << opt.shortfall_bound << ", proven), " << opt.method << " method, " << opt.solves << " solves, "
            << opt.branch_nodes << " branch nodes, "
            << (opt.proven_optimal ? std::string("proven optimal (gap 0)")
                                   : "gap " + (opt.gap.empty() ? std::string("unknown") : opt.gap) + " (relative " +
                                         std::to_string(opt.relative_gap) + ")")
            << "\n";
  // kInfeasible here only means a quota could not be met: the assignment is still the best one
  // found among those with the least shortfall (docs/assignment.md §2).
  const bool quota_short = result.status == as::Status::kInfeasible;
  std::cout << "  solver               " << args.solver << ", "
            << (quota_short ? std::string("best possible with quota shortfall")
                            : std::string(as::ToString(result.status)))
            << ", " << result.certificate.Verdict() << "\n"
            << "  time                 load " << Fixed(summary.seconds.load, 2) << " s, matcher index "
            << Fixed(summary.seconds.matcher_index, 2) << " s, candidate graph "
            << Fixed(summary.seconds.candidate_graph, 2) << " s, solve + certificate "
            << Fixed(summary.seconds.solve_and_certify, 2) << " s\n"
            << "  incremental          " << incremental_line << "\n"
            << "  written              " << (out / "assignments.csv").string() << ", assignments.json, summary.json"
            << (args.no_state ? "" : ", state.bin") << "\n";
  return report.usable() ? kExitOk : kExitFailure;
}

}  // namespace

void AddBatch(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand("batch", "Optimal assignment of participants to all open openings, certified");
  cmd->add_option("--data", args->input.data_dir, "Dataset folder (csv, json or bin)");
  cmd->add_flag("--sample", args->input.sample, "Use the bundled sample region");
  cmd->add_option("--out", args->out_dir, "Output folder for assignments.csv/.json and summary.json");
  cmd->add_option("--config", args->input.config, "Score weights (JSON), see docs/scoring.md");
  cmd->add_option("--today", args->input.today, "Reference date YYYY-MM-DD (default: the dataset's as_of)");
  cmd->add_option("--mode", args->mode, "fill-then-score (default) or score");
  cmd->add_option("--solver", args->solver,
                  "ours (default), auction (second exact backend), boost (oracle, small inputs) or greedy (baseline)");
  cmd->add_option("--write-network", args->network_file,
                  "Also write the flow network the solver sees, as a DIMACS min-cost-flow file");
  cmd->add_option("--max-candidates", args->max_candidates, "Candidates kept per opening (0 = all eligible)");
  cmd->add_option("--reference", args->input.reference, "Reference data folder");
  cmd->add_option("--previous", args->previous_dir,
                  "A previous run's output folder: reuse its candidate graph for the openings that did not change "
                  "(same certified optimum as a cold run; docs/assignment.md, Incremental runs)");
  cmd->add_flag("--no-state", args->no_state, "Do not write state.bin (what a later --previous run reuses)");
  cmd->callback([&ctx, args] { ctx.exit_code = RunGuarded([&] { return Run(*args); }); });
}

}  // namespace clausematch::api::cli
