// The candidate graph against an all-pairs oracle that uses no spatial index and none of the
// matcher's precomputed data: for every open opening and every participant, reach, eligibility
// and score are recomputed from the model types (PairInputsFor) and compared edge by edge.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <tuple>

#include "data/referential_loader.hpp"
#include "fixtures.hpp"
#include "matcher/eligibility.hpp"
#include "matcher/matcher.hpp"
#include "random_instance.hpp"

namespace clausematch::matcher {
namespace {

const model::Referential& RealReferential() {
  static const auto kRef = data::LoadReferential(CLAUSEMATCH_SOURCE_DIR "/data/reference");
  return *kRef;
}

// Folded commune index, written independently of matcher::CityCommune.
std::uint32_t OracleCommune(const model::Referential& ref, const std::string& insee) {
  static const std::map<std::string, std::uint32_t> kByInsee = [&] {  // one referential per run
    std::map<std::string, std::uint32_t> m;
    for (std::uint32_t i = 0; i < ref.communes().size(); ++i) m.emplace(ref.communes()[i].insee, i);
    return m;
  }();
  const auto* by_insee = &kByInsee;
  auto it = by_insee->find(insee);
  if (it == by_insee->end()) return kNoCommune;
  const auto& c = ref.communes()[it->second];
  if (!c.arrondissement) return it->second;
  auto parent = by_insee->find(c.parent_insee);
  return parent == by_insee->end() ? it->second : parent->second;
}

struct OracleEdge {
  std::int32_t weight = 0;
  double score = 0.0;
  model::CriterionSet counted;      // valid or provisional at the hire date
  model::CriterionSet provisional;  // renewable: valid today, lapsing before the hire
};

// What the placements say about a pair, written independently of Matcher::FactsFor.
PlacementFacts OracleFacts(const model::Dataset& d, const model::Participant& p, const model::Opening& o,
                           model::Date today) {
  PlacementFacts facts;
  const auto hire = HireDate(o, today);
  for (const auto& pl : d.placements) {
    if (pl.participant != p.id) continue;
    if (pl.opening == o.id)
      facts.on_this_opening = true;
    else if ((pl.status == model::PlacementStatus::kAccepted || pl.status == model::PlacementStatus::kHired) &&
             pl.start <= o.end && pl.end >= hire)
      facts.placed_during_opening = true;
  }
  return facts;
}

// participant index -> (opening id -> edge)
// With `counts`, also each open opening's pairs in reach, eligible and eligible subject to renewal
// (by opening id).
std::vector<std::map<std::uint32_t, OracleEdge>> AllPairs(const model::Referential& ref, const SkillSpace& space,
                                                          const model::Dataset& d, const MatcherOptions& opt,
                                                          std::map<std::uint32_t, CutCounts>* counts = nullptr) {
  std::vector<std::map<std::uint32_t, OracleEdge>> out(d.participants.size());
  for (const auto& o : d.openings) {
    if (o.status != model::OpeningStatus::kOpen) continue;
    const model::Contract* c = d.FindContract(o.contract);
    const auto w_raw = ref.FindCommune(o.worksite_insee);
    const model::GeoPoint worksite = o.worksite_location ? *o.worksite_location : w_raw->centre;
    const std::uint32_t w_commune = OracleCommune(ref, o.worksite_insee);
    for (std::size_t i = 0; i < d.participants.size(); ++i) {
      const auto& p = d.participants[i];
      const auto* home_commune = ref.FindCommune(p.commune_insee);
      if (!p.location && !home_commune) continue;
      const model::GeoPoint home = p.location ? *p.location : home_commune->centre;
      const std::uint32_t h_commune = OracleCommune(ref, p.commune_insee);
      const auto reach = Reach(home, h_commune, p.mobility_radius_km, worksite, w_commune, o.max_distance_km);
      if (!reach.in_reach) continue;
      const auto verdict = CheckEligibility(p, *c, o, opt.today, OracleFacts(d, p, o, opt.today));
      if (counts != nullptr) {
        CutCounts& n = (*counts)[o.id.value()];
        ++n.pairs_in_reach;
        n.pairs_eligible += verdict.eligible() ? 1 : 0;
        n.pairs_conditional += verdict.conditional() ? 1 : 0;
      }
      if (!verdict.eligible()) continue;
      const auto in =
          PairInputsFor(ref, space, opt.weights, p, *c, o, home, h_commune, worksite, w_commune, verdict, opt.today);
      const auto score = Combine(in, opt.weights).total;
      out[i][o.id.value()] = {static_cast<std::int32_t>(std::lround(score * kWeightScale)), score, verdict.counted(),
                              verdict.provisional};
    }
  }
  return out;
}

testing::RandomInstanceOptions InstanceOptions(std::uint64_t seed, std::uint32_t participants, std::uint32_t contracts,
                                               std::uint32_t openings_per_contract, double twin_chance = 0.0) {
  testing::RandomInstanceOptions ro;
  ro.seed = seed;
  ro.twin_chance = twin_chance;
  ro.participants = participants;
  ro.contracts = contracts;
  ro.openings_per_contract = openings_per_contract;
  return ro;
}

TEST(CandidateGraph, EqualsTheAllPairsOracleOnSeededRandomInstances) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  // Seeds 4 and 5: openings repeating their contract's previous one (same worksite, mostly the
  // same trade or start).
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    const auto ro = InstanceOptions(seed, 400, 10, 3, seed >= 4 ? 0.6 : 0.0);
    const auto data = testing::RandomInstance(ref, ro);
    const MatcherOptions opt{ro.today, {}};
    const Matcher matcher(ref, data, opt, space);
    const auto g = matcher.BuildCandidateGraph({.max_candidates_per_opening = 0, .progress = {}, .known = {}});
    ASSERT_EQ(CheckWellFormed(g.problem), "");
    std::map<std::uint32_t, CutCounts> oracle_counts;
    const auto oracle = AllPairs(ref, *space, data, opt, &oracle_counts);
    // Each opening's counts: pairs in reach, eligible, eligible subject to renewal.
    std::uint64_t conditional = 0;
    for (std::uint32_t r = 0; r < g.problem.num_openings; ++r) {
      const auto it = oracle_counts.find(g.opening_ids[r].value());
      const CutCounts want = it == oracle_counts.end() ? CutCounts{} : it->second;
      EXPECT_EQ(g.opening_counts[r], want) << "seed " << seed << ", opening " << g.opening_ids[r].value();
      conditional += want.pairs_conditional;
    }
    EXPECT_EQ(g.pairs_conditional, conditional);
    EXPECT_GT(conditional, 0u) << "seed " << seed << ": some pairs should be eligible subject to renewal";

