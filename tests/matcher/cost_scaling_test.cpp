// The cost-scaling backend (cost_scaling.hpp) against the Boost SSP oracle on seeded random
// instances: both sides of parity and balanced markets, capacities 0 and above the in-degree,
// parallel edges, negative gains, heavy ties, generated instances in both objective modes and with
// quota classes, and the problems it hands to PathSolver (must_assign_all, gains beyond its range).
// Every solve must carry a certificate that the independent checker accepts.
#include "matcher/assignment/cost_scaling.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/instance_generator.hpp"
#include "matcher/assignment/reference_solvers.hpp"
#include "tests/matcher/assignment_test_util.hpp"

namespace clausematch::matcher::assignment {
namespace {

using testing::RandomTransport;

// The cost-scaling solve of `t`: optimal, certified by the independent checker, the oracle's value.
void ExpectOracleOptimum(const TransportProblem& t, bool runs_itself = true) {
  const auto oracle = BoostSspSolver().Solve(t, nullptr);
  ASSERT_EQ(oracle.status, Status::kOptimal) << oracle.message;
  EXPECT_EQ(CostScalingSolver::Supports(t), runs_itself);
  const auto got = CostScalingSolver().Solve(t, nullptr);
  ASSERT_EQ(got.status, Status::kOptimal) << got.message;
  const auto report = CheckCertificate(t, got);
  EXPECT_TRUE(report.optimal) << report.Verdict();
  if (runs_itself) {
    EXPECT_GT(report.scale, 1);  // epsilon-optimal prices, scaled: the method itself ran
    EXPECT_GT(got.phases, 0u);
  }
  EXPECT_EQ(ToDecimal(got.value), ToDecimal(oracle.value));
}

TEST(CostScaling, HandChecked) {
  const auto t = testing::HandCheckedTransport();
  const auto s = CostScalingSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(s.assigned_edge[0], 1u);
  EXPECT_EQ(s.assigned_edge[1], 3u);
  EXPECT_EQ(static_cast<std::int64_t>(s.value), 8);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
}

TEST(CostScaling, RandomBothSidesAgainstBoost) {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Many people few positions, few people many positions, balanced.
    const std::uint32_t L = round % 3 == 0 ? 30 : round % 3 == 1 ? 8 : 15;
    const std::uint32_t R = round % 3 == 0 ? 5 : round % 3 == 1 ? 12 : 6;
    const auto t =
        RandomTransport(rng, L, R, 0.4, round % 5 == 0 ? -3 : 0, round % 2 == 0 ? 4 : 1000, 4, round % 4 == 0);
    ExpectOracleOptimum(t);
  }
}

TEST(CostScaling, DegenerateInputs) {
  std::mt19937_64 rng(3);
  // No edges; every capacity 0; no right node; no left node.
  ExpectOracleOptimum(RandomTransport(rng, 5, 3, 0.0, 0, 9, 3, false));
  auto zero = RandomTransport(rng, 6, 4, 0.8, 1, 9, 0, false);
  ExpectOracleOptimum(zero);
  ExpectOracleOptimum(RandomTransport(rng, 4, 0, 0.5, 1, 9, 3, false));
  ExpectOracleOptimum(RandomTransport(rng, 0, 4, 0.5, 1, 9, 3, false));
  // Only negative gains: nobody is assigned.
  const auto negative = RandomTransport(rng, 6, 3, 0.9, -9, -1, 2, false);
  const auto s = CostScalingSolver().Solve(negative, nullptr);
  for (auto e : s.assigned_edge) EXPECT_EQ(e, kNoEdge);
  ExpectOracleOptimum(negative);
}

// Balanced markets (positions within 10% of the people), generated with geography, in both
// objective modes, with heavy ties on some seeds and network quota classes on others (their bonus
// takes the gains past the method's range on larger seeds: then PathSolver solves them).
TEST(CostScaling, BalancedGeneratedAgainstBoost) {
  constexpr double kPositionsPerOpening = 1.84;  // the generator's mean
  for (std::uint64_t seed = 1; seed <= 18; ++seed) {
    InstanceParams params;
    params.seed = seed;
    params.participants = 240 + static_cast<std::uint32_t>(seed % 4) * 40;
    const double ratio = std::array<double, 6>{0.9, 0.95, 0.99, 1.0, 1.04, 1.1}[seed % 6];
    params.openings = static_cast<std::uint32_t>(std::lround(params.participants * ratio / kPositionsPerOpening));
    params.avg_degree = std::array<double, 3>{4, 8, 16}[seed % 3];
    params.weight_levels = seed % 5 == 0 ? 4 : 0;
    params.quota_fraction = seed % 4 == 0 ? 0.3 : 0.0;
    const auto problem = GenerateInstance(params);
    for (const auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      AssignmentOptions options;
      options.mode = mode;
      const auto compiled = Compile(problem, options);
      ASSERT_EQ(compiled.status, Status::kOptimal) << compiled.message;
      ExpectOracleOptimum(compiled.transport, CostScalingSolver::Supports(compiled.transport));
      if (params.quota_fraction == 0.0) {
        EXPECT_TRUE(CostScalingSolver::Supports(compiled.transport));
      }
    }
  }
}

TEST(CostScaling, LargerBalancedAgainstPathSolver) {
  // ~2,800 to 3,100 positions for 3,000 people, degree 12: thousands of pushes per refine, several
  // global price updates. The path solver's exact optimum is the reference (Boost is too slow).
  for (const std::uint32_t openings : {1500u, 1630u, 1700u}) {
    InstanceParams params;
    params.seed = openings;
    params.participants = 3000;
    params.openings = openings;
    params.avg_degree = 12;
    const auto compiled = Compile(GenerateInstance(params), AssignmentOptions{});
    ASSERT_EQ(compiled.status, Status::kOptimal);
    const auto& t = compiled.transport;
    ASSERT_TRUE(CostScalingSolver::Supports(t));
    const auto reference = PathSolver().Solve(t, nullptr);
    const auto got = CostScalingSolver().Solve(t, nullptr);
    SCOPED_TRACE("openings " + std::to_string(openings));
    ASSERT_EQ(got.status, Status::kOptimal);
    EXPECT_TRUE(CheckCertificate(t, got).optimal);
    EXPECT_GT(got.phases, 1u);
    EXPECT_EQ(ToDecimal(got.value), ToDecimal(reference.value));
  }
}

TEST(CostScaling, OutOfScopeGoesToThePathSolver) {
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 1;
  t.capacity = {2};
  t.offsets = {0, 1, 2};
  t.targets = {0, 0};
  t.values = {-4, 3};  // a negative gain: only taken because everyone must be assigned
  t.must_assign_all = true;
  EXPECT_FALSE(CostScalingSolver::Supports(t));
  auto s = CostScalingSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(static_cast<std::int64_t>(s.value), -1);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
  t.must_assign_all = false;
  t.values = {std::int64_t{1} << 55, 3};  // K * 2^55 is beyond the scaled range
  EXPECT_FALSE(CostScalingSolver::Supports(t));
  s = CostScalingSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(s.value, (Int128{1} << 55) + 3);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
}

}  // namespace
}  // namespace clausematch::matcher::assignment
