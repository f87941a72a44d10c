// Placements over HTTP: a hire recorded directly, reading placements, the hire of an accepted
// placement, monthly hours with their caps and correction history, and the situations 6 and 12
// months after entry. Hires go through service/placements.hpp (the rules of
// `clausematch placements accept`); hours and outcomes through lifecycle::RecordHours and
// RecordOutcome (those of `hours import` and `outcomes import`).
//
// Who: facilitators of the contract's organisation (admins: every organisation). A placement ties a
// person to a job: reads and writes of placements are audited like candidate reads.
#include <algorithm>
#include <cstdio>

#include "api/http/access.hpp"
#include "api/http/fields.hpp"
#include "api/http/views.hpp"
#include "api/json/batch_json.hpp"
#include "data/json_codec.hpp"
#include "lifecycle/hours.hpp"
#include "lifecycle/placements.hpp"
#include "service/placements.hpp"

namespace clausematch::api::http {
namespace {

using nlohmann::json;
using store::Role;

model::Placement OwnPlacement(const Call& call, store::Session& s, std::uint32_t id,
                              model::Contract* contract = nullptr) {
  return service::OwnPlacement(CallerOf(call), s, model::PlacementId(id), contract);
}

// A report's subcontracting amount, when its hours were converted from one.
json AmountView(const model::MonthlyHours& h) {
  if (!h.amount) return nullptr;
  return {{"amount_eur", h.amount->amount_eur},
          {"labour_share", h.amount->labour_share},
          {"hourly_cost_eur", h.amount->hourly_cost_eur}};
}

std::string MonthText(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

// The placement as stored; its eligibility snapshot in full for an admin (a funder's control asks
// on which criterion, proven when and by whom, the person was counted), and for a facilitator only
// what it was shown when deciding: the basis, the criteria it rests on and the conditions — never
// proof dates (docs/privacy.md).
json PlacementView(const model::Placement& p, bool admin) {
  json j = data::ToJson(p);
  if (p.eligibility) {
    std::vector<matcher::Condition> conditions;
    for (const auto& c : p.eligibility->conditions)
      conditions.push_back({matcher::ConditionCode::kProofToRenew, c.criterion, c.renew_by});
    if (admin) {
      j["eligibility"]["conditions"] = api::json::ConditionsJson(conditions);
    } else {
      j["eligibility"] = {{"judged_on", p.eligibility->judged_on.ToString()},
                          {"hire_date", p.eligibility->hire_date.ToString()},
                          {"basis", p.eligibility->basis},
                          {"eligible_by", api::json::CriteriaJson(p.eligibility->eligible_by)},
                          {"conditions", api::json::ConditionsJson(conditions)}};
    }
  }
  json effective = json::array();
  for (const auto& h : lifecycle::EffectiveHours(p)) {
    json month{{"month", MonthText(h.year, h.month)}, {"hours", h.hours}, {"reported_on", h.reported_on.ToString()}};
    if (h.amount) month["amount"] = AmountView(h);
    effective.push_back(std::move(month));
  }
  j["effective_hours"] = std::move(effective);
  j["hours_worked"] = lifecycle::HoursWorked(p);
  return j;
}

}  // namespace

void AddPlacementRoutes(Router& router, App& app) {
  const std::vector<Role> facilitators{Role::kFacilitator, Role::kAdmin};

  // A hire from a shortlist or any accepted mise en relation: the placement is recorded as hired.
  router
      .Add("POST", "/v1/placements", facilitators,
           [&app](Call& call) {
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             const auto opening_id = IdField(body, "opening_id", problems);
             const auto participant_id = IdField(body, "participant_id", problems);
             if (!opening_id && body.find("opening_id") == body.end())
               problems.push_back({"/opening_id", "required", "the opening of the hire"});
             if (!participant_id && body.find("participant_id") == body.end())
               problems.push_back({"/participant_id", "required", "the person hired"});
             auto terms = TermsField(body, problems);
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid placement", problems);
             terms.opening = model::OpeningId(*opening_id);
             terms.participant = model::ParticipantId(*participant_id);
             terms.decided_on = app.Today();
             CreateIdempotent(call, [&](store::Session& s) {
               const auto placement = service::HireDirectly(s, CallerOf(call), terms);
               call.res.set_header("Location", "/v1/placements/" + std::to_string(placement.id.value()));
               return Created{201, PlacementView(placement, call.IsAdmin())};
             });
           })
      .consumes = {"application/json"};

  router.Add("GET", "/v1/placements/{id}", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto view = app.store.Write([&](store::Session& s) {
      auto p = OwnPlacement(call, s, id);
      call.Audit(s, "read_placement", p.participant.value());
      return PlacementView(p, call.IsAdmin());
    });
    call.Reply(200, view);
  });

  router.Add("GET", "/v1/contracts/{id}/placements", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    const auto page = ParsePage(call);
    auto placements = app.store.Write([&](store::Session& s) {
      OwnContract(call, s, id);
      auto list = s.ListPlacementsOfContract(model::ContractId(id), page.after, page.limit);
      for (const auto& p : list) call.Audit(s, "read_placement", p.participant.value());
      return list;
    });
    json items = json::array();
    for (const auto& p : placements) items.push_back(PlacementView(p, call.IsAdmin()));
    call.Reply(200,
               PageOf(std::move(items),
                      placements.empty() ? std::nullopt : std::optional<std::int64_t>(placements.back().id.value()),
                      page.limit));
  });