    std::size_t oracle_edges = 0;
    for (std::size_t i = 0; i < data.participants.size(); ++i) {
      std::map<std::uint32_t, std::int32_t> got;
      model::CriterionSet publics = model::CriterionSet::FromBits(0xffffffffu);
      model::CriterionSet provisional;
      for (auto e = g.problem.offsets[i]; e < g.problem.offsets[i + 1]; ++e) {
        if (e > g.problem.offsets[i]) {
          EXPECT_LT(g.problem.targets[e - 1], g.problem.targets[e]);
        }
        got[g.opening_ids[g.problem.targets[e]].value()] = g.problem.weights[e];
      }
      std::map<std::uint32_t, std::int32_t> want;
      for (const auto& [id, edge] : oracle[i]) {
        want[id] = edge.weight;
        publics = publics & edge.counted;
        provisional = provisional | edge.provisional;
      }
      oracle_edges += want.size();
      EXPECT_EQ(got, want) << "seed " << seed << ", participant " << data.participants[i].id.value();
      if (want.empty()) publics = ValidCriteriaAt(data.participants[i], opt.today);
      EXPECT_EQ(g.problem.participant_publics[i], publics.bits()) << "participant " << i;
      EXPECT_EQ(g.problem.participant_provisional[i], (provisional & publics).bits()) << "participant " << i;
    }
    EXPECT_EQ(g.problem.num_edges(), oracle_edges);
    EXPECT_GT(oracle_edges, 50u) << "the instance should not be trivial";
    // Every open opening is a right node, with its positions minus accepted/hired placements.
    std::size_t open = 0;
    for (const auto& o : data.openings) open += o.status == model::OpeningStatus::kOpen;
    EXPECT_EQ(g.problem.num_openings, open);
    for (std::uint32_t r = 0; r < g.problem.num_openings; ++r) {
      const auto& o = data.openings[g.opening_index[r]];
      int taken = 0;
      for (const auto& pl : data.placements)
        taken += pl.opening == o.id &&
                 (pl.status == model::PlacementStatus::kAccepted || pl.status == model::PlacementStatus::kHired);
      EXPECT_EQ(g.problem.positions[r], std::max(0, o.positions - taken));
    }
  }
}

