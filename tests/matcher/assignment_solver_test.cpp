// Every assignment backend under the same tests: inline cases a person can check by hand, seeded
// random instances against a brute-force oracle (which also checks the model: quotas, objective
// modes) and against the Boost.Graph oracle, degenerate inputs, and the certificate.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/instance_generator.hpp"
#include "tests/matcher/assignment_test_util.hpp"

namespace clausematch::matcher::assignment {
namespace {

using testing::BruteForce;
using testing::MakeProblem;

struct Ours {
  static constexpr SolverKind kKind = SolverKind::kOurs;
  static constexpr bool kExact = true;
};
struct Auction {
  static constexpr SolverKind kKind = SolverKind::kAuction;
  static constexpr bool kExact = true;
};
struct Boost {
  static constexpr SolverKind kKind = SolverKind::kBoost;
  static constexpr bool kExact = true;
};
struct Greedy {
  static constexpr SolverKind kKind = SolverKind::kGreedy;
  static constexpr bool kExact = false;
};

template <typename Backend>
class AssignmentBackendTest : public ::testing::Test {
 protected:
  static AssignmentResult Solve(const AssignmentProblem& p, ObjectiveMode mode = ObjectiveMode::kFillThenScore,
                                std::vector<FixedPair> fixed = {}) {
    AssignmentOptions options;
    options.mode = mode;
    options.solver = Backend::kKind;
    options.fixed = std::move(fixed);
    return SolveAssignment(p, options);
  }
  // Feasibility always; for exact backends: optimal status and a certificate that holds.
  static void ExpectSound(const AssignmentResult& r) {
    EXPECT_TRUE(r.certificate.feasible) << r.certificate.reason;
    if constexpr (Backend::kExact) {
      EXPECT_TRUE(r.certificate.optimal) << r.certificate.Verdict();
    }
  }
};

using Backends = ::testing::Types<Ours, Auction, Boost, Greedy>;
TYPED_TEST_SUITE(AssignmentBackendTest, Backends);

constexpr std::uint32_t A = 0, B = 1, C = 2;
constexpr std::uint32_t X = 0, Y = 1;

// A: X .9, Y .8 | B: X .7 | C: Y .1 ; X and Y one position each.
// Both fill two positions: A-X + C-Y = 1.0, A-Y + B-X = 1.5 -> optimum A-Y, B-X (1.5).
// Greedy takes A-X (.9) first and ends with A-X, C-Y = 1.0.
TYPED_TEST(AssignmentBackendTest, HandCheckedTwoOpenings) {
  const auto p = MakeProblem(3, {1, 1}, {{A, X, .9}, {A, Y, .8}, {B, X, .7}, {C, Y, .1}});
  const auto r = this->Solve(p);
  this->ExpectSound(r);
  EXPECT_EQ(r.filled, 2u);
  if constexpr (TypeParam::kExact) {
    EXPECT_EQ(r.status, Status::kOptimal);
    EXPECT_EQ(r.total_weight, 1'500'000);
    EXPECT_EQ(r.opening_of[A], Y);
    EXPECT_EQ(r.opening_of[B], X);
    EXPECT_EQ(r.opening_of[C], kNone);
  } else {
    EXPECT_EQ(r.status, Status::kFeasible);
    EXPECT_EQ(r.total_weight, 1'000'000);
    EXPECT_FALSE(r.certificate.optimal);
  }
}

// A: X 1.0, Y .3 | B: X .5 ; one position each.
// score: A-X alone = 1.0 beats A-Y + B-X = 0.8; fill-then-score: two filled first -> 0.8.
TYPED_TEST(AssignmentBackendTest, ObjectiveModesDiffer) {
  const auto p = MakeProblem(2, {1, 1}, {{A, X, 1.0}, {A, Y, .3}, {B, X, .5}});
  const auto fill = this->Solve(p, ObjectiveMode::kFillThenScore);
  const auto score = this->Solve(p, ObjectiveMode::kScore);
  this->ExpectSound(fill);
  this->ExpectSound(score);
  if constexpr (TypeParam::kExact) {
    EXPECT_EQ(fill.filled, 2u);
    EXPECT_EQ(fill.total_weight, 800'000);
    EXPECT_EQ(score.filled, 1u);
    EXPECT_EQ(score.total_weight, 1'000'000);
  }
}

// X has 2 positions and a quota of 1 for public bit 0. A .9, B .8 (not in the public), C .1 (in it).
// Without the quota A + B = 1.7; with it A + C = 1.0.
TYPED_TEST(AssignmentBackendTest, QuotaMet) {
  auto p = MakeProblem(3, {2}, {{A, X, .9}, {B, X, .8}, {C, X, .1}}, {0, 0, 1});
  p.quotas.push_back({{X}, 0, 1, 7});
  const auto r = this->Solve(p);
  this->ExpectSound(r);
  ASSERT_EQ(r.quotas.size(), 1u);
  EXPECT_EQ(r.quotas[0].contract_index, 7u);
  if constexpr (TypeParam::kExact) {
    EXPECT_EQ(r.status, Status::kOptimal);
    EXPECT_EQ(r.total_weight, 1'000'000);
    EXPECT_EQ(r.opening_of[C], X);
    EXPECT_EQ(r.quotas[0].achieved, 1);
    EXPECT_EQ(r.quotas[0].shortfall, 0);
  }
}

// Same, quota of 2: only C is in the public -> shortfall 1, best achievable A + C reported.
TYPED_TEST(AssignmentBackendTest, QuotaShortfallReported) {
  auto p = MakeProblem(3, {2}, {{A, X, .9}, {B, X, .8}, {C, X, .1}}, {0, 0, 1});
  p.quotas.push_back({{X}, 0, 2, 0});
  const auto r = this->Solve(p);
  this->ExpectSound(r);
  if constexpr (TypeParam::kExact) {
    EXPECT_EQ(r.status, Status::kInfeasible);
    EXPECT_EQ(r.quotas[0].required, 2);
    EXPECT_EQ(r.quotas[0].achieved, 1);
    EXPECT_EQ(r.quotas[0].shortfall, 1);
    EXPECT_EQ(r.total_weight, 1'000'000);
  }
}

TYPED_TEST(AssignmentBackendTest, DegenerateInputs) {
  // No participants, no openings.
  for (const auto& p : {MakeProblem(0, {}, {}), MakeProblem(0, {3}, {}), MakeProblem(4, {}, {})}) {
    const auto r = this->Solve(p);
    this->ExpectSound(r);
    EXPECT_EQ(r.filled, 0u);
  }
  // Edges but zero positions.
  {
    const auto r = this->Solve(MakeProblem(2, {0, 0}, {{A, X, .5}, {B, Y, .5}}));
    this->ExpectSound(r);
    EXPECT_EQ(r.filled, 0u);
  }
  // Zero-weight edges are still filled in fill-then-score mode.
  {
    const auto r = this->Solve(MakeProblem(2, {1, 1}, {{A, X, 0}, {B, Y, 0}}));
    this->ExpectSound(r);
    if constexpr (TypeParam::kExact) {
      EXPECT_EQ(r.filled, 2u);
    }
  }
  // One participant, many openings: takes the best.
  {
    const auto r = this->Solve(MakeProblem(1, {1, 1, 1, 1}, {{A, 0, .2}, {A, 1, .9}, {A, 2, .4}, {A, 3, .9}}));
    this->ExpectSound(r);
    EXPECT_EQ(r.total_weight, 900'000);
  }
  // All weights equal, more people than positions: any maximum assignment.
  {
    std::vector<testing::EdgeRow> rows;
    for (std::uint32_t i = 0; i < 6; ++i)
      for (std::uint32_t o = 0; o < 3; ++o) rows.push_back({i, o, .5});
    const auto r = this->Solve(MakeProblem(6, {1, 2, 1}, rows));
    this->ExpectSound(r);
    EXPECT_EQ(r.filled, 4u);
    EXPECT_EQ(r.total_weight, 2'000'000);
  }
}

TYPED_TEST(AssignmentBackendTest, FixedPairsStay) {
  // A is fixed on Y although A-X would be better; B then takes X.
  const auto p = MakeProblem(3, {1, 1}, {{A, X, .9}, {A, Y, .1}, {B, X, .7}, {C, Y, .6}});
  const auto r = this->Solve(p, ObjectiveMode::kFillThenScore, {{A, Y}});
  this->ExpectSound(r);
  EXPECT_EQ(r.opening_of[A], Y);
  EXPECT_EQ(r.opening_of[C], kNone);
  if constexpr (TypeParam::kExact) {
    EXPECT_EQ(r.opening_of[B], X);
    EXPECT_EQ(r.total_weight, 800'000);
  }
}

// Small random problems (quotas on single openings, ties, zero positions) against brute force.
AssignmentProblem RandomSmall(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto participants = static_cast<std::uint32_t>(rng() % 7);
  const auto openings = static_cast<std::uint32_t>(rng() % 5);
  std::vector<std::int32_t> positions(openings);
  for (auto& x : positions) x = static_cast<std::int32_t>(rng() % 4);
  const bool ties = rng() % 3 == 0;
  std::vector<testing::EdgeRow> rows;
  for (std::uint32_t i = 0; i < participants; ++i)
    for (std::uint32_t o = 0; o < openings; ++o)
      if (rng() % 2 == 0 && rows.size() < 18)
        rows.push_back(
            {i, o, ties ? static_cast<double>(rng() % 3) / 2.0 : static_cast<double>(rng() % 1001) / 1000.0});
  std::vector<std::uint32_t> publics(participants);
  for (auto& b : publics) b = static_cast<std::uint32_t>(rng() % 4);
  auto p = MakeProblem(participants, positions, rows, publics);
  for (std::uint32_t o = 0; o < openings; ++o)
    if (rng() % 3 == 0)
      p.quotas.push_back({{o}, static_cast<std::uint32_t>(rng() % 2), static_cast<std::int32_t>(rng() % 4), o});
  return p;
}

TYPED_TEST(AssignmentBackendTest, RandomAgainstBruteForce) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const auto p = RandomSmall(seed);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      const auto r = this->Solve(p, mode);
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      this->ExpectSound(r);
      const auto brute = BruteForce(p, mode);
      std::int64_t units = 0;
      for (const auto& q : r.quotas) units += std::min(q.achieved, q.required);
      if constexpr (TypeParam::kExact) {
        ASSERT_EQ(units, brute.quota_units);
        if (mode == ObjectiveMode::kFillThenScore) {
          ASSERT_EQ(r.filled, brute.filled);
        }
        ASSERT_EQ(r.total_weight, brute.weight);
        const bool short_any = std::any_of(r.quotas.begin(), r.quotas.end(), [](auto& q) { return q.shortfall > 0; });
        ASSERT_EQ(r.status, short_any ? Status::kInfeasible : Status::kOptimal);
      } else {
        EXPECT_LE(std::make_tuple(units, r.filled, r.total_weight),
                  std::make_tuple(brute.quota_units, mode == ObjectiveMode::kFillThenScore ? brute.filled : 1 << 30,
                                  std::int64_t{1} << 60));
      }
    }
  }
}

// Larger seeded instances (geographic generator) against the Boost oracle.
TYPED_TEST(AssignmentBackendTest, GeneratedAgainstBoostOracle) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    InstanceParams params;
    params.participants = 20 + static_cast<std::uint32_t>(seed * 7 % 60);
    params.openings = 5 + static_cast<std::uint32_t>(seed % 20);
    params.avg_degree = 2 + static_cast<double>(seed % 6);
    params.seed = seed;
    params.quota_fraction = seed % 3 == 0 ? 0.3 : 0.0;
    params.weight_levels = seed % 4 == 0 ? 3 : 0;
    const auto p = GenerateInstance(params);
    AssignmentOptions oracle_options;
    oracle_options.solver = SolverKind::kBoost;
    const auto oracle = SolveAssignment(p, oracle_options);
    ASSERT_TRUE(oracle.certificate.optimal) << oracle.certificate.Verdict();
    const auto r = this->Solve(p);
    SCOPED_TRACE("seed " + std::to_string(seed));
    this->ExpectSound(r);
    if constexpr (TypeParam::kExact) {
      EXPECT_EQ(r.filled, oracle.filled);
      EXPECT_EQ(r.total_weight, oracle.total_weight);
      EXPECT_EQ(r.transport.value, oracle.transport.value);
    } else {
      EXPECT_LE(r.transport.value, oracle.transport.value);
    }
  }
}

