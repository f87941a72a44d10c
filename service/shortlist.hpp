#pragma once
// The explained shortlist of one opening on the server's data: the caller's own opening only
// (kNotFound otherwise), judged at `today` on the matching view, among the participants a
// facilitator may be shown (its audience, service/territory.hpp; an admin: everyone), every
// candidate read audited with the opening and synced before it is returned
// (store::Store::AuditDurably). `clausematch shortlist` runs the same
// matcher::Matcher::MakeShortlist on a dataset folder.
#include <cstddef>
#include <memory>

#include "matcher/matcher.hpp"
#include "service/access.hpp"
#include "service/matching_view.hpp"
#include "store/store.hpp"

namespace clausematch::service {

struct ShortlistResult {
  std::shared_ptr<const MatchingView::Current> view;  // holds the dataset the entries point into
  matcher::Shortlist shortlist;
};

// Refusals: kNotFound (no such opening, or another organisation's), kConflict (its contract or
// worksite cannot be resolved).
ShortlistResult ShortlistOpening(store::Store& store, MatchingView& matching, const Caller& caller,
                                 model::OpeningId opening, std::size_t k, model::Date today);

}  // namespace clausematch::service
