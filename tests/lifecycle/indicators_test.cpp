#include "lifecycle/indicators.hpp"

#include <gtest/gtest.h>

namespace clausematch::lifecycle {
namespace {

using model::Date;

// Three communes are enough to test territories: Lille and Arras are in région 32 (59 and 62).
model::Referential TinyReferential() {
  model::Referential::Tables t;
  auto commune = [&](const char* insee, const char* name, const char* dep, const char* reg, double lat, double lon) {
    model::Commune c;
    c.insee = insee;
    c.name = name;
    c.departement = dep;
    c.region = reg;
    c.centre = {lat, lon};
    t.communes.push_back(c);
  };
  commune("59350", "Lille", "59", "32", 50.6311, 3.0468);
  commune("62041", "Arras", "62", "32", 50.2910, 2.7775);
  commune("75056", "Paris", "75", "11", 48.8566, 2.3522);
  return model::Referential(std::move(t));
}

// The data set every indicator below is checked against (period 2025, département 59):
//
// contract  commune  clause type            dates                    hours
//   1       Lille    condition_execution    2025-01-01..2025-12-31   1000
//   2       Lille    marche_insertion       2024-07-01..2025-06-30    730  (181 of 365 days in 2025: 362 h)
//   3       Arras    condition_execution    2025-01-01..2025-12-31    500  (other département)
//   4       Lille    condition_execution    2023-01-01..2023-12-31    400  (other period)
//
// placement/participant  contract  born        RSA  type          route        employer SIRET  start       2025 hours
//   1                    1         2001-05-01  yes  cdd           direct       -               2025-02-03  100
//   2                    1         2000-01-15  no   cdd           direct       -               2025-02-03  100
//   3                    1         1999-03-10  yes  cdi           direct       -               2025-03-03  100  (25 at
//   entry) 4                    1         1980-06-01  yes  cdd           direct       -               2025-03-03  100
//   5                    2         1975-06-01  yes  interim_etti  etti         111 (ETTI)      2025-04-01  100
//   6                    2         1970-06-01  yes  interim_etti  etti         111 (ETTI)      2025-04-01  100
//   7                    1         1990-06-01  no   cddi          sous-trait.  222 (ACI)       2025-05-05  100
//   8                    2         1985-06-01  yes  cddi          sous-trait.  333 (unknown)   2024-10-01  100 (+50 h
//   in 2024) 9                    3         1990-06-01  yes  cdd           direct       -               2025-02-03  100
//   (Arras: out)
//  10                    1         1990-06-01  yes  cdd           direct       -               2025-02-03  proposed
//  only: out
//
// Outcomes at 6 months: 1 emploi_durable, 2 formation_qualifiante, 3 emploi_transition then corrected
// to emploi_durable, 4 autre, 7 emploi_durable, 8 emploi_transition; 5 and 6 not recorded.
// At 12 months: 8 emploi_durable (the only one entered 12 months before the end of 2025).
model::Dataset IndicatorData() {
  model::Dataset d;
  auto contract = [&](std::uint32_t id, const char* insee, model::ClauseType type, Date start, Date end, double hours) {
    model::Contract c;
    c.id = model::ContractId(id);
    c.reference = "C" + std::to_string(id);
    c.worksite_insee = insee;
    c.clause_type = type;
    c.start = start;
    c.end = end;
    c.insertion_hours = hours;
    d.contracts.push_back(c);
  };
  using CT = model::ClauseType;
  contract(1, "59350", CT::kConditionExecution, Date::FromYmd(2025, 1, 1), Date::FromYmd(2025, 12, 31), 1000);
  contract(2, "59350", CT::kMarcheInsertion, Date::FromYmd(2024, 7, 1), Date::FromYmd(2025, 6, 30), 730);
  contract(3, "62041", CT::kConditionExecution, Date::FromYmd(2025, 1, 1), Date::FromYmd(2025, 12, 31), 500);
  contract(4, "59350", CT::kConditionExecution, Date::FromYmd(2023, 1, 1), Date::FromYmd(2023, 12, 31), 400);

  using K = model::ContractType;
  using R = model::FulfilmentRoute;
  auto person = [&](std::uint32_t id, std::uint32_t contract_id, Date born, bool rsa, K type, R route,
                    const char* siret, Date start) {
    model::Participant p;
    p.id = model::ParticipantId(id);
    p.first_name = "Prénom" + std::to_string(id);
    p.last_name = "Nom" + std::to_string(id);
    p.birth_date = born;
    // An attestation dated ten days before the hire: RSA at entry (model::CriteriaAtEntry).
    if (rsa) p.criteria.push_back({model::Criterion::kRsa, start.AddDays(-10), "CD59"});
    d.participants.push_back(p);
    model::Placement pl;
    pl.id = model::PlacementId(id);
    pl.participant = p.id;
    pl.contract = model::ContractId(contract_id);
    pl.status = model::PlacementStatus::kHired;
    pl.contract_type = type;
    pl.route = route;
    pl.employer = siret[0] ? std::string("Structure ") + siret : "Entreprise";
    pl.employer_siret = siret;
    pl.start = start;
    pl.end = start.AddMonths(6);
    pl.hours.push_back(
        {start.year(), static_cast<int>(static_cast<unsigned>(start.ymd().month())), 100, start.AddMonths(1), {}});
    d.placements.push_back(pl);
  };
  const Date feb3 = Date::FromYmd(2025, 2, 3);
  person(1, 1, Date::FromYmd(2001, 5, 1), true, K::kCdd, R::kEmbaucheDirecte, "", feb3);
  person(2, 1, Date::FromYmd(2000, 1, 15), false, K::kCdd, R::kEmbaucheDirecte, "", feb3);
  person(3, 1, Date::FromYmd(1999, 3, 10), true, K::kCdi, R::kEmbaucheDirecte, "", Date::FromYmd(2025, 3, 3));
  person(4, 1, Date::FromYmd(1980, 6, 1), true, K::kCdd, R::kEmbaucheDirecte, "", Date::FromYmd(2025, 3, 3));
  person(5, 2, Date::FromYmd(1975, 6, 1), true, K::kInterimEtti, R::kEtti, "111", Date::FromYmd(2025, 4, 1));
  person(6, 2, Date::FromYmd(1970, 6, 1), true, K::kInterimEtti, R::kEtti, "111", Date::FromYmd(2025, 4, 1));
  person(7, 1, Date::FromYmd(1990, 6, 1), false, K::kCddi, R::kSousTraitanceSiae, "222", Date::FromYmd(2025, 5, 5));
  person(8, 2, Date::FromYmd(1985, 6, 1), true, K::kCddi, R::kSousTraitanceSiae, "333", Date::FromYmd(2024, 10, 1));
  person(9, 3, Date::FromYmd(1990, 6, 1), true, K::kCdd, R::kEmbaucheDirecte, "", feb3);
  person(10, 1, Date::FromYmd(1990, 6, 1), true, K::kCdd, R::kEmbaucheDirecte, "", feb3);
  d.placements[9].status = model::PlacementStatus::kProposed;
  // Placement 8 started in October 2024: its 100 h above are for 2024-10 and must not count; give it
  // 50 h more in November 2024 and 100 h in January 2025.
  d.placements[7].hours.front().hours = 50;
  d.placements[7].hours.push_back({2024, 11, 0, Date::FromYmd(2024, 12, 1), {}});
  d.placements[7].hours.push_back({2025, 1, 100, Date::FromYmd(2025, 2, 1), {}});
  d.placements[7].end = Date::FromYmd(2025, 3, 31);

  using O = model::Outcome;
  auto outcome = [&](std::size_t i, int months, O o, Date on) { d.placements[i].outcomes.push_back({months, o, on}); };
  outcome(0, 6, O::kEmploiDurable, Date::FromYmd(2025, 8, 10));
  outcome(1, 6, O::kFormationQualifiante, Date::FromYmd(2025, 8, 10));
  outcome(2, 6, O::kEmploiTransition, Date::FromYmd(2025, 9, 10));
  outcome(2, 6, O::kEmploiDurable, Date::FromYmd(2025, 9, 20));  // correction: the latest wins
  outcome(3, 6, O::kAutre, Date::FromYmd(2025, 9, 10));
  outcome(6, 6, O::kEmploiDurable, Date::FromYmd(2025, 11, 10));
  outcome(7, 6, O::kEmploiTransition, Date::FromYmd(2025, 4, 10));
  outcome(7, 12, O::kEmploiDurable, Date::FromYmd(2025, 10, 10));
  d.Index();
  return d;
}

std::vector<model::Siae> Directory() {
  model::Siae etti;
  etti.siret = "111";
  etti.kind = model::SiaeKind::kEtti;
  model::Siae aci;
  aci.siret = "222";
  aci.kind = model::SiaeKind::kAci;
  return {etti, aci};
}

IndicatorQuery Query2025(int threshold) {
  IndicatorQuery q;
  q.from = Date::FromYmd(2025, 1, 1);
  q.to = Date::FromYmd(2025, 12, 31);
  q.departement = "59";
  q.threshold = threshold;
  return q;
}

double Value(const IndicatorReport& r, std::string_view section, std::string_view indicator,
             std::string_view category = {}) {
  for (const auto& row : r.rows)
    if (row.section == section && row.indicator == indicator && row.category == category) return row.cell.value;
  ADD_FAILURE() << "no row " << section << "/" << indicator << "/" << category;
  return -1;
}

std::string Shown(const IndicatorReport& r, std::string_view section, std::string_view indicator,
                  std::string_view category = {}) {
  for (const auto& row : r.rows)
    if (row.section == section && row.indicator == indicator && row.category == category)
      return DisplayValue(row.cell, r.query.threshold);
  ADD_FAILURE() << "no row " << section << "/" << indicator << "/" << category;
  return {};
}

TEST(Indicators, EveryFigureOnTheHandCheckedDataSet) {
  const auto ref = TinyReferential();
  const auto d = IndicatorData();
  const auto dir = Directory();
  const auto r = ComputeIndicators(d, &ref, dir, Query2025(1));  // threshold 1: nothing suppressed
  EXPECT_EQ(r.contracts_in_scope, 2);
  EXPECT_EQ(r.placements_in_scope, 8);
  // Hours: 1000 + 730 forecast; 1000 + 730 × 181/365 = 1362 for 2025; 8 × 100 realised in 2025.
  EXPECT_DOUBLE_EQ(Value(r, "hours", "hours_forecast"), 1730);
  EXPECT_DOUBLE_EQ(Value(r, "hours", "hours_forecast_period"), 1362);
  EXPECT_DOUBLE_EQ(Value(r, "hours", "hours_realised"), 800);
  EXPECT_NEAR(Value(r, "hours", "fulfilment_rate"), 58.7372, 1e-4);
  // Participants: 8, of whom RSA 1,3,4,5,6,8 and under 26 at entry 1,2,3.
  EXPECT_EQ(Value(r, "participants", "participants"), 8);
  EXPECT_EQ(Value(r, "participants", "rsa"), 6);
  EXPECT_EQ(Value(r, "participants", "under_26"), 3);
  // Hires starting in 2025 (placement 8 started in 2024).
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "cdd"), 3);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "cdi"), 1);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "interim_etti"), 2);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "cddi"), 1);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "geiq"), 0);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "total"), 7);
  // Clauses.
  EXPECT_EQ(Value(r, "clauses_by_type", "clause_type", "condition_execution"), 1);
  EXPECT_EQ(Value(r, "clauses_by_type", "clause_type", "marche_insertion"), 1);
  EXPECT_EQ(Value(r, "clauses_by_type", "clause_type", "total"), 2);
  // SIAE: one ETTI (two placements), one ACI (from the directory), one unidentified subcontractor.
  EXPECT_EQ(Value(r, "siae_by_kind", "siae_kind", "ETTI"), 1);
  EXPECT_EQ(Value(r, "siae_by_kind", "siae_kind", "ACI"), 1);
  EXPECT_EQ(Value(r, "siae_by_kind", "siae_kind", "EI"), 0);
  EXPECT_EQ(Value(r, "siae_by_kind", "siae_kind", "unidentified"), 1);
  EXPECT_EQ(Value(r, "siae_by_kind", "siae_kind", "total"), 3);
  // Outcomes at 6 months: all 8 entered by 2025-06-30.
  const char* s6 = "outcomes_6_months";
  EXPECT_EQ(Value(r, s6, "outcome", "emploi_durable"), 3);  // 1, 3 (corrected), 7
  EXPECT_EQ(Value(r, s6, "outcome", "emploi_transition"), 1);
  EXPECT_EQ(Value(r, s6, "outcome", "formation_qualifiante"), 1);
  EXPECT_EQ(Value(r, s6, "outcome", "autre"), 1);
  EXPECT_EQ(Value(r, s6, "outcome", "not_recorded"), 2);
  EXPECT_EQ(Value(r, s6, "outcome", "total"), 8);
  EXPECT_EQ(Value(r, s6, "sorties_dynamiques"), 5);
  const char* s12 = "outcomes_12_months";
  EXPECT_EQ(Value(r, s12, "outcome", "emploi_durable"), 1);
  EXPECT_EQ(Value(r, s12, "outcome", "total"), 1);
  EXPECT_EQ(Value(r, s12, "outcome", "not_recorded"), 0);
}

