#include <gtest/gtest.h>

#include "lifecycle/fulfilment.hpp"
#include "lifecycle/hours.hpp"
#include "lifecycle/placements.hpp"

namespace clausematch::lifecycle {
namespace {

using model::Date;

model::Placement Hired(Date start, Date end, double weekly) {
  model::Placement p;
  p.id = model::PlacementId(1);
  p.participant = model::ParticipantId(1);
  p.opening = model::OpeningId(1);
  p.contract = model::ContractId(1);
  p.status = model::PlacementStatus::kHired;
  p.start = start;
  p.end = end;
  p.weekly_hours = weekly;
  return p;
}

model::MonthlyHours Report(int y, int m, double h, Date on) { return {y, m, h, on, {}}; }

TEST(Hours, WorkingDaysCountMondayToFriday) {
  // March 2025 starts on a Saturday.
  EXPECT_EQ(WorkingDays(Date::FromYmd(2025, 3, 1), Date::FromYmd(2025, 3, 31)), 21);
  EXPECT_EQ(WorkingDays(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 3, 31)), 11);  // Mon 17 .. Mon 31
  EXPECT_EQ(WorkingDays(Date::FromYmd(2025, 3, 1), Date::FromYmd(2025, 3, 2)), 0);     // a weekend
  EXPECT_EQ(WorkingDays(Date::FromYmd(2025, 4, 1), Date::FromYmd(2025, 4, 30)), 22);
  EXPECT_EQ(WorkingDays(Date::FromYmd(2025, 4, 2), Date::FromYmd(2025, 4, 1)), 0);
  EXPECT_EQ(MonthLastDay(2024, 2), Date::FromYmd(2024, 2, 29));
}

TEST(Hours, CapOfAMonthWithPartialOverlap) {
  // Hired from Monday 17 March 2025 at 35 h: 11 working days in March.
  const auto p = Hired(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  const auto march = CapForMonth(p, 2025, 3);
  EXPECT_EQ(march.working_days, 11);
  EXPECT_DOUBLE_EQ(march.planned_hours, 77);     // 35 × 11 / 5
  EXPECT_NEAR(march.max_hours, 102.6667, 1e-4);  // 35 × 4/3 × 11 / 5
  const auto april = CapForMonth(p, 2025, 4);
  EXPECT_EQ(april.working_days, 22);
  EXPECT_DOUBLE_EQ(april.planned_hours, 154);
  EXPECT_EQ(CapForMonth(p, 2025, 2).working_days, 0);  // before the hire
  EXPECT_EQ(CapForMonth(p, 2025, 7).working_days, 0);  // after the end
}

TEST(Hours, CapNeverExceedsTheLegalWeeklyMaximum) {
  // 40 h × 4/3 = 53.3 h a week, capped at 48: April 2025 allows 48 × 22 / 5 = 211.2 h.
  const auto p = Hired(Date::FromYmd(2025, 1, 1), Date::FromYmd(2025, 12, 31), 40);
  EXPECT_NEAR(CapForMonth(p, 2025, 4).max_hours, 211.2, 1e-9);
  // Part time 20 h: at most 26.67 h a week, 117.33 h in April.
  const auto q = Hired(Date::FromYmd(2025, 1, 1), Date::FromYmd(2025, 12, 31), 20);
  EXPECT_NEAR(CapForMonth(q, 2025, 4).max_hours, 117.3333, 1e-4);
}

TEST(Hours, RecordRefusesWhatTheDatesDoNotAllow) {
  auto p = Hired(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  EXPECT_TRUE(RecordHours(p, Report(2025, 3, 102.5, Date::FromYmd(2025, 4, 2))).empty());
  auto over = RecordHours(p, Report(2025, 3, 103, Date::FromYmd(2025, 4, 2)));
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].code, "over_cap");
  EXPECT_EQ(over[0].field, "/hours");
  auto outside = RecordHours(p, Report(2025, 2, 10, Date::FromYmd(2025, 3, 2)));
  ASSERT_EQ(outside.size(), 1u);
  EXPECT_EQ(outside[0].field, "/month");
  EXPECT_TRUE(RecordHours(p, Report(2025, 2, 0, Date::FromYmd(2025, 3, 2))).empty());  // zero is fine
  auto early = RecordHours(p, Report(2025, 5, 10, Date::FromYmd(2025, 4, 30)));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].field, "/reported_on");
  auto negative = RecordHours(p, Report(2025, 4, -1, Date::FromYmd(2025, 5, 2)));
  ASSERT_EQ(negative.size(), 1u);
  EXPECT_EQ(negative[0].field, "/hours");
  EXPECT_EQ(p.hours.size(), 2u);  // only the two accepted reports
  p.status = model::PlacementStatus::kProposed;
  EXPECT_EQ(RecordHours(p, Report(2025, 4, 10, Date::FromYmd(2025, 5, 2)))[0].code, "not_hired");
}

