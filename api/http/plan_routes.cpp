// POST /v1/contracts/{id}/plan: sizes the contract's clause and splits its hours into draft
// openings (service::PlanStoredContract, the same rule as `clausematch contract plan`); with
// "apply": true the sizing is recorded and the drafts are created (201), else a preview (200).
#include "api/http/access.hpp"
#include "api/http/fields.hpp"
#include "data/json_codec.hpp"
#include "service/plan.hpp"

namespace clausematch::api::http {
namespace {

using nlohmann::json;

json SizingJson(const service::PlanResult& r) {
  return {{"amount_excl_vat_eur", r.input.amount_excl_vat_eur},
          {"labour_share", r.input.labour_share},
          {"labour_share_source", r.labour_share_source},
          {"insertion_rate", r.input.insertion_rate},
          {"hourly_cost_eur", r.input.hourly_cost_eur},
          {"labour_amount_eur", r.sizing.labour_amount_eur},
          {"insertion_amount_eur", r.sizing.insertion_amount_eur},
          {"exact_hours", r.sizing.exact_hours},
          {"hours", r.sizing.hours}};
}

json PlanJson(model::ContractId id, bool applied, const service::PlanResult& r) {
  json openings = json::array();
  if (r.plan)
    for (const auto& planned : r.plan->openings) {
      json j = data::ToJson(planned.opening);
      if (!applied) j.erase("id");
      j["planned_hours"] = planned.hours;
      j["weeks"] = planned.weeks;
      j["capacity_hours"] = planned.capacity_hours;
      openings.push_back(std::move(j));
    }
  return {
      {"contract_id", id.value()}, {"applied", applied}, {"sizing", SizingJson(r)}, {"openings", std::move(openings)}};
}

// The trades of a plan request ("/trades/i/...").
std::vector<lifecycle::TradeShare> TradesField(const json& body, const model::Referential& ref,
                                               model::Problems& problems) {
  std::vector<lifecycle::TradeShare> trades;
  auto it = body.find("trades");
  if (it == body.end()) return trades;
  if (!it->is_array() || it->size() > 50) {
    problems.push_back({"/trades", "type", "at most 50 trades"});
    return trades;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& t = (*it)[i];
    const std::string base = "/trades/" + std::to_string(i);
    if (!t.is_object()) {
      problems.push_back({base, "type", "an object"});
      continue;
    }
    model::Problems local;
    lifecycle::TradeShare share;
    const auto code = IdField(t, "appellation", local);
    const auto* a = code ? ref.FindAppellation(*code) : nullptr;
    if (a == nullptr) {
      local.push_back({"/appellation", "invalid_value", "a ROME appellation code"});
    } else {
      share.appellation = a->code;
      share.fiche = a->fiche;
    }
    share.share = NumberField(t, "share", local);
    share.weekly_hours = NumberField(t, "weekly_hours", local);
    share.contract_type = EnumField<model::ContractType>(t, "contract_type", local);
    share.start = DateField("/start", t.contains("start") ? &t["start"] : nullptr, local);
    share.end = DateField("/end", t.contains("end") ? &t["end"] : nullptr, local);
    model::PrefixFields(local, base);
    problems.insert(problems.end(), local.begin(), local.end());
    trades.push_back(share);
  }
  return trades;
}

}  // namespace

void AddPlanRoutes(Router& router, App& app) {
  router
      .Add("POST", "/v1/contracts/{id}/plan", {store::Role::kFacilitator, store::Role::kAdmin},
           [&app](Call& call) {
             const model::ContractId id(call.PathId("id"));
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             service::PlanRequest request;
             request.labour_share = NumberField(body, "labour_share", problems);
             const auto insertion_rate = NumberField(body, "insertion_rate", problems);
             if (!insertion_rate && !body.contains("insertion_rate"))
               problems.push_back({"/insertion_rate", "required", "the clause's insertion rate"});
             request.insertion_rate = insertion_rate.value_or(0);
             request.hourly_cost_eur = NumberField(body, "hourly_cost_eur", problems).value_or(30);
             request.defaults.weekly_hours = NumberField(body, "weekly_hours", problems).value_or(35);
             request.defaults.contract_type =
                 EnumField<model::ContractType>(body, "contract_type", problems).value_or(model::ContractType::kCdd);
             const bool apply = BoolField(body, "apply", problems).value_or(false);
             request.trades = TradesField(body, *app.referential, problems);
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid plan request", problems);
             const auto table = lifecycle::LabourShareTable::Defaults();
             auto plan = [&](store::Session& s) {
               const auto result =
                   service::PlanStoredContract(s, CallerOf(call), id, request, apply, table, *app.referential);
               return PlanJson(id, apply, result);
             };
             if (!apply) {
               call.Reply(200, app.store.Read(plan));
               return;
             }
             CreateIdempotent(call, [&](store::Session& s) { return Created{201, plan(s)}; });
           })
      .consumes = {"application/json"};
}

}  // namespace clausematch::api::http
