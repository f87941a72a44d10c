// Both doors follow one rule: the same clause plan, SIAE query and indicators request through
// `clausematch` and through the HTTP server (on the sample imported with `clausematch import --db`)
// give the same figures, or the same refusal naming the same field; an attestation handed in gets
// the same verdict, and a draft opening opens (or is refused) alike. Both go through service/.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include "data/dataset_io.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/cli_runner.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace fs = std::filesystem;

// The JSON document of a command's output (stderr lines before it are skipped).
json JsonOf(const Command& c) {
  const auto start = c.out.find('{');
  return start == std::string::npos ? json() : json::parse(c.out.substr(start), nullptr, false);
}

class TwoDoorsTest : public ApiTest {
 protected:
  void SetUp() override {
    sample_ = data::LoadDataset(data::DefaultSampleDir(), *Referential());
    ServerOptions options;
    options.today = sample_.as_of.value();
    Start(options, [this](const std::string& db) {
      imported_ = Clausematch("import --db " + db + " --sample", fs::path(db).parent_path());
    });
    ASSERT_EQ(imported_.exit_code, 0) << imported_.out;
  }
  // The same bad value refused by both doors: the CLI exits 2 naming its flag, HTTP answers 400
  // naming the query parameter.
  void ExpectBothDoorsRefuse(const std::string& args, const std::string& flag, const std::string& target,
                             const std::string& parameter) {
    SCOPED_TRACE(args);
    const auto cli = Clausematch(args, dir_);
    EXPECT_EQ(cli.exit_code, 2) << cli.out;
    EXPECT_NE(cli.out.find(flag), std::string::npos) << cli.out;
    const auto served = Get(target, admin_);
    ASSERT_EQ(served.status, 400) << served.text;
    EXPECT_EQ(served.body["errors"][0]["parameter"], parameter) << served.text;
  }
  const model::Contract& SampleContract(std::uint32_t id) {
    const auto* c = sample_.FindContract(model::ContractId(id));
    EXPECT_NE(c, nullptr);
    return *c;
  }
  static std::string Number(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
  }
  model::Dataset sample_;
  Command imported_;
};

TEST_F(TwoDoorsTest, ThePlanOfAContractIsTheSameAndRefusedAlike) {
  const auto& c = SampleContract(1);
  ASSERT_FALSE(c.cpv_code.empty());
  // The labour share comes from the contract's CPV code by the one table, through both doors.
  const auto cli = Clausematch("contract plan --amount " + Number(c.amount_excl_vat_eur) + " --cpv " + c.cpv_code +
                                   " --insertion-rate 0.05 --hourly-cost 32 --format json",
                               dir_);
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto want = JsonOf(cli)["sizing"];
  const auto served = Post("/v1/contracts/1/plan", {{"insertion_rate", 0.05}, {"hourly_cost_eur", 32}}, admin_);
  ASSERT_EQ(served.status, 200) << served.text;
  const auto& got = served.body["sizing"];
  EXPECT_DOUBLE_EQ(got["labour_share"].get<double>(), want["labour_share"].get<double>());
  EXPECT_EQ(got["labour_share_source"], want["labour_share_source"]);
  EXPECT_DOUBLE_EQ(got["hours"].get<double>(), want["hours"].get<double>());
  EXPECT_DOUBLE_EQ(got["exact_hours"].get<double>(), want["exact_hours"].get<double>());
  EXPECT_GT(got["hours"].get<double>(), 0);

  // The same refusal: an hourly cost of zero names /hourly_cost_eur on both doors.
  const auto bad_cli = Clausematch("contract plan --amount " + Number(c.amount_excl_vat_eur) + " --cpv " + c.cpv_code +
                                       " --insertion-rate 0.05 --hourly-cost 0",
                                   dir_);
  EXPECT_EQ(bad_cli.exit_code, 2) << bad_cli.out;
  EXPECT_NE(bad_cli.out.find("/hourly_cost_eur"), std::string::npos) << bad_cli.out;
  const auto bad = Post("/v1/contracts/1/plan", {{"insertion_rate", 0.05}, {"hourly_cost_eur", 0}}, admin_);
  ASSERT_EQ(bad.status, 422) << bad.text;
  EXPECT_EQ(bad.body["errors"][0]["pointer"], "/hourly_cost_eur") << bad.text;
}