TEST(Hours, CorrectionsKeepHistoryAndTheReportRecordedLastWins) {
  auto p = Hired(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  ASSERT_TRUE(RecordHours(p, Report(2025, 3, 70, Date::FromYmd(2025, 4, 2))).empty());
  ASSERT_TRUE(RecordHours(p, Report(2025, 4, 150, Date::FromYmd(2025, 5, 3))).empty());
  ASSERT_TRUE(RecordHours(p, Report(2025, 3, 77, Date::FromYmd(2025, 4, 10))).empty());  // correction
  EXPECT_EQ(p.hours.size(), 3u);
  auto effective = EffectiveHours(p);
  ASSERT_EQ(effective.size(), 2u);
  EXPECT_EQ(effective[0].month, 3);
  EXPECT_EQ(effective[0].hours, 77);
  EXPECT_EQ(effective[1].hours, 150);
  EXPECT_EQ(HoursWorked(p), 227);
  EXPECT_EQ(HoursWorked(p, Date::FromYmd(2025, 4, 15)), 150);  // months overlapping from mid-April
  EXPECT_EQ(HoursWorked(p, std::nullopt, Date::FromYmd(2025, 3, 31)), 77);
  // The order is that of recording, not the dates the reports give: a correction dated earlier
  // than the report it corrects still corrects it.
  ASSERT_TRUE(RecordHours(p, Report(2025, 3, 60, Date::FromYmd(2025, 4, 5))).empty());
  EXPECT_EQ(HoursWorked(p), 210);
  ASSERT_TRUE(RecordHours(p, Report(2025, 4, 140, Date::FromYmd(2025, 5, 3))).empty());
  EXPECT_EQ(HoursWorked(p), 200);
}

// A report dated far ahead once froze a month: the latest by date won over every later correction.
// Dates past today plus a small margin are refused, and the order no longer depends on them.
TEST(Hours, AReportCannotBeDatedAfterTodayPlusAMargin) {
  auto p = Hired(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  const auto today = Date::FromYmd(2025, 4, 20);
  const auto far = RecordHours(p, Report(2025, 3, 70, Date::FromYmd(2099, 1, 1)), {}, today);
  ASSERT_EQ(far.size(), 1u);
  EXPECT_EQ(far[0].field, "/reported_on");
  EXPECT_EQ(far[0].code, "in_future");
  EXPECT_TRUE(p.hours.empty());
  EXPECT_TRUE(RecordHours(p, Report(2025, 3, 70, today.AddDays(kReportDateMarginDays)), {}, today).empty());
  EXPECT_FALSE(RecordHours(p, Report(2025, 3, 70, today.AddDays(kReportDateMarginDays + 1)), {}, today).empty());
  // Without a date to compare with (a library caller), the date is not judged.
  EXPECT_TRUE(RecordHours(p, Report(2025, 3, 75, Date::FromYmd(2099, 1, 1))).empty());
  ASSERT_TRUE(RecordHours(p, Report(2025, 3, 71, Date::FromYmd(2025, 4, 20)), {}, today).empty());
  EXPECT_EQ(HoursWorked(p), 71);  // the correction recorded last, whatever the 2099 one said

  model::Placement q = Hired(Date::FromYmd(2024, 1, 8), Date::FromYmd(2024, 12, 31), 35);
  const auto outcome = RecordOutcome(q, {6, model::Outcome::kEmploiDurable, Date::FromYmd(2099, 1, 1)}, today);
  ASSERT_EQ(outcome.size(), 1u);
  EXPECT_EQ(outcome[0].field, "/recorded_on");
  EXPECT_EQ(outcome[0].code, "in_future");
  EXPECT_TRUE(RecordOutcome(q, {6, model::Outcome::kEmploiDurable, today}, today).empty());
}

TEST(Hire, ContractTypeMustFitTheRoute) {
  model::Placement p;
  p.participant = model::ParticipantId(3);
  p.opening = model::OpeningId(4);
  HireTerms t;
  t.employer = "ETTI du Nord";
  t.start = Date::FromYmd(2025, 3, 17);
  t.end = Date::FromYmd(2025, 6, 30);
  t.route = model::FulfilmentRoute::kEtti;
  t.contract_type = model::ContractType::kCdi;
  auto problems = Hire(p, t);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "/contract_type");
  EXPECT_EQ(p.status, model::PlacementStatus::kProposed);
  t.contract_type = model::ContractType::kInterimEtti;
  EXPECT_TRUE(Hire(p, t).empty());
  EXPECT_EQ(p.status, model::PlacementStatus::kHired);
  EXPECT_EQ(p.route, model::FulfilmentRoute::kEtti);
  EXPECT_TRUE(ContractTypeFitsRoute(model::ContractType::kCddi, model::FulfilmentRoute::kSousTraitanceSiae));
  EXPECT_FALSE(ContractTypeFitsRoute(model::ContractType::kCddi, model::FulfilmentRoute::kEmbaucheDirecte));
  EXPECT_TRUE(ContractTypeFitsRoute(model::ContractType::kMiseADispositionAi, model::FulfilmentRoute::kAi));
}

// Two holders. Company A (SIRET 111) holds contracts 1 (833 h) and 2 (100 h); company B holds 3 (200 h).
//   contract 1: placement 1 hired, 77 + 154 h; placement 2 ended, 100 h; placement 3 only proposed
//               (its stray 50 h do not count)                                     -> 331 h
//   contract 2: placement 4 hired through an ETTI, 150 h (more than forecast)     -> 150 h
//   contract 3: nothing yet                                                       ->   0 h
model::Dataset FulfilmentData() {
  model::Dataset d;
  auto contract = [&](std::uint32_t id, const char* holder, const char* siret, double hours) {
    model::Contract c;
    c.id = model::ContractId(id);
    c.reference = "C" + std::to_string(id);
    c.holder = holder;
    c.holder_siret = siret;
    c.insertion_hours = hours;
    d.contracts.push_back(c);
  };
  contract(1, "A", "111", 833);
  contract(2, "A (Lille)", "111", 100);
  contract(3, "B", "", 200);
  auto placement = [&](std::uint32_t id, std::uint32_t contract_id, model::PlacementStatus status,
                       std::vector<model::MonthlyHours> hours, model::FulfilmentRoute route) {
    model::Placement p = Hired(Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
    p.id = model::PlacementId(id);
    p.contract = model::ContractId(contract_id);
    p.status = status;
    p.hours = std::move(hours);
    p.route = route;
    d.placements.push_back(p);
  };
  const Date on = Date::FromYmd(2025, 7, 1);
  placement(1, 1, model::PlacementStatus::kHired, {{2025, 3, 77, on, {}}, {2025, 4, 154, on, {}}},
            model::FulfilmentRoute::kEmbaucheDirecte);
  placement(2, 1, model::PlacementStatus::kEnded, {{2025, 5, 100, on, {}}}, model::FulfilmentRoute::kEmbaucheDirecte);
  placement(3, 1, model::PlacementStatus::kProposed, {{2025, 5, 50, on, {}}}, model::FulfilmentRoute::kEmbaucheDirecte);
  placement(4, 2, model::PlacementStatus::kHired, {{2025, 4, 150, on, {}}}, model::FulfilmentRoute::kEtti);
  d.Index();
  return d;
}

TEST(Fulfilment, PerContractPerCompanyAndTotal) {
  const auto d = FulfilmentData();
  const auto r = ComputeFulfilment(d);
  ASSERT_EQ(r.contracts.size(), 3u);
  const auto& c1 = r.contracts[0].fulfilment;
  EXPECT_EQ(c1.forecast, 833);
  EXPECT_EQ(c1.realised, 331);
  EXPECT_EQ(c1.remaining, 502);
  EXPECT_NEAR(*c1.percent, 39.7359, 1e-4);
  EXPECT_EQ(c1.placements, 2);
  EXPECT_EQ(r.contracts[0].realised_by_route.at(model::FulfilmentRoute::kEmbaucheDirecte), 331);
  const auto& c2 = r.contracts[1].fulfilment;
  EXPECT_EQ(c2.realised, 150);
  EXPECT_EQ(c2.remaining, 0);
  EXPECT_DOUBLE_EQ(*c2.percent, 150);
  EXPECT_EQ(r.contracts[1].realised_by_route.at(model::FulfilmentRoute::kEtti), 150);
  EXPECT_EQ(r.contracts[2].fulfilment.realised, 0);
  EXPECT_EQ(r.contracts[2].fulfilment.remaining, 200);

  ASSERT_EQ(r.companies.size(), 2u);  // keyed "name:B" < "siret:111"
  EXPECT_EQ(r.companies[0].holder, "B");
  const auto& a = r.companies[1];
  EXPECT_EQ(a.holder_siret, "111");
  EXPECT_EQ(a.contracts, 2);
  EXPECT_EQ(a.fulfilment.forecast, 933);
  EXPECT_EQ(a.fulfilment.realised, 481);
  EXPECT_EQ(a.fulfilment.remaining, 502);  // contract 2's surplus does not cover contract 1
  EXPECT_NEAR(*a.fulfilment.percent, 51.5541, 1e-4);

  EXPECT_EQ(r.total.forecast, 1133);
  EXPECT_EQ(r.total.realised, 481);
  EXPECT_EQ(r.total.remaining, 702);
  EXPECT_EQ(r.total.placements, 3);
}

TEST(Fulfilment, UpToADate) {
  const auto d = FulfilmentData();
  const auto r = ComputeFulfilment(d, Date::FromYmd(2025, 4, 30));
  EXPECT_EQ(r.contracts[0].fulfilment.realised, 231);  // March and April only
}

// Subcontracting to an SIAE reported as an amount: hours = amount × labour share ÷ hourly cost,
// the figures taken from the report, else the contract's sizing (the cost, else 30 €/h).
model::Placement Subcontracted() {
  auto p = Hired(Date::FromYmd(2025, 3, 3), Date::FromYmd(2025, 6, 30), 35);  // April: cap 205.33 h
  p.route = model::FulfilmentRoute::kSousTraitanceSiae;
  p.contract_type = model::ContractType::kCddi;
  return p;
}

AmountReport Amount(int month, double eur, std::optional<double> share = std::nullopt,
                    std::optional<double> cost = std::nullopt) {
  AmountReport a;
  a.year = 2025;
  a.month = month;
  a.amount_eur = eur;
  a.labour_share = share;
  a.hourly_cost_eur = cost;
  a.reported_on = Date::FromYmd(2025, month + 1, 2);
  return a;
}

TEST(Hours, SubcontractingAmountsAreConvertedIntoHours) {
  auto p = Subcontracted();
  // 4 000 € × 0.60 ÷ 30 €/h = 80 h, the figures kept on the report.
  ASSERT_TRUE(RecordAmount(p, nullptr, Amount(4, 4000, 0.6, 30)).empty());
  ASSERT_EQ(p.hours.size(), 1u);
  EXPECT_DOUBLE_EQ(p.hours[0].hours, 80);
  ASSERT_TRUE(p.hours[0].amount.has_value());
  EXPECT_EQ(*p.hours[0].amount, (model::SubcontractAmount{4000, 0.6, 30}));
  // No cost given and no sizing: 30 €/h, 3 000 × 0.6 ÷ 30 = 60 h.
  ASSERT_TRUE(RecordAmount(p, nullptr, Amount(5, 3000, 0.6)).empty());
  EXPECT_DOUBLE_EQ(p.hours.back().hours, 60);
  // Rounded to the hundredth: 1 000 € × 0.70 ÷ 27 €/h = 25.925… → 25.93 h.
  ASSERT_TRUE(RecordAmount(p, nullptr, Amount(6, 1000, 0.7, 27)).empty());
  EXPECT_DOUBLE_EQ(p.hours.back().hours, 25.93);
  // The contract's sizing gives what the report does not: 3 000 × 0.5 ÷ 25 = 60 h; the report's own
  // figures win over it: 3 000 × 0.5 ÷ 20 = 75 h (a correction of May).
  model::Contract c;
  c.sizing = model::ClauseSizing{0.5, 0.05, 25};
  ASSERT_TRUE(RecordAmount(p, &c, Amount(5, 3000)).empty());
  EXPECT_DOUBLE_EQ(p.hours.back().hours, 60);
  EXPECT_EQ(*p.hours.back().amount, (model::SubcontractAmount{3000, 0.5, 25}));
  ASSERT_TRUE(RecordAmount(p, &c, Amount(5, 3000, std::nullopt, 20)).empty());
  EXPECT_DOUBLE_EQ(p.hours.back().hours, 75);
  // Counted as hours: May's effective figure is the correction.
  EXPECT_DOUBLE_EQ(HoursWorked(p), 80 + 75 + 25.93);
  EXPECT_TRUE(model::Validate(p).empty());
}

TEST(Hours, SubcontractingAmountProblemsNameTheirField) {
  auto field_code = [](const model::Problems& problems) {
    std::vector<std::string> out;
    for (const auto& pr : problems) out.push_back(pr.field + ":" + pr.code);
    return out;
  };
  using V = std::vector<std::string>;
  auto p = Subcontracted();
  // No share given and no sizing: never guessed.
  EXPECT_EQ(field_code(RecordAmount(p, nullptr, Amount(4, 4000))), V{"/labour_share:required"});
  EXPECT_EQ(field_code(RecordAmount(p, nullptr, Amount(4, 0, 0.6))), V{"/amount_eur:out_of_range"});
  EXPECT_EQ(field_code(RecordAmount(p, nullptr, Amount(4, 4000, 1.5))), V{"/labour_share:out_of_range"});
  EXPECT_EQ(field_code(RecordAmount(p, nullptr, Amount(4, 4000, 0.6, 0.5))), V{"/hourly_cost_eur:out_of_range"});
  // 20 000 × 0.6 ÷ 30 = 400 h, over April's 205.33 h: named at the amount, with the conversion.
  const auto over = RecordAmount(p, nullptr, Amount(4, 20000, 0.6, 30));
  ASSERT_EQ(field_code(over), V{"/amount_eur:over_cap"});
  EXPECT_NE(over[0].message.find("= 400.00 h exceed"), std::string::npos) << over[0].message;
  // Only on a subcontracting placement.
  auto direct = Hired(Date::FromYmd(2025, 3, 3), Date::FromYmd(2025, 6, 30), 35);
  EXPECT_EQ(field_code(RecordAmount(direct, nullptr, Amount(4, 4000, 0.6))), V{"/amount_eur:not_subcontracting"});
  EXPECT_TRUE(p.hours.empty());
  EXPECT_TRUE(direct.hours.empty());
}

// Training hours inside apprenticeship and professionalisation contracts count: the month's paid
// hours, training weeks included, are counted as reported (docs/lifecycle.md); and converted
// subcontracting amounts count in fulfilment by route like any hours.
TEST(Fulfilment, ApprenticeTrainingHoursAndConvertedAmountsCount) {
  model::Dataset d;
  model::Contract c;
  c.id = model::ContractId(1);
  c.insertion_hours = 400;
  d.contracts.push_back(c);
  auto apprentice = Hired(Date::FromYmd(2025, 3, 3), Date::FromYmd(2025, 6, 30), 35);
  apprentice.contract_type = model::ContractType::kApprentissage;
  // April 2025: 154 h paid, of which two weeks at the CFA (70 h): all 154 count.
  ASSERT_TRUE(RecordHours(apprentice, Report(2025, 4, 154, Date::FromYmd(2025, 5, 2))).empty());
  auto sub = Subcontracted();
  sub.id = model::PlacementId(2);
  ASSERT_TRUE(RecordAmount(sub, &c, Amount(4, 4000, 0.6, 30)).empty());  // 80 h
  d.placements = {apprentice, sub};
  d.Index();
  const auto r = ComputeFulfilment(d);
  ASSERT_EQ(r.contracts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.contracts[0].fulfilment.realised, 234);
  EXPECT_DOUBLE_EQ(r.contracts[0].fulfilment.remaining, 166);
  EXPECT_DOUBLE_EQ(r.contracts[0].realised_by_route.at(model::FulfilmentRoute::kEmbaucheDirecte), 154);
  EXPECT_DOUBLE_EQ(r.contracts[0].realised_by_route.at(model::FulfilmentRoute::kSousTraitanceSiae), 80);
}

}  // namespace
}  // namespace clausematch::lifecycle