// Balanced markets (positions about as many as people, on either side of parity) against the
// Boost oracle, in both objective modes: the shapes whose last augmenting paths are long.
TYPED_TEST(AssignmentBackendTest, BalancedGeneratedAgainstBoostOracle) {
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    InstanceParams params;
    params.participants = 60 + static_cast<std::uint32_t>(seed * 13 % 90);
    // The generator averages 1.84 positions per opening: from 0.92 to 1.08 positions per person.
    const double ratio = 0.92 + 0.02 * static_cast<double>(seed % 9);
    params.openings = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(params.participants * ratio / 1.84));
    params.avg_degree = 3 + static_cast<double>(seed % 7);
    params.seed = seed;
    params.quota_fraction = seed % 4 == 0 ? 0.3 : 0.0;
    params.weight_levels = seed % 5 == 0 ? 3 : 0;
    const auto p = GenerateInstance(params);
    for (auto mode : {ObjectiveMode::kFillThenScore, ObjectiveMode::kScore}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (mode == ObjectiveMode::kScore ? " score" : " fill"));
      AssignmentOptions oracle_options;
      oracle_options.mode = mode;
      oracle_options.solver = SolverKind::kBoost;
      const auto oracle = SolveAssignment(p, oracle_options);
      ASSERT_TRUE(oracle.certificate.optimal) << oracle.certificate.Verdict();
      const auto r = this->Solve(p, mode);
      this->ExpectSound(r);
      if constexpr (TypeParam::kExact) {
        // In score mode the filled count is not unique (pairs of weight 0 may or may not be taken).
        if (mode == ObjectiveMode::kFillThenScore) {
          EXPECT_EQ(r.filled, oracle.filled);
        }
        EXPECT_EQ(r.total_weight, oracle.total_weight);
        EXPECT_EQ(r.transport.value, oracle.transport.value);
      } else {
        EXPECT_LE(r.transport.value, oracle.transport.value);
      }
    }
  }
}

