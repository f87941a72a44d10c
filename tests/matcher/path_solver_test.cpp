// The augmenting-path backend on the cases its design singles out: both search sides (fewer or
// more positions than people, and balanced), rows longer than the sorted head, parallel edges,
// capacities above the in-degree, negative gains, the auction fallback, and the exact duals.
#include "matcher/assignment/path_solver.hpp"

#include <gtest/gtest.h>

#include <random>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/instance_generator.hpp"
#include "matcher/assignment/reference_solvers.hpp"

namespace clausematch::matcher::assignment {
namespace {

// Random transport problem: L left, R right, edges with probability `density`, gains in
// [low, high], capacities in [0, max_cap] (0 allowed), optional parallel edges.
TransportProblem RandomTransport(std::mt19937_64& rng, std::uint32_t L, std::uint32_t R, double density,
                                 std::int64_t low, std::int64_t high, std::int64_t max_cap, bool parallel) {
  TransportProblem t;
  t.num_left = L;
  t.num_right = R;
  std::uniform_int_distribution<std::int64_t> cap(0, max_cap), gain(low, high);
  std::bernoulli_distribution take(density), twice(0.2);
  for (std::uint32_t j = 0; j < R; ++j) t.capacity.push_back(cap(rng));
  t.offsets.push_back(0);
  for (std::uint32_t i = 0; i < L; ++i) {
    for (std::uint32_t j = 0; j < R; ++j) {
      if (!take(rng)) continue;
      t.targets.push_back(j);
      t.values.push_back(gain(rng));
      if (parallel && twice(rng)) {
        t.targets.push_back(j);
        t.values.push_back(gain(rng));
      }
    }
    t.offsets.push_back(t.targets.size());
  }
  return t;
}

void ExpectSameOptimumAsOracle(const TransportProblem& t) {
  const auto ours = PathSolver().Solve(t, nullptr);
  const auto oracle = BoostSspSolver().Solve(t, nullptr);
  ASSERT_EQ(ours.status, Status::kOptimal) << ours.message;
  ASSERT_EQ(oracle.status, Status::kOptimal) << oracle.message;
  const auto report = CheckCertificate(t, ours);
  EXPECT_TRUE(report.optimal) << report.Verdict();
  EXPECT_EQ(report.scale, 1);                    // exact duals, not epsilon-optimal ones
  EXPECT_EQ(report.negative_residual_arcs, 0u);  // complementary slackness holds exactly
  EXPECT_EQ(ToDecimal(ours.value), ToDecimal(oracle.value));
}

TEST(PathSolver, RandomBothSidesAgainstBoost) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Alternate: many people few positions (positions side), few people many positions
    // (participants side), and balanced.
    const std::uint32_t L = round % 3 == 0 ? 30 : round % 3 == 1 ? 8 : 15;
    const std::uint32_t R = round % 3 == 0 ? 5 : round % 3 == 1 ? 12 : 6;
    const auto t =
        RandomTransport(rng, L, R, 0.4, round % 5 == 0 ? -3 : 0, round % 2 == 0 ? 4 : 1000, 4, round % 4 == 0);
    ExpectSameOptimumAsOracle(t);
  }
}

TEST(PathSolver, LongRowsBeyondTheSortedHead) {
  // 400 people all candidates of 3 openings (rows of 400 > 16 sorted entries), gains with ties,
  // and of 40 (participants side: 3 x 30 positions against 40 people).
  std::mt19937_64 rng(11);
  for (std::uint32_t L : {400u, 40u}) {
    for (int round = 0; round < 5; ++round) {
      auto t = RandomTransport(rng, L, 3, 1.0, 0, 20, 30, false);
      ExpectSameOptimumAsOracle(t);
    }
  }
}

TEST(PathSolver, HandCheckedParallelEdgesAndHugeCapacity) {
  // Left 0 has two edges to right 0 (gains 5 and 7); left 1 has gain 6 to right 0 and 1 to right 1.
  // Right 0 holds one; right 1 has capacity 1000, far above its in-degree. Optimum: left 0 takes
  // right 0 by its 7 edge and left 1 takes right 1: 8. (Left 1 on right 0 leaves left 0 out: 6.)
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 2;
  t.capacity = {1, 1000};
  t.offsets = {0, 2, 4};
  t.targets = {0, 0, 0, 1};
  t.values = {5, 7, 6, 1};
  const auto s = PathSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(s.assigned_edge[0], 1u);
  EXPECT_EQ(s.assigned_edge[1], 3u);
  EXPECT_EQ(static_cast<std::int64_t>(s.value), 8);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
}

TEST(PathSolver, MustAssignAllAndWideGainsGoToTheAuction) {
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 1;
  t.capacity = {2};
  t.offsets = {0, 1, 2};
  t.targets = {0, 0};
  t.values = {-4, 3};  // a negative gain: only taken because everyone must be assigned
  t.must_assign_all = true;
  auto s = PathSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(static_cast<std::int64_t>(s.value), -1);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
  t.must_assign_all = false;
  t.values = {std::int64_t{1} << 61, 3};  // beyond the 64-bit potentials' range
  s = PathSolver().Solve(t, nullptr);
  ASSERT_EQ(s.status, Status::kOptimal);
  EXPECT_EQ(s.value, (Int128{1} << 61) + 3);
  EXPECT_TRUE(CheckCertificate(t, s).optimal);
}

TEST(PathSolver, GeneratedInstancesBothSidesAgainstBoost) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    InstanceParams params;
    params.seed = seed;
    params.participants = 300;
    params.openings = seed % 2 == 0 ? 30 : 300;  // ~55 or ~550 positions for 300 people
    params.avg_degree = 8;
    params.quota_fraction = seed % 3 == 0 ? 0.3 : 0.0;
    const auto problem = GenerateInstance(params);
    AssignmentOptions oracle;
    oracle.solver = SolverKind::kBoost;
    const auto expected = SolveAssignment(problem, oracle);
    const auto got = SolveAssignment(problem, AssignmentOptions{});
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_TRUE(got.certificate.optimal) << got.certificate.Verdict();
    EXPECT_EQ(got.filled, expected.filled);
    EXPECT_EQ(got.total_weight, expected.total_weight);
    EXPECT_EQ(ToDecimal(got.transport.value), ToDecimal(expected.transport.value));
  }
}

}  // namespace
}  // namespace clausematch::matcher::assignment
