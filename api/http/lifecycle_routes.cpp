// The clause lifecycle over HTTP: sizing a contract's clause and planning its openings, hires
// (placements), monthly hours with their caps and correction history, fulfilment and the funders'
// indicators. Thin doors over lifecycle/ (the same functions as the CLI); docs/api.md and
// docs/lifecycle.md describe the rules.
//
// Who: facilitators of the contract's organisation (admins: every organisation). A placement ties a
// person to a job: reads and writes of placements are audited like candidate reads. The indicators
// are aggregates with small counts suppressed and no participant id.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_set>

#include "api/http/access.hpp"
#include "api/http/views.hpp"
#include "api/indicator_formats.hpp"
#include "data/json_codec.hpp"
#include "data/referential_loader.hpp"
#include "data/siae_loader.hpp"
#include "lifecycle/fulfilment.hpp"
#include "lifecycle/hours.hpp"
#include "lifecycle/indicators.hpp"
#include "lifecycle/placements.hpp"
#include "lifecycle/plan.hpp"
#include "lifecycle/siae_sourcing.hpp"
#include "lifecycle/sizing.hpp"

namespace clausematch::api::http {
namespace {

using nlohmann::json;
using store::Role;

model::Date Today() { return model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())); }

void RequireObject(const json& body) {
  if (!body.is_object()) throw ApiError(ErrorCode::kValidation, "expected a JSON object", {{"", "type", "an object"}});
}

// Field readers: a missing field is nullopt; a present one of the wrong type or value is a problem.
std::optional<double> Number(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    problems.push_back({std::string("/") + field, "type", "a number"});
    return std::nullopt;
  }
  return it->get<double>();
}

std::optional<std::uint32_t> Id(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() >= 0xffffffffULL) {
    problems.push_back({std::string("/") + field, "type", "a positive integer id"});
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

std::string Text(const json& body, const char* field, model::Problems& problems, std::size_t max = 200) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string() || it->get<std::string>().size() > max) {
    problems.push_back({std::string("/") + field, "type", "a text of at most " + std::to_string(max) + " bytes"});
    return {};
  }
  return it->get<std::string>();
}

std::optional<model::Date> DateField(const std::string& pointer, const json* value, model::Problems& problems) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  const auto d = value->is_string() ? model::Date::Parse(value->get<std::string>()) : std::nullopt;
  if (!d) problems.push_back({pointer, "invalid_format", "a date YYYY-MM-DD"});
  return d;
}

template <typename E>
std::optional<E> EnumField(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<E> v;
  if (it->is_string()) v = model::ParseEnum<E>(it->get<std::string>());
  if (!v) {
    std::string codes;
    for (const auto& e : model::Entries(E{})) codes += (codes.empty() ? "" : ", ") + std::string(e.code);
    problems.push_back({std::string("/") + field, "invalid_value", "one of " + codes});
  }
  return v;
}

// The terms a body gives for a hire (contract_type, route, employer, employer_siret).
lifecycle::Acceptance TermsFromBody(const json& body, model::Problems& problems) {
  lifecycle::Acceptance a;
  a.contract_type = EnumField<model::ContractType>(body, "contract_type", problems);
  a.route = EnumField<model::FulfilmentRoute>(body, "route", problems);
  a.employer = Text(body, "employer", problems);
  a.employer_siret = Text(body, "employer_siret", problems, 14);
  return a;
}

bool Sees(const Call& call, const model::OrgCode& org) { return call.IsAdmin() || call.key->org == org; }

// A placement is owned through its contract: another organisation's placement is a 404.
model::Placement OwnPlacement(const Call& call, store::Session& s, std::uint32_t id, model::Contract* contract) {
  auto p = s.FindPlacement(model::PlacementId(id));
  auto c = p ? s.FindContract(p->contract) : std::nullopt;
  if (!p || !c || !Sees(call, c->facilitator_org)) throw ApiError(ErrorCode::kNotFound, "no such placement");
  if (contract) *contract = *c;
  return *p;
}

