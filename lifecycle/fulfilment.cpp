#include "lifecycle/fulfilment.hpp"

#include <algorithm>
#include <unordered_map>

#include "lifecycle/hours.hpp"

namespace clausematch::lifecycle {

void Finish(Fulfilment& f) {
  f.remaining = std::max(0.0, f.forecast - f.realised);
  FinishPercent(f);
}

void FinishPercent(Fulfilment& f) {
  f.percent = f.forecast > 0 ? std::optional(100.0 * f.realised / f.forecast) : std::nullopt;
}

FulfilmentReport ComputeFulfilment(const model::Dataset& dataset, std::optional<model::Date> up_to) {
  FulfilmentReport report;
  std::unordered_map<model::ContractId, std::size_t> row_of;
  for (const auto& c : dataset.contracts) {
    row_of.emplace(c.id, report.contracts.size());
    ContractFulfilment row;
    row.contract = c.id;
    row.reference = c.reference;
    row.holder = c.holder;
    row.fulfilment.forecast = c.insertion_hours;
    report.contracts.push_back(std::move(row));
  }
  for (const auto& p : dataset.placements) {
    if (!CountsTowardsClause(p)) continue;
    auto it = row_of.find(p.contract);
    if (it == row_of.end()) {
      // A placement may name only its opening; find the contract through it.
      if (const auto* o = dataset.FindOpening(p.opening)) it = row_of.find(o->contract);
      if (it == row_of.end()) continue;
    }
    auto& row = report.contracts[it->second];
    const double h = HoursWorked(p, std::nullopt, up_to);
    row.fulfilment.realised += h;
    row.fulfilment.placements += 1;
    row.realised_by_route[p.route] += h;
  }

  std::map<std::string, CompanyFulfilment> companies;
  for (std::size_t i = 0; i < report.contracts.size(); ++i) {
    auto& row = report.contracts[i];
    Finish(row.fulfilment);
    const auto& c = dataset.contracts[i];
    const std::string key = !c.holder_siret.empty() ? "siret:" + c.holder_siret : "name:" + c.holder;
    auto& company = companies[key];
    company.holder = c.holder.empty() ? "(titulaire non renseigné)" : c.holder;
    company.holder_siret = c.holder_siret;
    company.contracts += 1;
    company.fulfilment.forecast += row.fulfilment.forecast;
    company.fulfilment.realised += row.fulfilment.realised;
    company.fulfilment.placements += row.fulfilment.placements;
    company.fulfilment.remaining += row.fulfilment.remaining;
    report.total.remaining += row.fulfilment.remaining;
    report.total.forecast += row.fulfilment.forecast;
    report.total.realised += row.fulfilment.realised;
    report.total.placements += row.fulfilment.placements;
  }
  for (auto& [key, company] : companies) {
    FinishPercent(company.fulfilment);
    report.companies.push_back(std::move(company));
  }
  FinishPercent(report.total);
  return report;
}

}  // namespace clausematch::lifecycle
