// `clausematch import` and `clausematch export`, run as the built binary on temporary files: exit
// codes, the messages a user sees, and that nothing is written when the input is bad.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliImportExport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cm_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CommandResult Clausematch(const std::string& args) const {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    const std::string cmd = std::string(CLAUSEMATCH_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }
  fs::path Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  // Every file of a folder with its content, to prove a failed command changed nothing.
  static std::map<std::string, std::string> Snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(dir)) files[e.path().filename().string()] = Slurp(e.path());
    return files;
  }

  fs::path dir_;
};

// As French Excel saves it: BOM, ';', CRLF, a decimal comma.
const std::string kParticipants =
    "\xEF\xBB\xBF"
    "external_ref;prescriber_org;prescriber_kind;first_name;last_name;birth_date;email;criteria;commune_insee;"
    "wanted_appellations;available_from;registration_date;mobility_radius_km;consent;consent_date\r\n"
    "A1;FT-59;france_travail;Inès;Durand;1990-05-06;ines@example.org;rsa:2026-09-01:CD59;59350;16250;2026-10-15;"
    "2026-09-02;12,5;oui;2026-09-02\r\n"
    "A2;ML-ROUBAIX;mission_locale;Paul;Martin;2003-05-06;;jeune|ase:2026-01-10:ASE-59;59512;10537;2026-10-15;"
    "2026-09-02;30;oui;2026-09-02\r\n";

