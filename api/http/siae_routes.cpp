// GET /v1/contracts/{id}/siae: insertion structures near the contract's worksite whose activity
// fits its openings' trades, by kind, nearest first (service/siae.hpp, the rule of
// `clausematch siae --contract`). Public directory data: nothing audited.
#include <cstdlib>

#include "api/http/access.hpp"
#include "api/json/siae_json.hpp"
#include "service/siae.hpp"

namespace clausematch::api::http {

void AddSiaeRoutes(Router& router, App& app) {
  router.Add("GET", "/v1/contracts/{id}/siae", {store::Role::kFacilitator, store::Role::kAdmin}, [&app](Call& call) {
    const auto id = call.PathId("id");
    model::Problems problems;
    service::SiaeQuery query;
    if (auto v = call.Query("km")) {
      char* end = nullptr;
      query.km = std::strtod(v->c_str(), &end);
      if (end == v->c_str() || *end != '\0') query.km = -1;
    }
    if (auto v = call.Query("limit")) {
      query.limit = std::atoi(v->c_str());
      if (std::to_string(query.limit) != *v) query.limit = 0;
    }
    const auto any = call.Query("any_sector").value_or("false");
    if (any != "true" && any != "false") problems.push_back({"any_sector", "invalid_value", "true or false"});
    query.any_sector = any == "true";
    for (auto& p : service::CheckSiaeQuery(query)) problems.push_back(std::move(p));
    if (!problems.empty()) throw ApiError(ErrorCode::kBadRequest, "invalid SIAE query", problems);
    auto [contract, openings] = app.store.Read([&](store::Session& s) {
      auto c = OwnContract(call, s, id);
      std::vector<model::Opening> all;
      for (std::uint32_t after = 0;;) {
        auto page = s.ListOpenings(c.id, after, 500);
        if (page.empty()) break;
        after = page.back().id.value();
        all.insert(all.end(), page.begin(), page.end());
      }
      return std::pair{c, all};
    });
    if (!app.siae) throw ApiError(ErrorCode::kUnavailable, "the SIAE directory is not available on this server");
    const auto found = service::SourceForContract(*app.siae, contract, openings, *app.referential, query);
    nlohmann::json trades = nlohmann::json::array();
    for (const auto& t : service::TradesOf(openings, *app.referential)) trades.push_back(t.fiche.str());
    call.Reply(200, nlohmann::json{{"contract_id", id},
                                   {"trades", std::move(trades)},
                                   {"km", query.km},
                                   {"in_reach", found.in_reach},
                                   {"sector_mismatch", found.sector_mismatch},
                                   {"by_kind", json::SiaeByKindJson(found, query.limit)}});
  });
}

}  // namespace clausematch::api::http