// Two groups on the same opening (a contract with an RSA and an under-26 quota): both are
// enforced (side groups, lagrangian.hpp). X: 2 positions; A (bit 0) .2, B (bit 1) .3, C (no bit)
// .9. Meeting both takes A and B (.5), although C would score more.
TEST(AssignmentQuota, BothGroupsOnAnOpeningAreEnforced) {
  auto p = MakeProblem(3, {2}, {{A, X, .2}, {B, X, .3}, {C, X, .9}}, {1, 2, 0});
  p.quotas.push_back({{X}, 0, 1, 0});
  p.quotas.push_back({{X}, 1, 1, 0});
  for (auto kind : {SolverKind::kOurs, SolverKind::kAuction, SolverKind::kBoost}) {
    AssignmentOptions options;
    options.solver = kind;
    const auto r = SolveAssignment(p, options);
    ASSERT_NE(r.status, Status::kBadInput);
    EXPECT_TRUE(r.certificate.optimal) << r.certificate.Verdict();
    EXPECT_EQ(r.opening_of[A], X);
    EXPECT_EQ(r.opening_of[B], X);
    EXPECT_EQ(r.opening_of[C], kNone);
    ASSERT_EQ(r.quotas.size(), 2u);
    EXPECT_EQ(r.quotas[0].shortfall, 0);
    EXPECT_EQ(r.quotas[1].shortfall, 0);
    EXPECT_EQ(r.status, Status::kOptimal);
    EXPECT_TRUE(r.bound.optimal());
  }
}

