// The candidate graph built incrementally (GraphOptions::known: the cuts of unchanged openings
// taken from a previous build) against the graph built from scratch, edge for edge, on seeded
// random instances to which contracts are added, an opening changed and another closed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "data/referential_loader.hpp"
#include "instance_edits.hpp"
#include "matcher/matcher.hpp"
#include "random_instance.hpp"

namespace clausematch::matcher {
namespace {

const model::Referential& RealReferential() {
  static const auto kRef = data::LoadReferential(CLAUSEMATCH_SOURCE_DIR "/data/reference");
  return *kRef;
}

// Each opening's cut, by opening id, read back from a graph.
std::map<model::OpeningId, OpeningCut> CutsOf(const CandidateGraph& g) {
  std::map<model::OpeningId, OpeningCut> cuts;
  const auto& pr = g.problem;
  for (std::uint32_t r = 0; r < pr.num_openings; ++r) cuts[g.opening_ids[r]].counts = g.opening_counts[r];
  for (std::uint32_t i = 0; i < pr.num_participants; ++i)
    for (auto e = pr.offsets[i]; e < pr.offsets[i + 1]; ++e)
      cuts[g.opening_ids[pr.targets[e]]].edges.push_back({i, pr.weights[e]});
  return cuts;
}

void ExpectSameGraph(const CandidateGraph& a, const CandidateGraph& b) {
  const auto& x = a.problem;
  const auto& y = b.problem;
  ASSERT_EQ(x.num_participants, y.num_participants);
  ASSERT_EQ(x.num_openings, y.num_openings);
  EXPECT_EQ(a.opening_ids, b.opening_ids);
  EXPECT_EQ(x.positions, y.positions);
  EXPECT_EQ(x.offsets, y.offsets);
  EXPECT_EQ(x.targets, y.targets);
  EXPECT_EQ(x.weights, y.weights);
  EXPECT_EQ(x.participant_publics, y.participant_publics);
  EXPECT_EQ(x.participant_provisional, y.participant_provisional);
  ASSERT_EQ(x.quotas.size(), y.quotas.size());
  for (std::size_t q = 0; q < x.quotas.size(); ++q) {
    EXPECT_EQ(x.quotas[q].openings, y.quotas[q].openings);
    EXPECT_EQ(x.quotas[q].public_bit, y.quotas[q].public_bit);
    EXPECT_EQ(x.quotas[q].min_count, y.quotas[q].min_count);
  }
  EXPECT_EQ(a.opening_counts, b.opening_counts);
  EXPECT_EQ(a.pairs_in_reach, b.pairs_in_reach);
  EXPECT_EQ(a.pairs_eligible, b.pairs_eligible);
  EXPECT_EQ(a.pairs_conditional, b.pairs_conditional);
}

struct Case {
  std::uint64_t seed;
  std::uint32_t participants;
  std::uint32_t contracts;
  std::size_t cap;
  double twin_chance;
};

class WarmGraph : public ::testing::TestWithParam<Case> {};

TEST_P(WarmGraph, EqualsTheGraphBuiltFromScratch) {
  const auto& ref = RealReferential();
  const Case c = GetParam();
  testing::RandomInstanceOptions opt;
  opt.seed = c.seed;
  opt.participants = c.participants;
  opt.contracts = c.contracts;
  opt.twin_chance = c.twin_chance;
  const model::Dataset before = RandomInstance(ref, opt);
  MatcherOptions mo;
  mo.today = opt.today;
  GraphOptions keep;
  keep.max_candidates_per_opening = c.cap;
  std::map<model::OpeningId, OpeningCut> cuts;
  {
    const Matcher engine(ref, before, mo);
    cuts = CutsOf(engine.BuildCandidateGraph(keep));
  }
  ASSERT_FALSE(cuts.empty());

  // New contracts (another seed's, about a third more), one opening changed, one closed.
  auto extra_opt = opt;
  extra_opt.seed = c.seed + 1000;
  extra_opt.contracts = std::max<std::uint32_t>(1, c.contracts / 3);
  model::Dataset after = testing::WithContractsOf(before, RandomInstance(ref, extra_opt));
  std::set<model::OpeningId> changed;
  int closed = 0;
  for (auto& o : after.openings) {
    if (o.status != model::OpeningStatus::kOpen || !cuts.contains(o.id)) continue;
    if (changed.empty()) {
      o.max_distance_km = o.max_distance_km == 10 ? 20 : 10;
      o.weekly_hours += 1;
      changed.insert(o.id);
    } else if (closed == 0) {
      o.status = model::OpeningStatus::kClosed;
      ++closed;
    }
  }
  ASSERT_EQ(changed.size(), 1u);
  ASSERT_EQ(closed, 1);

  const Matcher engine(ref, after, mo);
  const CandidateGraph cold = engine.BuildCandidateGraph(keep);
  GraphOptions warm_options = keep;
  std::uint32_t offered = 0;
  warm_options.known = [&](std::uint32_t j) -> std::optional<OpeningCut> {
    const auto id = after.openings[j].id;
    auto it = cuts.find(id);
    if (it == cuts.end() || changed.contains(id)) return std::nullopt;
    ++offered;
    return std::move(it->second);
  };
  const CandidateGraph warm = engine.BuildCandidateGraph(warm_options);
  EXPECT_EQ(warm.openings_reused, offered);
  EXPECT_EQ(cold.openings_reused, 0u);
  EXPECT_GT(offered, 0u);
  EXPECT_LT(offered, warm.problem.num_openings);  // the new and the changed ones were scanned
  // The reused cuts' publics are recomputed: participant_publics and participant_provisional equal
  // the cold build's, which folds in each pair's as it keeps it.
  ExpectSameGraph(warm, cold);
}

INSTANTIATE_TEST_SUITE_P(Seeded, WarmGraph,
                         ::testing::Values(Case{1, 300, 12, GraphOptions::kDefaultMaxCandidatesPerOpening, 0.0},
                                           Case{2, 500, 18, 5, 0.0}, Case{3, 400, 15, 3, 0.5},
                                           Case{4, 250, 9, 0, 0.3}));

// A known cut's pairs, weights and counts are taken as given: the builder does not second-guess
// the caller (the service answers only for openings whose inputs are unchanged). The publics each
// pair counts are not part of a cut: they are the compiled verdict's at the opening's hire date.
TEST(WarmGraph, TakesAKnownCutAsGiven) {
  const auto& ref = RealReferential();
  testing::RandomInstanceOptions opt;
  opt.seed = 7;
  const model::Dataset d = RandomInstance(ref, opt);
  MatcherOptions mo;
  mo.today = opt.today;
  const Matcher engine(ref, d, mo);
  const CandidateGraph cold = engine.BuildCandidateGraph();
  ASSERT_GT(cold.problem.num_openings, 0u);
  const std::uint32_t first = cold.opening_index[0];
  // A located participant with no pair in the cold graph: the known cut gives it its only pair.
  std::uint32_t lone = 0;
  while (lone < d.participants.size() &&
         (!engine.HomeOf(lone) || cold.problem.offsets[lone] != cold.problem.offsets[lone + 1]))
    ++lone;
  ASSERT_LT(lone, d.participants.size());
  GraphOptions options;
  options.known = [&](std::uint32_t j) -> std::optional<OpeningCut> {
    if (j != first) return std::nullopt;
    OpeningCut cut;
    cut.edges.push_back({lone, 123});
    cut.counts = {7, 5, 1};
    return cut;
  };
  const CandidateGraph warm = engine.BuildCandidateGraph(options);
  EXPECT_EQ(warm.openings_reused, 1u);
  const auto& pr = warm.problem;
  std::uint32_t edges_to_first = 0;
  for (std::uint32_t i = 0; i < pr.num_participants; ++i)
    for (auto e = pr.offsets[i]; e < pr.offsets[i + 1]; ++e)
      if (pr.targets[e] == 0) {
        ++edges_to_first;
        EXPECT_EQ(i, lone);
        EXPECT_EQ(pr.weights[e], 123);
      }
  EXPECT_EQ(edges_to_first, 1u);
  const auto verdict = engine.CompiledVerdict(lone, first);
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ(pr.participant_publics[lone], verdict->counted().bits());
  EXPECT_EQ(pr.participant_provisional[lone], (verdict->provisional & verdict->counted()).bits());
  EXPECT_EQ(warm.opening_counts[0], (CutCounts{7, 5, 1}));
}

// A known cut naming a participant without a location (never a candidate) is refused.
TEST(WarmGraph, RefusesAKnownCutWithAnUnlocatedParticipant) {
  const auto& ref = RealReferential();
  testing::RandomInstanceOptions opt;
  opt.seed = 8;
  model::Dataset d = RandomInstance(ref, opt);
  d.participants[0].location.reset();
  d.participants[0].commune_insee = "00000";
  MatcherOptions mo;
  mo.today = opt.today;
  const Matcher engine(ref, d, mo);
  ASSERT_FALSE(engine.HomeOf(0).has_value());
  const CandidateGraph cold = engine.BuildCandidateGraph();
  ASSERT_GT(cold.problem.num_openings, 0u);
  GraphOptions options;
  options.known = [&](std::uint32_t j) -> std::optional<OpeningCut> {
    if (j != cold.opening_index[0]) return std::nullopt;
    OpeningCut cut;
    cut.edges.push_back({0, 1});
    return cut;
  };
  EXPECT_THROW((void)engine.BuildCandidateGraph(options), std::invalid_argument);
}

}  // namespace
}  // namespace clausematch::matcher
