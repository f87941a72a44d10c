#include "matcher/assignment/assignment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "matcher/assignment/huge_pages.hpp"
#include "matcher/assignment/lagrangian.hpp"
#include "matcher/assignment/pairs.hpp"
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

double BoundReport::relative_gap() const {
  const Int128 scale = bound < 0 ? -bound : bound;
  return static_cast<double>(gap()) / static_cast<double>(scale > 1 ? scale : Int128{1});
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

// Every group's figures on an assignment, with the reasons a shortfall has (QuotaReport). One
// pass over the participants' rows (a group counts each of its public candidates once, however
// many of its openings the candidate reaches): no reverse index of the edges (4 bytes per edge
// and a pass of its own before).
std::vector<QuotaReport> ExplainQuotas(const AssignmentProblem& p, const CompiledAssignment& c, const PairView& v,
                                       const std::vector<std::uint32_t>& opening_of) {
  std::vector<QuotaReport> out;
  if (p.quotas.empty()) return out;
  const auto G = static_cast<std::uint32_t>(p.quotas.size());
  // The groups naming each opening (all of them, and those with a minimum), as CSRs.
  std::vector<std::uint32_t> all_offsets(p.num_openings + 1, 0), min_offsets(p.num_openings + 1, 0);
  for (const auto& group : p.quotas)
    for (auto o : group.openings) {
      ++all_offsets[o + 1];
      if (group.min_count > 0) ++min_offsets[o + 1];
    }
  for (std::uint32_t o = 0; o < p.num_openings; ++o) {
    all_offsets[o + 1] += all_offsets[o];
    min_offsets[o + 1] += min_offsets[o];
  }
  std::vector<std::uint32_t> all_groups(all_offsets.back()), min_groups(min_offsets.back());
  {
    std::vector<std::uint32_t> all_at(all_offsets.begin(), all_offsets.end() - 1);
    std::vector<std::uint32_t> min_at(min_offsets.begin(), min_offsets.end() - 1);
    for (std::uint32_t g = 0; g < G; ++g)
      for (auto o : p.quotas[g].openings) {
        all_groups[all_at[o]++] = g;
        if (p.quotas[g].min_count > 0) min_groups[min_at[o]++] = g;
      }
  }
  std::vector<std::int32_t> placed(p.num_openings, 0);
  for (std::uint32_t i = 0; i < p.num_participants; ++i)
    if (opening_of[i] != kNone) ++placed[opening_of[i]];
  std::vector<char> side(G, 0);
  for (auto g : c.side_groups) side[g] = 1;
  out.resize(G);
  for (std::uint32_t g = 0; g < G; ++g) {
    const auto& group = p.quotas[g];
    auto& q = out[g];
    q.group = g;
    q.contract_index = group.contract_index;
    q.required = group.min_count;
    q.side = side[g] != 0;
    for (auto o : group.openings) {
      q.positions += p.positions[o];
      q.positions_left += std::max(0, p.positions[o] - placed[o]);
    }
  }
  // Does group g name opening o?
  const auto names = [&](std::uint32_t g, std::uint32_t o) {
    for (auto k = all_offsets[o]; k < all_offsets[o + 1]; ++k)
      if (all_groups[k] == g) return true;
    return false;
  };
  std::vector<std::uint32_t> last(G, kNone);  // the last participant counted for each group
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    if (p.participant_publics.empty() || p.participant_publics[i] == 0) continue;
    const auto at = opening_of[i];
    ForEachPair(p, c, v, i, [&](std::uint32_t o, std::int32_t) {
      for (auto k = all_offsets[o]; k < all_offsets[o + 1]; ++k) {
        const auto g = all_groups[k];
        if (last[g] == i || !HasPublic(p, i, p.quotas[g].public_bit)) continue;
        last[g] = i;
        auto& q = out[g];
        ++q.public_candidates;
        if (at == kNone) continue;
        if (names(g, at)) {
          ++q.achieved;
          continue;
        }
        bool counted = false;
        for (auto h = min_offsets[at]; h < min_offsets[at + 1] && !counted; ++h)
          counted = min_groups[h] != g && HasPublic(p, i, p.quotas[min_groups[h]].public_bit);
        ++(counted ? q.taken_by_other_quotas : q.taken_elsewhere);
      }
    });
  }
  for (auto& q : out) q.shortfall = std::max(0, q.required - q.achieved);
  return out;
}

}  // namespace

