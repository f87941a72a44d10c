// Shortlists on a hand-made population around the worksite at Alpha (see fixtures.hpp for the
// map: Beta is 10 km north, Gamma 25 km, Delta 60 km).
//
//   id  home                         radius  situation                          expected
//    1  Alpha                        30      RSA, wants 11 (Maçon)              eligible
//    2  Beta (10 km)                 30      as 1                               eligible, farther
//    3  Gamma (25 km)                20      as 1                               out of reach (20 < 25)
//    4  Delta (60 km)                100     as 1                               out of reach (max 30)
//    5  5 km north, commune Alpha    2       as 1 but wants 12 (same fiche)     eligible: same commune
//    6  Alpha                        30      withdrawn                          withdrawn
//    7  Beta                         30      no consent                         no consent
//    8  unknown commune, no coords   30      as 1                               no location
//    9  Alpha                        30      RSA proof expired at the start     proof expired
//   10  Alpha                        30      identical to 1                     ties with 1, after it
//   11  Alpha                        30      proposed on this opening already   already on opening
#include <gtest/gtest.h>

#include <numeric>

#include "fixtures.hpp"
#include "matcher/matcher.hpp"

namespace clausematch::matcher {
namespace {

using testing::D;
using testing::KmNorth;

struct ShortlistTest : ::testing::Test {
  std::shared_ptr<const model::Referential> ref = testing::TinyReferential();
  model::Dataset data;

  void SetUp() override {
    data.contracts = {testing::Contract(1)};
    data.openings = {testing::Opening(100, 1)};
    auto add = [&](std::uint32_t id, auto&& edit) {
      auto p = testing::Person(id);
      edit(p);
      data.participants.push_back(p);
    };
    add(1, [](auto&) {});
    add(2, [](auto& p) { p.commune_insee = "59002"; });
    add(3, [](auto& p) { p.commune_insee = "59003", p.mobility_radius_km = 20; });
    add(4, [](auto& p) { p.commune_insee = "59004", p.mobility_radius_km = 100; });
    add(5, [](auto& p) {
      p.location = KmNorth(5);
      p.mobility_radius_km = 2;
      p.wanted_appellations = {12};
    });
    add(6, [](auto& p) { p.status = model::ParticipantStatus::kWithdrawn; });
    add(7, [](auto& p) { p.commune_insee = "59002", p.consent = false; });
    add(8, [](auto& p) { p.commune_insee = "99999"; });
    add(9, [](auto& p) { p.criteria[0].proof_date = D("2026-08-01"); });
    add(10, [](auto&) {});
    add(11, [](auto&) {});
    model::Placement proposed;
    proposed.id = model::PlacementId(1);
    proposed.participant = model::ParticipantId(11);
    proposed.opening = model::OpeningId(100);
    proposed.contract = model::ContractId(1);
    proposed.status = model::PlacementStatus::kProposed;
    data.placements = {proposed};
  }

  Shortlist Run(std::size_t k) const {
    const Matcher matcher(*ref, data, {testing::kToday, {}});
    return matcher.MakeShortlist(model::OpeningId(100), k);
  }
  static std::vector<std::uint32_t> Ids(const Shortlist& s) {
    std::vector<std::uint32_t> ids;
    for (const auto& e : s.entries) ids.push_back(e.participant.value());
    return ids;
  }
  static std::uint32_t Count(const Shortlist& s, ExclusionReason r) { return s.excluded[static_cast<std::size_t>(r)]; }
};

TEST_F(ShortlistTest, RanksByScoreThenParticipantId) {
  const auto s = Run(10);
  // 1 and 10 are identical (tie broken by id); 5 lives in Alpha (distance 1) but wants the same
  // fiche only: skill fit −0.5·0.15, i.e. −0.03 overall; 2 is 10 km away in a 30 km limit:
  // distance 2/3, i.e. −0.0667 overall.
  EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{1, 10, 5, 2}));
  EXPECT_EQ(s.entries[0].score, s.entries[1].score);
  EXPECT_NEAR(s.entries[0].score - s.entries[2].score, 0.4 * 0.5 * 0.15, 1e-12);
  EXPECT_NEAR(s.entries[0].score - s.entries[3].score, 0.2 * (10.0 / 30.0), 1e-9);
  EXPECT_EQ(s.hire_date, testing::kStart);
}

