#pragma once
// The figures of an attestation of insertion hours (docs/attestations.md): for one contract and
// one calendar month, or the whole contract, the hours of each hired person by route, the hours by
// route and by month, and the clause's target against the hours realised to the end of the period.
//
// One definition of hours: a person's hours are the effective monthly reports
// (lifecycle::EffectiveHours) of the contract's placements that count towards the clause
// (CountsTowardsClause), and the figure against the target is lifecycle::ComputeFulfilment's, up to
// the last day of the period, as in `contract fulfilment` and GET /v1/contracts/{id}/fulfilment.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/fulfilment.hpp"
#include "model/contract.hpp"
#include "model/placement.hpp"

namespace clausematch::lifecycle {

struct YearMonth {
  int year = 0;
  int month = 0;  // 1-12
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>'s literal 0
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
  [[nodiscard]] std::string ToString() const;  // "2026-03"
};
// Strict "YYYY-MM" (month 01-12, year 1900-9999); nullopt otherwise.
std::optional<YearMonth> ParseYearMonth(std::string_view text);

struct AttestationLine {
  model::PlacementId placement;
  model::ParticipantId participant;
  std::string person;  // the display name or pseudonym given by the caller's labeller
  model::FulfilmentRoute route = model::FulfilmentRoute::kEmbaucheDirecte;
  std::string employer;
  double period_hours = 0.0;   // in the month, or over the whole contract
  double to_date_hours = 0.0;  // from the start up to the end of the period
};

struct AttestationFigures {
  model::ContractId contract;
  std::string reference, title, buyer, holder, holder_siret;
  model::OrgCode facilitator_org;
  std::optional<YearMonth> month;  // nullopt: the whole contract
  // By person: hired or ended placements with hours up to the end of the period, by placement id.
  std::vector<AttestationLine> lines;
  // Months of the period with their hours: the month itself, or every reported month.
  std::vector<std::pair<YearMonth, double>> by_month;
  std::map<model::FulfilmentRoute, double> by_route;          // hours of the period
  std::map<model::FulfilmentRoute, double> by_route_to_date;  // hours to the end of the period
  double period_hours = 0.0;
  Fulfilment to_date;  // forecast = the clause's insertion hours; realised up to the end of the period
};

// `placements`: the contract's placements (others are ignored). `label` names a placement's person.
AttestationFigures ComputeAttestation(const model::Contract& contract, const std::vector<model::Placement>& placements,
                                      std::optional<YearMonth> month,
                                      const std::function<std::string(const model::Placement&)>& label);

}  // namespace clausematch::lifecycle
