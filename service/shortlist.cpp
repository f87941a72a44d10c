#include "service/shortlist.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "service/error.hpp"
#include "service/territory.hpp"

namespace clausematch::service {

ShortlistResult ShortlistOpening(store::Store& store, MatchingView& matching, const Caller& caller,
                                 model::OpeningId opening, std::size_t k, model::Date today) {
  ShortlistResult out;
  out.view = matching.Get(today);
  const auto& data = *out.view->data;
  const auto* o = data.FindOpening(opening);
  const auto* contract = o ? data.FindContract(o->contract) : nullptr;
  if (contract == nullptr || !caller.Sees(contract->facilitator_org))
    throw Error(ErrorKind::kNotFound, "no such opening");
  // A facilitator sees the participants of the prescribers whose territory meets its own
  // (service/territory.hpp); an admin sees everyone.
  std::shared_ptr<const std::vector<std::uint8_t>> audience;
  if (!caller.admin()) {
    const auto who = store.Read([&](store::Session& s) { return AudienceOf(s, contract->facilitator_org); });
    audience = out.view->Mask(who.Key(), [&] { return AudienceMask(data, who); });
  }
  try {
    out.shortlist =
        out.view->matcher->MakeShortlist(opening, k, audience ? std::span(*audience) : std::span<const std::uint8_t>());
  } catch (const std::invalid_argument&) {
    throw Error(ErrorKind::kConflict, "the opening's contract or worksite cannot be resolved");
  }
  // Every candidate read, committed (synced) before the caller replies; concurrent shortlists share
  // the commit.
  std::vector<std::int64_t> read;
  read.reserve(out.shortlist.entries.size());
  for (const auto& e : out.shortlist.entries) read.push_back(e.participant.value());
  store.AuditDurably(caller.actor, "shortlist", "participant", read, caller.purpose, opening.value());
  return out;
}

}  // namespace clausematch::service
