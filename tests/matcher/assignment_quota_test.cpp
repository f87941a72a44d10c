// Quota groups as contracts state them (several openings, several groups per contract, one
// opening in several groups): the Lagrangian method of lagrangian.hpp against an exact
// integer-programming oracle (GLPK, tests only), on hand-checked cases and seeded random ones.
// For every exact backend: bound >= oracle optimum >= objective of the returned assignment, and
// objective == optimum whenever gap 0 is claimed. The incremental re-solve of PathResolver is
// checked against cold solves.
#include <glpk.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <random>
#include <set>
#include <tuple>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/pairs.hpp"
#include "matcher/assignment/path_solver.hpp"
#include "tests/matcher/assignment_test_util.hpp"

namespace clausematch::matcher::assignment {
namespace {

using testing::MakeProblem;

// max sum_e (w_e + M) x_e - Q sum_G s_G  s.t.  participant <= 1, opening <= positions,
// sum_{e public into G} x_e + s_G >= min_count_G, x binary, s >= 0 integer. M and Q as Compile
// computes them. Returns the optimum (exact in doubles for these sizes).
Int128 GlpkOptimum(const AssignmentProblem& p, ObjectiveMode mode) {
  AssignmentOptions options;
  options.mode = mode;
  const auto compiled = Compile(p, options);
  const double m = static_cast<double>(compiled.fill_bonus);
  const double q = static_cast<double>(compiled.quota_bonus);
  glp_prob* lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  const int edges = static_cast<int>(p.num_edges());
  const int groups = static_cast<int>(p.quotas.size());
  const int rows = static_cast<int>(p.num_participants + p.num_openings) + groups;
  if (rows > 0) glp_add_rows(lp, rows);
  for (std::uint32_t i = 0; i < p.num_participants; ++i) glp_set_row_bnds(lp, static_cast<int>(i) + 1, GLP_UP, 0, 1);
  for (std::uint32_t o = 0; o < p.num_openings; ++o)
    glp_set_row_bnds(lp, static_cast<int>(p.num_participants + o) + 1, GLP_UP, 0, p.positions[o]);
  const int group_row0 = static_cast<int>(p.num_participants + p.num_openings) + 1;
  for (int g = 0; g < groups; ++g) glp_set_row_bnds(lp, group_row0 + g, GLP_LO, p.quotas[g].min_count, 0);
  if (edges + groups > 0) glp_add_cols(lp, edges + groups);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      const int col = static_cast<int>(e) + 1;
      glp_set_col_kind(lp, col, GLP_BV);
      glp_set_obj_coef(lp, col, p.weights[e] + m);
      ia.push_back(static_cast<int>(i) + 1), ja.push_back(col), ar.push_back(1);
      ia.push_back(static_cast<int>(p.num_participants + p.targets[e]) + 1), ja.push_back(col), ar.push_back(1);
      for (int g = 0; g < groups; ++g) {
        const auto& group = p.quotas[g];
        const bool in = std::find(group.openings.begin(), group.openings.end(), p.targets[e]) != group.openings.end();
        if (in && ((p.participant_publics[i] >> group.public_bit) & 1u))
          ia.push_back(group_row0 + g), ja.push_back(col), ar.push_back(1);
      }
    }
  }
  for (int g = 0; g < groups; ++g) {
    const int col = edges + g + 1;
    glp_set_col_kind(lp, col, GLP_IV);
    glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
    glp_set_obj_coef(lp, col, -q);
    ia.push_back(group_row0 + g), ja.push_back(col), ar.push_back(1);
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_iocp params;
  glp_init_iocp(&params);
  params.presolve = GLP_ON;
  params.msg_lev = GLP_MSG_OFF;
  const int rc = edges + groups > 0 ? glp_intopt(lp, &params) : 0;
  EXPECT_EQ(rc, 0);
  const double value = edges + groups > 0 ? glp_mip_obj_val(lp) : 0.0;
  glp_delete_prob(lp);
  return static_cast<Int128>(std::llround(value));
}

struct Ours {
  static constexpr SolverKind kKind = SolverKind::kOurs;
};
struct Auction {
  static constexpr SolverKind kKind = SolverKind::kAuction;
};
struct Boost {
  static constexpr SolverKind kKind = SolverKind::kBoost;
};

template <typename Backend>
class QuotaGroupTest : public ::testing::Test {
 protected:
  static AssignmentResult Solve(const AssignmentProblem& p, ObjectiveMode mode = ObjectiveMode::kFillThenScore) {
    AssignmentOptions options;
    options.mode = mode;
    options.solver = Backend::kKind;
    return SolveAssignment(p, options);
  }
  // The oracle between the two ends; gap 0 only when it is true.
  static void ExpectBracketsOracle(const AssignmentProblem& p, const AssignmentResult& r, ObjectiveMode mode) {
    ASSERT_TRUE(r.certificate.feasible) << r.certificate.reason;
    ASSERT_TRUE(r.bound.proven);
    const auto optimum = GlpkOptimum(p, mode);
    EXPECT_LE(r.bound.objective, optimum) << ToDecimal(r.bound.objective) << " vs " << ToDecimal(optimum);
    EXPECT_GE(r.bound.bound, optimum) << ToDecimal(r.bound.bound) << " vs " << ToDecimal(optimum);
    if (r.bound.optimal()) {
      EXPECT_EQ(ToDecimal(r.bound.objective), ToDecimal(optimum));
    }
    // The reported F is the assignment's.
    std::int64_t shortfall = 0;
    for (const auto& q : r.quotas) shortfall += q.shortfall;
    EXPECT_EQ(r.bound.shortfall, shortfall);
    EXPECT_LE(r.bound.shortfall_bound, r.bound.shortfall);
  }
};

using Backends = ::testing::Types<Ours, Auction, Boost>;
TYPED_TEST_SUITE(QuotaGroupTest, Backends);

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3;
constexpr std::uint32_t X = 0, Y = 1;
constexpr std::uint32_t kRsa = 1u << 0, kJeune = 1u << 1;

// One contract, openings X and Y (one position each), "at least 1 RSA over the contract".
// A (not RSA) X .9 | B (not RSA) Y .9 | C (RSA) X .5, Y .6. Split per opening the quota would
// force C on one named opening; over the contract the best is A-X + C-Y = 1.5.
TYPED_TEST(QuotaGroupTest, QuotaOverSeveralOpeningsMet) {
  auto p = MakeProblem(3, {1, 1}, {{A, X, .9}, {B, Y, .9}, {C, X, .5}, {C, Y, .6}}, {0, 0, kRsa});
  p.quotas.push_back({{X, Y}, 0, 1, 4});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_EQ(r.bound.method, "lagrangian");
  EXPECT_TRUE(r.bound.optimal());
  EXPECT_EQ(r.status, Status::kOptimal);
  EXPECT_EQ(r.total_weight, 1'500'000);
  EXPECT_EQ(r.opening_of[C], Y);
  ASSERT_EQ(r.quotas.size(), 1u);
  EXPECT_EQ(r.quotas[0].achieved, 1);
  EXPECT_EQ(r.quotas[0].shortfall, 0);
  EXPECT_TRUE(r.quotas[0].side);
}

// "At least 2 RSA" over X and Y, one RSA candidate: short by exactly 1, proven, and explained:
// one public candidate, placed in the group; no position left empty.
TYPED_TEST(QuotaGroupTest, QuotaInfeasibleWithTheTrueShortfall) {
  auto p = MakeProblem(3, {1, 1}, {{A, X, .9}, {B, Y, .9}, {C, X, .5}, {C, Y, .6}}, {0, 0, kRsa});
  p.quotas.push_back({{X, Y}, 0, 2, 0});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_EQ(r.status, Status::kInfeasible);
  EXPECT_EQ(r.bound.shortfall, 1);
  EXPECT_EQ(r.bound.shortfall_bound, 1);
  EXPECT_TRUE(r.bound.optimal());
  const auto& q = r.quotas[0];
  EXPECT_EQ(q.shortfall, 1);
  EXPECT_EQ(q.public_candidates, 1);
  EXPECT_EQ(q.achieved, 1);
  EXPECT_EQ(q.taken_by_other_quotas, 0);
  EXPECT_EQ(q.positions, 2);
  EXPECT_EQ(q.positions_left, 0);
}

// Two contracts compete for the one RSA candidate C: contract 0 (X) and contract 1 (Y, two
// openings Y and Z) both ask one RSA. C can serve one; the other is short, and its report says the
// candidate was taken by another quota.
TYPED_TEST(QuotaGroupTest, ShortfallExplainedByAnotherQuota) {
  constexpr std::uint32_t Z = 2;
  auto p = MakeProblem(4, {1, 1, 1}, {{A, X, .9}, {B, Y, .9}, {D, Z, .9}, {C, X, .7}, {C, Y, .2}}, {0, 0, kRsa, 0});
  p.quotas.push_back({{X}, 0, 1, 0});
  p.quotas.push_back({{Y, Z}, 0, 1, 1});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_EQ(r.bound.shortfall, 1);
  EXPECT_EQ(r.bound.shortfall_bound, 1);
  EXPECT_EQ(r.opening_of[C], X);  // both quotas are worth one unit: the better score decides
  EXPECT_EQ(r.quotas[1].shortfall, 1);
  EXPECT_EQ(r.quotas[1].public_candidates, 1);
  EXPECT_EQ(r.quotas[1].taken_by_other_quotas, 1);
  EXPECT_EQ(r.quotas[1].positions_left, 0);
}

// One opening X (2 positions), two groups on it: 1 RSA and 1 jeune. A is both (.7), B RSA (.3),
// C jeune (.3), D neither (1.0). A + D meets both (1.7); the old rule enforced only the first.
TYPED_TEST(QuotaGroupTest, OverlappingGroupsOnOneOpening) {
  auto p = MakeProblem(4, {2}, {{A, X, .7}, {B, X, .3}, {C, X, .3}, {D, X, 1.0}}, {kRsa | kJeune, kRsa, kJeune, 0});
  p.quotas.push_back({{X}, 0, 1, 0});
  p.quotas.push_back({{X}, 1, 1, 0});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_TRUE(r.bound.optimal());
  EXPECT_EQ(r.opening_of[A], X);
  EXPECT_EQ(r.opening_of[D], X);
  EXPECT_EQ(r.quotas[0].achieved, 1);
  EXPECT_EQ(r.quotas[1].achieved, 1);
}

// Two openings each in two groups (RSA over X+Y, jeune over X+Y), 2 positions each.
TYPED_TEST(QuotaGroupTest, OverlappingGroupsOverSeveralOpenings) {
  auto p = MakeProblem(6, {2, 2}, {{0, X, .9}, {1, X, .8}, {2, Y, .9}, {3, Y, .85}, {4, X, .2}, {4, Y, .3}, {5, Y, .1}},
                       {0, 0, 0, 0, kRsa, kJeune | kRsa});
  p.quotas.push_back({{X, Y}, 0, 2, 0});
  p.quotas.push_back({{X, Y}, 1, 1, 0});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_TRUE(r.bound.optimal());
  EXPECT_EQ(r.bound.shortfall, 0);
}

// A quota on a contract with one opening stays in the network: one flow, its certificate.
TYPED_TEST(QuotaGroupTest, QuotaOnAContractWithOneOpening) {
  auto p = MakeProblem(3, {2}, {{A, X, .9}, {B, X, .8}, {C, X, .1}}, {0, 0, kRsa});
  p.quotas.push_back({{X}, 0, 1, 0});
  const auto r = this->Solve(p);
  this->ExpectBracketsOracle(p, r, ObjectiveMode::kFillThenScore);
  EXPECT_EQ(r.bound.method, "network");
  EXPECT_EQ(r.bound.solves, 1u);
  EXPECT_TRUE(r.bound.optimal());
  EXPECT_EQ(r.opening_of[C], X);
}

// Ties: every score equal, public and not; a quota over two openings is met at no cost.
TYPED_TEST(QuotaGroupTest, Ties) {
  std::vector<testing::EdgeRow> rows;
  for (std::uint32_t i = 0; i < 6; ++i)
    for (std::uint32_t o = 0; o < 2; ++o) rows.push_back({i, o, .5});
  auto p = MakeProblem(6, {2, 1}, rows, {kRsa, 0, kRsa, 0, 0, 0});
  p.quotas.push_back({{X, Y}, 0, 2, 0});
  for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
    const auto r = this->Solve(p, mode);
    this->ExpectBracketsOracle(p, r, mode);
    EXPECT_TRUE(r.bound.optimal());
    EXPECT_EQ(r.filled, 3u);
    EXPECT_EQ(r.quotas[0].achieved, 2);
  }
}

