// Eligibility at the hire date. Today is 2026-11-23, the opening starts (hire date) 2027-01-15;
// the opening is a CDD (not an IAE route) unless a test says otherwise. Last-day convention: dated
// d and valid N months means valid through AddMonths(d, N) - 1 day (model::LastDayOfPeriod).
#include "matcher/eligibility.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>

#include "fixtures.hpp"

namespace clausematch::matcher {
namespace {

using model::Criterion;
using testing::D;
using testing::kStart;
using testing::kToday;
using R = ExclusionReason;
using model::CriterionSet;

struct EligibilityTest : ::testing::Test {
  model::Participant person = testing::Person(1);
  model::Contract contract = testing::Contract(1);
  model::Opening opening = testing::Opening(1, 1);
  EligibilityVerdict Check(const PlacementFacts& facts = {}) const {
    return CheckEligibility(person, contract, opening, kToday, facts);
  }
  std::optional<R> Refusal(const PlacementFacts& facts = {}) const { return Check(facts).refusal; }
};

TEST_F(EligibilityTest, HireDateIsTheStartOrTodayForAnOpeningUnderWay) {
  EXPECT_EQ(HireDate(opening, kToday), kStart);
  opening.start = D("2026-10-01");
  EXPECT_EQ(HireDate(opening, kToday), kToday);
}

TEST_F(EligibilityTest, RsaRecipientWithAValidProofIsEligibleAsAClausePublic) {
  const auto v = Check();
  EXPECT_TRUE(v.eligible());
  EXPECT_EQ(v.basis, EligibilityBasis::kClausePublic);
  EXPECT_EQ(v.matched, (model::CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.hire_date, kStart);
}

TEST_F(EligibilityTest, TheLastValidDayIsTheDayBeforeTheAnniversary) {
  // RSA: 3 months. Dated 2026-10-16 -> valid through 2027-01-15, the hire date: no condition.
  person.criteria = {{Criterion::kRsa, D("2026-10-16"), "CD-59"}};
  auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);
  EXPECT_TRUE(v.conditions().empty());
  EXPECT_TRUE(ProofValidAt(person.criteria[0], D("2027-01-15")));
  // Dated 2026-10-15 -> valid through 2027-01-14: valid today, lapses the day before the hire.
  person.criteria = {{Criterion::kRsa, D("2026-10-15"), "CD-59"}};
  EXPECT_TRUE(ProofValidAt(person.criteria[0], D("2027-01-14")));
  EXPECT_FALSE(ProofValidAt(person.criteria[0], D("2027-01-15")));
  v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligibleSubjectToRenewal);
  EXPECT_EQ(v.basis, EligibilityBasis::kClausePublic);
}

TEST_F(EligibilityTest, AProofValidTodayThatLapsesBeforeTheHireIsAConditionToRenewIt) {
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}};  // valid through 2026-11-30
  const auto v = Check();
  EXPECT_TRUE(v.eligible());
  EXPECT_TRUE(v.conditional());
  EXPECT_EQ(v.kind(), VerdictKind::kEligibleSubjectToRenewal);
  EXPECT_EQ(Code(v.kind()), "eligible_subject_to_renewal");
  EXPECT_EQ(v.basis, EligibilityBasis::kClausePublic);
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.valid, CriterionSet{});
  EXPECT_EQ(v.provisional, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.counted(), (CriterionSet{Criterion::kRsa}));  // priority and quotas count it provisionally
  ASSERT_EQ(v.conditions().size(), 1u);
  const Condition c = v.conditions()[0];
  EXPECT_EQ(c, (Condition{ConditionCode::kProofToRenew, Criterion::kRsa, kStart}));
  EXPECT_EQ(Code(c.code), "proof_to_renew");
  EXPECT_EQ(Text(c), "justificatif « Bénéficiaire du RSA » à actualiser avant l'embauche du 15/01/2027");
}

