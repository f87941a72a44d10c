// POST /v1/batches end to end on the real server: the run really solves (candidate graph +
// certified assignment), its proposals are feasible and eligible, its total is the library's on
// the same data, and a facilitator's decisions are kept and feed the next run.
#include <atomic>
#include <cmath>
#include <map>
#include <set>

#include "api/http/batch_runner.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "service/batch.hpp"
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace as = matcher::assignment;

// A quota line in one French sentence: the contract by its reference, the public by its label,
// and each reason with its count.
TEST(QuotaExplanation, FrenchSentenceNamesTheContractAndTheReasons) {
  service::QuotaLine line;
  line.reference = "2026-LOT-3";
  line.public_code = "rsa";
  line.required = 3;
  line.achieved = 1;
  line.shortfall = 2;
  line.public_candidates = 4;
  line.taken_by_other_quotas = 2;
  line.taken_elsewhere = 1;
  line.positions = 5;
  line.positions_left = 0;
  EXPECT_EQ(service::ExplainQuota(line),
            "Marché 2026-LOT-3 : au moins 3 postes pour le public « Bénéficiaire du RSA », 1 pourvu, il en manque 2. "
            "4 personnes de ce public sont éligibles et à portée des postes du marché : 1 y est proposée, 2 sont "
            "retenues par le quota d'un autre marché, 1 est proposée ailleurs ; 0 poste reste libre sur 5.");
  line.achieved = 3;
  line.shortfall = 0;
  EXPECT_EQ(service::ExplainQuota(line),
            "Marché 2026-LOT-3 : au moins 3 postes pour le public « Bénéficiaire du RSA », 3 pourvus, quota atteint.");
}

