// Attestations of insertion hours (service/attestation.hpp) through both doors on a small fixture
// checked by hand: one contract of PLIE-LILLE (target 1 000 h), two people, two routes, two months.
//
//   Inès Durand, direct hire (cdd):  2026-02 140.00 h; 2026-03 150.00 h then corrected to 151.67 h
//   Éric Élan, ETTI (interim_etti):   2026-02  70.50 h; 2026-03 80.25 h
//
//   March: 151.67 + 80.25 = 231.92 h; to the end of March 140 + 151.67 + 70.50 + 80.25 = 442.42 h,
//   557.58 h left, 44.24 % of the target; by route: direct hire 151.67 (291.67 to date), ETTI
//   80.25 (150.75). February: 210.50 h. The whole contract: 442.42 h, by month 210.50 and 231.92.
#include <fstream>

#include "tests/api/api_fixture.hpp"
#include "tests/api/cli_runner.hpp"

namespace clausematch::api::http::testing {
namespace {

namespace fs = std::filesystem;
using model::Date;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

class AttestationTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.today = kToday;
    Start(options);
    store_->Write([&](store::Session& s) {
      model::Contract c;
      c.reference = "2026-ATT-001";
      c.title = "Réhabilitation de l'école Léo-Lagrange";
      c.buyer = "Métropole Européenne de Lille";
      c.holder = "Bâtiment Nord SAS";
      c.holder_siret = "12345678900011";
      c.facilitator_org = "PLIE-LILLE";
      c.amount_excl_vat_eur = 2'000'000;
      c.start = Date::FromYmd(2026, 1, 5);
      c.end = Date::FromYmd(2026, 12, 31);
      c.worksite_insee = "59350";
      c.accepted_publics = {model::Criterion::kRsa};
      c.insertion_hours = 1000;
      s.InsertContract(c);
      contract_ = c.id.value();
      model::Opening o;
      o.contract = c.id;
      o.appellation = 10200;
      o.fiche = *model::RomeCode::Parse("F1703");
      o.positions = 2;
      o.start = Date::FromYmd(2026, 2, 2);
      o.end = Date::FromYmd(2026, 6, 30);
      o.worksite_insee = "59350";
      s.InsertOpening(o);
      auto person = [&](const char* ref, const char* first, const char* last) {
        model::Participant p;
        p.external_ref = ref;
        p.prescriber_org = "ML-LILLE";
        p.prescriber_kind = model::PrescriberKind::kMissionLocale;
        p.first_name = first;
        p.last_name = last;
        p.birth_date = Date::FromYmd(1990, 5, 17);
        p.criteria.push_back({model::Criterion::kRsa, Date::FromYmd(2026, 1, 10), "ML-LILLE"});
        p.commune_insee = "59350";
        p.consent = true;
        s.InsertParticipant(p);
        return p.id;
      };
      ines_ = person("ATT-1", "Inès", "Durand");
      eric_ = person("ATT-2", "Éric", "Élan");
      auto place = [&](model::ParticipantId who, model::FulfilmentRoute route, model::ContractType type,
                       std::vector<model::MonthlyHours> hours) {
        model::Placement p;
        p.participant = who;
        p.opening = o.id;
        p.contract = c.id;
        p.status = model::PlacementStatus::kHired;
        p.route = route;
        p.contract_type = type;
        p.employer = route == model::FulfilmentRoute::kEtti ? "Intérim Insertion Lille" : "Bâtiment Nord SAS";
        p.start = o.start;
        p.end = o.end;
        p.hours = std::move(hours);
        s.InsertPlacement(p, 0);
      };
      auto report = [](int month, double hours, Date reported_on) {
        model::MonthlyHours h;
        h.year = 2026;
        h.month = month;
        h.hours = hours;
        h.reported_on = reported_on;
        return h;
      };
      place(ines_, model::FulfilmentRoute::kEmbaucheDirecte, model::ContractType::kCdd,
            {report(2, 140.0, Date::FromYmd(2026, 3, 2)), report(3, 150.0, Date::FromYmd(2026, 4, 1)),
             report(3, 151.67, Date::FromYmd(2026, 4, 8))});  // a correction: the effective figure
      place(eric_, model::FulfilmentRoute::kEtti, model::ContractType::kInterimEtti,
            {report(2, 70.5, Date::FromYmd(2026, 3, 2)), report(3, 80.25, Date::FromYmd(2026, 4, 1))});
    });
  }

