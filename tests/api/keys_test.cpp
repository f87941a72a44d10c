// API keys through the real server (issue 17, "Keys"): an admin lists and revokes keys over HTTP
// and at the command line; a revocation is effective on the next request (in this process) or
// within a second (another process), not after the 60 s cache; failed authentications are
// limited per client address; and an unknown key id costs one database read, not one per request.
#include "tests/api/api_fixture.hpp"
#include "tests/api/cli_runner.hpp"

namespace clausematch::api::http::testing {
namespace {

class KeysTest : public ApiTest {
 protected:
  std::string KeyIdOf(const std::string& token) { return token.substr(3, 16); }
};

TEST_F(KeysTest, AnAdminListsAndRevokesKeysOverHttpEffectiveAtOnce) {
  ASSERT_EQ(Get("/v1/contracts", facilitator_a_).status, 200);  // verified and cached
  auto list = Get("/v1/keys", admin_);
  ASSERT_EQ(list.status, 200) << list.text;
  ASSERT_EQ(list.body["items"].size(), 5u);
  bool listed = false;
  for (const auto& k : list.body["items"]) {
    EXPECT_FALSE(k.contains("hash"));
    if (k["key_id"] == KeyIdOf(facilitator_a_)) {
      listed = true;
      EXPECT_EQ(k["org"], "PLIE-LILLE");
      EXPECT_EQ(k["role"], "facilitator");
      EXPECT_TRUE(k["revoked_at"].is_null());
    }
  }
  EXPECT_TRUE(listed) << list.text;
  EXPECT_EQ(list.text.find(facilitator_a_.substr(20)), std::string::npos);  // no secret anywhere

  EXPECT_EQ(Post("/v1/keys/" + KeyIdOf(facilitator_a_) + "/revoke", json::object(), facilitator_b_).status, 403);
  auto revoked = Post("/v1/keys/" + KeyIdOf(facilitator_a_) + "/revoke", json::object(), admin_);
  ASSERT_EQ(revoked.status, 200) << revoked.text;
  EXPECT_FALSE(revoked.body["revoked_at"].is_null());
  EXPECT_EQ(Get("/v1/contracts", facilitator_a_).status, 401);  // the next request
  EXPECT_EQ(Get("/v1/contracts", facilitator_b_).status, 200);
  auto again = Post("/v1/keys/" + KeyIdOf(facilitator_a_) + "/revoke", json::object(), admin_);
  EXPECT_EQ(again.body["revoked_at"], revoked.body["revoked_at"]);  // the first date stays
  EXPECT_EQ(Post("/v1/keys/0123456789abcdef/revoke", json::object(), admin_).status, 404);
}

TEST_F(KeysTest, ARevocationFromTheCommandLineStopsTheKeyWithinASecond) {
  ASSERT_EQ(Get("/v1/contracts", facilitator_a_).status, 200);  // cached for 60 s
  const auto listed = Clausematch("keys list --db " + db_path_, dir_);
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_NE(listed.out.find(KeyIdOf(facilitator_a_) + "\tPLIE-LILLE\tfacilitator\t"), std::string::npos) << listed.out;
  const auto revoked = Clausematch("keys revoke --db " + db_path_ + " --key-id " + KeyIdOf(facilitator_a_), dir_);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
  const auto t0 = std::chrono::steady_clock::now();
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    status = Get("/v1/contracts", facilitator_a_).status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 401);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(Get("/v1/contracts", facilitator_b_).status, 200);
  const auto unknown = Clausematch("keys revoke --db " + db_path_ + " --key-id 0123456789abcdef", dir_);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("--key-id"), std::string::npos) << unknown.out;
  const auto after = Clausematch("keys list --db " + db_path_, dir_);
  const auto line_at = after.out.find(KeyIdOf(facilitator_a_));
  ASSERT_NE(line_at, std::string::npos) << after.out;
  const auto line = after.out.substr(line_at, after.out.find('\n', line_at) - line_at);
  EXPECT_NE(line.substr(line.size() - 2), "\t-") << line;  // a revocation date
}

TEST_F(KeysTest, FailedAuthenticationsAreLimitedPerAddress) {
  ASSERT_EQ(Get("/v1/contracts", facilitator_a_).status, 200);  // verified before the flood
  const std::string made_up = "cm_0123456789abcdef_" + std::string(43, 'A');
  const double burst = ServerOptions{}.auth_failure_burst;
  int unauthenticated = 0, limited = 0;
  for (int i = 0; i < 30; ++i) {
    auto r = Get("/v1/contracts", i % 2 ? made_up : "cm_nonsense");
    if (r.status == 401) ++unauthenticated;
    if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.Header("Retry-After").empty());
    }
  }
  EXPECT_EQ(unauthenticated, static_cast<int>(burst));
  EXPECT_EQ(limited, 30 - static_cast<int>(burst));
  // Roles refused count too, and the address stays limited for what it cannot prove...
  EXPECT_EQ(Get("/v1/participants", facilitator_a_).status, 429);
  EXPECT_EQ(Get("/v1/contracts", facilitator_b_).status, 429);  // never verified: not looked up
  // ...while a key already verified keeps working.
  EXPECT_EQ(Get("/v1/contracts", facilitator_a_).status, 200);
}

TEST_F(KeysTest, AnUnknownKeyIdCostsOneDatabaseRead) {
  store::KeyRing ring(*store_);
  const std::string made_up = "cm_0123456789abcdef_" + std::string(43, 'A');
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(ring.Authenticate(made_up));
  EXPECT_EQ(ring.lookups(), 1u);
  EXPECT_TRUE(ring.Authenticate(prescriber_a_));
  EXPECT_TRUE(ring.Authenticate(prescriber_a_));
  EXPECT_EQ(ring.lookups(), 2u);
  // A key created afterwards is found (the unknown ids are forgotten when keys change).
  store::KeyRing quick(*store_, std::chrono::seconds(60), std::chrono::milliseconds(0));
  EXPECT_FALSE(quick.Authenticate(made_up));
  const auto fresh = store::CreateApiKey(*store_, "ML-LILLE", store::Role::kPrescriber);
  EXPECT_TRUE(quick.Authenticate(fresh.token));
}

}  // namespace
}  // namespace clausematch::api::http::testing
