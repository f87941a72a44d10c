#include "model/date.hpp"

#include <gtest/gtest.h>

#include "model/criteria.hpp"
#include "model/validity.hpp"

namespace clausematch::model {
namespace {

TEST(Date, ParsesAndFormatsIsoDates) {
  auto d = Date::Parse("2026-11-23");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ToString(), "2026-11-23");
  EXPECT_EQ(*d, Date::FromYmd(2026, 11, 23));
}

TEST(Date, RejectsMalformedOrImpossibleDates) {
  for (const char* bad : {"2026-02-30", "2026-13-01", "26-11-23", "2026/11/23", "2026-11-2", "", "2026-11-23x"})
    EXPECT_FALSE(Date::Parse(bad).has_value()) << bad;
  EXPECT_TRUE(Date::Parse("2024-02-29").has_value());
  EXPECT_FALSE(Date::Parse("2025-02-29").has_value());
}

TEST(Date, AddMonthsClampsToTheEndOfMonth) {
  EXPECT_EQ(Date::FromYmd(2026, 1, 31).AddMonths(1), Date::FromYmd(2026, 2, 28));
  EXPECT_EQ(Date::FromYmd(2024, 1, 31).AddMonths(1), Date::FromYmd(2024, 2, 29));
  EXPECT_EQ(Date::FromYmd(2026, 11, 15).AddMonths(3), Date::FromYmd(2027, 2, 15));
  EXPECT_EQ(Date::FromYmd(2026, 3, 10).AddMonths(-3), Date::FromYmd(2025, 12, 10));
}

TEST(Date, AgeCountsCompletedYearsOnTheBirthday) {
  const auto birth = Date::FromYmd(2001, 3, 15);
  EXPECT_EQ(AgeAt(birth, Date::FromYmd(2027, 3, 14)), 25);  // the day before the 26th birthday
  EXPECT_EQ(AgeAt(birth, Date::FromYmd(2027, 3, 15)), 26);  // the birthday itself
  const auto leap = Date::FromYmd(2000, 2, 29);
  EXPECT_EQ(AgeAt(leap, Date::FromYmd(2026, 2, 28)), 25);
  EXPECT_EQ(AgeAt(leap, Date::FromYmd(2026, 3, 1)), 26);
}

TEST(Criteria, TableIsIndexedByEnumValueAndCodesRoundTrip) {
  ASSERT_EQ(AllCriteria().size(), kCriterionCount);
  for (std::size_t i = 0; i < kCriterionCount; ++i) {
    const auto& info = AllCriteria()[i];
    EXPECT_EQ(static_cast<std::size_t>(info.criterion), i) << info.code;
    EXPECT_EQ(ParseCriterion(info.code), info.criterion);
  }
  EXPECT_FALSE(ParseCriterion("unknown").has_value());
}

TEST(Criteria, ValidityKindsFollowTheFacilitatorsRules) {
  using C = Criterion;
  using V = ValidityKind;
  // 3 months before the hire.
  for (C c :
       {C::kRsa, C::kAss, C::kAah, C::kDetld, C::kDeld, C::kParentIsole, C::kSansHebergement, C::kNiveauFormation}) {
    EXPECT_EQ(Info(c).validity, V::kMonths) << Info(c).code;
    EXPECT_EQ(Info(c).months, 3) << Info(c).code;
  }
  // 6 months.
  for (C c : {C::kQpv, C::kZrr, C::kSortantDetention, C::kFrancaisA1, C::kMobilite}) {
    EXPECT_EQ(Info(c).validity, V::kMonths) << Info(c).code;
    EXPECT_EQ(Info(c).months, 6) << Info(c).code;
  }
  EXPECT_EQ(Info(C::kAse).validity, V::kMonths);
  EXPECT_EQ(Info(C::kAse).months, 12);
  // Until a date: a decision, a residence title; a PASS IAE: 24 months by default.
  EXPECT_EQ(Info(C::kRqth).validity, V::kUntilDate);
  EXPECT_EQ(Info(C::kRefugie).validity, V::kUntilDate);
  EXPECT_EQ(Info(C::kSalarieSiae).validity, V::kPassIae);
  EXPECT_EQ(Info(C::kSalarieSiae).months, 24);
  // Age.
  for (C c : {C::kJeune, C::kSenior}) {
    EXPECT_EQ(Info(c).validity, V::kAge);
    EXPECT_EQ(Info(c).proof, ProofKind::kAge);
  }
  // Every kind but age is proven by a document, and the other way round.
  for (const auto& info : AllCriteria())
    EXPECT_EQ(info.validity == V::kAge, info.proof == ProofKind::kAge) << info.code;
  EXPECT_EQ(Info(C::kRsa).level, CriterionLevel::kLevel1);
  EXPECT_EQ(Info(C::kDeld).level, CriterionLevel::kLevel2);
}

TEST(Criteria, LabelsAFacilitatorRecognises) {
  EXPECT_EQ(Info(Criterion::kNiveauFormation).label, "Niveau d'étude 3 (CAP, BEP) ou infra");
  EXPECT_EQ(Info(Criterion::kZrr).label, "Résident ZRR/ZFRR");
  EXPECT_NE(Info(Criterion::kRefugie).label.find("subsidiaire"), std::string_view::npos);
  EXPECT_NE(Info(Criterion::kRefugie).label.find("temporaire"), std::string_view::npos);
}

// The one last-day convention: dated d, valid N months -> valid through AddMonths(d, N) - 1 day.
TEST(Validity, LastDayOfPeriodIsTheDayBeforeTheSameDayNMonthsLater) {
  EXPECT_EQ(LastDayOfPeriod(Date::FromYmd(2026, 10, 15), 3), Date::FromYmd(2027, 1, 14));
  EXPECT_EQ(LastDayOfPeriod(Date::FromYmd(2026, 7, 16), 6), Date::FromYmd(2027, 1, 15));
  EXPECT_EQ(LastDayOfPeriod(Date::FromYmd(2026, 1, 1), 12), Date::FromYmd(2026, 12, 31));
  // Clamped at the end of a shorter month: 30 November + 3 months is 28 February.
  EXPECT_EQ(LastDayOfPeriod(Date::FromYmd(2026, 11, 30), 3), Date::FromYmd(2027, 2, 27));
  EXPECT_EQ(LastDayOfPeriod(Date::FromYmd(2023, 11, 30), 3), Date::FromYmd(2024, 2, 28));
}

TEST(Validity, ProofPeriodsByKindAndValidUntil) {
  auto proof = [](Criterion c, const char* date, std::optional<Date> until = std::nullopt) {
    return CriterionProof{c, Date::Parse(date), "X", until};
  };
  auto range = [](const char* first, const char* last) { return DayRange{*Date::Parse(first), *Date::Parse(last)}; };
  const auto d = [](const char* s) { return *Date::Parse(s); };
  // kMonths: the period, shortened (never lengthened) by valid_until.
  EXPECT_EQ(ProofValidity(proof(Criterion::kRsa, "2026-10-15")), range("2026-10-15", "2027-01-14"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kRsa, "2026-10-15", d("2026-12-31"))), range("2026-10-15", "2026-12-31"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kRsa, "2026-10-15", d("2027-06-30"))), range("2026-10-15", "2027-01-14"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kMobilite, "2026-07-16")), range("2026-07-16", "2027-01-15"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kAse, "2026-01-16")), range("2026-01-16", "2027-01-15"));
  // kUntilDate: through valid_until, however far; a store row written before valid_until was
  // required keeps 3 months.
  EXPECT_EQ(ProofValidity(proof(Criterion::kRqth, "2020-03-01", d("2030-02-28"))), range("2020-03-01", "2030-02-28"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kRefugie, "2026-10-15")), range("2026-10-15", "2027-01-14"));
  // kPassIae: 24 months, or valid_until either way (a PASS can be extended or end early).
  EXPECT_EQ(ProofValidity(proof(Criterion::kSalarieSiae, "2025-01-16")), range("2025-01-16", "2027-01-15"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kSalarieSiae, "2025-01-16", d("2027-06-30"))),
            range("2025-01-16", "2027-06-30"));
  EXPECT_EQ(ProofValidity(proof(Criterion::kSalarieSiae, "2025-01-16", d("2025-12-31"))),
            range("2025-01-16", "2025-12-31"));
  // No period: age criteria, undated proofs.
  EXPECT_FALSE(ProofValidity(proof(Criterion::kJeune, "2026-10-15")));
  EXPECT_FALSE(ProofValidity(CriterionProof{Criterion::kRsa, std::nullopt, "X"}));
}

TEST(Validity, DiagnosisAndDerogationFollowTheSameConvention) {
  Participant p;
  EXPECT_FALSE(DiagnosisValidity(p));
  EXPECT_FALSE(DerogationValidity(p));
  p.diagnosis_date = Date::FromYmd(2026, 7, 16);
  p.derogation = Derogation{Date::FromYmd(2026, 7, 15), "FAC", "avis"};
  EXPECT_EQ(DiagnosisValidity(p), (DayRange{Date::FromYmd(2026, 7, 16), Date::FromYmd(2027, 1, 15)}));
  EXPECT_EQ(DerogationValidity(p), (DayRange{Date::FromYmd(2026, 7, 15), Date::FromYmd(2027, 1, 14)}));
  EXPECT_TRUE(DiagnosisValidity(p)->Contains(Date::FromYmd(2027, 1, 15)));
  EXPECT_FALSE(DerogationValidity(p)->Contains(Date::FromYmd(2027, 1, 15)));
  EXPECT_FALSE(DerogationValidity(p)->Contains(Date::FromYmd(2026, 7, 14)));
}

}  // namespace
}  // namespace clausematch::model