std::string MonthText(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

json PlacementView(const model::Placement& p) {
  json j = data::ToJson(p);
  json effective = json::array();
  for (const auto& h : lifecycle::EffectiveHours(p))
    effective.push_back(
        {{"month", MonthText(h.year, h.month)}, {"hours", h.hours}, {"reported_on", h.reported_on.ToString()}});
  j["effective_hours"] = std::move(effective);
  j["hours_worked"] = lifecycle::HoursWorked(p);
  return j;
}

json SizingJson(const lifecycle::SizingInput& in, const lifecycle::Sizing& s) {
  return {{"amount_excl_vat_eur", in.amount_excl_vat_eur},
          {"labour_share", in.labour_share},
          {"insertion_rate", in.insertion_rate},
          {"hourly_cost_eur", in.hourly_cost_eur},
          {"labour_amount_eur", s.labour_amount_eur},
          {"insertion_amount_eur", s.insertion_amount_eur},
          {"exact_hours", s.exact_hours},
          {"hours", s.hours}};
}

json FulfilmentJson(const lifecycle::Fulfilment& f) {
  return {{"forecast_hours", f.forecast},
          {"realised_hours", f.realised},
          {"remaining_hours", f.remaining},
          {"percent", f.percent ? json(*f.percent) : json(nullptr)},
          {"placements", f.placements}};
}

// Every placement of a contract (pages of the store's list).
std::vector<model::Placement> AllPlacements(store::Session& s, model::ContractId contract) {
  std::vector<model::Placement> all;
  for (std::uint32_t after = 0;;) {
    auto page = s.ListPlacementsOfContract(contract, after, 500);
    if (page.empty()) break;
    after = page.back().id.value();
    for (auto& p : page) all.push_back(std::move(p));
  }
  return all;
}

// The SIAE directory and the NAF x ROME links of a reference folder, loaded once per folder. A
// missing or unreadable file gives an empty directory (the indicators then take kinds from routes,
// and sourcing finds nothing), never a failed request.
struct SiaeData {
  std::vector<model::Siae> directory;
  std::optional<lifecycle::SectorFit> fit;
};

const SiaeData& SiaeFor(const App& app) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<SiaeData>> cache;
  const std::string dir = app.options.reference_dir.empty() ? data::DefaultReferenceDir() : app.options.reference_dir;
  std::lock_guard lock(mutex);
  auto& slot = cache[dir];
  if (!slot) {
    slot = std::make_unique<SiaeData>();
    try {
      slot->directory = data::LoadSiaeDirectory(dir + "/siae/siae_le_marche_fixture.csv", app.referential.get());
      slot->fit.emplace(data::LoadNafRomeLinks(dir + "/rome"));
    } catch (const std::exception&) {
      slot->directory.clear();
      slot->fit.reset();
    }
  }
  return *slot;
}

}  // namespace

