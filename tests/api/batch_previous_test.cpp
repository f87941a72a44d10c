// Incremental batch runs over HTTP (POST /v1/batches with "previous": true; docs/assignment.md,
// "Incremental runs"): on the real server over a real database holding a seeded random instance,
// a warm run after contracts open reuses the unchanged openings' cuts and reaches the cold run's
// certified optimum; an organisation only warms from its own runs; the kept state survives a
// restart; a wrong type is named; and proposals accepted from the previous run stay placements
// that the next run does not contradict.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "matcher/matcher.hpp"
#include "store/batch_states.hpp"
#include "store/import.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/matcher/random_instance.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace fs = std::filesystem;
using matcher::testing::RandomInstance;
using matcher::testing::RandomInstanceOptions;

// The date the instance is drawn at and the server judges at.
model::Date InstanceDay() { return model::Date::FromYmd(2026, 11, 23); }

class BatchPreviousTest : public ApiTest {
 protected:
  // Contracts of the seeded instance go to PLIE-LILLE (facilitator A) but every fourth, which
  // goes to PLIE-ROUBAIX (facilitator B); its participants are FT-59's (a prescriber of the
  // fixture, whose territory meets both).
  void SetUp() override {
    RandomInstanceOptions opt;
    opt.seed = 7;
    opt.participants = 400;
    opt.contracts = 16;
    opt.openings_per_contract = 2;
    opt.today = InstanceDay();
    auto data = RandomInstance(*Referential(), opt);
    for (std::size_t k = 0; k < data.contracts.size(); ++k)
      data.contracts[k].facilitator_org = k % 4 == 3 ? "PLIE-ROUBAIX" : "PLIE-LILLE";
    ServerOptions options;
    options.today = InstanceDay();
    Start(options, [&](const std::string& db) {
      store::Store s(db);
      store::ImportDataset(s, data);
    });
  }

  // Starts a run and polls it until it ends (ApiTest::WaitForRun).
  json RunBatch(const std::string& token, const json& body = json::object()) {
    auto started = Post("/v1/batches", body, token);
    EXPECT_EQ(started.status, 202) << started.text;
    auto state = WaitForRun(started.body.value("id", 0), token);
    EXPECT_EQ(state["state"], "succeeded") << state.dump();
    return state;
  }

  json Proposals(std::int64_t batch, const std::string& token) {
    json all = json::array();
    std::string after;
    for (;;) {
      auto r = Get("/v1/batches/" + std::to_string(batch) + "/proposals?limit=500" + after, token);
      EXPECT_EQ(r.status, 200) << r.text;
      for (auto& p : r.body["items"]) all.push_back(p);
      if (r.body["next_cursor"].is_null()) break;
      after = "&cursor=" + r.body["next_cursor"].get<std::string>();
    }
    return all;
  }

  // A contract with two openings opened by facilitator A at the instance's worksites (Lille).
  std::vector<std::uint32_t> OpenContract(const std::string& reference) {
    auto contract = ContractBody(reference);
    contract["start"] = InstanceDay().AddDays(20).ToString();
    contract["end"] = InstanceDay().AddDays(400).ToString();
    auto c = Post("/v1/contracts", contract, facilitator_a_);
    EXPECT_EQ(c.status, 201) << c.text;
    std::vector<std::uint32_t> openings;
    for (int positions : {2, 1}) {
      auto body = OpeningBody();
      body["positions"] = positions;
      body["start"] = InstanceDay().AddDays(45).ToString();
      body["end"] = InstanceDay().AddDays(200).ToString();
      auto o = Post("/v1/contracts/" + std::to_string(c.body.value("id", 0)) + "/openings", body, facilitator_a_);
      EXPECT_EQ(o.status, 201) << o.text;
      openings.push_back(o.body.value("id", 0u));
    }
    return openings;
  }

  // The folder of the kept states (beside the database) and its files.
  [[nodiscard]] std::string StateDir() const { return store::BatchStates(*store_).Dir(); }
  [[nodiscard]] std::set<std::string> StateFiles() const {
    std::set<std::string> files;
    const fs::path dir(StateDir());
    if (fs::is_directory(dir))
      for (const auto& entry : fs::directory_iterator(dir)) files.insert(entry.path().filename().string());
    return files;
  }
  // The files once `settled` holds of them (at most 30 s): a run is reported succeeded before the
  // runner keeps its state and removes the one it replaces (api/http/batch_runner.cpp).
  template <typename Settled>
  [[nodiscard]] std::set<std::string> StateFilesOnce(Settled settled) const {
    auto files = StateFiles();
    for (int i = 0; i < 600 && !settled(files); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      files = StateFiles();
    }
    return files;
  }
  [[nodiscard]] std::set<std::string> StateFilesOnceThey(const std::set<std::string>& expected) const {
    return StateFilesOnce([&](const auto& files) { return files == expected; });
  }
  [[nodiscard]] static std::string StateFileOf(const json& run) {
    return "batch-" + std::to_string(run["id"].get<std::int64_t>()) + ".state";
  }

