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

// Each opening's cut, by opening id, read back from a graph built with keep_edge_publics.
std::map<model::OpeningId, OpeningCut> CutsOf(const CandidateGraph& g) {
  std::map<model::OpeningId, OpeningCut> cuts;
  const auto& pr = g.problem;
  for (std::uint32_t r = 0; r < pr.num_openings; ++r) cuts[g.opening_ids[r]].counts = g.opening_counts[r];
  for (std::uint32_t i = 0; i < pr.num_participants; ++i)
    for (auto e = pr.offsets[i]; e < pr.offsets[i + 1]; ++e)
      cuts[g.opening_ids[pr.targets[e]]].edges.push_back({i, pr.weights[e], g.edge_counted[e], g.edge_provisional[e]});
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
  keep.keep_edge_publics = true;
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
  ExpectSameGraph(warm, cold);
  EXPECT_EQ(warm.edge_counted, cold.edge_counted);
  EXPECT_EQ(warm.edge_provisional, cold.edge_provisional);
}

INSTANTIATE_TEST_SUITE_P(Seeded, WarmGraph,
                         ::testing::Values(Case{1, 300, 12, GraphOptions::kDefaultMaxCandidatesPerOpening, 0.0},
                                           Case{2, 500, 18, 5, 0.0}, Case{3, 400, 15, 3, 0.5},
                                           Case{4, 250, 9, 0, 0.3}));

// A known cut is taken as given, publics included: the builder does not second-guess the caller
// (the service answers only for openings whose inputs are unchanged).
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
  GraphOptions options;
  options.keep_edge_publics = true;
  options.known = [&](std::uint32_t j) -> std::optional<OpeningCut> {
    if (j != first) return std::nullopt;
    OpeningCut cut;
    cut.edges.push_back({2, 123, 0, 0});  // participant 2 counts for no public there
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
        EXPECT_EQ(i, 2u);
        EXPECT_EQ(pr.weights[e], 123);
      }
  EXPECT_EQ(edges_to_first, 1u);
  EXPECT_EQ(pr.participant_publics[2], 0u);
  EXPECT_EQ(warm.opening_counts[0], (CutCounts{7, 5, 1}));
}

}  // namespace
}  // namespace clausematch::matcher
