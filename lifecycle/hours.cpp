#include "lifecycle/hours.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

namespace clausematch::lifecycle {
namespace {

int MonthKey(int year, int month) { return year * 12 + (month - 1); }

std::string FormatHours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", h);
  return buf;
}

}  // namespace

int WorkingDays(model::Date from, model::Date to) {
  if (to < from) return 0;
  // 1970-01-01 was a Thursday: weekday index with Monday = 0 is (days + 3) mod 7.
  auto weekday = [](model::Date d) { return ((d.days() + 3) % 7 + 7) % 7; };
  const int days = to - from + 1;
  const int full_weeks = days / 7;
  int count = full_weeks * 5;
  int wd = weekday(from);
  for (int i = 0; i < days % 7; ++i, wd = (wd + 1) % 7)
    if (wd < 5) ++count;
  return count;
}

model::Date MonthFirstDay(int year, int month) { return model::Date::FromYmd(year, static_cast<unsigned>(month), 1); }

model::Date MonthLastDay(int year, int month) {
  using namespace std::chrono;
  const year_month_day_last last{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                                 std::chrono::last};
  return model::Date(sys_days{last});
}

MonthCap CapForMonth(const model::Placement& placement, int year, int month, const HourCapPolicy& policy) {
  MonthCap cap;
  if (month < 1 || month > 12) return cap;
  const model::Date from = std::max(placement.start, MonthFirstDay(year, month));
  const model::Date to = std::min(placement.end, MonthLastDay(year, month));
  cap.working_days = WorkingDays(from, to);
  const double weeks = cap.working_days / 5.0;
  cap.planned_hours = placement.weekly_hours * weeks;
  const double weekly_max =
      std::min(policy.max_weekly_hours, placement.weekly_hours * (1.0 + policy.overtime_tolerance));
  cap.max_hours = weekly_max * weeks;
  return cap;
}

model::Problems RecordHours(model::Placement& placement, const model::MonthlyHours& report, const HourCapPolicy& policy,
                            std::optional<model::Date> today) {
  model::Problems problems;
  if (report.month < 1 || report.month > 12) {
    problems.push_back({"/month", "out_of_range", "month must be 1-12"});
    return problems;
  }
  if (!CountsTowardsClause(placement))
    problems.push_back({"", "not_hired",
                        "placement " + std::to_string(placement.id.value()) + " is " +
                            std::string(model::Code(placement.status)) + ", not hired: no hours can be reported"});
  if (!std::isfinite(report.hours) || report.hours < 0)
    problems.push_back({"/hours", "out_of_range", "hours cannot be negative"});
  const auto cap = CapForMonth(placement, report.year, report.month, policy);
  if (cap.working_days == 0 && report.hours > 0) {
    problems.push_back({"/month", "out_of_range",
                        "the placement (" + placement.start.ToString() + " to " + placement.end.ToString() +
                            ") has no working day in " + std::to_string(report.year) + "-" +
                            (report.month < 10 ? "0" : "") + std::to_string(report.month)});
  } else if (report.hours > cap.max_hours + 1e-9) {
    problems.push_back(
        {"/hours", "over_cap",
         FormatHours(report.hours) + " h exceed what the month allows: " + std::to_string(cap.working_days) +
             " working days at " + FormatHours(placement.weekly_hours) + " h/week give " +
             FormatHours(cap.planned_hours) + " h, at most " + FormatHours(cap.max_hours) + " h with overtime"});
  }
  if (report.reported_on < MonthFirstDay(report.year, report.month))
    problems.push_back({"/reported_on", "out_of_range", "hours cannot be reported before the month begins"});
  else if (today && today->AddDays(kReportDateMarginDays) < report.reported_on)
    problems.push_back({"/reported_on", "in_future",
                        "a report cannot be dated after " + today->AddDays(kReportDateMarginDays).ToString()});
  if (problems.empty()) placement.hours.push_back(report);
  return problems;
}

model::Problems RecordAmount(model::Placement& placement, const model::Contract* contract, const AmountReport& report,
                             const HourCapPolicy& policy, std::optional<model::Date> today) {
  model::Problems problems;
  if (placement.route != model::FulfilmentRoute::kSousTraitanceSiae)
    problems.push_back({"/amount_eur", "not_subcontracting",
                        "an amount is converted into hours only on a subcontracting placement (route "
                        "sous_traitance_siae); placement " +
                            std::to_string(placement.id.value()) + " is on route '" +
                            std::string(model::Code(placement.route)) + "': report its hours"});
  const model::ClauseSizing* sizing = contract != nullptr && contract->sizing ? &*contract->sizing : nullptr;
  model::SubcontractAmount amount;
  amount.amount_eur = report.amount_eur;
  if (!std::isfinite(amount.amount_eur) || amount.amount_eur <= 0 || amount.amount_eur > model::kMaxAmountEur)
    problems.push_back({"/amount_eur", "out_of_range", "the amount excluding VAT must be in (0, 1e12] euros"});
  if (report.labour_share) {
    amount.labour_share = *report.labour_share;
  } else if (sizing != nullptr && sizing->labour_share > 0) {
    amount.labour_share = sizing->labour_share;
  } else {
    problems.push_back({"/labour_share", "required",
                        "the share of the amount that is labour: none given, and the contract was not sized with one"});
  }
  if ((report.labour_share || (sizing != nullptr && sizing->labour_share > 0)) &&
      (!std::isfinite(amount.labour_share) || amount.labour_share <= 0 || amount.labour_share > 1))
    problems.push_back({"/labour_share", "out_of_range", "the labour share must be in (0, 1]"});
  amount.hourly_cost_eur = report.hourly_cost_eur                             ? *report.hourly_cost_eur
                           : sizing != nullptr && sizing->hourly_cost_eur > 0 ? sizing->hourly_cost_eur
                                                                              : kDefaultHourlyCostEur;
  if (!std::isfinite(amount.hourly_cost_eur) || amount.hourly_cost_eur < model::kMinHourlyCostEur ||
      amount.hourly_cost_eur > model::kMaxHourlyCostEur)
    problems.push_back({"/hourly_cost_eur", "out_of_range", "the hourly cost must be in [1, 1000] euros an hour"});
  if (!problems.empty()) return problems;
  model::MonthlyHours hours;
  hours.year = report.year;
  hours.month = report.month;
  hours.hours = model::HoursOf(amount);
  hours.reported_on = report.reported_on;
  hours.amount = amount;
  problems = RecordHours(placement, hours, policy, today);
  for (auto& p : problems)
    if (p.field == "/hours") {
      p.field = "/amount_eur";
      p.message = FormatHours(amount.amount_eur) + " EUR x " + FormatHours(amount.labour_share) + " / " +
                  FormatHours(amount.hourly_cost_eur) + " EUR/h = " + p.message;
    }
  return problems;
}

