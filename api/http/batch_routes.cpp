// Batch runs: start one in the background, follow it, download its proposals, decide on each.
#include <algorithm>
#include <sstream>

#include "api/http/access.hpp"
#include "api/http/batch_runner.hpp"
#include "api/http/views.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"

namespace clausematch::api::http {
namespace {

using store::Role;

constexpr std::uint64_t kMaxCandidates = 100000;
constexpr std::size_t kMaxContracts = 1000;  // ids in one request's "contracts"
constexpr std::uint64_t kDefaultCandidates = matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;

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

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Positions of `opening` already held by accepted or hired placements (from any batch run or entered
// directly): accepting one more proposal must not exceed the opening's positions.
int PositionsTaken(store::Session& s, const model::Opening& opening) {
  constexpr int kPage = 500;
  int taken = 0;
  std::uint32_t after = 0;
  for (;;) {
    const auto page = s.ListPlacementsOfContract(opening.contract, after, kPage);
    for (const auto& other : page)
      if (other.opening == opening.id &&
          (other.status == model::PlacementStatus::kAccepted || other.status == model::PlacementStatus::kHired))
        ++taken;
    if (page.size() < static_cast<std::size_t>(kPage)) break;
    after = page.back().id.value();
  }
  return taken;
}

}  // namespace

void AddBatchRoutes(Router& router, App& app) {
  const std::vector<Role> facilitators{Role::kFacilitator, Role::kAdmin};

  router
      .Add(
          "POST", "/v1/batches", facilitators,
          [&app](Call& call) {
            auto body = call.req.body.empty() ? nlohmann::json::object() : call.JsonBody();
            if (!body.is_object())
              throw ApiError(ErrorCode::kValidation, "the body must be a JSON object",
                             {{"", "type", "expected an object"}});
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
            if (auto it = body.find("as_of"); it != body.end())
              if (!it->is_string() || !model::Date::Parse(it->get<std::string>()))
                problems.push_back({"/as_of", "invalid_format", "a date YYYY-MM-DD"});
            if (auto it = body.find("mode"); it != body.end())
              if (!it->is_string() || !matcher::assignment::ParseObjectiveMode(it->get<std::string>()))
                problems.push_back({"/mode", "invalid_value", "fill-then-score or score"});
            if (auto it = body.find("max_candidates"); it != body.end())
              if (!it->is_number_unsigned() || it->get<std::uint64_t>() > kMaxCandidates)
                problems.push_back({"/max_candidates", "out_of_range", "an integer from 0 (all) to 100000"});
            if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid batch request", problems);
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
              b.params = {{"contracts", contracts},
                          {"as_of", body.value("as_of", app.Today().ToString())},
                          {"mode", body.value("mode", "fill-then-score")},
                          {"max_candidates", body.value("max_candidates", kDefaultCandidates)}};
              id = s.InsertBatch(b);
              return Created{202, BatchJson(b)};
            });
            if (call.res.status == 202 && call.res.get_header_value("Idempotent-Replayed").empty()) {
              call.res.set_header("Location", "/v1/batches/" + std::to_string(id));
              app.batches->Enqueue(id);
            }
          })
      .consumes = {"application/json"};

