// `clausematch shortlist` end to end on a small generated dataset written to a temporary folder.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

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
    dir_ = new fs::path(fs::temp_directory_path() / ("clausematch_shortlist_" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    data::SaveDataset(generator::Generate(config, *ref), dir_->string(), data::DatasetFormat::kJson);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path* dir_;
};
fs::path* ShortlistCli::dir_ = nullptr;

TEST_F(ShortlistCli, JsonCarriesScoresComponentsReasonsAndExclusions) {
  const auto run = Execute("--data " + dir_->string() + " --k 5 --format json");
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
  auto run = Execute("--data " + dir_->string() + " --k 3");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Personnes écartées"), std::string::npos) << run.out;
  run = Execute("--data " + dir_->string() + " --opening 99999999");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("no opening 99999999"), std::string::npos) << run.out;
  run = Execute("--data " + dir_->string() + " --today 2026-13-01");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  const fs::path config = *dir_ / "weights.json";
  std::ofstream(config) << R"({"skill": 0.5, "colour": 1})";
  run = Execute("--data " + dir_->string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("/colour: unknown key"), std::string::npos) << run.out;
  std::ofstream(config) << R"({"skill": 0.5, "default_priority_publics": ["rsa", "jeune"]})";
  run = Execute("--data " + dir_->string() + " --config " + config.string() + " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

}  // namespace
}  // namespace clausematch::matcher