TEST(AssignmentRange, QuotaBonusOverflowIsAStatus) {
  // 4 million participants (no edges) and 4 million positions: the quota bonus K*(W + K*W),
  // K = min(P, positions), exceeds 2^62.
  AssignmentProblem p;
  p.num_participants = 4'000'000;
  p.num_openings = 1;
  p.positions = {4'000'000};
  p.offsets.assign(p.num_participants + 1, 0);
  p.quotas.push_back({{0}, 0, 1, 0});
  const auto r = SolveAssignment(p, AssignmentOptions{});
  EXPECT_EQ(r.status, Status::kBadCostRange);
  // Score mode keeps the bonus small enough to compile.
  AssignmentOptions score;
  score.mode = ObjectiveMode::kScore;
  EXPECT_EQ(Compile(p, score).status, Status::kOptimal);
}

// A national batch: millions of participants, far fewer positions. The bonuses over P overflow,
// those over K = min(P, positions) do not, and the optimum is the one of the same market with
// only the people who have candidates (the same choice, the same shortfall, certified).
TEST(AssignmentRange, BonusesOverPositionsWhenParticipantsOverflow) {
  constexpr std::uint32_t D = 3;
  const std::vector<testing::EdgeRow> rows{{A, X, .2}, {B, X, .3}, {C, X, .9}, {C, Y, .8}, {D, Y, .4}};
  const std::vector<std::uint32_t> small_publics{1, 0, 0, 1};
  auto small = MakeProblem(4, {1, 1}, rows, small_publics);
  std::vector<std::uint32_t> big_publics(4'000'000, 0);
  std::copy(small_publics.begin(), small_publics.end(), big_publics.begin());
  auto big = MakeProblem(4'000'000, {1, 1}, rows, big_publics);
  for (auto* p : {&small, &big}) p->quotas.push_back({{X}, 0, 1, 0});  // X: one RSA (A) at least
  for (auto kind : {SolverKind::kOurs}) {
    AssignmentOptions options;
    options.solver = kind;
    const auto want = SolveAssignment(small, options);
    const auto got = SolveAssignment(big, options);
    ASSERT_EQ(want.status, Status::kOptimal);
    ASSERT_EQ(got.status, Status::kOptimal) << got.message;
    EXPECT_TRUE(got.certificate.optimal) << got.certificate.Verdict();
    EXPECT_TRUE(got.bound.optimal());
    for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(got.opening_of[i], want.opening_of[i]) << i;
    EXPECT_EQ(got.opening_of[A], X);  // the quota outweighs C's .9 there
    EXPECT_EQ(got.opening_of[C], Y);  // both positions filled before the score
    EXPECT_EQ(got.total_weight, want.total_weight);
    ASSERT_EQ(got.quotas.size(), 1u);
    EXPECT_EQ(got.quotas[0].shortfall, 0);
  }
}