  [[nodiscard]] std::string Path(const std::string& query = "") const {
    return "/v1/contracts/" + std::to_string(contract_) + "/attestation" + query;
  }
  Reply GetJson(const std::string& path, const std::string& token) {
    return From(Client().Get(path, Auth(token, {{"Accept", "application/json"}})));
  }
  Command Cli(const std::string& args) {
    return Clausematch("attestation --db " + db_path_ + " --date " + kToday.ToString() + " " + args, dir_);
  }
  Command Verify(const fs::path& file) {
    return Clausematch("attestation verify --db " + db_path_ + " " + file.string(), dir_);
  }

  static inline const Date kToday = Date::FromYmd(2026, 12, 4);
  std::uint32_t contract_ = 0;
  model::ParticipantId ines_, eric_;
};

TEST_F(AttestationTest, HandCheckedFiguresForAMonthAndForTheWholeContract) {
  const auto march = GetJson(Path("?month=2026-03&people=named"), facilitator_a_);
  ASSERT_EQ(march.status, 200) << march.text;
  const auto& doc = march.body["attestation"];
  EXPECT_EQ(doc["period"], "2026-03");
  EXPECT_EQ(doc["issued_on"], "2026-12-04");
  EXPECT_EQ(doc["contract"]["reference"], "2026-ATT-001");
  EXPECT_EQ(doc["contract"]["buyer"], "Métropole Européenne de Lille");
  EXPECT_EQ(doc["contract"]["holder"], "Bâtiment Nord SAS");
  EXPECT_EQ(doc["issuer"]["org"], "PLIE-LILLE");
  EXPECT_EQ(doc["totals"], json({{"period_hours", "231.92"},
                                 {"target_hours", "1000.00"},
                                 {"to_date_hours", "442.42"},
                                 {"remaining_hours", "557.58"},
                                 {"percent", "44.24"},
                                 {"placements", 2}}));
  ASSERT_EQ(doc["lines"].size(), 2U);
  EXPECT_EQ(doc["lines"][0]["person"], "Inès D.");
  EXPECT_EQ(doc["lines"][0]["route"], "embauche_directe");
  EXPECT_EQ(doc["lines"][0]["hours"], "151.67");  // the correction, not the first report
  EXPECT_EQ(doc["lines"][0]["to_date_hours"], "291.67");
  EXPECT_EQ(doc["lines"][1]["person"], "Éric É.");
  EXPECT_EQ(doc["lines"][1]["route"], "etti");
  EXPECT_EQ(doc["lines"][1]["hours"], "80.25");
  EXPECT_EQ(doc["lines"][1]["to_date_hours"], "150.75");
  EXPECT_EQ(doc["by_route"],
            json::array({{{"route", "embauche_directe"}, {"hours", "151.67"}, {"to_date_hours", "291.67"}},
                         {{"route", "etti"}, {"hours", "80.25"}, {"to_date_hours", "150.75"}}}));
  EXPECT_EQ(doc["by_month"], json::array({{{"month", "2026-03"}, {"hours", "231.92"}}}));

  const auto february = GetJson(Path("?month=2026-02"), facilitator_a_);
  ASSERT_EQ(february.status, 200) << february.text;
  EXPECT_EQ(february.body["attestation"]["totals"]["period_hours"], "210.50");
  EXPECT_EQ(february.body["attestation"]["totals"]["to_date_hours"], "210.50");
  EXPECT_EQ(february.body["attestation"]["totals"]["remaining_hours"], "789.50");

  const auto whole = GetJson(Path(), facilitator_a_);
  ASSERT_EQ(whole.status, 200) << whole.text;
  EXPECT_EQ(whole.body["attestation"]["period"], "contract");
  EXPECT_EQ(whole.body["attestation"]["totals"]["period_hours"], "442.42");
  EXPECT_EQ(whole.body["attestation"]["totals"]["to_date_hours"], "442.42");
  EXPECT_EQ(whole.body["attestation"]["by_month"],
            json::array({{{"month", "2026-02"}, {"hours", "210.50"}}, {{"month", "2026-03"}, {"hours", "231.92"}}}));
  // The one definition of hours: the fulfilment route gives the same realised figure.
  const auto fulfilment = Get("/v1/contracts/" + std::to_string(contract_) + "/fulfilment", facilitator_a_);
  ASSERT_EQ(fulfilment.status, 200) << fulfilment.text;
  EXPECT_NEAR(fulfilment.body["realised_hours"].get<double>(), 442.42, 1e-9);
}

