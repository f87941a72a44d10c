// Data hygiene through the real server (issue 17, items 1 and 7): one CSV escaping function that
// neutralises formula cells (the proposals CSV through the server: batch_run_test.cpp), text
// members refuse NUL characters, display initials are whole UTF-8 characters, CSV uploads are
// UTF-8, error bodies are capped and metric labels come from a closed set. (Report dates far ahead:
// lifecycle_test.cpp.)
#include <set>

#include "data/csv_reader.hpp"
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

using HygieneTest = ApiTest;

// One escaping function for every CSV export, and its inverse for imports: numbers stay numbers.
TEST(CsvEscape, NeutralisesFormulaCellsAndReadsThemBack) {
  using data::CsvEscape;
  using data::CsvUnneutralise;
  EXPECT_EQ(CsvEscape("=1+1"), "'=1+1");
  EXPECT_EQ(CsvEscape("+33 6 12"), "'+33 6 12");
  EXPECT_EQ(CsvEscape("-x"), "'-x");
  EXPECT_EQ(CsvEscape("@A1"), "'@A1");
  EXPECT_EQ(CsvEscape("\tx"), "'\tx");
  EXPECT_EQ(CsvEscape("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvEscape("=A1,B1"), "\"'=A1,B1\"");
  EXPECT_EQ(CsvEscape("'=x"), "''=x");
  EXPECT_EQ(CsvEscape("-1.5"), "-1.5");
  EXPECT_EQ(CsvEscape("-0,5", ';'), "-0,5");
  EXPECT_EQ(CsvEscape("+3"), "+3");
  EXPECT_EQ(CsvEscape("Inès"), "Inès");
  EXPECT_EQ(CsvEscape("'quoted'"), "'quoted'");
  for (const char* s : {"=1+1", "'=x", "''@y", "-1.5", "-", "'", "plain", "'plain", "\tx"}) {
    const std::string written = CsvEscape(s, ';');
    EXPECT_EQ(CsvUnneutralise(written), s) << s;
  }
}

// A NUL in any text member was stored as is; it is a 422 naming the member, for JSON and CSV bodies.
TEST_F(HygieneTest, NulCharactersAreRefusedInText) {
  auto person = Person("NUL-1");
  person["first_name"] = std::string("In\0s", 4);
  auto r = Post("/v1/participants", person, prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  ASSERT_EQ(r.body["errors"].size(), 1u) << r.text;
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/first_name");
  EXPECT_EQ(r.body["errors"][0]["code"], "invalid_character");

  auto contract = ContractBody();
  contract["title"] = std::string("Groupe\0scolaire", 15);
  r = Post("/v1/contracts", contract, facilitator_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/title");

  person = Person("NUL-2");
  person["external_ref"] = std::string(
      "NUL\0"
      "2",
      5);
  r = Post("/v1/participants", {{"participants", json::array({Person("NUL-3"), person})}}, prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/participants/1/external_ref") << r.text;

  auto list = Get("/v1/participants", prescriber_a_);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.body["items"].empty()) << list.text;
}

// A file saved as Latin-1 once gave a 500 (the bytes reached the store); it is a 422 naming the line
// and the column, and nothing is created.
TEST_F(HygieneTest, InvalidUtf8InACsvUploadIsNamedByLineAndColumn) {
  const auto today = Today();
  const auto proof = today.AddDays(-20).ToString();
  const std::string header =
      "prescriber_org;external_ref;first_name;last_name;birth_date;criteria;commune_insee;available_from;"
      "registration_date;consent;consent_date;wanted_appellations\n";
  auto row = [&](const std::string& ref, const std::string& first) {
    return "ML-LILLE;" + ref + ";" + first + ";Martin;1990-01-15;rsa:" + proof + ":ML-LILLE;59350;" + today.ToString() +
           ";" + today.AddDays(-5).ToString() + ";true;" + proof + ";16250\n";
  };
  const auto r = PostRaw("/v1/participants",
                         header + row("U-1", "Jean") +
                             row("U-2",
                                 "L\xe9"
                                 "a"),
                         "text/csv", prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text;
  ASSERT_EQ(r.body["errors"].size(), 1u) << r.text;
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/3/first_name") << r.text;
  EXPECT_NE(r.body["errors"][0]["detail"].get<std::string>().find("line 3, column 3"), std::string::npos) << r.text;
  EXPECT_NE(r.body["errors"][0]["detail"].get<std::string>().find("UTF-8"), std::string::npos) << r.text;
  EXPECT_TRUE(Get("/v1/participants", prescriber_a_).body["items"].empty());
  EXPECT_EQ(PostRaw("/v1/participants", header + row("U-1", "Léa"), "text/csv", prescriber_a_).status, 201);

  using data::InvalidUtf8At;
  EXPECT_FALSE(InvalidUtf8At("Léa Ωmega 😀"));
  EXPECT_EQ(InvalidUtf8At("L\xe9"
                          "a"),
            1u);
  EXPECT_EQ(InvalidUtf8At("\xc0\xaf"), 0u);            // overlong '/'
  EXPECT_EQ(InvalidUtf8At("a\xed\xa0\x80"), 1u);       // a surrogate
  EXPECT_EQ(InvalidUtf8At("ab\xf4\x90\x80\x80"), 2u);  // past U+10FFFF
  EXPECT_EQ(InvalidUtf8At("\xe2\x82"), 0u);            // cut short
}

// A 689 KB bad CSV once gave a 10 MB error body: the first 100 errors are listed, each cut, with
// the count of all.
TEST_F(HygieneTest, ErrorBodiesAreCapped) {
  std::string csv =
      "prescriber_org;external_ref;first_name;last_name;birth_date;criteria;commune_insee;available_from;"
      "registration_date;consent;consent_date;wanted_appellations\n";
  const std::string bad(60, 'x');
  int rows = 0;
  while (csv.size() < std::size_t{689} * 1024) {
    csv += "ML-LILLE;B-" + std::to_string(++rows) + ";Jean;Martin";
    for (int k = 0; k < 8; ++k) csv += ";" + bad;
    csv += "\n";
  }
  const auto r = PostRaw("/v1/participants", csv, "text/csv", prescriber_a_);
  ASSERT_EQ(r.status, 422) << r.text.substr(0, 500);
  EXPECT_EQ(r.body["errors"].size(), kMaxProblemsShown);
  EXPECT_GT(r.body["errors_total"].get<std::size_t>(), static_cast<std::size_t>(rows));  // several per row
  EXPECT_LT(r.text.size(), 100u * 1024u);
  for (const auto& e : r.body["errors"]) EXPECT_LE(e["detail"].get<std::string>().size(), kMaxProblemBytes + 3);
  // A single long message is cut on a character boundary.
  model::Problems one{{"/x", "code", std::string(kMaxProblemBytes - 1, 'a') + "é" + "tail"}};
  const auto body = nlohmann::json::parse(ProblemBody(ErrorCode::kValidation, "d", one, "r"));
  EXPECT_EQ(body["errors"][0]["detail"], std::string(kMaxProblemBytes - 1, 'a') + "…");
  EXPECT_EQ(body["errors_total"], 1);
}

// Metric labels come from a closed set: a made-up method does not become a label.
TEST_F(HygieneTest, MetricLabelsComeFromAClosedSet) {
  auto client = Client();
  for (const char* method : {"BREW", "X-MADE-UP-1", "X-MADE-UP-2"}) {
    httplib::Request req;
    req.method = method;
    req.path = "/livez";
    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    client.send(req, res, error);
  }
  const auto metrics = Get("/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.text.find("BREW"), std::string::npos);
  EXPECT_EQ(metrics.text.find("X-MADE-UP"), std::string::npos);
  EXPECT_NE(metrics.text.find("method=\"other\""), std::string::npos) << metrics.text.substr(0, 2000);
  EXPECT_EQ(Metrics::MethodLabel("GET"), "GET");
  EXPECT_EQ(Metrics::MethodLabel("get"), "other");
}

// "Éric Émond": the initial of the last name is "É" (two bytes), not its first byte.
TEST_F(HygieneTest, DisplayInitialIsAWholeCharacter) {
  ASSERT_EQ(Post("/v1/participants", Person("UTF-1", "Éric", "Émond"), prescriber_a_).status, 201);
  ASSERT_EQ(Post("/v1/participants", Person("UTF-2", "Zoé", "𝔅ertin"), prescriber_a_).status, 201);
  auto c = Post("/v1/contracts", ContractBody(), facilitator_a_);
  ASSERT_EQ(c.status, 201) << c.text;
  auto o =
      Post("/v1/contracts/" + std::to_string(c.body["id"].get<int>()) + "/openings", OpeningBody(), facilitator_a_);
  ASSERT_EQ(o.status, 201) << o.text;
  auto r = Get("/v1/openings/" + std::to_string(o.body["id"].get<int>()) + "/shortlist", facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;  // the body is valid UTF-8: the JSON writer would throw otherwise
  std::set<std::string> names;
  for (const auto& e : r.body["entries"]) names.insert(e["candidate"]["display_name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"Éric É.", "Zoé 𝔅."}));
}

}  // namespace
}  // namespace clausematch::api::http::testing