// Each opening's counts and every edge's weight against the all-pairs oracle (no cut); the oracle's
// edge count.
std::size_t ExpectTheOraclesCountsAndEdges(const model::Referential& ref, const SkillSpace& space,
                                           const model::Dataset& data, const MatcherOptions& opt,
                                           const CandidateGraph& g) {
  std::map<std::uint32_t, CutCounts> oracle_counts;
  const auto oracle = AllPairs(ref, space, data, opt, &oracle_counts);
  for (std::uint32_t r = 0; r < g.problem.num_openings; ++r) {
    const auto it = oracle_counts.find(g.opening_ids[r].value());
    EXPECT_EQ(g.opening_counts[r], it == oracle_counts.end() ? CutCounts{} : it->second)
        << "opening " << g.opening_ids[r].value();
  }
  std::size_t edges = 0;
  for (std::size_t i = 0; i < data.participants.size(); ++i) {
    std::map<std::uint32_t, std::int32_t> got, want;
    for (auto e = g.problem.offsets[i]; e < g.problem.offsets[i + 1]; ++e)
      got[g.opening_ids[g.problem.targets[e]].value()] = g.problem.weights[e];
    for (const auto& [id, edge] : oracle[i]) want[id] = edge.weight;
    edges += want.size();
    EXPECT_EQ(got, want) << "participant " << data.participants[i].id.value();
  }
  return edges;
}

// The graph tests a person against all the reach limits of a worksite's chunk of openings at once,
// as a mask, and takes the exact distance only for the pairs inside a limit's rounding band. Here
// many pairs sit exactly at their limit: a person's radius, or an opening's maximum distance, is
// set to the pair's own distance, or to the double just below or above it.
TEST(CandidateGraph, PairsAtTheirReachLimitGiveTheOraclesGraph) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  for (std::uint64_t seed : {7u, 8u}) {
    const auto ro = InstanceOptions(seed, 400, 10, 4, 0.6);
    auto data = testing::RandomInstance(ref, ro);
    std::mt19937_64 gen(seed);
    auto home = [&](const model::Participant& p) -> std::optional<model::GeoPoint> {
      if (p.location) return *p.location;
      const auto* commune = ref.FindCommune(p.commune_insee);
      if (commune == nullptr) return std::nullopt;  // not located: no pair
      return commune->centre;
    };
    auto worksite = [&](const model::Opening& o) {
      return o.worksite_location ? *o.worksite_location : ref.FindCommune(o.worksite_insee)->centre;
    };
    auto near = [&](double km) {
      switch (gen() % 3) {
        case 0:
          return std::nextafter(km, 0.0);
        case 1:
          return std::nextafter(km, 1e9);
        default:
          return km;
      }
    };
    auto& people = data.participants;
    auto& openings = data.openings;
    for (auto& p : people)
      if (const auto at = home(p); at && gen() % 2 == 0)
        p.mobility_radius_km = near(model::HaversineKm(*at, worksite(openings[gen() % openings.size()])));
    for (auto& o : openings)
      if (const auto at = home(people[gen() % people.size()]); at && gen() % 3 == 0)
        o.max_distance_km = near(model::HaversineKm(*at, worksite(o)));
    std::size_t at_limit = 0;
    for (const auto& o : openings)
      for (const auto& p : people) {
        const auto at = home(p);
        if (!at) continue;
        const double km = model::HaversineKm(*at, worksite(o));
        at_limit += km == p.mobility_radius_km || km == std::nextafter(p.mobility_radius_km, 0.0) ||
                    km == std::nextafter(p.mobility_radius_km, 1e9) || km == o.max_distance_km;
      }
    EXPECT_GT(at_limit, 100u) << "seed " << seed;
    const MatcherOptions opt{ro.today, {}};
    const Matcher matcher(ref, data, opt, space);
    const auto g = matcher.BuildCandidateGraph({.max_candidates_per_opening = 0, .progress = {}, .known = {}});
    ASSERT_EQ(CheckWellFormed(g.problem), "");
    EXPECT_GT(ExpectTheOraclesCountsAndEdges(ref, *space, data, opt, g), 50u) << "seed " << seed;
  }
}