// Seeded random instances: contracts of 1-3 openings, 0-2 groups each (counts or shares, public
// 0 or 1, openings shared between groups), ties in one instance out of three.
AssignmentProblem RandomContracts(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto participants = 2 + static_cast<std::uint32_t>(rng() % 9);
  const auto openings = 1 + static_cast<std::uint32_t>(rng() % 6);
  std::vector<std::int32_t> positions(openings);
  for (auto& x : positions) x = static_cast<std::int32_t>(rng() % 3);
  const bool ties = rng() % 3 == 0;
  std::vector<testing::EdgeRow> rows;
  for (std::uint32_t i = 0; i < participants; ++i)
    for (std::uint32_t o = 0; o < openings; ++o)
      if (rng() % 2 == 0)
        rows.push_back(
            {i, o, ties ? static_cast<double>(rng() % 3) / 2.0 : static_cast<double>(rng() % 1001) / 1000.0});
  std::vector<std::uint32_t> publics(participants);
  for (auto& b : publics) b = static_cast<std::uint32_t>(rng() % 4);
  auto p = MakeProblem(participants, positions, rows, publics);
  std::uint32_t contract = 0;
  for (std::uint32_t o = 0; o < openings; ++contract) {
    const auto size = std::min<std::uint32_t>(openings - o, 1 + static_cast<std::uint32_t>(rng() % 3));
    std::vector<std::uint32_t> members;
    for (std::uint32_t k = 0; k < size; ++k) members.push_back(o + k);
    const auto groups = rng() % 3;
    for (std::uint64_t g = 0; g < groups; ++g)
      p.quotas.push_back(
          {members, static_cast<std::uint32_t>(rng() % 2), static_cast<std::int32_t>(rng() % 4), contract});
    o += size;
  }
  return p;
}