// Sex is for funders' reports only: it changes no score, rank, component or verdict. 1 and 10 are
// identical but for it (a woman and a man, then the other way round, then neither recorded): they
// tie every time, with the scores of the population where nobody's sex is recorded.
TEST_F(ShortlistTest, SexChangesNoScore) {
  const auto unrecorded = Run(10);
  for (const auto& [first, tenth] :
       {std::pair{model::Sex::kFemme, model::Sex::kHomme}, std::pair{model::Sex::kHomme, model::Sex::kFemme},
        std::pair{model::Sex::kFemme, model::Sex::kNonRenseigne}}) {
    for (auto& p : data.participants) p.sex = p.id.value() == 10 ? tenth : first;
    const auto s = Run(10);
    EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{1, 10, 5, 2}));
    ASSERT_EQ(s.entries.size(), unrecorded.entries.size());
    for (std::size_t i = 0; i < s.entries.size(); ++i) {
      EXPECT_EQ(s.entries[i].score, unrecorded.entries[i].score);
      const auto& a = s.entries[i].components;
      const auto& b = unrecorded.entries[i].components;
      EXPECT_EQ(a.total, b.total);
      EXPECT_EQ(a.skill_fit, b.skill_fit);
      EXPECT_EQ(a.distance, b.distance);
      EXPECT_EQ(a.priority, b.priority);
      EXPECT_EQ(s.entries[i].eligible_by, unrecorded.entries[i].eligible_by);
    }
    EXPECT_EQ(s.excluded, unrecorded.excluded);
  }
}

TEST_F(ShortlistTest, KeepsTheBestKAndCountsEveryoneElse) {
  const auto s = Run(3);
  EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{1, 10, 5}));
  EXPECT_EQ(s.population, 11u);
  EXPECT_EQ(s.eligible, 4u);
  EXPECT_EQ(s.in_reach, 8u);  // all but 3, 4 (too far) and 8 (no location)
  using R = ExclusionReason;
  EXPECT_EQ(Count(s, R::kNoLocation), 1u);
  EXPECT_EQ(Count(s, R::kOutOfReach), 2u);
  EXPECT_EQ(Count(s, R::kWithdrawn), 1u);
  EXPECT_EQ(Count(s, R::kNoConsent), 1u);
  EXPECT_EQ(Count(s, R::kProofExpired), 1u);
  EXPECT_EQ(Count(s, R::kAlreadyOnOpening), 1u);
  EXPECT_EQ(s.eligible + std::accumulate(s.excluded.begin(), s.excluded.end(), 0u), s.population);
}

TEST_F(ShortlistTest, SameCommuneIsInReachWhateverTheRadius) {
  const auto s = Run(10);
  const auto& e = s.entries[2];
  ASSERT_EQ(e.participant.value(), 5u);
  EXPECT_TRUE(e.same_commune);
  EXPECT_NEAR(e.distance_km, 5.0, 1e-6);
  EXPECT_EQ(e.components.distance, 1.0);
  // Moved to Beta's commune with the same 2 km radius: out of reach.
  data.participants[4].commune_insee = "59002";
  const auto moved = Run(10);
  EXPECT_EQ(Ids(moved), (std::vector<std::uint32_t>{1, 10, 2}));
  EXPECT_EQ(Count(moved, ExclusionReason::kOutOfReach), 3u);
}

TEST_F(ShortlistTest, ArrondissementsCountAsTheirCity) {
  data.openings[0].worksite_insee = "75056";     // Paris, centre 300 km north
  data.participants[0].commune_insee = "75111";  // 1 km from the centre of Paris, radius 30
  data.participants[1].commune_insee = "75111";
  data.participants[1].mobility_radius_km = 0.5;  // too short for 1 km, but same city
  const auto s = Run(10);
  EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(s.entries[1].same_commune);
}

TEST_F(ShortlistTest, EntriesCarryComponentsAndReasons) {
  const auto s = Run(10);
  const auto& first = s.entries[0];
  EXPECT_EQ(first.basis, EligibilityBasis::kClausePublic);
  EXPECT_EQ(first.components.rome_relation, 1.0);
  EXPECT_EQ(first.components.priority, 1.0);
  EXPECT_EQ(first.score, first.components.total);
  auto has = [](const ShortlistEntry& e, const std::string& code, const std::string& text) {
    for (const auto& r : e.reasons)
      if (r.code == code && r.text == text) return true;
    return false;
  };
  EXPECT_TRUE(has(first, "same_appellation", "même appellation : Maçon"));
  EXPECT_TRUE(has(first, "priority_public",
                  "Bénéficiaire du RSA – public prioritaire de la clause (priorité retenue, poids 1,00)"));
  EXPECT_TRUE(has(s.entries[3], "distance", "10 km, dans le rayon de 30 km"));
  EXPECT_TRUE(has(s.entries[2], "same_fiche", "même fiche métier ROME : F1703 Maçon"));
}