// RSA and under 26 at entry come from the placement's snapshot when it has one (model::CriteriaAtEntry),
// whatever the person's record says now: participant 1 (RSA at entry by the record) loses RSA in
// its snapshot, participant 2 (no RSA on record) was counted RSA at its hire, provisionally;
// participant 4 (born 1980) was counted jeune by its snapshot.
TEST(Indicators, AtEntryIsTheSnapshotWhenThereIsOne) {
  const auto ref = TinyReferential();
  auto d = IndicatorData();
  auto snapshot = [](model::CriterionSet counted, model::CriterionSet provisional, Date hire) {
    model::EligibilitySnapshot e;
    e.judged_on = hire;
    e.hire_date = hire;
    e.basis = "clause_public";
    for (const auto& info : model::AllCriteria())
      if (counted.contains(info.criterion)) e.criteria.push_back({info.criterion, hire, "CD59"});
    e.provisional = provisional;
    return e;
  };
  d.placements[0].eligibility = snapshot({model::Criterion::kJeune}, {}, d.placements[0].start);
  d.placements[1].eligibility =
      snapshot({model::Criterion::kRsa, model::Criterion::kJeune}, {model::Criterion::kRsa}, d.placements[1].start);
  d.placements[3].eligibility = snapshot({model::Criterion::kRsa, model::Criterion::kJeune}, {}, d.placements[3].start);
  d.Index();
  const auto r = ComputeIndicators(d, &ref, Directory(), Query2025(1));
  EXPECT_EQ(Value(r, "participants", "rsa"), 6);       // 1 out, 2 in
  EXPECT_EQ(Value(r, "participants", "under_26"), 4);  // 1, 2, 3 and now 4
}

