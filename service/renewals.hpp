#pragma once
// Prescribers act on conditional eligibility: the proofs their participants must renew before a
// hire. A person counts here for an opening when the opening is still open and they are
//   - on a pending batch proposal for it (source "proposal"),
//   - accepted on it and not yet hired (source "accepted"),
//   - or were read on its shortlist (source "shortlist", from the audit log),
// and, judged today at the opening's hire date H = max(today, start) (matcher::CheckEligibility),
// they are eligible subject to renewal: each condition is a row (criterion, renew_by = H). Judging
// today, not when the proposal was made, drops a condition as soon as the prescriber records the
// fresh proof. One rule for both doors: GET /v1/participants/renewals (a prescriber sees its own
// participants, an admin everyone's) and `clausematch renewals` (a batch's proposals file and the
// dataset's accepted placements).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/eligibility.hpp"
#include "model/dataset.hpp"
#include "service/access.hpp"
#include "service/matching_view.hpp"
#include "store/store.hpp"

namespace clausematch::service {

enum class RenewalSource : std::uint8_t { kProposal, kAccepted, kShortlist };
std::string_view Code(RenewalSource source);  // "proposal", "accepted", "shortlist"

// A (person, opening) pair a prescriber may have to act on.
struct RenewalCandidate {
  model::ParticipantId participant;
  model::OpeningId opening;
  RenewalSource source = RenewalSource::kProposal;
  std::int64_t batch = 0;  // the proposal's run (source proposal)
};

struct Renewal {
  model::ParticipantId participant;
  std::string external_ref;  // the prescriber's own reference for the person
  model::OrgCode prescriber_org;
  model::OpeningId opening;
  RenewalSource source = RenewalSource::kProposal;
  std::int64_t batch = 0;
  matcher::Condition condition;  // proof_to_renew: criterion, renew_by (the hire date)
};

// The rule (see the header comment) over `data` (indexed), for the candidates whose person
// `mine` accepts: one row per condition, by renew_by, participant id, opening id, criterion.
// A pair given by several sources is listed once, under the first source in enum order.
std::vector<Renewal> ComputeRenewals(const model::Dataset& data, std::span<const RenewalCandidate> candidates,
                                     model::Date today, const std::function<bool(const model::Participant&)>& mine);

// The accepted placements of `data` not yet hired, as candidates.
std::vector<RenewalCandidate> AcceptedCandidates(const model::Dataset& data);

// The server's list for `caller`: its own participants (a prescriber; an admin: all), from the
// pending proposals and shortlists in the store and the accepted placements of the snapshot,
// judged at `today`, in the order above. A page: the rows from position `after` (the number of
// rows already given), at most `limit` of them. The list is computed afresh at each call, so a
// page is exact for the day it is asked; a proof recorded between two pages shifts the rows after
// it (the next page may then repeat or skip a row: ask again from 0 to see the whole list). Each
// person on the page, and only there, has their read audited ("renewals").
std::vector<Renewal> ListRenewals(store::Store& store, MatchingView& matching, const Caller& caller, model::Date today,
                                  std::size_t after = 0, std::size_t limit = static_cast<std::size_t>(-1));

}  // namespace clausematch::service