// Every random instance proven optimal (gap 0).
TYPED_TEST(QuotaGroupTest, RandomAgainstGlpk) {
  int optimal = 0, runs = 0, branched = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const auto p = RandomContracts(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      const auto r = this->Solve(p, mode);
      this->ExpectBracketsOracle(p, r, mode);
      EXPECT_TRUE(r.bound.optimal()) << ToDecimal(r.bound.objective) << " <= " << ToDecimal(r.bound.bound);
      ++runs;
      optimal += r.bound.optimal() ? 1 : 0;
      branched += r.bound.nodes > 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(optimal, runs);
  std::cout << "[ quotas   ] proven optimal " << optimal << " of " << runs << " (" << branched
            << " by the exact step)\n";
}

// Fixed pairs with side groups: fixing some pairs of a proven optimum keeps it feasible and
// optimal, so the search with those pairs fixed (their positions and public counts taken out of
// the relaxation) must prove the same objective; its assignment keeps the fixed pairs.
TEST(QuotaFixedPairs, FixingPairsOfTheOptimumKeepsItsObjective) {
  int with_side_groups = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const auto p = RandomContracts(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      AssignmentOptions options;
      options.mode = mode;
      const auto cold = SolveAssignment(p, options);
      ASSERT_TRUE(cold.bound.optimal());
      for (std::uint32_t i = 0; i < p.num_participants && options.fixed.size() < 2; ++i)
        if (cold.opening_of[i] != kNone && (i + seed) % 2 == 0) options.fixed.push_back({i, cold.opening_of[i]});
      if (options.fixed.empty()) continue;
      const auto fixed = SolveAssignment(p, options);
      EXPECT_TRUE(fixed.bound.optimal()) << ToDecimal(fixed.bound.objective) << " <= " << ToDecimal(fixed.bound.bound);
      EXPECT_EQ(ToDecimal(fixed.bound.objective), ToDecimal(cold.bound.objective));
      for (const auto& f : options.fixed) EXPECT_EQ(fixed.opening_of[f.participant], f.opening);
      with_side_groups += fixed.bound.method == "lagrangian" ? 1 : 0;
    }
  }
  EXPECT_GT(with_side_groups, 0);
}

