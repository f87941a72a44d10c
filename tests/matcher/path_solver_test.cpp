// The augmenting-path backend on the cases its design singles out: both search sides (fewer or
// more positions than people, and balanced markets, where the last searches go far), rows longer
// than the sorted head, rows large enough for the huge-page allocation, parallel edges,
// capacities above the in-degree, negative gains, the auction fallback, and the exact duals.
#include "matcher/assignment/path_solver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/instance_generator.hpp"
#include "matcher/assignment/reference_solvers.hpp"
#include "tests/matcher/assignment_test_util.hpp"

namespace clausematch::matcher::assignment {
namespace {

using testing::RandomTransport;

// Both row layouts of the positions' side: gains inline (below kInlineGainEdges, the default
// here) and 4-byte rows of edges, gains read through the edge index and left nodes off the
// forward CSR (what regional networks get).
constexpr std::uint64_t kRowLayouts[] = {kInlineGainEdges, 0};

// Our solve of `t` in both row layouts: optimal with exact duals, and of value `expected`.
void ExpectOptimumInBothLayouts(const TransportProblem& t, Int128 expected) {
  for (const auto layout : kRowLayouts) {
    SCOPED_TRACE(layout == 0 ? "4-byte rows" : "inline gains");
    const auto ours = PathSolver({}, layout).Solve(t, nullptr);
    ASSERT_EQ(ours.status, Status::kOptimal) << ours.message;
    const auto report = CheckCertificate(t, ours);
    EXPECT_TRUE(report.optimal) << report.Verdict();
    EXPECT_EQ(report.scale, 1);                    // exact duals, not epsilon-optimal ones
    EXPECT_EQ(report.negative_residual_arcs, 0u);  // complementary slackness holds exactly
    EXPECT_EQ(ToDecimal(ours.value), ToDecimal(expected));
  }
}

void ExpectSameOptimumAsOracle(const TransportProblem& t) {
  const auto oracle = BoostSspSolver().Solve(t, nullptr);
  ASSERT_EQ(oracle.status, Status::kOptimal) << oracle.message;
  ExpectOptimumInBothLayouts(t, oracle.value);
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
  const auto t = testing::HandCheckedTransport();
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

// The 4-byte row layout (the one above kInlineGainEdges: a regional network's, each row's 16 best
// entries found during the fill) on generated instances of about 60,000 to 90,000 edges: the
// auction's optimum (Boost's SSP is for small instances), both certified.
TEST(PathSolver, EdgeRowsAgainstAuction) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    InstanceParams params;
    params.seed = seed;
    params.participants = 4000 + 2000 * static_cast<std::uint32_t>(seed % 2);
    params.openings = 200;
    params.avg_degree = 20;
    params.quota_fraction = seed % 2 == 0 ? 0.3 : 0.0;
    const auto problem = GenerateInstance(params);
    const auto compiled = Compile(problem, AssignmentOptions{});
    ASSERT_GT(compiled.transport.num_edges(), std::uint64_t{1} << 15);
    const auto got = PathSolver({}, 0).Solve(compiled.transport, nullptr);
    const auto expected = AuctionSolver().Solve(compiled.transport, nullptr);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_TRUE(CheckCertificate(compiled.transport, got).optimal);
    EXPECT_TRUE(CheckCertificate(compiled.transport, expected).optimal);
    EXPECT_EQ(ToDecimal(got.value), ToDecimal(expected.value));
  }
}

// A transport problem for the row layouts' comparison below: `L` left nodes, runs of them without
// edges (a run can cover several 64-edge blocks of the edge-owner table), rows of 0 to 150 edges
// into distinct right nodes, gains from a narrow range (ties, broken by the lower left node in
// both layouts).
TransportProblem RowLayoutInstance(std::mt19937_64& rng, std::uint32_t L, std::uint32_t R) {
  TransportProblem t;
  t.num_left = L;
  t.num_right = R;
  for (std::uint32_t j = 0; j < R; ++j) t.capacity.push_back(static_cast<std::int64_t>(rng() % 6));
  t.offsets.push_back(0);
  std::vector<std::uint32_t> all(R);
  for (std::uint32_t j = 0; j < R; ++j) all[j] = j;
  std::uint32_t empty_run = 0;
  for (std::uint32_t i = 0; i < L; ++i) {
    if (empty_run == 0 && rng() % 200 == 0) empty_run = 1 + static_cast<std::uint32_t>(rng() % 200);
    if (empty_run > 0) {
      --empty_run;
    } else {
      std::shuffle(all.begin(), all.end(), rng);
      const auto degree = static_cast<std::uint32_t>(rng() % std::min<std::uint32_t>(R, 150));
      for (std::uint32_t k = 0; k < degree; ++k) {
        t.targets.push_back(all[k]);
        t.values.push_back(static_cast<std::int64_t>(rng() % 40) - 5);
      }
    }
    t.offsets.push_back(t.targets.size());
  }
  return t;
}

// The 4-byte rows (an edge per entry, its left node read off the forward CSR through the table of
// every 64th edge's owner) against the 16-byte rows (left node and gain inline): with no parallel
// edges both read their rows in the same order, so a cold solve and each re-solve after gain moves
// give the same assignment and the same duals, not only the same value.
TEST(PathSolver, EdgeRowsEqualInlineRows) {
  std::mt19937_64 rng(23);
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::uint32_t L = 1500 + static_cast<std::uint32_t>(rng() % 2500);
    const std::uint32_t R = 20 + static_cast<std::uint32_t>(rng() % 130);
    auto t = RowLayoutInstance(rng, L, R);
    ASSERT_GT(t.num_edges(), 64u);
    // Fewer positions than people with edges: PathSolver searches from the positions' side.
    std::int64_t positions = 0, people = 0;
    for (auto c : t.capacity) positions += c;
    for (std::uint32_t i = 0; i < L; ++i) people += t.offsets[i + 1] > t.offsets[i] ? 1 : 0;
    ASSERT_LT(positions, people);
    const auto inline_rows = PathSolver({}, kInlineGainEdges).Solve(t, nullptr);
    const auto edge_rows = PathSolver({}, 0).Solve(t, nullptr);
    ASSERT_EQ(edge_rows.status, Status::kOptimal);
    EXPECT_TRUE(CheckCertificate(t, edge_rows).optimal);
    EXPECT_EQ(edge_rows.assigned_edge, inline_rows.assigned_edge);
    EXPECT_EQ(edge_rows.left_potential, inline_rows.left_potential);
    EXPECT_EQ(edge_rows.right_potential, inline_rows.right_potential);
    PathResolver by_inline(t, kInlineGainEdges), by_edge(t, 0);
    (void)by_inline.Solve({});
    (void)by_edge.Solve({});
    for (int step = 0; step < 3; ++step) {
      std::vector<std::uint32_t> changed;
      for (std::uint32_t j = 0; j < R; ++j)
        if (rng() % 4 == 0) changed.push_back(j);
      std::vector<char> moved(R, 0);
      for (auto j : changed) moved[j] = 1;
      for (std::uint64_t e = 0; e < t.num_edges(); ++e)
        if (moved[t.targets[e]] && rng() % 2 == 0) t.values[e] += static_cast<std::int64_t>(rng() % 30) - 10;
      const auto a = by_inline.Solve(changed);
      const auto b = by_edge.Solve(changed);
      EXPECT_TRUE(CheckCertificate(t, b).optimal);
      EXPECT_EQ(b.assigned_edge, a.assigned_edge);
      EXPECT_EQ(b.left_potential, a.left_potential);
      EXPECT_EQ(ToDecimal(b.value), ToDecimal(a.value));
    }
  }
}

