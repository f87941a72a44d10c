#include "model/date.hpp"

#include <gtest/gtest.h>

#include "model/criteria.hpp"

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

TEST(Criteria, ProofValidityFollowsTheDomainBrief) {
  EXPECT_EQ(Info(Criterion::kRsa).validity_months, 3);
  EXPECT_EQ(Info(Criterion::kAse).validity_months, 12);
  EXPECT_EQ(Info(Criterion::kQpv).validity_months, 6);
  EXPECT_EQ(Info(Criterion::kZrr).validity_months, 6);
  EXPECT_EQ(Info(Criterion::kJeune).proof, ProofKind::kAge);
  EXPECT_EQ(Info(Criterion::kRsa).level, CriterionLevel::kLevel1);
  EXPECT_EQ(Info(Criterion::kDeld).level, CriterionLevel::kLevel2);
}

}  // namespace
}  // namespace clausematch::model
