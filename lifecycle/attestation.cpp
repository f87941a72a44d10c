#include "lifecycle/attestation.hpp"

#include <algorithm>
#include <cstdio>

#include "lifecycle/hours.hpp"
#include "model/dataset.hpp"

namespace clausematch::lifecycle {

std::string YearMonth::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::optional<YearMonth> ParseYearMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int values[2] = {0, 0};
  const std::string_view parts[2] = {text.substr(0, 4), text.substr(5, 2)};
  for (int i = 0; i < 2; ++i)
    for (char c : parts[i]) {
      if (c < '0' || c > '9') return std::nullopt;
      values[i] = values[i] * 10 + (c - '0');
    }
  if (values[0] < 1900 || values[1] < 1 || values[1] > 12) return std::nullopt;
  return YearMonth{values[0], values[1]};
}

AttestationFigures ComputeAttestation(const model::Contract& contract, const std::vector<model::Placement>& placements,
                                      std::optional<YearMonth> month,
                                      const std::function<std::string(const model::Placement&)>& label) {
  AttestationFigures f;
  f.contract = contract.id;
  f.reference = contract.reference;
  f.title = contract.title;
  f.buyer = contract.buyer;
  f.holder = contract.holder;
  f.holder_siret = contract.holder_siret;
  f.facilitator_org = contract.facilitator_org;
  f.month = month;

  // The figure against the target: the one fulfilment rule, up to the end of the period.
  model::Dataset one;
  one.contracts.push_back(contract);
  for (const auto& p : placements)
    if (p.contract == contract.id) one.placements.push_back(p);
  std::sort(one.placements.begin(), one.placements.end(),
            [](const model::Placement& a, const model::Placement& b) { return a.id < b.id; });
  one.Index();
  const std::optional<model::Date> up_to =
      month ? std::optional(MonthLastDay(month->year, month->month)) : std::nullopt;
  f.to_date = ComputeFulfilment(one, up_to).contracts.at(0).fulfilment;

  std::map<YearMonth, double> by_month;
  if (month) by_month[*month] = 0.0;
  for (const auto& p : one.placements) {
    if (!CountsTowardsClause(p)) continue;
    AttestationLine line;
    line.placement = p.id;
    line.participant = p.participant;
    line.route = p.route;
    line.employer = p.employer;
    for (const auto& h : EffectiveHours(p)) {
      const YearMonth m{h.year, h.month};
      if (month && *month < m) continue;
      line.to_date_hours += h.hours;
      if (!month || m == *month) {
        line.period_hours += h.hours;
        by_month[m] += h.hours;
      }
    }
    if (line.to_date_hours <= 0.0) continue;
    f.by_route[p.route] += line.period_hours;
    f.by_route_to_date[p.route] += line.to_date_hours;
    f.period_hours += line.period_hours;
    line.person = label(p);
    f.lines.push_back(std::move(line));
  }
  f.by_month.assign(by_month.begin(), by_month.end());
  return f;
}

}  // namespace clausematch::lifecycle
