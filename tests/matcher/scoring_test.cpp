// Score components on the tiny referential of fixtures.hpp, each computed by hand.
#include "matcher/scoring.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "fixtures.hpp"
#include "matcher/skill_space.hpp"

namespace clausematch::matcher {
namespace {

using model::Criterion;
using testing::Rome;

struct ScoringTest : ::testing::Test {
  std::shared_ptr<const model::Referential> ref = testing::TinyReferential();
  ScoreWeights w;
  std::uint32_t Fiche(const char* code) const { return ref->FicheIndex(Rome(code)); }
  RomeMatch Match(std::vector<model::AppellationCode> wanted, model::AppellationCode opening_app) const {
    model::Participant p = testing::Person(1);
    p.wanted_appellations = std::move(wanted);
    const auto fiches = WantedFicheIndices(*ref, p);
    return MatchRome(*ref, p.wanted_appellations, fiches, opening_app,
                     ref->FicheIndex(ref->FindAppellation(opening_app)->fiche));
  }
};

TEST_F(ScoringTest, RomeRelationsRankAppellationFicheParentMobility) {
  // Opening: appellation 11 (Maçon, F1703).
  EXPECT_EQ(Match({11}, 11).relation, RomeRelation::kSameAppellation);
  EXPECT_EQ(Match({12}, 11).relation, RomeRelation::kSameFiche);   // Maçon VRD, also F1703
  EXPECT_EQ(Match({41}, 11).relation, RomeRelation::kSameParent);  // F1704, parent F1703
  const auto mobility = Match({21}, 11);                           // F1701 -> F1703, rank 2
  EXPECT_EQ(mobility.relation, RomeRelation::kMobility);
  EXPECT_EQ(mobility.mobility_rank, 2);
  EXPECT_EQ(Match({31}, 11).relation, RomeRelation::kNone);           // propreté: unrelated
  EXPECT_EQ(Match({31, 12}, 11).relation, RomeRelation::kSameFiche);  // the best wanted job counts

  EXPECT_DOUBLE_EQ(RelationValue(Match({11}, 11), w), 1.0);
  EXPECT_DOUBLE_EQ(RelationValue(Match({12}, 11), w), 0.85);
  EXPECT_DOUBLE_EQ(RelationValue(Match({41}, 11), w), 0.60);
  EXPECT_DOUBLE_EQ(RelationValue(mobility, w), 0.5 * 0.9);   // rank 2
  EXPECT_DOUBLE_EQ(RelationValue(Match({21}, 31), w), 0.5);  // F1701 -> K2204, rank 1
  EXPECT_DOUBLE_EQ(RelationValue(Match({31}, 11), w), 0.0);
}

TEST_F(ScoringTest, SkillOverlapWeighsCoreAndRequiredSkillsMore) {
  // F1703: 1* 2* 3 4 -> weights 2 + 2 + 1 + 1 = 6.
  const auto profile = MakeSkillProfile(*ref, Fiche("F1703"), {}, w);
  EXPECT_DOUBLE_EQ(profile.total, 6.0);
  const std::vector<model::SkillCode> has13{1, 3};
  const auto o = SkillOverlap(profile, has13);
  EXPECT_DOUBLE_EQ(o.value, 3.0 / 6.0);  // 2 (core) + 1
  EXPECT_EQ(o.matched, 2);
  EXPECT_EQ(o.matched_core, 1);
  // The opening also requires skill 5 (weight 3): total 9; skill 5 alone gives 3/9.
  const std::vector<model::SkillCode> required{5};
  const auto with_required = MakeSkillProfile(*ref, Fiche("F1703"), required, w);
  EXPECT_DOUBLE_EQ(with_required.total, 9.0);
  const std::vector<model::SkillCode> has5{5};
  EXPECT_DOUBLE_EQ(SkillOverlap(with_required, has5).value, 3.0 / 9.0);
  // A required skill that is also a core skill counts once, at the required weight: 3 + 2 + 1 + 1.
  const std::vector<model::SkillCode> required1{1};
  EXPECT_DOUBLE_EQ(MakeSkillProfile(*ref, Fiche("F1703"), required1, w).total, 7.0);
  EXPECT_DOUBLE_EQ(SkillOverlap(profile, {}).value, 0.0);
}

TEST_F(ScoringTest, CombineFollowsTheDocumentedFormula) {
  PairInputs in;
  in.rome.relation = RomeRelation::kSameAppellation;  // 1.0
  in.overlap.value = 0.5;
  in.embedding = 0.3;
  in.reach = {true, false, 12.0, 20.0};  // 1 - 12/20 = 0.4
  in.priority_hits = {Criterion::kRsa};  // 1
  in.waiting_days = 180;                 // 180 / 365
  in.hours_wanted = 24;                  // 1 - 11/35
  in.hours_offered = 35;
  in.open_proposals = 2;  // 2 / 3
  const auto c = Combine(in, w);
  EXPECT_DOUBLE_EQ(c.rome_relation, 1.0);
  EXPECT_NEAR(c.skill_fit, 0.5 * 1.0 + 0.3 * 0.5 + 0.2 * 0.3, 1e-12);  // 0.71
  EXPECT_NEAR(c.distance, 0.4, 1e-12);
  EXPECT_EQ(c.priority, 1.0);
  EXPECT_NEAR(c.waiting, 180.0 / 365.0, 1e-12);
  EXPECT_NEAR(c.hours, 1.0 - 11.0 / 35.0, 1e-12);
  EXPECT_NEAR(c.exposure, 2.0 / 3.0, 1e-12);
  // 0.4·0.71 + 0.2·0.4 + 0.2·1 + 0.15·180/365 + 0.05·24/35 − 0.1·2/3
  EXPECT_NEAR(c.total, 0.284 + 0.08 + 0.2 + 0.15 * 180.0 / 365.0 + 0.05 * 24.0 / 35.0 - 0.1 * 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.total, 0.6055916, 1e-7);
}

TEST_F(ScoringTest, DistanceDecaysLinearlyAndTheWorksiteCommuneScoresOne) {
  PairInputs in;
  in.reach = {true, false, 0.0, 20.0};
  EXPECT_DOUBLE_EQ(Combine(in, w).distance, 1.0);
  in.reach = {true, false, 20.0, 20.0};
  EXPECT_DOUBLE_EQ(Combine(in, w).distance, 0.0);
  in.reach = {true, true, 35.0, 2.0};  // same commune, beyond a 2 km radius
  EXPECT_DOUBLE_EQ(Combine(in, w).distance, 1.0);
}

TEST_F(ScoringTest, WaitingCountsFromTheLaterOfRegistrationAndLastProposalAndSaturates) {
  auto p = testing::Person(1);
  p.registration_date = testing::D("2026-05-27");
  EXPECT_EQ(WaitingDays(p, testing::kToday), 180);
  p.last_proposal_date = testing::D("2026-11-13");
  EXPECT_EQ(WaitingDays(p, testing::kToday), 10);
  PairInputs in;
  in.waiting_days = 1000;
  EXPECT_DOUBLE_EQ(Combine(in, w).waiting, 1.0);
}

TEST_F(ScoringTest, ExposurePenaltyIsSubtractedAndTheScoreStaysInUnitInterval) {
  PairInputs in;  // every positive component 0 except hours (no hours given: 1)
  in.hours_wanted = 0;
  in.open_proposals = 5;
  const auto c = Combine(in, w);
  EXPECT_DOUBLE_EQ(c.exposure, 1.0);
  EXPECT_DOUBLE_EQ(c.total, 0.0);  // 0.05 − 0.1 clamped
  in.open_proposals = 0;
  EXPECT_DOUBLE_EQ(Combine(in, w).total, 0.05);
}

TEST_F(ScoringTest, PriorityPublicsFallBackToTheConfiguredDefault) {
  auto c = testing::Contract(1);
  EXPECT_EQ(PriorityPublics(c, w), (model::CriterionSet{Criterion::kRsa}));
  c.priority_publics = {};
  EXPECT_EQ(PriorityPublics(c, w), (model::CriterionSet{Criterion::kRsa, Criterion::kJeune, Criterion::kAse}));
}

TEST_F(ScoringTest, WeightsValidationNamesEveryBadField) {
  ScoreWeights bad;
  bad.skill = -1;
  bad.exposure = 2;
  bad.waiting_horizon_days = 0;
  const auto errors = bad.Validate();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "skill: must be a finite number >= 0");
  EXPECT_EQ(errors[1], "exposure: must be in [0, 1]");
  EXPECT_EQ(errors[2], "waiting_horizon_days: must be a finite number > 0");
  EXPECT_TRUE(ScoreWeights{}.Validate().empty());
}

// Priority weights per public: the component is the largest weight among the hits, and the public
// that earned it is named; the defaults (1 for every public) give today's all-or-nothing 1.
TEST_F(ScoringTest, PriorityWeightsPerPublic) {
  PairInputs in;
  in.priority_hits = {Criterion::kJeune, Criterion::kAse};
  auto c = Combine(in, w);
  EXPECT_EQ(c.priority, 1.0);
  EXPECT_EQ(c.priority_public, Criterion::kJeune);  // first in criterion order among equals
  ScoreWeights funder = w;
  funder.priority_weights[static_cast<std::size_t>(Criterion::kRsa)] = 1.0;
  funder.priority_weights[static_cast<std::size_t>(Criterion::kJeune)] = 0.25;
  funder.priority_weights[static_cast<std::size_t>(Criterion::kAse)] = 0.5;
  c = Combine(in, funder);
  EXPECT_EQ(c.priority, 0.5);
  EXPECT_EQ(c.priority_public, Criterion::kAse);
  // The total moves by Wp times the weight, over the same sum of weights.
  EXPECT_NEAR(Combine(in, w).total - c.total, 0.2 * (1.0 - 0.5), 1e-12);
  in.priority_hits = {Criterion::kRsa, Criterion::kJeune};
  EXPECT_EQ(Combine(in, funder).priority_public, Criterion::kRsa);
  // A public weighing 0 earns nothing, and nobody is named.
  funder.priority_weights[static_cast<std::size_t>(Criterion::kJeune)] = 0.0;
  in.priority_hits = {Criterion::kJeune};
  EXPECT_EQ(Combine(in, funder).priority, 0.0);
  EXPECT_FALSE(Combine(in, funder).priority_public.has_value());
  in.priority_hits = {};
  EXPECT_FALSE(Combine(in, w).priority_public.has_value());
  // Named only when the eligibility rests on it.
  in.priority_hits = {Criterion::kAse};
  EligibilityVerdict v;
  v.matched = {Criterion::kRsa};
  EXPECT_FALSE(NameablePriorityPublic(Combine(in, funder), v).has_value());
  v.matched = {Criterion::kAse};
  EXPECT_EQ(NameablePriorityPublic(Combine(in, funder), v), Criterion::kAse);
  // Validation names the public.
  funder.priority_weights[static_cast<std::size_t>(Criterion::kQpv)] = 1.5;
  const auto errors = funder.Validate();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "priority_weights.qpv: must be in [0, 1]");
}