TEST_F(EligibilityTest, AProofAlreadyLapsedTodayStillRefuses) {
  // Dated 2026-08-24: valid through 2026-11-23, today itself -> subject to renewal.
  person.criteria = {{Criterion::kRsa, D("2026-08-24"), "CD-59"}};
  EXPECT_EQ(Check().kind(), VerdictKind::kEligibleSubjectToRenewal);
  // Dated 2026-08-23: valid through 2026-11-22, yesterday -> refused.
  person.criteria = {{Criterion::kRsa, D("2026-08-23"), "CD-59"}};
  const auto v = Check();
  EXPECT_EQ(v.refusal, R::kProofExpired);
  EXPECT_EQ(v.kind(), VerdictKind::kNotEligible);
  EXPECT_TRUE(v.conditions().empty());
  EXPECT_EQ(v.provisional, CriterionSet{});
}

TEST_F(EligibilityTest, AnOpeningUnderWayHiresTodayWithoutConditions) {
  opening.start = D("2026-10-01");  // H = today
  person.available_from = D("2026-10-01");
  person.criteria = {{Criterion::kRsa, D("2026-08-24"), "CD-59"}};  // last valid day: today
  auto v = Check();
  EXPECT_EQ(v.hire_date, kToday);
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);
  EXPECT_EQ(v.provisional, CriterionSet{});
  person.criteria = {{Criterion::kRsa, D("2026-08-23"), "CD-59"}};  // lapsed yesterday
  EXPECT_EQ(Refusal(), R::kProofExpired);
}

TEST_F(EligibilityTest, ProofWithoutDateProvesNothing) {
  person.criteria = {{Criterion::kRsa, std::nullopt, "CD-59"}};
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
}

// One proof per validity kind, on its boundary: the last valid day is the hire date (no
// condition), one day earlier (a condition), or before today (refused).
TEST_F(EligibilityTest, EachValidityKindOnItsBoundary) {
  struct Case {
    Criterion criterion;
    const char* last_day_is_hire;  // proof date whose last valid day is 2027-01-15
    const char* last_day_before;   // proof date whose last valid day is 2027-01-14
    const char* lapsed_today;      // proof date whose last valid day is 2026-11-22
  };
  const Case cases[] = {
      {Criterion::kAss, "2026-10-16", "2026-10-15", "2026-08-23"},              // 3 months
      {Criterion::kNiveauFormation, "2026-10-16", "2026-10-15", "2026-08-23"},  // 3 months
      {Criterion::kQpv, "2026-07-16", "2026-07-15", "2026-05-23"},              // 6 months
      {Criterion::kZrr, "2026-07-16", "2026-07-15", "2026-05-23"},
      {Criterion::kSortantDetention, "2026-07-16", "2026-07-15", "2026-05-23"},
      {Criterion::kFrancaisA1, "2026-07-16", "2026-07-15", "2026-05-23"},
      {Criterion::kMobilite, "2026-07-16", "2026-07-15", "2026-05-23"},
      {Criterion::kAse, "2026-01-16", "2026-01-15", "2025-11-23"},          // 12 months
      {Criterion::kSalarieSiae, "2025-01-16", "2025-01-15", "2024-11-23"},  // PASS IAE: 24 months
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(model::Code(c.criterion));
    contract.accepted_publics = {c.criterion};
    person.criteria = {{c.criterion, D(c.last_day_is_hire), "ORG"}};
    EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
    person.criteria = {{c.criterion, D(c.last_day_before), "ORG"}};
    const auto v = Check();
    EXPECT_EQ(v.kind(), VerdictKind::kEligibleSubjectToRenewal);
    EXPECT_EQ(v.to_renew, CriterionSet{c.criterion});
    person.criteria = {{c.criterion, D(c.last_day_is_hire), "ORG", D("2026-11-22")}};  // an earlier end
    EXPECT_EQ(Refusal(), R::kProofExpired);
    person.criteria = {{c.criterion, D(c.lapsed_today), "ORG"}};
    EXPECT_EQ(Refusal(), R::kProofExpired);
  }
}

TEST_F(EligibilityTest, DecisionsAndTitlesAreValidUntilTheirEndDate) {
  for (Criterion c : {Criterion::kRqth, Criterion::kRefugie}) {
    SCOPED_TRACE(model::Code(c));
    contract.accepted_publics = {c};
    person.criteria = {{c, D("2019-03-01"), "MDPH-59", D("2027-01-15")}};  // a decision of 2019
    EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
    person.criteria[0].valid_until = D("2027-01-14");
    EXPECT_EQ(Check().to_renew, CriterionSet{c});
    person.criteria[0].valid_until = D("2026-11-22");
    EXPECT_EQ(Refusal(), R::kProofExpired);
    // A legacy record without the end date keeps the old 3-month period.
    person.criteria = {{c, D("2026-10-16"), "MDPH-59"}};
    EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
    person.criteria = {{c, D("2026-10-15"), "MDPH-59"}};
    EXPECT_EQ(Check().kind(), VerdictKind::kEligibleSubjectToRenewal);
  }
  // A PASS IAE extended past its 24 months by its end date.
  contract.accepted_publics = {Criterion::kSalarieSiae};
  person.criteria = {{Criterion::kSalarieSiae, D("2024-06-01"), "EI-59", D("2027-05-31")}};
  EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
}

