// Organisations' territories (service/territory.hpp): an admin lists them and sets the
// départements an organisation covers; an organisation reads its own. No personal data.
#include "api/http/access.hpp"
#include "api/http/fields.hpp"
#include "service/territory.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

nlohmann::json TerritoryJson(const model::OrgCode& org, const std::vector<std::string>& departements) {
  return {{"org", org}, {"departements", departements}};
}

// The organisation of the path: an admin names any, another caller only its own (404 otherwise,
// like any object of another organisation).
model::OrgCode PathOrg(const Call& call) {
  const auto& org = call.PathParam("org");
  if (org.empty() || org.size() > 64 || (!call.IsAdmin() && org != call.key->org))
    throw ApiError(ErrorCode::kNotFound, "no such organisation");
  return org;
}

}  // namespace

void AddOrganisationRoutes(Router& router, App& app) {
  router.Add("GET", "/v1/organisations", {Role::kAdmin}, [&app](Call& call) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [org, departements] : app.store.Read([](store::Session& s) { return s.ListTerritories(); }))
      items.push_back(TerritoryJson(org, departements));
    call.Reply(200, {{"items", std::move(items)}});
  });

  router.Add("GET", "/v1/organisations/{org}/territory", {}, [&app](Call& call) {
    const auto org = PathOrg(call);
    const auto territory = app.store.Read([&](store::Session& s) { return service::TerritoryOf(s, org); });
    call.Reply(200, TerritoryJson(org, territory.departements));
  });

  router
      .Add("PUT", "/v1/organisations/{org}/territory", {Role::kAdmin},
           [&app](Call& call) {
             const auto org = PathOrg(call);
             const auto body = call.JsonBody();
             RequireObject(body);
             const auto it = body.find("departements");
             std::vector<std::string> departements;
             if (it == body.end() || !it->is_array())
               throw ApiError(ErrorCode::kValidation, "invalid territory",
                              {{"/departements", "required",
                                "an array of département codes (\"59\", \"2A\"...), [\"*\"] for every one"}});
             if (it->size() > service::kMaxTerritoryDepartements)
               throw ApiError(ErrorCode::kValidation, "invalid territory",
                              {{"/departements", "too_many",
                                "at most " + std::to_string(service::kMaxTerritoryDepartements) + " codes"}});
             model::Problems problems;
             for (std::size_t i = 0; i < it->size(); ++i) {
               if ((*it)[i].is_string())
                 departements.push_back((*it)[i].get<std::string>());
               else
                 problems.push_back({"/departements/" + std::to_string(i), "type", "a département code"});
             }
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid territory", problems);
             const auto territory = app.store.Write([&](store::Session& s) {
               return service::SetTerritory(s, CallerOf(call), org, departements, *app.referential);
             });
             call.Reply(200, TerritoryJson(org, territory.departements));
           })
      .consumes = {"application/json"};
}

}  // namespace clausematch::api::http
