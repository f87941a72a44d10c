#pragma once
// What each role sees, and the small helpers every list endpoint shares.
//
// A facilitator never reads a participant record: it sees candidates through CandidateView, the
// minimum a mise en relation needs (docs/privacy.md lists the fields and why). No birth date, no
// last name, no contact details, no coordinates, and of the eligibility criteria only those the
// person's eligibility for this clause rests on.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/criteria.hpp"
#include "model/participant.hpp"
#include "model/referential.hpp"

namespace clausematch::api::http {

class Call;

nlohmann::json CandidateView(const model::Participant& p, model::CriterionSet eligible_by,
                             const model::Referential& ref);

// ?limit= (1..500, default 50) and ?cursor= (the opaque next_cursor of the previous page).
struct PageRequest {
  std::uint32_t after = 0;
  int limit = 50;
};
PageRequest ParsePage(const Call& call);
// {"items": items, "next_cursor": id of the last item when the page is full, else null}.
nlohmann::json PageOf(nlohmann::json items, std::optional<std::int64_t> last_id, int limit);

}  // namespace clausematch::api::http
