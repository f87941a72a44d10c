#include "api/batch_assignment.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <unordered_set>

namespace clausematch::api {
namespace {

namespace as = matcher::assignment;
using nlohmann::json;

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string TradeLabel(const model::Referential& ref, const model::Opening& opening) {
  const auto* fiche = ref.FindFiche(opening.fiche);
  return fiche ? opening.fiche.str() + " " + fiche->label : opening.fiche.str();
}

}  // namespace

BatchReport RunBatchAssignment(const model::Referential& ref, const model::Dataset& data, const BatchSettings& settings,
                               const std::string& mode_name, const std::string& solver_name) {
  const auto t0 = std::chrono::steady_clock::now();
  const matcher::Matcher engine(ref, data, settings.matcher);
  const auto t1 = std::chrono::steady_clock::now();

  matcher::GraphOptions graph_options;
  graph_options.max_candidates_per_opening = settings.max_candidates;
  graph_options.progress = settings.graph_progress;
  const matcher::CandidateGraph graph = engine.BuildCandidateGraph(graph_options);
  const auto& problem = graph.problem;
  if (settings.before_solve) settings.before_solve(problem);
  const auto t2 = std::chrono::steady_clock::now();

  as::AssignmentOptions solve_options;
  solve_options.mode = settings.mode;
  solve_options.solver = settings.solver;
  // Proposals a facilitator already accepted are placements: the matcher already removed their
  // positions from the graph, so nothing is fixed here.
  BatchReport report;
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
  std::int64_t positions_total = 0;
  for (auto n : problem.positions) positions_total += n;
  std::map<std::string, int> by_public;
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
    distance_sum += pr.why.reach.distance_km;
    const auto bits = problem.participant_publics.empty() ? 0u : problem.participant_publics[node_of[pr.participant]];
    for (const auto& info : model::AllCriteria())
      if (bits & (1u << static_cast<unsigned>(info.criterion))) by_public[std::string(info.code)] += 1;
  }
  int not_active = 0, no_candidate = 0, outcompeted = 0;
  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    if (result.opening_of[p] != as::kNone) continue;
    const auto& person = data.participants[data.participant_pos.at(graph.participant_ids[p])];
    if (person.status != model::ParticipantStatus::kActive || !person.consent)
      ++not_active;
    else if (problem.offsets[p] == problem.offsets[p + 1])
      ++no_candidate;
    else
      ++outcompeted;
  }
  json quotas = json::array();
  for (const auto& q : result.quotas)
    quotas.push_back({{"contract_index", q.contract_index},
                      {"contract_id", data.contracts.at(q.contract_index).id.value()},
                      {"required", q.required},
                      {"achieved", q.achieved},
                      {"shortfall", q.shortfall}});
  json trades = json::array();
  for (const auto& [label, fp] : by_trade)
    trades.push_back({{"trade", label}, {"filled", fp.first}, {"positions", fp.second}});
  report.summary = {
      {"today", settings.matcher.today.ToString()},
      {"status", std::string(as::ToString(result.status))},
      {"certificate", result.certificate.Verdict()},
      {"mode", mode_name},
      {"solver", solver_name},
      {"participants", problem.num_participants},
      {"openings", problem.num_openings},
      {"positions", positions_total},
      {"filled", proposals.size()},
      {"total_score", static_cast<double>(result.total_weight) / static_cast<double>(matcher::kWeightScale)},
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
       {{"matcher_index", Seconds(t0, t1)},
        {"candidate_graph", Seconds(t1, t2)},
        {"solve_and_certify", Seconds(t2, t3)}}}};
  return report;
}

json ComponentsJson(const matcher::ScoreComponents& c) {
  return {{"skill_fit", c.skill_fit},
          {"rome_relation", c.rome_relation},
          {"skill_overlap", c.skill_overlap},
          {"skill_embedding", c.skill_embedding},
          {"distance", c.distance},
          {"priority", c.priority},
          {"waiting", c.waiting},
          {"hours", c.hours},
          {"exposure_penalty", c.exposure}};
}

json ProposalJson(const model::Dataset& data, const BatchPair& pair) {
  const auto& opening = data.openings[pair.opening];
  const auto& person = data.participants[pair.participant];
  const auto& c = pair.why.components;
  json reasons = json::array();
  for (const auto& r : pair.why.reasons) reasons.push_back({{"code", r.code}, {"text", r.text}});
  json eligible_by = json::array();
  for (const auto& info : model::AllCriteria())
    if (pair.why.verdict.matched.contains(info.criterion)) eligible_by.push_back(info.code);
  return {{"opening_id", opening.id.value()},
          {"contract_id", opening.contract.value()},
          {"appellation", opening.appellation},
          {"fiche", opening.fiche.str()},
          {"participant_id", person.id.value()},
          {"score", c.total},
          {"components", ComponentsJson(c)},
          {"distance_km", pair.why.reach.distance_km},
          {"basis", matcher::Code(pair.why.verdict.basis)},
          {"eligible_by", eligible_by},
          {"reasons", reasons}};
}

model::Dataset RestrictToContracts(model::Dataset data, const std::vector<model::ContractId>& contracts) {
  const std::unordered_set<model::ContractId> keep(contracts.begin(), contracts.end());
  std::erase_if(data.contracts, [&](const model::Contract& c) { return !keep.count(c.id); });
  std::erase_if(data.openings, [&](const model::Opening& o) { return !keep.count(o.contract); });
  data.Index();
  return data;
}

}  // namespace clausematch::api