PairView MakePairView(const AssignmentProblem& p, const CompiledAssignment& c) {
  PairView v;
  v.copies.assign(p.num_openings, 0);
  for (std::uint32_t o = 0; o < p.num_openings; ++o)
    v.copies[o] = static_cast<std::uint8_t>((c.transport.capacity[c.free_node[o]] > 0 ? 1 : 0) +
                                            (c.quota_node[o] != kNone ? 1 : 0));
  v.left_of.assign(p.num_participants, kNone);
  for (std::uint32_t k = 0; k < c.left_participant.size(); ++k) v.left_of[c.left_participant[k]] = k;
  return v;
}

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
  // M and Q must outweigh the weights of any K pairs (a solution assigns at most K). K = P keeps
  // the gains a function of the participants alone, so that a warm start after new openings sees
  // the same gains; when that overflows (P in the millions with quotas: Q ~ P^2 W), K = min(P,
  // total positions) is as exact (no solution assigns more pairs than there are positions).
  const auto bonuses = [&](Int128 k) {
    const Int128 m = options.mode == ObjectiveMode::kFillThenScore ? k * w + 1 : 0;
    const Int128 q = has_quota ? k * (w + m) + 1 : 0;
    return std::pair{m, q};
  };
  auto [m, q] = bonuses(Int128{P});
  if (w + m + q > (Int128{1} << 62)) {
    Int128 positions = 0;
    for (const auto b : p.positions) positions += std::max(b, 0);
    std::tie(m, q) = bonuses(std::min(Int128{P}, positions));
  }
  if (w + m + q > (Int128{1} << 62))
    return fail(Status::kBadCostRange, "quota and fill bonuses for " + std::to_string(P) +
                                           " participants exceed 2^62; solve in score mode or without quotas");
  c.fill_bonus = static_cast<std::int64_t>(m);
  c.quota_bonus = static_cast<std::int64_t>(q);
  // Network groups (one opening that no other group with a minimum names) get a quota class;
  // the others are side groups, relaxed by SolveLagrangian (lagrangian.hpp).
  std::vector<std::uint32_t> naming(O, 0);
  for (const auto& group : p.quotas)
    if (group.min_count > 0)
      for (auto o : group.openings) ++naming[o];
  c.quota_share.assign(O, 0);
  c.quota_group.assign(O, -1);
  std::vector<std::int32_t>& group_of = c.quota_group;
  for (std::size_t g = 0; g < p.quotas.size(); ++g) {
    const auto& group = p.quotas[g];
    if (group.min_count <= 0) continue;
    if (group.openings.size() != 1 || naming[group.openings[0]] != 1) {
      c.side_groups.push_back(static_cast<std::uint32_t>(g));
      continue;
    }
    const auto o = group.openings[0];
    group_of[o] = static_cast<std::int32_t>(g);
    c.quota_share[o] = std::min(group.min_count, p.positions[o]);
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
  // Left nodes and edges: each left node's edges counted, then written, by blocks in parallel into
  // arrays sized once (grown by push_back, the largest of them, 8 bytes per edge, was copied at
  // each doubling and briefly held twice) and backed by huge pages.
  for (std::uint32_t i = 0; i < P; ++i)
    if (!fixed[i]) c.left_participant.push_back(i);
  const auto L = static_cast<std::uint32_t>(c.left_participant.size());
  const auto edges_of = [&](std::uint32_t i) {
    std::uint64_t n = 0;
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      const auto o = p.targets[e];
      n += (t.capacity[c.free_node[o]] > 0 ? 1 : 0) + (c.quota_node[o] != kNone ? 1 : 0);
    }
    return n;
  };
  t.offsets.assign(std::uint64_t{L} + 1, 0);
  constexpr std::uint32_t kBlock = 4096;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, L, kBlock), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (auto k = r.begin(); k != r.end(); ++k) t.offsets[k + 1] = edges_of(c.left_participant[k]);
  });
  for (std::uint32_t k = 0; k < L; ++k) t.offsets[k + 1] += t.offsets[k];
  const std::uint64_t kept = t.offsets.back();
  t.targets.reserve(kept);
  t.values.reserve(kept);
  AdviseHugePages(t.targets.data(), kept * sizeof(std::uint32_t));
  AdviseHugePages(t.values.data(), kept * sizeof(std::int64_t));
  t.targets.resize(kept);
  t.values.resize(kept);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, L, kBlock), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (auto k = r.begin(); k != r.end(); ++k) {
      const auto i = c.left_participant[k];
      auto out = t.offsets[k];
      for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
        const auto o = p.targets[e];
        const std::int64_t gain = p.weights[e] + c.fill_bonus;
        if (t.capacity[c.free_node[o]] > 0) {
          t.targets[out] = c.free_node[o];
          t.values[out++] = gain;
        }
        if (c.quota_node[o] != kNone) {
          const bool pub = HasPublic(p, i, p.quotas[static_cast<std::size_t>(group_of[o])].public_bit);
          t.targets[out] = c.quota_node[o];
          t.values[out++] = gain + (pub ? c.quota_bonus : 0);
        }
      }
    }
  });
  t.num_left = static_cast<std::uint32_t>(c.left_participant.size());
  return c;
}