// An RSA attestation valid today that lapses before the hire (2026-09-01: through 2026-11-30):
// on the shortlist, subject to renewal, with the RSA priority counted provisionally.
TEST_F(ShortlistTest, AConditionalEntryCarriesItsConditionAndAProvisionalPriority) {
  auto p = testing::Person(12);
  p.criteria[0].proof_date = D("2026-09-01");
  data.participants.push_back(p);
  const Matcher matcher(*ref, data, {testing::kToday, {}});
  const auto s = matcher.MakeShortlist(model::OpeningId(100), 20);
  EXPECT_EQ(s.eligible, 5u);  // 1, 2, 5, 10 and 12
  EXPECT_EQ(s.conditional, 1u);
  const ShortlistEntry* entry = nullptr;
  for (const auto& e : s.entries) {
    if (e.participant == model::ParticipantId(12))
      entry = &e;
    else
      EXPECT_TRUE(e.conditions.empty()) << e.participant.value();
  }
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->basis, EligibilityBasis::kClausePublic);
  EXPECT_EQ(entry->eligible_by, (model::CriterionSet{model::Criterion::kRsa}));
  EXPECT_EQ(entry->conditions,
            (std::vector<Condition>{{ConditionCode::kProofToRenew, model::Criterion::kRsa, testing::kStart}}));
  EXPECT_EQ(entry->provisional, (model::CriterionSet{model::Criterion::kRsa}));
  EXPECT_EQ(entry->components.priority, 1.0);  // counted, provisionally
  // Same score as participant 1, whose proof holds at the hire: the condition is said, not scored.
  EXPECT_EQ(entry->score, s.entries[0].score);
  auto has = [&](const std::string& code, const std::string& text) {
    for (const auto& r : entry->reasons)
      if (r.code == code && r.text == text) return true;
    return false;
  };
  EXPECT_TRUE(
      has("proof_to_renew", "justificatif « Bénéficiaire du RSA » à actualiser avant l'embauche du 15/01/2027"));
  EXPECT_TRUE(has("priority_public",
                  "Bénéficiaire du RSA – public prioritaire de la clause (priorité retenue, poids 1,00) (à titre "
                  "provisoire : justificatif à actualiser avant l'embauche)"));
  const auto x = matcher.Explain(model::ParticipantId(12), model::OpeningId(100));
  ASSERT_TRUE(x);
  EXPECT_EQ(x->conditions, entry->conditions);
  EXPECT_EQ(x->verdict.kind(), VerdictKind::kEligibleSubjectToRenewal);
  // The candidate graph counts it, and counts RSA for it provisionally.
  const auto g = matcher.BuildCandidateGraph();
  EXPECT_EQ(g.pairs_conditional, 1u);
  const auto i = data.participants.size() - 1;
  EXPECT_EQ(g.problem.participant_provisional[i], (model::CriterionSet{model::Criterion::kRsa}).bits());
  EXPECT_TRUE(model::CriterionSet::FromBits(g.problem.participant_publics[i]).contains(model::Criterion::kRsa));
  EXPECT_EQ(g.problem.participant_provisional[0], 0u);
}

