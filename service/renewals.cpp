#include "service/renewals.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace clausematch::service {

std::string_view Code(RenewalSource source) {
  switch (source) {
    case RenewalSource::kProposal:
      return "proposal";
    case RenewalSource::kAccepted:
      return "accepted";
    case RenewalSource::kShortlist:
      return "shortlist";
  }
  return "proposal";
}

std::vector<RenewalCandidate> AcceptedCandidates(const model::Dataset& data) {
  std::vector<RenewalCandidate> out;
  for (const auto& p : data.placements)
    if (p.status == model::PlacementStatus::kAccepted)
      out.push_back({p.participant, p.opening, RenewalSource::kAccepted, 0});
  return out;
}

std::vector<Renewal> ComputeRenewals(const model::Dataset& data, std::span<const RenewalCandidate> candidates,
                                     model::Date today, const std::function<bool(const model::Participant&)>& mine) {
  // One entry per pair, the first source in enum order (a proposal before a shortlist).
  std::map<std::pair<model::ParticipantId, model::OpeningId>, const RenewalCandidate*> pairs;
  for (const auto& c : candidates) {
    auto [it, inserted] = pairs.emplace(std::pair(c.participant, c.opening), &c);
    if (!inserted && c.source < it->second->source) it->second = &c;
  }
  std::vector<Renewal> out;
  for (const auto& [key, c] : pairs) {
    const auto* person = data.FindParticipant(key.first);
    const auto* opening = data.FindOpening(key.second);
    if (person == nullptr || opening == nullptr || !mine(*person)) continue;
    // Still to be hired: an open opening (or one an accepted placement just filled).
    const bool filled_by_it = c->source == RenewalSource::kAccepted && opening->status == model::OpeningStatus::kFilled;
    if (opening->status != model::OpeningStatus::kOpen && !filled_by_it) continue;
    const auto* contract = data.FindContract(opening->contract);
    if (contract == nullptr) continue;
    // The person's own placement on this opening (an accepted one) is no reason to refuse here.
    const auto verdict = matcher::CheckEligibility(*person, *contract, *opening, today);
    for (const auto& condition : verdict.conditions())
      out.push_back(
          {person->id, person->external_ref, person->prescriber_org, opening->id, c->source, c->batch, condition});
  }
  std::sort(out.begin(), out.end(), [](const Renewal& a, const Renewal& b) {
    if (a.condition.renew_by != b.condition.renew_by) return a.condition.renew_by < b.condition.renew_by;
    if (a.participant != b.participant) return a.participant < b.participant;
    if (a.opening != b.opening) return a.opening < b.opening;
    return a.condition.criterion < b.condition.criterion;
  });
  return out;
}

std::vector<Renewal> ListRenewals(store::Store& store, MatchingView& matching, const Caller& caller, model::Date today,
                                  std::size_t after, std::size_t limit) {
  const auto view = matching.Get(today);
  const auto& data = *view->data;
  std::vector<RenewalCandidate> candidates;
  store.Read([&](store::Session& s) {
    for (const auto& p : s.ListPendingProposals())
      candidates.push_back({p.participant, p.opening, RenewalSource::kProposal, p.batch});
    for (const auto& [person, opening] : s.ListShortlisted())
      candidates.push_back({person, opening, RenewalSource::kShortlist, 0});
  });
  for (auto& c : AcceptedCandidates(data)) candidates.push_back(c);
  auto out = ComputeRenewals(data, candidates, today,
                             [&](const model::Participant& p) { return caller.Sees(p.prescriber_org); });
  const auto first = std::min(after, out.size());
  const auto last = first + std::min(limit, out.size() - first);
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(last), out.end());
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first));
  std::set<model::ParticipantId> listed;
  for (const auto& r : out) listed.insert(r.participant);
  if (!listed.empty())
    store.Write([&](store::Session& s) {
      for (const auto id : listed) caller.Audit(s, "renewals", id);
    });
  return out;
}

}  // namespace clausematch::service