// The matcher prepares its participants in parallel by blocks of 4,096 slots, then lays the blocks'
// rows (skills, wanted fiches and appellations, proof intervals) end to end. With several blocks,
// every pair's verdict and weight must still be the oracle's, and the index progress must count
// every located participant once, in order.
TEST(CandidateGraph, ParticipantsPreparedByBlocksGiveTheOraclesGraph) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  const auto ro = InstanceOptions(21, 9000, 5, 4);
  const auto data = testing::RandomInstance(ref, ro);
  const MatcherOptions opt{ro.today, {}};
  std::vector<std::pair<std::size_t, std::size_t>> reports;
  const Matcher matcher(ref, data, opt, space,
                        [&reports](std::size_t done, std::size_t total) { reports.emplace_back(done, total); });
  ASSERT_GE(reports.size(), 4u) << "three blocks or more: (0, total), then one report per block";
  EXPECT_EQ(reports.front().first, 0u);
  EXPECT_GT(reports.back().second, 2u * 4096u);
  EXPECT_EQ(reports.back().first, reports.back().second);
  for (std::size_t r = 1; r < reports.size(); ++r) {
    EXPECT_GT(reports[r].first, reports[r - 1].first);
    EXPECT_EQ(reports[r].second, reports.front().second);
  }
  const auto g = matcher.BuildCandidateGraph({.max_candidates_per_opening = 0, .progress = {}, .known = {}});
  EXPECT_GT(ExpectTheOraclesCountsAndEdges(ref, *space, data, opt, g), 300u) << "the instance should not be trivial";
  // The compiled verdicts read each person's proof intervals through the laid-out offsets.
  std::size_t checked = 0;
  for (std::uint32_t j = 0; j < data.openings.size(); ++j) {
    const auto& o = data.openings[j];
    const model::Contract* c = data.FindContract(o.contract);
    for (std::uint32_t i = 0; i < data.participants.size(); i += 7) {
      const auto fast = matcher.CompiledVerdict(i, j);
      if (!fast) continue;
      const auto& p = data.participants[i];
      ASSERT_EQ(*fast, CheckEligibility(p, *c, o, ro.today, OracleFacts(data, p, o, ro.today)))
          << "participant " << p.id.value() << ", opening " << o.id.value();
      ++checked;
    }
  }
  EXPECT_GT(checked, 4000u);
}

