#include "matcher/assignment/lagrangian.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "matcher/assignment/huge_pages.hpp"

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

// EvaluateObjective kept up to date across solves: only the participants whose opening changed
// since the last call are read again (their best weight at the new opening, their public counts).
// Each search solve changes a few hundred pairs of a regional batch's 40,000; evaluating all of
// them again (each placed participant's whole row) was a sixth of its quota solve.
class IncrementalObjective {
 public:
  // `fixed_opening`: the fixed pairs (opening per participant, kNone when not fixed), counted once.
  IncrementalObjective(const AssignmentProblem& p, const CompiledAssignment& c, const PairView& v,
                       const std::vector<std::uint32_t>& fixed_opening)
      : p_(p), c_(c), v_(v), fill_(c.fill_bonus), quota_(c.quota_bonus), at_(p, AllGroups(p)) {
    opening_.assign(p.num_participants, kNone);
    weight_.assign(p.num_participants, 0);
    achieved_.assign(p.quotas.size(), 0);
    for (std::uint32_t i = 0; i < p.num_participants; ++i)
      if (fixed_opening[i] != kNone) {
        opening_[i] = fixed_opening[i];
        Count(i, 1);
      }
    fixed_achieved_ = achieved_;
  }

  // F of a solve's assignment (fixed pairs included): only the left nodes whose opening changed
  // are read again. One pass over the left nodes (decoding the assignment into a vector first,
  // then comparing it with the last one and counting the groups in a third pass, took 0.29 s of a
  // regional batch's 43 solves at load 5).
  ObjectiveValue Update(const TransportSolution& sol) {
    const auto& t = c_.transport;
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto i = c_.left_participant[k];
      const auto e = sol.assigned_edge[k];
      const auto o = e == kNoEdge ? kNone : c_.right_opening[t.targets[e]];
      if (o == opening_[i]) continue;
      if (opening_[i] != kNone) Count(i, -1);
      opening_[i] = o;
      if (o != kNone) Count(i, 1);
    }
    ObjectiveValue out;
    for (std::size_t g = 0; g < p_.quotas.size(); ++g)
      out.shortfall += std::max<std::int64_t>(0, p_.quotas[g].min_count - achieved_[g]);
    out.objective = gain_ - Int128{quota_} * out.shortfall;
    return out;
  }

  // The assignment last given to Update (with the fixed pairs), per participant.
  [[nodiscard]] const std::vector<std::uint32_t>& opening() const { return opening_; }
  // Public people placed at group g's openings (problem.quotas index), fixed pairs left out.
  [[nodiscard]] std::int64_t Achieved(std::uint32_t g) const { return achieved_[g] - fixed_achieved_[g]; }

 private:
  static std::vector<std::uint32_t> AllGroups(const AssignmentProblem& p) {
    std::vector<std::uint32_t> all(p.quotas.size());
    for (std::uint32_t g = 0; g < all.size(); ++g) all[g] = g;
    return all;
  }
  // Adds (sign 1) or removes (-1) participant i at opening_[i].
  void Count(std::uint32_t i, std::int64_t sign) {
    const auto o = opening_[i];
    if (sign > 0) {
      std::int32_t best = 0;
      ForEachPair(p_, c_, v_, i, [&](std::uint32_t to, std::int32_t w) {
        if (to == o) best = std::max(best, w);
      });
      weight_[i] = best;
    }
    gain_ += Int128{sign} * (Int128{weight_[i]} + fill_);
    for (auto k = at_.offsets[o]; k < at_.offsets[o + 1]; ++k)
      if (HasPublic(p_, i, p_.quotas[at_.groups[k]].public_bit)) achieved_[at_.groups[k]] += sign;
  }

  const AssignmentProblem& p_;
  const CompiledAssignment& c_;
  const PairView& v_;
  const std::int64_t fill_, quota_;
  const GroupsAt at_;
  std::vector<std::uint32_t> opening_;
  std::vector<std::int32_t> weight_;
  std::vector<std::int64_t> achieved_, fixed_achieved_;
  Int128 gain_ = 0;
};

Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Int128 CeilDiv(Int128 a, Int128 b) { return -FloorDiv(-a, b); }