// The quota reports (QuotaReport: public candidates, placed, taken by another group or elsewhere,
// positions left) against a count by sets, group by group, on the random instances: a group's
// public candidates are the people holding its public with an edge into one of its openings,
// whatever order the report reads the edges in.
TEST(QuotaReports, RandomInstancesMatchACountBySets) {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto p = RandomContracts(seed);
    AssignmentOptions options;
    const auto r = SolveAssignment(p, options);
    ASSERT_EQ(r.quotas.size(), p.quotas.size());
    const auto holds = [&p](std::uint32_t i, std::uint32_t bit) {
      return ((p.participant_publics[i] >> bit) & 1u) != 0;
    };
    for (std::uint32_t g = 0; g < p.quotas.size(); ++g) {
      const auto& group = p.quotas[g];
      const std::set<std::uint32_t> mine(group.openings.begin(), group.openings.end());
      std::set<std::uint32_t> candidates;
      for (std::uint32_t i = 0; i < p.num_participants; ++i)
        for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
          if (mine.count(p.targets[e]) != 0 && holds(i, group.public_bit)) candidates.insert(i);
      std::int32_t achieved = 0, other = 0, elsewhere = 0;
      for (const auto i : candidates) {
        const auto at = r.opening_of[i];
        if (at == kNone) continue;
        if (mine.count(at) != 0) {
          ++achieved;
          continue;
        }
        bool counted = false;
        for (std::uint32_t h = 0; h < p.quotas.size(); ++h) {
          const auto& o = p.quotas[h].openings;
          counted |= h != g && p.quotas[h].min_count > 0 && holds(i, p.quotas[h].public_bit) &&
                     std::find(o.begin(), o.end(), at) != o.end();
        }
        ++(counted ? other : elsewhere);
      }
      std::int32_t positions = 0, left = 0;
      for (const auto o : group.openings) {
        const auto placed = static_cast<std::int32_t>(std::count(r.opening_of.begin(), r.opening_of.end(), o));
        positions += p.positions[o];
        left += std::max(0, p.positions[o] - placed);
      }
      const auto& q = r.quotas[g];
      SCOPED_TRACE("group " + std::to_string(g));
      EXPECT_EQ(q.group, g);
      EXPECT_EQ(q.required, group.min_count);
      EXPECT_EQ(q.public_candidates, static_cast<std::int32_t>(candidates.size()));
      EXPECT_EQ(q.achieved, achieved);
      EXPECT_EQ(q.taken_by_other_quotas, other);
      EXPECT_EQ(q.taken_elsewhere, elsewhere);
      EXPECT_EQ(q.positions, positions);
      EXPECT_EQ(q.positions_left, left);
      EXPECT_EQ(q.shortfall, std::max(0, group.min_count - achieved));
    }
  }
}

