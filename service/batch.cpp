#include "service/batch.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "service/error.hpp"

namespace clausematch::service {
namespace {

namespace as = matcher::assignment;

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string TradeLabel(const model::Referential& ref, const model::Opening& opening) {
  const auto* fiche = ref.FindFiche(opening.fiche);
  return fiche ? opening.fiche.str() + " " + fiche->label : opening.fiche.str();
}

}  // namespace

std::string_view Code(as::ObjectiveMode mode) {
  return mode == as::ObjectiveMode::kScore ? "score" : "fill-then-score";
}

std::string_view Code(as::SolverKind solver) {
  switch (solver) {
    case as::SolverKind::kOurs:
      return "ours";
    case as::SolverKind::kAuction:
      return "auction";
    case as::SolverKind::kBoost:
      return "boost";
    case as::SolverKind::kGreedy:
      return "greedy";
  }
  return "ours";
}

model::Problems CheckBatchParams(const BatchParams& params) {
  model::Problems problems;
  if (params.max_candidates > BatchParams::kMaxCandidatesLimit)
    problems.push_back({"/max_candidates", "out_of_range",
                        "an integer from 0 (all) to " + std::to_string(BatchParams::kMaxCandidatesLimit)});
  if (params.as_of == model::Date()) problems.push_back({"/as_of", "required", "a reference date YYYY-MM-DD"});
  std::unordered_set<model::ContractId> seen;
  for (std::size_t i = 0; i < params.contracts.size(); ++i)
    if (!seen.insert(params.contracts[i]).second)
      problems.push_back({"/contracts/" + std::to_string(i), "duplicate", "this contract is already listed"});
  return problems;
}

BatchReport RunBatch(const model::Referential& ref, const model::Dataset& data, const BatchParams& params,
                     const BatchHooks& hooks) {
  if (auto problems = CheckBatchParams(params); !problems.empty())
    throw Error(ErrorKind::kInvalid, "invalid batch parameters", std::move(problems));
  const auto t0 = std::chrono::steady_clock::now();
  matcher::MatcherOptions matcher_options;
  matcher_options.today = params.as_of;
  matcher_options.weights = params.weights;
  const matcher::Matcher engine(ref, data, matcher_options);
  const auto t1 = std::chrono::steady_clock::now();

  matcher::GraphOptions graph_options;
  graph_options.max_candidates_per_opening = params.max_candidates;
  graph_options.progress = hooks.graph_progress;
  const matcher::CandidateGraph graph = engine.BuildCandidateGraph(graph_options);
  const auto& problem = graph.problem;
  if (hooks.before_solve) hooks.before_solve(problem);
  const auto t2 = std::chrono::steady_clock::now();

  as::AssignmentOptions solve_options;
  solve_options.mode = params.mode;
  solve_options.solver = params.solver;
  // Proposals a facilitator already accepted are placements: the matcher already removed their
  // positions from the graph, so nothing is fixed here.
  BatchReport report;
  report.solver = params.solver;
  report.result = as::SolveAssignment(problem, solve_options);
  const auto& result = report.result;
  const auto t3 = std::chrono::steady_clock::now();
  if (result.status == as::Status::kBadInput || result.status == as::Status::kBadCostRange)
    throw std::runtime_error("assignment failed: " + std::string(as::ToString(result.status)) + ": " + result.message);

  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    const auto o = result.opening_of[p];
    if (o == as::kNone) continue;
    const auto pos = static_cast<std::uint32_t>(data.participant_pos.at(graph.participant_ids[p]));
    report.proposals.push_back({pos, graph.opening_index[o], engine.Explain(pos, graph.opening_index[o])});
  }
  auto& proposals = report.proposals;
  std::sort(proposals.begin(), proposals.end(), [&](const BatchPair& a, const BatchPair& b) {
    if (a.opening != b.opening) return data.openings[a.opening].id < data.openings[b.opening].id;
    if (a.why.components.total != b.why.components.total) return a.why.components.total > b.why.components.total;
    return data.participants[a.participant].id < data.participants[b.participant].id;
  });

  // Summary figures.
  auto& s = report.summary;
  s.today = params.as_of;
  s.status = std::string(as::ToString(result.status));
  s.certificate = result.certificate.Verdict();
  s.mode = std::string(Code(params.mode));
  s.solver = std::string(Code(params.solver));
  s.participants = problem.num_participants;
  s.openings = problem.num_openings;
  for (auto n : problem.positions) s.positions += n;
  s.filled = proposals.size();
  s.total_score = static_cast<double>(result.total_weight) / static_cast<double>(matcher::kWeightScale);
  s.candidate_pairs = problem.num_edges();
  s.pairs_in_reach = graph.pairs_in_reach;
  s.pairs_eligible = graph.pairs_eligible;

  std::map<std::string, std::pair<int, int>> by_trade;  // fiche label -> (filled, positions)
  for (std::uint32_t o = 0; o < problem.num_openings; ++o)
    by_trade[TradeLabel(ref, data.openings[graph.opening_index[o]])].second += problem.positions[o];
  // Left node = dataset position (the graph keeps every participant, in order).
  std::vector<std::uint32_t> node_of(data.participants.size(), as::kNone);
  for (std::uint32_t p = 0; p < problem.num_participants; ++p)
    node_of[data.participant_pos.at(graph.participant_ids[p])] = p;
  double distance_sum = 0;
  for (const auto& pr : proposals) {
    by_trade[TradeLabel(ref, data.openings[pr.opening])].first += 1;
    distance_sum += matcher::ShownKm(pr.why.reach.distance_km);  // whole km, as each proposal shows it
    const auto bits = problem.participant_publics.empty() ? 0u : problem.participant_publics[node_of[pr.participant]];
    for (const auto& info : model::AllCriteria())
      if (bits & (1u << static_cast<unsigned>(info.criterion))) s.filled_by_public[std::string(info.code)] += 1;
  }
  s.mean_distance_km = proposals.empty() ? 0.0 : distance_sum / static_cast<double>(proposals.size());
  for (const auto& [label, fp] : by_trade) s.by_trade.push_back({label, fp.first, fp.second});
  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    if (result.opening_of[p] != as::kNone) continue;
    const auto& person = data.participants[data.participant_pos.at(graph.participant_ids[p])];
    if (person.status != model::ParticipantStatus::kActive || !person.consent)
      ++s.not_active_or_no_consent;
    else if (problem.offsets[p] == problem.offsets[p + 1])
      ++s.no_eligible_opening_in_reach;
    else
      ++s.positions_went_to_better_fits;
  }
  for (const auto& q : result.quotas) {
    const auto& contract = data.contracts.at(q.contract_index);
    s.quotas.push_back({q.contract_index, contract.id, contract.reference, q.required, q.achieved, q.shortfall});
  }
  s.seconds.matcher_index = Seconds(t0, t1);
  s.seconds.candidate_graph = Seconds(t1, t2);
  s.seconds.solve_and_certify = Seconds(t2, t3);
  return report;
}

model::Dataset RestrictToContracts(model::Dataset data, const std::vector<model::ContractId>& contracts) {
  const std::unordered_set<model::ContractId> keep(contracts.begin(), contracts.end());
  std::erase_if(data.contracts, [&](const model::Contract& c) { return !keep.count(c.id); });
  std::erase_if(data.openings, [&](const model::Opening& o) { return !keep.count(o.contract); });
  data.Index();
  return data;
}

}  // namespace clausematch::service