TEST_F(CliImportExport, ImportCreatesACsvDatasetAndAppends) {
  const auto file = Write("p.csv", kParticipants);
  const auto ds = dir_ / "ds";
  auto r =
      Clausematch("import --kind participants " + file.string() + " --into " + ds.string() + " --today 2026-10-01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("imported 2 participants"));
  EXPECT_EQ(data::DetectDatasetFormat(ds.string()), data::DatasetFormat::kCsv);

  // The same people again: refused, the dataset untouched.
  const auto before = Snapshot(ds);
  r = Clausematch("import --kind participants " + file.string() + " --into " + ds.string() + " --today 2026-10-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(
      r.err,
      HasSubstr("line 2, column 1 (external_ref): prescriber FT-59 already has a participant with external_ref 'A1'"));
  EXPECT_THAT(r.err, HasSubstr("line 3, column 1 (external_ref)"));
  EXPECT_EQ(Snapshot(ds), before);

  // A contract, then its openings from JSON; ids follow the largest in use.
  const auto contracts = Write("c.csv",
                               "reference,buyer,facilitator_org,start,end,worksite_insee,accepted_publics\n"
                               "MEL-1,Métropole Européenne de Lille,MDE-LILLE,2026-10-01,2027-09-30,59350,rsa|jeune\n");
  r = Clausematch("import --kind contracts " + contracts.string() + " --into " + ds.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto openings = Write("o.json",
                              R"([{"contract": 1, "appellation": 16250, "positions": 2, "start": "2026-11-02",
                                   "end": "2027-03-31", "worksite_insee": "59350"}])");
  r = Clausematch("import --kind openings " + openings.string() + " --into " + ds.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto ref = data::LoadReferential(data::DefaultReferenceDir());
  const auto d = data::LoadDataset(ds.string(), *ref);
  ASSERT_EQ(d.participants.size(), 2u);
  EXPECT_EQ(d.participants[0].id.value(), 1u);
  EXPECT_EQ(d.participants[1].id.value(), 2u);
  EXPECT_EQ(d.participants[0].mobility_radius_km, 12.5);
  EXPECT_EQ(d.participants[1].criteria.size(), 2u);
  ASSERT_EQ(d.openings.size(), 1u);
  EXPECT_EQ(d.openings[0].fiche.str(), "F1703");  // from the appellation
  EXPECT_EQ(d.openings[0].contract.value(), 1u);
}

TEST_F(CliImportExport, BadFileReportsEveryProblemAndWritesNothing) {
  const auto file = Write("bad.csv",
                          "prescriber_org,first_name,last_name,birth_date,criteria,commune_insee,wanted_appellations,"
                          "available_from,registration_date\n"
                          "FT-59,Ok,Row,1990-05-06,rsa:2026-09-01:CD59,59350,16250,2026-10-15,2026-09-02\n"
                          "FT-59,X,Y,1990-13-01,rssa,99999,1,2026-10-15,2026-09-02\n"
                          "FT-59,Z,W,1990-01-01,rsa:2026-09-01:CD59,59350,16250,2026-10-15\n");
  const auto ds = dir_ / "ds";
  auto r = Clausematch("import --kind participants " + file.string() + " --into " + ds.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("line 3, column 4 (birth_date): '1990-13-01' is not a date"));
  EXPECT_THAT(r.err, HasSubstr("line 3, column 5 (criteria): unknown eligibility criterion 'rssa'"));
  EXPECT_THAT(r.err, HasSubstr("line 3, column 6 (commune_insee): unknown commune INSEE code '99999'"));
  EXPECT_THAT(r.err, HasSubstr("line 3, column 7 (wanted_appellations): unknown ROME appellation '1'"));
  EXPECT_THAT(r.err, HasSubstr("line 4: expected 9 fields, found 8"));
  EXPECT_THAT(r.err, HasSubstr("5 problem(s) in"));
  EXPECT_FALSE(fs::exists(ds));

  // Into an existing dataset: untouched.
  ASSERT_EQ(Clausematch("import --kind participants " + Write("p.csv", kParticipants).string() + " --into " +
                        ds.string() + " --today 2026-10-01")
                .exit_code,
            0);
  const auto before = Snapshot(ds);
  r = Clausematch("import --kind participants " + file.string() + " --into " + ds.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Snapshot(ds), before);

  // Openings pointing at a contract that does not exist; a malformed JSON file.
  r = Clausematch("import --kind openings " +
                  Write("o.json", R"([{"contract": 9, "appellation": 16250, "start": "2026-11-02",
                                        "end": "2027-03-31", "worksite_insee": "59350"}])")
                      .string() +
                  " --into " + ds.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/0/contract: unknown contract id '9'"));
  r = Clausematch("import --kind contracts " + Write("c.json", "[{").string() + " --into " + ds.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("malformed JSON"));
  // Nested deeper than the 64 levels any input may have: refused before it is parsed.
  r = Clausematch("import --kind contracts " +
                  Write("deep.json", std::string(100000, '[') + std::string(100000, ']')).string() + " --into " +
                  ds.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("deeper than 64 levels (line 1, column 65)"));
  EXPECT_EQ(Snapshot(ds), before);

  r = Clausematch("import --kind people " + file.string() + " --into " + ds.string());
  EXPECT_EQ(r.exit_code, 2);
  r = Clausematch("import --kind participants " + file.string() + " --into " + ds.string() + " --today 2026-13-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--today"));
}