// Without a CPV code, the labour share comes from the trades' entries in the table: HTTP used to
// answer 422 where the CLI sized the clause.
TEST_F(TwoDoorsTest, WithoutACpvCodeBothDoorsTakeTheTradesLabourShare) {
  auto contract = ContractBody("2026-NOCPV-001");
  contract["facilitator_org"] = "PLIE-LILLE";
  auto created = Post("/v1/contracts", contract, admin_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto id = created.body["id"].get<std::uint32_t>();
  const json trades = json::array({{{"appellation", 16250}}});
  const auto served = Post("/v1/contracts/" + std::to_string(id) + "/plan",
                           {{"insertion_rate", 0.05}, {"trades", trades}}, facilitator_a_);
  ASSERT_EQ(served.status, 200) << served.text;
  const auto cli =
      Clausematch("contract plan --amount 1000000 --insertion-rate 0.05 --trade 16250 --start " +
                      Today().AddDays(30).ToString() + " --end " + Today().AddDays(400).ToString() + " --format json",
                  dir_);
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto want = JsonOf(cli)["sizing"];
  EXPECT_DOUBLE_EQ(served.body["sizing"]["labour_share"].get<double>(), want["labour_share"].get<double>());
  EXPECT_DOUBLE_EQ(served.body["sizing"]["hours"].get<double>(), want["hours"].get<double>());
  EXPECT_EQ(served.body["sizing"]["labour_share_source"], want["labour_share_source"]);
}

// A hire of a person who is not active is refused by `clausematch placements accept` and by
// POST /v1/placements (as an admin, who is told why) with the same problem: lifecycle::PlaceOnOpening.
TEST_F(TwoDoorsTest, AHireOfSomeoneNotActiveIsRefusedAlike) {
  const model::Participant* idle = nullptr;
  for (const auto& p : sample_.participants)
    if (p.status != model::ParticipantStatus::kActive) {
      idle = &p;
      break;
    }
  ASSERT_NE(idle, nullptr);
  const model::Opening* open = nullptr;
  for (const auto& o : sample_.openings)
    if (o.status == model::OpeningStatus::kOpen) {
      open = &o;
      break;
    }
  ASSERT_NE(open, nullptr);
  const auto proposals = dir_ / "proposals.csv";
  {
    std::ofstream out(proposals);
    out << "opening_id,participant_id,employer\n"
        << open->id.value() << ',' << idle->id.value() << ",Entreprise Test\n";
  }
  const auto cli = Clausematch(
      "placements accept --sample --proposals " + proposals.string() + " --out " + (dir_ / "hired").string(), dir_);
  EXPECT_EQ(cli.exit_code, 2) << cli.out;
  const std::string why =
      "participant " + std::to_string(idle->id.value()) + " is " + std::string(model::Code(idle->status));
  EXPECT_NE(cli.out.find(why), std::string::npos) << cli.out;
  EXPECT_FALSE(fs::exists(dir_ / "hired" / "placements.csv"));

  const auto served =
      Post("/v1/placements",
           {{"opening_id", open->id.value()}, {"participant_id", idle->id.value()}, {"employer", "Entreprise Test"}},
           admin_);
  ASSERT_EQ(served.status, 422) << served.text;
  bool named = false;
  for (const auto& e : served.body["errors"])
    named = named || (e["pointer"] == "/participant_id" && e["code"] == "not_active" && e["detail"] == why);
  EXPECT_TRUE(named) << served.text;
}

TEST_F(TwoDoorsTest, SiaeSourcingOfAContractIsTheSame) {
  const auto cli = Clausematch("siae --sample --contract 1 --km 40 --limit 5 --format json", dir_);
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto want = JsonOf(cli);
  const auto served = Get("/v1/contracts/1/siae?km=40&limit=5", admin_);
  ASSERT_EQ(served.status, 200) << served.text;
  EXPECT_EQ(served.body["in_reach"], want["in_reach"]);
  EXPECT_EQ(served.body["sector_mismatch"], want["sector_mismatch"]);
  ASSERT_EQ(served.body["by_kind"].size(), want["by_kind"].size());
  for (const auto& [kind, list] : want["by_kind"].items()) {
    SCOPED_TRACE(kind);
    const auto& got = served.body["by_kind"][kind];
    EXPECT_EQ(got["count"], list["count"]);
    ASSERT_EQ(got["structures"].size(), list["structures"].size());
    for (std::size_t i = 0; i < list["structures"].size(); ++i) {
      EXPECT_EQ(got["structures"][i]["siret"], list["structures"][i]["siret"]);
      EXPECT_EQ(got["structures"][i]["distance_km"], list["structures"][i]["distance_km"]);
    }
  }
  EXPECT_GT(want["in_reach"].get<int>(), 0);
  // The same refusal of a distance out of range, naming km.
  ExpectBothDoorsRefuse("siae --sample --contract 1 --km 500", "--km", "/v1/contracts/1/siae?km=500", "km");
}

TEST_F(TwoDoorsTest, IndicatorsAreTheSameAndTheThresholdHasOneFloor) {
  const auto cli = Clausematch("indicators --sample --format json", dir_);
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  auto want = JsonOf(cli);
  const auto served = Get("/v1/indicators", admin_);
  ASSERT_EQ(served.status, 200) << served.text;
  EXPECT_EQ(served.body["contracts_in_scope"], want["contracts_in_scope"]);
  EXPECT_EQ(served.body["placements_in_scope"], want["placements_in_scope"]);
  EXPECT_EQ(served.body["sections"], want["sections"]);
  EXPECT_EQ(served.body["by_sex"], want["by_sex"]);
  EXPECT_EQ(served.body["suppression"], want["suppression"]);
  EXPECT_EQ(want["contracts_in_scope"].get<int>(), static_cast<int>(sample_.contracts.size()));
  // Below the floor of 5: refused by both doors, naming the threshold.
  ExpectBothDoorsRefuse("indicators --sample --threshold 3", "--threshold", "/v1/indicators?threshold=3", "threshold");
  // The territory of residence: the same report by both doors; a bad basis refused by both.
  const auto residents_cli =
      Clausematch("indicators --sample --format json --territory-of residence --departement 80", dir_);
  ASSERT_EQ(residents_cli.exit_code, 0) << residents_cli.out;
  const auto residents_want = JsonOf(residents_cli);
  const auto residents = Get("/v1/indicators?territory_of=residence&departement=80", admin_);
  ASSERT_EQ(residents.status, 200) << residents.text;
  EXPECT_EQ(residents.body["sections"], residents_want["sections"]);
  EXPECT_EQ(residents.body["by_sex"], residents_want["by_sex"]);
  EXPECT_EQ(residents.body["territory"], residents_want["territory"]);
  EXPECT_EQ(residents_want["territory"]["of"], "residence");
  ExpectBothDoorsRefuse("indicators --sample --territory-of home", "--territory-of", "/v1/indicators?territory_of=home",
                        "territory_of");
}

// `clausematch attestation verify --db` and POST /v1/attestations/verify: one verdict
// (service::VerifySubmittedAttestation), for the signed JSON, its PDF and altered copies of both;
// with --format json, the route's very answer (one rendering, api/json).
TEST_F(TwoDoorsTest, AnAttestationGetsTheSameVerdictFromBothDoors) {
  const auto issued = From(Client().Get("/v1/contracts/1/attestation", Auth(admin_, {{"Accept", "application/json"}})));
  ASSERT_EQ(issued.status, 200) << issued.text;
  const auto pdf = Get("/v1/contracts/1/attestation", admin_);
  ASSERT_EQ(pdf.status, 200) << pdf.text.substr(0, 200);
  ASSERT_TRUE(pdf.text.starts_with("%PDF-"));
  auto altered_json = issued.body;
  altered_json["attestation"]["totals"]["target_hours"] = "1.00";
  auto altered_pdf = pdf.text;
  altered_pdf[altered_pdf.size() / 2] = static_cast<char>(altered_pdf[altered_pdf.size() / 2] ^ 1);
  const std::vector<std::tuple<std::string, std::string, std::string>> cases{
      {"signed.json", issued.body.dump(2), "application/json"},
      {"signed.pdf", pdf.text, "application/pdf"},
      {"altered.json", altered_json.dump(), "application/json"},
      {"altered.pdf", altered_pdf, "application/pdf"}};
  for (const auto& [name, bytes, type] : cases) {
    SCOPED_TRACE(name);
    {
      std::ofstream out(dir_ / name, std::ios::binary);
      out << bytes;
    }
    const auto cli = Clausematch("attestation verify --db " + db_path_ + " " + (dir_ / name).string(), dir_);
    const auto served = PostRaw("/v1/attestations/verify", bytes, type, facilitator_a_);
    ASSERT_EQ(served.status, 200) << served.text;
    const bool valid = served.body["valid"].get<bool>();
    EXPECT_EQ(valid, name.starts_with("signed"));
    if (valid) {
      EXPECT_EQ(cli.exit_code, 0) << cli.out;
      const auto& issuer = served.body["issuer"];
      EXPECT_NE(cli.out.find("valid: signed by " + issuer["org"].get<std::string>() + " with key " +
                             issuer["key_id"].get<std::string>() + "; contract " +
                             served.body["attestation"]["contract_reference"].get<std::string>() + ", period " +
                             served.body["attestation"]["period"].get<std::string>()),
                std::string::npos)
          << cli.out;
      EXPECT_EQ(issuer["org"], SampleContract(1).facilitator_org);
    } else {
      EXPECT_EQ(cli.exit_code, 2) << cli.out;
      EXPECT_NE(cli.out.find("INVALID: " + served.body["reason"].get<std::string>()), std::string::npos) << cli.out;
    }
    // --format json: the very answer of the route (api/json/attestation_json.hpp), key for key.
    const auto cli_json =
        Clausematch("attestation verify --format json --db " + db_path_ + " " + (dir_ / name).string(), dir_);
    EXPECT_EQ(cli_json.exit_code, valid ? 0 : 2) << cli_json.out;
    const auto parsed = nlohmann::json::parse(cli_json.out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << cli_json.out;
    EXPECT_EQ(parsed, served.body);
  }
  // A malformed one: refused by both, naming the same field.
  auto no_value = issued.body;
  no_value["signature"].erase("value");
  {
    std::ofstream out(dir_ / "malformed.json");
    out << no_value.dump();
  }
  const auto cli = Clausematch("attestation verify --db " + db_path_ + " " + (dir_ / "malformed.json").string(), dir_);
  EXPECT_EQ(cli.exit_code, 2) << cli.out;
  EXPECT_NE(cli.out.find("/signature/value"), std::string::npos) << cli.out;
  const auto served = Post("/v1/attestations/verify", no_value, facilitator_a_);
  ASSERT_EQ(served.status, 422) << served.text;
  EXPECT_EQ(served.body["errors"][0]["pointer"], "/signature/value");
}

// `clausematch opening open --data DIR ID` and POST /v1/openings/{id}/open on the same dataset (the
// sample with a few openings made drafts, one of them on a closed contract, and one closed): the
// same opening, the same refusals (service::OpenDraftOpening).
class OpeningDoorsTest : public ApiTest {
 protected:
  void SetUp() override {
    auto dataset = data::LoadDataset(data::DefaultSampleDir(), *Referential());
    const auto contract_of = [&](const model::Opening& o) { return *dataset.FindContract(o.contract); };
    // Three openings of open contracts, and one opening of another contract, which is closed.
    std::vector<model::Opening*> picked;
    for (auto& o : dataset.openings) {
      if (o.status != model::OpeningStatus::kOpen || contract_of(o).status != model::ContractStatus::kOpen) continue;
      const bool other_contract = std::none_of(picked.begin(), picked.end(),
                                               [&](const model::Opening* p) { return p->contract == o.contract; });
      if (picked.size() < 3 || other_contract) picked.push_back(&o);
      if (picked.size() == 4) break;
    }
    ASSERT_EQ(picked.size(), 4U);
    draft_ = picked[0]->id.value();
    picked[0]->status = model::OpeningStatus::kDraft;
    other_draft_ = picked[1]->id.value();
    picked[1]->status = model::OpeningStatus::kDraft;
    closed_ = picked[2]->id.value();
    picked[2]->status = model::OpeningStatus::kClosed;
    on_closed_contract_ = picked[3]->id.value();
    picked[3]->status = model::OpeningStatus::kDraft;
    for (auto& c : dataset.contracts)
      if (c.id == picked[3]->contract) c.status = model::ContractStatus::kClosed;
    ServerOptions options;
    options.today = dataset.as_of.value();
    Start(options, [&](const std::string& db) {
      folder_ = fs::path(db).parent_path() / "drafts";
      data::SaveDataset(dataset, folder_.string(), data::DatasetFormat::kCsv);
      imported_ = Clausematch("import --db " + db + " --data " + folder_.string(), fs::path(db).parent_path());
    });
    ASSERT_EQ(imported_.exit_code, 0) << imported_.out;
  }
  Command OpenByCli(std::uint32_t id) {
    return Clausematch("opening open --data " + folder_.string() + " --format json " + std::to_string(id), dir_);
  }
  Reply OpenByHttp(std::uint32_t id) {
    return Post("/v1/openings/" + std::to_string(id) + "/open", json::object(), admin_);
  }
  model::OpeningStatus StatusInFolder(std::uint32_t id) {
    const auto dataset = data::LoadDataset(folder_.string(), *Referential());
    for (const auto& o : dataset.openings)
      if (o.id.value() == id) return o.status;
    ADD_FAILURE() << "no opening " << id;
    return model::OpeningStatus::kClosed;
  }
  std::uint32_t draft_ = 0, other_draft_ = 0, closed_ = 0, on_closed_contract_ = 0;
  fs::path folder_;
  Command imported_;
};

TEST_F(OpeningDoorsTest, ADraftOpensAlikeAndTheSameOpeningsAreRefusedAlike) {
  // The draft opens through both doors: the same opening, written back to the folder.
  ASSERT_EQ(StatusInFolder(draft_), model::OpeningStatus::kDraft);
  const auto cli = OpenByCli(draft_);
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto served = OpenByHttp(draft_);
  ASSERT_EQ(served.status, 200) << served.text;
  EXPECT_EQ(served.body["status"], "open");
  EXPECT_EQ(JsonOf(cli), served.body);
  EXPECT_EQ(StatusInFolder(draft_), model::OpeningStatus::kOpen);
  EXPECT_EQ(StatusInFolder(other_draft_), model::OpeningStatus::kDraft) << "only the one asked for";
  // Opening it again changes nothing, on both doors.
  const auto again = Clausematch("opening open --data " + folder_.string() + " " + std::to_string(draft_), dir_);
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("was already open"), std::string::npos) << again.out;
  EXPECT_EQ(OpenByHttp(draft_).status, 200);
  // "openings open" is the same command.
  const auto plural =
      Clausematch("openings open --data " + folder_.string() + " " + std::to_string(other_draft_), dir_);
  EXPECT_EQ(plural.exit_code, 0) << plural.out;
  EXPECT_EQ(StatusInFolder(other_draft_), model::OpeningStatus::kOpen);

  // A closed opening, and a draft of a closed contract: 409 and exit 2, with the same sentence;
  // the folder is left as it was.
  for (const auto id : {closed_, on_closed_contract_}) {
    SCOPED_TRACE(id);
    const auto refused_cli = OpenByCli(id);
    EXPECT_EQ(refused_cli.exit_code, 2) << refused_cli.out;
    const auto refused = OpenByHttp(id);
    ASSERT_EQ(refused.status, 409) << refused.text;
    EXPECT_NE(refused_cli.out.find(refused.body["detail"].get<std::string>()), std::string::npos)
        << refused_cli.out << " / " << refused.text;
  }
  EXPECT_EQ(StatusInFolder(closed_), model::OpeningStatus::kClosed);
  EXPECT_EQ(StatusInFolder(on_closed_contract_), model::OpeningStatus::kDraft);
  // An opening that does not exist.
  const auto unknown = OpenByCli(999999);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("no such opening 999999"), std::string::npos) << unknown.out;
  EXPECT_EQ(OpenByHttp(999999).status, 404);
  // The folder is required: it is written.
  EXPECT_EQ(Clausematch("opening open " + std::to_string(draft_), dir_).exit_code, 2);
}

}  // namespace
}  // namespace clausematch::api::http::testing
