// Contracts, openings and batch runs over HTTP, with the facilitator organisation boundary.
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class ContractsTest : public ApiTest {
 protected:
  std::string NewContract(const std::string& token, const std::string& reference = "2026-LILLE-001") {
    auto r = Post("/v1/contracts", ContractBody(reference), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return std::to_string(r.body.value("id", 0));
  }
  std::string NewOpening(const std::string& contract, const std::string& token) {
    auto r = Post("/v1/contracts/" + contract + "/openings", OpeningBody(), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return std::to_string(r.body.value("id", 0));
  }
};

TEST_F(ContractsTest, CreateReadListClose) {
  auto created = Post("/v1/contracts", ContractBody(), facilitator_a_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto id = std::to_string(created.body["id"].get<int>());
  EXPECT_EQ(created.body["facilitator_org"], "PLIE-LILLE");
  EXPECT_EQ(created.Header("Location"), "/v1/contracts/" + id);
  EXPECT_EQ(Get("/v1/contracts/" + id, facilitator_a_).body, created.body);
  NewContract(facilitator_a_, "2026-LILLE-002");
  auto page = Get("/v1/contracts?limit=1", facilitator_a_);
  EXPECT_EQ(page.body["items"].size(), 1u);
  EXPECT_TRUE(page.body["next_cursor"].is_string());

  const auto opening = NewOpening(id, facilitator_a_);
  auto o = Get("/v1/openings/" + opening, facilitator_a_);
  ASSERT_EQ(o.status, 200);
  EXPECT_EQ(o.body["fiche"], "F1703");  // filled from the appellation
  EXPECT_EQ(Get("/v1/contracts/" + id + "/openings", facilitator_a_).body["items"].size(), 1u);

  auto closed = Post("/v1/contracts/" + id + "/close", json::object(), facilitator_a_);
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body["status"], "closed");
  EXPECT_EQ(Get("/v1/openings/" + opening, facilitator_a_).body["status"], "closed");
  EXPECT_EQ(Get("/v1/contracts?status=open", facilitator_a_).body["items"].size(), 1u);
  auto late = Post("/v1/contracts/" + id + "/openings", OpeningBody(), facilitator_a_);
  EXPECT_EQ(late.status, 409);
}

TEST_F(ContractsTest, OpeningCanBeClosedAlone) {
  const auto c = NewContract(facilitator_a_);
  const auto o = NewOpening(c, facilitator_a_);
  auto r = Post("/v1/openings/" + o + "/close", json::object(), facilitator_a_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "closed");
  EXPECT_EQ(Get("/v1/contracts/" + c, facilitator_a_).body["status"], "open");
}

TEST_F(ContractsTest, InvalidContractAndOpeningNameTheirFields) {
  auto bad = ContractBody();
  bad["worksite_insee"] = "00000";
  bad["clause_type"] = "whatever";
  auto r = Post("/v1/contracts", bad, facilitator_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  std::set<std::string> pointers;
  for (const auto& e : r.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_TRUE(pointers.count("/worksite_insee")) << r.text;
  EXPECT_TRUE(pointers.count("/clause_type")) << r.text;

  const auto c = NewContract(facilitator_a_);
  auto opening = OpeningBody();
  opening["appellation"] = 1;
  opening["positions"] = "two";
  auto o = Post("/v1/contracts/" + c + "/openings", opening, facilitator_a_);
  ASSERT_EQ(o.status, 422) << o.text;
  pointers.clear();
  for (const auto& e : o.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_TRUE(pointers.count("/appellation")) << o.text;
  EXPECT_TRUE(pointers.count("/positions")) << o.text;
}

TEST_F(ContractsTest, AnotherFacilitatorsObjectsAreNotFoundOnEveryEndpoint) {
  const auto c = NewContract(facilitator_a_);
  const auto o = NewOpening(c, facilitator_a_);
  EXPECT_EQ(Get("/v1/contracts/" + c, facilitator_b_).status, 404);
  EXPECT_EQ(Post("/v1/contracts/" + c + "/close", json::object(), facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/openings", facilitator_b_).status, 404);
  EXPECT_EQ(Post("/v1/contracts/" + c + "/openings", OpeningBody(), facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/openings/" + o, facilitator_b_).status, 404);
  EXPECT_EQ(Post("/v1/openings/" + o + "/close", json::object(), facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/openings/" + o + "/shortlist?k=5", facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/contracts", facilitator_b_).body["items"].size(), 0u);
  // A batch naming another organisation's contract is refused like an unknown contract.
  auto batch = Post("/v1/batches", {{"contracts", json::array({std::stoi(c)})}}, facilitator_b_);
  EXPECT_EQ(batch.status, 422);
  EXPECT_EQ(batch.body["errors"][0]["pointer"], "/contracts/0");
  // Unchanged by the refused calls.
  EXPECT_EQ(Get("/v1/contracts/" + c, facilitator_a_).body["status"], "open");
  EXPECT_EQ(Get("/v1/openings/" + o, facilitator_a_).body["status"], "open");
}

TEST_F(ContractsTest, ContractCreateIsIdempotent) {
  const httplib::Headers key{{"Idempotency-Key", "contract-1"}};
  auto a = Post("/v1/contracts", ContractBody(), facilitator_a_, key);
  auto b = Post("/v1/contracts", ContractBody(), facilitator_a_, key);
  ASSERT_EQ(a.status, 201);
  EXPECT_EQ(b.body, a.body);
  EXPECT_EQ(Get("/v1/contracts", facilitator_a_).body["items"].size(), 1u);
}

// The fingerprint holds the method, the path and the query: the same Idempotency-Key and body on
// another contract's path is a different request (422), not a replay of the first response.
TEST_F(ContractsTest, IdempotencyKeyIsBoundToThePath) {
  const auto first = Post("/v1/contracts", ContractBody("2026-LILLE-101"), facilitator_a_);
  const auto second = Post("/v1/contracts", ContractBody("2026-LILLE-102"), facilitator_a_);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  const auto path = [](const json& contract) {
    return "/v1/contracts/" + std::to_string(contract["id"].get<int>()) + "/openings";
  };
  const httplib::Headers key{{"Idempotency-Key", "opening-1"}};
  const auto a = Post(path(first.body), OpeningBody(), facilitator_a_, key);
  ASSERT_EQ(a.status, 201) << a.text;
  const auto replay = Post(path(first.body), OpeningBody(), facilitator_a_, key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.Header("Idempotent-Replayed"), "true");
  const auto other = Post(path(second.body), OpeningBody(), facilitator_a_, key);
  EXPECT_EQ(other.status, 422) << other.text;
  EXPECT_EQ(other.body["type"], "urn:clausematch:problem:idempotency-key-reused") << other.text;
  EXPECT_TRUE(Get(path(second.body), facilitator_a_).body["items"].empty());
}

class BatchesTest : public ContractsTest {
 protected:
  // A batch with one proposal written through the store, as the batch worker writes them.
  std::pair<std::int64_t, std::int64_t> BatchWithProposal(const std::string& org, const std::string& opening,
                                                          std::uint32_t participant) {
    store::Batch b;
    b.org = org;
    b.state = store::BatchState::kSucceeded;
    store::Proposal p;
    store_->Write([&](store::Session& s) {
      s.InsertBatch(b);
      s.UpdateBatch(b);
      p.batch = b.id;
      p.participant = model::ParticipantId(participant);
      p.opening = model::OpeningId(static_cast<std::uint32_t>(std::stoul(opening)));
      p.score = 0.8;
      p.details = {{"eligible_by", {"rsa"}}, {"reasons", {"same job title"}}};
      s.InsertProposal(p);
    });
    return {b.id, p.id};
  }
};

TEST_F(BatchesTest, StartAndFollowARun) {
  const auto c = NewContract(facilitator_a_);
  NewOpening(c, facilitator_a_);
  auto started = Post("/v1/batches", json::object(), facilitator_a_);
  ASSERT_EQ(started.status, 202) << started.text;
  const auto id = std::to_string(started.body["id"].get<int>());
  EXPECT_EQ(started.Header("Location"), "/v1/batches/" + id);
  EXPECT_EQ(started.body["params"]["contracts"], json::array({std::stoi(c)}));
  json state;
  for (int i = 0; i < 200; ++i) {
    state = Get("/v1/batches/" + id, facilitator_a_).body;
    if (state["state"] == "succeeded" || state["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(state["state"], "succeeded") << state.dump();
  EXPECT_FALSE(state["finished_at"].is_null());
  EXPECT_EQ(Get("/v1/batches", facilitator_a_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/batches/" + id, facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/batches/" + id + "/proposals", facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/batches", facilitator_b_).body["items"].size(), 0u);
}

TEST_F(BatchesTest, ProposalsShowOnlyTheCandidateFieldsAFacilitatorNeeds) {
  const auto c = NewContract(facilitator_a_);
  const auto o = NewOpening(c, facilitator_a_);
  auto person = Post("/v1/participants", Person("P-1", "Inès", "Durand"), prescriber_a_);
  ASSERT_EQ(person.status, 201);
  const auto [batch, proposal] = BatchWithProposal("PLIE-LILLE", o, person.body["id"].get<std::uint32_t>());
  auto r = Get("/v1/batches/" + std::to_string(batch) + "/proposals", facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  ASSERT_EQ(r.body["items"].size(), 1u);
  const auto& candidate = r.body["items"][0]["candidate"];
  EXPECT_EQ(candidate["display_name"], "Inès D.");
  EXPECT_EQ(candidate["eligible_by"], json::array({"rsa"}));
  for (const char* hidden : {"birth_date", "last_name", "email", "phone", "location", "criteria", "external_ref"})
    EXPECT_FALSE(candidate.contains(hidden)) << hidden;
  EXPECT_EQ(r.text.find("2003-04-02"), std::string::npos);
  EXPECT_EQ(r.text.find("Durand"), std::string::npos);
  // The read is audited as a candidate read.
  auto audit =
      store_->Read([&](store::Session& s) { return s.ListAudit("participant", person.body["id"].get<int>()); });
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "read_candidate");
  EXPECT_EQ(audit.back().org, "PLIE-LILLE");

  auto csv = Client().Get("/v1/batches/" + std::to_string(batch) + "/proposals?format=csv", Auth(facilitator_a_));
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("proposal_id,opening_id,participant_id,", 0), 0u);
  EXPECT_NE(csv->body.find("Inès D."), std::string::npos);
}

TEST_F(BatchesTest, DecisionsAreKeptAndFinal) {
  const auto c = NewContract(facilitator_a_);
  const auto o = NewOpening(c, facilitator_a_);
  auto person = Post("/v1/participants", Person("P-1"), prescriber_a_);
  const auto pid = person.body["id"].get<std::uint32_t>();
  const auto [batch, proposal] = BatchWithProposal("PLIE-LILLE", o, pid);
  const auto path = "/v1/batches/" + std::to_string(batch) + "/proposals/" + std::to_string(proposal) + "/decision";

  EXPECT_EQ(Post(path, {{"decision", "accepted"}}, facilitator_b_).status, 404);
  EXPECT_EQ(Post(path, {{"decision", "accepted"}}, prescriber_a_).status, 403);
  auto invalid = Post(path, {{"decision", "maybe"}}, facilitator_a_);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["errors"][0]["pointer"], "/decision");

  auto accepted = Post(path, {{"decision", "accepted"}, {"reason", "company agreed"}}, facilitator_a_);
  ASSERT_EQ(accepted.status, 200) << accepted.text;
  EXPECT_EQ(accepted.body["decision"], "accepted");
  EXPECT_EQ(accepted.body["decided_by"], "PLIE-LILLE");
  EXPECT_EQ(Post(path, {{"decision", "declined"}}, facilitator_a_).status, 409);
  auto stored = store_->Read([id = proposal](store::Session& s) { return s.FindProposal(id); });
  EXPECT_EQ(stored->decision, store::Decision::kAccepted);
  EXPECT_EQ(stored->decision_reason, "company agreed");
  auto placements = store_->Read([&](store::Session& s) { return s.ListPlacements(model::ParticipantId(pid)); });
  ASSERT_EQ(placements.size(), 1u);
  EXPECT_EQ(placements[0].status, model::PlacementStatus::kAccepted);
  EXPECT_EQ(Post("/v1/batches/" + std::to_string(batch) + "/proposals/999/decision", {{"decision", "accepted"}},
                 facilitator_a_)
                .status,
            404);
}

}  // namespace
}  // namespace clausematch::api::http::testing
