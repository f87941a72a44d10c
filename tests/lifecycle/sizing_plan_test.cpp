#include <gtest/gtest.h>

#include "lifecycle/plan.hpp"
#include "lifecycle/sizing.hpp"

namespace clausematch::lifecycle {
namespace {

using model::Date;
using model::RomeCode;

RomeCode Rome(const char* code) { return *RomeCode::Parse(code); }

TEST(Sizing, TheDomainExampleGives833Hours) {
  // 1 000 000 € × 50% × 5% ÷ 30 €/h = 25 000 € ÷ 30 = 833.33 h.
  model::Problems problems;
  auto s = SizeClause({1'000'000, 0.5, 0.05, 30}, problems);
  ASSERT_TRUE(s) << problems.size();
  EXPECT_DOUBLE_EQ(s->labour_amount_eur, 500'000);
  EXPECT_DOUBLE_EQ(s->insertion_amount_eur, 25'000);
  EXPECT_NEAR(s->exact_hours, 833.333333, 1e-5);
  EXPECT_EQ(s->hours, 833);
}

TEST(Sizing, RoundsToTheNearestHour) {
  model::Problems problems;
  // 600 000 × 0.7 × 0.1 ÷ 28 = 1500 exactly; ÷ 27 = 1555.56 -> 1556.
  EXPECT_EQ(SizeClause({600'000, 0.7, 0.1, 28}, problems)->hours, 1500);
  EXPECT_EQ(SizeClause({600'000, 0.7, 0.1, 27}, problems)->hours, 1556);
  EXPECT_TRUE(problems.empty());
}

TEST(Sizing, ReportsEveryInvalidInput) {
  model::Problems problems;
  EXPECT_FALSE(SizeClause({-1, 0, 1.5, 0}, problems));
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].field, "/amount_excl_vat_eur");
  EXPECT_EQ(problems[1].field, "/labour_share");
  EXPECT_EQ(problems[2].field, "/insertion_rate");
  EXPECT_EQ(problems[3].field, "/hourly_cost_eur");
}

// Nothing infinite or absurd comes out to be stored (issue 17: 5e-324 €/h gave infinite hours).
TEST(Sizing, RefusesWhatWouldNotBeFiniteOrSane) {
  model::Problems problems;
  EXPECT_FALSE(SizeClause({1'000'000, 0.5, 0.05, 5e-324}, problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "/hourly_cost_eur");
  problems.clear();
  EXPECT_FALSE(SizeClause({1'000'000, 0.5, 0.05, 0.99}, problems));  // below 1 €/h: a unit mistake
  EXPECT_FALSE(SizeClause({1e300, 0.5, 0.05, 30}, problems));        // above 1e12 €
  EXPECT_FALSE(SizeClause({1e12, 1, 1, 1}, problems));               // 1e12 h owed
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "/hourly_cost_eur");
  EXPECT_EQ(problems[1].field, "/amount_excl_vat_eur");
  EXPECT_EQ(problems[2].field, "/amount_excl_vat_eur");
  problems.clear();
  const auto at_bound = SizeClause({3e9, 1, 1, 30}, problems);  // exactly 1e8 h: still accepted
  ASSERT_TRUE(at_bound);
  EXPECT_EQ(at_bound->hours, model::kMaxInsertionHours);
}

TEST(Sizing, ApplySizingRecordsTheClauseOnTheContract) {
  model::Contract c;
  model::Problems problems;
  const SizingInput input{1'000'000, 0.5, 0.05, 30};
  ApplySizing(c, input, *SizeClause(input, problems));
  EXPECT_EQ(c.insertion_hours, 833);
  ASSERT_TRUE(c.sizing);
  EXPECT_EQ(c.sizing->labour_share, 0.5);
  EXPECT_EQ(c.amount_excl_vat_eur, 1'000'000);
}

TEST(LabourShares, DefaultsByFicheDomaineAndGrandDomaine) {
  const auto t = LabourShareTable::Defaults();
  EXPECT_EQ(t.ForFiche(Rome("F1606"))->share, 0.70);  // painting
  EXPECT_EQ(t.ForFiche(Rome("F1703"))->share, 0.50);  // masonry
  EXPECT_EQ(t.ForFiche(Rome("F1502"))->share, 0.20);  // steel frames
  EXPECT_EQ(t.ForFiche(Rome("K2204"))->share, 0.80);  // cleaning
  EXPECT_EQ(t.ForFiche(Rome("A1203"))->share, 0.60);  // green spaces
  // ROME 4.0 couvreur F1619 has no row; its historical parent F1610 does.
  EXPECT_EQ(t.ForFiche(Rome("F1619"), Rome("F1610"))->share, 0.45);
  EXPECT_EQ(t.ForFiche(Rome("F1619"))->key, "F16");   // without the parent: the domaine
  EXPECT_EQ(t.ForFiche(Rome("F1302"))->share, 0.25);  // F13 engins de chantier
  EXPECT_EQ(t.ForFiche(Rome("F1201"))->kind, TradeKeyKind::kRomeGrandDomaine);
  EXPECT_EQ(t.ForFiche(Rome("M1203")), nullptr);  // accounting: no default, the user must say
}

TEST(LabourShares, CpvLongestPrefix) {
  const auto t = LabourShareTable::Defaults();
  EXPECT_EQ(t.ForCpv("45442100-8")->share, 0.70);  // Travaux de peinture
  EXPECT_EQ(t.ForCpv("45262500")->share, 0.50);    // maçonnerie
  EXPECT_EQ(t.ForCpv("45223100-7")->share, 0.20);  // structures en métal
  EXPECT_EQ(t.ForCpv("45000000-7")->share, 0.40);  // division 45
  EXPECT_EQ(t.ForCpv("45214200-2")->key, "45");    // a school building: the division
  EXPECT_EQ(t.ForCpv("90910000-9")->share, 0.80);  // nettoyage
  EXPECT_EQ(t.ForCpv("77310000-6")->share, 0.60);  // espaces verts
  EXPECT_EQ(t.ForCpv("30000000-9"), nullptr);      // office machines: none
  EXPECT_EQ(t.ForCpv("not a code"), nullptr);
  EXPECT_EQ(NormaliseCpvPrefix("45442100-8"), "454421");
  EXPECT_EQ(NormaliseCpvPrefix("45000000"), "45");
  EXPECT_EQ(NormaliseCpvPrefix("4544210-8"), "");
}

TEST(LabourShares, UserOverridesReplaceDefaults) {
  auto t = LabourShareTable::Defaults();
  EXPECT_FALSE(t.Set(TradeKeyKind::kRomeFiche, "F1606", 0.65, "Peinture (territoire)"));
  EXPECT_EQ(t.ForFiche(Rome("F1606"))->share, 0.65);
  EXPECT_TRUE(t.ForFiche(Rome("F1606"))->user_defined);
  EXPECT_FALSE(t.Set(TradeKeyKind::kCpv, "45442100-8", 0.6, ""));
  EXPECT_EQ(t.ForCpv("45442100")->share, 0.6);
  EXPECT_TRUE(t.Set(TradeKeyKind::kRomeFiche, "F16", 0.5, ""));       // not a fiche
  EXPECT_TRUE(t.Set(TradeKeyKind::kRomeDomaine, "F16", 1.5, ""));     // share out of range
  EXPECT_TRUE(t.Set(TradeKeyKind::kRomeGrandDomaine, "f", 0.5, ""));  // lower case
}

model::Contract PlanContract() {
  model::Contract c;
  c.id = model::ContractId(7);
  c.start = Date::FromYmd(2025, 3, 3);
  c.end = Date::FromYmd(2025, 12, 19);
  c.worksite_insee = "59350";
  return c;
}

TEST(Plan, ApportionIsExactAndDeterministic) {
  const double w1[] = {0.6, 0.4};
  EXPECT_EQ(Apportion(833, w1), (std::vector<long long>{500, 333}));  // 499.8 + 333.2
  const double w2[] = {1, 1, 1};
  EXPECT_EQ(Apportion(100, w2), (std::vector<long long>{34, 33, 33}));
  const double w3[] = {0, 1};
  EXPECT_EQ(Apportion(10, w3), (std::vector<long long>{0, 10}));
}

TEST(Plan, PositionsAreTheFewestPeopleWhoCanWorkTheHours) {
  // 12 weeks at 35 h = 420 h per person.
  EXPECT_EQ(PositionsFor(833, 35, 12), 2);
  EXPECT_EQ(PositionsFor(840, 35, 12), 2);  // exact fit
  EXPECT_EQ(PositionsFor(841, 35, 12), 3);
  EXPECT_EQ(PositionsFor(10, 35, 12), 1);
  EXPECT_DOUBLE_EQ(WeeksBetween(Date::FromYmd(2025, 3, 3), Date::FromYmd(2025, 5, 25)), 12.0);  // 84 days
}

TEST(Plan, SplitsTheClauseByTradeWithDatesAndWeeklyHours) {
  const auto c = PlanContract();
  std::vector<TradeShare> trades(2);
  trades[0].appellation = 38009;  // a painting appellation (any code: the plan does not look it up)
  trades[0].fiche = Rome("F1606");
  trades[0].share = 0.6;
  trades[1].fiche = Rome("F1703");
  trades[1].weekly_hours = 20;
  PlanDefaults d;
  d.start = Date::FromYmd(2025, 3, 3);
  d.end = Date::FromYmd(2025, 5, 25);  // 12 weeks
  d.first_opening_id = 100;
  model::Problems problems;
  auto plan = PlanOpenings(c, 833, trades, d, problems);
  ASSERT_TRUE(plan) << (problems.empty() ? "" : problems[0].message);
  ASSERT_EQ(plan->openings.size(), 2u);
  const auto& paint = plan->openings[0];
  const auto& mason = plan->openings[1];
  // 500 h of painting at 35 h for 12 weeks (420 h each): 2 positions, capacity 840 h.
  EXPECT_EQ(paint.hours, 500);
  EXPECT_EQ(paint.opening.positions, 2);
  EXPECT_DOUBLE_EQ(paint.capacity_hours, 840);
  EXPECT_EQ(paint.opening.id, model::OpeningId(100));
  EXPECT_EQ(paint.opening.status, model::OpeningStatus::kDraft);
  EXPECT_EQ(paint.opening.worksite_insee, "59350");
  EXPECT_EQ(paint.opening.contract, c.id);
  // 333 h of masonry (the remaining 40%) at 20 h for 12 weeks (240 h each): 2 positions.
  EXPECT_EQ(mason.hours, 333);
  EXPECT_EQ(mason.opening.weekly_hours, 20);
  EXPECT_EQ(mason.opening.positions, 2);
  EXPECT_EQ(mason.opening.id, model::OpeningId(101));
}

TEST(Plan, DefaultsToTheContractsDates) {
  const auto c = PlanContract();
  std::vector<TradeShare> trades(1);
  trades[0].fiche = Rome("K2204");
  model::Problems problems;
  auto plan = PlanOpenings(c, 833, trades, {}, problems);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->openings[0].opening.start, c.start);
  EXPECT_EQ(plan->openings[0].opening.end, c.end);
  EXPECT_EQ(plan->openings[0].opening.positions, 1);  // 292 days = 41.7 weeks × 35 h > 833 h
}

TEST(Plan, ReportsEveryProblem) {
  const auto c = PlanContract();
  std::vector<TradeShare> trades(2);
  trades[0].fiche = Rome("F1606");
  trades[0].share = 0.7;
  trades[0].start = Date::FromYmd(2025, 1, 1);  // before the contract
  trades[1].share = 0.7;                        // no trade; shares add up to 1.4
  model::Problems problems;
  EXPECT_FALSE(PlanOpenings(c, 833, trades, {}, problems));
  std::vector<std::string> fields;
  for (const auto& p : problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"/trades/0/start", "/trades/1", "/trades"}));
}

TEST(Plan, DraftsAreEditableUntilTheyOpen) {
  const auto c = PlanContract();
  std::vector<TradeShare> trades(1);
  trades[0].appellation = 38009;
  trades[0].fiche = Rome("F1606");
  model::Problems problems;
  auto plan = PlanOpenings(c, 833, trades, {}, problems);
  ASSERT_TRUE(plan);
  auto& o = plan->openings[0].opening;
  OpeningEdit edit;
  edit.positions = 3;
  edit.weekly_hours = 24;
  EXPECT_TRUE(EditDraftOpening(o, edit, &c).empty());
  EXPECT_EQ(o.positions, 3);
  EXPECT_EQ(o.weekly_hours, 24);
  // An invalid edit changes nothing.
  OpeningEdit bad;
  bad.positions = 2;
  bad.end = Date::FromYmd(2026, 6, 30);  // after the contract
  auto problems2 = EditDraftOpening(o, bad, &c);
  ASSERT_EQ(problems2.size(), 1u);
  EXPECT_EQ(problems2[0].field, "/end");
  EXPECT_EQ(o.positions, 3);
  // Once open, frozen.
  EXPECT_TRUE(OpenOpening(o, &c).empty());
  EXPECT_EQ(o.status, model::OpeningStatus::kOpen);
  auto problems3 = EditDraftOpening(o, edit, &c);
  ASSERT_EQ(problems3.size(), 1u);
  EXPECT_EQ(problems3[0].code, "not_editable");
}

}  // namespace
}  // namespace clausematch::lifecycle