// A criterion that holds at the hire only through the prescriber's diagnosis (IAE route) counts
// for quotas as the verdict counts it: firmly, not provisionally (docs/scoring.md "What counts
// provisionally"). Person 12's RSA attestation of 2026-06-01 lapsed on 2026-08-31, before today;
// the diagnosis of 2026-07-20 (valid through 2027-01-19) froze it. Person 13's attestation of
// 2026-09-01 is valid today and lapses on 2026-11-30, before the hire; their diagnosis of
// 2026-09-10 freezes it on the ETTI opening 100 but not on the CDD opening 101, where it counts
// provisionally: the graph counts RSA for 13, provisionally (at one opening at least).
TEST_F(ShortlistTest, ADiagnosedCriterionCountsFirmlyForQuotas) {
  data.openings[0].contract_type = model::ContractType::kInterimEtti;
  auto cdd = testing::Opening(101, 1);
  cdd.contract_type = model::ContractType::kCdd;
  data.openings.push_back(cdd);
  auto p12 = testing::Person(12);
  p12.criteria[0].proof_date = D("2026-06-01");
  p12.diagnosis_date = D("2026-07-20");
  data.participants.push_back(p12);
  auto p13 = testing::Person(13);
  p13.criteria[0].proof_date = D("2026-09-01");
  p13.diagnosis_date = D("2026-09-10");
  data.participants.push_back(p13);
  const Matcher matcher(*ref, data, {testing::kToday, {}});
  const auto i12 = data.participants.size() - 2, i13 = data.participants.size() - 1;
  const model::CriterionSet rsa{model::Criterion::kRsa};

  const auto x12 = matcher.Explain(model::ParticipantId(12), model::OpeningId(100));
  ASSERT_TRUE(x12);
  EXPECT_EQ(x12->verdict.kind(), VerdictKind::kEligible);
  EXPECT_EQ(x12->verdict.by_diagnosis, rsa);
  EXPECT_EQ(x12->verdict.provisional, model::CriterionSet{});
  const auto x12_cdd = matcher.Explain(model::ParticipantId(12), model::OpeningId(101));
  ASSERT_TRUE(x12_cdd);
  EXPECT_FALSE(x12_cdd->verdict.eligible());  // lapsed today, no diagnosis outside the IAE routes
  const auto x13 = matcher.Explain(model::ParticipantId(13), model::OpeningId(100));
  ASSERT_TRUE(x13);
  EXPECT_EQ(x13->verdict.kind(), VerdictKind::kEligible);
  EXPECT_EQ(x13->verdict.by_diagnosis, rsa);
  const auto x13_cdd = matcher.Explain(model::ParticipantId(13), model::OpeningId(101));
  ASSERT_TRUE(x13_cdd);
  EXPECT_EQ(x13_cdd->verdict.kind(), VerdictKind::kEligibleSubjectToRenewal);
  EXPECT_EQ(x13_cdd->verdict.provisional, rsa);

  const auto g = matcher.BuildCandidateGraph();
  EXPECT_TRUE(model::CriterionSet::FromBits(g.problem.participant_publics[i12]).contains(model::Criterion::kRsa));
  EXPECT_EQ(g.problem.participant_provisional[i12], 0u);
  EXPECT_TRUE(model::CriterionSet::FromBits(g.problem.participant_publics[i13]).contains(model::Criterion::kRsa));
  EXPECT_EQ(g.problem.participant_provisional[i13], rsa.bits());
}

TEST_F(ShortlistTest, ExposureAndWaitingMoveTies) {
  // One pending proposal costs 1 a penalty of 0.1 × 1/3 = 0.0333: behind 10, and even behind 5
  // (who was 0.03 behind).
  data.participants[0].open_proposals = 1;
  auto s = Run(3);
  EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{10, 5, 1}));
  data.participants[0].open_proposals = 0;
  data.participants[0].registration_date = D("2026-01-01");  // 1 has waited longer
  data.participants[9].registration_date = D("2026-06-01");
  s = Run(2);
  EXPECT_EQ(Ids(s), (std::vector<std::uint32_t>{1, 10}));
}

TEST_F(ShortlistTest, HiredElsewhereOverTheOpeningPeriodIsExcluded) {
  model::Placement hired;
  hired.participant = model::ParticipantId(1);
  hired.opening = model::OpeningId(999);
  hired.status = model::PlacementStatus::kHired;
  hired.start = D("2026-12-01");
  hired.end = D("2027-02-28");  // overlaps the opening (2027-01-15 .. 2027-08-31)
  data.placements.push_back(hired);
  auto s = Run(10);
  EXPECT_EQ(Count(s, ExclusionReason::kAlreadyPlaced), 1u);
  data.placements.back().end = D("2027-01-10");  // ends before the hire date
  s = Run(10);
  EXPECT_EQ(Count(s, ExclusionReason::kAlreadyPlaced), 0u);
}

TEST_F(ShortlistTest, UnknownOpeningThrows) {
  const Matcher matcher(*ref, data, {testing::kToday, {}});
  EXPECT_THROW((void)matcher.MakeShortlist(model::OpeningId(7), 5), std::out_of_range);
}

TEST_F(ShortlistTest, ExplainAgreesWithTheShortlist) {
  const Matcher matcher(*ref, data, {testing::kToday, {}});
  const auto s = matcher.MakeShortlist(model::OpeningId(100), 10);
  for (const auto& e : s.entries) {
    const auto x = matcher.Explain(e.participant, model::OpeningId(100));
    ASSERT_TRUE(x.has_value());
    EXPECT_TRUE(x->verdict.eligible());
    EXPECT_EQ(x->components.total, e.score);
    EXPECT_EQ(x->reasons, e.reasons);
  }
  EXPECT_EQ(matcher.Explain(model::ParticipantId(3), model::OpeningId(100))->verdict.refusal,
            ExclusionReason::kOutOfReach);
  EXPECT_EQ(matcher.Explain(model::ParticipantId(8), model::OpeningId(100))->verdict.refusal,
            ExclusionReason::kNoLocation);
  EXPECT_EQ(matcher.Explain(model::ParticipantId(6), model::OpeningId(100))->verdict.refusal,
            ExclusionReason::kWithdrawn);
}

}  // namespace
}  // namespace clausematch::matcher
