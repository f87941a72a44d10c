// Reporting over HTTP: a contract's fulfilment (hours forecast vs realised) and the funders'
// indicators (service/indicators.hpp: the same query rule and scope as `clausematch indicators`).
// The indicators are aggregates with small counts suppressed and no participant id.
#include <cstdlib>
#include <sstream>

#include "api/http/access.hpp"
#include "api/http/attestation_routes.hpp"
#include "api/json/indicator_formats.hpp"
#include "lifecycle/fulfilment.hpp"
#include "service/indicators.hpp"
#include "service/placements.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

nlohmann::json FulfilmentJson(const lifecycle::Fulfilment& f) {
  return {{"forecast_hours", f.forecast},
          {"realised_hours", f.realised},
          {"remaining_hours", f.remaining},
          {"percent", f.percent ? nlohmann::json(*f.percent) : nlohmann::json(nullptr)},
          {"placements", f.placements}};
}

}  // namespace

void AddReportRoutes(Router& router, App& app) {
  const std::vector<Role> facilitators{Role::kFacilitator, Role::kAdmin};
  AddAttestationRoutes(router, app);

  router.Add("GET", "/v1/contracts/{id}/fulfilment", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    std::optional<model::Date> up_to;
    if (auto v = call.Query("up_to")) {
      up_to = model::Date::Parse(*v);
      if (!up_to)
        throw ApiError(ErrorCode::kBadRequest, "up_to is a date", {{"up_to", "invalid_format", "YYYY-MM-DD"}});
    }
    model::Dataset d = app.store.Read([&](store::Session& s) {
      model::Dataset one;
      one.contracts.push_back(OwnContract(call, s, id));
      one.placements = service::PlacementsOfContract(s, model::ContractId(id));
      return one;
    });
    d.Index();
    const auto report = lifecycle::ComputeFulfilment(d, up_to);
    const auto& c = report.contracts.at(0);
    nlohmann::json by_route = nlohmann::json::object();
    for (const auto& [route, hours] : c.realised_by_route) by_route[std::string(model::Code(route))] = hours;
    nlohmann::json body = FulfilmentJson(c.fulfilment);
    body["contract_id"] = id;
    body["reference"] = c.reference;
    body["holder"] = c.holder;
    body["up_to"] = up_to ? nlohmann::json(up_to->ToString()) : nlohmann::json(nullptr);
    body["realised_by_route"] = std::move(by_route);
    call.Reply(200, body);
  });

  // The funders' indicators of the caller's contracts (an admin: every organisation, or ?org=).
  router.Add("GET", "/v1/indicators", facilitators, [&app](Call& call) {
    model::Problems problems;
    lifecycle::IndicatorQuery q;
    auto date = [&](const char* name) -> std::optional<model::Date> {
      auto v = call.Query(name);
      if (!v) return std::nullopt;
      auto d = model::Date::Parse(*v);
      if (!d) problems.push_back({name, "invalid_format", "a date YYYY-MM-DD"});
      return d;
    };
    q.from = date("from");
    q.to = date("to");
    q.departement = call.Query("departement").value_or("");
    q.region = call.Query("region").value_or("");
    if (auto basis = call.Query("territory_of")) {
      if (auto parsed = lifecycle::ParseTerritoryBasis(*basis))
        q.territory_of = *parsed;
      else
        problems.push_back({"territory_of", "invalid_value", "worksite or residence"});
    }
    if (auto t = call.Query("threshold")) {
      const int v = std::atoi(t->c_str());
      if (std::to_string(v) != *t)
        problems.push_back({"threshold", "invalid_format", "an integer"});
      else
        q.threshold = v;
    }
    if (problems.empty()) problems = service::CheckIndicatorQuery(q, *app.referential);
    const bool decimal_comma = call.Query("decimal_comma").value_or("false") == "true";
    if (!problems.empty()) throw ApiError(ErrorCode::kBadRequest, "invalid indicator query", problems);
    std::optional<model::OrgCode> org;
    if (!call.IsAdmin())
      org = call.key->org;
    else if (auto o = call.Query("org"))
      org = *o;
    // The organisation's contracts, their openings and placements and the people placed.
    const model::Dataset d =
        app.store.snapshot().Read([&](const model::Dataset& all) { return service::ScopeToOrganisation(all, org); });
    const auto report = service::ComputeIndicators(d, *app.referential, app.siae.get(), q);
    if (call.req.get_header_value("Accept").find("text/csv") != std::string::npos) {
      std::ostringstream out;
      json::WriteIndicatorsCsv(out, report, decimal_comma);
      call.res.set_header("Content-Disposition", "attachment; filename=\"indicateurs.csv\"");
      call.Reply(200, out.str(), "text/csv; charset=utf-8");
      return;
    }
    call.Reply(200, json::IndicatorsJson(report).dump(), "application/json");
  });
}

}  // namespace clausematch::api::http