class BatchRunTest : public ApiTest {
 protected:
  std::uint32_t NewContract(const std::string& token, const std::string& reference) {
    auto r = Post("/v1/contracts", ContractBody(reference), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  std::uint32_t NewOpening(std::uint32_t contract, int positions, const std::string& token) {
    auto body = OpeningBody();
    body["positions"] = positions;
    auto r = Post("/v1/contracts/" + std::to_string(contract) + "/openings", body, token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  std::uint32_t NewPerson(const std::string& ref, const std::string& commune, int radius_km) {
    auto body = Person(ref);
    body["commune_insee"] = commune;
    body["mobility_radius_km"] = radius_km;
    auto r = Post("/v1/participants", body, prescriber_a_);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  // Starts a run and polls it until it ends.
  json RunBatch(const std::string& token, const json& body = json::object()) {
    auto started = Post("/v1/batches", body, token);
    EXPECT_EQ(started.status, 202) << started.text;
    const auto path = "/v1/batches/" + std::to_string(started.body.value("id", 0));
    json state;
    for (int i = 0; i < 1200; ++i) {
      state = Get(path, token).body;
      if (state["state"] == "succeeded" || state["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return state;
  }
  json Proposals(std::int64_t batch, const std::string& token) {
    auto r = Get("/v1/batches/" + std::to_string(batch) + "/proposals?limit=500", token);
    EXPECT_EQ(r.status, 200) << r.text;
    return r.body["items"];
  }

  // The library on the same data: the snapshot restricted to `contracts`, the matcher's
  // candidate graph, the assignment facade with its defaults (what `clausematch batch` runs).
  struct Library {
    model::Dataset data;
    std::unique_ptr<matcher::Matcher> engine;
    as::AssignmentResult result;
  };
  std::unique_ptr<Library> SolveWithLibrary(const std::set<std::uint32_t>& contracts) {
    auto lib = std::make_unique<Library>();
    const auto all = store_->snapshot().Copy();
    lib->data.participants = all->participants;
    lib->data.placements = all->placements;
    for (const auto& c : all->contracts)
      if (contracts.count(c.id.value())) lib->data.contracts.push_back(c);
    for (const auto& o : all->openings)
      if (contracts.count(o.contract.value())) lib->data.openings.push_back(o);
    lib->data.Index();
    matcher::MatcherOptions options;
    options.today = Today();
    lib->engine = std::make_unique<matcher::Matcher>(*Referential(), lib->data, options);
    const auto graph = lib->engine->BuildCandidateGraph();
    lib->result = as::SolveAssignment(graph.problem, as::AssignmentOptions{});
    return lib;
  }
};

TEST_F(BatchRunTest, RunSolvesFeasiblyAndMatchesTheLibraryThenKeepsDecisions) {
  // Facilitator A: 3 positions on two openings. Facilitator B: 1 position, same worksite.
  const auto contract_a = NewContract(facilitator_a_, "2026-LILLE-001");
  const auto opening_1 = NewOpening(contract_a, 2, facilitator_a_);
  const auto opening_2 = NewOpening(contract_a, 1, facilitator_a_);
  const auto contract_b = NewContract(facilitator_b_, "2026-ROUBAIX-001");
  const auto opening_b = NewOpening(contract_b, 1, facilitator_b_);
  const std::map<std::uint32_t, int> positions{{opening_1, 2}, {opening_2, 1}};
  // Five RSA recipients around Lille (the worksite) and one in Marseille, out of reach.
  std::set<std::uint32_t> near;
  for (const auto& [ref, commune] : std::vector<std::pair<std::string, std::string>>{
           {"P-1", "59350"}, {"P-2", "59512"}, {"P-3", "59599"}, {"P-4", "59009"}, {"P-5", "59350"}})
    near.insert(NewPerson(ref, commune, 20));
  const auto far = NewPerson("P-6", "13055", 20);

  const auto run = RunBatch(facilitator_a_);
  ASSERT_EQ(run["state"], "succeeded") << run.dump();
  EXPECT_EQ(run["progress"], 1.0);
  EXPECT_EQ(run["params"]["contracts"], json::array({contract_a}));
  EXPECT_EQ(run["params"]["as_of"], Today().ToString());
  const auto& summary = run["summary"];
  EXPECT_EQ(summary["certificate"], "optimal (certified)") << summary.dump();
  EXPECT_EQ(summary["optimality"]["method"], "network") << summary.dump();
  EXPECT_EQ(summary["optimality"]["proven_optimal"], true);
  EXPECT_EQ(summary["optimality"]["gap"], "0");
  EXPECT_EQ(summary["optimality"]["quota_shortfall"], 0);
  EXPECT_EQ(summary["positions"], 3);
  EXPECT_EQ(summary["filled"], 3);  // 5 eligible people in reach for 3 positions

  // Feasible: each participant at most once, no opening over its positions, every pair eligible
  // (the library's full evaluation of the pair), only A's openings, nobody out of reach.
  const auto lib = SolveWithLibrary({contract_a});
  const auto items = Proposals(run["id"].get<std::int64_t>(), facilitator_a_);
  ASSERT_EQ(items.size(), 3u) << items.dump();
  std::set<std::uint32_t> seen;
  std::map<std::uint32_t, int> taken;
  double score_sum = 0;
  for (const auto& p : items) {
    const auto participant = p["participant_id"].get<std::uint32_t>();
    const auto opening = p["opening_id"].get<std::uint32_t>();
    EXPECT_TRUE(seen.insert(participant).second) << "participant proposed twice: " << participant;
    ASSERT_TRUE(positions.count(opening)) << "opening of another contract: " << opening;
    EXPECT_LE(++taken[opening], positions.at(opening));
    EXPECT_TRUE(near.count(participant));
    EXPECT_NE(participant, far);
    const auto why = lib->engine->Explain(model::ParticipantId(participant), model::OpeningId(opening));
    ASSERT_TRUE(why.has_value());
    EXPECT_TRUE(why->verdict.eligible()) << participant << " -> " << opening;
    EXPECT_DOUBLE_EQ(p["score"].get<double>(), why->components.total);
    EXPECT_EQ(p["decision"], "pending");
    EXPECT_EQ(p["candidate"]["eligible_by"], json::array({"rsa", "jeune"}));  // accepted publics they hold
    EXPECT_FALSE(p["details"]["reasons"].empty());
    score_sum += p["score"].get<double>();
  }
  // The same total as the library solve on the same data.
  ASSERT_TRUE(lib->result.certificate.optimal);
  EXPECT_EQ(lib->result.filled, 3u);
  EXPECT_DOUBLE_EQ(summary["total_score"].get<double>(),
                   static_cast<double>(lib->result.total_weight) / static_cast<double>(matcher::kWeightScale));
  EXPECT_NEAR(score_sum, summary["total_score"].get<double>(), 3 * 0.5 / matcher::kWeightScale);

  // Results downloadable as CSV: a header and one line per proposal.
  auto csv = Client().Get("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals?format=csv",
                          Auth(facilitator_a_));
  ASSERT_TRUE(csv);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 4);

  // Decisions: accept the first, decline the second, re-read.
  const auto base = "/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals/";
  const auto accepted_id = items[0]["id"].get<std::int64_t>();
  const auto declined_id = items[1]["id"].get<std::int64_t>();
  ASSERT_EQ(Post(base + std::to_string(accepted_id) + "/decision", {{"decision", "accepted"}}, facilitator_a_).status,
            200);
  ASSERT_EQ(Post(base + std::to_string(declined_id) + "/decision",
                 {{"decision", "declined"}, {"reason", "the company met someone else"}}, facilitator_a_)
                .status,
            200);
  std::map<std::int64_t, std::string> decisions;
  for (const auto& p : Proposals(run["id"].get<std::int64_t>(), facilitator_a_))
    decisions[p["id"].get<std::int64_t>()] = p["decision"].get<std::string>();
  EXPECT_EQ(decisions[accepted_id], "accepted");
  EXPECT_EQ(decisions[declined_id], "declined");
  EXPECT_EQ(decisions[items[2]["id"].get<std::int64_t>()], "pending");

  // The accepted proposal is a placement: the next run has one position less and does not
  // propose that person again (already placed over the same period).
  const auto placed = items[0]["participant_id"].get<std::uint32_t>();
  const auto again = RunBatch(facilitator_a_);
  ASSERT_EQ(again["state"], "succeeded") << again.dump();
  EXPECT_EQ(again["summary"]["positions"], 2);
  EXPECT_EQ(again["summary"]["filled"], 2);
  for (const auto& p : Proposals(again["id"].get<std::int64_t>(), facilitator_a_))
    EXPECT_NE(p["participant_id"].get<std::uint32_t>(), placed);

  // Facilitator B's run covers B's contract only.
  const auto run_b = RunBatch(facilitator_b_);
  ASSERT_EQ(run_b["state"], "succeeded") << run_b.dump();
  const auto items_b = Proposals(run_b["id"].get<std::int64_t>(), facilitator_b_);
  ASSERT_EQ(items_b.size(), 1u);
  EXPECT_EQ(items_b[0]["opening_id"], opening_b);
}

// Two runs made before any decision both propose someone for the same one-position opening: the
// first acceptance takes the position, the second is refused (409) and leaves its proposal pending.
// Data hygiene (issue 17, item 7): a first name starting with '=' once reached the proposals CSV as a live spreadsheet
// formula.
TEST_F(BatchRunTest, ProposalsCsvNeutralisesFormulaCells) {
  const std::string formula = R"(=HYPERLINK("http://example.org/x","clic"))";
  ASSERT_EQ(Post("/v1/participants", Person("CSV-1", formula, "Durand"), prescriber_a_).status, 201);
  ASSERT_EQ(Post("/v1/participants", Person("CSV-2", "@SUM(A1)", "Martin"), prescriber_a_).status, 201);
  auto c = Post("/v1/contracts", ContractBody(), facilitator_a_);
  ASSERT_EQ(c.status, 201) << c.text;
  ASSERT_EQ(
      Post("/v1/contracts/" + std::to_string(c.body["id"].get<int>()) + "/openings", OpeningBody(), facilitator_a_)
          .status,
      201);
  const auto run = RunBatch(facilitator_a_);
  ASSERT_EQ(run["state"], "succeeded") << run;
  const auto path = "/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals";

  auto csv = Client().Get(path + "?format=csv", Auth(facilitator_a_));
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200);
  const std::string& text = csv->body;
  EXPECT_NE(text.find(R"(,"'=HYPERLINK(""http://example.org/x"",""clic"") D.",)"), std::string::npos) << text;
  EXPECT_NE(text.find(",'@SUM(A1) M.,"), std::string::npos) << text;
  EXPECT_EQ(text.find(",\"=HYPERLINK"), std::string::npos) << text;
  EXPECT_EQ(text.find(",=HYPERLINK"), std::string::npos) << text;
  EXPECT_EQ(text.find(",@SUM"), std::string::npos) << text;

  // The proposals' details show whole-km distances too (the batch door of the candidate view).
  auto page = Get(path + "?limit=500", facilitator_a_);
  ASSERT_EQ(page.status, 200) << page.text;
  ASSERT_EQ(page.body["items"].size(), 2u) << page.text;
  for (const auto& p : page.body["items"]) {
    const double km = p["details"]["distance_km"].get<double>();
    EXPECT_EQ(km, std::round(km));
  }
}

TEST_F(BatchRunTest, AcceptingBeyondTheOpeningsPositionsIsAConflict) {
  const auto contract = NewContract(facilitator_a_, "2026-LILLE-009");
  NewOpening(contract, 1, facilitator_a_);
  NewPerson("P-1", "59350", 20);
  NewPerson("P-2", "59350", 21);
  const auto first = RunBatch(facilitator_a_);
  const auto second = RunBatch(facilitator_a_);
  ASSERT_EQ(first["state"], "succeeded") << first.dump();
  ASSERT_EQ(second["state"], "succeeded") << second.dump();
  const auto a = Proposals(first["id"].get<std::int64_t>(), facilitator_a_);
  const auto b = Proposals(second["id"].get<std::int64_t>(), facilitator_a_);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  const auto decide = [&](const nlohmann::json& run, const nlohmann::json& proposal) {
    return Post("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals/" +
                    std::to_string(proposal["id"].get<std::int64_t>()) + "/decision",
                {{"decision", "accepted"}}, facilitator_a_);
  };
  ASSERT_EQ(decide(first, a[0]).status, 200);
  const auto refused = decide(second, b[0]);
  EXPECT_EQ(refused.status, 409) << refused.text;
  EXPECT_EQ(Proposals(second["id"].get<std::int64_t>(), facilitator_a_)[0]["decision"], "pending");
}

// Accepting a proposal follows the rule of `clausematch placements accept` (lifecycle::PlaceOnOpening):
// a person withdrawn since the run is refused, and the acceptance that takes an opening's last
// position marks the opening filled, with the opening's terms on the placement.
TEST_F(BatchRunTest, AcceptingChecksThePersonAndFillsTheOpening) {
  const auto contract = NewContract(facilitator_a_, "2026-LILLE-010");
  const auto opening = NewOpening(contract, 2, facilitator_a_);
  const auto p1 = NewPerson("P-1", "59350", 20);
  const auto p2 = NewPerson("P-2", "59350", 21);
  const auto run = RunBatch(facilitator_a_);
  ASSERT_EQ(run["state"], "succeeded") << run.dump();
  const auto proposals = Proposals(run["id"].get<std::int64_t>(), facilitator_a_);
  ASSERT_EQ(proposals.size(), 2u);
  // P-2 is withdrawn by the prescriber after the run.
  const auto withdrawn =
      From(Client().Post("/v1/participants/" + std::to_string(p2) + "/withdraw", Auth(prescriber_a_)));
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.text;
  const auto decide = [&](const nlohmann::json& proposal) {
    return Post("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals/" +
                    std::to_string(proposal["id"].get<std::int64_t>()) + "/decision",
                {{"decision", "accepted"}}, facilitator_a_);
  };
  for (const auto& proposal : proposals) {
    const auto r = decide(proposal);
    if (proposal["participant_id"] == p2) {
      ASSERT_EQ(r.status, 409) << r.text;
      ASSERT_FALSE(r.body["errors"].empty()) << r.text;
      EXPECT_EQ(r.body["errors"][0]["pointer"], "/participant_id") << r.text;
      EXPECT_EQ(r.body["errors"][0]["code"], "not_active") << r.text;
    } else {
      ASSERT_EQ(proposal["participant_id"], p1);
      ASSERT_EQ(r.status, 200) << r.text;
    }
  }
  // One of two positions taken: still open. The placement carries the opening's terms.
  EXPECT_EQ(Get("/v1/openings/" + std::to_string(opening), facilitator_a_).body["status"], "open");
  const auto placements = Get("/v1/contracts/" + std::to_string(contract) + "/placements", facilitator_a_);
  ASSERT_EQ(placements.status, 200) << placements.text;
  ASSERT_EQ(placements.body["items"].size(), 1u);
  EXPECT_EQ(placements.body["items"][0]["status"], "accepted");
  EXPECT_EQ(placements.body["items"][0]["contract_type"], "cdd");
  EXPECT_EQ(placements.body["items"][0]["route"], "embauche_directe");
  // A second run proposes someone else for the last position; accepting fills the opening.
  const auto p3 = NewPerson("P-3", "59350", 22);
  const auto again = RunBatch(facilitator_a_);
  ASSERT_EQ(again["state"], "succeeded") << again.dump();
  const auto more = Proposals(again["id"].get<std::int64_t>(), facilitator_a_);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0]["participant_id"], p3);
  const auto last = Post("/v1/batches/" + std::to_string(again["id"].get<int>()) + "/proposals/" +
                             std::to_string(more[0]["id"].get<std::int64_t>()) + "/decision",
                         {{"decision", "accepted"}}, facilitator_a_);
  ASSERT_EQ(last.status, 200) << last.text;
  EXPECT_EQ(Get("/v1/openings/" + std::to_string(opening), facilitator_a_).body["status"], "filled");
}

TEST_F(BatchRunTest, InvalidParametersAreNamed) {
  auto r = Post("/v1/batches", {{"mode", "fastest"}, {"max_candidates", -1}, {"as_of", "2026-02-30"}}, facilitator_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  std::set<std::string> pointers;
  for (const auto& e : r.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_EQ(pointers, (std::set<std::string>{"/mode", "/max_candidates", "/as_of"}));
  EXPECT_EQ(Get("/v1/batches", facilitator_a_).body["items"].size(), 0u);
}

TEST_F(BatchRunTest, ScoreModeAndDateAreStoredAndUsed) {
  const auto contract = NewContract(facilitator_a_, "2026-LILLE-001");
  NewOpening(contract, 1, facilitator_a_);
  NewPerson("P-1", "59350", 20);
  const auto as_of = Today().AddDays(1).ToString();
  // Every eligible pair (max_candidates 0, an unbounded graph) is an admin's call.
  auto refused = Post("/v1/batches", {{"mode", "score"}, {"max_candidates", 0}, {"as_of", as_of}}, facilitator_a_);
  ASSERT_EQ(refused.status, 422) << refused.text;
  ASSERT_EQ(refused.body["errors"].size(), 1u) << refused.text;
  EXPECT_EQ(refused.body["errors"][0]["pointer"], "/max_candidates");
  EXPECT_EQ(refused.body["errors"][0]["code"], "forbidden_value");
  const auto run =
      RunBatch(admin_, {{"org", "PLIE-LILLE"}, {"mode", "score"}, {"max_candidates", 0}, {"as_of", as_of}});
  ASSERT_EQ(run["state"], "succeeded") << run.dump();
  EXPECT_EQ(run["params"]["mode"], "score");
  EXPECT_EQ(run["params"]["max_candidates"], 0);
  EXPECT_EQ(run["summary"]["mode"], "score");
  EXPECT_EQ(run["summary"]["today"], as_of);
  EXPECT_EQ(run["summary"]["filled"], 1);
}

// Priority weights per run over HTTP: checked (a 422 naming each bad member by its pointer), stored
// with the run, used by the score, and the public that earned the priority is named per proposal.
TEST_F(BatchRunTest, PriorityWeightsPerRun) {
  auto bad =
      Post("/v1/batches", {{"priority_weights", {{"rsa", 1.5}, {"martian", 1}, {"jeune", "high"}}}}, facilitator_a_);
  ASSERT_EQ(bad.status, 422) << bad.text;
  std::set<std::string> pointers;
  for (const auto& e : bad.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_EQ(pointers,
            (std::set<std::string>{"/priority_weights/rsa", "/priority_weights/martian", "/priority_weights/jeune"}));
  bad = Post("/v1/batches", {{"priority_weights", json::array()}}, facilitator_a_);
  ASSERT_EQ(bad.status, 422) << bad.text;
  EXPECT_EQ(bad.body["errors"][0].value("pointer", ""), "/priority_weights");
  EXPECT_EQ(Get("/v1/batches", facilitator_a_).body["items"].size(), 0u);

  const auto contract = NewContract(facilitator_a_, "2026-LILLE-001");  // priority public: rsa
  NewOpening(contract, 1, facilitator_a_);
  NewPerson("P-1", "59350", 20);  // an RSA recipient
  const auto plain = RunBatch(facilitator_a_);
  const auto weighed = RunBatch(facilitator_a_, {{"priority_weights", {{"rsa", 0.25}, {"jeune", 1}}}});
  ASSERT_EQ(plain["state"], "succeeded") << plain.dump();
  ASSERT_EQ(weighed["state"], "succeeded") << weighed.dump();
  EXPECT_FALSE(plain["params"].contains("priority_weights"));
  EXPECT_EQ(weighed["params"]["priority_weights"], (json{{"rsa", 0.25}}));  // only what changed
  const auto before = Proposals(plain["id"].get<std::int64_t>(), facilitator_a_);
  const auto after = Proposals(weighed["id"].get<std::int64_t>(), facilitator_a_);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(before[0]["details"]["components"]["priority"], 1.0);
  EXPECT_EQ(before[0]["details"]["priority_public"], "rsa");
  EXPECT_EQ(after[0]["details"]["components"]["priority"], 0.25);
  EXPECT_EQ(after[0]["details"]["priority_public"], "rsa");
  bool said = false;
  for (const auto& r : after[0]["details"]["reasons"])
    said |= r["text"] == "Bénéficiaire du RSA – public prioritaire de la clause (priorité retenue, poids 0,25)";
  EXPECT_TRUE(said) << after[0].dump();
}

// A shutdown does not wait for a long run: the run stops at its next progress report and says why.
TEST_F(BatchRunTest, ShutdownInterruptsARunUnderWay) {
  std::atomic<bool> started{false};
  const auto endless = [&](const model::Dataset&, const model::Referential&, const json&,
                           const std::function<void(double)>& progress, service::PreviousRun*) -> BatchOutcome {
    started = true;
    for (int i = 0; i < 2000; ++i) {  // 20 s at most, were cancellation broken
      progress(0.5);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  };
  store::Batch b;
  b.org = "PLIE-LILLE";
  b.params = {{"contracts", json::array()}};
  store_->Write([&](store::Session& s) { s.InsertBatch(b); });
  App app(*store_, Referential(), ServerOptions{});
  auto runner = std::make_unique<BatchRunner>(app, endless);
  runner->Enqueue(b.id, b.org);
  for (int i = 0; i < 500 && !started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(started);
  const auto t0 = std::chrono::steady_clock::now();
  runner.reset();  // what ~Server does on shutdown
  const auto stop_took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(stop_took, std::chrono::seconds(2));
  const auto after = store_->Read([&](store::Session& s) { return s.FindBatch(b.id); });
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->state, store::BatchState::kFailed);
  EXPECT_NE(after->error.find("shutdown"), std::string::npos) << after->error;
}

}  // namespace
}  // namespace clausematch::api::http::testing