  static std::set<std::pair<std::uint32_t, std::uint32_t>> Pairs(const json& proposals) {
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (const auto& p : proposals)
      pairs.emplace(p["participant_id"].get<std::uint32_t>(), p["opening_id"].get<std::uint32_t>());
    return pairs;
  }

  static void ExpectSameOptimum(const json& warm, const json& cold) {
    const auto& w = warm["summary"];
    const auto& c = cold["summary"];
    EXPECT_EQ(c["certificate"], "optimal (certified)") << c.dump();
    EXPECT_EQ(w["certificate"], "optimal (certified)") << w.dump();
    EXPECT_EQ(w["optimality"]["proven_optimal"], true);
    EXPECT_EQ(w["optimality"]["objective"], c["optimality"]["objective"]);
    EXPECT_EQ(w["optimality"]["quota_shortfall"], c["optimality"]["quota_shortfall"]);
    EXPECT_EQ(w["total_score"], c["total_score"]);
    EXPECT_EQ(w["filled"], c["filled"]);
    EXPECT_EQ(w["positions"], c["positions"]);
    // The same candidate graph.
    EXPECT_EQ(w["candidate_pairs"], c["candidate_pairs"]);
    EXPECT_EQ(w["pairs_in_reach"], c["pairs_in_reach"]);
    EXPECT_EQ(w["pairs_eligible"], c["pairs_eligible"]);
  }
};

// A contract opens after a first run: the warm run takes every cut of the first run, scans only
// the new openings and reaches the cold run's certified optimum; the organisation keeps one state,
// the last succeeded run's.
TEST_F(BatchPreviousTest, WarmRunAfterAContractOpensEqualsTheColdRun) {
  const auto first = RunBatch(facilitator_a_);
  EXPECT_EQ(first["summary"]["incremental"]["previous"], "none");
  EXPECT_TRUE(first["summary"]["incremental"]["previous_batch_id"].is_null());
  const auto first_id = first["id"].get<std::int64_t>();
  EXPECT_EQ(StateFilesOnceThey({StateFileOf(first)}), (std::set<std::string>{StateFileOf(first)}));
  const auto openings_before = first["summary"]["openings"].get<std::uint32_t>();
  ASSERT_GT(openings_before, 0u);
  ASSERT_GT(first["summary"]["filled"].get<int>(), 0);

  const auto added = OpenContract("2026-LILLE-NEW");
  const auto warm = RunBatch(facilitator_a_, {{"previous", true}});
  EXPECT_EQ(warm["params"]["previous"], true);
  const auto& inc = warm["summary"]["incremental"];
  EXPECT_EQ(inc["previous"], "used") << inc.dump();
  EXPECT_TRUE(inc["reason"].is_null()) << inc.dump();
  EXPECT_EQ(inc["previous_batch_id"], first_id);
  EXPECT_EQ(inc["openings_reused"], openings_before);
  EXPECT_EQ(inc["openings_new"], added.size());
  EXPECT_EQ(inc["openings_changed"], 0);
  EXPECT_EQ(inc["openings_removed"], 0);
  EXPECT_EQ(warm["summary"]["openings"], openings_before + added.size());

  const auto cold = RunBatch(facilitator_a_);
  EXPECT_EQ(cold["summary"]["incremental"]["previous"], "none");
  ExpectSameOptimum(warm, cold);
  // The warm run's proposals: each person once, as many as filled, and the same total score (among
  // equal optima the warm solver may return another assignment: docs/assignment.md).
  const auto warm_proposals = Proposals(warm["id"].get<std::int64_t>(), facilitator_a_);
  EXPECT_EQ(warm_proposals.size(), warm["summary"]["filled"].get<std::size_t>());
  std::set<std::uint32_t> people;
  for (const auto& p : warm_proposals)
    EXPECT_TRUE(people.insert(p["participant_id"].get<std::uint32_t>()).second) << "proposed twice: " << p.dump();
  const auto cold_proposals = Proposals(cold["id"].get<std::int64_t>(), facilitator_a_);
  double warm_sum = 0, cold_sum = 0;
  for (const auto& p : warm_proposals) warm_sum += p["score"].get<double>();
  for (const auto& p : cold_proposals) cold_sum += p["score"].get<double>();
  EXPECT_NEAR(warm_sum, cold_sum, 1e-9 * static_cast<double>(warm_proposals.size() + 1));

  // Only the last succeeded run's state is kept (the cold run's, now).
  EXPECT_EQ(StateFilesOnceThey({StateFileOf(cold)}), (std::set<std::string>{StateFileOf(cold)}));
  // Nothing changed since: every cut reused, the same optimum, the solver started warm or says why.
  const auto again = RunBatch(facilitator_a_, {{"previous", true}});
  EXPECT_EQ(again["summary"]["incremental"]["previous"], "used");
  EXPECT_EQ(again["summary"]["incremental"]["openings_reused"], warm["summary"]["openings"]);
  EXPECT_EQ(again["summary"]["incremental"]["openings_new"], 0);
  ExpectSameOptimum(again, cold);
}

