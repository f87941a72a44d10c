#pragma once
// From an accepted proposal to a placement: the facilitator accepts a batch proposal (or a
// shortlisted candidate), the company hires the person, and the hire is recorded as a placement
// whose hours then count towards the clause.
//
// Terms of the hire. Unless the facilitator says otherwise, the placement takes the opening's
// employment contract type, its end date and weekly hours, and the fulfilment route the contract
// type implies (DefaultRoute). It starts on the actual hire date: the one given, else
// max(decision day, opening start) — an opening already under way hires from the decision day,
// never before it. Hour caps and the 6- and 12-month due dates count from it. The employer of a direct hire defaults to
// the contract's holder (titulaire); through an ETTI, GEIQ, AI or SIAE subcontracting it is the structure, which must
// be named (Hire refuses a placement without an employer).
//
// Checks (each a Problem naming the field of the acceptance it concerns):
//   /opening_id      the opening exists, is open, and still has a position (accepted or hired
//                    placements of the opening take one each)
//   /contract_id     when given, the opening's contract
//   /participant_id  the person exists, is active, holds no accepted or hired placement whose
//                    dates overlap [hire date, opening end], and is eligible at the hire date
//                    (when a judge is given: EligibilityJudge)
//   /hire_date       no earlier than the decision, within the opening's dates
//   /contract_type, /route, /employer, ...  as lifecycle::Hire checks them
//   /route           ea and esat only on a contract reserved to EA/ESAT (CheckRouteFitsClause)
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lifecycle/hours.hpp"
#include "model/dataset.hpp"
#include "model/siae.hpp"
#include "model/validation.hpp"

namespace clausematch::lifecycle {

// The route a contract type usually means: interim_etti -> ETTI, geiq -> GEIQ,
// mise_a_disposition_ai -> AI, cddi -> SIAE subcontracting, esat_soutien -> ESAT, anything else
// (pec and cdi_chantier included) -> direct hire. An EA hire names its route (ea).
model::FulfilmentRoute DefaultRoute(model::ContractType type);

// The kinds of structure that employ the person on a route (none for a direct hire).
std::vector<model::SiaeKind> EmployerKinds(model::FulfilmentRoute route);

struct Acceptance {
  model::OpeningId opening;
  model::ParticipantId participant;
  std::optional<model::ContractId> contract;         // cross-checked when given
  std::optional<model::ContractType> contract_type;  // default: the opening's
  std::optional<model::FulfilmentRoute> route;       // default: DefaultRoute(contract type)
  std::string employer;                              // default for a direct hire: the contract's holder
  std::string employer_siret;
  model::Date decided_on;                // the day of the decision: no hire before it
  std::optional<model::Date> hire_date;  // default: max(decided_on, opening start)
};

// The actual hire date of `acceptance` on `opening`: its hire_date, else max(decided_on, start).
model::Date HireDateOf(const model::Opening& opening, const Acceptance& acceptance);

// The /hire_date problems of `acceptance` on `opening`: before its decision day (before_decision),
// outside the opening's dates (out_of_range).
model::Problems CheckHireDate(const model::Opening& opening, const Acceptance& acceptance);

// Whether the person counts for the opening's clause at the hire date, and why. Lifecycle does not
// judge eligibility itself (that is the matcher's verdict): the service layer passes a judge
// (service/placements.hpp EligibilityAtHire). A refusal is a problem naming /participant_id; an
// admission comes with the snapshot the placement keeps.
struct EntryJudgement {
  std::optional<model::EligibilitySnapshot> snapshot;
  std::optional<model::Problem> refusal;
};
using EligibilityJudge =
    std::function<EntryJudgement(const model::Contract&, const model::Opening&, const model::Participant&,
                                 model::Date hire_date, model::Date decided_on)>;

// The terms an acceptance means on `opening` of `contract`: its own, else the defaults above.
HireTerms TermsFor(const model::Contract& contract, const model::Opening& opening, const Acceptance& acceptance);

// The first of `person_placements` (other than `self`, when given) that is accepted or hired with
// dates overlapping [start, end], or null.
const model::Placement* OverlappingPlacement(std::span<const model::Placement> person_placements, model::Date start,
                                             model::Date end, const model::Placement* self = nullptr);

// Positions of an opening already taken: its accepted or hired placements.
int PositionsTaken(std::span<const model::Placement> placements, model::OpeningId opening);

// The hire of `person` on `opening` (of `contract`) on the terms of `acceptance`, or the problems
// that prevent it. `positions_taken` counts the opening's accepted or hired placements;
// `person_placements` are the person's placements (any status). The returned placement has no id
// and the given `status`: hired (a hire recorded at once) or accepted (a facilitator accepted a
// proposal; the company's hire confirms it later) — the checks and the terms are the same, but an
// acceptance may leave the employer unnamed (the hire names it).
struct PlacementOrProblems {
  std::optional<model::Placement> placement;
  model::Problems problems;
};
// `judge` (may be empty: not judged, no snapshot) decides eligibility at the hire date.
PlacementOrProblems PlaceOnOpening(const model::Contract& contract, const model::Opening& opening,
                                   const model::Participant& person, int positions_taken,
                                   std::span<const model::Placement> person_placements, const Acceptance& acceptance,
                                   model::PlacementStatus status = model::PlacementStatus::kHired,
                                   const EligibilityJudge& judge = {});

// The person's situation 6 or 12 months after entering the clause (model::Outcome, in the DGEFP's
// exit categories), for the funders' "sorties dynamiques". Checks: the placement is hired
// or ended (/status), the horizon is 6 or 12 (/months_after_entry), and the record is dated no
// earlier than the placement's start plus the horizon nor, given `today`, after today plus
// kReportDateMarginDays (/recorded_on). A later record for the same horizon is a correction:
// appended, history kept; the indicators take the one recorded last.
model::Problems RecordOutcome(model::Placement& placement, const model::OutcomeRecord& record,
                              std::optional<model::Date> today = std::nullopt);

// Every acceptance is checked against the dataset and the acceptances before it; all or nothing:
// when none has a problem, the placements are appended (ids after the largest existing one) and
// openings left without a free position become filled. `dataset` must be indexed.
struct AcceptReport {
  struct Item {
    std::size_t index = 0;  // into the acceptances
    model::Problem problem;
  };
  std::vector<Item> problems;
  std::vector<model::PlacementId> created;  // in the order of the acceptances (empty on problems)
  int openings_filled = 0;
};
AcceptReport AcceptProposals(model::Dataset& dataset, std::span<const Acceptance> acceptances,
                             const EligibilityJudge& judge = {});

}  // namespace clausematch::lifecycle
