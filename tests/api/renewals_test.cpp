// Conditional eligibility through the real server: the conditions on shortlist entries, batch
// proposals and the run's summary, the prescribers' list of proofs to renew, and the hire date and
// eligibility snapshot of a placement.
//
// Fixture (dates relative to today T): an opening starting T+45, so the hire date H = T+45. Adults
// (born 1980: no age criterion) with an RSA attestation (valid 3 months, last day
// AddMonths(d, 3) - 1):
//   dated T-80: valid today, lapses about T+10, before H -> eligible subject to renewal (rsa, H);
//   dated T-10: valid through about T+80 -> eligible without condition;
//   dated T-200: lapsed before today -> not eligible (proof_expired).
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class RenewalsTest : public ApiTest {
 protected:
  std::string contract_, opening_;
  void SetUp() override {
    ApiTest::SetUp();
    auto c = Post("/v1/contracts", ContractBody(), facilitator_a_);
    ASSERT_EQ(c.status, 201) << c.text;
    contract_ = std::to_string(c.body["id"].get<int>());
    auto o = Post("/v1/contracts/" + contract_ + "/openings", OpeningBody(), facilitator_a_);  // 2 positions
    ASSERT_EQ(o.status, 201) << o.text;
    opening_ = std::to_string(o.body["id"].get<int>());
  }
  static json Adult(const std::string& ref, int rsa_days_ago) {
    auto p = Person(ref);
    p["birth_date"] = "1980-05-05";
    p["criteria"] = json::array(
        {{{"criterion", "rsa"}, {"proof_date", Today().AddDays(-rsa_days_ago).ToString()}, {"validated_by", "CD59"}}});
    return p;
  }
  std::uint32_t Add(const json& body, const std::string& token) {
    auto r = Post("/v1/participants", body, token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  json RunBatch() {
    auto started = Post("/v1/batches", json::object(), facilitator_a_);
    EXPECT_EQ(started.status, 202) << started.text;
    const auto path = "/v1/batches/" + std::to_string(started.body.value("id", 0));
    json state;
    for (int i = 0; i < 1200; ++i) {
      state = Get(path, facilitator_a_).body;
      if (state["state"] == "succeeded" || state["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return state;
  }
  static std::vector<std::string> Pointers(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& e : r.body["errors"])
      out.push_back(e["pointer"].get<std::string>() + ":" + e["code"].get<std::string>());
    return out;
  }
  const std::string hire_ = Today().AddDays(45).ToString();
};

TEST_F(RenewalsTest, ConditionsOnShortlistsProposalsSummaryAndThePrescribersList) {
  const auto renew = Add(Adult("R-1", 80), prescriber_a_);  // ML-LILLE
  const auto sure = Add(Adult("R-2", 10), prescriber_b_);   // FT-59
  Add(Adult("R-3", 200), prescriber_a_);                    // not eligible

  // Shortlist: one condition for R-1, an empty array for R-2.
  auto s = Get("/v1/openings/" + opening_ + "/shortlist", facilitator_a_);
  ASSERT_EQ(s.status, 200) << s.text;
  EXPECT_EQ(s.body["eligible"], 2);
  EXPECT_EQ(s.body["subject_to_renewal"], 1);
  EXPECT_EQ(s.body["excluded"]["proof_expired"], 1);
  ASSERT_EQ(s.body["entries"].size(), 2u);
  for (const auto& e : s.body["entries"]) {
    const auto id = e["candidate"]["participant_id"].get<std::uint32_t>();
    ASSERT_TRUE(e["conditions"].is_array());
    if (id == sure) {
      EXPECT_TRUE(e["conditions"].empty());
      continue;
    }
    ASSERT_EQ(id, renew);
    ASSERT_EQ(e["conditions"].size(), 1u);
    const auto& c = e["conditions"][0];
    EXPECT_EQ(c["code"], "proof_to_renew");
    EXPECT_EQ(c["criterion"], "rsa");
    EXPECT_EQ(c["renew_by"], hire_);
    EXPECT_NE(c["text"].get<std::string>().find("à actualiser avant l'embauche du"), std::string::npos);
  }

  // The batch: both proposed; the summary counts the conditional one and the provisional RSA.
  const auto run = RunBatch();
  ASSERT_EQ(run["state"], "succeeded") << run.dump();
  const auto& summary = run["summary"];
  EXPECT_EQ(summary["filled"], 2);
  EXPECT_EQ(summary["subject_to_renewal"]["proposals"], 1) << summary.dump();
  EXPECT_EQ(summary["subject_to_renewal"]["by_criterion"], (json{{"rsa", 1}}));
  EXPECT_EQ(summary["filled_by_public"]["rsa"], 2);
  EXPECT_EQ(summary["filled_by_public_provisional"], (json{{"rsa", 1}}));
  auto proposals = Get("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals", facilitator_a_);
  ASSERT_EQ(proposals.body["items"].size(), 2u);
  std::int64_t renew_proposal = 0;
  for (const auto& p : proposals.body["items"]) {
    const auto& d = p["details"];
    EXPECT_EQ(d["hire_date"], hire_);
    if (p["participant_id"] == renew) {
      renew_proposal = p["id"].get<std::int64_t>();
      ASSERT_EQ(d["conditions"].size(), 1u);
      EXPECT_EQ(d["conditions"][0]["criterion"], "rsa");
      EXPECT_EQ(d["conditions"][0]["renew_by"], hire_);
    } else {
      EXPECT_EQ(d["conditions"], json::array());
    }
  }

  // The prescriber of R-1 sees it (a pending proposal); the other prescriber nothing; an admin all.
  auto mine = Get("/v1/participants/renewals", prescriber_a_);
  ASSERT_EQ(mine.status, 200) << mine.text;
  ASSERT_EQ(mine.body["items"].size(), 1u) << mine.text;
  const auto& item = mine.body["items"][0];
  EXPECT_EQ(item["participant_id"], renew);
  EXPECT_EQ(item["external_ref"], "R-1");
  EXPECT_EQ(item["opening_id"].get<int>(), std::stoi(opening_));
  EXPECT_EQ(item["source"], "proposal");
  EXPECT_EQ(item["condition"]["criterion"], "rsa");
  EXPECT_EQ(item["condition"]["renew_by"], hire_);
  EXPECT_TRUE(Get("/v1/participants/renewals", prescriber_b_).body["items"].empty());
  EXPECT_EQ(Get("/v1/participants/renewals", admin_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants/renewals", facilitator_a_).status, 403);
  auto audit = store_->Read([&](store::Session& st) { return st.ListAudit("participant", renew); });
  EXPECT_EQ(audit.back().action, "renewals");

  // Declined, the proposal no longer counts; the shortlist R-1 was read on still does.
  ASSERT_EQ(Post("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals/" +
                     std::to_string(renew_proposal) + "/decision",
                 {{"decision", "declined"}}, facilitator_a_)
                .status,
            200);
  mine = Get("/v1/participants/renewals", prescriber_a_);
  ASSERT_EQ(mine.body["items"].size(), 1u) << mine.text;
  EXPECT_EQ(mine.body["items"][0]["source"], "shortlist");

  // The prescriber records a fresh attestation: nothing left to renew.
  ASSERT_EQ(Put("/v1/participants/" + std::to_string(renew), Adult("R-1", 5), prescriber_a_).status, 200);
  EXPECT_TRUE(Get("/v1/participants/renewals", prescriber_a_).body["items"].empty());
}

// The list is paged like every list: limit and cursor (the number of rows already given); only
// the people on the page asked for have their read audited.
TEST_F(RenewalsTest, ThePrescribersListIsPagedAndAuditsOnlyThePageShown) {
  std::vector<std::uint32_t> people;
  for (const auto* ref : {"R-1", "R-2", "R-3"}) people.push_back(Add(Adult(ref, 80), prescriber_a_));
  ASSERT_EQ(Get("/v1/openings/" + opening_ + "/shortlist", facilitator_a_).status, 200);  // all three read on it
  const auto audited = [&](std::uint32_t id) {
    const auto audit = store_->Read([&](store::Session& st) { return st.ListAudit("participant", id); });
    return std::count_if(audit.begin(), audit.end(), [](const auto& a) { return a.action == "renewals"; });
  };

  const auto all = Get("/v1/participants/renewals", prescriber_a_);
  ASSERT_EQ(all.status, 200) << all.text;
  ASSERT_EQ(all.body["items"].size(), 3u) << all.text;
  EXPECT_TRUE(all.body["next_cursor"].is_null());
  std::vector<std::int64_t> before;
  before.reserve(people.size());
  for (const auto id : people) before.push_back(audited(id));

  const auto first = Get("/v1/participants/renewals?limit=2", prescriber_a_);
  ASSERT_EQ(first.status, 200) << first.text;
  ASSERT_EQ(first.body["items"].size(), 2u);
  ASSERT_EQ(first.body["next_cursor"], "2");
  EXPECT_EQ(first.body["today"], all.body["today"]);
  const auto second = Get("/v1/participants/renewals?limit=2&cursor=2", prescriber_a_);
  ASSERT_EQ(second.status, 200) << second.text;
  ASSERT_EQ(second.body["items"].size(), 1u);
  EXPECT_TRUE(second.body["next_cursor"].is_null());
  EXPECT_EQ((json::array({first.body["items"][0], first.body["items"][1], second.body["items"][0]})),
            all.body["items"]);

  // Each page audited its own people once, and nobody else.
  for (std::size_t i = 0; i < people.size(); ++i) EXPECT_EQ(audited(people[i]), before[i] + 1) << people[i];
  const auto past_the_end = Get("/v1/participants/renewals?cursor=3", prescriber_a_);
  ASSERT_EQ(past_the_end.status, 200);
  EXPECT_TRUE(past_the_end.body["items"].empty());
  for (std::size_t i = 0; i < people.size(); ++i) EXPECT_EQ(audited(people[i]), before[i] + 1) << people[i];

  const auto bad = Get("/v1/participants/renewals?limit=0", prescriber_a_);
  EXPECT_EQ(bad.status, 400);
  ASSERT_EQ(bad.body["errors"].size(), 1u) << bad.text;
  EXPECT_EQ(bad.body["errors"][0]["parameter"], "limit");
}

TEST_F(RenewalsTest, AcceptanceAndHireTakeTheHireDateAndKeepASnapshot) {
  const auto renew = Add(Adult("R-1", 80), prescriber_a_);
  const auto lapsed = Add(Adult("R-3", 200), prescriber_a_);
  const auto run = RunBatch();
  ASSERT_EQ(run["state"], "succeeded") << run.dump();
  auto items = Get("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals", facilitator_a_).body["items"];
  ASSERT_EQ(items.size(), 1u);
  const auto decided = Post("/v1/batches/" + std::to_string(run["id"].get<int>()) + "/proposals/" +
                                std::to_string(items[0]["id"].get<int>()) + "/decision",
                            {{"decision", "accepted"}}, facilitator_a_);
  ASSERT_EQ(decided.status, 200) << decided.text;

  // The accepted placement starts on the hire date, max(today, opening start), and keeps why the
  // person counted. A facilitator sees the basis, the criteria it rests on and the conditions; no
  // proof date.
  auto list = Get("/v1/contracts/" + contract_ + "/placements", facilitator_a_);
  ASSERT_EQ(list.body["items"].size(), 1u);
  const auto& placed = list.body["items"][0];
  const auto id = std::to_string(placed["id"].get<int>());
  EXPECT_EQ(placed["start"], hire_);
  const auto& seen = placed["eligibility"];
  EXPECT_EQ(seen["hire_date"], hire_);
  EXPECT_EQ(seen["judged_on"], Today().ToString());
  EXPECT_EQ(seen["basis"], "clause_public");
  EXPECT_EQ(seen["eligible_by"], json::array({"rsa"}));
  ASSERT_EQ(seen["conditions"].size(), 1u);
  EXPECT_EQ(seen["conditions"][0]["renew_by"], hire_);
  EXPECT_FALSE(seen.contains("criteria"));
  EXPECT_EQ(list.text.find(Today().AddDays(-80).ToString()), std::string::npos);
  // An admin (a funder's control) sees the proof, its date and who validated it.
  auto full = Get("/v1/placements/" + id, admin_);
  ASSERT_EQ(full.status, 200) << full.text;
  const auto& snapshot = full.body["eligibility"];
  ASSERT_EQ(snapshot["criteria"].size(), 1u) << snapshot.dump();
  EXPECT_EQ(snapshot["criteria"][0]["criterion"], "rsa");
  EXPECT_EQ(snapshot["criteria"][0]["proof_date"], Today().AddDays(-80).ToString());
  EXPECT_EQ(snapshot["criteria"][0]["validated_by"], "CD59");
  EXPECT_EQ(snapshot["provisional"], json::array({"rsa"}));

  // The hire: never before the decision, within the opening's dates; a later date moves the start
  // and the condition's date (the attestation must still be renewed by then).
  const auto hire = "/v1/placements/" + id + "/hire";
  EXPECT_EQ(
      Pointers(Post(hire, {{"hire_date", Today().AddDays(-1).ToString()}, {"employer", "Bâti Nord"}}, facilitator_a_)),
      (std::vector<std::string>{"/hire_date:before_decision"}));
  EXPECT_EQ(
      Pointers(Post(hire, {{"hire_date", Today().AddDays(201).ToString()}, {"employer", "Bâti Nord"}}, facilitator_a_)),
      (std::vector<std::string>{"/hire_date:out_of_range"}));
  const auto later = Today().AddDays(60).ToString();
  auto hired = Post(hire, {{"hire_date", later}, {"employer", "Bâti Nord"}}, facilitator_a_);
  ASSERT_EQ(hired.status, 200) << hired.text;
  EXPECT_EQ(hired.body["status"], "hired");
  EXPECT_EQ(hired.body["start"], later);
  EXPECT_EQ(hired.body["eligibility"]["hire_date"], later);
  EXPECT_EQ(hired.body["eligibility"]["conditions"][0]["renew_by"], later);

  // A direct hire of someone who does not count for the clause at the hire date is refused, saying
  // so (an admin, who may record anyone's hire).
  auto refused =
      Post("/v1/placements",
           {{"opening_id", std::stoi(opening_)}, {"participant_id", lapsed}, {"employer", "Bâti Nord"}}, admin_);
  EXPECT_EQ(refused.status, 422) << refused.text;
  EXPECT_EQ(Pointers(refused), (std::vector<std::string>{"/participant_id:not_eligible"}));
  EXPECT_NE(refused.text.find("at the hire date " + hire_), std::string::npos) << refused.text;
  (void)renew;
}

}  // namespace
}  // namespace clausematch::api::http::testing