struct Side {
  std::uint32_t group = 0;   // index into problem.quotas
  std::int64_t need = 0;     // L'_G: the minimum left after fixed pairs
  std::int64_t lambda = 0;   // multiplier, in [0, Q]
  std::int64_t lo = -1;      // a multiplier known to leave the group short (-1: none)
  std::int64_t hi = -1;      // a multiplier known to over-serve it (-1: none)
  bool settled = false;      // bracket narrowed to its width: stays at hi while met
  std::uint32_t probes = 0;  // moves read off the reduced costs since the last bisection (Estimate)
  bool hopeless = false;     // cannot be met: stays at Q
};

}  // namespace

ObjectiveValue EvaluateObjective(const AssignmentProblem& p, const CompiledAssignment& c, const PairView& v,
                                 const std::vector<std::uint32_t>& opening_of) {
  ObjectiveValue out;
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    const auto o = opening_of[i];
    if (o == kNone) continue;
    std::int32_t best = 0;
    ForEachPair(p, c, v, i, [&](std::uint32_t to, std::int32_t w) {
      if (to == o) best = std::max(best, w);
    });
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

LagrangianOutcome SolveLagrangian(const AssignmentProblem& p, const AssignmentOptions& options, CompiledAssignment& c,
                                  const PairView& pairs, const WarmStart* warm) {
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
  const auto fixed_part = EvaluateObjective(p, c, pairs, fixed_opening);
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

  // Range: every gain plus the multipliers it can carry, plus the exact step's branch shift.
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
  // Branch shift (the exact step below): a forbidden pair's gain loses `big`, a fixed pair's gains
  // `big`; 2 (P + 2) widest makes a fixed pair part of every relaxed optimum that can hold it
  // (no rearrangement of the others gains that much), capped so that the gains stay within 2^60.
  const Int128 limit = (Int128{1} << 60) - 1;
  const Int128 big = std::min<Int128>(Int128{2} * (Int128{p.num_participants} + 2) * widest, limit - widest);
  const bool can_branch = options.exact_step && big > Int128{2} * widest;
  const std::int64_t shift = can_branch ? static_cast<std::int64_t>(big) : 0;
  const Int128 reach = widest + shift;
  const bool exact = options.solver != SolverKind::kGreedy;
  const bool incremental =
      options.solver == SolverKind::kOurs && PathResolver::Supports(t, static_cast<std::int64_t>(reach));
  PathResolver resolver(t);
  auto generic = MakeSolver(options.solver, options.auction);
  const std::uint32_t max_solves = incremental ? 80 : 30;
  std::uint32_t budget_now = max_solves;  // what AssignmentOptions::progress reports

  // Side groups; one that cannot be met (fewer positions or public candidates than its minimum)
  // starts, and stays, at Q.
  std::vector<Side> side(S);
  std::vector<std::int64_t> room(S, 0), people(S, 0);
  // Per opening, the publics its side groups count (bit b: some side group naming it counts public
  // b): an edge whose participant holds none of them never carries a multiplier.
  std::vector<std::uint32_t> side_publics(p.num_openings, 0);
  for (std::uint32_t o = 0; o < p.num_openings; ++o)
    for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r)
      side_publics[o] |= std::uint32_t{1} << p.quotas[c.side_groups[side_at.groups[r]]].public_bit;
  const auto carries = [&](std::uint32_t i, std::uint32_t o) {
    return !p.participant_publics.empty() && (p.participant_publics[i] & side_publics[o]) != 0;
  };
  // The edges whose gains carry multipliers: per side opening, (edge, left node), 8 bytes each
  // (edge indices below 2^32, as the augmenting-path solver needs them anyway), only those of
  // participants holding one of the opening's side publics (the others' gains never move).
  if (t.num_edges() >= kNone) {
    out.solution.status = Status::kBadInput;
    out.solution.message = "side quota groups on 2^32 candidate pairs or more";
    return out;
  }
  struct SideEdge {
    std::uint32_t edge;
    std::uint32_t left;
  };
  std::vector<std::uint64_t> edge_offsets(p.num_openings + 1, 0);
  std::vector<SideEdge> side_edges;
  // The edges whose gains carry multipliers (per opening) and each group's public people: one pass
  // to count, one to fill.
  std::vector<std::uint32_t> last(S, kNone);
  for (std::uint32_t k = 0; k < t.num_left; ++k) {
    const auto i = c.left_participant[k];
    for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
      const auto o = c.right_opening[t.targets[e]];
      if (!carries(i, o)) continue;
      ++edge_offsets[o + 1];
      for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r) {
        const auto s = side_at.groups[r];
        if (last[s] != k && HasPublic(p, i, p.quotas[c.side_groups[s]].public_bit)) {
          last[s] = k;
          ++people[s];
        }
      }
    }
  }
  last = {};
  for (std::uint32_t o = 0; o < p.num_openings; ++o) edge_offsets[o + 1] += edge_offsets[o];
  // In huge pages, as the network (a first touch of a 4 kB page costs ~20 us on the machines measured).
  side_edges.reserve(edge_offsets.back());
  AdviseHugePages(side_edges.data(), edge_offsets.back() * sizeof(SideEdge));
  side_edges.resize(edge_offsets.back());
  {
    std::vector<std::uint64_t> at(edge_offsets.begin(), edge_offsets.end() - 1);
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto i = c.left_participant[k];
      for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
        const auto o = c.right_opening[t.targets[e]];
        if (carries(i, o)) side_edges[at[o]++] = {static_cast<std::uint32_t>(e), k};
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
    } else if (c.side_groups[s] < options.initial_multipliers.size()) {
      side[s].lambda = std::clamp<std::int64_t>(options.initial_multipliers[c.side_groups[s]], 0, Q);  // warm start
    }
  }

  // Gains carry `applied` (the multipliers last written); Apply moves them to side[s].lambda.
  std::vector<std::int64_t> applied(S, 0);
  // Appends the right nodes whose gains moved to `changed_right` (cleared by each solve).
  auto apply = [&](std::vector<std::uint32_t>& changed_right) {
    std::vector<char> moved(S, 0);
    bool any = false;
    for (std::uint32_t s = 0; s < S; ++s)
      if (side[s].lambda != applied[s]) {
        moved[s] = 1;
        any = true;
      }
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

  std::vector<std::uint32_t> changed;
  apply(changed);
  IncrementalObjective objective(p, c, pairs, fixed_opening);
  const std::vector<std::uint32_t>& opening_of = objective.opening();  // the last solve's
  std::vector<std::int64_t> achieved(S, 0);
  const std::int64_t start = std::max<std::int64_t>(1, kWeightScale / 16);
  std::uint32_t solves = 0;
  auto decode = [&](const TransportSolution& sol, std::vector<std::uint32_t>& into) {
    into = fixed_opening;
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto e = sol.assigned_edge[k];
      if (e != kNoEdge) into[c.left_participant[k]] = c.right_opening[t.targets[e]];
    }
  };
  auto count_achieved = [&](const TransportSolution& sol, std::vector<std::int64_t>& into) {
    std::fill(into.begin(), into.end(), 0);
    for (std::uint32_t k = 0; k < t.num_left; ++k) {
      const auto e = sol.assigned_edge[k];
      if (e == kNoEdge) continue;
      const auto i = c.left_participant[k];
      const auto o = c.right_opening[t.targets[e]];
      for (auto r = side_at.offsets[o]; r < side_at.offsets[o + 1]; ++r)
        if (HasPublic(p, i, p.quotas[side[side_at.groups[r]].group].public_bit)) ++into[side_at.groups[r]];
    }
  };

  // The next multiplier of a group that breaks complementary slackness, read off the exact duals
  // of the last solve (u_i = left potential, v_j = -right potential, reduced cost u_i + v_j - g_e
  // >= 0; the augmenting-path solver's, scale 1): short by k, the multiplier at which the k-th
  // cheapest public person outside the group's openings (reduced cost of its best edge into them)
  // strictly prefers them, lambda + rc_k + 1; over-served by k, the one at which the k-th placed
  // public person strictly prefers its best place outside them (or none), lambda - (u_i - alt_i) - 1.
  // Each ignores how the others react, so it is only a probe: the bracket search keeps the
  // guarantees. nullopt without such duals.
  std::vector<std::uint32_t> mark(t.num_left, 0), slot(t.num_left, 0);
  std::uint32_t stamp = 0;
  std::vector<char> in_side(p.num_openings, 0);
  std::vector<Int128> costs;
  auto estimate = [&](const TransportSolution& sol, std::uint32_t s, std::int64_t a) -> std::optional<std::int64_t> {
    if (sol.scale != 1 || sol.source_potential != 0 || sol.sink_potential != 0 ||
        sol.left_potential.size() != t.num_left || sol.right_potential.size() != t.num_right)
      return std::nullopt;
    const auto& g = side[s];
    const auto& group = p.quotas[g.group];
    for (auto o : group.openings) in_side[o] = 1;
    costs.clear();
    ++stamp;
    const bool short_of = a < g.need;
    for (auto o : group.openings)
      for (auto r = edge_offsets[o]; r < edge_offsets[o + 1]; ++r) {
        const auto k = side_edges[r].left;
        const auto e = side_edges[r].edge;
        const auto i = c.left_participant[k];
        if (!HasPublic(p, i, group.public_bit)) continue;
        if (short_of) {
          if (opening_of[i] != kNone && in_side[opening_of[i]]) continue;
          const Int128 rc =
              std::max<Int128>(0, sol.left_potential[k] - sol.right_potential[t.targets[e]] - t.values[e]);
          if (mark[k] != stamp) {
            mark[k] = stamp;
            slot[k] = static_cast<std::uint32_t>(costs.size());
            costs.push_back(rc);
          } else {
            costs[slot[k]] = std::min(costs[slot[k]], rc);
          }
        } else {
          if (sol.assigned_edge[k] != e) continue;
          Int128 alt = 0;  // unassigned
          for (auto f = t.offsets[k]; f < t.offsets[k + 1]; ++f)
            if (!in_side[c.right_opening[t.targets[f]]])
              alt = std::max(alt, Int128{t.values[f]} + sol.right_potential[t.targets[f]]);
          costs.push_back(std::max<Int128>(0, sol.left_potential[k] - alt));
        }
      }
    for (auto o : group.openings) in_side[o] = 0;
    const auto k = static_cast<std::size_t>(short_of ? g.need - a : a - g.need);
    if (k == 0) return std::nullopt;
    if (costs.size() < k) return short_of ? Q : 0;
    std::nth_element(costs.begin(), costs.begin() + static_cast<std::ptrdiff_t>(k - 1), costs.end());
    const Int128 next = short_of ? Int128{g.lambda} + costs[k - 1] + 1 : Int128{g.lambda} - costs[k - 1] - 1;
    return static_cast<std::int64_t>(std::clamp<Int128>(next, 0, Q));
  };

  // One multiplier search (the root, or a node of the exact step whose branch shifts are in the
  // gains: `offset` is their total, taken off every bound). Starts from the current multipliers.
  struct Search {
    bool have_best = false, have_bound = false;
    Int128 best_f = 0, best_ub = 0;
    std::int64_t best_shortfall = 0;
    std::vector<std::int64_t> best_lambda, bound_lambda;
    TransportSolution best_solution, bound_solution;
    std::uint32_t best_solve = 0, bound_solve = 0;  // which solve (the `solves` count) gave each
    bool failed = false;
  };
  TransportSolution scratch;  // a solve that improves neither the best assignment nor the bound
  TransportSolution spare;    // a solve no longer kept, whose arrays the next solve reuses
  auto search = [&](Int128 offset, std::uint32_t budget, Int128 target) {
    Search r;
    for (auto& g : side) {
      g.lo = g.hi = -1;
      g.settled = false;
      g.probes = 0;
    }
    for (std::uint32_t n = 0; n < budget; ++n) {
      std::sort(changed.begin(), changed.end());
      changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
      TransportSolution sol = std::move(spare);  // the arrays of a solve no longer kept, reused
      if (incremental)
        resolver.Solve(changed, sol, warm);  // `warm` seeds the first solve only
      else
        sol = generic->Solve(t, nullptr);
      changed.clear();
      ++solves;
      if (options.progress) options.progress(solves, budget_now);
      if (sol.status == Status::kBadCostRange || sol.status == Status::kBadInput) {
        r.failed = true;
        r.best_solution = std::move(sol);
        return r;
      }
      const auto f = objective.Update(sol);
      for (std::uint32_t s = 0; s < S; ++s) achieved[s] = objective.Achieved(side[s].group);
      Int128 ub = sol.value + fixed_gain - Int128{Q} * network_need - offset;
      for (std::uint32_t s = 0; s < S; ++s) ub -= Int128{side[s].lambda} * side[s].need;
      // The solve is kept where it improves (moved there: a copy is ~25 bytes per participant, and
      // copying it twice per solve showed in the profile); `current` is where it is now.
      const bool take_best = !r.have_best || f.objective > r.best_f;
      const bool take_bound = !r.have_bound || ub < r.best_ub;
      if (take_best) {
        r.have_best = true;
        r.best_f = f.objective;
        r.best_shortfall = f.shortfall;
        r.best_lambda = applied;
        r.best_solve = solves;
      }
      if (take_bound) {
        r.have_bound = true;
        r.best_ub = ub;
        r.bound_lambda = applied;
        r.bound_solve = solves;
      }
      TransportSolution& current = take_bound ? r.bound_solution : take_best ? r.best_solution : scratch;
      if (take_best && take_bound) r.best_solution = sol;
      std::swap(current, sol);
      spare = std::move(sol);  // what `current` held: its arrays serve the next solve
      if (exact && (r.best_ub <= r.best_f || r.best_ub <= target)) break;
      // Complementary slackness, else move the multipliers.
      bool complementary = true;
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
        // A probe read off the duals, inside what is known (every third move bisects instead, so
        // that the bracket shrinks whatever the probes do).
        const auto probe = g.probes < 2 ? estimate(current, s, a) : std::nullopt;
        const bool inside =
            probe && (g.hi < 0 ? *probe > g.lambda : *probe < g.hi && (*probe > lo || (g.lo < 0 && *probe == 0)));
        if (!inside) g.probes = 0;
        if (inside) {
          g.lambda = *probe;
          ++g.probes;
        } else if (g.hi < 0) {
          g.lambda = g.lambda == 0 ? start : static_cast<std::int64_t>(std::min<Int128>(Q, Int128{g.lambda} * 8));
        } else if (g.hi - lo <= std::max<std::int64_t>(1, g.hi >> 24) && g.lo < 0) {
          g.lambda = 0;  // narrow down to 0, never tried on this bracket: try it (met at 0 is slackness)
          g.lo = 0;
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
    return r;
  };
  auto restore = [&](const std::vector<std::int64_t>& lambda) {
    for (std::uint32_t s = 0; s < S; ++s) side[s].lambda = lambda[s];
    apply(changed);
  };
  // The bound of a search from the dual certificate of its bound solve (weak duality, any
  // potentials); nullopt when the certificate does not hold. Leaves the gains at its multipliers
  // and the check's report in `last_certificate`.
  CertificateReport last_certificate;
  auto certified_bound = [&](const Search& r, Int128 offset) -> std::optional<Int128> {
    restore(r.bound_lambda);
    last_certificate = CheckCertificate(t, r.bound_solution);
    const auto& cert = last_certificate;
    if (!cert.feasible || cert.scale <= 0) return std::nullopt;
    Int128 ub = FloorDiv(-cert.scaled_dual_bound, cert.scale) + fixed_gain - Int128{Q} * network_need - offset;
    for (std::uint32_t s = 0; s < S; ++s) ub -= Int128{side[s].lambda} * side[s].need;
    return ub;
  };

  // Processor time (std::clock), not wall time: on a loaded machine a wall-clock budget gave the
  // exact step whatever the scheduler left, a different tree each run.
  const std::clock_t root_start = std::clock();
  Search root = search(0, max_solves, std::numeric_limits<Int128>::min());
  const std::clock_t root_time = std::clock() - root_start;
  if (root.failed) {
    out.solution = std::move(root.best_solution);
    return out;
  }
  out.multipliers.assign(p.quotas.size(), 0);
  for (std::uint32_t s = 0; s < S && s < root.bound_lambda.size(); ++s)
    out.multipliers[side[s].group] = root.bound_lambda[s];
  Int128 incumbent_f = root.best_f;
  std::int64_t incumbent_shortfall = root.best_shortfall;
  std::vector<std::uint32_t> incumbent;
  decode(root.best_solution, incumbent);
  TransportSolution incumbent_solution = root.best_solution;
  std::vector<std::int64_t> incumbent_lambda = root.best_lambda;
  bool incumbent_from_root = true;
  // An incumbent found at a node: the certificate of its solve, checked on that node's gains (its
  // decisions' shifts and its multipliers), the relaxation it is optimal for.
  std::optional<CertificateReport> node_certificate;
  std::optional<Int128> root_bound;
  // The root's check, when the root's best assignment comes from its bound solve (the usual case:
  // the search stops at complementary slackness): the certificate of the returned assignment on the
  // same gains, so it is not checked a second time (a pass over every edge).
  std::optional<CertificateReport> root_certificate;
  if (exact) {
    root_bound = certified_bound(root, 0);
    if (root.best_solve == root.bound_solve) root_certificate = last_certificate;
  }
  out.bound.proven = root_bound.has_value();
  out.bound.bound = root_bound.value_or(0);

  // The exact step. When the relaxation leaves a gap (the Lagrangian dual of an integer problem
  // need not meet its optimum), branch and bound on candidate pairs with the same relaxation at
  // every node: a node fixes some pairs (their gains + big, the bound - big each) and forbids
  // others (gains - big), searches its multipliers from its parent's, and gives an assignment (a
  // feasible one for the whole problem, whatever the node: a candidate incumbent) and a certified
  // bound for the assignments that keep its decisions. Branching: a side group whose relaxed count
  // at the node's bound multipliers breaks complementary slackness; over-served, one of its public
  // people placed there (forbid / fix the pair); short, the best-paid public pair into it that
  // is not placed (fix / forbid). Nodes by best bound; a node whose bound does not beat the
  // incumbent is closed (F is an integer). Bounded: at most kMaxNodes nodes and as many flow
  // solves as the root's budget times kSolveFactor; what stays open keeps its bound, and the
  // reported bound is the largest among them and the incumbent: still proven, the gap smaller.
  std::uint32_t nodes = 0;
  if (exact && can_branch && root_bound && *root_bound > incumbent_f) {
    constexpr std::uint32_t kMaxNodes = 2000;
    constexpr std::uint32_t kSolveFactor = 8;
    const std::uint32_t solve_budget = solves + kSolveFactor * std::max<std::uint32_t>(max_solves, solves);
    budget_now = solve_budget;
    // And processor time: as long as the root's search took, at least kMinTime (a large batch must not wait
    // for a long search; a small instance gets its nodes).
    constexpr std::clock_t kMinTime = CLOCKS_PER_SEC;
    const std::clock_t deadline = std::clock() + std::max(kMinTime, root_time);
    // Left node of each participant (kNone when fixed by options) and a participant's edges into an opening.
    std::vector<std::uint32_t> left_of(p.num_participants, kNone);
    for (std::uint32_t k = 0; k < t.num_left; ++k) left_of[c.left_participant[k]] = k;
    struct Decision {
      std::uint32_t participant;
      std::uint32_t opening;
      bool fix;
    };
    struct Node {
      Int128 bound;
      std::vector<Decision> decisions;
      std::vector<std::int64_t> lambda;  // the parent's bound multipliers: the search's start
    };
    auto worse = [](const Node& a, const Node& b) { return a.bound < b.bound; };
    std::vector<Node> open;  // a heap by bound
    std::vector<Decision> current, incumbent_decisions;
    auto set_decisions = [&](const std::vector<Decision>& next) {
      auto shift_pair = [&](const Decision& d, std::int64_t delta) {
        const auto k = left_of[d.participant];
        for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e)
          if (c.right_opening[t.targets[e]] == d.opening) {
            t.values[e] += delta;
            changed.push_back(t.targets[e]);
          }
      };
      for (const auto& d : current) shift_pair(d, d.fix ? -shift : shift);
      for (const auto& d : next) shift_pair(d, d.fix ? shift : -shift);
      current = next;
    };
    // Branching pair of a node: from its relaxed solve at the bound multipliers.
    auto branch_pair = [&](const Search& r, const std::vector<Decision>& decided) -> std::optional<Decision> {
      std::vector<char> taken(p.num_participants, 0);
      for (const auto& d : decided)
        if (d.fix) taken[d.participant] = 1;
      count_achieved(r.bound_solution, achieved);
      std::vector<std::uint32_t> relaxed;
      decode(r.bound_solution, relaxed);
      std::vector<char> in_group(p.num_openings, 0);
      for (std::uint32_t s = 0; s < S; ++s) {
        const auto& g = side[s];
        const auto lambda = r.bound_lambda[s];
        const auto& group = p.quotas[g.group];
        const bool over = achieved[s] > g.need && lambda > 0;
        const bool under = achieved[s] < g.need && lambda < Q;
        if (!over && !under) continue;
        for (auto o : group.openings) in_group[o] = 1;
        std::optional<Decision> pick;
        std::int64_t pick_gain = 0;
        for (std::uint32_t k = 0; k < t.num_left; ++k) {
          const auto i = c.left_participant[k];
          if (taken[i] || !HasPublic(p, i, group.public_bit)) continue;
          const bool placed_in = relaxed[i] != kNone && in_group[relaxed[i]];
          if (over && placed_in) {
            // The placed public person with the least gain: the marginal one.
            const auto e = r.bound_solution.assigned_edge[k];
            const std::int64_t gain = t.values[e];
            if (!pick || gain < pick_gain) pick = Decision{i, relaxed[i], false}, pick_gain = gain;
          } else if (under && !placed_in) {
            for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
              const auto o = c.right_opening[t.targets[e]];
              if (!in_group[o] || t.values[e] < -widest) continue;  // not the group's, or forbidden
              if (!pick || t.values[e] > pick_gain) pick = Decision{i, o, true}, pick_gain = t.values[e];
            }
          }
        }
        for (auto o : group.openings) in_group[o] = 0;
        if (pick) return pick;
      }
      return std::nullopt;
    };
    auto push_children = [&](const Search& r, Int128 bound, const std::vector<Decision>& decided) {
      const auto pick = branch_pair(r, decided);
      if (!pick) return false;
      for (const bool fix : {pick->fix, !pick->fix}) {
        // A fixed pair needs a position its opening's other fixed pairs leave free.
        if (fix) {
          std::int32_t used = 0;
          for (const auto& d : decided) used += d.fix && d.opening == pick->opening ? 1 : 0;
          for (const auto& f : options.fixed) used += f.opening == pick->opening ? 1 : 0;
          if (used >= p.positions[pick->opening]) continue;
        }
        Node child{bound, decided, r.bound_lambda};
        child.decisions.push_back({pick->participant, pick->opening, fix});
        open.push_back(std::move(child));
        std::push_heap(open.begin(), open.end(), worse);
      }
      return true;
    };
    Int128 unresolved = std::numeric_limits<Int128>::min();  // the largest bound of a node left unbranched
    // Reduced-cost fixing at the root (bounds from the duals). With the root's exact duals u, v at
    // its bound multipliers (reduced cost rc_e = u_i + v_j - a_e), weak duality gives, for every
    // relaxed assignment y, relaxed(y) <= UB - sum_e max(0, rc_e) y_e. An assignment that beats
    // the incumbent (F >= incumbent + 1, and F(x) <= relaxed(y) for its best representation y)
    // therefore uses no edge with rc_e >= UB - incumbent: such edges lose `shift` (forbidden) for
    // the whole exact step, whose nodes (the root's two children first) are searched on what is
    // left. The bound stays proven: it is the largest of the incumbent and the open nodes' bounds
    // over the assignments that beat the incumbent. With a gap of a few units only the tight edges
    // stay. (Searching the root again on them first, as a node of its own, was tried: on the region
    // it spent its budget there and ended with a gap of 2; branching at once closed it in 2 nodes.)
    std::vector<bool> dropped;  // per transport edge
    std::vector<char> dropped_row(t.num_right, 0);
    {
      const auto& sol = root.bound_solution;
      const Int128 delta = *root_bound - incumbent_f;
      if (sol.scale == 1 && sol.left_potential.size() == t.num_left && sol.right_potential.size() == t.num_right) {
        restore(root.bound_lambda);  // the gains the duals are for
        dropped.assign(t.num_edges(), false);
        for (std::uint32_t k = 0; k < t.num_left; ++k)
          for (auto e = t.offsets[k]; e < t.offsets[k + 1]; ++e) {
            const auto j = t.targets[e];
            if (sol.left_potential[k] - sol.right_potential[j] - t.values[e] < delta) continue;
            t.values[e] -= shift;
            dropped[e] = true;
            dropped_row[j] = 1;
            ++out.bound.dropped_pairs;
          }
        for (std::uint32_t j = 0; j < t.num_right; ++j)
          if (dropped_row[j]) changed.push_back(j);
      }
    }
    if (!push_children(root, *root_bound, {})) unresolved = *root_bound;
    while (!open.empty() && open.front().bound > incumbent_f && nodes < kMaxNodes && solves < solve_budget &&
           std::clock() < deadline) {
      std::pop_heap(open.begin(), open.end(), worse);
      Node node = std::move(open.back());
      open.pop_back();
      ++nodes;
      set_decisions(node.decisions);
      for (std::uint32_t s = 0; s < S; ++s) side[s].lambda = node.lambda[s];
      apply(changed);  // `changed` keeps the decisions' rows too
      std::int64_t fixes = 0;
      for (const auto& d : node.decisions) fixes += d.fix ? 1 : 0;
      const Int128 offset = Int128{fixes} * shift;
      Search r = search(offset, max_solves / 2, incumbent_f);
      if (r.failed) {
        unresolved = std::max(unresolved, node.bound);
        break;
      }
      if (r.best_f > incumbent_f) {
        incumbent_f = r.best_f;
        incumbent_shortfall = r.best_shortfall;
        decode(r.best_solution, incumbent);
        incumbent_solution = r.best_solution;
        incumbent_lambda = r.best_lambda;
        incumbent_decisions = node.decisions;
        incumbent_from_root = false;
      }
      const auto bound = certified_bound(r, offset);
      if (!bound) {
        unresolved = std::max(unresolved, node.bound);
        continue;
      }
      const Int128 b = std::min(*bound, node.bound);
      if (b <= incumbent_f) continue;
      if (!push_children(r, b, node.decisions)) unresolved = std::max(unresolved, b);
    }
    // The bound: the incumbent, or a node still open or left unbranched.
    Int128 bound = std::max(incumbent_f, unresolved);
    for (const auto& node : open) bound = std::max(bound, node.bound);
    out.bound.bound = std::min(*root_bound, bound);
    if (!incumbent_from_root) {
      set_decisions(incumbent_decisions);
      restore(incumbent_lambda);
      node_certificate = CheckCertificate(t, incumbent_solution);
    }
    set_decisions({});
    if (out.bound.dropped_pairs > 0) {
      for (std::uint64_t e = 0; e < dropped.size(); ++e)
        if (dropped[e]) t.values[e] += shift;
      for (std::uint32_t j = 0; j < t.num_right; ++j)
        if (dropped_row[j]) changed.push_back(j);
    }
  }

  // The returned assignment, with its gains restored. An incumbent found at a node carries the
  // certificate of its node's relaxation (above); its value is recomputed on the root's gains.
  restore(incumbent_lambda);
  if (!incumbent_from_root) {
    // The node's solve used shifted gains; its value on the root's gains is recomputed.
    incumbent_solution.value = 0;
    for (std::uint32_t k = 0; k < t.num_left; ++k)
      if (incumbent_solution.assigned_edge[k] != kNoEdge)
        incumbent_solution.value += t.values[incumbent_solution.assigned_edge[k]];
    incumbent_solution.left_potential.clear();
    incumbent_solution.right_potential.clear();
  }
  if (node_certificate)
    out.certificate = std::move(*node_certificate);
  else if (incumbent_from_root && root_certificate)
    out.certificate = std::move(*root_certificate);  // the same solve, on the same (root) gains
  else
    out.certificate = CheckCertificate(t, incumbent_solution);
  out.solution = std::move(incumbent_solution);
  out.bound.objective = incumbent_f;
  out.bound.shortfall = incumbent_shortfall;
  out.bound.solves = solves;
  out.bound.nodes = nodes;
  if (out.bound.proven) {
    // F* = g* - Q S* <= UB with g* >= the fixed pairs' gain: S* >= (fixed gain - UB) / Q.
    out.bound.shortfall_bound =
        static_cast<std::int64_t>(std::max<Int128>(0, CeilDiv(fixed_gain - out.bound.bound, Int128{Q})));
    out.bound.shortfall_bound = std::min(out.bound.shortfall_bound, incumbent_shortfall);
  }
  return out;
}

}  // namespace clausematch::matcher::assignment