  router.Add("GET", "/v1/batches", facilitators, [&app](Call& call) {
    const auto page = ParsePage(call);
    auto batches = app.store.Read([&](store::Session& s) {
      return s.ListBatches(call.IsAdmin() ? std::nullopt : std::optional<model::OrgCode>(call.key->org), page.after,
                           page.limit);
    });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& b : batches) items.push_back(BatchJson(b));
    call.Reply(200,
               PageOf(std::move(items), batches.empty() ? std::nullopt : std::optional(batches.back().id), page.limit));
  });

  router.Add("GET", "/v1/batches/{id}", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    call.Reply(200, BatchJson(app.store.Read([&](store::Session& s) { return OwnBatch(call, s, id); })));
  });

  // Results: one proposal per line, as JSON pages or (format=csv) the whole run as CSV.
  router.Add("GET", "/v1/batches/{id}/proposals", facilitators, [&app](Call& call) {
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
            << CsvField(view.value("display_name", "")) << ',' << CsvField(view.value("prescriber_org", "")) << ','
            << CsvField(view.value("commune_insee", "")) << ',' << p.score << ',' << store::DecisionCode(p.decision)
            << '\n';
      }
      call.res.set_header("Content-Disposition", "attachment; filename=\"batch-" + std::to_string(id) + ".csv\"");
      call.Reply(200, out.str(), "text/csv; charset=utf-8");
      return;
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [p, person] : rows)
      items.push_back(ProposalJson(p, person ? &*person : nullptr, *app.referential));
    call.Reply(200,
               PageOf(std::move(items), rows.empty() ? std::nullopt : std::optional(rows.back().first.id), page.limit));
  });

  // The facilitator's decision on one proposal; an accepted proposal becomes a placement.
  router
      .Add("POST", "/v1/batches/{id}/proposals/{proposal}/decision", facilitators,
           [&app](Call& call) {
             const auto id = call.PathId("id");
             const auto proposal_id = call.PathId("proposal");
             const auto body = call.JsonBody();
             model::Problems problems;
             std::optional<store::Decision> decision;
             if (!body.is_object())
               problems.push_back({"", "type", "expected an object"});
             else {
               if (auto it = body.find("decision"); it == body.end() || !it->is_string())
                 problems.push_back({"/decision", "required", "accepted or declined"});
               else if (decision = store::ParseDecision(it->get<std::string>());
                        !decision || *decision == store::Decision::kPending)
                 problems.push_back({"/decision", "invalid_value", "accepted or declined"});
               if (auto it = body.find("reason");
                   it != body.end() && (!it->is_string() || it->get<std::string>().size() > 1000))
                 problems.push_back({"/reason", "type", "a text of at most 1000 characters"});
             }
             if (!problems.empty()) throw ApiError(ErrorCode::kValidation, "invalid decision", problems);
             auto result = app.store.Write([&](store::Session& s) {
               OwnBatch(call, s, id);
               auto p = s.FindProposal(proposal_id);
               if (!p || p->batch != id) throw ApiError(ErrorCode::kNotFound, "no such proposal");
               if (p->decision != store::Decision::kPending)
                 throw ApiError(ErrorCode::kConflict,
                                "this proposal was already " + std::string(store::DecisionCode(p->decision)));
               p->decision = *decision;
               p->decided_by = call.key->org;
               p->decided_at = store::NowTimestamp();
               p->decision_reason = body.value("reason", "");
               s.UpdateProposalDecision(*p);
               auto person = s.FindParticipant(p->participant);
               if (*decision == store::Decision::kAccepted) {
                 auto opening = s.FindOpening(p->opening);
                 if (opening && PositionsTaken(s, *opening) >= opening->positions)
                   throw ApiError(ErrorCode::kConflict,
                                  "every position of this opening is already taken by an accepted or hired placement");
                 model::Placement placement;
                 placement.participant = p->participant;
                 placement.opening = p->opening;
                 placement.contract = opening ? opening->contract : model::ContractId();
                 placement.status = model::PlacementStatus::kAccepted;
                 if (opening) {
                   placement.contract_type = opening->contract_type;
                   placement.start = opening->start;
                   placement.end = opening->end;
                   placement.weekly_hours = opening->weekly_hours;
                 }
                 s.InsertPlacement(placement, p->id);
               }
               if (person) call.Audit(s, "decide_candidate", p->participant.value());
               return ProposalJson(*p, person ? &*person : nullptr, *app.referential);
             });
             call.Reply(200, result);
           })
      .consumes = {"application/json"};
}

}  // namespace clausematch::api::http
