// GET /v1/openings/{id}/shortlist against the real matcher, through the store's snapshot.
#include <algorithm>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class ShortlistTest : public ApiTest {
 protected:
  std::string opening_;
  void SetUp() override {
    ApiTest::SetUp();
    auto c = Post("/v1/contracts", ContractBody(), facilitator_a_);
    ASSERT_EQ(c.status, 201) << c.text;
    auto o =
        Post("/v1/contracts/" + std::to_string(c.body["id"].get<int>()) + "/openings", OpeningBody(), facilitator_a_);
    ASSERT_EQ(o.status, 201) << o.text;
    opening_ = std::to_string(o.body["id"].get<int>());
  }
  std::uint32_t Add(const json& body, const std::string& token) {
    auto r = Post("/v1/participants", body, token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
};

TEST_F(ShortlistTest, EligiblePeopleRankedWithReasonsAndExclusionsCounted) {
  // Three people; by hand: a (Lille, RSA, mason) and b (Roubaix, ~10 km, RSA) are eligible;
  // c withdrew and is counted as excluded.
  const auto a = Add(Person("S-a", "Amel", "Benali"), prescriber_a_);
  auto roubaix = Person("S-b", "Bruno", "Carpentier");
  roubaix["commune_insee"] = "59512";
  const auto b = Add(roubaix, prescriber_b_);
  const auto c = Add(Person("S-c", "Chloé", "Dupont"), prescriber_a_);
  ASSERT_EQ(Post("/v1/participants/" + std::to_string(c) + "/withdraw", json::object(), prescriber_a_).status, 200);

  auto r = Get("/v1/openings/" + opening_ + "/shortlist?k=10", facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["population"], 3);
  EXPECT_EQ(r.body["eligible"], 2);
  std::set<std::uint32_t> ids;
  for (const auto& e : r.body["entries"]) {
    ids.insert(e["candidate"]["participant_id"].get<std::uint32_t>());
    EXPECT_FALSE(e["reasons"].empty());
    EXPECT_GE(e["score"].get<double>(), 0.0);
    EXPECT_LE(e["score"].get<double>(), 1.0);
    for (const char* hidden : {"birth_date", "last_name", "email", "location", "criteria"})
      EXPECT_FALSE(e["candidate"].contains(hidden)) << hidden;
  }
  EXPECT_EQ(ids, (std::set<std::uint32_t>{a, b}));
  EXPECT_GE(r.body["entries"][0]["score"].get<double>(), r.body["entries"][1]["score"].get<double>());
  int excluded = 0;
  for (const auto& [code, n] : r.body["excluded"].items()) excluded += n.get<int>();
  EXPECT_EQ(excluded, 1);
  EXPECT_EQ(r.body["excluded"]["withdrawn"], 1);
  EXPECT_EQ(r.text.find("Benali"), std::string::npos);
  EXPECT_EQ(r.text.find("2003-04-02"), std::string::npos);

  // Every shortlisted person's read is audited for the facilitator.
  auto audit = store_->Read([&](store::Session& s) { return s.ListAudit("participant", a); });
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "shortlist");
  EXPECT_EQ(audit.back().purpose, "GET /v1/openings/{id}/shortlist");
  // ...with the opening it was read for (what a prescriber's renewals and a later hire look at).
  const auto shown = store_->Read([&](store::Session& s) { return s.ListShortlisted(); });
  EXPECT_NE(std::find_if(shown.begin(), shown.end(),
                         [&](const auto& p) {
                           return p.first.value() == a &&
                                  p.second.value() == static_cast<std::uint32_t>(std::stoul(opening_));
                         }),
            shown.end());

  // k bounds the entries; a new participant is seen by the next shortlist (the snapshot moved on).
  EXPECT_EQ(Get("/v1/openings/" + opening_ + "/shortlist?k=1", facilitator_a_).body["entries"].size(), 1u);
  Add(Person("S-d", "Dora", "Evrard"), prescriber_a_);
  EXPECT_EQ(Get("/v1/openings/" + opening_ + "/shortlist?k=10", facilitator_a_).body["eligible"], 3);
}

TEST_F(ShortlistTest, BoundariesAndBadK) {
  EXPECT_EQ(Get("/v1/openings/" + opening_ + "/shortlist", facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/openings/999999/shortlist", facilitator_a_).status, 404);
  EXPECT_EQ(Get("/v1/openings/" + opening_ + "/shortlist", prescriber_a_).status, 403);
  EXPECT_EQ(Get("/v1/openings/" + opening_ + "/shortlist", admin_).status, 200);
  for (const char* k : {"0", "201", "x", ""}) {
    auto r = Get("/v1/openings/" + opening_ + "/shortlist?k=" + k, facilitator_a_);
    EXPECT_EQ(r.status, 400) << k;
    EXPECT_EQ(r.body["errors"][0]["parameter"], "k");
  }
}

}  // namespace
}  // namespace clausematch::api::http::testing