TEST(Indicators, TerritoryAndPeriodFilters) {
  const auto ref = TinyReferential();
  const auto d = IndicatorData();
  auto q = Query2025(1);
  q.departement.clear();
  q.region = "32";  // adds Arras: contract 3, placement 9
  auto r = ComputeIndicators(d, &ref, {}, q);
  EXPECT_EQ(r.contracts_in_scope, 3);
  EXPECT_EQ(Value(r, "participants", "participants"), 9);
  q.region = "11";  // Paris: nothing
  r = ComputeIndicators(d, &ref, {}, q);
  EXPECT_EQ(r.contracts_in_scope, 0);
  EXPECT_EQ(Value(r, "participants", "participants"), 0);
  // Everything, all time: contract 4 (2023) counts, placement 8's 2024 hours too.
  IndicatorQuery all;
  all.threshold = 1;
  r = ComputeIndicators(d, nullptr, {}, all);
  EXPECT_EQ(r.contracts_in_scope, 4);
  EXPECT_DOUBLE_EQ(Value(r, "hours", "hours_realised"), 950);
  EXPECT_EQ(Value(r, "hires_by_contract_type", "contract_type", "total"), 9);
}

TEST(Indicators, SmallCountsAreSuppressed) {
  const auto ref = TinyReferential();
  const auto d = IndicatorData();
  const auto r = ComputeIndicators(d, &ref, Directory(), Query2025(5));
  EXPECT_EQ(Shown(r, "hours", "hours_realised"), "800");  // 8 people worked them
  EXPECT_EQ(Shown(r, "hours", "hours_forecast_period"), "1362");
  EXPECT_EQ(Shown(r, "participants", "participants"), "8");
  EXPECT_EQ(Shown(r, "participants", "rsa"), "s");  // 6 of 8: the 2 others would be a small cell
  EXPECT_EQ(Shown(r, "participants", "under_26"), "<5");
  EXPECT_EQ(Shown(r, "hires_by_contract_type", "contract_type", "cdd"), "<5");
  EXPECT_EQ(Shown(r, "hires_by_contract_type", "contract_type", "geiq"), "0");
  EXPECT_EQ(Shown(r, "hires_by_contract_type", "contract_type", "total"), "7");
  EXPECT_EQ(Shown(r, "clauses_by_type", "clause_type", "marche_insertion"), "1");  // contracts: not people
  EXPECT_EQ(Shown(r, "siae_by_kind", "siae_kind", "ETTI"), "1");                   // legal entities
  EXPECT_EQ(Shown(r, "outcomes_6_months", "outcome", "emploi_durable"), "<5");
  EXPECT_EQ(Shown(r, "outcomes_6_months", "outcome", "total"), "8");
  EXPECT_EQ(Shown(r, "outcomes_6_months", "sorties_dynamiques"), "5");
  EXPECT_EQ(Shown(r, "outcomes_12_months", "outcome", "total"), "<5");
}

