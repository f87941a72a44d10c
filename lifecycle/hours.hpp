#pragma once
// Hires and the monthly hours they report.
//
// Hour cap. A placement working w hours a week can report, for a calendar month M, at most
//
//     cap(M) = min(48, w × (1 + t)) × d(M) / 5
//
// where d(M) is the number of working days (Monday to Friday) of M that fall inside the placement's
// dates, and t the overtime tolerance (default 1/3: the most additional hours a part-time contract
// may carry under a branch agreement, Code du travail L3123-20; a 35 h full-time placement may then
// report up to 46.7 h a week, under the 48 h legal weekly maximum, L3121-20). Public holidays are
// not removed, so the cap errs on the generous side: it catches typing errors (350 for 35) and
// months outside the placement, not a few hours of difference. The planned hours of the month are
// w × d(M) / 5.
//
// History. A report never overwrites another: a correction is a new MonthlyHours for the same month,
// appended. The effective figure of a month is the report recorded last; `reported_on` (the date
// the report gives, never after today plus kReportDateMarginDays) is kept for the record but does
// not order them, so no date, however far ahead, freezes a month against later corrections.
#include <optional>
#include <vector>

#include "model/contract.hpp"
#include "model/placement.hpp"
#include "model/validation.hpp"

namespace clausematch::lifecycle {

struct HourCapPolicy {
  double overtime_tolerance = 1.0 / 3.0;
  double max_weekly_hours = model::kMaxWeeklyHours;  // 48
};

// Monday-to-Friday days in [from, to] (0 when to < from).
int WorkingDays(model::Date from, model::Date to);

struct MonthCap {
  int working_days = 0;        // of the month, inside the placement's dates
  double planned_hours = 0.0;  // weekly hours × working days / 5
  double max_hours = 0.0;      // the cap above
};

MonthCap CapForMonth(const model::Placement& placement, int year, int month, const HourCapPolicy& policy = {});

// First and last day of a calendar month.
model::Date MonthFirstDay(int year, int month);
model::Date MonthLastDay(int year, int month);

// Dates a report or a record gives may run this many days past `today` (time zones, a report
// prepared the day before); later ones are refused.
inline constexpr int kReportDateMarginDays = 2;

// Validates `report` against the placement (month inside its dates, 0 <= hours <= cap, reported no
// earlier than the month's first day nor, given `today`, after today plus kReportDateMarginDays) and
// appends it. Problems name the fields ("/hours", "/month", "/reported_on"); nothing is appended then.
model::Problems RecordHours(model::Placement& placement, const model::MonthlyHours& report,
                            const HourCapPolicy& policy = {}, std::optional<model::Date> today = std::nullopt);

// The hourly cost of labour when neither a report nor the contract's sizing gives one: the domain
// brief's 30 €/h (docs/lifecycle.md, "Subcontracting amounts").
inline constexpr double kDefaultHourlyCostEur = 30.0;

// A month of subcontracting to an SIAE reported as the amount invoiced rather than hours. The
// figures not given come from the contract's sizing (the hourly cost, failing that, from
// kDefaultHourlyCostEur; the labour share is never guessed).
struct AmountReport {
  int year = 0;
  int month = 0;                          // 1-12
  double amount_eur = 0.0;                // excluding VAT
  std::optional<double> labour_share;     // default: the contract's sizing
  std::optional<double> hourly_cost_eur;  // default: the contract's sizing, else kDefaultHourlyCostEur
  model::Date reported_on;
};

// Converts `report` into hours (amount × labour share ÷ hourly cost, model::HoursOf) and records it
// with RecordHours, the three figures kept on the report (MonthlyHours::amount). Problems:
// /amount_eur (not_subcontracting: the placement's route is not sous_traitance_siae; out_of_range;
// over_cap: the converted hours exceed the month's cap), /labour_share (required, out_of_range),
// /hourly_cost_eur (out_of_range), and /month, /reported_on as RecordHours names them. `contract`
// is the placement's (null: no sizing to take defaults from).
model::Problems RecordAmount(model::Placement& placement, const model::Contract* contract, const AmountReport& report,
                             const HourCapPolicy& policy = {}, std::optional<model::Date> today = std::nullopt);

// The effective report of each month (the one recorded last), by increasing month.
std::vector<model::MonthlyHours> EffectiveHours(const model::Placement& placement);

// Effective hours of the months that overlap [from, to] (either bound optional).
double HoursWorked(const model::Placement& placement, std::optional<model::Date> from = std::nullopt,
                   std::optional<model::Date> to = std::nullopt);

// True for a placement whose hours count towards the clause (hired, or hired then ended).
bool CountsTowardsClause(const model::Placement& placement);

// A hire: the placement becomes kHired with its employment contract and fulfilment route. The
// contract type must fit the route (an ETTI hires on interim_etti, a GEIQ on geiq or
// professionnalisation/apprentissage, an AI on mise_a_disposition_ai, an EI or ACI on cddi, an EA
// on cdd, cdi, apprentissage or professionnalisation, an ESAT on esat_soutien; a direct hire on cdd,
// cdi, cdi_chantier, pec, apprentissage, professionnalisation or interim). Problems otherwise.
struct HireTerms {
  model::ContractType contract_type = model::ContractType::kCdd;
  model::FulfilmentRoute route = model::FulfilmentRoute::kEmbaucheDirecte;
  std::string employer;
  std::string employer_siret;
  model::Date start;
  model::Date end;
  double weekly_hours = 35.0;
};
model::Problems Hire(model::Placement& placement, const HireTerms& terms);
bool ContractTypeFitsRoute(model::ContractType type, model::FulfilmentRoute route);

// The routes of disabled workers, `ea` and `esat`, count only on a contract reserved to EA and ESAT
// (L2113-12, ClauseType::kMarcheReserveHandicap): a /route problem (not_reserved) otherwise. Checked
// with Hire wherever a placement is accepted or hired (PlaceOnOpening, service::HireAccepted).
model::Problems CheckRouteFitsClause(model::FulfilmentRoute route, const model::Contract& contract);

}  // namespace clausematch::lifecycle