TEST_F(AttestationTest, NamedOrPseudonymisedAndTheChoiceIsAudited) {
  const auto pseudo = GetJson(Path("?month=2026-03"), facilitator_a_);
  ASSERT_EQ(pseudo.status, 200) << pseudo.text;
  EXPECT_EQ(pseudo.body["attestation"]["people"], "pseudonymised");
  const auto first = pseudo.body["attestation"]["lines"][0]["person"].get<std::string>();
  EXPECT_EQ(first.size(), 34U);
  EXPECT_EQ(first.rfind("p-", 0), 0U);
  EXPECT_EQ(pseudo.text.find("Inès"), std::string::npos);
  EXPECT_EQ(pseudo.text.find("Durand"), std::string::npos);
  // The same person keeps the pseudonym from one attestation to the next.
  const auto whole = GetJson(Path(), facilitator_a_);
  EXPECT_EQ(whole.body["attestation"]["lines"][0]["person"], first);
  EXPECT_NE(pseudo.body["attestation"]["lines"][1]["person"], first);

  const auto named = GetJson(Path("?month=2026-03&people=named"), facilitator_a_);
  ASSERT_EQ(named.status, 200) << named.text;
  EXPECT_EQ(named.body["attestation"]["people"], "named");
  EXPECT_EQ(named.text.find("Durand"), std::string::npos);  // first name and initial only

  const auto audit = store_->Read([&](store::Session& s) { return s.ListAudit("participant", ines_.value()); });
  int named_reads = 0, pseudonymised_reads = 0;
  for (const auto& e : audit) {
    named_reads += e.action == "attestation_named";
    pseudonymised_reads += e.action == "attestation_pseudonymised";
    if (e.action.starts_with("attestation")) {
      EXPECT_EQ(e.org, "PLIE-LILLE");
      EXPECT_EQ(e.purpose, "GET /v1/contracts/{id}/attestation");
    }
  }
  EXPECT_EQ(named_reads, 1);
  EXPECT_EQ(pseudonymised_reads, 2);
  EXPECT_EQ(Get(Path("?people=everyone"), facilitator_a_).body["errors"][0]["parameter"], "people");
}