TEST(Indicators, HoursOfFewerThanFivePeopleAreHidden) {
  const auto ref = TinyReferential();
  const auto d = IndicatorData();
  auto q = Query2025(5);
  q.to = Date::FromYmd(2025, 2, 28);  // only placements 1, 2 (February) and 8 (January) worked
  const auto r = ComputeIndicators(d, &ref, {}, q);
  EXPECT_EQ(Value(r, "hours", "hours_realised"), 300);
  EXPECT_EQ(Shown(r, "hours", "hours_realised"), "s");
  EXPECT_EQ(Shown(r, "hours", "fulfilment_rate"), "s");
}

// Secondary suppression on hand-made equations.
IndicatorReport Table(const std::vector<double>& values, std::vector<std::vector<std::size_t>> equations) {
  IndicatorReport r;
  for (double v : values) r.rows.push_back({"s", "i", "", "", Cell{v, true, false, CellStatus::kShown}, ""});
  r.equations = std::move(equations);
  return r;
}

std::vector<std::string> Statuses(const IndicatorReport& r) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(DisplayValue(row.cell, r.query.threshold));
  return out;
}

TEST(Suppression, OneHiddenPartWouldBeRecomputedFromTheTotal) {
  // 20 = 3 + 7 + 10 + 0: "3" is hidden, so the smallest other non-zero part (7) is hidden too.
  auto r = Table({20, 3, 7, 10, 0}, {{0, 1, 2, 3, 4}});
  Suppress(r);
  EXPECT_EQ(Statuses(r), (std::vector<std::string>{"20", "<5", "s", "10", "0"}));
}

TEST(Suppression, AHiddenZeroWouldGiveTheOtherCellAway) {
  // 12 = 2 + 0 + 10: hiding the 0 would leave 2 + s = 2; the 10 is hidden instead.
  auto r = Table({12, 2, 0, 10}, {{0, 1, 2, 3}});
  Suppress(r);
  EXPECT_EQ(Statuses(r), (std::vector<std::string>{"12", "<5", "0", "s"}));
}

TEST(Suppression, WhenNoPartIsLeftTheTotalGoes) {
  // 6 = 1 + 0 + 5 + 0: the only non-zero part left is 5.
  auto r = Table({6, 1, 0, 5, 0}, {{0, 1, 2, 3, 4}});
  Suppress(r);
  EXPECT_EQ(Statuses(r), (std::vector<std::string>{"6", "<5", "0", "s", "0"}));
  // 7 = 3 + 0: no non-zero part to hide, so the total is hidden.
  auto t = Table({7, 3, 0}, {{0, 1, 2}});
  Suppress(t);
  EXPECT_EQ(Statuses(t), (std::vector<std::string>{"s", "<5", "0"}));
}

TEST(Suppression, PropagatesThroughLinkedEquations) {
  // 30 = x 2 + y 28, and y 28 = y1 20 + y2 8. Hiding x forces y, which forces y2.
  auto r = Table({30, 2, 28, 20, 8}, {{0, 1, 2}, {2, 3, 4}});
  Suppress(r);
  EXPECT_EQ(Statuses(r), (std::vector<std::string>{"30", "<5", "s", "20", "s"}));
}

TEST(Suppression, OfWhomWithASmallComplement) {
  auto r = Table({10, 8, 5}, {});
  r.of_whom = {{1, 0}, {2, 0}};
  Suppress(r);
  EXPECT_EQ(Statuses(r), (std::vector<std::string>{"10", "s", "5"}));  // 10 - 8 = 2 < 5; 10 - 5 = 5
}