TEST_F(EligibilityTest, AnAgeReachedBeforeTheHireCountsAtTheHire) {
  contract.accepted_publics = {Criterion::kSenior};
  person.criteria.clear();
  person.birth_date = D("1977-01-15");  // 49 today, 50 on the hire date
  auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);  // an age is never a condition
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kSenior}));
  person.birth_date = D("1977-01-16");  // 50 the day after the hire
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
}

TEST_F(EligibilityTest, TwentyFiveTodayTwentySixAtTheStartIsNotJeune) {
  contract.accepted_publics = {Criterion::kJeune};
  person.criteria.clear();
  person.birth_date = D("2001-01-10");  // 25 today, 26 on 2027-01-10, before the 2027-01-15 start
  EXPECT_EQ(model::AgeAt(person.birth_date, kToday), 25);
  EXPECT_EQ(Refusal(), R::kAgeAtHire);
  // Born ten days later: still 25 at the start.
  person.birth_date = D("2001-01-20");
  const auto v = Check();
  EXPECT_TRUE(v.eligible());
  EXPECT_EQ(v.matched, (model::CriterionSet{Criterion::kJeune}));
  // The 26th birthday on the start date itself: 26 at the hire date.
  person.birth_date = D("2001-01-15");
  EXPECT_EQ(Refusal(), R::kAgeAtHire);
}

TEST_F(EligibilityTest, AgeCriteriaComeFromTheBirthDateDeclaredOrNot) {
  person.criteria.clear();
  person.birth_date = D("2005-05-05");
  EXPECT_TRUE(ValidCriteriaAt(person, kStart).contains(Criterion::kJeune));
  person.birth_date = D("1977-01-14");  // 49 today, 50 the day before the start
  EXPECT_TRUE(ValidCriteriaAt(person, kStart).contains(Criterion::kSenior));
  EXPECT_FALSE(ValidCriteriaAt(person, kToday).contains(Criterion::kSenior));
}

TEST_F(EligibilityTest, OneLevelOneCriterionSufficesOutsideTheClausePublics) {
  contract.accepted_publics = {Criterion::kJeune};  // the 40-year-old RSA recipient is not jeune
  const auto v = Check();
  EXPECT_TRUE(v.eligible());
  EXPECT_EQ(v.basis, EligibilityBasis::kIaeLevel1);
  EXPECT_EQ(v.matched, (model::CriterionSet{Criterion::kRsa}));
}

TEST_F(EligibilityTest, LevelTwoCriteriaSufficeInTheConfiguredNumber) {
  contract.accepted_publics = {Criterion::kSalarieSiae};
  person.criteria = {{Criterion::kRqth, D("2026-11-01"), "CAP-59", D("2031-10-31")},
                     {Criterion::kParentIsole, D("2026-11-01"), "CAF-59"}};
  contract.iae_level2_required = 2;
  const auto v = Check();
  EXPECT_TRUE(v.eligible());
  EXPECT_EQ(v.basis, EligibilityBasis::kIaeLevel2);
  EXPECT_EQ(v.matched, (model::CriterionSet{Criterion::kRqth, Criterion::kParentIsole}));
  contract.iae_level2_required = 3;
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  // The age criterion counts as a level-2 one: a 23-year-old makes the third.
  person.birth_date = D("2003-04-04");
  EXPECT_EQ(Check().basis, EligibilityBasis::kIaeLevel2);
}