TEST_F(AttestationTest, BothDoorsGiveTheSameSignedFiguresAndTheSameRefusals) {
  const auto cli = Cli("--contract " + std::to_string(contract_) +
                       " --month 2026-03 --org PLIE-LILLE --format json --out " + (dir_ / "march.json").string());
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto want = json::parse(ReadFile(dir_ / "march.json"));
  const auto served = GetJson(Path("?month=2026-03"), facilitator_a_);
  ASSERT_EQ(served.status, 200) << served.text;
  // The same document, pseudonyms and key; Ed25519 signatures are deterministic: the same bytes.
  EXPECT_EQ(served.body, want);
  EXPECT_EQ(want["attestation"]["totals"]["to_date_hours"], "442.42");

  // Unknown contract: 404 and exit 2.
  EXPECT_EQ(Get("/v1/contracts/999/attestation", facilitator_a_).status, 404);
  const auto unknown = Cli("--contract 999 --out " + (dir_ / "x.pdf").string());
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("no such contract"), std::string::npos) << unknown.out;
  // Another organisation's contract: refused like a missing one (404; exit 2 with --org).
  EXPECT_EQ(Get(Path(), facilitator_b_).status, 404);
  const auto other =
      Cli("--contract " + std::to_string(contract_) + " --org PLIE-ROUBAIX --out " + (dir_ / "x.pdf").string());
  EXPECT_EQ(other.exit_code, 2) << other.out;
  EXPECT_NE(other.out.find("no such contract"), std::string::npos) << other.out;
  // A prescriber's key may not ask at all: 403.
  EXPECT_EQ(Get(Path(), prescriber_a_).status, 403);
  // A malformed month: 400 naming "month"; exit 2 naming --month.
  const auto bad = Get(Path("?month=2026-13"), facilitator_a_);
  ASSERT_EQ(bad.status, 400) << bad.text;
  EXPECT_EQ(bad.body["errors"][0]["parameter"], "month");
  const auto bad_cli =
      Cli("--contract " + std::to_string(contract_) + " --month 2026-13 --out " + (dir_ / "x.pdf").string());
  EXPECT_EQ(bad_cli.exit_code, 2) << bad_cli.out;
  EXPECT_NE(bad_cli.out.find("--month"), std::string::npos) << bad_cli.out;
  // A month outside the contract: 422 naming "month"; exit 2 naming month, the same sentence.
  const auto outside = Get(Path("?month=2025-12"), facilitator_a_);
  ASSERT_EQ(outside.status, 422) << outside.text;
  EXPECT_EQ(outside.body["errors"][0]["parameter"], "month");
  const auto outside_cli =
      Cli("--contract " + std::to_string(contract_) + " --month 2025-12 --out " + (dir_ / "x.pdf").string());
  EXPECT_EQ(outside_cli.exit_code, 2) << outside_cli.out;
  EXPECT_NE(outside_cli.out.find("month: " + outside.body["errors"][0]["detail"].get<std::string>()), std::string::npos)
      << outside_cli.out;
  EXPECT_FALSE(fs::exists(dir_ / "x.pdf"));
}

TEST_F(AttestationTest, TheSignatureVerifiesAndFailsAfterAOneByteChange) {
  const auto json_file = dir_ / "att.json";
  const auto pdf_file = dir_ / "att.pdf";
  const auto id = std::to_string(contract_);
  ASSERT_EQ(Cli("--contract " + id + " --month 2026-03 --format json --out " + json_file.string()).exit_code, 0);
  const auto made = Cli("--contract " + id + " --month 2026-03 --named --out " + pdf_file.string());
  ASSERT_EQ(made.exit_code, 0) << made.out;
  const auto pdf = ReadFile(pdf_file);
  ASSERT_TRUE(pdf.starts_with("%PDF-"));

  auto ok = Verify(json_file);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("valid: signed by PLIE-LILLE"), std::string::npos) << ok.out;
  ok = Verify(pdf_file);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;

  // One byte of a figure in the JSON: 442.42 -> 442.43.
  auto text = ReadFile(json_file);
  const auto at = text.find("\"442.42\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 6] = '3';
  WriteFile(dir_ / "altered.json", text);
  auto altered = Verify(dir_ / "altered.json");
  EXPECT_EQ(altered.exit_code, 2) << altered.out;
  EXPECT_NE(altered.out.find("INVALID"), std::string::npos) << altered.out;

  // One byte of the PDF: in the page content (compressed), and in the signed document it carries.
  auto flipped = pdf;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  WriteFile(dir_ / "altered1.pdf", flipped);
  altered = Verify(dir_ / "altered1.pdf");
  EXPECT_EQ(altered.exit_code, 2) << altered.out;
  flipped = pdf;
  auto doc_at = flipped.find("doc:");
  ASSERT_NE(doc_at, std::string::npos);
  doc_at += 40;
  while (std::isalnum(static_cast<unsigned char>(flipped[doc_at])) == 0) ++doc_at;  // a base64 letter
  flipped[doc_at] = flipped[doc_at] == 'A' ? 'B' : 'A';
  WriteFile(dir_ / "altered2.pdf", flipped);
  altered = Verify(dir_ / "altered2.pdf");
  EXPECT_EQ(altered.exit_code, 2) << altered.out;
  EXPECT_NE(altered.out.find("INVALID"), std::string::npos) << altered.out;

  // Rotation: the old key is retired, still verifies what it signed; the next attestation has a new key.
  const auto rotated = Clausematch("attestation rotate-key --db " + db_path_ + " --org PLIE-LILLE", dir_);
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out;
  ok = Verify(pdf_file);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("since retired"), std::string::npos) << ok.out;
  const auto after = GetJson(Path("?month=2026-03"), facilitator_a_);
  EXPECT_NE(after.body["signature"]["key_id"], json::parse(ReadFile(json_file))["signature"]["key_id"]);
  // Offline, with the public key alone.
  const auto key = json::parse(ReadFile(json_file))["signature"]["public_key"].get<std::string>();
  ok = Clausematch("attestation verify --public-key " + key + " " + json_file.string(), dir_);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  ok = Clausematch("attestation verify --public-key " + after.body["signature"]["public_key"].get<std::string>() + " " +
                       json_file.string(),
                   dir_);
  EXPECT_EQ(ok.exit_code, 2) << ok.out;
}