TEST(Suppression, DisplayOfNumbers) {
  EXPECT_EQ(DisplayValue({833.5, false, true, CellStatus::kShown}, 5), "833.5");
  EXPECT_EQ(DisplayValue({833.5, false, true, CellStatus::kShown}, 5, true), "833,5");
  EXPECT_EQ(DisplayValue({1362, false, true, CellStatus::kShown}, 5, true), "1362");
  EXPECT_EQ(DisplayValue({58.73720, true, true, CellStatus::kShown}, 5), "58.74");
  EXPECT_EQ(DisplayValue({3, true, false, CellStatus::kPrimary}, 5), "<5");
  EXPECT_EQ(DisplayValue({3, true, false, CellStatus::kPrimary}, 10), "<10");
  EXPECT_EQ(DisplayValue({300, true, true, CellStatus::kPrimary}, 5), "s");
}

// The breakdowns funders ask for, on the data set above with two more publics: DELD at entry: 7
// (a proof 10 days before the hire); QPV at entry: 2. In scope (2025, 59): 1-8. First entries in
// 2025: all but 8 (2024-10-01), who was RSA at that entry: a former RSA recipient still in a
// pathway. Mobilised: 1-8 and 10 (proposed only).
model::Dataset WithPublics() {
  auto d = IndicatorData();
  d.participants[6].criteria.push_back({model::Criterion::kDeld, d.placements[6].start.AddDays(-10), "FT"});
  d.participants[1].criteria.push_back({model::Criterion::kQpv, d.placements[1].start.AddDays(-10), "CD59"});
  d.Index();
  return d;
}

TEST(Indicators, ByPublicEntriesMobilisationAndRoutes) {
  const auto ref = TinyReferential();
  const auto d = WithPublics();
  const auto r = ComputeIndicators(d, &ref, Directory(), Query2025(1));
  EXPECT_EQ(Value(r, "participants", "entries"), 7);
  EXPECT_EQ(Value(r, "participants", "former_rsa"), 1);
  // Publics at entry: RSA 1, 3, 4, 5, 6, 8; under 26: 1, 2, 3; 50 and over: 6 (54 at entry).
  EXPECT_EQ(Value(r, "participants_by_public", "public", "rsa"), 6);
  EXPECT_EQ(Value(r, "participants_by_public", "public", "jeune"), 3);
  EXPECT_EQ(Value(r, "participants_by_public", "public", "senior"), 1);
  EXPECT_EQ(Value(r, "participants_by_public", "public", "deld"), 1);
  EXPECT_EQ(Value(r, "participants_by_public", "public", "qpv"), 1);
  for (const char* none : {"detld", "rqth", "ase", "niveau_formation"})
    EXPECT_EQ(Value(r, "participants_by_public", "public", none), 0) << none;
  EXPECT_EQ(Value(r, "mobilisation", "mobilised"), 9);
  EXPECT_EQ(Value(r, "mobilisation", "hired"), 8);
  // Hours by route: 100 h each in 2025.
  EXPECT_DOUBLE_EQ(Value(r, "hours_by_route", "route", "embauche_directe"), 400);     // 1-4
  EXPECT_DOUBLE_EQ(Value(r, "hours_by_route", "route", "etti"), 200);                 // 5, 6
  EXPECT_DOUBLE_EQ(Value(r, "hours_by_route", "route", "sous_traitance_siae"), 200);  // 7, 8
  EXPECT_DOUBLE_EQ(Value(r, "hours_by_route", "route", "geiq"), 0);
  // Without a period start, nobody entered "before" it: no former RSA recipient.
  IndicatorQuery all;
  all.threshold = 1;
  EXPECT_EQ(Value(ComputeIndicators(d, &ref, {}, all), "participants", "former_rsa"), 0);
}

// Threshold 5: the small cells go, with the "of whom" complements and the route margin.
TEST(Indicators, TheNewBreakdownsAreSuppressed) {
  const auto ref = TinyReferential();
  const auto d = WithPublics();
  auto r = ComputeIndicators(d, &ref, Directory(), Query2025(5));
  EXPECT_EQ(Shown(r, "participants", "participants"), "8");
  EXPECT_EQ(Shown(r, "participants", "entries"), "s");  // 7 of 8: the one other would be a small cell
  EXPECT_EQ(Shown(r, "participants", "former_rsa"), "<5");
  EXPECT_EQ(Shown(r, "participants_by_public", "public", "rsa"), "s");  // 6 of 8
  EXPECT_EQ(Shown(r, "participants_by_public", "public", "jeune"), "<5");
  EXPECT_EQ(Shown(r, "participants_by_public", "public", "rqth"), "0");
  EXPECT_EQ(Shown(r, "mobilisation", "mobilised"), "9");
  EXPECT_EQ(Shown(r, "mobilisation", "hired"), "s");                        // 8 of 9
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "embauche_directe"), "s");  // 4 people worked them
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "geiq"), "0");
  EXPECT_EQ(Shown(r, "hours", "hours_realised"), "800");
  // Threshold 3: ETTI (2 people) and subcontracting (2) are hidden, direct hires (4) shown; two
  // hidden parts of the route margin cannot be told apart: nothing more to hide.
  r = ComputeIndicators(d, &ref, Directory(), Query2025(3));
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "embauche_directe"), "400");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "etti"), "s");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "sous_traitance_siae"), "s");
  // Period up to February: only 1, 2 (direct, 200 h) and 8 (subcontracting, 100 h) worked: the
  // total is hidden (3 people < 5) and so is every non-zero route.
  auto q = Query2025(5);
  q.to = Date::FromYmd(2025, 2, 28);
  r = ComputeIndicators(d, &ref, Directory(), q);
  EXPECT_EQ(Shown(r, "hours", "hours_realised"), "s");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "embauche_directe"), "s");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "sous_traitance_siae"), "s");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "etti"), "0");
}

