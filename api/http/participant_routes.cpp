// Participants: prescribers create (one, a batch, or a CSV file), read, update, withdraw and list
// their own organisation's profiles, and see which of them must renew a proof before a hire
// (GET /v1/participants/renewals). Every read or write of a profile is audited.
#include "api/http/access.hpp"
#include "api/http/views.hpp"
#include "api/json/batch_json.hpp"
#include "data/csv_codec.hpp"
#include "data/json_codec.hpp"
#include "service/renewals.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

constexpr std::size_t kMaxBatchItems = 1000;

// Decodes one participant for `org`; problems get `prefix` ("/participants/3"). `j` is read in
// place: a copy of a request body recurses as deep as the body nests.
std::optional<model::Participant> Decode(const nlohmann::json& j, const model::OrgCode& org, const App& app,
                                         const std::string& prefix, model::Problems& problems) {
  model::Problems found;
  auto p = data::ParticipantFromJsonForOrg(j, org, app.referential.get(), app.Today(), found);
  model::PrefixFields(found, prefix);
  problems.insert(problems.end(), found.begin(), found.end());
  return p;
}

std::optional<model::ParticipantStatus> StatusFilter(const Call& call) {
  auto v = call.Query("status");
  if (!v) return std::nullopt;
  auto s = model::ParseEnum<model::ParticipantStatus>(*v);
  if (!s)
    throw ApiError(ErrorCode::kBadRequest, "unknown status",
                   {{"status", "invalid_value", "active, placed, suspended or withdrawn"}});
  return s;
}

}  // namespace