// POST /v1/attestations/verify: service::VerifySubmittedAttestation over HTTP, for any key.
TEST_F(AttestationTest, AnAttestationHandedInOverHttpIsVerifiedOrRefused) {
  const auto signed_json = GetJson(Path("?month=2026-03"), facilitator_a_);
  ASSERT_EQ(signed_json.status, 200) << signed_json.text;
  const auto key_id = signed_json.body["signature"]["key_id"].get<std::string>();
  const auto pdf_file = dir_ / "att.pdf";
  const auto made =
      Cli("--contract " + std::to_string(contract_) + " --month 2026-03 --named --out " + pdf_file.string());
  ASSERT_EQ(made.exit_code, 0) << made.out;
  const auto pdf = ReadFile(pdf_file);
  const std::string verify = "/v1/attestations/verify";

  // The signed JSON, as GET gave it: valid, signed by PLIE-LILLE with its key; what it attests.
  auto ok = Post(verify, signed_json.body, facilitator_a_);
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["valid"], true);
  EXPECT_TRUE(ok.body["reason"].is_null());
  EXPECT_EQ(ok.body["format"], "json");
  EXPECT_EQ(ok.body["issuer"], json({{"org", "PLIE-LILLE"}, {"key_id", key_id}, {"key_retired", false}}));
  EXPECT_EQ(ok.body["attestation"], json({{"contract_reference", "2026-ATT-001"},
                                          {"period", "2026-03"},
                                          {"issued_on", "2026-12-04"},
                                          {"to_date_hours", "442.42"},
                                          {"target_hours", "1000.00"}}));
  // Its PDF: the same verdict. Any key may verify (another organisation's, a prescriber's): the
  // document is theirs, the answer reads no personal data.
  for (const auto* token : {&facilitator_a_, &facilitator_b_, &prescriber_a_, &admin_}) {
    ok = PostRaw(verify, pdf, "application/pdf", *token);
    ASSERT_EQ(ok.status, 200) << ok.text;
    EXPECT_EQ(ok.body["valid"], true) << ok.text;
    EXPECT_EQ(ok.body["format"], "pdf");
    EXPECT_EQ(ok.body["issuer"]["key_id"], key_id);
  }
  EXPECT_EQ(PostRaw(verify, pdf, "application/pdf", "").status, 401);

  // One byte of a figure changed (442.42 -> 442.43): a verdict, not an error; who it claims to be from.
  auto tampered = signed_json.body;
  tampered["attestation"]["totals"]["to_date_hours"] = "442.43";
  auto bad = Post(verify, tampered, facilitator_a_);
  ASSERT_EQ(bad.status, 200) << bad.text;
  EXPECT_EQ(bad.body["valid"], false);
  EXPECT_EQ(bad.body["reason"], "the signature does not match the document (altered, or signed by another key)");
  EXPECT_EQ(bad.body["issuer"]["org"], "PLIE-LILLE");
  EXPECT_TRUE(bad.body["attestation"].is_null());
  // One byte of the PDF's pages: the signature of the figures holds, the pages are not theirs.
  auto flipped = pdf;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  bad = PostRaw(verify, flipped, "application/pdf", facilitator_a_);
  ASSERT_EQ(bad.status, 200) << bad.text;
  EXPECT_EQ(bad.body["valid"], false);
  EXPECT_EQ(bad.body["format"], "pdf");
  // A key the document names but this database does not hold.
  tampered = signed_json.body;
  tampered["attestation"]["issuer"]["key_id"] = "ed25519-0000000000000000";
  bad = Post(verify, tampered, facilitator_a_);
  EXPECT_EQ(bad.body["valid"], false) << bad.text;
  EXPECT_EQ(bad.body["reason"], "no signing key ed25519-0000000000000000 in this database");

  // Malformed bodies: 4xx problem+json naming the field.
  const auto expect_field = [&](const Reply& r, int status, const std::string& pointer, const std::string& code) {
    ASSERT_EQ(r.status, status) << r.text;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/problem+json", 0), 0U) << r.Header("Content-Type");
    ASSERT_FALSE(r.body["errors"].empty()) << r.text;
    EXPECT_EQ(r.body["errors"][0]["pointer"], pointer) << r.text;
    EXPECT_EQ(r.body["errors"][0]["code"], code) << r.text;
  };
  auto no_document = signed_json.body;
  no_document.erase("attestation");
  expect_field(Post(verify, no_document, facilitator_a_), 422, "/attestation", "required");
  auto no_value = signed_json.body;
  no_value["signature"].erase("value");
  expect_field(Post(verify, no_value, facilitator_a_), 422, "/signature/value", "required");
  auto wrong_signature = signed_json.body;
  wrong_signature["signature"] = "abc";
  expect_field(Post(verify, wrong_signature, facilitator_a_), 422, "/signature", "wrong_type");
  expect_field(PostRaw(verify, "%PDF-1.4\n%%EOF\n", "application/pdf", facilitator_a_), 422, "", "not_an_attestation");
  const auto not_json = PostRaw(verify, "{\"attestation\":", "application/json", facilitator_a_);
  EXPECT_EQ(not_json.status, 400) << not_json.text;
  EXPECT_EQ(PostRaw(verify, "x", "text/plain", facilitator_a_).status, 415);
}

// The page itself, as text: French accents render (DejaVu, UTF-8), the figures are printed.
TEST_F(AttestationTest, ThePdfShowsTheFiguresWithAccents) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) missing";
  const auto pdf_file = dir_ / "att.pdf";
  const auto made =
      Cli("--contract " + std::to_string(contract_) + " --month 2026-03 --named --out " + pdf_file.string());
  ASSERT_EQ(made.exit_code, 0) << made.out;
  const auto text_file = dir_ / "att.txt";
  ASSERT_EQ(std::system(("pdftotext -layout " + pdf_file.string() + " " + text_file.string() + " 2>/dev/null").c_str()),
            0);
  const auto text = ReadFile(text_file);
  for (const char* expected :
       {"Attestation de réalisation des heures d'insertion", "Mois de mars 2026",
        "Réhabilitation de l'école Léo-Lagrange", "Métropole Européenne de Lille", "Bâtiment Nord SAS", "Éric É.",
        "Inès D.", "Mise à disposition par une ETTI", "151,67", "442,42", "557,58", "1 000,00", "44,24 %",
        "Fait le 4 décembre 2026", "Signature électronique"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " not in:\n" << text;
}

}  // namespace
}  // namespace clausematch::api::http::testing
