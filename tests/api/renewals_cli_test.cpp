// Conditional eligibility through the command line, on a hand-made dataset: `batch` (proposals'
// conditions, the summary's counts), `shortlist --format json`, `renewals`, `placements accept`
// (hire date and snapshot, through the CSV codec) and `indicators` counting RSA recipients and
// under-26s at entry as the batch summary does.
//
// Fixture: as_of 2026-01-05; one opening in Lille from Monday 2 March 2026 (H = 2026-03-02), 11
// positions, clause publics rsa and jeune, a quota of 6 RSA recipients. Twelve people in Lille:
//   1-3   born 1980, RSA attestation 2025-11-20: last valid day 2026-02-19, valid today, lapses
//         before H -> eligible subject to renewal (rsa, renew_by 2026-03-02);
//   4-6   born 1980, RSA attestation 2025-12-20: valid through 2026-03-19 -> eligible;
//   7-11  born 2004, RSA attestation 2025-09-01 (lapsed 2025-11-30) -> eligible as under-26s,
//         not counted as RSA recipients;
//   12    born 1980, the lapsed attestation -> not eligible (proof_expired).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "tests/api/cli_runner.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace fs = std::filesystem;
using model::Date;
using nlohmann::json;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class RenewalsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("clausematch_renewals_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data::SaveDataset(MakeDataset(), (dir_ / "ds").string(), data::DatasetFormat::kCsv);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static model::Dataset MakeDataset() {
    model::Dataset d;
    d.as_of = Date::FromYmd(2026, 1, 5);
    model::Contract c;
    c.id = model::ContractId(1);
    c.reference = "LILLE-2026-PEINTURE";
    c.buyer = "Ville de Lille";
    c.facilitator_org = "PLIE-LILLE";
    c.holder = "Peinture SA";
    c.holder_siret = "12345678900011";
    c.amount_excl_vat_eur = 1'000'000;
    c.start = Date::FromYmd(2026, 1, 1);
    c.end = Date::FromYmd(2026, 12, 31);
    c.worksite_insee = "59350";
    c.accepted_publics = {model::Criterion::kRsa, model::Criterion::kJeune};
    c.quotas.push_back({model::Criterion::kRsa, 6, 0.0});
    c.insertion_hours = 833;
    d.contracts.push_back(c);
    model::Opening o;
    o.id = model::OpeningId(1);
    o.contract = c.id;
    o.appellation = 17619;  // Peintre en bâtiment
    o.fiche = *model::RomeCode::Parse("F1606");
    o.positions = 11;
    o.start = Date::FromYmd(2026, 3, 2);
    o.end = Date::FromYmd(2026, 8, 31);
    o.worksite_insee = "59350";
    d.openings.push_back(o);
    for (std::uint32_t i = 1; i <= 12; ++i) {
      model::Participant p;
      p.id = model::ParticipantId(i);
      p.external_ref = "REF-" + std::to_string(i);
      p.prescriber_org = i % 2 == 0 ? "FT-59" : "ML-LILLE";
      p.first_name = "Camille";
      p.last_name = "Testnom" + std::to_string(i);
      p.birth_date = i >= 7 && i <= 11 ? Date::FromYmd(2004, 6, 1) : Date::FromYmd(1980, 1, 1);
      const Date proof = i <= 3   ? Date::FromYmd(2025, 11, 20)
                         : i <= 6 ? Date::FromYmd(2025, 12, 20)
                                  : Date::FromYmd(2025, 9, 1);
      p.criteria.push_back({model::Criterion::kRsa, proof, "CD59"});
      p.commune_insee = "59350";
      p.wanted_fiches.push_back(o.fiche);
      p.available_from = Date::FromYmd(2026, 1, 1);
      p.registration_date = Date::FromYmd(2025, 6, 1);
      p.consent = true;
      p.consent_date = Date::FromYmd(2025, 6, 1);
      d.participants.push_back(p);
    }
    return d;
  }
  Command Cli(const std::string& args) { return Clausematch(args, dir_); }
  std::string Ds() const { return (dir_ / "ds").string(); }
  fs::path dir_;
};