TEST(AssignmentRange, Auction64BitLimitIsAStatus) {
  // Gains near 2^61: the scaled prices need 128 bits.
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 1;
  t.capacity = {1};
  t.offsets = {0, 1, 2};
  t.targets = {0, 0};
  t.values = {std::int64_t{1} << 61, (std::int64_t{1} << 61) - 5};
  AuctionOptions narrow;
  narrow.allow_wide_arithmetic = false;
  EXPECT_EQ(AuctionSolver(narrow).Solve(t, nullptr).status, Status::kBadCostRange);
  const auto wide = AuctionSolver().Solve(t, nullptr);
  ASSERT_EQ(wide.status, Status::kOptimal);
  EXPECT_TRUE(CheckCertificate(t, wide).optimal);
  EXPECT_EQ(wide.value, std::int64_t{1} << 61);
}

TEST(AssignmentWarmStart, AddedOpeningsGiveTheColdOptimum) {
  for (auto kind : {SolverKind::kOurs, SolverKind::kAuction})
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      InstanceParams params;
      params.participants = 150;
      params.openings = 30;
      params.avg_degree = 6;
      params.seed = seed;
      params.quota_fraction = seed % 2 == 0 ? 0.2 : 0.0;
      const auto full = GenerateInstance(params);
      // The first solve sees only the first 20 openings (edges to the others dropped).
      AssignmentProblem before = full;
      before.num_openings = 20;
      before.positions.resize(20);
      before.offsets = {0};
      before.targets.clear();
      before.weights.clear();
      for (std::uint32_t i = 0; i < full.num_participants; ++i) {
        for (auto e = full.offsets[i]; e < full.offsets[i + 1]; ++e) {
          if (full.targets[e] < 20) {
            before.targets.push_back(full.targets[e]);
            before.weights.push_back(full.weights[e]);
          }
        }
        before.offsets.push_back(before.targets.size());
      }
      std::erase_if(before.quotas, [](const QuotaGroup& q) { return q.openings[0] >= 20; });
      AssignmentOptions first_options;
      first_options.solver = kind;
      const auto first = SolveAssignment(before, first_options);
      ASSERT_TRUE(first.certificate.optimal);
      // Facilitators accepted the first three proposals.
      AssignmentOptions options;
      options.solver = kind;
      for (std::uint32_t i = 0; i < full.num_participants && options.fixed.size() < 3; ++i)
        if (first.opening_of[i] != kNone) options.fixed.push_back({i, first.opening_of[i]});
      const auto warm = SolveAssignment(full, options, &first);
      const auto cold = SolveAssignment(full, options);
      SCOPED_TRACE("seed " + std::to_string(seed) + (kind == SolverKind::kOurs ? " ours" : " auction"));
      ASSERT_TRUE(warm.certificate.optimal) << warm.certificate.Verdict();
      ASSERT_TRUE(cold.certificate.optimal);
      EXPECT_EQ(warm.filled, cold.filled);
      EXPECT_EQ(warm.total_weight, cold.total_weight);
      EXPECT_EQ(warm.transport.value, cold.transport.value);
      for (const auto& f : options.fixed) EXPECT_EQ(warm.opening_of[f.participant], f.opening);
      EXPECT_LE(warm.transport.phases, cold.transport.phases);
    }
}