  // An accepted placement (a batch proposal the facilitator accepted) becomes a hire.
  router
      .Add("POST", "/v1/placements/{id}/hire", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             const auto terms = TermsField(body, problems);
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid hire", problems);
             auto view = app.store.Write([&](store::Session& s) {
               return PlacementView(
                   service::HireAccepted(s, CallerOf(call), model::PlacementId(id), terms, app.Today()),
                   call.IsAdmin());
             });
             call.Reply(200, view);
           })
      .consumes = {"application/json"};

  // One monthly report; a report for a month already reported is a correction (history kept). A
  // subcontracting placement may report the amount invoiced instead (amount_eur, with an optional
  // labour_share and hourly_cost_eur), converted by lifecycle::RecordAmount as `hours import` does.
  router
      .Add("POST", "/v1/placements/{id}/hours", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             model::MonthlyHours report;
             const auto month_text = TextField(body, "month", problems, 7);
             if (const auto d = model::Date::Parse(month_text + "-01"); month_text.size() == 7 && d) {
               report.year = d->year();
               report.month = static_cast<int>(static_cast<unsigned>(d->ymd().month()));
             } else if (problems.empty()) {  // else /month is already named (not a text)
               problems.push_back({"/month", month_text.empty() ? "required" : "invalid_format", "a month YYYY-MM"});
             }
             const auto given = [&](const char* f) { return body.contains(f) && !body[f].is_null(); };
             const auto hours = NumberField(body, "hours", problems);
             const auto amount = NumberField(body, "amount_eur", problems);
             if (given("hours") && given("amount_eur"))
               problems.push_back({"/amount_eur", "conflict", "give hours or amount_eur, not both"});
             else if (!given("hours") && !given("amount_eur"))
               problems.push_back(
                   {"/hours", "required", "hours worked (or, on a subcontracting placement, amount_eur)"});
             lifecycle::AmountReport amount_report;
             amount_report.labour_share = NumberField(body, "labour_share", problems);
             amount_report.hourly_cost_eur = NumberField(body, "hourly_cost_eur", problems);
             for (const char* f : {"labour_share", "hourly_cost_eur"})
               if (given(f) && !given("amount_eur"))
                 problems.push_back({std::string("/") + f, "unexpected", "only with amount_eur"});
             report.hours = hours.value_or(0);
             report.reported_on = app.Today();
             if (body.contains("reported_on"))
               if (auto d = DateField("/reported_on", &body["reported_on"], problems)) report.reported_on = *d;
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid hours report", problems);
             amount_report.year = report.year;
             amount_report.month = report.month;
             amount_report.amount_eur = amount.value_or(0);
             amount_report.reported_on = report.reported_on;
             CreateIdempotent(call, [&](store::Session& s) {
               model::Contract contract;
               auto p = OwnPlacement(call, s, id, &contract);
               const bool correction = std::any_of(p.hours.begin(), p.hours.end(), [&](const auto& h) {
                 return h.year == report.year && h.month == report.month;
               });
               auto found = amount ? lifecycle::RecordAmount(p, &contract, amount_report, {}, app.Today())
                                   : lifecycle::RecordHours(p, report, {}, app.Today());
               if (!found.empty()) throw ApiError(ErrorCode::kValidation, "the report is refused", found);
               s.UpdatePlacement(p);
               call.Audit(s, "report_hours", p.participant.value());
               const auto cap = lifecycle::CapForMonth(p, report.year, report.month);
               const auto& recorded = p.hours.back();
               json view = PlacementView(p, call.IsAdmin());
               view["report"] = {{"month", MonthText(report.year, report.month)},
                                 {"hours", recorded.hours},
                                 {"reported_on", report.reported_on.ToString()},
                                 {"correction", correction},
                                 {"working_days", cap.working_days},
                                 {"planned_hours", cap.planned_hours},
                                 {"max_hours", cap.max_hours}};
               if (recorded.amount) view["report"]["amount"] = AmountView(recorded);
               return Created{201, view};
             });
           })
      .consumes = {"application/json"};

  // The situation 6 or 12 months after entry; a later record for the same horizon corrects it.
  router
      .Add("POST", "/v1/placements/{id}/outcomes", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             model::OutcomeRecord record;
             const auto months = NumberField(body, "months_after_entry", problems);
             if (!months && !body.contains("months_after_entry"))
               problems.push_back({"/months_after_entry", "required", "6 or 12"});
             record.months_after_entry = months && (*months == 6 || *months == 12) ? static_cast<int>(*months) : 0;
             const auto outcome = EnumField<model::Outcome>(body, "outcome", problems);
             if (!outcome && !body.contains("outcome")) problems.push_back({"/outcome", "required", "the situation"});
             record.outcome = outcome.value_or(model::Outcome::kAutre);
             record.recorded_on = app.Today();
             if (body.contains("recorded_on"))
               if (auto d = DateField("/recorded_on", &body["recorded_on"], problems)) record.recorded_on = *d;
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid outcome", problems);
             CreateIdempotent(call, [&](store::Session& s) {
               auto p = OwnPlacement(call, s, id);
               auto found = lifecycle::RecordOutcome(p, record, app.Today());
               if (!found.empty()) throw ApiError(ErrorCode::kValidation, "the outcome is refused", found);
               s.UpdatePlacement(p);
               call.Audit(s, "record_outcome", p.participant.value());
               return Created{201, PlacementView(p, call.IsAdmin())};
             });
           })
      .consumes = {"application/json"};
}

}  // namespace clausematch::api::http