TEST_F(EligibilityTest, DerogationAdmitsWhileValidAndWhenTheContractAcceptsIt) {
  contract.accepted_publics = {Criterion::kDeld};
  person.criteria.clear();
  person.derogation = model::Derogation{D("2026-10-01"), "PLIE-LILLE", "avis motivé du prescripteur"};
  auto v = Check();  // valid through 2027-04-01
  EXPECT_TRUE(v.eligible());
  EXPECT_EQ(v.basis, EligibilityBasis::kDerogation);
  contract.accepts_derogation = false;
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  contract.accepts_derogation = true;
  person.derogation->granted_on = D("2026-07-16");  // valid through 2027-01-15, the hire date
  EXPECT_EQ(Check().basis, EligibilityBasis::kDerogation);
  person.derogation->granted_on = D("2026-07-15");  // valid through 2027-01-14: lapsed at the start
  EXPECT_EQ(Refusal(), R::kProofExpired);           // a derogation is not a proof to renew
}

// The level-2 threshold comes from the route: 2 for an ETTI mission or an AI placement, 3 for a
// CDDI (EI/ACI), the contract's iae_level2_required for any other contract type.
TEST_F(EligibilityTest, TheLevelTwoThresholdComesFromTheRoute) {
  using T = model::ContractType;
  contract.accepted_publics = {Criterion::kSalarieSiae};
  contract.iae_level2_required = 3;
  person.criteria = {{Criterion::kRqth, D("2026-11-01"), "CAP-59", D("2031-10-31")},
                     {Criterion::kParentIsole, D("2026-11-01"), "CAF-59"}};  // two level-2 criteria, aged 40
  const std::pair<T, int> thresholds[] = {{T::kInterimEtti, 2},
                                          {T::kMiseADispositionAi, 2},
                                          {T::kCddi, 3},
                                          {T::kCdd, 3},
                                          {T::kCdi, 3},
                                          {T::kInterim, 3},
                                          {T::kGeiq, 3},
                                          {T::kApprentissage, 3},
                                          {T::kProfessionnalisation, 3}};
  for (const auto& [route, threshold] : thresholds) {
    SCOPED_TRACE(model::Code(route));
    opening.contract_type = route;
    EXPECT_EQ(Level2Threshold(contract, route), threshold);
    EXPECT_EQ(IsIaeRoute(route), route == T::kInterimEtti || route == T::kMiseADispositionAi || route == T::kCddi);
    if (threshold == 2)
      EXPECT_EQ(Check().basis, EligibilityBasis::kIaeLevel2);
    else
      EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  }
  // The contract's own count no longer lowers an IAE route's: 2 asked, a CDDI still needs 3.
  contract.iae_level2_required = 2;
  opening.contract_type = T::kCddi;
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  opening.contract_type = T::kCdd;
  EXPECT_EQ(Check().basis, EligibilityBasis::kIaeLevel2);
  // A third criterion for the CDDI: under 26.
  opening.contract_type = T::kCddi;
  person.birth_date = D("2003-04-04");
  const auto v = Check();
  EXPECT_EQ(v.basis, EligibilityBasis::kIaeLevel2);
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kJeune, Criterion::kRqth, Criterion::kParentIsole}));
}

TEST_F(EligibilityTest, TheContractMayCloseTheIaePath) {
  contract.accepted_publics = {Criterion::kSalarieSiae};
  opening.contract_type = model::ContractType::kInterimEtti;
  EXPECT_EQ(Check().basis, EligibilityBasis::kIaeLevel1);  // RSA, level 1
  contract.accepts_iae_eligibility = false;
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  person.criteria.push_back({Criterion::kRqth, D("2026-11-01"), "CAP-59", D("2031-10-31")});
  person.criteria.push_back({Criterion::kParentIsole, D("2026-11-01"), "CAF-59"});
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
  contract.accepted_publics.insert(Criterion::kRsa);  // the clause's own publics stay open
  EXPECT_EQ(Check().basis, EligibilityBasis::kClausePublic);
}

