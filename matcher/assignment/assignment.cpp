#include "matcher/assignment/assignment.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <string>
#include <vector>

#include "matcher/assignment/reference_solvers.hpp"

namespace clausematch::matcher::assignment {

std::unique_ptr<TransportSolver> MakeSolver(SolverKind kind, AuctionOptions options) {
  switch (kind) {
    case SolverKind::kOurs:
      return std::make_unique<PathSolver>(options);
    case SolverKind::kAuction:
      return std::make_unique<AuctionSolver>(options);
    case SolverKind::kBoost:
      return std::make_unique<BoostSspSolver>();
    case SolverKind::kGreedy:
      return std::make_unique<GreedySolver>();
  }
  return nullptr;
}

std::optional<SolverKind> ParseSolverKind(std::string_view name) {
  if (name == "ours") return SolverKind::kOurs;
  if (name == "auction") return SolverKind::kAuction;
  if (name == "boost") return SolverKind::kBoost;
  if (name == "greedy") return SolverKind::kGreedy;
  return std::nullopt;
}

std::optional<ObjectiveMode> ParseObjectiveMode(std::string_view name) {
  if (name == "fill-then-score") return ObjectiveMode::kFillThenScore;
  if (name == "score") return ObjectiveMode::kScore;
  return std::nullopt;
}

namespace {

bool HasPublic(const AssignmentProblem& p, std::uint32_t participant, std::uint32_t bit) {
  return !p.participant_publics.empty() && ((p.participant_publics[participant] >> bit) & 1u) != 0;
}

// Per-opening shares of a group's minimum, in proportion to positions (largest remainder).
std::vector<std::int32_t> SplitShares(const AssignmentProblem& p, const QuotaGroup& q) {
  std::vector<std::int32_t> share(q.openings.size(), 0);
  std::int64_t total = 0;
  for (auto o : q.openings) total += p.positions[o];
  if (q.openings.size() == 1 || total == 0) {
    if (!share.empty()) share[0] = q.min_count;
    return share;
  }
  std::vector<std::pair<std::int64_t, std::size_t>> remainder;
  std::int64_t given = 0;
  for (std::size_t k = 0; k < q.openings.size(); ++k) {
    const std::int64_t exact = std::int64_t{q.min_count} * p.positions[q.openings[k]];
    share[k] = static_cast<std::int32_t>(exact / total);
    given += share[k];
    remainder.emplace_back(exact % total, k);
  }
  std::stable_sort(remainder.begin(), remainder.end(), [](auto a, auto b) { return a.first > b.first; });
  for (std::size_t r = 0; given < q.min_count && r < remainder.size(); ++r, ++given) ++share[remainder[r].second];
  return share;
}

}  // namespace

CompiledAssignment Compile(const AssignmentProblem& p, const AssignmentOptions& options) {
  CompiledAssignment c;
  auto fail = [&c](Status status, std::string message) {
    c.status = status;
    c.message = std::move(message);
    return c;
  };
  if (auto defect = CheckWellFormed(p); !defect.empty()) return fail(Status::kBadInput, defect);
  const std::uint32_t P = p.num_participants;
  const std::uint32_t O = p.num_openings;
  // Gains: M and Q in 128 bits, then the range check.
  const Int128 w = kWeightScale;
  const bool has_quota = std::any_of(p.quotas.begin(), p.quotas.end(), [](const auto& q) { return q.min_count > 0; });
  const Int128 m = options.mode == ObjectiveMode::kFillThenScore ? Int128{P} * w + 1 : 0;
  const Int128 q = has_quota ? Int128{P} * (w + m) + 1 : 0;
  if (w + m + q > (Int128{1} << 62))
    return fail(Status::kBadCostRange, "quota and fill bonuses for " + std::to_string(P) +
                                           " participants exceed 2^62; solve in score mode or without quotas");
  c.fill_bonus = static_cast<std::int64_t>(m);
  c.quota_bonus = static_cast<std::int64_t>(q);
  // Quota shares per opening.
  c.quota_share.assign(O, 0);
  std::vector<std::int32_t> group_of(O, -1);
  for (std::size_t g = 0; g < p.quotas.size(); ++g) {
    const auto& group = p.quotas[g];
    const auto shares = SplitShares(p, group);
    for (std::size_t k = 0; k < group.openings.size(); ++k) {
      const auto o = group.openings[k];
      if (group_of[o] >= 0) continue;  // one quota class per opening: the first group that names it
      group_of[o] = static_cast<std::int32_t>(g);
      c.quota_share[o] = std::min(shares[k], p.positions[o]);
    }
  }
  // Fixed pairs.
  std::vector<std::int32_t> remaining(p.positions);
  std::vector<std::int32_t> quota_left(c.quota_share);
  std::vector<char> fixed(P, 0);
  for (const auto& f : options.fixed) {
    if (f.participant >= P || f.opening >= O) return fail(Status::kBadInput, "fixed pair out of range");
    if (fixed[f.participant])
      return fail(Status::kBadInput, "participant " + std::to_string(f.participant) + " fixed twice");
    bool candidate = false;
    for (auto e = p.offsets[f.participant]; e < p.offsets[f.participant + 1]; ++e)
      candidate |= p.targets[e] == f.opening;
    if (!candidate) return fail(Status::kBadInput, "fixed pair is not a candidate edge");
    if (remaining[f.opening] == 0) return fail(Status::kBadInput, "more fixed pairs than positions at an opening");
    fixed[f.participant] = 1;
    --remaining[f.opening];
    const auto g = group_of[f.opening];
    if (g >= 0 && quota_left[f.opening] > 0 &&
        HasPublic(p, f.participant, p.quotas[static_cast<std::size_t>(g)].public_bit))
      --quota_left[f.opening];
  }
  // Right nodes: one free class per opening, then one quota class per opening with a share.
  auto& t = c.transport;
  c.free_node.assign(O, kNone);
  c.quota_node.assign(O, kNone);
  for (std::uint32_t o = 0; o < O; ++o) {
    quota_left[o] = std::min(quota_left[o], remaining[o]);
    c.free_node[o] = static_cast<std::uint32_t>(t.capacity.size());
    t.capacity.push_back(remaining[o] - quota_left[o]);
    c.right_opening.push_back(o);
  }
  for (std::uint32_t o = 0; o < O; ++o) {
    if (quota_left[o] == 0) continue;
    c.quota_node[o] = static_cast<std::uint32_t>(t.capacity.size());
    t.capacity.push_back(quota_left[o]);
    c.right_opening.push_back(o);
  }
  t.num_right = static_cast<std::uint32_t>(t.capacity.size());
  // Left nodes and edges.
  t.offsets.push_back(0);
  for (std::uint32_t i = 0; i < P; ++i) {
    if (fixed[i]) continue;
    c.left_participant.push_back(i);
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      const auto o = p.targets[e];
      const std::int64_t gain = p.weights[e] + c.fill_bonus;
      if (t.capacity[c.free_node[o]] > 0) {
        t.targets.push_back(c.free_node[o]);
        t.values.push_back(gain);
      }
      if (c.quota_node[o] != kNone) {
        const bool pub = HasPublic(p, i, p.quotas[static_cast<std::size_t>(group_of[o])].public_bit);
        t.targets.push_back(c.quota_node[o]);
        t.values.push_back(gain + (pub ? c.quota_bonus : 0));
      }
    }
    t.offsets.push_back(t.targets.size());
  }
  t.num_left = static_cast<std::uint32_t>(c.left_participant.size());
  return c;
}