// A warm start (AssignmentOptions::initial_multipliers): from the cold run's multipliers, and from
// arbitrary ones (too high, scattered, past Q), the search ends at the oracle's optimum, proven,
// as the cold run does.
TYPED_TEST(QuotaGroupTest, WarmMultipliersGiveTheSameCertifiedOptimum) {
  int warmed = 0;
  std::uint64_t cold_solves = 0, warm_solves = 0;
  std::mt19937_64 rng(77);
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const auto p = RandomContracts(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      const auto cold = this->Solve(p, mode);
      if (cold.bound.method != "lagrangian") continue;
      ASSERT_EQ(cold.multipliers.size(), p.quotas.size());
      AssignmentOptions options;
      options.mode = mode;
      options.solver = TypeParam::kKind;
      options.initial_multipliers = cold.multipliers;
      const auto again = SolveAssignment(p, options);
      this->ExpectBracketsOracle(p, again, mode);
      EXPECT_TRUE(again.bound.optimal());
      EXPECT_EQ(ToDecimal(again.bound.objective), ToDecimal(cold.bound.objective));
      cold_solves += cold.bound.solves;
      warm_solves += again.bound.solves;
      for (auto& m : options.initial_multipliers)
        m = static_cast<std::int64_t>(rng() % 4 == 0 ? std::numeric_limits<std::int64_t>::max()
                                                     : rng() % (std::uint64_t{4} * kWeightScale));
      const auto scattered = SolveAssignment(p, options);
      this->ExpectBracketsOracle(p, scattered, mode);
      EXPECT_TRUE(scattered.bound.optimal());
      EXPECT_EQ(ToDecimal(scattered.bound.objective), ToDecimal(cold.bound.objective));
      warmed += std::any_of(cold.multipliers.begin(), cold.multipliers.end(), [](auto m) { return m > 0; }) ? 1 : 0;
    }
  }
  EXPECT_GT(warmed, 0);  // instances whose search needed a multiplier
  std::cout << "[ quotas   ] flow solves from 0: " << cold_solves << ", from the previous multipliers: " << warm_solves
            << " (" << warmed << " instances with a multiplier)\n";
}