// A prescriber's diagnosis, valid 6 months, freezes on an IAE route the IAE criteria met on its
// date: they count at the hire even when their own proofs lapse before it.
TEST_F(EligibilityTest, ADiagnosisValidAtTheHireFreezesItsCriteriaOnIaeRoutes) {
  contract.accepted_publics = {Criterion::kSalarieSiae};  // only the IAE path
  opening.contract_type = model::ContractType::kInterimEtti;
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}};  // valid through 2026-11-30
  person.diagnosis_date = D("2026-09-10");                          // valid through 2027-03-09
  auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);
  EXPECT_EQ(v.basis, EligibilityBasis::kIaeLevel1);
  EXPECT_EQ(v.by_diagnosis, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.valid, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(DiagnosedCriteria(person), (CriterionSet{Criterion::kRsa}));
  // Even a proof already lapsed today, if it was valid on the diagnosis date.
  person.criteria = {{Criterion::kRsa, D("2026-06-01"), "CD-59"}};  // valid through 2026-08-31
  person.diagnosis_date = D("2026-07-20");                          // valid through 2027-01-19
  EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
  // Boundaries of the diagnosis: its last valid day is the hire date, or the day before.
  person.criteria = {{Criterion::kRsa, D("2026-07-01"), "CD-59"}};  // lapsed on 2026-09-30
  person.diagnosis_date = D("2026-07-16");                          // valid through 2027-01-15
  EXPECT_TRUE(DiagnosisValidAt(person, kStart));
  EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
  person.diagnosis_date = D("2026-07-15");  // valid through 2027-01-14
  EXPECT_FALSE(DiagnosisValidAt(person, kStart));
  EXPECT_EQ(Refusal(), R::kProofExpired);
  // A proof dated after the diagnosis is not frozen by it.
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}};
  person.diagnosis_date = D("2026-08-15");
  EXPECT_EQ(DiagnosedCriteria(person), CriterionSet{});
  EXPECT_EQ(Check().kind(), VerdictKind::kEligibleSubjectToRenewal);
  // Outside the IAE routes the diagnosis freezes nothing.
  person.diagnosis_date = D("2026-09-10");
  opening.contract_type = model::ContractType::kCdd;
  v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligibleSubjectToRenewal);
  EXPECT_EQ(v.by_diagnosis, CriterionSet{});
  for (auto route : {model::ContractType::kMiseADispositionAi, model::ContractType::kCddi}) {
    opening.contract_type = route;
    EXPECT_EQ(Check().kind(), VerdictKind::kEligible) << model::Code(route);
  }
}

TEST_F(EligibilityTest, TheDiagnosisFreezesAgesOnItsDateToo) {
  contract.accepted_publics = {Criterion::kSalarieSiae};
  opening.contract_type = model::ContractType::kMiseADispositionAi;  // 2 level-2 criteria
  person.birth_date = D("2001-01-10");                               // 25 today, 26 on 2027-01-10
  person.criteria = {{Criterion::kParentIsole, D("2026-11-01"), "CAF-59"}};
  EXPECT_EQ(Refusal(), R::kAgeAtHire);
  person.diagnosis_date = D("2026-10-01");  // 25 on that day, valid through 2027-03-31
  const auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);
  EXPECT_EQ(v.by_diagnosis, (CriterionSet{Criterion::kJeune}));
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kJeune, Criterion::kParentIsole}));
}

// Unconditional first: a basis valid at the hire wins over one resting on a proof to renew, and
// the renewable criterion still counts provisionally for priority and quotas.
TEST_F(EligibilityTest, AnUnconditionalBasisIsPreferredAndRenewableCriteriaCountProvisionally) {
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"},    // lapses 2026-11-30
                     {Criterion::kDeld, D("2026-11-01"), "FT-59"}};  // valid through 2027-01-31
  const auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligible);
  EXPECT_EQ(v.basis, EligibilityBasis::kClausePublic);
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kDeld}));
  EXPECT_EQ(v.provisional, (CriterionSet{Criterion::kRsa}));
  EXPECT_TRUE(v.counted().contains(Criterion::kRsa));
  EXPECT_TRUE(v.conditions().empty());
  // A valid derogation is unconditional too.
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}};
  person.derogation = model::Derogation{D("2026-10-01"), "FAC", "avis"};
  EXPECT_EQ(Check().basis, EligibilityBasis::kDerogation);
  EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
}

