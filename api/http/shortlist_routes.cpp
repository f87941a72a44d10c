// GET /v1/openings/{id}/shortlist?k=: the matching core's explained shortlist for one opening,
// each candidate shown through CandidateView and each read audited.
#include "api/http/access.hpp"
#include "api/http/views.hpp"
#include "api/json/batch_json.hpp"
#include "matcher/reach.hpp"
#include "service/shortlist.hpp"

namespace clausematch::api::http {
namespace {

constexpr int kDefaultK = 20;
constexpr int kMaxK = 200;

int ParseK(const Call& call) {
  auto text = call.Query("k");
  if (!text) return kDefaultK;
  const bool digits = !text->empty() && text->size() <= 3 && text->find_first_not_of("0123456789") == std::string::npos;
  const int k = digits ? std::stoi(*text) : 0;
  if (k < 1 || k > kMaxK)
    throw ApiError(ErrorCode::kBadRequest, "k must be an integer from 1 to 200",
                   {{"k", "out_of_range", "k must be an integer from 1 to 200"}});
  return k;
}

}  // namespace

void AddShortlistRoutes(Router& router, App& app) {
  router.Add("GET", "/v1/openings/{id}/shortlist", {store::Role::kFacilitator, store::Role::kAdmin},
             [&app](Call& call) {
               const auto id = call.PathId("id");
               const int k = ParseK(call);
               auto result = service::ShortlistOpening(app.store, app.matching, CallerOf(call), model::OpeningId(id),
                                                       static_cast<std::size_t>(k), app.Today());
               const auto& data = *result.view->data;
               const auto& shortlist = result.shortlist;
               nlohmann::json entries = nlohmann::json::array();
               int rank = 0;
               for (const auto& e : shortlist.entries) {
                 const auto& person = data.participants[e.participant_index];
                 nlohmann::json reasons = nlohmann::json::array();
                 nlohmann::json codes = nlohmann::json::array();
                 for (const auto& r : e.reasons) {
                   reasons.push_back(r.text);
                   codes.push_back(r.code);
                 }
                 entries.push_back({{"rank", ++rank},
                                    {"score", e.score},
                                    {"components", json::ComponentsJson(e.components)},
                                    {"basis", matcher::Code(e.basis)},
                                    {"conditions", json::ConditionsJson(e.conditions)},
                                    {"reasons", std::move(reasons)},
                                    {"reason_codes", std::move(codes)},
                                    {"distance_km", matcher::ShownKm(e.distance_km)},
                                    {"same_commune", e.same_commune},
                                    {"candidate", CandidateView(person, e.eligible_by, *app.referential)}});
               }
               nlohmann::json excluded = nlohmann::json::object();
               for (const auto& info : matcher::AllExclusionReasons())
                 excluded[std::string(info.code)] = shortlist.excluded[static_cast<std::size_t>(info.reason)];
               call.Reply(200, {{"opening_id", id},
                                {"hire_date", shortlist.hire_date.ToString()},
                                {"k", k},
                                {"population", shortlist.population},
                                {"in_reach", shortlist.in_reach},
                                {"eligible", shortlist.eligible},
                                {"subject_to_renewal", shortlist.conditional},
                                {"entries", std::move(entries)},
                                {"excluded", std::move(excluded)}});
             });
}

}  // namespace clausematch::api::http