AssignmentResult SolveAssignment(const AssignmentProblem& p, const AssignmentOptions& options,
                                 const AssignmentResult* warm) {
  const auto start = std::chrono::steady_clock::now();
  AssignmentResult r;
  CompiledAssignment c = Compile(p, options);
  if (c.status != Status::kOptimal) {
    r.status = c.status;
    r.message = c.message;
    return r;
  }
  WarmStart ws;
  const WarmStart* warm_ptr = nullptr;
  if (warm != nullptr && options.solver == SolverKind::kOurs && !warm->participant_price.empty()) {
    // Previous pairs (in the class they held) and prices, per left node of the new problem.
    ws.left_right.assign(c.transport.num_left, kNone);
    ws.left_price.assign(c.transport.num_left, 0);
    for (std::uint32_t k = 0; k < c.transport.num_left; ++k) {
      const auto i = c.left_participant[k];
      if (i >= warm->opening_of.size() || warm->opening_of[i] == kNone || warm->opening_of[i] >= p.num_openings)
        continue;
      const auto o = warm->opening_of[i];
      const bool quota = i < warm->in_quota_class.size() && warm->in_quota_class[i] != 0;
      ws.left_right[k] = quota && c.quota_node[o] != kNone ? c.quota_node[o] : c.free_node[o];
      ws.left_price[k] = i < warm->participant_price.size() ? warm->participant_price[i] : 0;
    }
    warm_ptr = &ws;
  } else if (warm != nullptr && warm->price_scale > 0 && options.solver == SolverKind::kAuction) {
    Int128 floor = warm->unassigned_price;
    for (auto price : warm->free_price) floor = std::min(floor, price);
    ws.scale = warm->price_scale;
    ws.unassigned_price = warm->unassigned_price;
    ws.right_price.assign(c.transport.num_right, floor);
    for (std::uint32_t o = 0; o < p.num_openings; ++o) {
      if (o < warm->free_price.size()) ws.right_price[c.free_node[o]] = warm->free_price[o];
      if (c.quota_node[o] != kNone && o < warm->quota_price.size() && warm->quota_price[o] != 0)
        ws.right_price[c.quota_node[o]] = warm->quota_price[o];
    }
    warm_ptr = &ws;
  }
  auto solver = MakeSolver(options.solver, options.auction);
  r.transport = solver->Solve(c.transport, warm_ptr);
  r.status = r.transport.status;
  r.message = r.transport.message;
  if (r.status == Status::kBadCostRange || r.status == Status::kBadInput) return r;
  r.certificate = CheckCertificate(c.transport, r.transport);
  // Decode.
  r.opening_of.assign(p.num_participants, kNone);
  for (const auto& f : options.fixed) r.opening_of[f.participant] = f.opening;
  for (std::uint32_t i = 0; i < c.transport.num_left; ++i) {
    const auto e = r.transport.assigned_edge[i];
    if (e != kNoEdge) r.opening_of[c.left_participant[i]] = c.right_opening[c.transport.targets[e]];
  }
  // Weights from the original edges (a participant has at most one edge per opening that counts:
  // take the best, as the solver would).
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    const auto o = r.opening_of[i];
    if (o == kNone) continue;
    std::int32_t best = -1;
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
      if (p.targets[e] == o) best = std::max(best, p.weights[e]);
    r.total_weight += best;
    ++r.filled;
  }
  for (std::size_t g = 0; g < p.quotas.size(); ++g) {
    const auto& group = p.quotas[g];
    QuotaReport q;
    q.group = static_cast<std::uint32_t>(g);
    q.contract_index = group.contract_index;
    q.required = group.min_count;
    std::vector<char> in_group(p.num_openings, 0);
    for (auto o : group.openings) in_group[o] = 1;
    for (std::uint32_t i = 0; i < p.num_participants; ++i)
      if (r.opening_of[i] != kNone && in_group[r.opening_of[i]] && HasPublic(p, i, group.public_bit)) ++q.achieved;
    q.shortfall = std::max(0, q.required - q.achieved);
    if (q.shortfall > 0 && r.status == Status::kOptimal) {
      r.status = Status::kInfeasible;
      r.message = "quota of group " + std::to_string(g) + " short by " + std::to_string(q.shortfall);
    }
    r.quotas.push_back(q);
  }
  if (r.transport.scale == 1 && r.transport.left_potential.size() == c.transport.num_left) {
    r.participant_price.assign(p.num_participants, 0);
    r.in_quota_class.assign(p.num_participants, 0);
    for (std::uint32_t k = 0; k < c.transport.num_left; ++k) {
      const auto i = c.left_participant[k];
      r.participant_price[i] = static_cast<std::int64_t>(r.transport.left_potential[k]);
      const auto e = r.transport.assigned_edge[k];
      if (e != kNoEdge) {
        const auto j = c.transport.targets[e];
        r.in_quota_class[i] = c.quota_node[c.right_opening[j]] == j ? 1 : 0;
      }
    }
  }
  if (!r.transport.right_price.empty()) {
    r.price_scale = r.transport.scale;
    r.unassigned_price = r.transport.unassigned_price;
    r.free_price.assign(p.num_openings, 0);
    r.quota_price.assign(p.num_openings, 0);
    for (std::uint32_t o = 0; o < p.num_openings; ++o) {
      r.free_price[o] = r.transport.right_price[c.free_node[o]];
      if (c.quota_node[o] != kNone) r.quota_price[o] = r.transport.right_price[c.quota_node[o]];
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace clausematch::matcher::assignment
