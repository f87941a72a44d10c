#include "data/csv_codec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/data/fixtures.hpp"

namespace clausematch::data {
namespace {

using testing::D;
using testing::SmallReferential;

const model::Date kToday = D("2026-10-01");

std::string Errors(const std::vector<CsvRowError>& errors) {
  std::string s;
  for (const auto& e : errors) s += e.ToString() + "\n";
  return s;
}

template <typename T>
std::string ToCsv(void (*write)(std::ostream&, std::span<const T>, char), const std::vector<T>& items,
                  char delimiter = ',') {
  std::ostringstream out;
  write(out, items, delimiter);
  return out.str();
}

// A second participant with the optional fields left empty, to round-trip the defaults too.
model::Participant MinimalParticipant() {
  model::Participant p;
  p.id = model::ParticipantId(8);
  p.prescriber_org = "ML-ROUBAIX";
  p.first_name = "Léo";
  p.last_name = "Martin";
  p.birth_date = D("2004-07-01");
  p.criteria = {{model::Criterion::kJeune, std::nullopt, ""}};
  p.commune_insee = "2A004";
  p.location = model::GeoPoint{41.9228, 8.7058};
  p.wanted_appellations = {10537};
  p.available_from = D("2026-10-01");
  p.registration_date = D("2026-09-01");
  return p;
}

TEST(CsvCodec, ParticipantsRoundTripWithCommaAndSemicolon) {
  const std::vector<model::Participant> items{testing::FullParticipant(), MinimalParticipant()};
  for (char delimiter : {',', ';'}) {
    const std::string csv = ToCsv(WriteParticipantsCsv, items, delimiter);
    auto back = ReadParticipantsCsv(csv, SmallReferential(), kToday);
    ASSERT_TRUE(back.ok()) << Errors(back.errors) << csv;
    ASSERT_EQ(back.items.size(), 2u);
    testing::ExpectSame(items[0], back.items[0]);
    testing::ExpectSame(items[1], back.items[1]);
  }
}

TEST(CsvCodec, ParticipantCellsAsWritten) {
  const std::string csv = ToCsv(WriteParticipantsCsv, std::vector{testing::FullParticipant()});
  // Criteria: criterion:proof_date[/valid_until]:validated_by, '|' between criteria; quoting for
  // the comma/quotes.
  EXPECT_THAT(csv,
              ::testing::HasSubstr(
                  ",rsa:2026-09-01:CD59:agent:12|jeune|qpv:2026-08-15:PLIE-LILLE|rqth:2026-06-01/2031-05-31:MDPH-59,"));
  EXPECT_THAT(csv, ::testing::HasSubstr(",\"Durand, dite \"\"Nès\"\"\","));
  EXPECT_THAT(csv, ::testing::HasSubstr(",B|CACES,16250|10537,F1703,103780|100240,"));
}

TEST(CsvCodec, ContractsOpeningsPlacementsRoundTrip) {
  const std::vector<model::Contract> contracts{testing::FullContract()};
  auto c = ReadContractsCsv(ToCsv(WriteContractsCsv, contracts, ';'), SmallReferential());
  ASSERT_TRUE(c.ok()) << Errors(c.errors);
  ASSERT_EQ(c.items.size(), 1u);
  testing::ExpectSame(contracts[0], c.items[0]);

  const std::vector<model::Opening> openings{testing::FullOpening()};
  auto o = ReadOpeningsCsv(ToCsv(WriteOpeningsCsv, openings), SmallReferential(), contracts);
  ASSERT_TRUE(o.ok()) << Errors(o.errors);
  ASSERT_EQ(o.items.size(), 1u);
  testing::ExpectSame(openings[0], o.items[0]);

  const std::vector<model::Placement> placements{testing::FullPlacement()};
  const std::string pcsv = ToCsv(WritePlacementsCsv, placements);
  EXPECT_THAT(
      pcsv,
      ::testing::HasSubstr(
          ",2026-11:112.5:2026-12-03|2026-11:120:2026-12-10|2026-12:98:2027-01-05|2027-01:80:2027-02-03:4000:0.6:30,"));
  auto p = ReadPlacementsCsv(pcsv);
  ASSERT_TRUE(p.ok()) << Errors(p.errors);
  ASSERT_EQ(p.items.size(), 1u);
  testing::ExpectSame(placements[0], p.items[0]);
}

// A hand-written file as a French spreadsheet saves it: BOM, ';', decimal commas, the leading zero
// of an INSEE code lost, "oui" for a boolean, only the required columns plus a few.
TEST(CsvCodec, ReadsFrenchSpreadsheetExport) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "prescriber_org;first_name;last_name;birth_date;criteria;commune_insee;wanted_appellations;"
      "available_from;registration_date;mobility_radius_km;consent;consent_date\r\n"
      "FT-59;Inès;Durand;1990-05-06;rsa:2026-09-01:CD59;59350;16250;2026-10-15;2026-09-02;12,5;oui;2026-09-02\r\n"
      "FT-59;Paul;Ajaccien;1970-01-31;detld:2026-08-01:FT-2A|senior;2A004;10537;2026-10-15;2026-09-02;30;non;\r\n";
  auto r = ReadParticipantsCsv(csv, SmallReferential(), kToday);
  ASSERT_TRUE(r.ok()) << Errors(r.errors);
  ASSERT_EQ(r.items.size(), 2u);
  const auto& a = r.items[0];
  EXPECT_EQ(a.first_name, "Inès");
  EXPECT_EQ(a.mobility_radius_km, 12.5);
  EXPECT_TRUE(a.consent);
  EXPECT_EQ(a.commune_insee, "59350");
  EXPECT_EQ(*a.location, (model::GeoPoint{50.6311, 3.0469}));  // from the commune centre
  ASSERT_EQ(a.criteria.size(), 1u);
  EXPECT_EQ(a.criteria[0], (model::CriterionProof{model::Criterion::kRsa, D("2026-09-01"), "CD59"}));
  EXPECT_FALSE(a.id.valid());  // no id column: ids are assigned on import
  const auto& b = r.items[1];
  ASSERT_EQ(b.criteria.size(), 2u);
  EXPECT_EQ(b.criteria[1].criterion, model::Criterion::kSenior);
  EXPECT_FALSE(b.criteria[1].proof_date);
  EXPECT_EQ(b.commune_insee, "2A004");
}

TEST(CsvCodec, LeadingZeroOfInseeCodeIsRestored) {
  const std::string csv =
      "reference,buyer,facilitator_org,start,end,worksite_insee,accepted_publics\n"
      "R1,Ville,MDE,2026-10-01,2027-10-01,1001,rsa|jeune\n";
  // 01001 is not in the small referential: the error must name the restored code.
  auto r = ReadContractsCsv(csv, SmallReferential());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "unknown commune INSEE code '01001'");
  EXPECT_EQ(r.errors[0].value, "1001");
}