void AddLifecycleRoutes(Router& router, App& app) {
  const std::vector<Role> facilitators{Role::kFacilitator, Role::kAdmin};

  // Sizes the contract's clause and splits its hours into draft openings; with "apply": true the
  // sizing is recorded on the contract and the drafts are created (201), else a preview (200).
  router
      .Add("POST", "/v1/contracts/{id}/plan", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             const auto labour_share = Number(body, "labour_share", problems);
             const auto insertion_rate = Number(body, "insertion_rate", problems);
             const auto hourly_cost = Number(body, "hourly_cost_eur", problems);
             const auto weekly = Number(body, "weekly_hours", problems);
             const auto type = EnumField<model::ContractType>(body, "contract_type", problems);
             bool apply = false;
             if (auto it = body.find("apply"); it != body.end()) {
               if (!it->is_boolean())
                 problems.push_back({"/apply", "type", "true or false"});
               else
                 apply = it->get<bool>();
             }
             if (!insertion_rate) problems.push_back({"/insertion_rate", "required", "the clause's insertion rate"});
             std::vector<lifecycle::TradeShare> trades;
             if (auto it = body.find("trades"); it != body.end()) {
               if (!it->is_array() || it->size() > 50)
                 problems.push_back({"/trades", "type", "at most 50 trades"});
               else
                 for (std::size_t i = 0; i < it->size(); ++i) {
                   const auto& t = (*it)[i];
                   const std::string base = "/trades/" + std::to_string(i);
                   if (!t.is_object()) {
                     problems.push_back({base, "type", "an object"});
                     continue;
                   }
                   model::Problems local;
                   lifecycle::TradeShare share;
                   const auto code = Id(t, "appellation", local);
                   const auto* a = code ? app.referential->FindAppellation(*code) : nullptr;
                   if (a == nullptr)
                     local.push_back({"/appellation", "invalid_value", "a ROME appellation code"});
                   else {
                     share.appellation = a->code;
                     share.fiche = a->fiche;
                   }
                   share.share = Number(t, "share", local);
                   share.weekly_hours = Number(t, "weekly_hours", local);
                   share.contract_type = EnumField<model::ContractType>(t, "contract_type", local);
                   share.start = DateField("/start", t.contains("start") ? &t["start"] : nullptr, local);
                   share.end = DateField("/end", t.contains("end") ? &t["end"] : nullptr, local);
                   model::PrefixFields(local, base);
                   problems.insert(problems.end(), local.begin(), local.end());
                   trades.push_back(share);
                 }
             }
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid plan request", problems);

             auto compute = [&](store::Session& s) {
               auto contract = OwnContract(call, s, id);
               if (contract.status == model::ContractStatus::kClosed)
                 throw ApiError(ErrorCode::kConflict, "the contract is closed");
               model::Problems found;
               lifecycle::SizingInput input{contract.amount_excl_vat_eur, 0, *insertion_rate, hourly_cost.value_or(30)};
               // The table outlives the entry pointer it hands out (a temporary in the condition
               // would be destroyed before the pointer is read).
               const auto share_table = lifecycle::LabourShareTable::Defaults();
               if (labour_share) {
                 input.labour_share = *labour_share;
               } else if (const auto* e = share_table.ForCpv(contract.cpv_code);
                          e != nullptr && !contract.cpv_code.empty()) {
                 input.labour_share = e->share;
               } else {
                 found.push_back({"/labour_share", "required", "the contract has no CPV code with a default share"});
               }
               std::optional<lifecycle::Sizing> sizing;
               if (found.empty()) sizing = lifecycle::SizeClause(input, found);
               if (!sizing) throw ApiError(ErrorCode::kValidation, "the clause cannot be sized", found);
               lifecycle::ApplySizing(contract, input, *sizing);
               std::optional<lifecycle::Plan> plan;
               if (!trades.empty()) {
                 lifecycle::PlanDefaults defaults;
                 defaults.weekly_hours = weekly.value_or(35);
                 defaults.contract_type = type.value_or(model::ContractType::kCdd);
                 plan = lifecycle::PlanOpenings(contract, sizing->hours, trades, defaults, found);
                 if (!plan) throw ApiError(ErrorCode::kValidation, "the openings cannot be planned", found);
               }
               json openings = json::array();
               if (plan)
                 for (auto& planned : plan->openings) {
                   auto& o = planned.opening;
                   o.contract = contract.id;
                   if (apply)
                     s.InsertOpening(o);
                   else
                     o.id = model::OpeningId();
                   json j = data::ToJson(o);
                   if (!apply) j.erase("id");
                   j["planned_hours"] = planned.hours;
                   j["weeks"] = planned.weeks;
                   j["capacity_hours"] = planned.capacity_hours;
                   openings.push_back(std::move(j));
                 }
               if (apply) s.UpdateContract(contract);
               return json{{"contract_id", id},
                           {"applied", apply},
                           {"sizing", SizingJson(input, *sizing)},
                           {"openings", std::move(openings)}};
             };
             if (!apply) {
               call.Reply(200, app.store.Read(compute));
               return;
             }
             CreateIdempotent(call, [&](store::Session& s) { return Created{201, compute(s)}; });
           })
      .consumes = {"application/json"};

  // A hire from a shortlist or any accepted mise en relation: the placement is recorded as hired.
  router
      .Add("POST", "/v1/placements", facilitators,
           [&app](Call& call) {
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             const auto opening_id = Id(body, "opening_id", problems);
             const auto participant_id = Id(body, "participant_id", problems);
             if (!opening_id && body.find("opening_id") == body.end())
               problems.push_back({"/opening_id", "required", "the opening of the hire"});
             if (!participant_id && body.find("participant_id") == body.end())
               problems.push_back({"/participant_id", "required", "the person hired"});
             auto terms = TermsFromBody(body, problems);
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid placement", problems);
             terms.opening = model::OpeningId(*opening_id);
             terms.participant = model::ParticipantId(*participant_id);
             CreateIdempotent(call, [&](store::Session& s) {
               auto opening = s.FindOpening(terms.opening);
               auto contract = opening ? s.FindContract(opening->contract) : std::nullopt;
               if (!opening || !contract || !Sees(call, contract->facilitator_org))
                 throw ApiError(ErrorCode::kValidation, "invalid placement",
                                {{"/opening_id", "not_found", "no such opening"}});
               auto person = s.FindParticipant(terms.participant);
               // A facilitator records hires of people it was shown (proposed or shortlisted), so an id
               // cannot be used to pull someone else's profile into its placements and indicators.
               if (person && !call.IsAdmin() && !s.ShownAsCandidate(person->id, contract->facilitator_org))
                 person.reset();
               const auto on_contract = AllPlacements(s, contract->id);
               const auto mine = person ? s.ListPlacements(person->id) : std::vector<model::Placement>{};
               model::Participant unknown;
               unknown.id = terms.participant;
               unknown.status = model::ParticipantStatus::kWithdrawn;
               auto result =
                   lifecycle::PlaceOnOpening(*contract, *opening, person ? *person : unknown,
                                             lifecycle::PositionsTaken(on_contract, opening->id), mine, terms);
               // A facilitator does not own participants: whether one exists, is active or is placed
               // elsewhere is not told apart (only an admin sees the reason).
               for (auto& p : result.problems)
                 if (p.field == "/participant_id" && !call.IsAdmin()) {
                   p.code = "not_available";
                   p.message =
                       "this person cannot be hired on this opening (unknown, never proposed or shortlisted to you, "
                       "not active, or already placed "
                       "over these dates)";
                 }
               if (!person && call.IsAdmin())
                 for (auto& p : result.problems)
                   if (p.field == "/participant_id") p = {"/participant_id", "not_found", "no such participant"};
               if (!result.placement) throw ApiError(ErrorCode::kValidation, "the hire is refused", result.problems);
               auto& placement = *result.placement;
               s.InsertPlacement(placement, 0);
               if (lifecycle::PositionsTaken(on_contract, opening->id) + 1 >= opening->positions) {
                 opening->status = model::OpeningStatus::kFilled;
                 s.UpdateOpening(*opening);
               }
               call.Audit(s, "hire_candidate", placement.participant.value());
               call.res.set_header("Location", "/v1/placements/" + std::to_string(placement.id.value()));
               return Created{201, PlacementView(placement)};
             });
           })
      .consumes = {"application/json"};

  router.Add("GET", "/v1/placements/{id}", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto view = app.store.Write([&](store::Session& s) {
      auto p = OwnPlacement(call, s, id, nullptr);
      call.Audit(s, "read_placement", p.participant.value());
      return PlacementView(p);
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
    for (const auto& p : placements) items.push_back(PlacementView(p));
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
             const auto acceptance = TermsFromBody(body, problems);
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid hire", problems);
             auto view = app.store.Write([&](store::Session& s) {
               model::Contract contract;
               auto p = OwnPlacement(call, s, id, &contract);
               if (p.status != model::PlacementStatus::kAccepted)
                 throw ApiError(ErrorCode::kConflict, "only an accepted placement can be hired; this one is " +
                                                          std::string(model::Code(p.status)));
               auto opening = s.FindOpening(p.opening);
               if (!opening) throw ApiError(ErrorCode::kNotFound, "no such placement");
               // Accepted on two overlapping openings (two runs), a person can be hired on one only.
               auto hired = s.ListPlacements(p.participant);
               std::erase_if(hired, [](const auto& x) { return x.status != model::PlacementStatus::kHired; });
               if (const auto* other = lifecycle::OverlappingPlacement(hired, opening->start, opening->end, &p))
                 throw ApiError(ErrorCode::kConflict, "the person is already hired on placement " +
                                                          std::to_string(other->id.value()) + " over these dates");
               auto found = lifecycle::Hire(p, lifecycle::TermsFor(contract, *opening, acceptance));
               if (!found.empty()) throw ApiError(ErrorCode::kValidation, "the hire is refused", found);
               s.UpdatePlacement(p);
               call.Audit(s, "hire_candidate", p.participant.value());
               return PlacementView(p);
             });
             call.Reply(200, view);
           })
      .consumes = {"application/json"};

  // One monthly report; a report for a month already reported is a correction (history kept).
  router
      .Add("POST", "/v1/placements/{id}/hours", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             RequireObject(body);
             model::Problems problems;
             model::MonthlyHours report;
             const auto month_text = Text(body, "month", problems, 7);
             if (const auto d = model::Date::Parse(month_text + "-01"); month_text.size() == 7 && d) {
               report.year = d->year();
               report.month = static_cast<int>(static_cast<unsigned>(d->ymd().month()));
             } else if (problems.empty()) {  // else /month is already named (not a text)
               problems.push_back({"/month", month_text.empty() ? "required" : "invalid_format", "a month YYYY-MM"});
             }
             const auto hours = Number(body, "hours", problems);
             if (!hours && !body.contains("hours")) problems.push_back({"/hours", "required", "hours worked"});
             report.hours = hours.value_or(0);
             report.reported_on = Today();
             if (body.contains("reported_on"))
               if (auto d = DateField("/reported_on", &body["reported_on"], problems)) report.reported_on = *d;
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid hours report", problems);
             CreateIdempotent(call, [&](store::Session& s) {
               auto p = OwnPlacement(call, s, id, nullptr);
               const bool correction = std::any_of(p.hours.begin(), p.hours.end(), [&](const auto& h) {
                 return h.year == report.year && h.month == report.month;
               });
               auto found = lifecycle::RecordHours(p, report);
               if (!found.empty()) throw ApiError(ErrorCode::kValidation, "the report is refused", found);
               s.UpdatePlacement(p);
               call.Audit(s, "report_hours", p.participant.value());
               const auto cap = lifecycle::CapForMonth(p, report.year, report.month);
               json view = PlacementView(p);
               view["report"] = {{"month", MonthText(report.year, report.month)},
                                 {"hours", report.hours},
                                 {"reported_on", report.reported_on.ToString()},
                                 {"correction", correction},
                                 {"working_days", cap.working_days},
                                 {"planned_hours", cap.planned_hours},
                                 {"max_hours", cap.max_hours}};
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
             const auto months = Number(body, "months_after_entry", problems);
             if (!months && !body.contains("months_after_entry"))
               problems.push_back({"/months_after_entry", "required", "6 or 12"});
             record.months_after_entry = months && (*months == 6 || *months == 12) ? static_cast<int>(*months) : 0;
             const auto outcome = EnumField<model::Outcome>(body, "outcome", problems);
             if (!outcome && !body.contains("outcome")) problems.push_back({"/outcome", "required", "the situation"});
             record.outcome = outcome.value_or(model::Outcome::kAutre);
             record.recorded_on = Today();
             if (body.contains("recorded_on"))
               if (auto d = DateField("/recorded_on", &body["recorded_on"], problems)) record.recorded_on = *d;
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid outcome", problems);
             CreateIdempotent(call, [&](store::Session& s) {
               auto p = OwnPlacement(call, s, id, nullptr);
               auto found = lifecycle::RecordOutcome(p, record);
               if (!found.empty()) throw ApiError(ErrorCode::kValidation, "the outcome is refused", found);
               s.UpdatePlacement(p);
               call.Audit(s, "record_outcome", p.participant.value());
               return Created{201, PlacementView(p)};
             });
           })
      .consumes = {"application/json"};

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
      one.placements = AllPlacements(s, model::ContractId(id));
      return one;
    });
    d.Index();
    const auto report = lifecycle::ComputeFulfilment(d, up_to);
    const auto& c = report.contracts.at(0);
    json by_route = json::object();
    for (const auto& [route, hours] : c.realised_by_route) by_route[std::string(model::Code(route))] = hours;
    json body = FulfilmentJson(c.fulfilment);
    body["contract_id"] = id;
    body["reference"] = c.reference;
    body["holder"] = c.holder;
    body["up_to"] = up_to ? json(up_to->ToString()) : json(nullptr);
    body["realised_by_route"] = std::move(by_route);
    call.Reply(200, body);
  });

  // Insertion structures near the contract's worksite whose activity fits its openings' trades, by
  // kind, nearest first (docs/lifecycle.md section 6). Public directory data: nothing audited.
  router.Add("GET", "/v1/contracts/{id}/siae", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    model::Problems problems;
    double km = 30;
    if (auto v = call.Query("km")) {
      char* end = nullptr;
      km = std::strtod(v->c_str(), &end);
      if (end == v->c_str() || *end != '\0' || !(km > 0 && km <= 200))
        problems.push_back({"km", "out_of_range", "a distance in (0, 200] km"});
    }
    int limit = 10;
    if (auto v = call.Query("limit")) {
      limit = std::atoi(v->c_str());
      if (std::to_string(limit) != *v || limit < 1 || limit > 100)
        problems.push_back({"limit", "out_of_range", "an integer from 1 to 100"});
    }
    const auto any = call.Query("any_sector").value_or("false");
    if (any != "true" && any != "false") problems.push_back({"any_sector", "invalid_value", "true or false"});
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
    lifecycle::SourcingQuery q;
    for (const auto& o : openings) {
      const auto* f = app.referential->FindFiche(o.fiche);
      if (f == nullptr || std::any_of(q.trades.begin(), q.trades.end(), [&](auto& t) { return t.fiche == o.fiche; }))
        continue;
      q.trades.push_back({o.fiche, f->parent});
    }
    if (contract.worksite_location)
      q.worksite = *contract.worksite_location;
    else if (const auto* commune = app.referential->FindCommune(contract.worksite_insee))
      q.worksite = commune->centre;
    else
      throw ApiError(ErrorCode::kConflict, "the contract has no worksite location");
    if (q.trades.empty()) throw ApiError(ErrorCode::kConflict, "the contract has no opening with a trade yet");
    q.max_km = km;
    q.any_sector = any == "true";
    const auto& data = SiaeFor(app);
    if (!data.fit) throw ApiError(ErrorCode::kUnavailable, "the SIAE directory is not available on this server");
    const auto found = lifecycle::SourceSiae(data.directory, *data.fit, q);
    json kinds = json::object();
    for (const auto& [kind, list] : found.by_kind) {
      json items = json::array();
      for (std::size_t i = 0; i < list.size() && static_cast<int>(i) < limit; ++i) {
        const auto& s = list[i];
        items.push_back({{"siret", s.siae->siret},
                         {"name", s.siae->enseigne.empty() ? s.siae->name : s.siae->enseigne},
                         {"naf", s.siae->naf},
                         {"city", s.siae->city},
                         {"distance_km", std::round(s.distance_km * 10) / 10},
                         {"trade", s.trade.str()},
                         {"hire_share", s.match ? json(s.match->hire_share) : json(nullptr)},
                         {"staffing", s.match && s.match->staffing}});
      }
      kinds[std::string(model::Code(kind))] = {{"count", list.size()}, {"structures", std::move(items)}};
    }
    json trades = json::array();
    for (const auto& t : q.trades) trades.push_back(t.fiche.str());
    call.Reply(200, json{{"contract_id", id},
                         {"trades", std::move(trades)},
                         {"km", km},
                         {"in_reach", found.in_reach},
                         {"sector_mismatch", found.sector_mismatch},
                         {"by_kind", std::move(kinds)}});
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
    if (q.from && q.to && *q.to < *q.from) problems.push_back({"to", "out_of_range", "before from"});
    q.departement = call.Query("departement").value_or("");
    q.region = call.Query("region").value_or("");
    if (!q.departement.empty() && app.referential->FindDepartement(q.departement) == nullptr)
      problems.push_back({"departement", "invalid_value", "an INSEE département code (59, 2A...)"});
    if (!q.region.empty() && app.referential->FindRegion(q.region) == nullptr)
      problems.push_back({"region", "invalid_value", "an INSEE région code (32...)"});
    if (auto t = call.Query("threshold")) {
      // Only stricter than the default: a caller cannot lower the protection.
      const int v = std::atoi(t->c_str());
      if (v < q.threshold || v > 100 || std::to_string(v) != *t)
        problems.push_back({"threshold", "out_of_range", "an integer from 5 to 100"});
      else
        q.threshold = v;
    }
    const bool decimal_comma = call.Query("decimal_comma").value_or("false") == "true";
    if (!problems.empty()) throw ApiError(ErrorCode::kBadRequest, "invalid indicator query", problems);
    std::optional<model::OrgCode> org;
    if (!call.IsAdmin())
      org = call.key->org;
    else if (auto o = call.Query("org"))
      org = *o;
    // The organisation's contracts, their openings and placements and the people placed.
    model::Dataset d = app.store.snapshot().Read([&](const model::Dataset& all) {
      model::Dataset mine;
      mine.as_of = all.as_of;
      std::unordered_set<model::ContractId> contracts;
      for (const auto& c : all.contracts)
        if (!org || c.facilitator_org == *org) {
          contracts.insert(c.id);
          mine.contracts.push_back(c);
        }
      for (const auto& o : all.openings)
        if (contracts.contains(o.contract)) mine.openings.push_back(o);
      std::unordered_set<model::ParticipantId> people;
      for (const auto& p : all.placements)
        if (contracts.contains(p.contract)) {
          mine.placements.push_back(p);
          people.insert(p.participant);
        }
      for (const auto& p : all.participants)
        if (people.contains(p.id)) mine.participants.push_back(p);
      return mine;
    });
    d.Index();
    const auto report = lifecycle::ComputeIndicators(d, app.referential.get(), SiaeFor(app).directory, q);
    if (call.req.get_header_value("Accept").find("text/csv") != std::string::npos) {
      std::ostringstream out;
      WriteIndicatorsCsv(out, report, decimal_comma);
      call.res.set_header("Content-Disposition", "attachment; filename=\"indicateurs.csv\"");
      call.Reply(200, out.str(), "text/csv; charset=utf-8");
      return;
    }
    call.Reply(200, IndicatorsJson(report).dump(), "application/json");
  });
}

}  // namespace clausematch::api::http
