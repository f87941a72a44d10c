// The lifecycle subcommands run as a user would: the built binary on a small dataset written to a
// temporary folder with the codecs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "lifecycle/hours.hpp"

namespace clausematch::lifecycle {
namespace {

namespace fs = std::filesystem;
using model::Date;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class LifecycleCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ref = data::LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("clausematch_lifecycle_cli_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data::SaveDataset(MakeDataset(), (dir_ / "ds").string(), data::DatasetFormat::kCsv);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One contract in Lille (833 h in 2025), one painting opening, six hired painters from 17 March
  // 2025 at 35 h; all RSA recipients, two of them under 26 at entry.
  static model::Dataset MakeDataset() {
    model::Dataset d;
    d.as_of = Date::FromYmd(2025, 12, 31);
    model::Contract c;
    c.id = model::ContractId(1);
    c.reference = "LILLE-2025-PEINTURE";
    c.buyer = "Ville de Lille";
    c.facilitator_org = "PLIE-LILLE";
    c.holder = "Peinture SA";
    c.holder_siret = "12345678900011";
    c.amount_excl_vat_eur = 1'000'000;
    c.start = Date::FromYmd(2025, 1, 1);
    c.end = Date::FromYmd(2025, 12, 31);
    c.worksite_insee = "59350";
    c.accepted_publics = {model::Criterion::kRsa, model::Criterion::kJeune};
    c.insertion_hours = 833;
    d.contracts.push_back(c);
    model::Opening o;
    o.id = model::OpeningId(1);
    o.contract = c.id;
    o.appellation = 17619;  // Peintre en bâtiment
    o.fiche = *model::RomeCode::Parse("F1606");
    o.positions = 6;
    o.start = Date::FromYmd(2025, 3, 17);
    o.end = Date::FromYmd(2025, 6, 30);
    o.worksite_insee = "59350";
    d.openings.push_back(o);
    for (std::uint32_t i = 1; i <= 6; ++i) {
      model::Participant p;
      p.id = model::ParticipantId(i);
      p.prescriber_org = "FT-59";
      p.first_name = "Camille";
      p.last_name = "Testnom" + std::to_string(i);
      p.birth_date = i <= 2 ? Date::FromYmd(2002, 1, 1) : Date::FromYmd(1980, 1, 1);
      // 1, 2 not recorded, 3, 4 women, 5, 6 men.
      p.sex = i <= 2 ? model::Sex::kNonRenseigne : i <= 4 ? model::Sex::kFemme : model::Sex::kHomme;
      p.criteria.push_back({model::Criterion::kRsa, Date::FromYmd(2025, 2, 1), "CD59"});
      p.commune_insee = "59350";
      p.wanted_fiches.push_back(o.fiche);
      p.available_from = Date::FromYmd(2025, 3, 1);
      p.registration_date = Date::FromYmd(2025, 1, 15);
      d.participants.push_back(p);
      model::Placement pl;
      pl.id = model::PlacementId(i);
      pl.participant = p.id;
      pl.opening = o.id;
      pl.contract = c.id;
      pl.status = model::PlacementStatus::kHired;
      pl.employer = "Peinture SA";
      pl.start = o.start;
      pl.end = o.end;
      d.placements.push_back(pl);
    }
    return d;
  }

  CliRun Cli(const std::string& args) {
    CliRun r;
    const auto out = dir_ / "stdout.txt";
    const auto err = dir_ / "stderr.txt";
    const std::string cmd = std::string(CLAUSEMATCH_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }
  std::string Write(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string Ds() const { return (dir_ / "ds").string(); }
  model::Dataset Reload() const {
    auto d = data::LoadDataset(Ds(), *shared_ref);
    d.Index();
    return d;
  }

  fs::path dir_;
  static inline std::shared_ptr<const model::Referential> shared_ref;
};

TEST_F(LifecycleCli, ContractPlanPrintsTheHours) {
  auto r = Cli("contract plan --amount 1000000 --labour-share 0.5 --insertion-rate 0.05 --hourly-cost 30");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("insertion hours    833 h"), std::string::npos) << r.out;
  r =
      Cli("contract plan --amount 1000000 --labour-share 0.5 --insertion-rate 0.05 --hourly-cost 30 --format json "
          "--trade F1606 --start 2026-03-02 --end 2026-05-24");  // 12 weeks
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sizing"]["hours"], 833);
  ASSERT_EQ(j["openings"].size(), 1u);
  EXPECT_EQ(j["openings"][0]["appellation"], 17619);  // the fiche's principal appellation
  EXPECT_EQ(j["openings"][0]["positions"], 2);        // 833 h > 12 weeks × 35 h = 420 h
  EXPECT_EQ(j["openings"][0]["status"], "draft");
  EXPECT_EQ(j["clause"]["legal_basis"], "L2112-2");
}

TEST_F(LifecycleCli, ContractPlanTakesTheLabourShareFromTheTableOrAFile) {
  auto r = Cli("contract plan --amount 600000 --insertion-rate 0.1 --hourly-cost 28 --cpv 45442100-8 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["sizing"]["hours"], 1500);  // 600 000 × 0.7 × 0.1 ÷ 28
  const auto table = Write("shares.csv", "kind;key;labour_share;label\ncpv;454421;0,56;Peinture locale\n");
  r =
      Cli("contract plan --amount 600000 --insertion-rate 0.1 --hourly-cost 28 --cpv 45442100-8 --format json "
          "--labour-shares " +
          table);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["sizing"]["hours"], 1200);  // 600 000 × 0.56 × 0.1 ÷ 28
  const auto bad = Write("bad_shares.csv", "kind;key;labour_share\ncpv;454421;0,56\nrome_fiche;F1606;1,5\n");
  r = Cli("contract plan --amount 600000 --insertion-rate 0.1 --cpv 45442100-8 --labour-shares " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("labour_share"), std::string::npos) << r.err;
  r = Cli("contract plan --amount 1000000 --insertion-rate 0.05");  // no share at all
  EXPECT_EQ(r.code, 2);
}

TEST_F(LifecycleCli, HoursImportIsAllOrNothing) {
  const auto before = Slurp(dir_ / "ds" / "placements.csv");
  const auto bad = Write("bad.csv",
                         "placement_id;month;hours;reported_on\n"
                         "1;2025-03;77;2025-04-02\n"
                         "2;2025-03;500;2025-04-02\n"   // over the cap (102.67 h)
                         "99;2025-03;70;2025-04-02\n"   // no such placement
                         "3;2025-13;70;2025-04-02\n");  // no such month
  auto r = Cli("hours import --data " + Ds() + " " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 3, column 3 (hours)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("102.67"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4, column 1 (placement_id)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5, column 2 (month)"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(dir_ / "ds" / "placements.csv"), before);  // nothing written

  std::string good = "placement_id,month,hours,reported_on\n";
  for (int i = 1; i <= 6; ++i) good += std::to_string(i) + ",2025-03,77,2025-04-02\n";
  r = Cli("hours import --data " + Ds() + " " + Write("good.csv", good));
  ASSERT_EQ(r.code, 0) << r.err;
  // A correction of placement 1's March, with a decimal comma.
  r = Cli("hours import --data " + Ds() + " " +
          Write("fix.csv", "placement_id;month;hours;reported_on\n1;2025-03;70,5;2025-04-10\n"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 correction"), std::string::npos) << r.out;
  const auto d = Reload();
  const auto& p1 = d.placements[0];
  ASSERT_EQ(p1.hours.size(), 2u);  // history kept
  EXPECT_EQ(HoursWorked(p1), 70.5);
  EXPECT_EQ(HoursWorked(d.placements[1]), 77);

  r = Cli("contract fulfilment --data " + Ds() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["contracts"][0]["realised_hours"].get<double>(), 455.5);  // 5 × 77 + 70.5
  EXPECT_DOUBLE_EQ(j["contracts"][0]["remaining_hours"].get<double>(), 377.5);
  EXPECT_EQ(j["companies"][0]["holder_siret"], "12345678900011");
}

// Subcontracting reported as amounts (docs/lifecycle.md, "Subcontracting amounts"): placements 5 and
// 6 go through an ACI; the contract was sized at 0.5 labour share and 25 €/h.
TEST_F(LifecycleCli, HoursImportConvertsSubcontractingAmounts) {
  auto d = Reload();
  for (const std::size_t i : {4u, 5u}) {
    d.placements[i].route = model::FulfilmentRoute::kSousTraitanceSiae;
    d.placements[i].contract_type = model::ContractType::kCddi;
    d.placements[i].employer = "ACI Lille Nord";
  }
  d.contracts[0].sizing = model::ClauseSizing{0.5, 0.05, 25};
  data::SaveDataset(d, Ds(), data::DatasetFormat::kCsv);
  const auto before = Slurp(dir_ / "ds" / "placements.csv");
  const auto bad = Write("bad.csv",
                         "placement_id;month;hours;amount_eur;labour_share;hourly_cost_eur\n"
                         "5;2025-04;80;4000;;\n"   // both hours and an amount
                         "5;2025-05;;;;\n"         // neither
                         "1;2025-04;;4000;;\n"     // an amount on a direct hire
                         "6;2025-04;;4000;;0,5\n"  // an hourly cost under 1 EUR
                         "6;2025-05;70;;0,6;\n"    // a labour share without an amount
                         "6;2025-06;;90000;;\n");  // 90 000 x 0.5 / 25 = 1 800 h, over June's cap
  auto r = Cli("hours import --data " + Ds() + " " + bad);
  EXPECT_EQ(r.code, 2);
  for (const char* where :
       {"line 2, column 4 (amount_eur)", "line 3, column 3 (hours)", "line 4, column 4 (amount_eur)",
        "line 5, column 6 (hourly_cost_eur)", "line 6, column 5 (labour_share)", "line 7, column 4 (amount_eur)"})
    EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
  EXPECT_NE(r.err.find("sous_traitance_siae"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("= 1800.00 h exceed"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(dir_ / "ds" / "placements.csv"), before);  // nothing written
  r = Cli("hours import --data " + Ds() + " --hourly-cost 0 " + Write("x.csv", "placement_id;month;amount_eur\n"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--hourly-cost"), std::string::npos) << r.err;

  // 4 000 x 0.6 / 30 = 80 h (the row's figures); 3 000 x 0.5 / 25 = 60 h (the contract's sizing);
  // placement 1 reports hours as before.
  r = Cli("hours import --data " + Ds() + " " +
          Write("good.csv",
                "placement_id;month;hours;amount_eur;labour_share;hourly_cost_eur;reported_on\n"
                "5;2025-04;;4000;0,6;30;2025-05-02\n"
                "6;2025-04;;3000;;;2025-05-02\n"
                "1;2025-04;154;;;;2025-05-02\n"));
  ASSERT_EQ(r.code, 0) << r.err;
  // --hourly-cost overrides the sizing's cost for rows without one: 3 000 x 0.5 / 20 = 75 h.
  r = Cli("hours import --data " + Ds() + " --hourly-cost 20 " +
          Write("may.csv", "placement_id;month;amount_eur;reported_on\n6;2025-05;3000;2025-06-02\n"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto after = Reload();
  EXPECT_DOUBLE_EQ(HoursWorked(after.placements[4]), 80);
  ASSERT_TRUE(after.placements[4].hours[0].amount.has_value());
  EXPECT_EQ(*after.placements[4].hours[0].amount, (model::SubcontractAmount{4000, 0.6, 30}));
  EXPECT_DOUBLE_EQ(HoursWorked(after.placements[5]), 135);
  EXPECT_EQ(*after.placements[5].hours[1].amount, (model::SubcontractAmount{3000, 0.5, 20}));

  r = Cli("contract fulfilment --data " + Ds() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["contracts"][0]["realised_hours"].get<double>(), 369);  // 154 + 80 + 135
  EXPECT_DOUBLE_EQ(j["contracts"][0]["realised_by_route"]["sous_traitance_siae"].get<double>(), 215);
  EXPECT_DOUBLE_EQ(j["contracts"][0]["realised_by_route"]["embauche_directe"].get<double>(), 154);
  // The indicators count them by route too (hidden, "s": fewer than 5 people worked them).
  r = Cli("indicators --data " + Ds() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  bool seen = false;
  for (const auto& cell : report["sections"]["hours_by_route"])
    if (cell["category"] == "sous_traitance_siae") {
      seen = true;
      EXPECT_EQ(cell["suppressed"], "s");
    }
  EXPECT_TRUE(seen);
}

TEST_F(LifecycleCli, IndicatorsAsFrenchCsvJsonAndPseudonymisedRows) {
  std::string good = "placement_id,month,hours,reported_on\n";
  for (int i = 1; i <= 6; ++i) good += std::to_string(i) + ",2025-03,77,2025-04-02\n";
  ASSERT_EQ(Cli("hours import --data " + Ds() + " " + Write("good.csv", good)).code, 0);
  const std::string period = " --from 2025-01-01 --to 2025-12-31 --departement 59";
  auto r = Cli("indicators --data " + Ds() + period + " --format csv --decimal-comma --participants " +
               (dir_ / "people.csv").string() + " --key-file " + Write("k.key", "0123456789abcdef0123456789abcdef"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(r.out.find("section;libelle_section;indicateur;categorie;sexe;libelle;valeur\n"), std::string::npos);
  EXPECT_NE(r.out.find(";hours_realised;;ensemble;Heures d'insertion réalisées sur la période;462\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(";fulfilment_rate;;ensemble;Taux de réalisation sur la période (%);55,46\n"), std::string::npos)
      << r.out;  // 462 / 833
  EXPECT_NE(r.out.find(";participants;;"), std::string::npos);
  EXPECT_NE(r.out.find(";under_26;;ensemble;dont jeunes de moins de 26 ans à l'entrée;<5\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(";contract_type;cdd;ensemble;CDD;6\n"), std::string::npos) << r.out;
  // By sex: two people each, small cells.
  EXPECT_NE(r.out.find(";participants;;femme;Participants (personnes en poste sur la période);<5\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(";contract_type;total;homme;Embauches sur la période;<5\n"), std::string::npos) << r.out;
  const auto people = Slurp(dir_ / "people.csv");
  EXPECT_EQ(std::count(people.begin(), people.end(), '\n'), 7);  // header + 6
  EXPECT_EQ(people.find("Testnom"), std::string::npos);
  EXPECT_NE(people.find(";59;2025-03;under_26;oui;non_renseigne;cdd;77;;\n"), std::string::npos) << people;
  EXPECT_NE(people.find(";59;2025-03;26_49;oui;femme;cdd;77;;\n"), std::string::npos) << people;

  r = Cli("indicators --data " + Ds() + period + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["contracts_in_scope"], 1);
  EXPECT_EQ(j["sections"]["participants"][0]["value"], 6);
  EXPECT_EQ(j["sections"]["participants"][2]["suppressed"], "<5");
  EXPECT_TRUE(j["sections"]["participants"][2]["value"].is_null());
  for (const char* sex : {"femme", "homme", "non_renseigne"})
    EXPECT_EQ(j["by_sex"][sex]["sections"]["participants"][0]["suppressed"], "<5") << sex;
  EXPECT_FALSE(j["by_sex"]["femme"]["sections"].contains("clauses_by_type"));  // contracts: not by sex
  r = Cli("indicators --data " + Ds() + period);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ensemble"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("non_renseigne"), std::string::npos) << r.out;

  EXPECT_EQ(Cli("indicators --data " + Ds() + " --from 2025-13-01").code, 2);
  EXPECT_EQ(Cli("indicators --data " + Ds() + " --departement 999").code, 2);
}

TEST_F(LifecycleCli, PlacementsAcceptTurnsBatchProposalsIntoHires) {
  // The same data set before any hire: six open positions, no placement.
  auto fresh = MakeDataset();
  fresh.placements.clear();
  data::SaveDataset(fresh, (dir_ / "fresh").string(), data::DatasetFormat::kCsv);
  const std::string in = (dir_ / "fresh").string(), out = (dir_ / "placed").string();
  // A batch's assignments.csv (only the columns read matter), with a bad row: nothing is written.
  std::string header = "opening_id,contract_id,appellation,fiche,participant_id,score\n";
  std::string rows;
  for (int i = 1; i <= 6; ++i) rows += "1,1,17619,F1606," + std::to_string(i) + ",0.9\n";
  auto r = Cli("placements accept --today 2025-03-10 --data " + in + " --proposals " +
               Write("bad.csv", header + rows + "1,2,17619,F1606,6,0.5\n1,1,17619,F1606,7,0.5\n") + " --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 8, column 2 (contract_id): opening 1 belongs to contract 1, not 2"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("line 8, column 1 (opening_id): opening 1 has 6 position(s), all taken"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("line 9, column 5 (participant_id): no participant 7"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // Refuses to replace a folder holding other files.
  fs::create_directories(dir_ / "busy");
  Write("busy/notes.txt", "mine");
  EXPECT_EQ(Cli("placements accept --today 2025-03-10 --data " + in + " --proposals " + Write("ok.csv", header + rows) +
                " --out " + (dir_ / "busy").string())
                .code,
            2);

  r = Cli("placements accept --today 2025-03-10 --data " + in + " --proposals " + Write("ok.csv", header + rows) +
          " --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted 6 proposal(s) as placements; 1 opening(s) now filled"), std::string::npos) << r.out;
  const auto d = data::LoadDataset(out, *shared_ref);
  ASSERT_EQ(d.placements.size(), 6u);
  EXPECT_EQ(d.placements[5].id, model::PlacementId(6));
  EXPECT_EQ(d.placements[5].employer, "Peinture SA");
  EXPECT_EQ(d.placements[5].start, Date::FromYmd(2025, 3, 17));
  EXPECT_EQ(d.openings[0].status, model::OpeningStatus::kFilled);
  EXPECT_EQ(Slurp(dir_ / "fresh" / "placements.csv").find("Peinture"), std::string::npos);  // input untouched
  // Accepting again: the opening is full now, so the run is refused as a whole.
  r = Cli("placements accept --today 2025-03-10 --data " + out + " --proposals " + Write("again.csv", header + rows) +
          " --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not accepted"), std::string::npos) << r.err;

  // The indicators of the result: 6 participants, all RSA, 2 under 26 at entry (fewer than 5: shown
  // "<5", the floor both doors keep), 6 CDD hires.
  r = Cli("indicators --data " + out + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["placements_in_scope"], 6);
  const auto& people = j["sections"]["participants"];
  EXPECT_EQ(people[0]["value"], 6);
  EXPECT_EQ(people[1]["indicator"], "rsa");
  EXPECT_EQ(people[1]["value"], 6);
  EXPECT_EQ(people[2]["indicator"], "under_26");
  EXPECT_TRUE(people[2]["value"].is_null());
  EXPECT_EQ(people[2]["suppressed"], "<5");
  int cdd = -1, total = -1;
  for (const auto& cell : j["sections"]["hires_by_contract_type"]) {
    if (cell["category"] == "cdd") cdd = cell["value"];
    if (cell["category"] == "total") total = cell["value"];
  }
  EXPECT_EQ(cdd, 6);
  EXPECT_EQ(total, 6);

  // A decision column: only accepted rows are hired.
  std::string decided = "opening_id,participant_id,decision\n1,1,accepted\n1,2,declined\n1,3,\n1,4,accepted\n";
  r = Cli("placements accept --today 2025-03-10 --data " + in + " --proposals " + Write("decided.csv", decided) +
          " --out " + (dir_ / "decided").string() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted 2 proposal(s) as placements (2 row(s) declined or undecided, skipped)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(data::DetectDatasetFormat((dir_ / "decided").string()), data::DatasetFormat::kJson);
}

// One pseudonym scheme and key for both exports (api/pseudonym.hpp): keyed BLAKE2b-128 of "id" 0x1F
// id (these participants have no external reference). Reference value from Python's hashlib:
//   blake2b(b"id\x1f1", key=b"0123456789abcdef0123456789abcdef", digest_size=16).hexdigest()
TEST_F(LifecycleCli, TheSamePersonHasTheSamePseudonymInBothExports) {
  const auto key = Write("export.key", "0123456789abcdef0123456789abcdef");
  const auto other = Write("other.key", "another secret key of 32 bytes!!");
  auto pseudonyms = [&](const std::string& key_file, const std::string& tag) {
    const auto rows = (dir_ / ("rows-" + tag + ".csv")).string();
    auto r = Cli("indicators --data " + Ds() + " --participants " + rows + " --key-file " + key_file);
    EXPECT_EQ(r.code, 0) << r.err;
    std::set<std::string> from_rows;
    std::stringstream in(Slurp(rows));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) from_rows.insert(line.substr(0, line.find(';')));
    const auto out = (dir_ / ("export-" + tag)).string();
    r = Cli("export --data " + Ds() + " --out " + out + " --format json --pseudonymise --key-file " + key_file);
    EXPECT_EQ(r.code, 0) << r.err;
    std::set<std::string> from_export;
    for (const auto& p : data::LoadDataset(out, *shared_ref).participants) from_export.insert(p.external_ref);
    EXPECT_EQ(from_rows, from_export);
    return from_rows;
  };
  const auto same = pseudonyms(key, "a");
  ASSERT_EQ(same.size(), 6u);
  EXPECT_TRUE(same.contains("p-fb2c56585b863abbc03852bf609dc0be"));  // participant 1
  EXPECT_TRUE(same.contains("p-8861556f3f9eff7121baff9c043dd33f"));  // participant 2
  EXPECT_EQ(pseudonyms(key, "b"), same);                             // stable with the key
  const auto different = pseudonyms(other, "c");
  EXPECT_TRUE(different.contains("p-2682adf6e958bd56f40830c9419e0b34"));  // participant 1, other key
  for (const auto& p : different) EXPECT_FALSE(same.contains(p)) << p;
  // A bad key is refused for both, as it is for export.
  const auto short_key = Write("short.key", "short");
  auto r =
      Cli("indicators --data " + Ds() + " --participants " + (dir_ / "x.csv").string() + " --key-file " + short_key);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("16 to 64 bytes"), std::string::npos) << r.err;
}

TEST_F(LifecycleCli, OutcomesImportIsAllOrNothingAndFeedsTheIndicators) {
  // The six painters entered on 17 March 2025: their 6-month situation can be recorded from 17 September.
  const auto before = Slurp(dir_ / "ds" / "placements.csv");
  const auto bad = Write("bad.csv",
                         "placement_id;months_after_entry;outcome;recorded_on\n"
                         "1;6;emploi_durable;2025-09-20\n"
                         "2;6;emploi_durable;2025-09-01\n"  // too early
                         "3;9;autre;2025-12-20\n"           // no such horizon
                         "4;6;bof;2025-12-20\n"             // no such outcome
                         "99;6;autre;2025-12-20\n");        // no such placement
  auto r = Cli("outcomes import --data " + Ds() + " " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 3, column 4 (recorded_on): the situation 6 months after entry can be recorded from "
                       "2025-09-17"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("line 4, column 2 (months_after_entry)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5, column 3 (outcome)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 6, column 1 (placement_id)"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(dir_ / "ds" / "placements.csv"), before);

  // 1-5 lasting jobs (3 first recorded as a transition job, then corrected), 6 a qualifying training.
  std::string good = "placement_id,months_after_entry,outcome,recorded_on\n3,6,emploi_transition,2025-09-20\n";
  for (int i = 1; i <= 5; ++i) good += std::to_string(i) + ",6,emploi_durable,2025-10-01\n";
  good += "6,6,formation_qualifiante,2025-10-01\n";
  r = Cli("outcomes import --data " + Ds() + " " + Write("good.csv", good));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 7 outcome(s)"), std::string::npos) << r.out;
  // The default threshold (5, the floor): the corrected record no longer counts as a transition
  // job; the single qualifying training is suppressed ("<5"), and so is the lasting-job count ("s"),
  // which would give it back from the total.
  r = Cli("indicators --data " + Ds() + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> six;
  for (const auto& cell : report["sections"]["outcomes_6_months"])
    six[cell.value("category", cell["indicator"].get<std::string>())] = cell;
  EXPECT_EQ(six["emploi_durable"]["suppressed"], "s");
  EXPECT_EQ(six["emploi_transition"]["value"], 0);
  EXPECT_TRUE(six["formation_qualifiante"]["value"].is_null());
  EXPECT_EQ(six["formation_qualifiante"]["suppressed"], "<5");
  // Below the floor is refused, naming the flag.
  r = Cli("indicators --data " + Ds() + " --threshold 1 --format json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--threshold"), std::string::npos) << r.err;
}

TEST_F(LifecycleCli, SiaeForAContract) {
  auto r = Cli("siae --contract 1 --data " + Ds() + " --km 5 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["trades"], "F1606");
  bool found = false;
  for (const auto& s : j["by_kind"]["EI"]["structures"]) found |= s["siret"] == "38462320300039";  // CLIPE APROBAT
  EXPECT_TRUE(found) << r.out;
  EXPECT_EQ(Cli("siae --contract 9 --data " + Ds()).code, 2);
}

}  // namespace
}  // namespace clausematch::lifecycle
