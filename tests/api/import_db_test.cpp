// `clausematch import --db FILE --sample` then the HTTP server on that file: the shortlists it
// serves are the ones `clausematch shortlist --sample` gives for the same openings and date, so
// nothing of the profiles, contracts or openings is lost on the way through the database.
#include <cstdlib>
#include <fstream>

#include "data/dataset_io.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/cli_runner.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace fs = std::filesystem;

class ImportDbTest : public ApiTest {
 protected:
  void SetUp() override {
    sample_as_of_ = data::LoadDataset(data::DefaultSampleDir(), *Referential()).as_of.value();
    ServerOptions options;
    options.today = sample_as_of_;
    Start(options, [this](const std::string& db) {
      imported_ = Clausematch("import --db " + db + " --sample", fs::path(db).parent_path());
    });
  }
  model::Date sample_as_of_;
  Command imported_;
};

TEST_F(ImportDbTest, ServedShortlistsAreTheCliShortlistsOfTheSample) {
  ASSERT_EQ(imported_.exit_code, 0) << imported_.out;
  EXPECT_NE(imported_.out.find("3000 participants, 60 contracts, 160 openings"), std::string::npos) << imported_.out;
  for (const int opening : {1, 40, 120}) {
    SCOPED_TRACE("opening " + std::to_string(opening));
    const auto cli = Clausematch("shortlist --sample --format json --k 20 --opening " + std::to_string(opening) +
                                     " --today " + sample_as_of_.ToString(),
                                 dir_);
    ASSERT_EQ(cli.exit_code, 0) << cli.out;
    const auto expected = json::parse(cli.out);
    // A fresh database numbers rows in file order: the sample's ids are kept.
    const auto served_opening = Get("/v1/openings/" + std::to_string(opening), admin_);
    ASSERT_EQ(served_opening.status, 200) << served_opening.text;
    EXPECT_EQ(served_opening.body["appellation"], expected["appellation"]["code"]);
    EXPECT_EQ(served_opening.body["worksite_insee"], expected["worksite"]["insee"]);

    const auto served = Get("/v1/openings/" + std::to_string(opening) + "/shortlist?k=20", admin_);
    ASSERT_EQ(served.status, 200) << served.text;
    EXPECT_EQ(served.body["hire_date"], expected["hire_date"]);
    EXPECT_EQ(served.body["population"], expected["population"]);
    EXPECT_EQ(served.body["in_reach"], expected["in_reach"]);
    EXPECT_EQ(served.body["eligible"], expected["eligible"]);
    ASSERT_EQ(served.body["entries"].size(), expected["entries"].size());
    ASSERT_FALSE(expected["entries"].empty());
    for (std::size_t i = 0; i < expected["entries"].size(); ++i) {
      const auto& want = expected["entries"][i];
      const auto& got = served.body["entries"][i];
      EXPECT_EQ(got["candidate"]["participant_id"], want["participant"]) << "rank " << i + 1;
      EXPECT_DOUBLE_EQ(got["score"].get<double>(), want["score"].get<double>()) << "rank " << i + 1;
    }
  }
}

TEST_F(ImportDbTest, ImportIsAllOrNothing) {
  ASSERT_EQ(imported_.exit_code, 0) << imported_.out;
  const auto before = store_->snapshot().Read([](const model::Dataset& d) { return d.participants.size(); });
  // The same sample again collides on (organisation, external_ref): refused, nothing added.
  const auto again = Clausematch("import --db " + db_path_ + " --sample", dir_);
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_NE(again.out.find("nothing was imported"), std::string::npos) << again.out;
  const auto count =
      store::Store(db_path_).snapshot().Read([](const model::Dataset& d) { return d.participants.size(); });
  EXPECT_EQ(count, before);
  // A bad folder creates no database file.
  const auto missing =
      Clausematch("import --db " + (dir_ / "new.db").string() + " --data " + (dir_ / "none").string(), dir_);
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_FALSE(fs::exists(dir_ / "new.db"));
}

}  // namespace
}  // namespace clausematch::api::http::testing