// Only the criteria the eligibility rests on need renewing, the fewest, in criterion order.
TEST_F(EligibilityTest, ConditionsAreTheFewestProofsTheBasisNeeds) {
  // (a) two accepted publics to renew: renewing RSA suffices.
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}, {Criterion::kDeld, D("2026-09-01"), "FT-59"}};
  auto v = Check();
  EXPECT_EQ(v.to_renew, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.provisional, (CriterionSet{Criterion::kRsa, Criterion::kDeld}));
  // (c) on a CDDI (3 needed): under 26 and a valid QPV proof, plus two renewable ones: one renewal.
  contract.accepted_publics = {Criterion::kSalarieSiae};
  opening.contract_type = model::ContractType::kCddi;
  person.birth_date = D("2003-04-04");
  person.criteria = {{Criterion::kQpv, D("2026-10-01"), "CD-59"},
                     {Criterion::kParentIsole, D("2026-09-01"), "CAF-59"},
                     {Criterion::kSansHebergement, D("2026-09-01"), "SIAO"}};
  v = Check();
  EXPECT_EQ(v.basis, EligibilityBasis::kIaeLevel2);
  EXPECT_EQ(v.to_renew, (CriterionSet{Criterion::kParentIsole}));
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kJeune, Criterion::kQpv, Criterion::kParentIsole}));
  // Without the QPV proof, both renewable ones are needed.
  person.criteria.erase(person.criteria.begin());
  v = Check();
  EXPECT_EQ(v.to_renew, (CriterionSet{Criterion::kParentIsole, Criterion::kSansHebergement}));
  ASSERT_EQ(v.conditions().size(), 2u);
  EXPECT_EQ(v.conditions()[1].criterion, Criterion::kSansHebergement);
}

TEST_F(EligibilityTest, HardRequirements) {
  person.status = model::ParticipantStatus::kWithdrawn;
  EXPECT_EQ(Refusal(), R::kWithdrawn);
  person.status = model::ParticipantStatus::kSuspended;
  EXPECT_EQ(Refusal(), R::kSuspended);
  person.status = model::ParticipantStatus::kPlaced;
  EXPECT_EQ(Refusal(), R::kAlreadyPlaced);
  person.status = model::ParticipantStatus::kActive;
  person.consent = false;
  EXPECT_EQ(Refusal(), R::kNoConsent);
  person.consent = true;
  person.available_from = D("2027-01-16");
  EXPECT_EQ(Refusal(), R::kNotAvailable);
  person.available_from = kStart;  // available on the start date itself
  EXPECT_TRUE(Check().eligible());
}

TEST_F(EligibilityTest, PlacementsExcludeThePersonAlreadyOnTheOpeningOrPlacedElsewhere) {
  EXPECT_EQ(Refusal({.on_this_opening = true}), R::kAlreadyOnOpening);
  EXPECT_EQ(Refusal({.placed_during_opening = true}), R::kAlreadyPlaced);
}

// QPV-only contracts: a QPV proof valid at the hire; one valid today that lapses before the hire
// is a condition (renew it), like any other proof; one lapsed today refuses.
TEST_F(EligibilityTest, QpvOnlyContractsNeedAQpvProofValidAtTheStartOrRenewed) {
  contract.qpv_only = true;
  EXPECT_EQ(Refusal(), R::kNotQpvResident);
  person.criteria.push_back({Criterion::kQpv, D("2026-07-16"), "CD-59"});  // 6 months: through 2027-01-15
  EXPECT_EQ(Check().kind(), VerdictKind::kEligible);
  person.criteria.back().proof_date = D("2026-07-15");  // through 2027-01-14: renew it
  auto v = Check();
  EXPECT_EQ(v.kind(), VerdictKind::kEligibleSubjectToRenewal);
  EXPECT_EQ(v.basis, EligibilityBasis::kClausePublic);  // the RSA basis itself holds
  EXPECT_EQ(v.matched, (CriterionSet{Criterion::kRsa}));
  EXPECT_EQ(v.to_renew, (CriterionSet{Criterion::kQpv}));
  // And with the RSA proof to renew too: two conditions.
  person.criteria[0].proof_date = D("2026-09-01");
  v = Check();
  EXPECT_EQ(v.to_renew, (CriterionSet{Criterion::kRsa, Criterion::kQpv}));
  person.criteria[0].proof_date = D("2026-11-01");
  person.criteria.back().proof_date = D("2026-05-22");  // through 2026-11-21: lapsed today
  EXPECT_EQ(Refusal(), R::kNotQpvResident);
}

TEST_F(EligibilityTest, RequiredLicencesMustAllBeHeld) {
  opening.required_licences.insert(model::Licence::kB);
  EXPECT_EQ(Refusal(), R::kMissingLicence);
  person.licences.insert(model::Licence::kB);
  EXPECT_TRUE(Check().eligible());
  opening.required_licences.insert(model::Licence::kCaces);
  EXPECT_EQ(Refusal(), R::kMissingLicence);
}

