// Batch runs: start one in the background, follow it, download its proposals, decide on each.
#include <algorithm>
#include <sstream>

#include "api/http/access.hpp"
#include "api/http/batch_runner.hpp"
#include "api/http/fields.hpp"
#include "api/http/views.hpp"
#include "api/json/batch_json.hpp"
#include "data/csv_reader.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "service/batch.hpp"
#include "service/placements.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

constexpr std::size_t kMaxContracts = 1000;  // ids in one request's "contracts"

nlohmann::json BatchJson(const store::Batch& b) {
  nlohmann::json j{{"id", b.id},
                   {"org", b.org},
                   {"state", store::BatchStateCode(b.state)},
                   {"progress", b.progress},
                   {"params", b.params},
                   {"created_at", b.created_at}};
  j["summary"] = b.summary ? *b.summary : nlohmann::json(nullptr);
  j["error"] = b.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.error);
  j["started_at"] = b.started_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.started_at);
  j["finished_at"] = b.finished_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.finished_at);
  j["results"] = "/v1/batches/" + std::to_string(b.id) + "/proposals";
  return j;
}

model::CriterionSet EligibleBy(const nlohmann::json& details) {
  model::CriterionSet set;
  if (auto it = details.find("eligible_by"); it != details.end() && it->is_array())
    for (const auto& code : *it)
      if (code.is_string())
        if (auto c = model::ParseCriterion(code.get<std::string>())) set.insert(*c);
  return set;
}

nlohmann::json ProposalJson(const store::Proposal& p, const model::Participant* person, const model::Referential& ref) {
  nlohmann::json j{{"id", p.id},
                   {"batch_id", p.batch},
                   {"opening_id", p.opening.value()},
                   {"participant_id", p.participant.value()},
                   {"score", p.score},
                   {"details", p.details},
                   {"decision", store::DecisionCode(p.decision)}};
  j["candidate"] = person ? CandidateView(*person, EligibleBy(p.details), ref) : nlohmann::json(nullptr);
  j["decided_by"] = p.decided_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.decided_by);
  j["decided_at"] = p.decided_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.decided_at);
  j["decision_reason"] = p.decision_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.decision_reason);
  return j;
}