namespace {

// problem.targets released (SolveAssignmentReleasing): the pairs the network leaves out are listed
// in `c` first, then the targets are freed; the guard rebuilds them from the network on every way
// out (ForEachPair reads the same pairs back, in order).
class ReleasedTargets {
 public:
  ReleasedTargets(const AssignmentProblem& p, const CompiledAssignment& c, PairView& v,
                  std::vector<std::uint32_t>& targets)
      : p_(p), c_(c), v_(v), targets_(targets) {
    for (std::uint32_t i = 0; i < p.num_participants; ++i) {
      const bool fixed = v.left_of[i] == kNone;
      for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
        if (fixed || v.copies[targets[e]] == 0) v.left_out.emplace_back(e, targets[e]);
    }
    released_ = !targets.empty();
    std::vector<std::uint32_t>().swap(targets);
  }
  ~ReleasedTargets() {
    if (!released_) return;
    // Fresh memory in huge pages: 100 MB of 4 kB pages on the region took ~0.3 s of CPU in page
    // faults alone (~20 us each on the virtual machines measured), more than the fill.
    std::vector<std::uint32_t> rebuilt;
    rebuilt.reserve(p_.weights.size());
    AdviseHugePages(rebuilt.data(), p_.weights.size() * sizeof(std::uint32_t));
    rebuilt.resize(p_.weights.size());
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, p_.num_participants, 4096),
                      [&](const tbb::blocked_range<std::uint32_t>& r) {
                        for (auto i = r.begin(); i != r.end(); ++i) {
                          auto e = p_.offsets[i];
                          ForEachPair(p_, c_, v_, i, [&](std::uint32_t o, std::int32_t) { rebuilt[e++] = o; });
                        }
                      });
    targets_.swap(rebuilt);
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(v_.left_out);
  }
  ReleasedTargets(const ReleasedTargets&) = delete;
  ReleasedTargets& operator=(const ReleasedTargets&) = delete;

 private:
  const AssignmentProblem& p_;
  const CompiledAssignment& c_;
  PairView& v_;
  std::vector<std::uint32_t>& targets_;
  bool released_ = false;
};

