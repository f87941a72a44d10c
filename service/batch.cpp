#include "service/batch.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "matcher/assignment/pairs.hpp"
#include "service/error.hpp"

namespace clausematch::service {
namespace {

namespace as = matcher::assignment;

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Gives the pages of freed heap blocks back to the system, once the candidate graph is built. Its
// per-opening cuts (8 bytes a kept pair, small blocks spread over the threads' malloc arenas) are
// freed once its CSR has them, but glibc keeps freed small blocks in its arenas: without this they
// stay resident through the solve (about 0.3 GB on the region, bench/README.md "Bytes per kept
// pair"), since the solver's arrays are large blocks mapped apart. A process-wide act, so it is the
// batch's, not the matcher library's. A no-op elsewhere than glibc.
void ReleaseFreedHeap() {
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
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

model::Problems CheckBatchParams(const BatchParams& params, bool admin) {
  model::Problems problems;
  if (params.max_candidates > BatchParams::kMaxCandidatesLimit)
    problems.push_back({"/max_candidates", "out_of_range",
                        "an integer from 0 (all) to " + std::to_string(BatchParams::kMaxCandidatesLimit)});
  else if (params.max_candidates == 0 && !admin)
    problems.push_back({"/max_candidates", "forbidden_value",
                        "0 (every eligible pair) is reserved to admins; an integer from 1 to " +
                            std::to_string(BatchParams::kMaxCandidatesLimit)});
  if (params.as_of == model::Date()) problems.push_back({"/as_of", "required", "a reference date YYYY-MM-DD"});
  // The score weights, as ScoreWeights::Validate names them ("priority_weights.rsa: must be in
  // [0, 1]" is "/priority_weights/rsa").
  for (const auto& error : params.weights.Validate()) {
    const auto colon = error.find(": ");
    std::string pointer = "/" + error.substr(0, colon);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    problems.push_back({pointer, "out_of_range", colon == std::string::npos ? error : error.substr(colon + 2)});
  }
  std::unordered_set<model::ContractId> seen;
  for (std::size_t i = 0; i < params.contracts.size(); ++i)
    if (!seen.insert(params.contracts[i]).second)
      problems.push_back({"/contracts/" + std::to_string(i), "duplicate", "this contract is already listed"});
  return problems;
}

BatchReport RunBatch(const model::Referential& ref, const model::Dataset& data, const BatchParams& params,
                     const BatchHooks& hooks, PreviousRun* previous) {
  if (auto problems = CheckBatchParams(params); !problems.empty())
    throw Error(ErrorKind::kInvalid, "invalid batch parameters", std::move(problems));
  const auto t0 = std::chrono::steady_clock::now();
  matcher::MatcherOptions matcher_options;
  matcher_options.today = params.as_of;
  matcher_options.weights = params.weights;
  const matcher::Matcher engine(ref, data, matcher_options, nullptr, hooks.index_progress);
  const auto t1 = std::chrono::steady_clock::now();
  BatchReport report;
  report.solver = params.solver;
  auto& incremental = report.summary.incremental;

  // Incremental runs: the shared inputs' fingerprints, each participant's, then each opening's,
  // computed once.
  std::optional<BatchState::Inputs> inputs;
  std::vector<BatchState::Participant> people;
  if (params.keep_state || previous != nullptr) {
    inputs = FingerprintInputs(ref, data, params);
    people = FingerprintParticipants(data, engine);
  }
  BatchState* before = nullptr;
  ParticipantChanges changes;
  std::vector<std::uint8_t> near_changes;  // by position in data.openings: rescanned
  if (previous != nullptr) {
    incremental.previous = "refused";
    if (!previous->state) {
      incremental.reason = previous->unreadable;
    } else if (incremental.reason = Incompatibility(previous->state->inputs, *inputs); incremental.reason.empty()) {
      changes = ChangedParticipants(previous->state->participants, people);
      incremental.reason = changes.unusable;
    }
    if (incremental.reason.empty()) {
      before = &*previous->state;
      incremental.previous = "used";
      incremental.participants_added = changes.added;
      incremental.participants_removed = changes.removed;
      incremental.participants_changed = changes.changed;
      near_changes = AffectedOpenings(ref, data, changes.origins);
    }
  }
  // When nearly every open opening is near a change (a few hundred decisions spread over a region
  // reach nearly all of them: BatchParams::rescan_all_above), the few reusable cuts save little and
  // holding them with the new graph costs memory: the cuts are let go and every opening is scanned,
  // as in a cold run; the solver still starts from the previous pairs, prices and multipliers.
  bool reuse_cuts = before != nullptr;
  if (before != nullptr) {
    const auto open =
        static_cast<std::size_t>(std::count_if(data.openings.begin(), data.openings.end(),
                                               [](const auto& o) { return o.status == model::OpeningStatus::kOpen; }));
    const auto near = static_cast<std::size_t>(
        std::count_if(near_changes.begin(), near_changes.end(), [](std::uint8_t v) { return v != 0; }));
    if (static_cast<double>(near) > params.rescan_all_above * static_cast<double>(open)) {
      reuse_cuts = false;
      incremental.reason = "cuts not reused: " + std::to_string(near) + " of " + std::to_string(open) +
                           " open openings are in reach of a changed participant, so all are scanned";
      for (auto& o : before->openings) o.cut = {};
    }
  }
  std::unordered_map<model::ContractId, std::uint32_t> contract_pos;
  for (std::uint32_t c = 0; c < data.contracts.size(); ++c) contract_pos.emplace(data.contracts[c].id, c);
  std::vector<std::uint64_t> fingerprints(data.openings.size(), 0);
  std::vector<std::uint8_t> fingerprinted(data.openings.size(), 0);
  auto fingerprint = [&](std::uint32_t j) {
    if (fingerprinted[j] == 0) {
      const auto& opening = data.openings[j];
      fingerprints[j] = FingerprintOpening(data.contracts.at(contract_pos.at(opening.contract)), opening);
      fingerprinted[j] = 1;
    }
    return fingerprints[j];
  };
  std::unordered_map<model::OpeningId, std::uint32_t> before_pos;  // previous right node by id
  std::vector<std::uint8_t> before_seen;
  if (before != nullptr) {
    for (std::uint32_t r = 0; r < before->openings.size(); ++r) before_pos.emplace(before->openings[r].id, r);
    before_seen.assign(before->openings.size(), 0);
  }

  matcher::GraphOptions graph_options;
  graph_options.max_candidates_per_opening = params.max_candidates;
  graph_options.progress = hooks.graph_progress;
  if (before != nullptr)
    graph_options.known = [&](std::uint32_t j) -> std::optional<matcher::OpeningCut> {
      const auto it = before_pos.find(data.openings[j].id);
      if (it == before_pos.end()) {
        ++incremental.openings_new;
        return std::nullopt;
      }
      before_seen[it->second] = 1;
      auto& old = before->openings[it->second];
      if (old.fingerprint != fingerprint(j)) {
        ++incremental.openings_changed;
        return std::nullopt;
      }
      if (near_changes[j] != 0 || !reuse_cuts) {
        ++incremental.openings_near_changes;
        return std::nullopt;
      }
      // Participants renumbered by id. A person removed was in the reach of no opening reused
      // (AffectedOpenings); should a cut still hold one, the opening is scanned.
      if (!changes.same_order) {
        const auto& now_of = changes.now_of;
        if (std::any_of(old.cut.edges.begin(), old.cut.edges.end(), [&](const matcher::CutEdge& e) {
              return e.participant >= now_of.size() || now_of[e.participant] == ParticipantChanges::kNone;
            })) {
          ++incremental.openings_near_changes;
          return std::nullopt;
        }
        for (auto& e : old.cut.edges) e.participant = now_of[e.participant];
      }
      ++incremental.openings_reused;
      return std::move(old.cut);
    };
  matcher::CandidateGraph graph = engine.BuildCandidateGraph(graph_options);
  ReleaseFreedHeap();
  if (before != nullptr)
    incremental.openings_removed =
        static_cast<std::uint32_t>(std::count(before_seen.begin(), before_seen.end(), std::uint8_t{0}));
  const auto& problem = graph.problem;
  if (hooks.before_solve) hooks.before_solve(problem);
  const auto t2 = std::chrono::steady_clock::now();

  as::AssignmentOptions solve_options;
  solve_options.mode = params.mode;
  solve_options.solver = params.solver;
  // The previous pairs and participant prices, on the new right nodes (by opening id).
  std::optional<as::AssignmentResult> warm;
  if (before != nullptr) {
    if (before->participant_price.empty())
      incremental.solver_note = "the previous run kept no prices";
    else if (before->mode != params.mode)
      incremental.solver_note = "the objective mode changed";
    else if (params.solver != as::SolverKind::kOurs)
      incremental.solver_note = "only the augmenting-path solver (ours) starts warm here";
    if (incremental.solver_note.empty()) {
      std::unordered_map<model::OpeningId, std::uint32_t> node_of;
      for (std::uint32_t r = 0; r < graph.opening_ids.size(); ++r) node_of.emplace(graph.opening_ids[r], r);
      // By participant id: a person added starts unassigned at price 0 (the solver keeps a
      // previous pair only when it is still an edge with a position left).
      warm.emplace();
      warm->opening_of.assign(problem.num_participants, as::kNone);
      warm->participant_price.assign(problem.num_participants, 0);
      warm->in_quota_class.assign(problem.num_participants, 0);
      for (std::uint32_t i = 0; i < problem.num_participants; ++i) {
        const auto b = changes.before_of[i];
        if (b == ParticipantChanges::kNone) continue;
        warm->participant_price[i] = before->participant_price[b];
        warm->in_quota_class[i] = before->in_quota_class[b];
        const auto o = before->opening_of[b];
        if (o == as::kNone) continue;
        if (auto it = node_of.find(before->openings[o].id); it != node_of.end()) warm->opening_of[i] = it->second;
      }
    }
    // The side quota groups' multipliers, on this problem's groups (by contract and public): where
    // the Lagrangian search starts.
    if (before->mode == params.mode && !before->multipliers.empty()) {
      std::map<std::pair<model::ContractId, std::uint32_t>, std::int64_t> lambda;
      for (const auto& m : before->multipliers) lambda.emplace(std::pair{m.contract, m.public_bit}, m.lambda);
      solve_options.initial_multipliers.assign(problem.quotas.size(), 0);
      for (std::size_t g = 0; g < problem.quotas.size(); ++g) {
        const auto& group = problem.quotas[g];
        const auto it = lambda.find({data.contracts.at(group.contract_index).id, group.public_bit});
        if (it != lambda.end()) solve_options.initial_multipliers[g] = it->second;
      }
    }
  }
  // Proposals a facilitator already accepted are placements: the matcher already removed their
  // positions from the graph, so nothing is fixed here.
  solve_options.progress = hooks.solve_progress;
  // The graph's targets are released while the solve runs (4 bytes per pair of the batch's peak)
  // and rebuilt before it returns: nothing reads them meanwhile.
  report.result = as::SolveAssignmentReleasing(graph.problem, solve_options, warm ? &*warm : nullptr);
  const auto& result = report.result;
  if (hooks.solve_progress) hooks.solve_progress(result.bound.solves, result.bound.solves);
  const auto t3 = std::chrono::steady_clock::now();
  // The facade seeds the augmenting-path solver with the previous pairs and prices (with side quota
  // groups, the Lagrangian search's first flow solve); `solver_start` says, with side quota groups,
  // whether the search starts from the previous multipliers.
  if (warm && result.bound.method == "network") incremental.solver_start = "warm";
  if (before != nullptr && result.bound.method == "lagrangian") {
    if (!solve_options.initial_multipliers.empty()) {
      incremental.solver_start = "warm";
      incremental.solver_note.clear();
    } else {
      incremental.solver_note = before->mode != params.mode
                                    ? "the objective mode changed"
                                    : "side quota groups: the previous run kept no multiplier (all 0), the "
                                      "Lagrangian search starts at 0";
    }
  }
  if (result.status == as::Status::kBadInput || result.status == as::Status::kBadCostRange)
    throw std::runtime_error("assignment failed: " + std::string(as::ToString(result.status)) + ": " + result.message);

  // Each proposal explained (the reference path, independent of the compiled hot loop), by blocks
  // in parallel: Matcher::Explain only reads.
  for (std::uint32_t p = 0; p < problem.num_participants; ++p) {
    const auto o = result.opening_of[p];
    if (o == as::kNone) continue;
    const auto pos = static_cast<std::uint32_t>(data.participant_pos.at(graph.participant_ids[p]));
    report.proposals.push_back({pos, graph.opening_index[o], {}});
  }
  const std::size_t assigned = report.proposals.size();
  if (hooks.explain_progress) hooks.explain_progress(0, assigned);
  constexpr std::size_t kExplainBlock = 1024;
  std::size_t explained = 0;
  std::mutex progress_mutex;
  tbb::parallel_for(std::size_t{0}, (assigned + kExplainBlock - 1) / kExplainBlock, [&](std::size_t b) {
    const std::size_t end = std::min(assigned, (b + 1) * kExplainBlock);
    for (std::size_t k = b * kExplainBlock; k < end; ++k) {
      auto& pr = report.proposals[k];
      pr.why = engine.Explain(pr.participant, pr.opening);
    }
    const std::lock_guard lock(progress_mutex);  // the hook sees counts in order, one call at a time
    explained += end - b * kExplainBlock;
    if (hooks.explain_progress) hooks.explain_progress(explained, assigned);
  });
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
  double distance_sum = 0;
  for (const auto& pr : proposals) {
    by_trade[TradeLabel(ref, data.openings[pr.opening])].first += 1;
    distance_sum += matcher::ShownKm(pr.why.reach.distance_km);  // whole km, as each proposal shows it
    const auto& verdict = pr.why.verdict;
    for (const auto& info : model::AllCriteria()) {
      if (!verdict.counted().contains(info.criterion)) continue;
      s.filled_by_public[std::string(info.code)] += 1;
      if (verdict.provisional.contains(info.criterion)) s.filled_by_public_provisional[std::string(info.code)] += 1;
    }
    if (!pr.why.conditions.empty()) ++s.subject_to_renewal;
    for (const auto& c : pr.why.conditions) s.to_renew_by_criterion[std::string(model::Code(c.criterion))] += 1;
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
  // A quota's achieved count is the solver's (participant_publics); those of them whose public is
  // provisional (participant_provisional) are counted provisionally.
  std::vector<std::vector<std::uint32_t>> assigned_to(problem.num_openings);  // opening node -> participant nodes
  for (std::uint32_t p = 0; p < problem.num_participants; ++p)
    if (result.opening_of[p] != as::kNone) assigned_to[result.opening_of[p]].push_back(p);
  for (const auto& q : result.quotas) {
    const auto& contract = data.contracts.at(q.contract_index);
    QuotaLine line;
    line.contract_index = q.contract_index;
    line.contract = contract.id;
    line.reference = contract.reference;
    const auto& group = problem.quotas.at(q.group);
    const auto bit = group.public_bit;
    if (bit < model::AllCriteria().size()) line.public_code = model::Code(static_cast<model::Criterion>(bit));
    line.required = q.required;
    line.achieved = q.achieved;
    if (!problem.participant_provisional.empty())
      for (const auto o : group.openings)
        for (const auto p : assigned_to[o])
          if (((problem.participant_publics[p] & problem.participant_provisional[p]) >> bit) & 1u)
            ++line.achieved_provisionally;
    line.shortfall = q.shortfall;
    line.public_candidates = q.public_candidates;
    line.taken_by_other_quotas = q.taken_by_other_quotas;
    line.taken_elsewhere = q.taken_elsewhere;
    line.positions = q.positions;
    line.positions_left = q.positions_left;
    line.explanation = ExplainQuota(line);
    s.quotas.push_back(std::move(line));
  }
  const auto& b = result.bound;
  s.optimality.method = b.method;
  s.optimality.objective = as::ToDecimal(b.objective);
  s.optimality.bound = b.proven ? as::ToDecimal(b.bound) : "";
  s.optimality.gap = b.proven ? as::ToDecimal(b.gap()) : "";
  s.optimality.relative_gap = b.proven ? b.relative_gap() : 0.0;
  s.optimality.proven_optimal = b.optimal();
  s.optimality.shortfall = b.shortfall;
  s.optimality.shortfall_bound = b.shortfall_bound;
  s.optimality.side_groups = b.side_groups;
  s.optimality.solves = b.solves;
  s.optimality.branch_nodes = b.nodes;
  s.seconds.matcher_index = Seconds(t0, t1);
  s.seconds.candidate_graph = Seconds(t1, t2);
  s.seconds.solve_and_certify = Seconds(t2, t3);

  if (params.keep_state) {
    // The pairs move out of the problem (nothing reads it from here on) and the openings'
    // fingerprints not computed yet (a cold run's) are taken in parallel.
    const auto t4 = std::chrono::steady_clock::now();
    BatchStateSource source;
    source.inputs = *inputs;
    source.participants = std::move(people);
    source.mode = params.mode;
    source.solver = params.solver;
    source.opening_ids = graph.opening_ids;
    source.opening_counts = std::move(graph.opening_counts);
    source.opening_fingerprints.resize(problem.num_openings);
    tbb::parallel_for(std::uint32_t{0}, problem.num_openings,
                      [&](std::uint32_t r) { source.opening_fingerprints[r] = fingerprint(graph.opening_index[r]); });
    source.offsets = std::move(graph.problem.offsets);
    source.targets = std::move(graph.problem.targets);
    source.weights = std::move(graph.problem.weights);
    source.opening_of = result.opening_of;
    if (result.participant_price.size() == problem.num_participants &&
        result.in_quota_class.size() == problem.num_participants) {
      source.participant_price = result.participant_price;
      source.in_quota_class = result.in_quota_class;
    }
    for (std::size_t g = 0; g < result.multipliers.size() && g < problem.quotas.size(); ++g)
      if (result.multipliers[g] > 0)
        source.multipliers.push_back({data.contracts.at(problem.quotas[g].contract_index).id,
                                      problem.quotas[g].public_bit, result.multipliers[g]});
    report.state_source = std::move(source);
    s.seconds.state = Seconds(t4, std::chrono::steady_clock::now());
  }
  return report;
}

std::string ExplainQuota(const QuotaLine& q) {
  std::string label = q.public_code;
  for (const auto& info : model::AllCriteria())
    if (info.code == q.public_code) label = std::string(info.label);
  auto people = [](std::int32_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n > 1 ? many : one);
  };
  std::string text = "Marché " + q.reference + " : au moins " + people(q.required, "poste", "postes") +
                     " pour le public « " + label + " », " + std::to_string(q.achieved) + " pourvu" +
                     (q.achieved > 1 ? "s" : "");
  if (q.shortfall <= 0) return text + ", quota atteint.";
  text += ", il en manque " + std::to_string(q.shortfall) + ". ";
  text += people(q.public_candidates, "personne de ce public est éligible", "personnes de ce public sont éligibles") +
          " et à portée des postes du marché";
  if (q.public_candidates > 0) {
    text += " : " + std::to_string(q.achieved) + " y " + (q.achieved > 1 ? "sont proposées" : "est proposée") + ", " +
            std::to_string(q.taken_by_other_quotas) + " " +
            (q.taken_by_other_quotas > 1 ? "sont retenues" : "est retenue") + " par le quota d'un autre marché, " +
            std::to_string(q.taken_elsewhere) + " " + (q.taken_elsewhere > 1 ? "sont proposées" : "est proposée") +
            " ailleurs";
  }
  text += " ; " + people(q.positions_left, "poste reste libre", "postes restent libres") + " sur " +
          std::to_string(q.positions) + ".";
  return text;
}

PreviousRun ReadPreviousRun(const std::string& dir) {
  PreviousRun run;
  const std::string path = (std::filesystem::path(dir) / kBatchStateFile).string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    run.unreadable = "no " + std::string(kBatchStateFile) + " in " + dir;
    return run;
  }
  try {
    run.state = LoadBatchState(path);
  } catch (const std::exception& e) {
    run.unreadable = e.what();
  }
  return run;
}

model::Dataset RestrictToContracts(model::Dataset data, const std::vector<model::ContractId>& contracts) {
  const std::unordered_set<model::ContractId> keep(contracts.begin(), contracts.end());
  std::erase_if(data.contracts, [&](const model::Contract& c) { return !keep.count(c.id); });
  std::erase_if(data.openings, [&](const model::Opening& o) { return !keep.count(o.contract); });
  data.Index();
  return data;
}

}  // namespace clausematch::service