// The sex column is optional (empty: non renseigné); a value outside femme, homme, non_renseigne
// is refused with its line and column, and nothing is written. Exported, it reads back.
TEST_F(CliImportExport, SexColumnIsOptionalAndChecked) {
  const std::string header =
      "prescriber_org,first_name,last_name,birth_date,sex,criteria,commune_insee,wanted_appellations,"
      "available_from,registration_date\n";
  const auto ds = dir_ / "ds";
  auto r =
      Clausematch("import --kind participants " +
                  Write("bad.csv", header + "FT-59,Ok,Row,1990-05-06,femme,rsa:2026-09-01:CD59,59350,16250,2026-10-15,"
                                            "2026-09-02\n"
                                            "FT-59,X,Y,1990-05-06,F,rsa:2026-09-01:CD59,59350,16250,2026-10-15,"
                                            "2026-09-02\n")
                      .string() +
                  " --into " + ds.string() + " --today 2026-10-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("line 3, column 5 (sex): unknown code 'F'"));
  EXPECT_FALSE(fs::exists(ds));

  r = Clausematch("import --kind participants " +
                  Write("ok.csv", header + "FT-59,A,B,1990-05-06,femme,rsa:2026-09-01:CD59,59350,16250,2026-10-15,"
                                           "2026-09-02\n"
                                           "FT-59,C,D,1990-05-06,,rsa:2026-09-01:CD59,59350,16250,2026-10-15,"
                                           "2026-09-02\n"
                                           "FT-59,E,F,1990-05-06,homme,rsa:2026-09-01:CD59,59350,16250,2026-10-15,"
                                           "2026-09-02\n")
                      .string() +
                  " --into " + ds.string() + " --today 2026-10-01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ref = data::LoadReferential(data::DefaultReferenceDir());
  const auto back = data::LoadDataset(ds.string(), *ref);
  ASSERT_EQ(back.participants.size(), 3u);
  EXPECT_EQ(back.participants[0].sex, model::Sex::kFemme);
  EXPECT_EQ(back.participants[1].sex, model::Sex::kNonRenseigne);
  EXPECT_EQ(back.participants[2].sex, model::Sex::kHomme);
}

TEST_F(CliImportExport, PseudonymisedExport) {
  const auto ds = dir_ / "ds";
  ASSERT_EQ(Clausematch("import --kind participants " + Write("p.csv", kParticipants).string() + " --into " +
                        ds.string() + " --today 2026-10-01")
                .exit_code,
            0);
  const auto key = Write("export.key", "0123456789abcdef0123456789abcdef");
  auto r = Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex1").string() +
                       " --format json --pseudonymise --key-file " + key.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(dir_ / "ex1" / "participants.json");
  for (const char* personal : {"Inès", "Durand", "Paul", "Martin", "ines@example.org", "1990-05-06", "2003-05-06",
                               "\"A1\"", "\"A2\"", "50.6311"})
    EXPECT_THAT(text, Not(HasSubstr(personal))) << personal;
  EXPECT_THAT(text, HasSubstr("\"birth_date\":\"1990-07-01\""));  // the year stays
  EXPECT_THAT(text, HasSubstr("\"commune_insee\":\"59350\""));    // the commune stays

  const auto ref = data::LoadReferential(data::DefaultReferenceDir());
  const auto d = data::LoadDataset((dir_ / "ex1").string(), *ref);  // still a valid dataset
  ASSERT_EQ(d.participants.size(), 2u);
  EXPECT_NE(d.participants[0].id.value(), 1u);
  EXPECT_EQ(d.participants[0].external_ref.size(), 34u);  // "p-" + 32 hex digits
  EXPECT_EQ(d.participants[0].email, std::nullopt);

  // Same key, same pseudonyms; another key, others.
  ASSERT_EQ(Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex2").string() +
                        " --format json --pseudonymise --key-file " + key.string())
                .exit_code,
            0);
  EXPECT_EQ(Slurp(dir_ / "ex2" / "participants.json"), text);
  const auto key2 = Write("other.key", "another secret key of 32 bytes!!");
  ASSERT_EQ(Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex3").string() +
                        " --format json --pseudonymise --key-file " + key2.string())
                .exit_code,
            0);
  EXPECT_NE(Slurp(dir_ / "ex3" / "participants.json"), text);

  // Without a key, or with a short one: refused, nothing written.
  r = Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex4").string() + " --pseudonymise");
  EXPECT_EQ(r.exit_code, 2);
  r = Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex4").string() + " --pseudonymise --key-file " +
                  Write("short.key", "short").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("16 to 64 bytes"));
  EXPECT_FALSE(fs::exists(dir_ / "ex4"));

  // Plain export to CSV keeps everything.
  r = Clausematch("export --data " + ds.string() + " --out " + (dir_ / "ex5").string() + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Slurp(dir_ / "ex5" / "participants.csv"), HasSubstr("Inès"));
}

}  // namespace
}  // namespace clausematch::api
