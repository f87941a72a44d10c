// Data hygiene through the real server (issue 17, item 7): one CSV escaping function that
// neutralises formula cells (the proposals CSV through the server: batch_run_test.cpp), text
// members refuse NUL characters, and display initials are whole UTF-8 characters.
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