// With a per-opening cut, the graph keeps for each opening exactly the oracle's `cap` best eligible
// pairs by (score desc, participant id asc): whatever the build skips to go faster (today the score
// bound that spares pairs the full score once the cut is known) must not change a single edge.
// Openings share worksites (several openings per contract) and most have more eligible candidates
// than the cut.
TEST(CandidateGraph, CutEqualsTheAllPairsOracleOnSeededRandomInstances) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  std::size_t openings_over_cap = 0;
  // Seeds 25 and 26: openings repeating their contract's previous one (same worksite, mostly the
  // same trade or start; the build takes a worksite's openings together), placements on some.
  std::size_t twins = 0;
  for (std::uint64_t seed : {21u, 22u, 23u, 24u, 25u, 26u}) {
    const auto ro = InstanceOptions(seed, 500, 8, 4, seed >= 25 ? 0.6 : 0.0);
    const auto data = testing::RandomInstance(ref, ro);
    const MatcherOptions opt{ro.today, {}};
    const Matcher matcher(ref, data, opt, space);
    const auto oracle = AllPairs(ref, *space, data, opt);
    for (std::size_t j = 1; j < data.openings.size(); ++j) {
      const auto& a = data.openings[j - 1];
      const auto& b = data.openings[j];
      twins += a.contract == b.contract && (a.appellation == b.appellation || a.start == b.start) &&
               a.worksite_insee == b.worksite_insee && a.worksite_location == b.worksite_location;
    }
    // opening id -> (score, participant id, participant index) of every eligible pair in reach.
    std::map<std::uint32_t, std::vector<std::tuple<double, std::uint32_t, std::size_t>>> by_opening;
    for (std::size_t i = 0; i < data.participants.size(); ++i)
      for (const auto& [id, edge] : oracle[i])
        by_opening[id].emplace_back(edge.score, data.participants[i].id.value(), i);
    for (std::size_t cap : {1u, 4u, 15u}) {
      const auto g = matcher.BuildCandidateGraph({.max_candidates_per_opening = cap, .progress = {}, .known = {}});
      ASSERT_EQ(CheckWellFormed(g.problem), "");
      // The oracle's cut, as participant index -> (opening id -> weight), and the publics it implies.
      std::vector<std::map<std::uint32_t, std::int32_t>> want(data.participants.size());
      std::uint64_t eligible = 0;
      for (auto& [id, pairs] : by_opening) {
        eligible += pairs.size();
        std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
          if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
          return std::get<1>(a) < std::get<1>(b);
        });
        openings_over_cap += pairs.size() > cap ? 1 : 0;
        for (std::size_t r = 0; r < std::min(cap, pairs.size()); ++r) {
          const std::size_t i = std::get<2>(pairs[r]);
          want[i][id] = oracle[i].at(id).weight;
        }
      }
      EXPECT_EQ(g.pairs_eligible, eligible) << "seed " << seed << ", cap " << cap;
      for (std::size_t i = 0; i < data.participants.size(); ++i) {
        std::map<std::uint32_t, std::int32_t> got;
        for (auto e = g.problem.offsets[i]; e < g.problem.offsets[i + 1]; ++e)
          got[g.opening_ids[g.problem.targets[e]].value()] = g.problem.weights[e];
        EXPECT_EQ(got, want[i]) << "seed " << seed << ", cap " << cap << ", participant "
                                << data.participants[i].id.value();
        model::CriterionSet publics = model::CriterionSet::FromBits(0xffffffffu);
        model::CriterionSet provisional;
        for (const auto& [id, weight] : want[i]) {
          publics = publics & oracle[i].at(id).counted;
          provisional = provisional | oracle[i].at(id).provisional;
        }
        if (want[i].empty()) publics = ValidCriteriaAt(data.participants[i], opt.today);
        EXPECT_EQ(g.problem.participant_publics[i], publics.bits()) << "participant " << i;
        EXPECT_EQ(g.problem.participant_provisional[i], (provisional & publics).bits()) << "participant " << i;
      }
    }
  }
  EXPECT_GT(openings_over_cap, 100u) << "the cut should bind on most openings";
  EXPECT_GT(twins, 15u) << "the twin seeds should repeat openings";
}

// Shortlists use compiled per-participant data; Explain uses the model-type reference path
// (CheckEligibility, PairInputsFor). Both must agree on every exclusion reason and every score.
TEST(Shortlist, ExclusionCountsAndScoresAgreeWithTheReferencePathOnRandomInstances) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  ExclusionCounts seen{};
  for (std::uint64_t seed : {4u, 5u}) {
    testing::RandomInstanceOptions ro;
    ro.seed = seed;
    ro.participants = 500;
    const auto data = testing::RandomInstance(ref, ro);
    const Matcher matcher(ref, data, {ro.today, {}}, space);
    std::size_t checked = 0;
    for (std::uint32_t j = 0; j < data.openings.size(); ++j) {
      const auto s = matcher.MakeShortlist(data.openings[j].id, data.participants.size());
      ExclusionCounts want{};
      std::map<std::uint32_t, double> scores;
      std::uint32_t conditional = 0;
      for (std::uint32_t i = 0; i < data.participants.size(); ++i) {
        const auto x = matcher.Explain(i, j);
        if (x.verdict.refusal) {
          ++want[static_cast<std::size_t>(*x.verdict.refusal)];
        } else {
          scores[data.participants[i].id.value()] = x.components.total;
          conditional += x.verdict.conditional() ? 1 : 0;
        }
      }
      EXPECT_EQ(s.excluded, want) << "opening " << data.openings[j].id.value();
      EXPECT_EQ(s.conditional, conditional) << "opening " << data.openings[j].id.value();
      for (std::size_t r = 0; r < seen.size(); ++r) seen[r] += want[r];
      ASSERT_EQ(s.entries.size(), scores.size());
      for (const auto& e : s.entries) {
        EXPECT_EQ(e.score, scores[e.participant.value()]) << "participant " << e.participant.value();
        const auto x = matcher.Explain(e.participant_index, j);
        EXPECT_EQ(e.reasons, x.reasons);
        EXPECT_EQ(e.basis, x.verdict.basis);
        EXPECT_EQ(e.eligible_by, x.verdict.matched);
        EXPECT_EQ(e.conditions, x.conditions);
        EXPECT_EQ(e.provisional, x.verdict.provisional);
        ++checked;
      }
      for (std::size_t r = 1; r < s.entries.size(); ++r) {
        const auto& a = s.entries[r - 1];
        const auto& b = s.entries[r];
        EXPECT_TRUE(a.score > b.score || (a.score == b.score && a.participant < b.participant));
      }
    }
    EXPECT_GT(checked, 30u);
  }
  // Every reason occurs in these instances, or the comparison would prove little.
  for (const auto& info : AllExclusionReasons())
    EXPECT_GT(seen[static_cast<std::size_t>(info.reason)], 0u) << info.code;
}