TEST_F(ScoringTest, ReasonsAreWrittenForTheFacilitator) {
  PairInputs in;
  in.rome.relation = RomeRelation::kSameAppellation;
  in.overlap = {0.5, 2, 1};
  in.reach = {true, false, 12.0, 20.0};
  in.priority_hits = {Criterion::kRsa};
  in.waiting_days = 30;
  in.hours_wanted = 24;
  in.hours_offered = 35;
  in.open_proposals = 1;
  EligibilityVerdict v;
  v.basis = EligibilityBasis::kClausePublic;
  v.matched = {Criterion::kRsa};
  v.hire_date = testing::kStart;
  const auto reasons = BuildReasons(*ref, in, Combine(in, w), v, testing::Opening(1, 1));
  const std::vector<Reason> expected{
      {"eligible_clause_public", "éligible au 2027-01-15 : public de la clause (Bénéficiaire du RSA)"},
      {"same_appellation", "même appellation : Maçon"},
      {"skill_overlap", "2 compétence(s) attendue(s), dont 1 essentielle(s) (50 % du profil)"},
      {"distance", "12 km, dans le rayon de 20 km"},
      {"priority_public", "Bénéficiaire du RSA – public prioritaire de la clause (priorité retenue, poids 1,00)"},
      {"waiting", "sans proposition depuis 30 jours"},
      {"hours", "souhaite 24 h/semaine, offre à 35 h"},
      {"exposure", "1 proposition(s) en cours ailleurs"},
  };
  EXPECT_EQ(reasons, expected);
  // Two priority publics the basis rests on, weighed by a funder: the one that earned it says so.
  in.priority_hits = {Criterion::kRsa, Criterion::kJeune};
  v.matched = {Criterion::kRsa, Criterion::kJeune};
  ScoreWeights funder = w;
  funder.priority_weights[static_cast<std::size_t>(Criterion::kRsa)] = 0.5;
  funder.priority_weights[static_cast<std::size_t>(Criterion::kJeune)] = 0.75;
  std::vector<std::string> priority;
  for (const auto& r : BuildReasons(*ref, in, Combine(in, funder), v, testing::Opening(1, 1)))
    if (r.code == "priority_public") priority.push_back(r.text);
  EXPECT_EQ(priority, (std::vector<std::string>{"Bénéficiaire du RSA – public prioritaire de la clause",
                                                "Jeune de moins de 26 ans – public prioritaire de la clause (priorité "
                                                "retenue, poids 0,75)"}));
  EXPECT_EQ(FormatKm(12.44), "12,4");
}