void AddParticipantRoutes(Router& router, App& app) {
  const std::vector<Role> prescribers{Role::kPrescriber, Role::kAdmin};

  // One participant (an object), a batch ({"participants": [...]}, all or nothing) or a CSV file.
  router
      .Add("POST", "/v1/participants", prescribers,
           [&app](Call& call) {
             const bool csv = call.req.get_header_value("Content-Type").rfind("text/csv", 0) == 0;
             std::vector<model::Participant> items;
             model::Problems problems;
             bool single = false;
             model::OrgCode org;
             if (csv) {
               if (call.IsAdmin()) {
                 auto given = call.Query("org");
                 if (!given || given->empty())
                   throw ApiError(ErrorCode::kValidation, "an admin must name the organisation",
                                  {{"org", "required", "?org= the prescriber organisation"}});
                 org = *given;
               } else {
                 org = call.key->org;
               }
               auto import = data::ReadParticipantsCsv(call.req.body, *app.referential, app.Today());
               for (const auto& e : import.errors)
                 problems.push_back({"/" + std::to_string(e.line) + (e.column_name.empty() ? "" : "/" + e.column_name),
                                     "invalid_row", e.ToString()});
               for (auto& p : import.items) {
                 if (!p.prescriber_org.empty() && p.prescriber_org != org)
                   problems.push_back({"/prescriber_org", "forbidden_value", "every row must be for " + org});
                 p.prescriber_org = org;
               }
               items = std::move(import.items);
             } else {
               const auto body = call.JsonBody();
               const bool batch = body.is_object() && body.contains("participants");
               single = !batch;
               org = OrgForCreate(call, body, "prescriber_org");
               if (batch) {
                 const auto& list = body["participants"];
                 if (!list.is_array() || list.empty() || list.size() > kMaxBatchItems)
                   problems.push_back({"/participants", "type", "an array of 1 to 1000 participants"});
                 else
                   for (std::size_t i = 0; i < list.size(); ++i)
                     if (auto p = Decode(list[i], org, app, "/participants/" + std::to_string(i), problems))
                       items.push_back(std::move(*p));
               } else if (auto p = Decode(body, org, app, "", problems)) {
                 items.push_back(std::move(*p));
               }
             }
             if (items.size() > kMaxBatchItems)
               problems.push_back({"", "too_many", "at most 1000 participants per request"});
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid participant data", problems);
             if (items.empty())
               throw ApiError(ErrorCode::kValidation, "no participant in the request",
                              {{"", "required", "at least one participant"}});
             CreateIdempotent(call, [&](store::Session& s) {
               nlohmann::json created = nlohmann::json::array();
               for (auto& p : items) {
                 p.status = model::ParticipantStatus::kActive;
                 p.open_proposals = 0;
                 p.last_proposal_date.reset();
                 s.InsertParticipant(p);
                 call.Audit(s, "create", p.id.value());
                 created.push_back(data::ToJson(p));
               }
               if (single) {
                 call.res.set_header("Location", "/v1/participants/" + std::to_string(items[0].id.value()));
                 return Created{201, created[0]};
               }
               return Created{201, {{"created", items.size()}, {"items", std::move(created)}}};
             });
           })
      .consumes = {"application/json", "text/csv"};

  router.Add("GET", "/v1/participants", prescribers, [&app](Call& call) {
    const auto page = ParsePage(call);
    store::ParticipantQuery q;
    q.after = page.after;
    q.limit = page.limit;
    if (call.IsAdmin()) {
      if (auto org = call.Query("org")) q.org = *org;
    } else {
      q.org = call.key->org;
    }
    q.status = StatusFilter(call);
    if (auto c = call.Query("commune_insee")) q.commune_insee = *c;
    if (auto r = call.Query("external_ref")) q.external_ref = *r;
    if (auto c = call.Query("criterion")) {
      q.criterion = model::ParseCriterion(*c);
      if (!q.criterion)
        throw ApiError(ErrorCode::kBadRequest, "unknown criterion",
                       {{"criterion", "invalid_value", "a criterion code such as rsa or jeune"}});
    }
    auto people = app.store.Write([&](store::Session& s) {
      auto found = s.ListParticipants(q);
      std::vector<std::int64_t> read;
      read.reserve(found.size());
      for (const auto& p : found) read.push_back(p.id.value());
      call.Audit(s, "list", read);
      return found;
    });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : people) items.push_back(data::ToJson(p));
    call.Reply(
        200, PageOf(std::move(items),
                    people.empty() ? std::nullopt : std::optional<std::int64_t>(people.back().id.value()), page.limit));
  });

  // The proofs a prescriber's participants must renew before a hire (service/renewals.hpp):
  // registered before /v1/participants/{id}, which would take "renewals" for an id.
  // Paged like every list (limit, cursor); the cursor is the number of rows already given.
  router.Add("GET", "/v1/participants/renewals", prescribers, [&app](Call& call) {
    const auto page = ParsePage(call);
    const auto renewals = service::ListRenewals(app.store, app.matching, CallerOf(call), app.Today(), page.after,
                                                static_cast<std::size_t>(page.limit));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : renewals) items.push_back(json::RenewalJson(r));
    auto body = PageOf(std::move(items), static_cast<std::int64_t>(page.after + renewals.size()), page.limit);
    body["today"] = app.Today().ToString();
    call.Reply(200, body);
  });

  router.Add("GET", "/v1/participants/{id}", prescribers, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto p = app.store.Write([&](store::Session& s) {
      auto found = OwnParticipant(call, s, id);
      call.Audit(s, "read", id);
      return found;
    });
    call.Reply(200, data::ToJson(p));
  });

  // Replaces the profile; the id, organisation, status and proposal history stay the server's.
  router
      .Add("PUT", "/v1/participants/{id}", prescribers,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto body = call.JsonBody();
             auto updated = app.store.Write([&](store::Session& s) {
               auto current = OwnParticipant(call, s, id);
               model::Problems problems;
               auto p = Decode(body, current.prescriber_org, app, "", problems);
               if (!p) throw ApiError(ErrorCode::kValidation, "invalid participant data", problems);
               if (current.status == model::ParticipantStatus::kWithdrawn)
                 throw ApiError(ErrorCode::kConflict, "this participant was withdrawn");
               p->id = current.id;
               p->status = current.status;
               p->open_proposals = current.open_proposals;
               p->last_proposal_date = current.last_proposal_date;
               s.UpdateParticipant(*p);
               call.Audit(s, "update", id);
               return *p;
             });
             call.Reply(200, data::ToJson(updated));
           })
      .consumes = {"application/json"};

  // Withdrawal (sortie du dispositif): the profile stays for the record but is never matched again.
  router.Add("POST", "/v1/participants/{id}/withdraw", prescribers, [&app](Call& call) {
    const auto id = call.PathId("id");
    auto p = app.store.Write([&](store::Session& s) {
      auto current = OwnParticipant(call, s, id);
      if (current.status != model::ParticipantStatus::kWithdrawn) {
        current.status = model::ParticipantStatus::kWithdrawn;
        s.UpdateParticipant(current);
      }
      call.Audit(s, "withdraw", id);
      return current;
    });
    call.Reply(200, data::ToJson(p));
  });
}

}  // namespace clausematch::api::http
