// Hostile input through the real server (issue 17): bodies nested deep enough to overflow the stack
// of anything that recurses over them are refused before a document is built, and the server keeps
// serving afterwards.
#include "data/json_codec.hpp"
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class HardeningTest : public ApiTest {
 protected:
  void ExpectDepthRefused(const Reply& r, const std::string& what) {
    EXPECT_EQ(r.status, 400) << what << ": " << r.text.substr(0, 300);
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << what;
    EXPECT_EQ(r.body.value("type", ""), "urn:clausematch:problem:invalid-json") << what;
    EXPECT_NE(r.body.value("detail", "").find("deeper than 64 levels"), std::string::npos) << what << ": " << r.text;
  }
  Reply PutRaw(const std::string& path, const std::string& body, const std::string& token) {
    return From(Client().Put(path.c_str(), Auth(token), body, "application/json"));
  }
};

// 140,000 nested '[' (280 KB with the closing ones) once crashed the server (SIGSEGV: the body was
// copied recursively). Every body-parsing route refuses it with a 400 problem, and the server
// still answers afterwards.
TEST_F(HardeningTest, DeeplyNestedBodiesAreRefusedAndTheServerStaysUp) {
  const auto id = Post("/v1/participants", Person("DEEP-1"), prescriber_a_).body.value("id", 0u);
  ASSERT_NE(id, 0u);
  const std::string deep = std::string(140000, '[') + std::string(140000, ']');
  ASSERT_EQ(deep.size(), 280000u);

  ExpectDepthRefused(PostRaw("/v1/participants", deep, "application/json", prescriber_a_), "POST participants");
  ExpectDepthRefused(
      PostRaw("/v1/participants", R"({"participants": [)" + deep + "]}", "application/json", prescriber_a_),
      "POST participants (batch)");
  ExpectDepthRefused(PutRaw("/v1/participants/" + std::to_string(id), deep, prescriber_a_), "PUT participant");
  ExpectDepthRefused(PostRaw("/v1/batches", deep, "application/json", facilitator_a_), "POST batches");
  ExpectDepthRefused(PostRaw("/v1/contracts", R"({"title": )" + deep + "}", "application/json", facilitator_a_),
                     "POST contracts");

  EXPECT_EQ(Get("/livez", "").status, 200);
  auto read = Get("/v1/participants/" + std::to_string(id), prescriber_a_);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body.value("external_ref", ""), "DEEP-1");
  EXPECT_EQ(Post("/v1/participants", Person("DEEP-2"), prescriber_a_).status, 201);
}

// The limit counts arrays and objects, the body itself included: 64 levels parse (and fail
// validation like any wrong value), 65 do not; brackets inside strings do not count.
TEST_F(HardeningTest, DepthLimitIsSixtyFourLevels) {
  auto nested = [](std::size_t levels) {  // an object whose "skills" holds levels - 1 arrays
    return R"({"skills": )" + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
  };
  auto at_limit = PostRaw("/v1/participants", nested(64), "application/json", prescriber_a_);
  EXPECT_EQ(at_limit.status, 422) << at_limit.text;
  ExpectDepthRefused(PostRaw("/v1/participants", nested(65), "application/json", prescriber_a_), "65 levels");

  auto person = Person("BRACKETS");
  person["first_name"] = std::string(200, '[') + "\\\"{";
  EXPECT_EQ(Post("/v1/participants", person, prescriber_a_).status, 201);
}

TEST(JsonNesting, CountsBracketsOutsideStringsOnly) {
  EXPECT_FALSE(data::JsonNestingBeyond("[[1], {\"a\": [2]}]", 3));
  EXPECT_EQ(data::JsonNestingBeyond("[[1], {\"a\": [2]}]", 2), 12u);
  EXPECT_FALSE(data::JsonNestingBeyond(R"(["[[[[", "\"[[[", {"k]": "{{{{"}])", 2));
  EXPECT_EQ(data::JsonNestingBeyond("[[[", 2), 2u);
  EXPECT_FALSE(data::JsonNestingBeyond("]]]][[", 2));  // invalid, but never deeper than 2
  const std::string text = "[\n [[";
  ASSERT_EQ(data::JsonNestingBeyond(text, 2), 4u);
  EXPECT_EQ(data::JsonNestingMessage(text, 4, 2), "nests arrays and objects deeper than 2 levels (line 2, column 3)");
}

}  // namespace
}  // namespace clausematch::api::http::testing