// A warm start of the flow solves too (SolveAssignment's `warm`: the previous pairs and participant
// prices seed the Lagrangian search's first flow solve, as a batch run with --previous does): from
// the cold run's own result, and from scrambled pairs and prices, the search ends at the oracle's
// optimum, proven, as the cold run does. Only ours takes the seed; the others must ignore it.
TYPED_TEST(QuotaGroupTest, WarmPairsAndPricesGiveTheSameCertifiedOptimum) {
  int seeded = 0;
  std::mt19937_64 rng(78);
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const auto p = RandomContracts(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      const auto cold = this->Solve(p, mode);
      if (cold.bound.method != "lagrangian") continue;
      AssignmentOptions options;
      options.mode = mode;
      options.solver = TypeParam::kKind;
      options.initial_multipliers = cold.multipliers;
      const auto again = SolveAssignment(p, options, &cold);
      this->ExpectBracketsOracle(p, again, mode);
      EXPECT_TRUE(again.bound.optimal());
      EXPECT_EQ(ToDecimal(again.bound.objective), ToDecimal(cold.bound.objective));
      EXPECT_TRUE(again.certificate.optimal) << again.certificate.Verdict();
      seeded += cold.participant_price.empty() ? 0 : 1;
      // Scrambled: any opening (a candidate or not), any class, any price; from 0 multipliers.
      AssignmentResult scrambled = cold;
      scrambled.participant_price.assign(p.num_participants, 0);
      scrambled.in_quota_class.assign(p.num_participants, 0);
      for (std::uint32_t i = 0; i < p.num_participants; ++i) {
        scrambled.opening_of[i] = rng() % 3 == 0 ? kNone : static_cast<std::uint32_t>(rng() % p.num_openings);
        scrambled.in_quota_class[i] = static_cast<std::uint8_t>(rng() % 2);
        scrambled.participant_price[i] = static_cast<std::int64_t>(rng() % (std::uint64_t{4} * kWeightScale));
      }
      options.initial_multipliers.clear();
      const auto repaired = SolveAssignment(p, options, &scrambled);
      this->ExpectBracketsOracle(p, repaired, mode);
      EXPECT_TRUE(repaired.bound.optimal());
      EXPECT_EQ(ToDecimal(repaired.bound.objective), ToDecimal(cold.bound.objective));
      EXPECT_TRUE(repaired.certificate.optimal) << repaired.certificate.Verdict();
    }
  }
  if (TypeParam::kKind == SolverKind::kOurs) {
    EXPECT_GT(seeded, 0);  // instances whose first flow solve was seeded
  }
}

// The exact step: on instances where the multiplier search alone leaves a gap (exact_step off;
// the gap still brackets the optimum), branch and bound closes it to the oracle's optimum. With
// exact duals (ours, Boost) the reduced-cost fixing rules pairs out first.
TYPED_TEST(QuotaGroupTest, ExactStepClosesTheRelaxationsGaps) {
  int gaps = 0, closed = 0, fixed = 0;
  for (std::uint64_t seed = 151; seed <= 1150; ++seed) {
    const auto p = RandomContracts(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      AssignmentOptions options;
      options.mode = mode;
      options.solver = TypeParam::kKind;
      options.exact_step = false;
      const auto relaxed = SolveAssignment(p, options);
      EXPECT_EQ(relaxed.bound.nodes, 0u);
      if (relaxed.bound.optimal()) continue;
      ++gaps;
      this->ExpectBracketsOracle(p, relaxed, mode);
      const auto r = this->Solve(p, mode);
      this->ExpectBracketsOracle(p, r, mode);
      EXPECT_GT(r.bound.nodes, 0u);
      EXPECT_TRUE(r.bound.optimal()) << ToDecimal(r.bound.objective) << " <= " << ToDecimal(r.bound.bound);
      closed += r.bound.optimal() ? 1 : 0;
      fixed += r.bound.dropped_pairs > 0 ? 1 : 0;
      if (TypeParam::kKind == SolverKind::kAuction) {
        EXPECT_EQ(r.bound.dropped_pairs, 0u);  // scaled duals: no fixing
      }
    }
  }
  EXPECT_GT(gaps, 0);
  EXPECT_EQ(closed, gaps);
  if (TypeParam::kKind != SolverKind::kAuction) {
    EXPECT_GT(fixed, 0);
  }
  std::cout << "[ quotas   ] relaxation gaps " << gaps << " of 2000, closed by the exact step " << closed << " ("
            << fixed << " after reduced-cost fixing)\n";
}

// Without side groups (no quota, or single-opening ones) the result is the one flow's, exactly:
// same assignment, same value, same certificate as solving the compiled network directly.
TYPED_TEST(QuotaGroupTest, PureNetworkUnchanged) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    auto p = RandomContracts(seed);
    std::erase_if(p.quotas, [](const QuotaGroup& g) { return g.openings.size() != 1; });
    std::vector<char> named(p.num_openings, 0);
    std::erase_if(p.quotas, [&](const QuotaGroup& g) { return std::exchange(named[g.openings[0]], 1) != 0; });
    AssignmentOptions options;
    options.solver = TypeParam::kKind;
    const auto r = SolveAssignment(p, options);
    const auto compiled = Compile(p, options);
    const auto direct = MakeSolver(options.solver)->Solve(compiled.transport, nullptr);
    const auto check = CheckCertificate(compiled.transport, direct);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(r.bound.method, "network");
    EXPECT_EQ(r.transport.assigned_edge, direct.assigned_edge);
    EXPECT_EQ(ToDecimal(r.transport.value), ToDecimal(direct.value));
    EXPECT_EQ(r.certificate.Verdict(), check.Verdict());
    EXPECT_EQ(ToDecimal(r.certificate.scaled_dual_bound), ToDecimal(check.scaled_dual_bound));
    EXPECT_TRUE(r.bound.optimal());
  }
}