// POST /v1/batches: checks the run's parameters (service::CheckBatchParams), resolves the
// organisation's contracts, stores the run and queues it.
void CreateBatch(App& app, Call& call) {
  auto body = call.req.body.empty() ? nlohmann::json::object() : call.JsonBody();
  if (!body.is_object())
    throw ApiError(ErrorCode::kValidation, "the body must be a JSON object", {{"", "type", "expected an object"}});
  const auto org = OrgForCreate(call, body, "org");
  model::Problems problems;
  std::vector<std::uint32_t> contracts;  // without repeats, in the order given
  std::vector<std::size_t> given_at;     // each one's index in the body
  if (auto it = body.find("contracts"); it != body.end()) {
    if (!it->is_array() || it->empty())
      problems.push_back({"/contracts", "type", "a non-empty array of contract ids"});
    else if (it->size() > kMaxContracts)
      problems.push_back({"/contracts", "too_many", "at most 1000 contract ids"});
    else
      for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& v = (*it)[i];
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0 || v.get<std::uint64_t>() >= 0xffffffffULL)
          problems.push_back({"/contracts/" + std::to_string(i), "type", "a contract id"});
        else if (std::find(contracts.begin(), contracts.end(), v.get<std::uint32_t>()) == contracts.end()) {
          contracts.push_back(v.get<std::uint32_t>());
          given_at.push_back(i);
        }
      }
  }
  service::BatchParams params;
  params.as_of = app.Today();
  if (auto it = body.find("as_of"); it != body.end()) {
    const auto d = it->is_string() ? model::Date::Parse(it->get<std::string>()) : std::nullopt;
    if (!d)
      problems.push_back({"/as_of", "invalid_format", "a date YYYY-MM-DD"});
    else
      params.as_of = *d;
  }
  if (auto it = body.find("mode"); it != body.end()) {
    const auto mode = it->is_string() ? matcher::assignment::ParseObjectiveMode(it->get<std::string>()) : std::nullopt;
    if (!mode)
      problems.push_back({"/mode", "invalid_value", "fill-then-score or score"});
    else
      params.mode = *mode;
  }
  if (auto it = body.find("max_candidates"); it != body.end()) {
    if (!it->is_number_unsigned())
      problems.push_back({"/max_candidates", "type", "a non-negative integer"});
    else
      params.max_candidates = it->get<std::size_t>();
  }
  // {"rsa": 1, "jeune": 0.5}: what each public earns as a priority public (docs/scoring.md); the
  // range is CheckBatchParams' rule.
  if (auto it = body.find("priority_weights"); it != body.end()) {
    if (!it->is_object())
      problems.push_back({"/priority_weights", "type", "an object of criterion codes to weights in [0, 1]"});
    else
      for (const auto& [code, weight] : it->items()) {
        const auto criterion = model::ParseCriterion(code);
        const auto field = (nlohmann::json::json_pointer("/priority_weights") / code).to_string();
        if (!criterion)
          problems.push_back({field, "unknown_criterion", "not a criterion code"});
        else if (!weight.is_number())
          problems.push_back({field, "type", "a number in [0, 1]"});
        else
          params.weights.priority_weights[static_cast<std::size_t>(*criterion)] = weight.get<double>();
      }
  }
  // Start from the organisation's last succeeded run (BatchRunner; docs/assignment.md, "Incremental
  // runs"). Without one the run is cold and its summary says why.
  bool previous = false;
  if (auto it = body.find("previous"); it != body.end()) {
    if (!it->is_boolean())
      problems.push_back({"/previous", "type", "true or false"});
    else
      previous = it->get<bool>();
  }
  for (const auto& c : contracts) params.contracts.emplace_back(c);
  for (auto& p : service::CheckBatchParams(params, call.IsAdmin())) problems.push_back(std::move(p));
  if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid batch request", problems);
  // A place in the organisation's queue before anything is stored (BatchRunner: bounded, fair).
  if (!app.batches->Reserve(org)) {
    call.res.set_header("Retry-After", std::to_string(BatchRunner::kRetryAfterSeconds));
    throw ApiError(ErrorCode::kRateLimited,
                   "too many batch runs waiting: at most " + std::to_string(BatchRunner::kMaxRunsPerOrganisation) +
                       " per organisation waiting or running, " + std::to_string(BatchRunner::kMaxQueuedRuns) +
                       " waiting overall; try again later");
  }
  struct Reservation {  // given back unless the run is queued
    App& app;
    const model::OrgCode& org;
    bool taken = false;
    ~Reservation() {
      if (!taken) app.batches->Release(org);
    }
  } reservation{app, org};
  std::int64_t id = 0;
  CreateIdempotent(call, [&](store::Session& s) {
    // Contracts of another organisation are reported like unknown ones.
    if (contracts.empty()) {
      store::ContractQuery q;
      q.org = org;
      q.status = model::ContractStatus::kOpen;
      q.limit = 100000;
      for (const auto& c : s.ListContracts(q)) contracts.push_back(c.id.value());
    } else {
      const auto orgs = s.ContractOrgs(contracts);  // one query for all
      for (std::size_t k = 0; k < contracts.size(); ++k)
        if (auto found = orgs.find(contracts[k]); found == orgs.end() || found->second != org)
          problems.push_back({"/contracts/" + std::to_string(given_at[k]), "unknown", "no such contract"});
      if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid batch request", problems);
    }
    store::Batch b;
    b.org = org;
    // Every parameter is stored resolved, so the run says exactly what it was asked.
    params.contracts.clear();
    for (const auto c : contracts) params.contracts.emplace_back(c);
    b.params = json::ParamsJson(params);
    if (previous) b.params["previous"] = true;
    id = s.InsertBatch(b);
    return Created{202, BatchJson(b)};
  });
  if (call.res.status == 202 && call.res.get_header_value("Idempotent-Replayed").empty()) {
    call.res.set_header("Location", "/v1/batches/" + std::to_string(id));
    app.batches->Enqueue(id, org);
    reservation.taken = true;
  }
}

void ListBatches(App& app, Call& call) {
  const auto page = ParsePage(call);
  auto batches = app.store.Read([&](store::Session& s) {
    return s.ListBatches(call.IsAdmin() ? std::nullopt : std::optional<model::OrgCode>(call.key->org), page.after,
                         page.limit);
  });
  nlohmann::json items = nlohmann::json::array();
  for (const auto& b : batches) items.push_back(BatchJson(b));
  call.Reply(200,
             PageOf(std::move(items), batches.empty() ? std::nullopt : std::optional(batches.back().id), page.limit));
}

void GetBatch(App& app, Call& call) {
  const auto id = call.PathId("id");
  call.Reply(200, BatchJson(app.store.Read([&](store::Session& s) { return OwnBatch(call, s, id); })));
}

