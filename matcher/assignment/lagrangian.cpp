#include "matcher/assignment/lagrangian.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

bool HasPublic(const AssignmentProblem& p, std::uint32_t participant, std::uint32_t bit) {
  return !p.participant_publics.empty() && ((p.participant_publics[participant] >> bit) & 1u) != 0;
}

// Groups (with a minimum) naming each opening, as a CSR.
struct GroupsAt {
  std::vector<std::uint32_t> offsets, groups;
  GroupsAt(const AssignmentProblem& p, const std::vector<std::uint32_t>& which) {
    offsets.assign(p.num_openings + 1, 0);
    for (auto g : which)
      for (auto o : p.quotas[g].openings) ++offsets[o + 1];
    for (std::uint32_t o = 0; o < p.num_openings; ++o) offsets[o + 1] += offsets[o];
    groups.resize(offsets.back());
    std::vector<std::uint32_t> at(offsets.begin(), offsets.end() - 1);
    for (std::uint32_t s = 0; s < which.size(); ++s)
      for (auto o : p.quotas[which[s]].openings) groups[at[o]++] = s;
  }
};

Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Int128 CeilDiv(Int128 a, Int128 b) { return -FloorDiv(-a, b); }

struct Side {
  std::uint32_t group = 0;  // index into problem.quotas
  std::int64_t need = 0;    // L'_G: the minimum left after fixed pairs
  std::int64_t lambda = 0;  // multiplier, in [0, Q]
  std::int64_t lo = -1;     // a multiplier known to leave the group short (-1: none)
  std::int64_t hi = -1;     // a multiplier known to over-serve it (-1: none)
  bool settled = false;     // bracket narrowed to its width: stays at hi while met
  bool hopeless = false;    // cannot be met: stays at Q
};

}  // namespace

ObjectiveValue EvaluateObjective(const AssignmentProblem& p, const CompiledAssignment& c,
                                 const std::vector<std::uint32_t>& opening_of) {
  ObjectiveValue out;
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    const auto o = opening_of[i];
    if (o == kNone) continue;
    std::int32_t best = 0;
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
      if (p.targets[e] == o) best = std::max(best, p.weights[e]);
    out.objective += Int128{best} + c.fill_bonus;
  }
  std::vector<std::int64_t> achieved(p.quotas.size(), 0);
  std::vector<std::uint32_t> all(p.quotas.size());
  for (std::uint32_t g = 0; g < all.size(); ++g) all[g] = g;
  const GroupsAt at(p, all);
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    const auto o = opening_of[i];
    if (o == kNone) continue;
    for (auto k = at.offsets[o]; k < at.offsets[o + 1]; ++k)
      if (HasPublic(p, i, p.quotas[at.groups[k]].public_bit)) ++achieved[at.groups[k]];
  }
  for (std::size_t g = 0; g < p.quotas.size(); ++g)
    out.shortfall += std::max<std::int64_t>(0, p.quotas[g].min_count - achieved[g]);
  out.objective -= Int128{c.quota_bonus} * out.shortfall;
  return out;
}