// Every bad cell is reported with its line, column number, column name and value; rows that are
// fine do not hide the others, and bad rows yield no item.
TEST(CsvCodec, EveryBadCellIsReported) {
  const std::string csv =
      "prescriber_org,first_name,last_name,birth_date,criteria,commune_insee,wanted_appellations,available_from,"
      "registration_date,mobility_radius_km\n"
      "FT-59,Ok,Row,1990-05-06,rsa:2026-09-01:CD59,59350,16250,2026-10-15,2026-09-02,25\n"            // line 2 fine
      "FT-59,Bad,Date,1990-13-06,rsa:2026-09-01:CD59,59350,16250,2026-10-15,2026-09-02,25\n"          // line 3
      "FT-59,Bad,Many,1990-05-06,rssa:2026-09-01:CD59,99999,77777,2026-10-15,2026-09-02,loin\n"       // line 4
      "FT-59,Short,Row,1990-05-06\n"                                                                  // line 5
      "FT-59,Bad,Proof,1990-05-06,jeune|rsa:2026-09-31:CD59,59350,16250,2026-10-15,2026-09-02,25\n";  // line 6
  auto r = ReadParticipantsCsv(csv, SmallReferential(), kToday);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].first_name, "Ok");

  struct Expected {
    std::size_t line, column;
    const char* name;
    const char* value;
  };
  const std::vector<Expected> expected{
      {3, 4, "birth_date", "1990-13-06"},
      {4, 10, "mobility_radius_km", "loin"},
      {4, 5, "criteria", "rssa:2026-09-01:CD59"},
      {4, 6, "commune_insee", "99999"},
      {4, 7, "wanted_appellations", "77777"},
      {5, 0, "", ""},
      {6, 5, "criteria", "jeune|rsa:2026-09-31:CD59"},
  };
  ASSERT_EQ(r.errors.size(), expected.size()) << Errors(r.errors);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(r.errors[i].ToString());
    EXPECT_EQ(r.errors[i].line, expected[i].line);
    EXPECT_EQ(r.errors[i].column, expected[i].column);
    EXPECT_EQ(r.errors[i].column_name, expected[i].name);
    EXPECT_EQ(r.errors[i].value, expected[i].value);
  }
  EXPECT_EQ(r.errors[2].message, "unknown eligibility criterion 'rssa'");
  EXPECT_EQ(r.errors[3].message, "unknown commune INSEE code '99999'");
  EXPECT_EQ(r.errors[4].message, "unknown ROME appellation '77777'");
  EXPECT_EQ(r.errors[5].message, "expected 10 fields, found 4");
  EXPECT_EQ(r.errors[1].ToString(), "line 4, column 10 (mobility_radius_km): 'loin' is not a number");
}