// The compiled verdict (intervals of days, bits) against CheckEligibility, pair by pair over every
// opening and located participant of seeded random instances: refusal, basis, the criteria sets
// (valid, provisional, matched, to renew, by diagnosis) and the conditions. The instances must
// produce every verdict kind, every basis with and without conditions, diagnoses and QPV
// conditions, or the comparison would prove little.
TEST(CompiledEligibility, AgreesWithCheckEligibilityPairByPairOnRandomInstances) {
  const auto& ref = RealReferential();
  const auto space = std::make_shared<const SkillSpace>(ref);
  std::map<VerdictKind, std::size_t> kinds;
  std::map<std::pair<EligibilityBasis, bool>, std::size_t> bases;  // (basis, conditional)
  std::size_t by_diagnosis = 0, qpv_conditions = 0, pairs = 0, several_conditions = 0;
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    testing::RandomInstanceOptions ro;
    ro.seed = seed;
    ro.participants = 300;
    ro.contracts = 10;
    const auto data = testing::RandomInstance(ref, ro);
    const Matcher matcher(ref, data, {ro.today, {}}, space);
    for (std::uint32_t j = 0; j < data.openings.size(); ++j) {
      const auto& o = data.openings[j];
      const model::Contract* c = data.FindContract(o.contract);
      for (std::uint32_t i = 0; i < data.participants.size(); ++i) {
        const auto& p = data.participants[i];
        const auto fast = matcher.CompiledVerdict(i, j);
        if (!fast) continue;  // no location
        const auto want = CheckEligibility(p, *c, o, ro.today, OracleFacts(data, p, o, ro.today));
        ASSERT_EQ(*fast, want) << "seed " << seed << ", participant " << p.id.value() << ", opening " << o.id.value()
                               << ": refusal " << (want.refusal ? Code(*want.refusal) : "-") << " vs "
                               << (fast->refusal ? Code(*fast->refusal) : "-") << ", basis " << Code(want.basis)
                               << " vs " << Code(fast->basis) << ", to renew " << want.to_renew.bits() << " vs "
                               << fast->to_renew.bits();
        ASSERT_EQ(fast->conditions(), want.conditions());
        ++pairs;
        ++kinds[want.kind()];
        if (want.eligible()) ++bases[{want.basis, want.conditional()}];
        by_diagnosis += want.eligible() && !want.by_diagnosis.empty();
        qpv_conditions += want.conditional() && want.to_renew.contains(model::Criterion::kQpv);
        several_conditions += want.conditional() && want.to_renew.size() > 1;
        for (const auto& condition : want.conditions()) {
          EXPECT_EQ(condition.renew_by, want.hire_date);
          EXPECT_TRUE(want.provisional.contains(condition.criterion));
        }
      }
    }
  }
  EXPECT_GT(pairs, 10000u);
  for (auto kind : {VerdictKind::kEligible, VerdictKind::kEligibleSubjectToRenewal, VerdictKind::kNotEligible})
    EXPECT_GT(kinds[kind], 20u) << Code(kind);
  for (auto basis : {EligibilityBasis::kClausePublic, EligibilityBasis::kIaeLevel1, EligibilityBasis::kIaeLevel2})
    for (bool conditional : {false, true})
      EXPECT_GT((bases[{basis, conditional}]), 0u) << Code(basis) << (conditional ? " subject to renewal" : "");
  EXPECT_GT((bases[{EligibilityBasis::kDerogation, false}]), 0u);
  EXPECT_GT(by_diagnosis, 0u);
  EXPECT_GT(qpv_conditions, 0u);
  EXPECT_GT(several_conditions, 0u);
}