TEST(AssignmentCertificate, RejectsSuboptimalAndInfeasible) {
  // One opening (1 position), two participants .9 and .5.
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 1;
  t.capacity = {1};
  t.offsets = {0, 1, 2};
  t.targets = {0, 0};
  t.values = {9, 5};
  TransportSolution s;
  s.assigned_edge = {kNoEdge, 1};  // the worse one
  s.value = 5;
  s.status = Status::kFeasible;
  EXPECT_FALSE(ComputeExactPotentials(t, s));  // negative cycle: swap to the better one
  s.left_potential = {0, 0};
  s.right_potential = {0};
  auto report = CheckCertificate(t, s);
  EXPECT_TRUE(report.feasible);
  EXPECT_FALSE(report.optimal);
  // Optimal one with exact potentials: primal = dual.
  s.assigned_edge = {0, kNoEdge};
  s.value = 9;
  ASSERT_TRUE(ComputeExactPotentials(t, s));
  report = CheckCertificate(t, s);
  EXPECT_TRUE(report.optimal) << report.Verdict();
  EXPECT_EQ(report.scaled_primal_cost, report.scaled_dual_bound);
  EXPECT_EQ(report.negative_residual_arcs, 0u);
  // Over capacity.
  s.assigned_edge = {0, 1};
  s.value = 14;
  report = CheckCertificate(t, s);
  EXPECT_FALSE(report.feasible);
  EXPECT_NE(report.reason.find("over capacity"), std::string::npos);
}

}  // namespace
}  // namespace clausematch::matcher::assignment