std::vector<model::MonthlyHours> EffectiveHours(const model::Placement& placement) {
  std::map<int, const model::MonthlyHours*> latest;
  for (const auto& h : placement.hours) latest[MonthKey(h.year, h.month)] = &h;  // the last recorded
  std::vector<model::MonthlyHours> out;
  out.reserve(latest.size());
  for (const auto& [key, h] : latest) out.push_back(*h);
  return out;
}

double HoursWorked(const model::Placement& placement, std::optional<model::Date> from, std::optional<model::Date> to) {
  double total = 0.0;
  for (const auto& h : EffectiveHours(placement)) {
    if (from && MonthLastDay(h.year, h.month) < *from) continue;
    if (to && *to < MonthFirstDay(h.year, h.month)) continue;
    total += h.hours;
  }
  return total;
}

bool CountsTowardsClause(const model::Placement& placement) {
  return placement.status == model::PlacementStatus::kHired || placement.status == model::PlacementStatus::kEnded;
}

bool ContractTypeFitsRoute(model::ContractType type, model::FulfilmentRoute route) {
  using model::ContractType;
  using model::FulfilmentRoute;
  switch (route) {
    case FulfilmentRoute::kEmbaucheDirecte:
      return type == ContractType::kCdd || type == ContractType::kCdi || type == ContractType::kApprentissage ||
             type == ContractType::kProfessionnalisation || type == ContractType::kInterim ||
             type == ContractType::kPec || type == ContractType::kCdiChantier;
    case FulfilmentRoute::kEtti:
      return type == ContractType::kInterimEtti;
    case FulfilmentRoute::kGeiq:
      return type == ContractType::kGeiq || type == ContractType::kProfessionnalisation ||
             type == ContractType::kApprentissage;
    case FulfilmentRoute::kAi:
      return type == ContractType::kMiseADispositionAi;
    case FulfilmentRoute::kSousTraitanceSiae:
      return type == ContractType::kCddi;
    case FulfilmentRoute::kEa:  // an EA employs its workers under ordinary employment contracts
      return type == ContractType::kCdd || type == ContractType::kCdi || type == ContractType::kApprentissage ||
             type == ContractType::kProfessionnalisation;
    case FulfilmentRoute::kEsat:  // an ESAT worker has a support contract, not an employment contract
      return type == ContractType::kEsatSoutien;
  }
  return false;
}

model::Problems CheckRouteFitsClause(model::FulfilmentRoute route, const model::Contract& contract) {
  if ((route == model::FulfilmentRoute::kEa || route == model::FulfilmentRoute::kEsat) &&
      contract.clause_type != model::ClauseType::kMarcheReserveHandicap)
    return {{"/route", "not_reserved",
             "route '" + std::string(model::Code(route)) +
                 "' counts only on a contract reserved to EA and ESAT (L2113-12, clause_type "
                 "marche_reserve_handicap); contract " +
                 std::to_string(contract.id.value()) + " is " + std::string(model::Code(contract.clause_type))}};
  return {};
}

model::Problems Hire(model::Placement& placement, const HireTerms& terms) {
  model::Problems problems;
  if (placement.status == model::PlacementStatus::kDeclined || placement.status == model::PlacementStatus::kEnded)
    problems.push_back(
        {"/status", "not_hireable", "a " + std::string(model::Code(placement.status)) + " placement cannot be hired"});
  if (!ContractTypeFitsRoute(terms.contract_type, terms.route))
    problems.push_back({"/contract_type", "inconsistent",
                        "contract type '" + std::string(model::Code(terms.contract_type)) +
                            "' does not fit the fulfilment route '" + std::string(model::Code(terms.route)) + "'"});
  if (terms.employer.empty() && terms.employer_siret.empty())
    problems.push_back({"/employer", "required", "the employer (name or SIRET) is required"});
  model::Placement copy = placement;
  copy.status = model::PlacementStatus::kHired;
  copy.contract_type = terms.contract_type;
  copy.route = terms.route;
  copy.employer = terms.employer;
  copy.employer_siret = terms.employer_siret;
  copy.start = terms.start;
  copy.end = terms.end;
  copy.weekly_hours = terms.weekly_hours;
  auto structural = model::Validate(copy);
  problems.insert(problems.end(), structural.begin(), structural.end());
  if (problems.empty()) placement = std::move(copy);
  return problems;
}

}  // namespace clausematch::lifecycle