// An organisation only warms from its own runs: B's first run asked with "previous" finds none
// (A's state is A's), runs cold and says why; B's next run starts from B's.
TEST_F(BatchPreviousTest, AnOrganisationWarmsOnlyFromItsOwnRuns) {
  const auto a = RunBatch(facilitator_a_);
  const auto b = RunBatch(facilitator_b_, {{"previous", true}});
  const auto& inc = b["summary"]["incremental"];
  EXPECT_EQ(inc["previous"], "refused");
  EXPECT_EQ(inc["reason"], "no succeeded run of the organisation kept a state");
  EXPECT_TRUE(inc["previous_batch_id"].is_null());
  EXPECT_EQ(inc["openings_reused"], 0);
  EXPECT_EQ(b["summary"]["certificate"], "optimal (certified)");

  const auto b_again = RunBatch(facilitator_b_, {{"previous", true}});
  EXPECT_EQ(b_again["summary"]["incremental"]["previous"], "used");
  EXPECT_EQ(b_again["summary"]["incremental"]["previous_batch_id"], b["id"]);
  // A's state is still A's.
  const auto a_again = RunBatch(facilitator_a_, {{"previous", true}});
  EXPECT_EQ(a_again["summary"]["incremental"]["previous_batch_id"], a["id"]);
  EXPECT_EQ(a_again["summary"]["incremental"]["openings_reused"], a["summary"]["openings"]);
  const std::set<std::string> both{StateFileOf(b_again), StateFileOf(a_again)};
  EXPECT_EQ(StateFilesOnceThey(both), both);  // one per organisation
}

// The kept state survives a restart; files no row names (a crash between a file and its row) are
// removed when the server starts.
TEST_F(BatchPreviousTest, TheKeptStateSurvivesARestart) {
  const auto first = RunBatch(facilitator_a_);
  const auto kept = StateFilesOnceThey({StateFileOf(first)});
  ASSERT_EQ(kept.size(), 1u);
  {
    std::ofstream stray(fs::path(StateDir()) / "batch-999999.state.tmp");
    stray << "half a file";
  }
  ServerOptions options;
  options.today = InstanceDay();
  Restart(options);
  EXPECT_EQ(StateFiles(), kept);
  OpenContract("2026-LILLE-AFTER-RESTART");
  const auto warm = RunBatch(facilitator_a_, {{"previous", true}});
  EXPECT_EQ(warm["summary"]["incremental"]["previous"], "used") << warm["summary"]["incremental"].dump();
  EXPECT_EQ(warm["summary"]["incremental"]["previous_batch_id"], first["id"]);
  EXPECT_EQ(warm["summary"]["incremental"]["openings_reused"], first["summary"]["openings"]);
  const auto cold = RunBatch(facilitator_a_);
  ExpectSameOptimum(warm, cold);
}

// A damaged state file: the run is cold and says why, without the server's paths.
TEST_F(BatchPreviousTest, ADamagedStateGivesAColdRunThatSaysWhy) {
  const auto first = RunBatch(facilitator_a_);
  ASSERT_EQ(StateFilesOnceThey({StateFileOf(first)}).size(), 1u);
  const auto file = fs::path(StateDir()) / StateFileOf(first);
  fs::resize_file(file, fs::file_size(file) - 3);
  const auto run = RunBatch(facilitator_a_, {{"previous", true}});
  const auto& inc = run["summary"]["incremental"];
  EXPECT_EQ(inc["previous"], "refused");
  const auto reason = inc["reason"].get<std::string>();
  EXPECT_EQ(
      reason.rfind("the state kept by run " + std::to_string(first["id"].get<std::int64_t>()) + " cannot be read", 0),
      0u)
      << reason;
  EXPECT_EQ(reason.find(StateDir()), std::string::npos) << reason;
  EXPECT_EQ(run["summary"]["certificate"], "optimal (certified)");
}