AssignmentResult Solve(const AssignmentProblem& p, const AssignmentOptions& options, const AssignmentResult* warm,
                       std::vector<std::uint32_t>* release) {
  const auto start = std::chrono::steady_clock::now();
  AssignmentResult r;
  CompiledAssignment c = Compile(p, options);
  if (c.status != Status::kOptimal) {
    r.status = c.status;
    r.message = c.message;
    return r;
  }
  PairView view = MakePairView(p, c);
  std::optional<ReleasedTargets> released;
  if (release != nullptr) released.emplace(p, c, view, *release);
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
  if (c.side_groups.empty()) {
    auto solver = MakeSolver(options.solver, options.auction);
    r.transport = solver->Solve(c.transport, warm_ptr);
    r.status = r.transport.status;
    r.message = r.transport.message;
    if (r.status == Status::kBadCostRange || r.status == Status::kBadInput) return r;
    r.certificate = CheckCertificate(c.transport, r.transport);
    r.bound.method = "network";
    r.bound.solves = 1;
  } else {
    // The previous pairs and prices seed the search's first flow solve (ours only: the others
    // solve each relaxed problem from scratch).
    auto outcome = SolveLagrangian(p, options, c, view, options.solver == SolverKind::kOurs ? warm_ptr : nullptr);
    r.transport = std::move(outcome.solution);
    r.status = r.transport.status;
    r.message = r.transport.message;
    if (r.status == Status::kBadCostRange || r.status == Status::kBadInput) return r;
    r.certificate = std::move(outcome.certificate);
    r.bound = std::move(outcome.bound);
    r.multipliers = std::move(outcome.multipliers);
  }
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
    ForEachPair(p, c, view, i, [&](std::uint32_t to, std::int32_t w) {
      if (to == o) best = std::max(best, w);
    });
    r.total_weight += best;
    ++r.filled;
  }
  if (r.bound.method == "network") {
    // One flow: F is the certified optimum when the certificate holds.
    const auto f = EvaluateObjective(p, c, view, r.opening_of);
    r.bound.objective = f.objective;
    r.bound.shortfall = f.shortfall;
    r.bound.proven = r.certificate.optimal && options.solver != SolverKind::kGreedy;
    r.bound.bound = r.bound.proven ? f.objective : 0;
    r.bound.shortfall_bound = r.bound.proven ? f.shortfall : 0;
  }
  r.quotas = ExplainQuotas(p, c, view, r.opening_of);
  for (const auto& q : r.quotas) {
    if (q.shortfall > 0 && r.status == Status::kOptimal) {
      r.status = Status::kInfeasible;
      r.message = "quota of group " + std::to_string(q.group) + " short by " + std::to_string(q.shortfall);
    }
  }
  if (r.status == Status::kOptimal && r.bound.method == "lagrangian" && !r.bound.optimal()) {
    r.status = Status::kFeasible;
    r.message = "quotas met; gap to the bound " + ToDecimal(r.bound.gap());
  }
  if (r.status == Status::kInfeasible && r.bound.method == "lagrangian")
    r.message += r.bound.proven && r.bound.shortfall_bound == r.bound.shortfall
                     ? "; total shortfall " + std::to_string(r.bound.shortfall) + " proven least"
                     : "; total shortfall " + std::to_string(r.bound.shortfall) + ", at least " +
                           std::to_string(r.bound.shortfall_bound) + " proven";
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
  // The network's gains are read no more (ForEachPair reads its targets): their pages go back
  // before the targets are rebuilt, which then take freed huge pages instead of compacting for new
  // ones.
  std::vector<std::int64_t>().swap(c.transport.values);
  released.reset();  // the targets back before the clock stops
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace

AssignmentResult SolveAssignment(const AssignmentProblem& p, const AssignmentOptions& options,
                                 const AssignmentResult* warm) {
  return Solve(p, options, warm, nullptr);
}

AssignmentResult SolveAssignmentReleasing(AssignmentProblem& problem, const AssignmentOptions& options,
                                          const AssignmentResult* warm) {
  return Solve(problem, options, warm, &problem.targets);
}

}  // namespace clausematch::matcher::assignment