// Balanced markets (positions within 10% of the people, either side of parity), generated with
// geography, in both objective modes, against the Boost oracle: the shapes whose last searches
// cross the whole instance.
TEST(PathSolver, BalancedGeneratedAgainstBoost) {
  constexpr double kPositionsPerOpening = 1.84;  // the generator's mean (1-5 positions, mostly 1-2)
  for (std::uint64_t seed = 1; seed <= 18; ++seed) {
    InstanceParams params;
    params.seed = seed;
    params.participants = 240 + static_cast<std::uint32_t>(seed % 4) * 40;
    const double ratio = std::array<double, 6>{0.9, 0.95, 0.99, 1.0, 1.04, 1.1}[seed % 6];
    params.openings = static_cast<std::uint32_t>(std::lround(params.participants * ratio / kPositionsPerOpening));
    params.avg_degree = std::array<double, 3>{4, 8, 16}[seed % 3];
    params.weight_levels = seed % 5 == 0 ? 4 : 0;  // heavy ties
    const auto problem = GenerateInstance(params);
    for (const auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      AssignmentOptions oracle;
      oracle.mode = mode;
      oracle.solver = SolverKind::kBoost;
      const auto expected = SolveAssignment(problem, oracle);
      AssignmentOptions ours;
      ours.mode = mode;
      const auto got = SolveAssignment(problem, ours);
      ASSERT_TRUE(got.certificate.optimal) << got.certificate.Verdict();
      EXPECT_EQ(got.certificate.scale, 1);
      // In score mode the filled count is not unique (pairs of weight 0 may or may not be taken).
      if (mode == ObjectiveMode::kFillThenScore) {
        EXPECT_EQ(got.filled, expected.filled);
      }
      EXPECT_EQ(got.total_weight, expected.total_weight);
      EXPECT_EQ(ToDecimal(got.transport.value), ToDecimal(expected.transport.value));
    }
  }
}

// Rows past the huge-page threshold (more than 4 MB of row entries: ~640,000 edges), balanced,
// on either side of parity, in both row layouts: the certificate proves the optimum and the
// auction, an independent exact method, reaches the same value.
TEST(PathSolver, LargeBalancedInstancesAgainstAuction) {
  for (const std::uint32_t openings : {4200u, 4600u}) {  // ~7,700 and ~8,500 positions for 8,000 people
    InstanceParams params;
    params.seed = openings;
    params.participants = 8000;
    params.openings = openings;
    params.avg_degree = 80;
    const auto problem = GenerateInstance(params);
    const auto compiled = Compile(problem, AssignmentOptions{});
    ASSERT_EQ(compiled.status, Status::kOptimal) << compiled.message;
    const auto& t = compiled.transport;
    ASSERT_GT(t.num_edges() * 8, std::uint64_t{4} << 20);  // huge pages for both layouts
    SCOPED_TRACE("openings " + std::to_string(openings));
    const auto auction = AuctionSolver().Solve(t, nullptr);
    ASSERT_EQ(auction.status, Status::kOptimal) << auction.message;
    ExpectOptimumInBothLayouts(t, auction.value);
  }
}

}  // namespace
}  // namespace clausematch::matcher::assignment