LagrangianOutcome SolveLagrangian(const AssignmentProblem& p, const AssignmentOptions& options, CompiledAssignment& c) {
  LagrangianOutcome out;
  auto& t = c.transport;
  const std::int64_t Q = c.quota_bonus;
  const std::uint32_t S = static_cast<std::uint32_t>(c.side_groups.size());
  out.bound.method = "lagrangian";
  out.bound.side_groups = S;
  const GroupsAt side_at(p, c.side_groups);

  // Fixed pairs: their gains are constant, and they use up part of every minimum.
  std::vector<std::uint32_t> fixed_opening(p.num_participants, kNone);
  for (const auto& f : options.fixed) fixed_opening[f.participant] = f.opening;
  const auto fixed_part = EvaluateObjective(p, c, fixed_opening);
  const Int128 fixed_gain = fixed_part.objective + Int128{Q} * fixed_part.shortfall;
  auto fixed_public = [&](const QuotaGroup& g) {
    std::vector<char> in(p.num_openings, 0);
    for (auto o : g.openings) in[o] = 1;
    std::int64_t n = 0;
    for (const auto& f : options.fixed)
      if (in[f.opening] && HasPublic(p, f.participant, g.public_bit)) ++n;
    return n;
  };
  // The network groups' share of the bound: Q times what each still asks after fixed pairs.
  Int128 network_need = 0;
  for (std::uint32_t o = 0; o < p.num_openings; ++o)
    if (c.quota_group[o] >= 0) {
      const auto& g = p.quotas[static_cast<std::size_t>(c.quota_group[o])];
      network_need += std::max<std::int64_t>(0, g.min_count - fixed_public(g));
    }

  // Side groups; one that cannot be met (fewer positions or public candidates than its minimum)
  // starts, and stays, at Q.
  std::vector<Side> side(S);
  std::vector<std::int64_t> room(S, 0), people(S, 0);
  std::vector<std::uint32_t> last(S, kNone);
  for (std::uint32_t k = 0; k < t.num_left; ++k) {
    const auto i = c.left_participant[k];
    for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
      const auto o = c.right_opening[t.targets[e]];
      for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r) {
        const auto s = side_at.groups[r];
        if (last[s] != k && HasPublic(p, i, p.quotas[c.side_groups[s]].public_bit)) {
          last[s] = k;
          ++people[s];
        }
      }
    }
  }
  for (std::uint32_t s = 0; s < S; ++s) {
    const auto& g = p.quotas[c.side_groups[s]];
    side[s].group = c.side_groups[s];
    side[s].need = std::max<std::int64_t>(0, g.min_count - fixed_public(g));
    for (auto o : g.openings) room[s] += t.capacity[c.free_node[o]];
    if (side[s].need > std::min(room[s], people[s])) {
      side[s].hopeless = true;
      side[s].lambda = Q;
    }
  }

  // The edges whose gains carry multipliers: per side opening, (edge, left node).
  struct SideEdge {
    std::uint64_t edge;
    std::uint32_t left;
  };
  std::vector<std::uint64_t> edge_offsets(p.num_openings + 1, 0);
  for (std::uint32_t k = 0; k < t.num_left; ++k)
    for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
      const auto o = c.right_opening[t.targets[e]];
      if (side_at.offsets[o] != side_at.offsets[o + 1]) ++edge_offsets[o + 1];
    }
  for (std::uint32_t o = 0; o < p.num_openings; ++o) edge_offsets[o + 1] += edge_offsets[o];
  std::vector<SideEdge> side_edges(edge_offsets.back());
  {
    std::vector<std::uint64_t> at(edge_offsets.begin(), edge_offsets.end() - 1);
    for (std::uint32_t k = 0; k < t.num_left; ++k)
      for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
        const auto o = c.right_opening[t.targets[e]];
        if (side_at.offsets[o] != side_at.offsets[o + 1]) side_edges[at[o]++] = {e, k};
      }
  }
  // Gains carry `applied` (the multipliers last written); Apply moves them to side[s].lambda.
  std::vector<std::int64_t> applied(S, 0);
  auto apply = [&](std::vector<std::uint32_t>& changed_right) {
    changed_right.clear();
    std::vector<char> moved(S, 0);
    bool any = false;
    for (std::uint32_t s = 0; s < S; ++s)
      if (side[s].lambda != applied[s]) moved[s] = any = 1;
    if (!any) return;
    for (std::uint32_t o = 0; o < p.num_openings; ++o) {
      bool touched = false;
      for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r) touched |= moved[side_at.groups[r]] != 0;
      if (!touched) continue;
      changed_right.push_back(c.free_node[o]);
      for (auto k = edge_offsets[o]; k < edge_offsets[o + 1]; ++k) {
        const auto i = c.left_participant[side_edges[k].left];
        std::int64_t delta = 0;
        for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r) {
          const auto s = side_at.groups[r];
          if (moved[s] && HasPublic(p, i, p.quotas[side[s].group].public_bit)) delta += side[s].lambda - applied[s];
        }
        t.values[side_edges[k].edge] += delta;
      }
    }
    for (std::uint32_t s = 0; s < S; ++s) applied[s] = side[s].lambda;
  };

  // Range: every gain plus the multipliers it can carry.
  std::uint32_t most = 0;
  for (std::uint32_t o = 0; o < p.num_openings; ++o) most = std::max(most, side_at.offsets[o + 1] - side_at.offsets[o]);
  std::int64_t max_value = 0;
  for (auto v : t.values) max_value = std::max(max_value, v < 0 ? -v : v);
  const Int128 widest = Int128{max_value} + Int128{most} * Q;
  if (widest > (Int128{1} << 62)) {
    out.solution.status = Status::kBadCostRange;
    out.solution.message = "quota multipliers would exceed 2^62; solve in score mode or with fewer quotas";
    return out;
  }
  const bool exact = options.solver != SolverKind::kGreedy;
  const bool incremental =
      options.solver == SolverKind::kOurs && PathResolver::Supports(t, static_cast<std::int64_t>(widest));
  PathResolver resolver(t);
  auto generic = MakeSolver(options.solver, options.auction);
  const std::uint32_t max_solves = incremental ? 80 : 30;

  // Search.
  std::vector<std::uint32_t> changed;
  apply(changed);
  bool have_best = false, have_bound = false;
  Int128 best_f = 0, best_ub = 0;
  std::int64_t best_shortfall = 0;
  std::vector<std::int64_t> best_lambda, bound_lambda;
  TransportSolution best_solution, bound_solution;
  std::vector<std::uint32_t> opening_of(p.num_participants, kNone);
  std::vector<std::int64_t> achieved(S, 0);
  const std::int64_t start = std::max<std::int64_t>(1, kWeightScale / 16);
  bool complementary = false;
  std::uint32_t solves = 0;
  while (solves < max_solves) {
    TransportSolution sol = incremental ? resolver.Solve(changed) : generic->Solve(t, nullptr);
    ++solves;
    if (sol.status == Status::kBadCostRange || sol.status == Status::kBadInput) {
      out.solution = std::move(sol);
      return out;
    }
    // The assignment, its F, and the relaxed bound.
    opening_of = fixed_opening;
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto e = sol.assigned_edge[k];
      if (e != kNoEdge) opening_of[c.left_participant[k]] = c.right_opening[t.targets[e]];
    }
    const auto f = EvaluateObjective(p, c, opening_of);
    std::fill(achieved.begin(), achieved.end(), 0);
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto e = sol.assigned_edge[k];
      if (e == kNoEdge) continue;
      const auto i = c.left_participant[k];
      const auto o = c.right_opening[t.targets[e]];
      for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r)
        if (HasPublic(p, i, p.quotas[side[side_at.groups[r]].group].public_bit)) ++achieved[side_at.groups[r]];
    }
    Int128 ub = sol.value + fixed_gain - Int128{Q} * network_need;
    for (std::uint32_t s = 0; s < S; ++s) ub -= Int128{side[s].lambda} * side[s].need;
    if (!have_best || f.objective > best_f) {
      have_best = true;
      best_f = f.objective;
      best_shortfall = f.shortfall;
      best_lambda = applied;
      best_solution = sol;
    }
    if (!have_bound || ub < best_ub) {
      have_bound = true;
      best_ub = ub;
      bound_lambda = applied;
      bound_solution = sol;
    }
    if (exact && best_ub <= best_f) break;
    // Complementary slackness, else move the multipliers.
    complementary = true;
    for (std::uint32_t s = 0; s < S; ++s) {
      auto& g = side[s];
      if (g.hopeless) continue;
      const std::int64_t a = achieved[s];
      if (a < g.need) {
        if (g.lambda >= Q) continue;
        complementary = false;
        g.settled = false;
        g.lo = g.lambda;
        if (g.hi >= 0 && g.hi <= g.lo) g.hi = -1;  // the bracket no longer holds: reopen it
      } else if (a > g.need && g.lambda > 0) {
        if (g.settled) continue;
        complementary = false;
        g.hi = g.lambda;
        if (g.lo >= g.hi) g.lo = -1;
      } else {
        continue;  // slack and multiplier agree
      }
      const std::int64_t lo = std::max<std::int64_t>(0, g.lo);
      if (g.hi < 0) {
        g.lambda = g.lambda == 0 ? start : static_cast<std::int64_t>(std::min<Int128>(Q, Int128{g.lambda} * 8));
      } else if (g.hi - lo <= std::max<std::int64_t>(1, g.hi >> 24)) {
        g.lambda = g.hi;  // narrow enough: keep the over-serving end
        g.settled = true;
      } else if (g.hi > 4 * std::max<std::int64_t>(1, lo)) {
        g.lambda = static_cast<std::int64_t>(
            std::sqrt(static_cast<long double>(std::max<std::int64_t>(1, lo)) * static_cast<long double>(g.hi)));
      } else {
        g.lambda = lo + (g.hi - lo) / 2;
      }
      g.lambda = std::clamp<std::int64_t>(g.lambda, 0, Q);
    }
    if (complementary) break;
    apply(changed);
    if (changed.empty()) break;
  }

  // The returned assignment: the best F, with its gains restored for the certificate.
  auto restore = [&](const std::vector<std::int64_t>& lambda) {
    for (std::uint32_t s = 0; s < S; ++s) side[s].lambda = lambda[s];
    apply(changed);
  };
  if (exact) {
    restore(bound_lambda);
    const auto cert = CheckCertificate(t, bound_solution);
    if (cert.feasible && cert.scale > 0) {
      Int128 ub = FloorDiv(-cert.scaled_dual_bound, cert.scale) + fixed_gain - Int128{Q} * network_need;
      for (std::uint32_t s = 0; s < S; ++s) ub -= Int128{side[s].lambda} * side[s].need;
      out.bound.bound = ub;
      out.bound.proven = true;
    }
  }
  restore(best_lambda);
  out.certificate = CheckCertificate(t, best_solution);
  out.solution = std::move(best_solution);
  out.bound.objective = best_f;
  out.bound.shortfall = best_shortfall;
  out.bound.solves = solves;
  if (out.bound.proven) {
    // F* = g* - Q S* <= UB with g* >= the fixed pairs' gain: S* >= (fixed gain - UB) / Q.
    out.bound.shortfall_bound =
        static_cast<std::int64_t>(std::max<Int128>(0, CeilDiv(fixed_gain - out.bound.bound, Int128{Q})));
    out.bound.shortfall_bound = std::min(out.bound.shortfall_bound, best_shortfall);
  }
  return out;
}

}  // namespace clausematch::matcher::assignment