// Results: one proposal per line, as JSON pages or (format=csv) the whole run as CSV.
void ListProposalsOf(App& app, Call& call) {
  const auto id = call.PathId("id");
  const bool csv = call.Query("format").value_or("json") == "csv";
  if (auto f = call.Query("format"); f && *f != "csv" && *f != "json")
    throw ApiError(ErrorCode::kBadRequest, "format is json or csv", {{"format", "invalid_value", "json or csv"}});
  auto page = csv ? PageRequest{0, 1 << 30} : ParsePage(call);
  std::vector<std::pair<store::Proposal, std::optional<model::Participant>>> rows;
  app.store.Write([&](store::Session& s) {
    OwnBatch(call, s, id);
    std::vector<std::int64_t> read;
    for (auto& p : s.ListProposals(id, page.after, page.limit)) {
      auto person = s.FindParticipant(p.participant);
      if (person) read.push_back(p.participant.value());
      rows.emplace_back(std::move(p), std::move(person));
    }
    call.Audit(s, "read_candidate", read);
  });
  if (csv) {
    std::ostringstream out;
    out << "proposal_id,opening_id,participant_id,display_name,prescriber_org,commune_insee,score,decision\n";
    for (const auto& [p, person] : rows) {
      auto view = person ? CandidateView(*person, {}, *app.referential) : nlohmann::json::object();
      out << p.id << ',' << p.opening.value() << ',' << p.participant.value() << ','
          << data::CsvEscape(view.value("display_name", "")) << ',' << data::CsvEscape(view.value("prescriber_org", ""))
          << ',' << data::CsvEscape(view.value("commune_insee", "")) << ',' << p.score << ','
          << store::DecisionCode(p.decision) << '\n';
    }
    call.res.set_header("Content-Disposition", "attachment; filename=\"batch-" + std::to_string(id) + ".csv\"");
    call.Reply(200, out.str(), "text/csv; charset=utf-8");
    return;
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& [p, person] : rows) items.push_back(ProposalJson(p, person ? &*person : nullptr, *app.referential));
  call.Reply(200,
             PageOf(std::move(items), rows.empty() ? std::nullopt : std::optional(rows.back().first.id), page.limit));
}

// The facilitator's decision on one proposal (service::DecideProposal): an accepted proposal
// becomes a placement, checked like a hire.
void Decide(App& app, Call& call) {
  const auto id = call.PathId("id");
  const auto proposal_id = call.PathId("proposal");
  const auto body = call.JsonBody();
  model::Problems problems;
  service::DecisionRequest request;
  request.batch = id;
  request.proposal = proposal_id;
  if (!body.is_object())
    problems.push_back({"", "type", "expected an object"});
  else {
    std::optional<store::Decision> decision;
    if (auto it = body.find("decision"); it == body.end() || !it->is_string())
      problems.push_back({"/decision", "required", "accepted or declined"});
    else if (decision = store::ParseDecision(it->get<std::string>());
             !decision || *decision == store::Decision::kPending)
      problems.push_back({"/decision", "invalid_value", "accepted or declined"});
    else
      request.decision = *decision;
    request.reason = TextField(body, "reason", problems, 1000);
    request.terms = TermsField(body, problems);
    request.terms.decided_on = app.Today();
  }
  if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid decision", problems);
  auto result = app.store.Write([&](store::Session& s) {
    auto decided = service::DecideProposal(s, CallerOf(call), request);
    return ProposalJson(decided.proposal, decided.person ? &*decided.person : nullptr, *app.referential);
  });
  call.Reply(200, result);
}

}  // namespace

void AddBatchRoutes(Router& router, App& app) {
  const std::vector<store::Role> facilitators{store::Role::kFacilitator, store::Role::kAdmin};
  router.Add("POST", "/v1/batches", facilitators, [&app](Call& call) { CreateBatch(app, call); }).consumes = {
      "application/json"};
  router.Add("GET", "/v1/batches", facilitators, [&app](Call& call) { ListBatches(app, call); });
  router.Add("GET", "/v1/batches/{id}", facilitators, [&app](Call& call) { GetBatch(app, call); });
  router.Add("GET", "/v1/batches/{id}/proposals", facilitators, [&app](Call& call) { ListProposalsOf(app, call); });
  router
      .Add("POST", "/v1/batches/{id}/proposals/{proposal}/decision", facilitators,
           [&app](Call& call) { Decide(app, call); })
      .consumes = {"application/json"};
}

}  // namespace clausematch::api::http
