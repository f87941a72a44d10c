// `clausematch shortlist` end to end on a small generated dataset written to a temporary folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"

namespace clausematch::matcher {
namespace {

namespace fs = std::filesystem;

struct Run {
  int exit_code = 0;
  std::string out;
};

Run Execute(const std::string& args) {
  const fs::path out = fs::temp_directory_path() / ("clausematch_shortlist_" + std::to_string(::getpid()) + ".out");
  const std::string cmd = std::string(CLAUSEMATCH_BINARY) + " shortlist " + args + " > " + out.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(out);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

class ShortlistCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto ref = data::LoadReferential(CLAUSEMATCH_SOURCE_DIR "/data/reference");
    auto config = generator::PresetConfig("departement", *ref);
    config.participants = 600;
    config.contracts = 12;
    shared_dir = new fs::path(fs::temp_directory_path() / ("clausematch_shortlist_" + std::to_string(::getpid())));
    fs::create_directories(*shared_dir);
    data::SaveDataset(generator::Generate(config, *ref), shared_dir->string(), data::DatasetFormat::kJson);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*shared_dir);
    delete shared_dir;
  }
  static fs::path* shared_dir;
};
fs::path* ShortlistCli::shared_dir = nullptr;

TEST_F(ShortlistCli, JsonCarriesScoresComponentsReasonsAndExclusions) {
  const auto run = Execute("--data " + shared_dir->string() + " --k 5 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["population"], 600);
  ASSERT_TRUE(j["entries"].is_array());
  EXPECT_LE(j["entries"].size(), 5u);
  std::uint64_t excluded = 0;
  for (const auto& e : j["excluded"]) excluded += e["count"].get<std::uint64_t>();
  EXPECT_EQ(excluded + j["eligible"].get<std::uint64_t>(), 600u);
  double previous = 2.0;
  for (const auto& e : j["entries"]) {
    EXPECT_LE(e["score"].get<double>(), previous);
    previous = e["score"].get<double>();
    EXPECT_TRUE(e["components"].contains("skill_fit"));
    EXPECT_TRUE(e["components"].contains("exposure_penalty"));
    EXPECT_FALSE(e["reasons"].empty());
  }
}

TEST_F(ShortlistCli, TableIsPrintedAndBadInputExitsWithTwo) {
  auto run = Execute("--data " + shared_dir->string() + " --k 3");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Personnes écartées"), std::string::npos) << run.out;
  run = Execute("--data " + shared_dir->string() + " --opening 99999999");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("no opening 99999999"), std::string::npos) << run.out;
  run = Execute("--data " + shared_dir->string() + " --today 2026-13-01");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  const fs::path config = *shared_dir / "weights.json";
  std::ofstream(config) << R"({"skill": 0.5, "colour": 1})";
  run = Execute("--data " + shared_dir->string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("/colour: unknown key"), std::string::npos) << run.out;
  std::ofstream(config) << R"({"skill": 0.5, "default_priority_publics": ["rsa", "jeune"]})";
  run = Execute("--data " + shared_dir->string() + " --config " + config.string() + " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

// Priority weights from the config file: a bad one names its line, column and JSON pointer (exit
// 2); good ones set what each public earns, and the reasons name the public that earned it.
TEST_F(ShortlistCli, PriorityWeightsFromTheConfigFile) {
  const fs::path config = *shared_dir / "priority.json";
  std::ofstream(config) << "{\n  \"skill\": 0.5,\n  \"priority_weights\": {\"rsa\": 1, \"jeune\": 1.5}\n}";
  auto run = Execute("--data " + shared_dir->string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("priority.json, line 3, column 34: /priority_weights/jeune: must be in [0, 1]"),
            std::string::npos)
      << run.out;
  std::ofstream(config) << R"({"priority_weights": {"rsq": 1}})";
  run = Execute("--data " + shared_dir->string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("line 1, column 23: /priority_weights/rsq: not a criterion code"), std::string::npos)
      << run.out;
  std::ofstream(config) << R"({"priority_weights": []})";
  run = Execute("--data " + shared_dir->string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("line 1, column 2: /priority_weights: expected an object"), std::string::npos) << run.out;

  // Every public at 0.4: each entry's priority component is 0 or 0.4 where the defaults gave 0 or 1.
  auto priorities = [&](const std::string& extra) {
    const auto out = Execute("--data " + shared_dir->string() + " --k 50 --format json" + extra);
    EXPECT_EQ(out.exit_code, 0) << out.out;
    std::vector<double> values;
    int named = 0;
    const auto doc = nlohmann::json::parse(out.out);  // kept: a range over a temporary's member dangles
    for (const auto& e : doc["entries"]) {
      values.push_back(e["components"]["priority"].get<double>());
      bool earned = false;
      for (const auto& r : e["reasons"])
        earned |= r["text"].get<std::string>().find("priorité retenue, poids " +
                                                    std::string(extra.empty() ? "1,00" : "0,40")) != std::string::npos;
      // Named when the eligibility rests on it (a priority public outside the basis is not named).
      if (earned) {
        EXPECT_GT(values.back(), 0.0) << e.dump();
        ++named;
      }
    }
    EXPECT_GT(named, 0) << extra;
    return values;
  };
  const auto defaults = priorities("");
  std::string all = "{\"priority_weights\": {";
  for (const char* code :
       {"rsa", "ass", "aah", "detld", "jeune", "senior", "ase", "deld", "rqth", "parent_isole", "sans_hebergement",
        "refugie", "qpv", "zrr", "sortant_detention", "niveau_formation", "francais_a1", "mobilite", "salarie_siae"})
    all += std::string(all.back() == '{' ? "" : ", ") + "\"" + code + "\": 0.4";
  std::ofstream(config) << all << "}}";
  const auto weighed = priorities(" --config " + config.string());
  ASSERT_FALSE(defaults.empty());
  EXPECT_NE(std::find(defaults.begin(), defaults.end(), 1.0), defaults.end());
  for (double v : defaults) EXPECT_TRUE(v == 0.0 || v == 1.0) << v;
  for (double v : weighed) EXPECT_TRUE(v == 0.0 || v == 0.4) << v;
  EXPECT_NE(std::find(weighed.begin(), weighed.end(), 0.4), weighed.end());
}

}  // namespace
}  // namespace clausematch::matcher
