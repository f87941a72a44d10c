// Participants over HTTP: create (one, batch, idempotent retry), read, update, withdraw, list with
// cursor and filters, audit entries, and the organisation boundary.
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class ParticipantsTest : public ApiTest {
 protected:
  std::uint32_t Create(const json& body, const std::string& token) {
    auto r = Post("/v1/participants", body, token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
};

TEST_F(ParticipantsTest, CreateReadUpdateWithdraw) {
  auto created = Post("/v1/participants", Person("A-1"), prescriber_a_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto id = created.body.at("id").get<std::uint32_t>();
  EXPECT_EQ(created.Header("Location"), "/v1/participants/" + std::to_string(id));
  EXPECT_EQ(created.body["prescriber_org"], "ML-LILLE");
  EXPECT_EQ(created.body["status"], "active");

  auto read = Get("/v1/participants/" + std::to_string(id), prescriber_a_);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body, created.body);

  auto changed = Person("A-1");
  changed["mobility_radius_km"] = 40;
  auto updated = Put("/v1/participants/" + std::to_string(id), changed, prescriber_a_);
  ASSERT_EQ(updated.status, 200) << updated.text;
  EXPECT_EQ(updated.body["mobility_radius_km"], 40);
  EXPECT_EQ(Get("/v1/participants/" + std::to_string(id), prescriber_a_).body["mobility_radius_km"], 40);

  auto withdrawn = Post("/v1/participants/" + std::to_string(id) + "/withdraw", json::object(), prescriber_a_);
  ASSERT_EQ(withdrawn.status, 200);
  EXPECT_EQ(withdrawn.body["status"], "withdrawn");
  // The snapshot the matcher reads follows the write.
  store_->snapshot().Read([&](const model::Dataset& d) {
    ASSERT_NE(d.FindParticipant(model::ParticipantId(id)), nullptr);
    EXPECT_EQ(d.FindParticipant(model::ParticipantId(id))->status, model::ParticipantStatus::kWithdrawn);
  });
  EXPECT_EQ(Put("/v1/participants/" + std::to_string(id), changed, prescriber_a_).status, 409);
}

TEST_F(ParticipantsTest, EveryReadAndWriteIsAudited) {
  const auto id = Create(Person("A-1"), prescriber_a_);
  Get("/v1/participants/" + std::to_string(id), prescriber_a_);
  Get("/v1/participants", prescriber_a_);
  auto entries = store_->Read([&](store::Session& s) { return s.ListAudit("participant", id); });
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, "create");
  EXPECT_EQ(entries[1].action, "read");
  EXPECT_EQ(entries[1].purpose, "GET /v1/participants/{id}");
  EXPECT_EQ(entries[1].org, "ML-LILLE");
  EXPECT_EQ(entries[1].role, "prescriber");
  EXPECT_FALSE(entries[1].request_id.empty());
  EXPECT_EQ(entries[2].action, "list");
}

TEST_F(ParticipantsTest, AnotherOrganisationsParticipantIsNotFoundOnEveryEndpoint) {
  const auto id = std::to_string(Create(Person("A-1"), prescriber_a_));
  const auto missing = std::to_string(999999);
  for (const auto& target : {id, missing, std::string("abc")}) {
    SCOPED_TRACE(target);
    auto get = Get("/v1/participants/" + target, prescriber_b_);
    EXPECT_EQ(get.status, 404);
    EXPECT_EQ(get.body["type"], "urn:clausematch:problem:not-found");
    EXPECT_EQ(Put("/v1/participants/" + target, Person("B-1"), prescriber_b_).status, 404);
    EXPECT_EQ(Post("/v1/participants/" + target + "/withdraw", json::object(), prescriber_b_).status, 404);
  }
  // The same 404 body shape whether the object exists elsewhere or not at all.
  auto elsewhere = Get("/v1/participants/" + id, prescriber_b_);
  auto nowhere = Get("/v1/participants/" + missing, prescriber_b_);
  EXPECT_EQ(elsewhere.body["detail"], nowhere.body["detail"]);
  // Lists never show another organisation's people; the admin sees everyone.
  EXPECT_EQ(Get("/v1/participants", prescriber_b_).body["items"].size(), 0u);
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants/" + id, admin_).status, 200);
  // Nothing was changed by the refused calls.
  EXPECT_EQ(Get("/v1/participants/" + id, prescriber_a_).body["status"], "active");
}

TEST_F(ParticipantsTest, FacilitatorsCannotReadParticipantRecords) {
  const auto id = std::to_string(Create(Person("A-1"), prescriber_a_));
  EXPECT_EQ(Get("/v1/participants/" + id, facilitator_a_).status, 403);
  EXPECT_EQ(Get("/v1/participants", facilitator_a_).status, 403);
  EXPECT_EQ(Post("/v1/participants", Person("F-1"), facilitator_a_).status, 403);
}

TEST_F(ParticipantsTest, ListPagesWithCursorAndFilters) {
  for (int i = 0; i < 3; ++i) Create(Person("L-" + std::to_string(i)), prescriber_a_);
  auto jeune = Person("L-jeune");
  jeune["criteria"] =
      json::array({{{"criterion", "deld"}, {"proof_date", Today().AddDays(-10).ToString()}, {"validated_by", "X"}}});
  jeune["commune_insee"] = "59512";
  Create(jeune, prescriber_a_);
  Create(Person("B-0"), prescriber_b_);

  auto first = Get("/v1/participants?limit=2", prescriber_a_);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.body["items"].size(), 2u);
  ASSERT_TRUE(first.body["next_cursor"].is_string());
  auto second = Get("/v1/participants?limit=2&cursor=" + first.body["next_cursor"].get<std::string>(), prescriber_a_);
  ASSERT_EQ(second.body["items"].size(), 2u);
  EXPECT_GT(second.body["items"][0]["id"], first.body["items"][1]["id"]);
  auto third = Get("/v1/participants?limit=2&cursor=" + second.body["next_cursor"].get<std::string>(), prescriber_a_);
  EXPECT_EQ(third.body["items"].size(), 0u);
  EXPECT_TRUE(third.body["next_cursor"].is_null());

  EXPECT_EQ(Get("/v1/participants?criterion=deld", prescriber_a_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants?commune_insee=59512", prescriber_a_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants?external_ref=L-1", prescriber_a_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants?status=withdrawn", prescriber_a_).body["items"].size(), 0u);
  EXPECT_EQ(Get("/v1/participants?org=FT-59", admin_).body["items"].size(), 1u);
  EXPECT_EQ(Get("/v1/participants", admin_).body["items"].size(), 5u);

  for (const auto* bad : {"?limit=0", "?limit=501", "?limit=x", "?cursor=abc", "?status=gone", "?criterion=nope"}) {
    auto r = Get(std::string("/v1/participants") + bad, prescriber_a_);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << bad;
  }
}

TEST_F(ParticipantsTest, BatchCreateIsAllOrNothingWithEveryPointer) {
  auto bad = Person("X-2");
  bad.erase("birth_date");
  bad["commune_insee"] = "99999";
  auto r = Post("/v1/participants", {{"participants", json::array({Person("X-1"), bad})}}, prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.body["type"], "urn:clausematch:problem:validation");
  std::set<std::string> pointers;
  for (const auto& e : r.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_TRUE(pointers.count("/participants/1/birth_date")) << r.text;
  EXPECT_TRUE(pointers.count("/participants/1/commune_insee")) << r.text;
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 0u);

  auto ok = Post("/v1/participants", {{"participants", json::array({Person("X-1"), Person("X-2")})}}, prescriber_a_);
  ASSERT_EQ(ok.status, 201) << ok.text;
  EXPECT_EQ(ok.body["created"], 2);
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 2u);
}

TEST_F(ParticipantsTest, ValidationNamesEachFieldAndOrgIsEnforced) {
  auto bad = Person("V-1");
  bad["birth_date"] = "2003-02-30";
  bad["mobility_radius_km"] = "far";
  bad["criteria"][0]["criterion"] = "lottery";
  auto r = Post("/v1/participants", bad, prescriber_a_);
  ASSERT_EQ(r.status, 422);
  std::set<std::string> pointers;
  for (const auto& e : r.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_TRUE(pointers.count("/birth_date")) << r.text;
  EXPECT_TRUE(pointers.count("/mobility_radius_km")) << r.text;
  EXPECT_TRUE(pointers.count("/criteria/0/criterion")) << r.text;

  auto other_org = Person("V-2");
  other_org["prescriber_org"] = "FT-59";
  auto forged = Post("/v1/participants", other_org, prescriber_a_);
  EXPECT_EQ(forged.status, 422);
  EXPECT_EQ(forged.body["errors"][0]["pointer"], "/prescriber_org");
  // An admin must say for whom it creates.
  EXPECT_EQ(Post("/v1/participants", Person("V-3"), admin_).status, 422);
  auto for_org = Person("V-3");
  for_org["prescriber_org"] = "FT-59";
  EXPECT_EQ(Post("/v1/participants", for_org, admin_).status, 201);
}

// Dates are checked against the server's today (`serve --today`), as hours, outcomes and hires
// are dated: on a server whose today is a year back, a record dated by the real calendar (proof,
// registration) is in the future, by JSON, by an update (PUT) and by a CSV upload; the same record dated
// a year earlier is accepted.
TEST_F(ParticipantsTest, DatesAreCheckedAgainstTheServersToday) {
  const auto now = Today();
  ServerOptions options;
  options.today = now.AddDays(-365);
  Restart(options);

  auto refused = Post("/v1/participants", Person("T-1"), prescriber_a_);
  ASSERT_EQ(refused.status, 422) << refused.text;
  std::map<std::string, std::string> codes;
  for (const auto& e : refused.body["errors"]) codes[e.value("pointer", "")] = e.value("code", "");
  EXPECT_EQ(codes["/registration_date"], "in_future") << refused.text;
  EXPECT_EQ(codes["/criteria/0/proof_date"], "in_future") << refused.text;

  auto year_back = Person("T-1");
  const auto back = [&](int days) { return now.AddDays(days - 365).ToString(); };
  year_back["criteria"][0]["proof_date"] = back(-30);
  year_back["available_from"] = back(0);
  year_back["consent_date"] = back(-30);
  year_back["registration_date"] = back(-60);
  auto created = Post("/v1/participants", year_back, prescriber_a_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto id = created.body.at("id").get<std::uint32_t>();

  auto moved = year_back;
  moved["registration_date"] = now.AddDays(-60).ToString();
  auto updated = Put("/v1/participants/" + std::to_string(id), moved, prescriber_a_);
  EXPECT_EQ(updated.status, 422) << updated.text;
  EXPECT_NE(updated.text.find("/registration_date"), std::string::npos) << updated.text;

  const std::string header =
      "prescriber_org;external_ref;first_name;last_name;birth_date;criteria;commune_insee;available_from;"
      "registration_date;consent;consent_date;wanted_appellations\n";
  const auto row = [&](const std::string& ref, int shift) {
    const auto on = [&](int days) { return now.AddDays(days + shift).ToString(); };
    return "ML-LILLE;" + ref + ";Jean;Martin;1990-01-15;rsa:" + on(-20) + ":ML-LILLE;59350;" + on(0) + ";" + on(-5) +
           ";true;" + on(-20) + ";16250\n";
  };
  auto csv_refused = PostRaw("/v1/participants", header + row("T-2", 0), "text/csv", prescriber_a_);
  EXPECT_EQ(csv_refused.status, 422) << csv_refused.text;
  EXPECT_NE(csv_refused.text.find("in the future"), std::string::npos) << csv_refused.text;
  auto csv_created = PostRaw("/v1/participants", header + row("T-2", -365), "text/csv", prescriber_a_);
  EXPECT_EQ(csv_created.status, 201) << csv_created.text;
}

// Sex over HTTP: optional ("non_renseigne" when absent), kept and returned; an unknown code is a
// 422 naming /sex; a CSV upload's sex column is checked the same way, naming its row.
TEST_F(ParticipantsTest, SexIsOptionalStoredAndChecked) {
  auto absent = Post("/v1/participants", Person("S-1"), prescriber_a_);
  ASSERT_EQ(absent.status, 201) << absent.text;
  EXPECT_EQ(absent.body["sex"], "non_renseigne");
  auto woman = Person("S-2");
  woman["sex"] = "femme";
  auto created = Post("/v1/participants", woman, prescriber_a_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto id = created.body.at("id").get<std::uint32_t>();
  EXPECT_EQ(Get("/v1/participants/" + std::to_string(id), prescriber_a_).body["sex"], "femme");
  store_->snapshot().Read([&](const model::Dataset& d) {
    ASSERT_NE(d.FindParticipant(model::ParticipantId(id)), nullptr);
    EXPECT_EQ(d.FindParticipant(model::ParticipantId(id))->sex, model::Sex::kFemme);
  });

  auto bad = Person("S-3");
  bad["sex"] = "W";
  auto r = Post("/v1/participants", bad, prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/sex") << r.text;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");

  const auto today = Today();
  const auto proof = today.AddDays(-20).ToString();
  const std::string row = ";Jean;Martin;1990-01-15;rsa:" + proof + ":ML-LILLE;59350;" + today.ToString() + ";" +
                          today.AddDays(-5).ToString() + ";true;" + proof + ";16250\n";
  const std::string header =
      "prescriber_org;external_ref;sex;first_name;last_name;birth_date;criteria;commune_insee;available_from;"
      "registration_date;consent;consent_date;wanted_appellations\n";
  auto csv = PostRaw("/v1/participants", header + "ML-LILLE;S-4;homme" + row + "ML-LILLE;S-5;x" + row, "text/csv",
                     prescriber_a_);
  ASSERT_EQ(csv.status, 422) << csv.text;
  EXPECT_EQ(csv.body["errors"][0]["pointer"], "/3/sex") << csv.text;
  csv = PostRaw("/v1/participants", header + "ML-LILLE;S-4;homme" + row + "ML-LILLE;S-5;" + row, "text/csv",
                prescriber_a_);
  ASSERT_EQ(csv.status, 201) << csv.text;
  EXPECT_EQ(Get("/v1/participants?external_ref=S-4", prescriber_a_).body["items"][0]["sex"], "homme");
  EXPECT_EQ(Get("/v1/participants?external_ref=S-5", prescriber_a_).body["items"][0]["sex"], "non_renseigne");
}

TEST_F(ParticipantsTest, DuplicateExternalRefIsAConflict) {
  Create(Person("DUP"), prescriber_a_);
  auto again = Post("/v1/participants", Person("DUP"), prescriber_a_);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["type"], "urn:clausematch:problem:conflict");
  EXPECT_EQ(Post("/v1/participants", Person("DUP"), prescriber_b_).status, 201);  // per organisation
}

TEST_F(ParticipantsTest, IdempotencyKeyReplaysTheFirstResponse) {
  const httplib::Headers key{{"Idempotency-Key", "create-A-1"}};
  auto first = Post("/v1/participants", Person("A-1"), prescriber_a_, key);
  ASSERT_EQ(first.status, 201);
  auto retry = Post("/v1/participants", Person("A-1"), prescriber_a_, key);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 1u);
  // Same key, different request: refused, nothing created.
  auto misuse = Post("/v1/participants", Person("A-2"), prescriber_a_, key);
  EXPECT_EQ(misuse.status, 422);
  EXPECT_EQ(misuse.body["type"], "urn:clausematch:problem:idempotency-key-reused");
  // Keys are per API key: another organisation's identical key is independent.
  EXPECT_EQ(Post("/v1/participants", Person("A-1"), prescriber_b_, key).status, 201);
  // A failed create stores nothing: the retry after fixing the body succeeds under the same key.
  const httplib::Headers key2{{"Idempotency-Key", "create-A-3"}};
  auto broken = Person("A-3");
  broken.erase("birth_date");
  EXPECT_EQ(Post("/v1/participants", broken, prescriber_a_, key2).status, 422);
  EXPECT_EQ(Post("/v1/participants", Person("A-3"), prescriber_a_, key2).status, 201);
}

TEST_F(ParticipantsTest, CsvUploadWithSemicolonsAndEveryBadRowNamed) {
  const auto today = Today();
  const auto proof = today.AddDays(-20).ToString();
  const std::string header =
      "prescriber_org;external_ref;first_name;last_name;birth_date;criteria;commune_insee;available_from;"
      "registration_date;consent;consent_date;wanted_appellations\n";
  const std::string good = header + "ML-LILLE;CSV-1;Jean;Martin;1990-01-15;rsa:" + proof + ":ML-LILLE;59350;" +
                           today.ToString() + ";" + today.AddDays(-5).ToString() + ";true;" + proof + ";16250\n" +
                           "ML-LILLE;CSV-2;Léa;Petit;2004-06-30;jeune;59512;" + today.ToString() + ";" +
                           today.AddDays(-5).ToString() + ";true;" + proof + ";16250\n";
  auto r = PostRaw("/v1/participants", good, "text/csv; charset=utf-8", prescriber_a_);
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["created"], 2);
  EXPECT_EQ(Get("/v1/participants?external_ref=CSV-2", prescriber_a_).body["items"][0]["commune_insee"], "59512");

  // Two bad rows (line 2: unknown commune, line 3: impossible date): nothing is created, both named.
  const std::string bad = header + "ML-LILLE;CSV-3;Jean;Martin;1990-01-15;rsa:" + proof + ":X;99999;" +
                          today.ToString() + ";" + today.ToString() + ";true;" + proof + ";16250\n" +
                          "ML-LILLE;CSV-4;Léa;Petit;2004-02-30;jeune;59512;" + today.ToString() + ";" +
                          today.ToString() + ";true;" + proof + ";16250\n";
  auto rejected = PostRaw("/v1/participants", bad, "text/csv", prescriber_a_);
  ASSERT_EQ(rejected.status, 422) << rejected.text;
  std::set<std::string> pointers;
  for (const auto& e : rejected.body["errors"]) pointers.insert(e.value("pointer", ""));
  EXPECT_TRUE(pointers.count("/2/commune_insee")) << rejected.text;
  EXPECT_TRUE(pointers.count("/3/birth_date")) << rejected.text;
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 2u);

  // A CSV row for another organisation is refused.
  const std::string foreign = header + "FT-59;CSV-5;Jean;Martin;1990-01-15;rsa:" + proof + ":X;59350;" +
                              today.ToString() + ";" + today.ToString() + ";true;" + proof + ";16250\n";
  EXPECT_EQ(PostRaw("/v1/participants", foreign, "text/csv", prescriber_a_).status, 422);
}

TEST_F(ParticipantsTest, LogsCarryRequestIdsButNoPersonalData) {
  auto body = Person("LOG-1", "Zéphyrine", "Quasimodo");
  body["email"] = "zephyrine.q@example.org";
  auto r = Post("/v1/participants", body, prescriber_a_);
  ASSERT_EQ(r.status, 201);
  Get("/v1/participants/" + std::to_string(r.body["id"].get<int>()), prescriber_a_);
  StopServer();
  const auto log = log_.str();
  EXPECT_NE(log.find(r.Header("X-Request-Id")), std::string::npos);
  for (const char* secret : {"Zéphyrine", "Quasimodo", "zephyrine.q@example.org", "2003-04-02", "LOG-1"})
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);)
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
}

}  // namespace
}  // namespace clausematch::api::http::testing