// A margin with a single hidden part loses one more (secondary suppression), on the route margin:
// threshold 3, with 7 and 8 moved to ETTI, 5 and 6 to direct hires: direct 1-6 (6 people, 600 h),
// ETTI 7, 8 (2 people, 200 h): hiding ETTI alone would give it back as 800 - 600.
TEST(Indicators, ARouteHiddenAloneTakesAnotherWithIt) {
  const auto ref = TinyReferential();
  auto d = WithPublics();
  d.placements[4].route = d.placements[5].route = model::FulfilmentRoute::kEmbaucheDirecte;
  d.placements[6].route = d.placements[7].route = model::FulfilmentRoute::kEtti;
  d.Index();
  const auto r = ComputeIndicators(d, &ref, Directory(), Query2025(3));
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "etti"), "s");
  EXPECT_EQ(Shown(r, "hours_by_route", "route", "embauche_directe"), "s");
  EXPECT_EQ(Shown(r, "hours", "hours_realised"), "800");
}

// TerritoryBasis::kResidence: people living in the territory, wherever they work. Participant 1
// lives in Arras (62), 9 in Lille while working in Arras, the others in Lille.
TEST(Indicators, TheTerritoryOfResidence) {
  const auto ref = TinyReferential();
  auto d = WithPublics();
  for (auto& p : d.participants) p.commune_insee = "59350";
  d.participants[0].commune_insee = "62041";
  d.Index();
  auto q = Query2025(1);
  q.territory_of = TerritoryBasis::kResidence;
  const auto r = ComputeIndicators(d, &ref, Directory(), q);
  EXPECT_EQ(Value(r, "participants", "participants"), 8);  // 2-8 and 9
  EXPECT_EQ(r.contracts_in_scope, 3);                      // 1, 2 and Arras's 3
  EXPECT_EQ(Value(r, "mobilisation", "mobilised"), 9);     // and 10
  q.departement = "62";
  const auto arras = ComputeIndicators(d, &ref, Directory(), q);
  EXPECT_EQ(Value(arras, "participants", "participants"), 1);  // 1, who works in Lille
  EXPECT_EQ(arras.contracts_in_scope, 1);
  EXPECT_EQ(ParseTerritoryBasis("residence"), TerritoryBasis::kResidence);
  EXPECT_EQ(ParseTerritoryBasis("home"), std::nullopt);
}

// By sex (hand-checked): 1-3 women, 4-7 and 9-10 men, 8 not recorded. In scope (2025, 59): 1-8.
model::Dataset WithSexes() {
  auto d = WithPublics();
  for (auto& p : d.participants)
    p.sex = p.id.value() <= 3 ? model::Sex::kFemme : p.id.value() == 8 ? model::Sex::kNonRenseigne : model::Sex::kHomme;
  d.Index();
  return d;
}

double ValueOf(const IndicatorReport& r, std::string_view indicator, std::string_view category, std::string_view sex) {
  const auto* row = r.Find(indicator, category, sex);
  if (row == nullptr) {
    ADD_FAILURE() << "no row " << indicator << "/" << category << "/" << sex;
    return -1;
  }
  return row->cell.value;
}

std::string ShownOf(const IndicatorReport& r, std::string_view indicator, std::string_view category,
                    std::string_view sex) {
  const auto* row = r.Find(indicator, category, sex);
  if (row == nullptr) {
    ADD_FAILURE() << "no row " << indicator << "/" << category << "/" << sex;
    return {};
  }
  return DisplayValue(row->cell, r.query.threshold);
}

