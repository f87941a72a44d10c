#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/enums.hpp"
#include "model/ids.hpp"

namespace clausematch::model {

// Hours worked by a placed participant in one calendar month, as reported by the company.
// A correction is a new report for the same month with a later `reported_on`: history is kept.
struct MonthlyHours {
  int year = 0;
  int month = 0;  // 1-12
  double hours = 0.0;
  Date reported_on;
  friend bool operator==(const MonthlyHours&, const MonthlyHours&) = default;
};

struct OutcomeRecord {
  int months_after_entry = 6;  // 6 or 12
  Outcome outcome = Outcome::kAutre;
  Date recorded_on;
  friend bool operator==(const OutcomeRecord&, const OutcomeRecord&) = default;
};

// A participant hired (or proposed) on an opening.
struct Placement {
  PlacementId id;
  ParticipantId participant;
  OpeningId opening;
  ContractId contract;
  PlacementStatus status = PlacementStatus::kProposed;
  ContractType contract_type = ContractType::kCdd;
  FulfilmentRoute route = FulfilmentRoute::kEmbaucheDirecte;
  std::string employer;  // company or SIAE that employs the person
  std::string employer_siret;
  Date start;
  Date end;
  double weekly_hours = 35.0;
  std::vector<MonthlyHours> hours;  // append-only history of reports
  std::vector<OutcomeRecord> outcomes;
};

// The one rule for "this placement holds a position of its opening": accepted or hired (a proposal
// still pending, a declined one or an ended contract does not). Positions left on an opening, the
// candidate graph's capacities, overlapping-dates checks and the fill status all count with it.
[[nodiscard]] constexpr bool TakesAPosition(const Placement& p) {
  return p.status == PlacementStatus::kAccepted || p.status == PlacementStatus::kHired;
}

}  // namespace clausematch::model
