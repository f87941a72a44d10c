// The `clausematch generate` command, run as a user would (CLAUSEMATCH_BINARY).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "data/binary_io.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"

namespace clausematch::generator {
namespace {

using data::EncodeBinaryDataset;
using data::LoadDataset;
using data::LoadReferential;

namespace fs = std::filesystem;

const model::Referential& Ref() {
  static const auto kRef = LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  return *kRef;
}

struct CliRun {
  int exit_code = -1;
  std::string err;  // stderr (stdout must stay empty)
  std::string out;
};

CliRun RunGenerate(const std::string& args) {
  static int counter = 0;
  const fs::path err_file =
      fs::temp_directory_path() / ("cm_gen_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string cmd = std::string(CLAUSEMATCH_BINARY) + " generate " + args + " 2>" + err_file.string();
  CliRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  fs::remove(err_file);
  return r;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GenerateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cm_gen_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(GenerateCli, SameSeedWritesByteIdenticalCsvFilesAndSummarisesOnStderr) {
  const std::string args = "--departements 80 --participants 300 --contracts 12 --seed 5 --format csv --out ";
  const CliRun a = RunGenerate(args + (dir_ / "a").string());
  const CliRun b = RunGenerate(args + (dir_ / "b").string());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(a.out.empty());
  for (const char* name : {"participants.csv", "contracts.csv", "openings.csv"}) {
    const std::string fa = Slurp(dir_ / "a" / name);
    EXPECT_FALSE(fa.empty()) << name;
    EXPECT_EQ(fa, Slurp(dir_ / "b" / name)) << name;
  }
  EXPECT_NE(a.err.find("participants by criterion"), std::string::npos) << a.err;
  EXPECT_NE(a.err.find("by département"), std::string::npos);
  EXPECT_NE(a.err.find("positions by trade"), std::string::npos);
  EXPECT_NE(a.err.find("Somme"), std::string::npos);

  // The CSV files load back into what the generator produced in-process.
  GeneratorConfig config;
  config.departements = {"80"};
  config.participants = 300;
  config.contracts = 12;
  config.seed = 5;
  const auto expected = generator::Generate(config, Ref());
  const auto loaded = LoadDataset((dir_ / "a").string(), Ref());
  ASSERT_EQ(loaded.participants.size(), expected.participants.size());
  ASSERT_EQ(loaded.contracts.size(), expected.contracts.size());
  ASSERT_EQ(loaded.openings.size(), expected.openings.size());
  EXPECT_EQ(loaded.as_of, expected.as_of);
  for (std::size_t i = 0; i < expected.participants.size(); ++i) {
    EXPECT_EQ(loaded.participants[i].commune_insee, expected.participants[i].commune_insee) << i;
    EXPECT_EQ(loaded.participants[i].wanted_appellations, expected.participants[i].wanted_appellations) << i;
    EXPECT_EQ(loaded.participants[i].criteria, expected.participants[i].criteria) << i;
  }
}

TEST_F(GenerateCli, BinaryFormatLoadsBackIdentically) {
  const CliRun r =
      RunGenerate("--departements 62 --participants 200 --contracts 8 --seed 9 --as-of 2027-03-01 --format bin --out " +
                  dir_.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto loaded = LoadDataset(dir_.string(), Ref());
  GeneratorConfig config;
  config.departements = {"62"};
  config.participants = 200;
  config.contracts = 8;
  config.seed = 9;
  config.as_of = model::Date::FromYmd(2027, 3, 1);
  EXPECT_EQ(EncodeBinaryDataset(loaded), EncodeBinaryDataset(generator::Generate(config, Ref())));
}

TEST_F(GenerateCli, BadInputExitsWithCodeTwoAndNamesTheOption) {
  const std::string out = " --out " + dir_.string();
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c :
       {Case{"--region 99 --participants 10", "--region"}, Case{"--departements 59,XX --participants 10", "'XX'"},
        Case{"--departements 59 --as-of 2026-13-01", "--as-of"}, Case{"--departements 59 --format xml", "--format"},
        Case{"--preset planet", "--preset"}, Case{"--participants 10", "--region"}}) {
    const CliRun r = RunGenerate(c.args + out);
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "participants.csv"));
}

}  // namespace
}  // namespace clausematch::generator
