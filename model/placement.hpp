#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/enums.hpp"
#include "model/ids.hpp"
#include "model/participant.hpp"

namespace clausematch::model {

// Subcontracting to an SIAE reported as an amount invoiced rather than hours worked: the hours are
// amount_eur × labour_share ÷ hourly_cost_eur (docs/lifecycle.md, "Subcontracting amounts"), and
// the figures used are kept with the report so that it reads the same whatever defaults change.
struct SubcontractAmount {
  double amount_eur = 0.0;       // excluding VAT (HT)
  double labour_share = 0.0;     // share of the amount that is labour, in (0, 1]
  double hourly_cost_eur = 0.0;  // cost of an hour of insertion work to the SIAE
  friend bool operator==(const SubcontractAmount&, const SubcontractAmount&) = default;
};
// The hours an amount stands for: amount_eur × labour_share ÷ hourly_cost_eur, rounded to the
// hundredth of an hour (the precision of a report).
double HoursOf(const SubcontractAmount& amount);

// Hours worked by a placed participant in one calendar month, as reported by the company.
// A correction is a new report for the same month with a later `reported_on`: history is kept.
// `amount`: set when the hours were converted from a subcontracting amount (hours holds the result).
struct MonthlyHours {
  int year = 0;
  int month = 0;  // 1-12
  double hours = 0.0;
  Date reported_on;
  std::optional<SubcontractAmount> amount;
  friend bool operator==(const MonthlyHours&, const MonthlyHours&) = default;
};

struct OutcomeRecord {
  int months_after_entry = 6;  // 6 or 12
  Outcome outcome = Outcome::kAutre;
  Date recorded_on;
  friend bool operator==(const OutcomeRecord&, const OutcomeRecord&) = default;
};

// A proof the person had to renew before the hire when the placement was decided (the
// eligibility was subject to renewal). Code "proof_to_renew"; renew_by is the hire date.
struct RenewalCondition {
  Criterion criterion = Criterion::kRsa;
  Date renew_by;
  friend bool operator==(const RenewalCondition&, const RenewalCondition&) = default;
};

// Why the person counted, frozen when the placement was accepted or hired: what a funder's control
// asks ("on which criterion was this person counted?") and what the indicators count, whatever the
// participant's record says later. Taken by the service layer from the matcher's verdict at the
// hire date (service/placements.hpp); docs/formats.md spells it.
struct EligibilitySnapshot {
  Date judged_on;            // the day of the decision
  Date hire_date;            // the day eligibility was judged at (the placement's start)
  std::string basis;         // "clause_public", "iae_level1", "iae_level2", "derogation"
  CriterionSet eligible_by;  // the criteria the basis rests on (empty for a derogation)
  // Every criterion counted at the hire date: valid then, or provisionally (renewable, below).
  // A document criterion keeps its proof (date, end date, who validated it); an age criterion
  // none (the age at the hire date).
  std::vector<CriterionProof> criteria;
  CriterionSet provisional;              // of `criteria`, counted provisionally: the proof lapses before the hire
  std::optional<Date> diagnosis_date;    // the prescriber's diagnosis, when one was valid at the hire
  std::string diagnosed_by;              // the prescriber organisation
  CriterionSet by_diagnosis;             // criteria that held at the hire only through the diagnosis
  std::optional<Derogation> derogation;  // the derogation the basis rests on
  std::vector<RenewalCondition> conditions;

  [[nodiscard]] CriterionSet Counted() const {
    CriterionSet out;
    for (const auto& c : criteria) out.insert(c.criterion);
    return out;
  }
  friend bool operator==(const EligibilitySnapshot&, const EligibilitySnapshot&) = default;
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
  // Why the person counted, as judged at the hire date (absent on placements recorded before
  // snapshots existed).
  std::optional<EligibilitySnapshot> eligibility;
};

// The one definition of "counted as <criterion> at entry" (RSA recipients, under-26s...) for the
// indicators, the batch summary and the quotas' credit: the criteria of the placement's snapshot
// (valid at the hire date, or provisionally); for a placement without one, the person's criteria
// at its start (document proofs valid that day, ages that day; `person` may be null: none).
CriterionSet CriteriaAtEntry(const Placement& placement, const Participant* person);

// The one rule for "this placement holds a position of its opening": accepted or hired (a proposal
// still pending, a declined one or an ended contract does not). Positions left on an opening, the
// candidate graph's capacities, overlapping-dates checks and the fill status all count with it.
[[nodiscard]] constexpr bool TakesAPosition(const Placement& p) {
  return p.status == PlacementStatus::kAccepted || p.status == PlacementStatus::kHired;
}

}  // namespace clausematch::model
