#pragma once
// Placements on the server's database: the one path for a facilitator's decision on a batch
// proposal, a direct hire (from a shortlist or any mise en relation) and the hire of an accepted
// placement. Every path applies lifecycle::PlaceOnOpening's checks (the opening is open and has a
// free position, the person is active and free over the opening's dates, the terms fit the route
// and name an employer) and marks the opening filled when its last position is taken: the same
// rules as `clausematch placements accept` (lifecycle::AcceptProposals) on a dataset folder.
// Each write of a person's placement is audited.
#include <cstdint>
#include <optional>
#include <string>

#include "lifecycle/placements.hpp"
#include "service/access.hpp"
#include "store/store.hpp"

namespace clausematch::service {

// The eligibility judge of every placement path (decisions, hires, `clausematch placements
// accept`): matcher::CheckEligibility at the hire date H, decided on `decided_on` (proofs valid
// that day and lapsing before H are renewable: the placement is kept with conditions). Only the
// clause's rules are judged here — publics (a)-(d), a derogation included, and QPV-only; the
// person's status and other placements are the hire's own checks, and consent to be proposed,
// availability and licences are the people's call once someone is hired. A refusal is
// {"/participant_id", "not_eligible", why, at which date}; an admission carries the snapshot.
lifecycle::EntryJudgement EligibilityAtHire(const model::Contract& contract, const model::Opening& opening,
                                            const model::Participant& person, model::Date hire_date,
                                            model::Date decided_on);

// Every placement on the openings of `contract`, by id.
std::vector<model::Placement> PlacementsOfContract(store::Session& s, model::ContractId contract);

struct DecisionRequest {
  std::int64_t batch = 0;
  std::int64_t proposal = 0;
  store::Decision decision = store::Decision::kAccepted;  // accepted or declined
  std::string reason;
  // Terms of the placement an acceptance creates (opening and participant are the proposal's);
  // unset ones take the opening's defaults (lifecycle::TermsFor); terms.decided_on is the day of
  // the decision (the hire date defaults to max(it, opening start)).
  lifecycle::Acceptance terms;
};

struct DecisionResult {
  store::Proposal proposal;
  std::optional<model::Participant> person;   // null when the record is gone
  std::optional<model::Placement> placement;  // the accepted placement an acceptance created
};

// The facilitator's decision on a pending proposal of one of its runs. Refusals: kNotFound (batch
// or proposal), kConflict (already decided; the opening is no longer open or has no free position;
// the person is no longer active or is placed over the dates), kInvalid (terms).
DecisionResult DecideProposal(store::Session& s, const Caller& caller, const DecisionRequest& request);

// A hire recorded directly on an opening of the caller's contracts, of a person the caller was
// shown for that opening (a proposal of its runs for it, or a shortlist of it read in its audit
// log), decided on acceptance.decided_on. Refusals: kInvalid naming /opening_id, /participant_id
// (not_eligible when the person does not count for the clause at the hire date), /hire_date or the
// terms. A facilitator is not told whether a person exists, is active or is placed elsewhere (one
// "not_available" problem); an admin is.
model::Placement HireDirectly(store::Session& s, const Caller& caller, const lifecycle::Acceptance& acceptance);

// The hire of an accepted placement (a decided proposal), on its terms or those given, on its
// hire date unless terms.hire_date moves it (no earlier than the acceptance). Eligibility is judged
// again at the hire date on the person's current record (a renewed proof lifts its condition) and
// the snapshot replaced. Refusals: kNotFound, kConflict (not accepted; the person is hired
// elsewhere over the dates), kInvalid (terms, hire date, not eligible at the hire date).
model::Placement HireAccepted(store::Session& s, const Caller& caller, model::PlacementId id,
                              const lifecycle::Acceptance& terms, model::Date today);

}  // namespace clausematch::service