// A re-solve of `resolver` after the gains of `changed` moved: optimal (certificate) and the
// value of a cold solve.
void ExpectResolveEqualsCold(PathResolver& resolver, const TransportProblem& t,
                             const std::vector<std::uint32_t>& changed) {
  const auto warm = resolver.Solve(changed);
  const auto cold = PathSolver().Solve(t, nullptr);
  const auto report = CheckCertificate(t, warm);
  EXPECT_TRUE(report.optimal) << report.Verdict();
  EXPECT_EQ(ToDecimal(warm.value), ToDecimal(cold.value));
}

// PathResolver: after random gain changes on some right nodes, the incremental re-solve reaches
// the cold optimum and its certificate holds.
// Both row layouts: gains inline (below kInlineGainEdges) and read through the edge index.
constexpr std::uint64_t kRowLayouts[] = {kInlineGainEdges, 0};

TEST(PathResolver, IncrementalResolveEqualsColdSolve) {
  for (const auto layout : kRowLayouts) {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 200; ++round) {
      SCOPED_TRACE("round " + std::to_string(round) + (layout == 0 ? ", 4-byte rows" : ", inline gains"));
      TransportProblem t;
      t.num_left = 3 + static_cast<std::uint32_t>(rng() % 30);
      t.num_right = 1 + static_cast<std::uint32_t>(rng() % 8);
      for (std::uint32_t j = 0; j < t.num_right; ++j) t.capacity.push_back(static_cast<std::int64_t>(rng() % 4));
      t.offsets.push_back(0);
      for (std::uint32_t i = 0; i < t.num_left; ++i) {
        for (std::uint32_t j = 0; j < t.num_right; ++j)
          if (rng() % 3 == 0) {
            t.targets.push_back(j);
            t.values.push_back(static_cast<std::int64_t>(rng() % 1000) - 100);
          }
        t.offsets.push_back(t.targets.size());
      }
      PathResolver resolver(t, layout);
      auto first = resolver.Solve({});
      EXPECT_TRUE(CheckCertificate(t, first).optimal);
      for (int step = 0; step < 4; ++step) {
        std::vector<std::uint32_t> changed;
        for (std::uint32_t j = 0; j < t.num_right; ++j)
          if (rng() % 2 == 0) changed.push_back(j);
        for (std::uint64_t e = 0; e < t.num_edges(); ++e)
          if (std::find(changed.begin(), changed.end(), t.targets[e]) != changed.end() && rng() % 2 == 0)
            t.values[e] += static_cast<std::int64_t>(rng() % 2000) - 1000;
        ExpectResolveEqualsCold(resolver, t, changed);
      }
    }
  }
}

// PathResolver on larger instances with multiplier-like moves (the gains of one public's edges into
// a few rows rise or fall by one amount, as SolveLagrangian moves a group's multiplier): pairs the
// new prices no longer fit are released with their prices kept (deficits routed by backward
// searches); every re-solve must reach the cold optimum with a valid certificate.
TEST(PathResolver, MultiplierMovesEqualColdSolve) {
  for (const auto layout : kRowLayouts) {
    std::mt19937_64 rng(23);
    for (int round = 0; round < 60; ++round) {
      SCOPED_TRACE("round " + std::to_string(round) + (layout == 0 ? ", 4-byte rows" : ", inline gains"));
      TransportProblem t;
      t.num_left = 20 + static_cast<std::uint32_t>(rng() % 200);
      t.num_right = 2 + static_cast<std::uint32_t>(rng() % 30);
      for (std::uint32_t j = 0; j < t.num_right; ++j) t.capacity.push_back(static_cast<std::int64_t>(rng() % 6));
      std::vector<char> is_public(t.num_left);
      t.offsets.push_back(0);
      for (std::uint32_t i = 0; i < t.num_left; ++i) {
        is_public[i] = static_cast<char>(rng() % 3 == 0);
        for (std::uint32_t j = 0; j < t.num_right; ++j)
          if (rng() % 4 == 0) {
            t.targets.push_back(j);
            t.values.push_back(static_cast<std::int64_t>(rng() % 50));  // many ties
          }
        t.offsets.push_back(t.targets.size());
      }
      PathResolver resolver(t, layout);
      EXPECT_TRUE(CheckCertificate(t, resolver.Solve({})).optimal);
      std::vector<std::int64_t> lambda(t.num_right, 0);
      for (int step = 0; step < 12; ++step) {
        std::vector<std::uint32_t> changed;
        std::vector<std::int64_t> delta(t.num_right, 0);
        for (std::uint32_t j = 0; j < t.num_right; ++j)
          if (rng() % 4 == 0) {
            const auto next = static_cast<std::int64_t>(rng() % 80);
            delta[j] = next - lambda[j];
            lambda[j] = next;
            changed.push_back(j);
          }
        for (std::uint32_t i = 0; i < t.num_left; ++i)
          for (auto e = t.offsets[i]; e < t.offsets[i + 1]; ++e)
            if (is_public[i]) t.values[e] += delta[t.targets[e]];
        ExpectResolveEqualsCold(resolver, t, changed);
      }
    }
  }
}

