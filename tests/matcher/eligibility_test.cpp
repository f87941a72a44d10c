// Eligibility at the hire date. Today is 2026-11-23, the opening starts (hire date) 2027-01-15.
// Last-day convention: dated d and valid N months means valid through AddMonths(d, N) - 1 day
// (model::LastDayOfPeriod).
#include "matcher/eligibility.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace clausematch::matcher {
namespace {

using model::Criterion;
using testing::D;
using testing::kStart;
using testing::kToday;
using R = ExclusionReason;

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
  // RSA: 3 months. Dated 2026-10-16 -> valid through 2027-01-15, the hire date.
  person.criteria = {{Criterion::kRsa, D("2026-10-16"), "CD-59"}};
  EXPECT_TRUE(Check().eligible());
  // Dated 2026-10-15 -> valid through 2027-01-14, one day short: expired at the hire date.
  person.criteria = {{Criterion::kRsa, D("2026-10-15"), "CD-59"}};
  EXPECT_TRUE(ProofValidAt(person.criteria[0], D("2027-01-14")));
  EXPECT_EQ(Refusal(), R::kProofExpired);
}

TEST_F(EligibilityTest, ValidUntilAndTheValidityKindDecideTheProofPeriod) {
  // An RQTH decision of 2019 valid until the hire date; a day short, expired.
  contract.accepted_publics = {Criterion::kRqth};
  person.criteria = {{Criterion::kRqth, D("2019-03-01"), "MDPH-59", D("2027-01-15")}};
  EXPECT_TRUE(Check().eligible());
  person.criteria[0].valid_until = D("2027-01-14");
  EXPECT_EQ(Refusal(), R::kProofExpired);
  // An RSA attestation ending early by its own date.
  contract.accepted_publics = {Criterion::kRsa};
  person.criteria = {{Criterion::kRsa, D("2026-11-01"), "CD-59", D("2027-01-14")}};
  EXPECT_EQ(Refusal(), R::kProofExpired);
  // Six months for a mobility problem, 24 for a PASS IAE.
  contract.accepted_publics = {Criterion::kMobilite, Criterion::kSalarieSiae};
  person.criteria = {{Criterion::kMobilite, D("2026-07-16"), "FT-59"}};
  EXPECT_TRUE(Check().eligible());
  person.criteria = {{Criterion::kSalarieSiae, D("2025-01-16"), "EI-59"}};
  EXPECT_TRUE(Check().eligible());
  person.criteria = {{Criterion::kSalarieSiae, D("2025-01-15"), "EI-59"}};
  EXPECT_EQ(Refusal(), R::kProofExpired);
}

TEST_F(EligibilityTest, TheContractMayCloseTheIaePath) {
  contract.accepted_publics = {Criterion::kSalarieSiae};
  EXPECT_EQ(Check().basis, EligibilityBasis::kIaeLevel1);  // RSA, level 1
  contract.accepts_iae_eligibility = false;
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
}

TEST_F(EligibilityTest, ExpiredProofIsReportedAsSuch) {
  person.criteria = {{Criterion::kRsa, D("2026-09-01"), "CD-59"}};  // valid through 2026-11-30
  EXPECT_EQ(Refusal(), R::kProofExpired);
  // Valid today, though: the verdict is about the hire date, not today.
  EXPECT_TRUE(ProofValidAt(person.criteria[0], kToday));
  EXPECT_FALSE(ProofValidAt(person.criteria[0], kStart));
}

TEST_F(EligibilityTest, ProofWithoutDateProvesNothing) {
  person.criteria = {{Criterion::kRsa, std::nullopt, "CD-59"}};
  EXPECT_EQ(Refusal(), R::kNoAcceptedPublic);
}

TEST_F(EligibilityTest, AseProofIsValidTwelveMonths) {
  contract.accepted_publics = {Criterion::kAse};
  person.criteria = {{Criterion::kAse, D("2026-01-16"), "ASE-59"}};  // valid through 2027-01-15
  EXPECT_TRUE(Check().eligible());
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
  person.criteria = {{Criterion::kRqth, D("2026-11-01"), "CAP-59"},
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
  person.derogation->granted_on = D("2026-07-15");  // valid through 2027-01-14: expired at the start
  EXPECT_EQ(Refusal(), R::kProofExpired);
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

TEST_F(EligibilityTest, QpvOnlyContractsNeedAQpvProofValidAtTheStart) {
  contract.qpv_only = true;
  EXPECT_EQ(Refusal(), R::kNotQpvResident);
  person.criteria.push_back({Criterion::kQpv, D("2026-07-16"), "CD-59"});  // 6 months: through 2027-01-15
  EXPECT_TRUE(Check().eligible());
  person.criteria.back().proof_date = D("2026-07-15");  // through 2027-01-14
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