// ---- Skill embedding ---------------------------------------------------------------------------

TEST_F(ScoringTest, SkillEmbeddingIsDeterministicAndRanksRelatedJobsHigher) {
  const SkillSpace a(*ref, 3), b(*ref, 3);
  ASSERT_GT(a.dims(), 0);
  ASSERT_LE(a.dims(), 3);
  for (const char* fiche : {"F1703", "F1704", "F1701", "K2204"}) {
    const auto va = a.FicheVector(Fiche(fiche));
    const auto vb = b.FicheVector(Fiche(fiche));
    ASSERT_EQ(va.size(), vb.size());
    EXPECT_TRUE(std::equal(va.begin(), va.end(), vb.begin())) << fiche;
    EXPECT_NEAR(SkillSpace::Similarity(va, va), 1.0, 1e-6) << fiche;
  }
  std::vector<float> cleaning(static_cast<std::size_t>(a.dims()));
  const std::vector<model::SkillCode> skills78{7, 8};
  a.EmbedSkills(skills78, cleaning);
  EXPECT_GT(SkillSpace::Similarity(cleaning, a.FicheVector(Fiche("K2204"))), 0.9);
  EXPECT_LT(SkillSpace::Similarity(cleaning, a.FicheVector(Fiche("F1703"))), 0.1);
  // Skills 2 and 3 are shared by F1703 and F1701 only: closer to masonry than to cleaning.
  std::vector<float> formwork(static_cast<std::size_t>(a.dims()));
  const std::vector<model::SkillCode> skills23{2, 3};
  a.EmbedSkills(skills23, formwork);
  EXPECT_GT(SkillSpace::Similarity(formwork, a.FicheVector(Fiche("F1703"))),
            SkillSpace::Similarity(formwork, a.FicheVector(Fiche("K2204"))) + 0.3);
  // Unknown skills embed to zero and are similar to nothing.
  std::vector<float> unknown(static_cast<std::size_t>(a.dims()));
  const std::vector<model::SkillCode> skills99{99};
  a.EmbedSkills(skills99, unknown);
  EXPECT_EQ(SkillSpace::Similarity(unknown, a.FicheVector(Fiche("F1703"))), 0.0);
  EXPECT_DOUBLE_EQ(a.Idf(7), std::log(4.0 / 1.0) + 1.0);  // skill 7 is in 1 of 4 fiches
  EXPECT_DOUBLE_EQ(a.Idf(99), 0.0);
}

}  // namespace
}  // namespace clausematch::matcher