TEST(CandidateGraph, PerOpeningCutKeepsExactlyTheShortlist) {
  const auto& ref = RealReferential();
  testing::RandomInstanceOptions ro;
  ro.seed = 6;
  ro.participants = 400;
  const auto data = testing::RandomInstance(ref, ro);
  const Matcher matcher(ref, data, {ro.today, {}});
  GraphOptions cut;
  cut.max_candidates_per_opening = 3;
  const auto g = matcher.BuildCandidateGraph(cut);
  const auto all = matcher.BuildCandidateGraph({.max_candidates_per_opening = 0, .progress = {}, .known = {}});
  ASSERT_EQ(CheckWellFormed(g.problem), "");
  EXPECT_EQ(g.pairs_eligible, all.problem.num_edges());
  EXPECT_LT(g.problem.num_edges(), all.problem.num_edges());
  // Edges of each opening, from the CSR.
  std::vector<std::map<std::uint32_t, std::int32_t>> by_opening(g.problem.num_openings);
  for (std::uint32_t i = 0; i < g.problem.num_participants; ++i)
    for (auto e = g.problem.offsets[i]; e < g.problem.offsets[i + 1]; ++e)
      by_opening[g.problem.targets[e]][data.participants[i].id.value()] = g.problem.weights[e];
  for (std::uint32_t r = 0; r < g.problem.num_openings; ++r) {
    const auto s = matcher.MakeShortlist(g.opening_ids[r], 3);
    std::map<std::uint32_t, std::int32_t> want;
    for (const auto& e : s.entries)
      want[e.participant.value()] = static_cast<std::int32_t>(std::lround(e.score * kWeightScale));
    EXPECT_EQ(by_opening[r], want) << "opening " << g.opening_ids[r].value();
  }
}

TEST(CandidateGraph, QuotasComeFromContractsAndCreditPlacementsAlreadyMade) {
  const auto ref = testing::TinyReferential();
  model::Dataset d;
  d.contracts = {testing::Contract(1), testing::Contract(2)};
  d.contracts[0].quotas = {{model::Criterion::kRsa, 1, 0.5}};  // max(1, ceil(0.5 × 5)) = 3
  d.openings = {testing::Opening(10, 1), testing::Opening(11, 1), testing::Opening(20, 2)};
  d.openings[0].positions = 2;
  d.openings[1].positions = 3;
  d.participants = {testing::Person(1), testing::Person(2)};
  model::Placement hired;  // an RSA recipient already hired on opening 11: one position taken, one credited
  hired.participant = model::ParticipantId(2);
  hired.opening = model::OpeningId(11);
  hired.contract = model::ContractId(1);
  hired.status = model::PlacementStatus::kHired;
  hired.start = testing::D("2026-11-20");
  hired.end = testing::D("2027-06-30");  // over the openings' period: no edge for participant 2
  d.placements = {hired};
  const Matcher matcher(*ref, d, {testing::kToday, {}});
  const auto g = matcher.BuildCandidateGraph();
  ASSERT_EQ(g.problem.num_openings, 3u);
  EXPECT_EQ(g.problem.positions, (std::vector<std::int32_t>{2, 2, 1}));
  ASSERT_EQ(g.problem.quotas.size(), 1u);
  const auto& q = g.problem.quotas[0];
  EXPECT_EQ(q.openings, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(q.public_bit, static_cast<std::uint32_t>(model::Criterion::kRsa));
  EXPECT_EQ(q.min_count, 2);  // 3 − 1 already hired
  EXPECT_EQ(q.contract_index, 0u);
  // Participant 1 is a candidate everywhere; participant 2 is hired over the period.
  EXPECT_EQ(g.problem.offsets, (std::vector<std::uint64_t>{0, 3, 3}));
  EXPECT_TRUE(model::CriterionSet::FromBits(g.problem.participant_publics[0]).contains(model::Criterion::kRsa));
}

TEST(CandidateGraph, ExplainRecomputesTheComponentsOfAnEdge) {
  const auto ref = testing::TinyReferential();
  model::Dataset d;
  d.contracts = {testing::Contract(1)};
  d.openings = {testing::Opening(10, 1)};
  d.participants = {testing::Person(1)};
  const Matcher matcher(*ref, d, {testing::kToday, {}});
  const auto g = matcher.BuildCandidateGraph();
  ASSERT_EQ(g.problem.num_edges(), 1u);
  const auto x = matcher.Explain(0, g.opening_index[g.problem.targets[0]]);
  EXPECT_EQ(g.problem.weights[0], std::lround(x.components.total * kWeightScale));
}

}  // namespace
}  // namespace clausematch::matcher