// SolveAssignmentReleasing (the batch's call: the problem's targets released during the solve,
// its pairs read back from the network and its list of pairs left out) against SolveAssignment on
// the random contracts, with fixed pairs (their participants leave the network) and openings
// without positions (their pairs have no network edge) on some seeds: the same assignment, bound,
// certificate, multipliers and quota reports, and the targets back as they were.
TEST(SolveAssignmentReleasing, EqualsSolveAssignmentAndRestoresTheTargets) {
  int with_fixed = 0, with_empty_openings = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto p = RandomContracts(seed);
    if (seed % 3 == 0 && p.num_openings > 1) {
      p.positions[seed % p.num_openings] = 0;
      with_empty_openings += std::count(p.targets.begin(), p.targets.end(), seed % p.num_openings) > 0 ? 1 : 0;
    }
    AssignmentOptions options;
    options.mode = seed % 2 == 0 ? ObjectiveMode::kScore : ObjectiveMode::kFillThenScore;
    if (seed % 4 < 2) {
      const auto cold = SolveAssignment(p, options);
      for (std::uint32_t i = 0; i < p.num_participants && options.fixed.size() < 2; ++i)
        if (cold.opening_of[i] != kNone && (i + seed) % 3 == 0) options.fixed.push_back({i, cold.opening_of[i]});
      with_fixed += options.fixed.empty() ? 0 : 1;
    }
    const auto expected = SolveAssignment(p, options);
    const auto targets = p.targets;
    const auto got = SolveAssignmentReleasing(p, options);
    EXPECT_EQ(p.targets, targets);
    EXPECT_EQ(got.status, expected.status);
    EXPECT_EQ(got.opening_of, expected.opening_of);
    EXPECT_EQ(got.total_weight, expected.total_weight);
    EXPECT_EQ(got.filled, expected.filled);
    EXPECT_EQ(got.bound.method, expected.bound.method);
    EXPECT_EQ(ToDecimal(got.bound.objective), ToDecimal(expected.bound.objective));
    EXPECT_EQ(ToDecimal(got.bound.bound), ToDecimal(expected.bound.bound));
    EXPECT_EQ(got.bound.proven, expected.bound.proven);
    EXPECT_EQ(got.bound.shortfall, expected.bound.shortfall);
    EXPECT_EQ(got.bound.solves, expected.bound.solves);
    EXPECT_EQ(got.certificate.Verdict(), expected.certificate.Verdict());
    EXPECT_EQ(got.multipliers, expected.multipliers);
    ASSERT_EQ(got.quotas.size(), expected.quotas.size());
    for (std::size_t g = 0; g < got.quotas.size(); ++g) {
      const auto& a = got.quotas[g];
      const auto& b = expected.quotas[g];
      EXPECT_EQ(std::tie(a.achieved, a.shortfall, a.public_candidates, a.taken_by_other_quotas, a.taken_elsewhere,
                         a.positions, a.positions_left),
                std::tie(b.achieved, b.shortfall, b.public_candidates, b.taken_by_other_quotas, b.taken_elsewhere,
                         b.positions, b.positions_left))
          << "group " << g;
    }
  }
  EXPECT_GT(with_fixed, 10);
  EXPECT_GT(with_empty_openings, 10);
}

}  // namespace
}  // namespace clausematch::matcher::assignment