// valid_until is spelled as an ISO 8601 interval after the criterion: rqth:2026-06-01/2031-05-31:MDPH.
// Its problems are reported on the criteria cell, with the line and column.
TEST(CsvCodec, ValidUntilIsAnIntervalAndItsProblemsNameLineAndColumn) {
  const std::string csv =
      "prescriber_org,first_name,last_name,birth_date,criteria,commune_insee,wanted_appellations,available_from,"
      "registration_date\n"
      "FT-59,Ok,Decision,1990-05-06,rqth:2026-06-01/2031-05-31:MDPH-59,59350,16250,2026-10-15,2026-09-02\n"    // 2
      "FT-59,No,End,1990-05-06,rqth:2026-06-01:MDPH-59,59350,16250,2026-10-15,2026-09-02\n"                    // 3
      "FT-59,Age,End,1990-05-06,jeune:/2030-01-01,59350,16250,2026-10-15,2026-09-02\n"                         // 4
      "FT-59,Ends,Early,1990-05-06,rsa:2026-09-01/2026-08-31:CD59,59350,16250,2026-10-15,2026-09-02\n"         // 5
      "FT-59,Open,End,1990-05-06,rsa:2026-09-01/:CD59,59350,16250,2026-10-15,2026-09-02\n"                     // 6
      "FT-59,Three,Dates,1990-05-06,rsa:2026-09-01/2026-10-01/2026-11-01,59350,16250,2026-10-15,2026-09-02\n"  // 7
      "FT-59,Ok,Pass,1990-05-06,salarie_siae:2026-05-01:EI-59|refugie:2026-02-01/2036-01-31:PREF-59,59350,16250,"
      "2026-10-15,2026-09-02\n";  // 8
  auto r = ReadParticipantsCsv(csv, SmallReferential(), kToday);
  ASSERT_EQ(r.items.size(), 2u) << Errors(r.errors);
  EXPECT_EQ(r.items[0].criteria[0].valid_until, D("2031-05-31"));
  EXPECT_EQ(r.items[1].criteria[0].valid_until, std::nullopt);  // a PASS IAE: 24 months by default
  EXPECT_EQ(r.items[1].criteria[1].valid_until, D("2036-01-31"));
  ASSERT_EQ(r.errors.size(), 5u) << Errors(r.errors);
  for (std::size_t i = 0; i < r.errors.size(); ++i) {
    EXPECT_EQ(r.errors[i].line, i + 3);
    EXPECT_EQ(r.errors[i].column, 5u);
    EXPECT_EQ(r.errors[i].column_name, "criteria");
  }
  EXPECT_EQ(r.errors[0].ToString(),
            "line 3, column 5 (criteria): 'rqth' is proven by a document with an end date (a decision, a residence "
            "title): valid_until is required: 'rqth:2026-06-01:MDPH-59'");
  EXPECT_THAT(r.errors[1].message, ::testing::HasSubstr("'jeune' is judged from the birth date"));
  EXPECT_EQ(r.errors[2].message, "'rsa': valid_until 2026-08-31 precedes the proof date 2026-09-01");
  EXPECT_THAT(r.errors[3].message, ::testing::HasSubstr("proof_date or proof_date/valid_until"));
  EXPECT_THAT(r.errors[4].message, ::testing::HasSubstr("proof_date or proof_date/valid_until"));
}

TEST(CsvCodec, HeaderProblems) {
  auto r = ReadOpeningsCsv("contract,appellation,start,end,worksite,start\n", SmallReferential(), {});
  ASSERT_EQ(r.errors.size(), 3u) << Errors(r.errors);
  EXPECT_EQ(r.errors[0].ToString(), "line 1, column 5 (worksite): unknown column");
  EXPECT_EQ(r.errors[1].ToString(), "line 1, column 6 (start): column appears twice");
  EXPECT_EQ(r.errors[2].ToString(), "line 1 (worksite_insee): missing required column");
}

TEST(CsvCodec, OpeningsReferToKnownContractsAndAppellations) {
  const std::vector<model::Contract> contracts{testing::FullContract()};  // id 3, 2026-10-01 .. 2027-09-30
  const std::string csv =
      "contract,appellation,start,end,worksite_insee,positions\n"
      "3,16250,2026-11-02,2027-03-01,59350,2\n"
      "4,16250,2026-11-02,2027-03-01,59350,2\n"
      "3,1,2026-11-02,2027-12-01,59350,zero\n";
  auto r = ReadOpeningsCsv(csv, SmallReferential(), contracts);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].fiche.str(), "F1703");
  ASSERT_EQ(r.errors.size(), 4u) << Errors(r.errors);
  EXPECT_EQ(r.errors[0].ToString(), "line 3, column 1 (contract): unknown contract id '4'");
  EXPECT_EQ(r.errors[1].ToString(), "line 4, column 6 (positions): 'zero' is not an integer");
  EXPECT_EQ(r.errors[2].ToString(),
            "line 4, column 4 (end): opening ends after its contract (2027-09-30): '2027-12-01'");
  EXPECT_EQ(r.errors[3].ToString(), "line 4, column 2 (appellation): unknown ROME appellation '1'");
}

TEST(CsvCodec, MalformedQuoteStopsWithLineAndColumn) {
  const std::string csv =
      "participant,opening,start,end\n"
      "7,11,2026-11-02,2027-04-30\n"
      "7,\"11\"x,2026-11-02,2027-04-30\n";
  auto r = ReadPlacementsCsv(csv);
  ASSERT_EQ(r.errors.size(), 1u) << Errors(r.errors);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_EQ(r.errors[0].column, 2u);
  EXPECT_EQ(r.errors[0].column_name, "opening");
}

}  // namespace
}  // namespace clausematch::data