// "previous" is true or false; anything else is named.
TEST_F(BatchPreviousTest, AWrongTypeIsNamed) {
  for (const json& bad : {json("yes"), json(1), json(nullptr)}) {
    auto r = Post("/v1/batches", {{"previous", bad}}, facilitator_a_);
    ASSERT_EQ(r.status, 422) << r.text;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    ASSERT_EQ(r.body["errors"].size(), 1u) << r.text;
    EXPECT_EQ(r.body["errors"][0]["pointer"], "/previous");
    EXPECT_EQ(r.body["errors"][0]["code"], "type");
  }
  // false is a cold run, like no member at all.
  const auto run = RunBatch(facilitator_a_, {{"previous", false}});
  EXPECT_EQ(run["summary"]["incremental"]["previous"], "none");
  EXPECT_FALSE(run["params"].contains("previous"));
}

// Proposals accepted from the previous run stay fixed: they are placements, which take their
// positions out of the next run and make their people ineligible over the opening's period. The
// next run asked with "previous" is warm: it finds the three people changed and scans the openings
// in their reach again; it proposes nobody on an accepted pair, fills no opening beyond what is
// left of it, and proposes an accepted person only where the matcher says eligible, with the cold
// optimum.
TEST_F(BatchPreviousTest, AcceptedProposalsStayPlacementsAndTheNextRunRespectsThem) {
  const auto first = RunBatch(facilitator_a_);
  const auto first_id = first["id"].get<std::int64_t>();
  const auto items = Proposals(first_id, facilitator_a_);
  std::map<std::uint32_t, std::uint32_t> accepted;  // participant -> opening
  std::map<std::uint32_t, int> accepted_on;         // opening -> people accepted
  for (const auto& p : items) {
    if (accepted.size() == 3) break;
    auto r = Post("/v1/batches/" + std::to_string(first_id) + "/proposals/" +
                      std::to_string(p["id"].get<std::int64_t>()) + "/decision",
                  {{"decision", "accepted"}}, facilitator_a_);
    if (r.status != 200) continue;  // a hire check may refuse one (e.g. its dates); others will do
    accepted[p["participant_id"].get<std::uint32_t>()] = p["opening_id"].get<std::uint32_t>();
    ++accepted_on[p["opening_id"].get<std::uint32_t>()];
  }
  ASSERT_EQ(accepted.size(), 3u) << items.dump();
  // The placements, as the store keeps them.
  const auto snapshot = store_->snapshot().Copy();
  for (const auto& [participant, opening] : accepted) {
    bool found = false;
    for (const auto& pl : snapshot->placements)
      found = found ||
              (pl.participant.value() == participant && pl.opening.value() == opening && model::TakesAPosition(pl));
    EXPECT_TRUE(found) << participant << " on " << opening;
  }

  const auto next = RunBatch(facilitator_a_, {{"previous", true}});
  const auto& inc = next["summary"]["incremental"];
  // The three people changed (their placements); the openings in their reach are scanned again,
  // the others keep their cuts.
  EXPECT_EQ(inc["previous"], "used") << inc.dump();
  EXPECT_EQ(inc["participants_changed"], 3) << inc.dump();
  EXPECT_EQ(inc["participants_added"], 0);
  EXPECT_EQ(inc["participants_removed"], 0);
  EXPECT_GT(inc["openings_near_changes"].get<int>() + inc["openings_changed"].get<int>(), 0) << inc.dump();
  EXPECT_EQ(inc["previous_batch_id"], first_id);
  EXPECT_EQ(next["summary"]["positions"].get<int>(), first["summary"]["positions"].get<int>() - 3);

  matcher::MatcherOptions options;
  options.today = InstanceDay();
  const matcher::Matcher engine(*Referential(), *snapshot, options);
  std::map<std::uint32_t, int> proposed_on;
  for (const auto& [participant, opening] : Pairs(Proposals(next["id"].get<std::int64_t>(), facilitator_a_))) {
    ++proposed_on[opening];
    const auto it = accepted.find(participant);
    if (it == accepted.end()) continue;
    EXPECT_NE(opening, it->second) << "proposed again where already placed: " << participant;
    const auto why = engine.Explain(model::ParticipantId(participant), model::OpeningId(opening));
    ASSERT_TRUE(why.has_value());
    EXPECT_TRUE(why->verdict.eligible()) << "a placed person proposed where not eligible: " << participant;
  }
  // No opening over its positions once its placements (the accepted ones among them) are counted.
  std::map<std::uint32_t, int> taken;
  for (const auto& pl : snapshot->placements)
    if (model::TakesAPosition(pl)) ++taken[pl.opening.value()];
  for (const auto& [opening, n] : accepted_on) {
    const auto* o = snapshot->FindOpening(model::OpeningId(opening));
    ASSERT_NE(o, nullptr);
    EXPECT_GE(taken[opening], n);
    EXPECT_LE(proposed_on[opening], std::max(0, o->positions - taken[opening])) << "opening " << opening;
  }
  // The same optimum as a cold run on the same data.
  ExpectSameOptimum(next, RunBatch(facilitator_a_));
}

}  // namespace
}  // namespace clausematch::api::http::testing