TEST_F(RenewalsCli, BatchShortlistRenewalsPlacementsAndIndicatorsAgree) {
  // batch: 11 proposals, 3 subject to renewal; RSA counted for 6, provisionally for 3.
  auto r = Cli("batch --data " + Ds() + " --out " + (dir_ / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Progress on stderr (not a terminal: a line per tenth) for the phases after the solve too.
  EXPECT_NE(r.out.find("explanations: 0% (0/11)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("explanations: 100% (11/11"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("writing proposals: 100% (11/11"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outputs: 11 proposals written in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("subject to renewal   3 proposal(s), proofs to renew: rsa=3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("counted provisionally rsa=3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("quotas met           1 of 1 (1 only with people counted provisionally)"), std::string::npos)
      << r.out;
  const auto summary = json::parse(Slurp(dir_ / "out" / "summary.json"));
  EXPECT_EQ(summary["filled"], 11);
  EXPECT_EQ(summary["filled_by_public"]["rsa"], 6);
  EXPECT_EQ(summary["filled_by_public"]["jeune"], 5);
  EXPECT_EQ(summary["filled_by_public_provisional"], (json{{"rsa", 3}}));
  EXPECT_EQ(summary["subject_to_renewal"], (json{{"proposals", 3}, {"by_criterion", {{"rsa", 3}}}}));
  ASSERT_EQ(summary["quotas"].size(), 1u);
  EXPECT_EQ(summary["quotas"][0]["public"], "rsa");
  EXPECT_EQ(summary["quotas"][0]["required"], 6);
  EXPECT_EQ(summary["quotas"][0]["achieved"], 6);
  EXPECT_EQ(summary["quotas"][0]["achieved_provisionally"], 3);
  const auto proposals = json::parse(Slurp(dir_ / "out" / "assignments.json"))["proposals"];
  ASSERT_EQ(proposals.size(), 11u);
  for (const auto& p : proposals) {
    const int id = p["participant_id"];
    EXPECT_EQ(p["hire_date"], "2026-03-02");
    if (id <= 3) {
      EXPECT_EQ(p["conditions"], (json::array({{{"code", "proof_to_renew"},
                                                {"criterion", "rsa"},
                                                {"renew_by", "2026-03-02"},
                                                {"text",
                                                 "justificatif « Bénéficiaire du RSA » à actualiser avant "
                                                 "l'embauche du 02/03/2026"}}})))
          << id;
    } else {
      EXPECT_EQ(p["conditions"], json::array()) << id;
    }
  }
  const auto csv = Slurp(dir_ / "out" / "assignments.csv");
  EXPECT_NE(csv.find(",distance_km,hire_date,conditions,reasons\n"), std::string::npos) << csv.substr(0, 200);
  EXPECT_NE(csv.find(",2026-03-02,rsa,"), std::string::npos);

  // shortlist: the same conditions.
  r = Cli("shortlist --data " + Ds() + " --k 20 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto s = json::parse(r.out);
  EXPECT_EQ(s["eligible"], 11);
  EXPECT_EQ(s["subject_to_renewal"], 3);
  for (const auto& e : s["entries"])
    EXPECT_EQ(e["conditions"].size(), e["participant"].get<int>() <= 3 ? 1u : 0u) << e.dump();

  // renewals: people 1-3, by prescriber when asked (1 and 3 are ML-LILLE's, 2 FT-59's).
  const std::string proposals_csv = (dir_ / "out" / "assignments.csv").string();
  r = Cli("renewals --data " + Ds() + " --proposals " + proposals_csv + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto items = json::parse(r.out)["items"];
  ASSERT_EQ(items.size(), 3u) << r.out;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(items[i]["participant_id"], i + 1);
    EXPECT_EQ(items[i]["source"], "proposal");
    EXPECT_EQ(items[i]["condition"]["criterion"], "rsa");
    EXPECT_EQ(items[i]["condition"]["renew_by"], "2026-03-02");
  }
  r = Cli("renewals --data " + Ds() + " --proposals " + proposals_csv + " --prescriber ML-LILLE --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["items"].size(), 2u);
  r = Cli("renewals --data " + Ds() + " --proposals " + proposals_csv);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("REF-2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("à actualiser avant l'embauche du 02/03/2026"), std::string::npos) << r.out;

  // placements accept: hires on 2 March 2026 with their snapshots, written as CSV and read back.
  const std::string placed = (dir_ / "placed").string();
  r = Cli("placements accept --data " + Ds() + " --proposals " + proposals_csv + " --out " + placed);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("subject to renewal: 3"), std::string::npos) << r.out;
  const auto ref = data::LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  const auto d = data::LoadDataset(placed, *ref);
  ASSERT_EQ(d.placements.size(), 11u);
  for (const auto& p : d.placements) {
    EXPECT_EQ(p.start, Date::FromYmd(2026, 3, 2));
    ASSERT_TRUE(p.eligibility.has_value()) << p.participant.value();
    const auto& e = *p.eligibility;
    EXPECT_EQ(e.judged_on, Date::FromYmd(2026, 1, 5));
    EXPECT_EQ(e.hire_date, Date::FromYmd(2026, 3, 2));
    EXPECT_EQ(e.basis, "clause_public");
    if (p.participant.value() <= 3) {
      ASSERT_EQ(e.criteria.size(), 1u);
      EXPECT_EQ(e.criteria[0].proof_date, Date::FromYmd(2025, 11, 20));
      EXPECT_EQ(e.criteria[0].validated_by, "CD59");
      EXPECT_EQ(e.provisional, model::CriterionSet({model::Criterion::kRsa}));
      EXPECT_EQ(e.conditions, (std::vector<model::RenewalCondition>{{model::Criterion::kRsa, e.hire_date}}));
    } else if (p.participant.value() >= 7) {
      EXPECT_EQ(e.eligible_by, model::CriterionSet({model::Criterion::kJeune}));
      EXPECT_TRUE(e.conditions.empty());
    }
  }
  // Decided on 5 March, the hires start that day and the attestations of 1-3 (last valid day 19
  // February) no longer hold: refused, nothing written. A hire date before the decision day, and
  // someone not eligible at the hire date, are refused naming the cell.
  r = Cli("placements accept --data " + Ds() + " --proposals " + proposals_csv + " --today 2026-03-05 --out " +
          (dir_ / "late").string());
  EXPECT_EQ(r.exit_code, 2);
  std::ofstream(dir_ / "twelve.csv") << "opening_id,participant_id,hire_date\n1,12,2026-03-02\n1,4,2026-01-02\n";
  r = Cli("placements accept --data " + Ds() + " --proposals " + (dir_ / "twelve.csv").string() + " --out " +
          (dir_ / "twelve").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("line 2, column 2 (participant_id): participant 12 does not count for this clause at the hire "
                       "date 2026-03-02"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("line 3, column 3 (hire_date): the hire date 2026-01-02 precedes the decision (2026-01-05)"),
            std::string::npos)
      << r.out;

  // indicators: RSA recipients and under-26s at entry, the batch summary's figures.
  r = Cli("indicators --data " + placed + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto people = json::parse(r.out)["sections"]["participants"];
  EXPECT_EQ(people[0]["value"], 11);
  EXPECT_EQ(people[1]["indicator"], "rsa");
  EXPECT_EQ(people[1]["value"], summary["filled_by_public"]["rsa"]);
  EXPECT_EQ(people[2]["indicator"], "under_26");
  EXPECT_EQ(people[2]["value"], summary["filled_by_public"]["jeune"]);
}

}  // namespace
}  // namespace clausematch::api::http::testing