TEST_F(EligibilityTest, TheFirstFailingRuleInTheDocumentedOrderIsReported) {
  person.status = model::ParticipantStatus::kSuspended;
  person.consent = false;
  person.criteria.clear();
  EXPECT_EQ(Refusal(), R::kSuspended);
  person.status = model::ParticipantStatus::kActive;
  EXPECT_EQ(Refusal(), R::kNoConsent);
  person.consent = true;
  opening.required_licences.insert(model::Licence::kB);
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);  // publics come before licences
}

TEST(ExclusionReasons, CodesAreUniqueAndRoundTrip) {
  const auto all = AllExclusionReasons();
  ASSERT_EQ(all.size(), kExclusionReasonCount);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(all[i].reason), i);
    EXPECT_EQ(ParseExclusionReason(all[i].code), all[i].reason);
    EXPECT_FALSE(all[i].label_en.empty());
    EXPECT_FALSE(all[i].label_fr.empty());
  }
  EXPECT_FALSE(ParseExclusionReason("nope").has_value());
}

}  // namespace
}  // namespace clausematch::matcher

namespace clausematch::matcher {
namespace {

// The candidate graph decides the publics rules on bits (CompiledPublicsRules); on random criteria,
// renewable ones disjoint from the valid ones as the matcher builds them, and random rules, it must
// say what DecidePublics says: refused (no basis, or not a QPV resident), eligible, or eligible
// subject to renewal.
TEST(CompiledPublicsRules, DecidesAsDecidePublicsOnRandomCriteriaAndRules) {
  std::mt19937_64 rng(20261205);
  const std::uint32_t all = (1u << model::kCriterionCount) - 1;
  std::array<int, 3> seen{};
  for (int round = 0; round < 200000; ++round) {
    PublicsRules rules;
    // Sparse sets, so that every rule and every outcome happens often.
    auto sparse = [&] { return static_cast<std::uint32_t>(rng() & rng() & rng()) & all; };
    rules.accepted = CriterionSet::FromBits(sparse());
    rules.iae = (rng() & 1) != 0;
    rules.level2 = static_cast<int>(rng() % 5);  // 0 counts as 1
    rules.derogation = (rng() & 1) != 0;
    rules.iae_route = (rng() & 1) != 0;
    rules.qpv_only = (rng() % 4) == 0;
    const std::uint32_t valid = sparse();
    const std::uint32_t renewable = sparse() & ~valid;
    const bool derogation = (rng() % 3) == 0;
    const PublicsDecision want =
        DecidePublics(CriterionSet::FromBits(valid), CriterionSet::FromBits(renewable), derogation, rules);
    const auto expected = want.basis == EligibilityBasis::kNone || want.not_qpv ? CompiledPublicsRules::kRefused
                          : want.to_renew.empty()                               ? CompiledPublicsRules::kEligible
                                                  : CompiledPublicsRules::kSubjectToRenewal;
    const auto got = CompiledPublicsRules::From(rules).Decide(valid, renewable, derogation);
    ASSERT_EQ(got, expected) << "round " << round << " valid " << valid << " renewable " << renewable;
    ++seen[got];
  }
  for (int outcome = 0; outcome < 3; ++outcome) EXPECT_GT(seen[outcome], 1000) << "outcome " << outcome;
}

TEST(NthBirthday, AgreesWithAgeAtIncludingLeapDays) {
  for (const char* birth : {"2000-02-29", "2001-01-10", "1976-12-31", "2004-02-28", "1980-03-01"}) {
    const auto b = testing::D(birth);
    for (int years : {18, 26, 50}) {
      const auto day = NthBirthday(b, years);
      EXPECT_EQ(model::AgeAt(b, day), years) << birth;
      EXPECT_EQ(model::AgeAt(b, day.AddDays(-1)), years - 1) << birth;
    }
  }
  EXPECT_EQ(NthBirthday(testing::D("2000-02-29"), 26), testing::D("2026-03-01"));
  EXPECT_EQ(NthBirthday(testing::D("2000-02-29"), 28), testing::D("2028-02-29"));
}

}  // namespace
}  // namespace clausematch::matcher
