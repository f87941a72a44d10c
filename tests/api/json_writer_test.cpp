// The two JSON writers (api/json/json_writer.hpp): JsonText prints byte for byte what
// nlohmann::json::dump(2) prints of the tree JsonDom builds from the same calls, at any starting
// indentation; a batch's proposals as text (assignments.json) read exactly as ProposalJson.
#include "api/json/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "api/json/batch_json.hpp"
#include "data/referential_loader.hpp"
#include "service/batch.hpp"
#include "tests/matcher/random_instance.hpp"

namespace clausematch::api::json {
namespace {

using nlohmann::json;

// Feeds a tree to a writer, node by node, in the tree's own (key) order.
template <typename W>
void Walk(W& w, const json& j) {
  if (j.is_object()) {
    w.BeginObject();
    for (const auto& [key, value] : j.items()) {
      w.Key(key);
      Walk(w, value);
    }
    w.EndObject();
  } else if (j.is_array()) {
    w.BeginArray();
    for (const auto& value : j) Walk(w, value);
    w.EndArray();
  } else if (j.is_string()) {
    w.Value(j.get_ref<const std::string&>());
  } else if (j.is_boolean()) {
    w.Value(j.get<bool>());
  } else if (j.is_null()) {
    w.Value(nullptr);
  } else if (j.is_number_unsigned()) {
    w.Value(j.get<std::uint64_t>());
  } else if (j.is_number_integer()) {
    w.Value(j.get<std::int64_t>());
  } else {
    w.Value(j.get<double>());
  }
}

std::string Text(const json& j, int indent = 0) {
  std::string out;
  JsonText w(out, indent);
  Walk(w, j);
  return out;
}

// dump(2) with every line after the first `indent` spaces further in.
std::string Indented(const std::string& dump, int indent) {
  std::string out;
  for (const char c : dump) {
    out += c;
    if (c == '\n') out.append(static_cast<std::size_t>(indent), ' ');
  }
  return out;
}

json Sample() {
  return json::parse(R"({
    "empty_object": {}, "empty_array": [], "nested": {"a": [1, -2, 3.5, [], {}], "b": {"c": null}},
    "strings": ["plain", "quote \" and \\ backslash", "tab\tline\nreturn\rbell\u0007\b\f", "é à « » œ – €", ""],
    "numbers": [0, -0.0, 1.0, 0.1, 1e-7, 123456789012345678, -9223372036854775807, 18446744073709551615,
                2.5e300, 0.8762208063425598, 1e21, 12345.678],
    "flags": [true, false]
  })");
}

TEST(JsonText, PrintsWhatDumpPrints) {
  const json sample = Sample();
  EXPECT_EQ(Text(sample), sample.dump(2));
  for (const char* key : {"empty_object", "empty_array", "nested", "strings", "numbers", "flags"})
    EXPECT_EQ(Text(sample[key]), sample[key].dump(2)) << key;
  EXPECT_EQ(Text(json(42)), "42");
  EXPECT_EQ(Text(json("x")), "\"x\"");
}

TEST(JsonText, NestedLinesStartAtTheIndentationGiven) {
  const json sample = Sample();
  EXPECT_EQ(Text(sample, 4), Indented(sample.dump(2), 4));
  EXPECT_EQ(Text(sample, 1), Indented(sample.dump(2), 1));
}

TEST(JsonText, NumbersAreDumpsAndReadBackExactly) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-320, 300);
  for (int i = 0; i < 20000; ++i) {
    const double v = i % 3 == 0 ? mantissa(gen) : std::ldexp(mantissa(gen), exponent(gen));
    const std::string text = Text(json(v));
    ASSERT_EQ(text, json(v).dump()) << v;
    ASSERT_EQ(json::parse(text).get<double>(), v) << text;
  }
  EXPECT_EQ(Text(json(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(Text(json(std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonDom, BuildsTheTreeItIsWalkedFrom) {
  const json sample = Sample();
  JsonDom w;
  Walk(w, sample);
  EXPECT_EQ(w.Take(), sample);
}

TEST(ProposalText, IsTheProposalJsonDump) {
  const auto ref = data::LoadReferential(CLAUSEMATCH_SOURCE_DIR "/data/reference");
  matcher::testing::RandomInstanceOptions opt;
  opt.seed = 11;
  opt.participants = 400;
  opt.contracts = 16;
  const auto dataset = matcher::testing::RandomInstance(*ref, opt);
  service::BatchParams params;
  params.as_of = opt.today;
  const auto report = service::RunBatch(*ref, dataset, params);
  ASSERT_GE(report.proposals.size(), 20U) << "the instance should give proposals to compare";
  std::size_t with_conditions = 0, with_priority = 0;
  for (const auto& pair : report.proposals) {
    const json dom = ProposalJson(dataset, pair);
    std::string text;
    AppendProposalText(text, dataset, pair, 0);
    ASSERT_EQ(text, dom.dump(2));
    std::string indented;
    AppendProposalText(indented, dataset, pair, 4);
    ASSERT_EQ(indented, Indented(dom.dump(2), 4));
    with_conditions += dom["conditions"].empty() ? 0 : 1;
    with_priority += dom["priority_public"].is_null() ? 0 : 1;
  }
  // Both shapes of the optional parts were compared.
  EXPECT_GT(with_priority, 0U);
  EXPECT_LT(with_priority, report.proposals.size());
  RecordProperty("proposals_with_conditions", static_cast<int>(with_conditions));
}

}  // namespace
}  // namespace clausematch::api::json
