// Contracts and their openings: a facilitator creates, reads, lists, opens (drafts) and closes its
// own, with worksites inside its territory (service/territory.hpp). No personal data here, so
// nothing is audited.
#include "api/http/access.hpp"
#include "api/http/views.hpp"
#include "data/json_codec.hpp"
#include "service/plan.hpp"
#include "service/territory.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

std::optional<model::ContractStatus> ContractStatusFilter(const Call& call) {
  auto v = call.Query("status");
  if (!v) return std::nullopt;
  auto s = model::ParseEnum<model::ContractStatus>(*v);
  if (!s)
    throw ApiError(ErrorCode::kBadRequest, "unknown status", {{"status", "invalid_value", "draft, open or closed"}});
  return s;
}

}  // namespace

void AddContractRoutes(Router& router, App& app) {
  const std::vector<Role> facilitators{Role::kFacilitator, Role::kAdmin};

  router
      .Add("POST", "/v1/contracts", facilitators,
           [&app](Call& call) {
             auto body = call.JsonBody();
             const auto org = OrgForCreate(call, body, "facilitator_org");
             model::Problems problems;
             if (body.is_object()) {
               body["facilitator_org"] = org;
               body.erase("id");
             }
             auto contract = data::ContractFromJson(body, app.referential.get(), problems);
             if (!contract) throw ApiError(ErrorCode::kValidation, "invalid contract", problems);
             contract->facilitator_org = org;
             CreateIdempotent(call, [&](store::Session& s) {
               service::RequireWorksiteInTerritory(s, org, *contract, nullptr, *app.referential);
               s.InsertContract(*contract);
               call.res.set_header("Location", "/v1/contracts/" + std::to_string(contract->id.value()));
               return Created{201, data::ToJson(*contract)};
             });
           })
      .consumes = {"application/json"};

  router.Add("GET", "/v1/contracts", facilitators, [&app](Call& call) {
    const auto page = ParsePage(call);
    store::ContractQuery q;
    q.after = page.after;
    q.limit = page.limit;
    q.status = ContractStatusFilter(call);
    if (call.IsAdmin()) {
      if (auto org = call.Query("org")) q.org = *org;
    } else {
      q.org = call.key->org;
    }
    auto contracts = app.store.Read([&](store::Session& s) { return s.ListContracts(q); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& c : contracts) items.push_back(data::ToJson(c));
    call.Reply(200, PageOf(std::move(items),
                           contracts.empty() ? std::nullopt : std::optional<std::int64_t>(contracts.back().id.value()),
                           page.limit));
  });

  router.Add("GET", "/v1/contracts/{id}", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    call.Reply(200, data::ToJson(app.store.Read([&](store::Session& s) { return OwnContract(call, s, id); })));
  });

  // Closing a contract closes its openings that are still open.
  router.Add("POST", "/v1/contracts/{id}/close", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto closed = app.store.Write([&](store::Session& s) {
      auto c = OwnContract(call, s, id);
      if (c.status != model::ContractStatus::kClosed) {
        c.status = model::ContractStatus::kClosed;
        s.UpdateContract(c);
        for (std::uint32_t after = 0;;) {
          auto openings = s.ListOpenings(c.id, after, 500);
          if (openings.empty()) break;
          for (auto& o : openings) {
            after = o.id.value();
            if (o.status == model::OpeningStatus::kOpen || o.status == model::OpeningStatus::kDraft) {
              o.status = model::OpeningStatus::kClosed;
              s.UpdateOpening(o);
            }
          }
        }
      }
      return c;
    });
    call.Reply(200, data::ToJson(closed));
  });

  router
      .Add("POST", "/v1/contracts/{id}/openings", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             auto body = call.JsonBody();
             CreateIdempotent(call, [&](store::Session& s) {
               auto contract = OwnContract(call, s, id);
               if (contract.status == model::ContractStatus::kClosed)
                 throw ApiError(ErrorCode::kConflict, "the contract is closed");
               model::Problems problems;
               if (body.is_object()) {
                 if (auto it = body.find("contract");
                     it != body.end() && !(it->is_number_unsigned() && it->get<std::uint64_t>() == id))
                   problems.push_back({"/contract", "forbidden_value", "must be " + std::to_string(id) + " or absent"});
                 body["contract"] = id;
                 body.erase("id");
               }
               auto opening = data::OpeningFromJson(body, app.referential.get(), &contract, problems);
               if (!opening || !problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid opening", problems);
               opening->contract = contract.id;
               service::RequireWorksiteInTerritory(s, contract.facilitator_org, contract, &*opening, *app.referential);
               s.InsertOpening(*opening);
               call.res.set_header("Location", "/v1/openings/" + std::to_string(opening->id.value()));
               return Created{201, data::ToJson(*opening)};
             });
           })
      .consumes = {"application/json"};

  router.Add("GET", "/v1/contracts/{id}/openings", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    const auto page = ParsePage(call);
    auto openings = app.store.Read([&](store::Session& s) {
      OwnContract(call, s, id);
      return s.ListOpenings(model::ContractId(id), page.after, page.limit);
    });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& o : openings) items.push_back(data::ToJson(o));
    call.Reply(200, PageOf(std::move(items),
                           openings.empty() ? std::nullopt : std::optional<std::int64_t>(openings.back().id.value()),
                           page.limit));
  });

  router.Add("GET", "/v1/openings/{id}", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    call.Reply(200, data::ToJson(app.store.Read([&](store::Session& s) { return OwnOpening(call, s, id); })));
  });

  // A draft opening (from the clause plan) opens once checked against its contract's dates
  // (service::OpenStoredOpening, the rule of `clausematch opening open`); an open one stays open; a
  // filled or closed one cannot open again.
  router.Add("POST", "/v1/openings/{id}/open", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto opened = app.store.Write(
        [&](store::Session& s) { return service::OpenStoredOpening(s, CallerOf(call), model::OpeningId(id)); });
    call.Reply(200, data::ToJson(opened));
  });

  router.Add("POST", "/v1/openings/{id}/close", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto closed = app.store.Write([&](store::Session& s) {
      auto o = OwnOpening(call, s, id);
      if (o.status != model::OpeningStatus::kClosed) {
        o.status = model::OpeningStatus::kClosed;
        s.UpdateOpening(o);
      }
      return o;
    });
    call.Reply(200, data::ToJson(closed));
  });
}

}  // namespace clausematch::api::http