TEST(Indicators, EveryIndicatorAboutPeopleBySex) {
  const auto ref = TinyReferential();
  const auto r = ComputeIndicators(WithSexes(), &ref, Directory(), Query2025(1));
  auto f = [&](std::string_view i, std::string_view c = {}) { return ValueOf(r, i, c, "femme"); };
  auto h = [&](std::string_view i, std::string_view c = {}) { return ValueOf(r, i, c, "homme"); };
  auto n = [&](std::string_view i, std::string_view c = {}) { return ValueOf(r, i, c, "non_renseigne"); };
  EXPECT_EQ(f("participants"), 3);
  EXPECT_EQ(h("participants"), 4);
  EXPECT_EQ(n("participants"), 1);
  EXPECT_EQ(f("rsa"), 2);  // 1, 3
  EXPECT_EQ(h("rsa"), 3);  // 4, 5, 6
  EXPECT_EQ(n("rsa"), 1);  // 8
  EXPECT_EQ(f("under_26"), 3);
  EXPECT_EQ(h("under_26"), 0);
  EXPECT_EQ(f("entries"), 3);
  EXPECT_EQ(h("entries"), 4);
  EXPECT_EQ(n("entries"), 0);         // 8 entered in 2024
  EXPECT_EQ(n("former_rsa"), 1);      // and was RSA then
  EXPECT_EQ(f("public", "qpv"), 1);   // 2
  EXPECT_EQ(h("public", "deld"), 1);  // 7
  EXPECT_EQ(h("public", "senior"), 1);
  EXPECT_EQ(h("mobilised"), 5);  // 4-7 and 10 (proposed only)
  EXPECT_EQ(h("hired"), 4);
  EXPECT_DOUBLE_EQ(f("hours_realised"), 300);
  EXPECT_DOUBLE_EQ(h("hours_realised"), 400);
  EXPECT_DOUBLE_EQ(n("hours_realised"), 100);  // January 2025
  EXPECT_NEAR(f("fulfilment_rate") + h("fulfilment_rate") + n("fulfilment_rate"), ValueOf(r, "fulfilment_rate", "", ""),
              1e-9);
  EXPECT_DOUBLE_EQ(h("route", "etti"), 200);
  EXPECT_DOUBLE_EQ(n("route", "sous_traitance_siae"), 100);
  EXPECT_EQ(f("contract_type", "cdd"), 2);
  EXPECT_EQ(f("contract_type", "cdi"), 1);
  EXPECT_EQ(h("contract_type", "interim_etti"), 2);
  EXPECT_EQ(h("contract_type", "total"), 4);
  EXPECT_EQ(n("contract_type", "total"), 0);  // 8 was hired in 2024
  // Outcomes at 6 months: women 1 and 3 lasting jobs, 2 training; men 7 lasting, 4 other, 5-6
  // not recorded; 8 a transition job.
  const auto first6 = [&](const std::string& sex, std::string_view category) {
    for (const auto& row : r.rows)
      if (row.section == "outcomes_6_months" && row.category == category && row.sex == sex) return row.cell.value;
    ADD_FAILURE() << sex << "/" << category;
    return -1.0;
  };
  EXPECT_EQ(first6("femme", "emploi_durable"), 2);
  EXPECT_EQ(first6("femme", "formation_qualifiante"), 1);
  EXPECT_EQ(first6("homme", "emploi_durable"), 1);
  EXPECT_EQ(first6("homme", "not_recorded"), 2);
  EXPECT_EQ(first6("non_renseigne", "emploi_transition"), 1);
  // Every margin adds up: everyone = femme + homme + non renseigné, row by row.
  std::size_t margins = 0;
  for (const auto& row : r.rows) {
    if (!row.sex.empty() || !row.cell.people) continue;
    double parts = 0;
    for (const char* sex : {"femme", "homme", "non_renseigne"}) {
      const IndicatorRow* part = nullptr;
      for (const auto& other : r.rows)
        if (other.sex == sex && other.section == row.section && other.indicator == row.indicator &&
            other.category == row.category)
          part = &other;
      ASSERT_NE(part, nullptr) << row.section << "/" << row.indicator << "/" << row.category << "/" << sex;
      parts += part->cell.value;
    }
    EXPECT_NEAR(parts, row.cell.value, 1e-9) << row.section << "/" << row.indicator << "/" << row.category;
    ++margins;
  }
  EXPECT_GT(margins, 40u);
  // Contracts and structures have no breakdown by sex.
  EXPECT_EQ(r.Find("clause_type", "total", "femme"), nullptr);
  EXPECT_EQ(r.Find("siae_kind", "total", "homme"), nullptr);
  EXPECT_EQ(r.Find("hours_forecast", "", "femme"), nullptr);
}

// Suppression on the sex margins. Threshold 3: the one person whose sex is not recorded is a
// small cell ("<3"); alone, it could be recomputed as 8 - 3 - 4, so the smallest other part, the
// 3 women, is hidden too ("s"). Men (4) and everyone (8) stay. Hours: women's 300 h were worked by
// 3 people (shown), the 100 h of the not recorded by 1 (hidden), so women's go with them.
TEST(Indicators, SexMarginsAreSuppressedToo) {
  const auto ref = TinyReferential();
  const auto r = ComputeIndicators(WithSexes(), &ref, Directory(), Query2025(3));
  EXPECT_EQ(ShownOf(r, "participants", "", ""), "8");
  EXPECT_EQ(ShownOf(r, "participants", "", "non_renseigne"), "<3");
  EXPECT_EQ(ShownOf(r, "participants", "", "femme"), "s");
  EXPECT_EQ(ShownOf(r, "participants", "", "homme"), "4");
  EXPECT_EQ(ShownOf(r, "hours_realised", "", ""), "800");
  EXPECT_EQ(ShownOf(r, "hours_realised", "", "non_renseigne"), "s");
  EXPECT_EQ(ShownOf(r, "hours_realised", "", "femme"), "s");
  EXPECT_EQ(ShownOf(r, "hours_realised", "", "homme"), "400");
  // Threshold 1: nothing hidden.
  const auto all = ComputeIndicators(WithSexes(), &ref, Directory(), Query2025(1));
  for (const auto& row : all.rows) EXPECT_EQ(row.cell.status, CellStatus::kShown) << row.indicator << row.sex;
}

