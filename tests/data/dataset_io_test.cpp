#include "data/dataset_io.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "data/csv_reader.hpp"
#include "data/json_codec.hpp"
#include "tests/data/fixtures.hpp"

namespace clausematch::data {
namespace {

namespace fs = std::filesystem;
using testing::D;
using testing::SmallReferential;

class DatasetIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cm_dataset_io_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static model::Dataset Sample() {
    model::Dataset d;
    d.as_of = D("2026-10-01");
    d.territory = "Département 59 (Nord)";
    d.participants = {testing::FullParticipant()};
    d.contracts = {testing::FullContract()};
    d.openings = {testing::FullOpening()};
    d.placements = {testing::FullPlacement()};
    return d;
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    if (fs::exists(dir_))
      for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(DatasetIoTest, CsvAndJsonRoundTrip) {
  for (auto format : {DatasetFormat::kCsv, DatasetFormat::kJson}) {
    SCOPED_TRACE(std::string(FormatName(format)));
    fs::remove_all(dir_);
    const auto d = Sample();
    SaveDataset(d, dir_.string(), format);
    const std::string ext = format == DatasetFormat::kCsv ? ".csv" : ".json";
    EXPECT_EQ(Files(), (std::vector<std::string>{"contracts" + ext, "dataset.json", "openings" + ext,
                                                 "participants" + ext, "placements" + ext}));
    EXPECT_EQ(DetectDatasetFormat(dir_.string()), format);

    const auto back = LoadDataset(dir_.string(), SmallReferential());
    EXPECT_EQ(back.as_of, d.as_of);
    EXPECT_EQ(back.territory, d.territory);
    ASSERT_EQ(back.participants.size(), 1u);
    ASSERT_EQ(back.contracts.size(), 1u);
    ASSERT_EQ(back.openings.size(), 1u);
    ASSERT_EQ(back.placements.size(), 1u);
    testing::ExpectSame(d.participants[0], back.participants[0]);
    testing::ExpectSame(d.contracts[0], back.contracts[0]);
    testing::ExpectSame(d.openings[0], back.openings[0]);
    testing::ExpectSame(d.placements[0], back.placements[0]);
    ASSERT_NE(back.FindOpening(model::OpeningId(11)), nullptr);  // indexed
  }
}

TEST_F(DatasetIoTest, MetaFile) {
  SaveDataset(Sample(), dir_.string(), DatasetFormat::kCsv);
  std::ifstream in(dir_ / "dataset.json");
  const Json meta = Json::parse(in);
  EXPECT_EQ(meta["format"], "csv");
  EXPECT_EQ(meta["as_of"], "2026-10-01");
  EXPECT_EQ(meta["territory"], "Département 59 (Nord)");
  EXPECT_EQ(meta["counts"], (Json{{"participants", 1}, {"contracts", 1}, {"openings", 1}, {"placements", 1}}));
}

TEST_F(DatasetIoTest, BinaryRoundTripsThroughDatasetBin) {
  const auto d = Sample();
  SaveDataset(d, dir_.string(), DatasetFormat::kBinary);
  EXPECT_EQ(Files(), (std::vector<std::string>{"dataset.bin", "dataset.json"}));
  EXPECT_EQ(DetectDatasetFormat(dir_.string()), DatasetFormat::kBinary);
  const auto back = LoadDataset(dir_.string(), SmallReferential());
  EXPECT_EQ(back.as_of, d.as_of);
  EXPECT_EQ(back.territory, d.territory);
  ASSERT_EQ(back.participants.size(), 1u);
  ASSERT_EQ(back.placements.size(), 1u);
  testing::ExpectSame(d.participants[0], back.participants[0]);
  testing::ExpectSame(d.contracts[0], back.contracts[0]);
  testing::ExpectSame(d.openings[0], back.openings[0]);
  testing::ExpectSame(d.placements[0], back.placements[0]);
  ASSERT_NE(back.FindOpening(model::OpeningId(11)), nullptr);  // indexed
}

TEST_F(DatasetIoTest, FailedSaveKeepsThePreviousDataset) {
  SaveDataset(Sample(), dir_.string(), DatasetFormat::kCsv);
  const std::string before = ReadWholeFile((dir_ / "participants.csv").string());
  auto bigger = Sample();
  bigger.participants.push_back(bigger.participants[0]);
  // The last file's temporary cannot be created (a directory stands in its way): the save fails
  // after the other files were written to their temporaries.
  const fs::path blocker = dir_ / ("dataset.json.tmp-" + std::to_string(::getpid()));
  fs::create_directory(blocker);
  EXPECT_THROW(SaveDataset(bigger, dir_.string(), DatasetFormat::kCsv), std::runtime_error);
  fs::remove(blocker);
  EXPECT_EQ(ReadWholeFile((dir_ / "participants.csv").string()), before);
  EXPECT_EQ(Files().size(), 5u);  // no temporaries left behind
}

TEST_F(DatasetIoTest, MalformedCsvNamesFileLineAndColumn) {
  SaveDataset(Sample(), dir_.string(), DatasetFormat::kCsv);
  std::string text = ReadWholeFile((dir_ / "openings.csv").string());
  text.replace(text.find(",16250,"), 7, ",99999,");
  std::ofstream((dir_ / "openings.csv").string()) << text;
  try {
    LoadDataset(dir_.string(), SmallReferential());
    FAIL() << "expected a CsvError";
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 3u);
    EXPECT_EQ(e.column_name(), "appellation");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("unknown ROME appellation '99999'"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("openings.csv"));
  }
}

TEST_F(DatasetIoTest, MalformedJsonListsProblemsWithPointers) {
  SaveDataset(Sample(), dir_.string(), DatasetFormat::kJson);
  std::ofstream((dir_ / "participants.json").string())
      << "[" << ToJson(testing::FullParticipant()).dump() << ", {\"first_name\": 3}]";
  try {
    LoadDataset(dir_.string(), SmallReferential());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("participants.json"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("/1/first_name: expected a string, found number"));
  }
  std::ofstream((dir_ / "participants.json").string()) << "[{";
  EXPECT_THROW(LoadDataset(dir_.string(), SmallReferential()), std::runtime_error);
}

TEST_F(DatasetIoTest, DuplicateIdsAndDanglingPlacementsAreRefused) {
  auto d = Sample();
  d.participants.push_back(d.participants[0]);  // id 7 twice
  d.placements[0].opening = model::OpeningId(99);
  for (auto format : {DatasetFormat::kCsv, DatasetFormat::kJson}) {
    SCOPED_TRACE(std::string(FormatName(format)));
    fs::remove_all(dir_);
    SaveDataset(d, dir_.string(), format);
    try {
      LoadDataset(dir_.string(), SmallReferential());
      FAIL() << "expected an exception";
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("2 problem(s):"));
      EXPECT_THAT(e.what(), ::testing::HasSubstr("duplicate participant id 7"));
      EXPECT_THAT(e.what(), ::testing::HasSubstr("placement 5: unknown opening id 99"));
    }
  }
}

TEST_F(DatasetIoTest, NoDatasetIsAClearError) {
  fs::create_directories(dir_);
  EXPECT_EQ(DetectDatasetFormat(dir_.string()), std::nullopt);
  EXPECT_THROW(LoadDataset(dir_.string(), SmallReferential()), std::runtime_error);
  EXPECT_THROW(LoadDataset((dir_ / "absent").string(), SmallReferential()), std::runtime_error);
}

TEST(DatasetIo, FormatNamesAndSampleDir) {
  EXPECT_EQ(ParseDatasetFormat("csv"), DatasetFormat::kCsv);
  EXPECT_EQ(ParseDatasetFormat("json"), DatasetFormat::kJson);
  EXPECT_EQ(ParseDatasetFormat("bin"), DatasetFormat::kBinary);
  EXPECT_EQ(ParseDatasetFormat("xml"), std::nullopt);
  ::setenv("CLAUSEMATCH_SAMPLE", "/tmp/elsewhere", 1);
  EXPECT_EQ(DefaultSampleDir(), "/tmp/elsewhere");
  ::unsetenv("CLAUSEMATCH_SAMPLE");
  EXPECT_EQ(DefaultSampleDir(), std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/sample");
}

}  // namespace
}  // namespace clausematch::data