TEST(ParticipantRows, OneRowPerPersonUnderTheCallersPseudonym) {
  const auto ref = TinyReferential();
  const auto d = IndicatorData();
  // The doors pass a keyed hash (api/pseudonym.hpp, tested with the CLI); here a readable stand-in
  // that shows which person each row is, and that the record is handed over when known.
  int with_record = 0;
  const PseudonymFn pseudonym = [&](model::ParticipantId id, const model::Participant* p) {
    with_record += p != nullptr && p->id == id;
    return "x-" + std::to_string(100 - id.value());
  };
  const auto rows = ParticipantRows(d, &ref, Query2025(5), pseudonym);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(with_record, 8);
  // Sorted by pseudonym, not by id.
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.pseudonym < b.pseudonym; }));
  EXPECT_EQ(rows.front().pseudonym, "x-92");  // participant 8
  const auto it = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.pseudonym == "x-99"; });
  ASSERT_NE(it, rows.end());  // participant 1
  EXPECT_EQ(it->departement, "59");
  EXPECT_EQ(it->entry_month, "2025-02");
  EXPECT_EQ(it->age_band, "under_26");
  EXPECT_TRUE(it->rsa);
  EXPECT_EQ(it->sex, "non_renseigne");
  EXPECT_EQ(it->contract_type, "cdd");
  EXPECT_EQ(it->hours_realised, 100);
  EXPECT_EQ(it->outcome_6_months, "emploi_durable");
  EXPECT_EQ(it->outcome_12_months, "");
}

// The DGEFP's exit categories (docs/lifecycle.md, section 5). Nineteen people hired on 6 January 2025
// on contract 1 (Lille), each with one outcome at 6 months:
//   emploi_durable 5                                              -> sortie_emploi_durable 5
//   emploi_transition 2                                           -> sortie_emploi_transition 2
//   formation_qualifiante 3, embauche_autre_siae 2, autre_sortie_positive 1 -> sortie_positive 6
//   demandeur_emploi 2, inactif 1, sans_nouvelles 1, autre 1     -> autre_sortie 5
//   not recorded 1; total 19; sorties dynamiques = 5 + 2 + 6 = 13.
TEST(Indicators, OutcomesCountInTheDgefpExitCategories) {
  const auto ref = TinyReferential();
  model::Dataset d;
  model::Contract c;
  c.id = model::ContractId(1);
  c.worksite_insee = "59350";
  c.start = Date::FromYmd(2025, 1, 1);
  c.end = Date::FromYmd(2025, 12, 31);
  c.insertion_hours = 2000;
  d.contracts.push_back(c);
  using O = model::Outcome;
  const std::vector<std::pair<O, int>> plan{
      {O::kEmploiDurable, 5},     {O::kEmploiTransition, 2},    {O::kFormationQualifiante, 3},
      {O::kEmbaucheAutreSiae, 2}, {O::kAutreSortiePositive, 1}, {O::kDemandeurEmploi, 2},
      {O::kInactif, 1},           {O::kSansNouvelles, 1},       {O::kAutre, 1}};
  std::vector<std::optional<O>> outcomes;
  for (const auto& [o, n] : plan) outcomes.insert(outcomes.end(), n, o);
  outcomes.push_back(std::nullopt);  // not recorded
  const Date start = Date::FromYmd(2025, 1, 6);
  for (std::uint32_t i = 1; i <= outcomes.size(); ++i) {
    model::Participant p;
    p.id = model::ParticipantId(i);
    p.birth_date = Date::FromYmd(1990, 1, 1);
    d.participants.push_back(p);
    model::Placement pl;
    pl.id = model::PlacementId(i);
    pl.participant = p.id;
    pl.contract = c.id;
    pl.status = model::PlacementStatus::kEnded;
    pl.start = start;
    pl.end = Date::FromYmd(2025, 6, 30);
    if (const auto o = outcomes[i - 1]) pl.outcomes.push_back({6, *o, Date::FromYmd(2025, 7, 10)});
    d.placements.push_back(pl);
  }
  d.Index();
  const char* s6 = "outcomes_6_months";

  const auto all = ComputeIndicators(d, &ref, {}, Query2025(5));
  // indicator, category: value and how it is shown. Suppression (threshold 5): the counts 1-4 are
  // "<5". Sorties dynamiques (13) = 5 + "<5" + 6 would give the transition jobs back, so the
  // smaller published part, the lasting jobs, is hidden too ("s"), and with it the outcome row it
  // equals.
  struct Expected {
    const char* indicator;
    const char* category;
    double value;
    const char* shown;
  };
  for (const auto& e : std::vector<Expected>{{"outcome", "emploi_durable", 5, "s"},
                                             {"outcome", "embauche_autre_siae", 2, "<5"},
                                             {"outcome", "autre_sortie_positive", 1, "<5"},
                                             {"outcome", "demandeur_emploi", 2, "<5"},
                                             {"outcome", "inactif", 1, "<5"},
                                             {"outcome", "sans_nouvelles", 1, "<5"},
                                             {"outcome", "autre", 1, "<5"},
                                             {"outcome", "not_recorded", 1, "<5"},
                                             {"outcome", "total", 19, "19"},
                                             {"category", "sortie_emploi_durable", 5, "s"},
                                             {"category", "sortie_emploi_transition", 2, "<5"},
                                             {"category", "sortie_positive", 6, "6"},
                                             {"category", "autre_sortie", 5, "5"},
                                             {"sorties_dynamiques", "", 13, "13"}}) {
    EXPECT_EQ(Value(all, s6, e.indicator, e.category), e.value) << e.category;
    EXPECT_EQ(Shown(all, s6, e.indicator, e.category), e.shown) << e.category;
  }
  // Not yet due at 12 months: nobody counted.
  EXPECT_EQ(Value(all, "outcomes_12_months", "outcome", "total"), 0);
  EXPECT_EQ(Value(all, "outcomes_12_months", "sorties_dynamiques"), 0);
}

}  // namespace
}  // namespace clausematch::lifecycle
