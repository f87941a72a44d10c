#include "data/binary_io.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <string>
#include <tuple>

#include "data/referential_loader.hpp"
#include "generator/generator.hpp"
#include "tests/data/fixtures.hpp"

namespace clausematch::data {
namespace {

using model::Date;

const model::Referential& Ref() {
  static const auto kRef = LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  return *kRef;
}

// Field-by-field equality, written out so that a field the codec forgets fails the test.
bool Same(const model::Participant& a, const model::Participant& b) {
  auto tie = [](const model::Participant& p) {
    return std::tie(p.id, p.external_ref, p.prescriber_org, p.prescriber_kind, p.first_name, p.last_name, p.birth_date,
                    p.sex, p.email, p.phone, p.criteria, p.diagnosis_date, p.derogation, p.commune_insee, p.location,
                    p.mobility_radius_km, p.mobility_mode, p.licences, p.wanted_appellations, p.wanted_fiches, p.skills,
                    p.available_from, p.weekly_hours_wanted, p.status, p.consent, p.consent_date, p.registration_date,
                    p.last_proposal_date, p.open_proposals);
  };
  return tie(a) == tie(b);
}
bool Same(const model::Contract& a, const model::Contract& b) {
  auto tie = [](const model::Contract& k) {
    return std::tie(k.id, k.reference, k.title, k.buyer, k.facilitator_org, k.holder, k.holder_siret, k.cpv_code,
                    k.amount_excl_vat_eur, k.start, k.end, k.worksite_insee, k.worksite_location, k.clause_type,
                    k.accepted_publics, k.accepts_derogation, k.accepts_iae_eligibility, k.priority_publics, k.qpv_only,
                    k.iae_level2_required, k.sizing, k.insertion_hours, k.quotas, k.status);
  };
  return tie(a) == tie(b);
}
bool Same(const model::Opening& a, const model::Opening& b) {
  auto tie = [](const model::Opening& o) {
    return std::tie(o.id, o.contract, o.appellation, o.fiche, o.positions, o.weekly_hours, o.start, o.end,
                    o.worksite_insee, o.worksite_location, o.contract_type, o.required_licences, o.required_skills,
                    o.max_distance_km, o.status);
  };
  return tie(a) == tie(b);
}
bool Same(const model::Placement& a, const model::Placement& b) {
  auto tie = [](const model::Placement& p) {
    return std::tie(p.id, p.participant, p.opening, p.contract, p.status, p.contract_type, p.route, p.employer,
                    p.employer_siret, p.start, p.end, p.weekly_hours, p.hours, p.outcomes, p.eligibility);
  };
  return tie(a) == tie(b);
}

void ExpectSameDataset(const model::Dataset& a, const model::Dataset& b) {
  EXPECT_EQ(a.as_of, b.as_of);
  EXPECT_EQ(a.territory, b.territory);
  ASSERT_EQ(a.participants.size(), b.participants.size());
  ASSERT_EQ(a.contracts.size(), b.contracts.size());
  ASSERT_EQ(a.openings.size(), b.openings.size());
  ASSERT_EQ(a.placements.size(), b.placements.size());
  for (std::size_t i = 0; i < a.participants.size(); ++i) EXPECT_TRUE(Same(a.participants[i], b.participants[i])) << i;
  for (std::size_t i = 0; i < a.contracts.size(); ++i) EXPECT_TRUE(Same(a.contracts[i], b.contracts[i])) << i;
  for (std::size_t i = 0; i < a.openings.size(); ++i) EXPECT_TRUE(Same(a.openings[i], b.openings[i])) << i;
  for (std::size_t i = 0; i < a.placements.size(); ++i) EXPECT_TRUE(Same(a.placements[i], b.placements[i])) << i;
}

// A hand-built dataset that sets every optional field one way or the other, including the ones
// the generator never fills (placements, hours, outcomes, a derogation with no criterion).
model::Dataset HandBuilt() {
  model::Dataset ds;
  ds.as_of = Date::FromYmd(2026, 11, 23);
  ds.territory = "Département 80 (Somme)";

  model::Participant a;
  a.id = model::ParticipantId(1);
  a.external_ref = "FT-3202-1";
  a.prescriber_org = "FT-3202";
  a.first_name = "Zoé";
  a.last_name = "Da Silva";
  a.birth_date = Date::FromYmd(2002, 2, 28);
  a.sex = model::Sex::kFemme;
  a.email = "zoe@example.org";
  a.criteria = {{model::Criterion::kRsa, Date::FromYmd(2026, 10, 1), "CD-80"},
                {model::Criterion::kJeune, std::nullopt, "FT-3202"}};
  a.commune_insee = "80021";
  a.location = model::GeoPoint{49.8987, 2.2847};
  a.mobility_radius_km = 12.5;
  a.mobility_mode = model::MobilityMode::kVelo;
  a.licences.insert(model::Licence::kB);
  a.licences.insert(model::Licence::kCaces);
  a.wanted_appellations = {11573};
  a.wanted_fiches = {*model::RomeCode::Parse("F1703")};
  a.skills = {100007, 104016};
  a.available_from = Date::FromYmd(2026, 12, 1);
  a.consent = true;
  a.consent_date = Date::FromYmd(2025, 1, 2);
  a.registration_date = Date::FromYmd(2025, 1, 1);
  a.last_proposal_date = Date::FromYmd(2026, 6, 1);
  a.open_proposals = 2;

  model::Participant b;  // almost everything absent
  b.id = model::ParticipantId(2);
  b.prescriber_kind = model::PrescriberKind::kAutre;
  b.phone = "0639980001";
  b.derogation = model::Derogation{Date::FromYmd(2026, 9, 9), "FAC-3202", "Isolement; \"raison\"\nsur deux lignes"};
  b.status = model::ParticipantStatus::kWithdrawn;
  ds.participants = {a, b};

  model::Contract k;
  k.id = model::ContractId(10);
  k.reference = "2026-80-00001";
  k.buyer = "Ville d'Amiens";
  k.amount_excl_vat_eur = 1'234'567.89;
  k.start = Date::FromYmd(2026, 1, 1);
  k.end = Date::FromYmd(2027, 12, 31);
  k.worksite_insee = "80021";
  k.accepted_publics = {model::Criterion::kRsa, model::Criterion::kSalarieSiae};
  k.priority_publics = {model::Criterion::kRsa};
  k.qpv_only = true;
  k.sizing = model::ClauseSizing{0.5, 0.07, 30};
  k.insertion_hours = 1440.5;
  k.quotas = {{model::Criterion::kRsa, 0, 0.3}, {model::Criterion::kRsa, 2, 0.0}};
  k.status = model::ContractStatus::kClosed;
  model::Contract k2;
  k2.id = model::ContractId(11);
  ds.contracts = {k, k2};

  model::Opening o;
  o.id = model::OpeningId(5);
  o.contract = k.id;
  o.appellation = 11573;
  o.fiche = *model::RomeCode::Parse("F1703");
  o.positions = 3;
  o.weekly_hours = 24.5;
  o.start = Date::FromYmd(2027, 1, 4);
  o.end = Date::FromYmd(2027, 3, 31);
  o.worksite_insee = "80021";
  o.worksite_location = model::GeoPoint{49.8987, 2.2847};
  o.contract_type = model::ContractType::kProfessionnalisation;
  o.required_licences.insert(model::Licence::kDe);
  o.required_skills = {100007};
  o.status = model::OpeningStatus::kFilled;
  ds.openings = {o};

  model::Placement pl;
  pl.id = model::PlacementId(3);
  pl.participant = a.id;
  pl.opening = o.id;
  pl.contract = k.id;
  pl.status = model::PlacementStatus::kEnded;
  pl.route = model::FulfilmentRoute::kSousTraitanceSiae;
  pl.employer = "SIAE fictive";
  pl.start = o.start;
  pl.end = o.end;
  pl.hours = {{2027, 1, 98.0, Date::FromYmd(2027, 2, 2), {}}, {2027, 1, 96.5, Date::FromYmd(2027, 2, 10), {}}};
  pl.outcomes = {{6, model::Outcome::kFormationQualifiante, Date::FromYmd(2027, 7, 4)}};
  pl.eligibility = testing::FullPlacement().eligibility;  // every snapshot member
  ds.placements = {pl};
  return ds;
}

TEST(BinaryIo, HandBuiltDatasetRoundTripsFieldByField) {
  const auto ds = HandBuilt();
  const std::string bytes = EncodeBinaryDataset(ds);
  const auto back = DecodeBinaryDataset(bytes, &Ref());
  ExpectSameDataset(ds, back);
  EXPECT_EQ(EncodeBinaryDataset(back), bytes);
  ASSERT_NE(back.FindOpening(model::OpeningId(5)), nullptr);  // indexed on load
}

TEST(BinaryIo, GeneratedDatasetRoundTrips) {
  generator::GeneratorConfig c;
  c.departements = {"80"};
  c.participants = 800;
  c.contracts = 30;
  const auto ds = generator::Generate(c, Ref());
  const auto back = DecodeBinaryDataset(EncodeBinaryDataset(ds), &Ref());
  ExpectSameDataset(ds, back);
}

TEST(BinaryIo, DatasetWithoutAsOfOrRecordsRoundTrips) {
  model::Dataset empty;
  const auto back = DecodeBinaryDataset(EncodeBinaryDataset(empty));
  EXPECT_FALSE(back.as_of.has_value());
  EXPECT_TRUE(back.participants.empty());
  EXPECT_TRUE(back.territory.empty());
}

TEST(BinaryIo, HeaderIsVersionedAndLittleEndian) {
  const std::string bytes = EncodeBinaryDataset(HandBuilt());
  EXPECT_EQ(bytes.substr(0, 8), std::string("CMDS\x89\r\n\x1a", 8));
  EXPECT_EQ(static_cast<unsigned char>(bytes[8]), kBinaryFormatVersion);
  EXPECT_EQ(bytes[9], '\0');
  EXPECT_EQ(bytes[10], '\0');
  EXPECT_EQ(bytes[11], '\0');
}

void ExpectError(const std::string& bytes, const std::string& fragment, const model::Referential* ref = nullptr) {
  try {
    DecodeBinaryDataset(bytes, ref);
    ADD_FAILURE() << "no error, expected one containing '" << fragment << "'";
  } catch (const BinaryFormatError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// Rewrites the header's payload size and checksum so that a deliberate payload edit reaches the
// record parser.
std::string Reseal(std::string bytes) {
  const std::string_view payload = std::string_view(bytes).substr(32);
  const std::uint64_t size = payload.size();
  const std::uint64_t sum = Checksum64(payload);
  for (int i = 0; i < 8; ++i) {
    bytes[16 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
    bytes[24 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
  }
  return bytes;
}

// A version 3 file (before placement snapshots) still reads: the same bytes without the snapshot's
// presence byte, which ends the last placement right before the string table.
TEST(BinaryIo, ReadsVersionThreeFilesWithoutSnapshots) {
  model::Dataset ds;
  ds.as_of = model::Date::FromYmd(2026, 1, 5);
  auto placement = testing::FullPlacement();
  placement.eligibility.reset();
  placement.hours.clear();  // each report carries version 6's amount byte, which version 3 has not
  ds.placements = {placement};
  std::string bytes = EncodeBinaryDataset(ds);
  std::uint64_t table = 0;
  for (int i = 0; i < 8; ++i) table |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[32 + i])) << (8 * i);
  ASSERT_EQ(bytes[32 + table - 1], '\0');  // "no snapshot"
  bytes.erase(32 + table - 1, 1);
  --table;
  for (int i = 0; i < 8; ++i) bytes[32 + i] = static_cast<char>((table >> (8 * i)) & 0xff);
  bytes[8] = 3;
  const auto back = DecodeBinaryDataset(Reseal(bytes));
  ASSERT_EQ(back.placements.size(), 1u);
  testing::ExpectSame(placement, back.placements[0]);
  bytes[8] = 2;
  ExpectError(Reseal(bytes), "format version 2, this build reads version " + std::to_string(kBinaryFormatVersion));
}

// A version 4 file (before a participant's sex) still reads: the same bytes without the sex byte,
// which ends the only participant right before the string table; the sex is then "non renseigné".
TEST(BinaryIo, ReadsVersionFourFilesWithoutSex) {
  model::Dataset ds;
  ds.as_of = model::Date::FromYmd(2026, 1, 5);
  auto participant = testing::FullParticipant();
  ASSERT_EQ(participant.sex, model::Sex::kFemme);
  ds.participants = {participant};
  std::string bytes = EncodeBinaryDataset(ds);
  std::uint64_t table = 0;
  for (int i = 0; i < 8; ++i) table |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[32 + i])) << (8 * i);
  ASSERT_EQ(bytes[32 + table - 1], static_cast<char>(model::Sex::kFemme));
  bytes.erase(32 + table - 1, 1);
  --table;
  for (int i = 0; i < 8; ++i) bytes[32 + i] = static_cast<char>((table >> (8 * i)) & 0xff);
  bytes[8] = 4;
  const auto back = DecodeBinaryDataset(Reseal(bytes));
  ASSERT_EQ(back.participants.size(), 1u);
  EXPECT_EQ(back.participants[0].sex, model::Sex::kNonRenseigne);
  participant.sex = model::Sex::kNonRenseigne;
  testing::ExpectSame(participant, back.participants[0]);
}

// A version 5 file (before an hours report's amount) still reads: the same bytes without the
// report's amount presence byte, which sits before the placement's outcomes count and snapshot
// byte, right before the string table; the hours are then given as such (no amount).
TEST(BinaryIo, ReadsVersionFiveFilesWithoutHoursAmounts) {
  model::Dataset ds;
  ds.as_of = model::Date::FromYmd(2026, 1, 5);
  auto placement = testing::FullPlacement();
  placement.eligibility.reset();
  placement.outcomes.clear();
  placement.hours = {{2027, 3, 91.25, model::Date::FromYmd(2027, 4, 2), {}}};
  ds.placements = {placement};
  std::string bytes = EncodeBinaryDataset(ds);
  std::uint64_t table = 0;
  for (int i = 0; i < 8; ++i) table |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[32 + i])) << (8 * i);
  // The record's end: ... hours (f64), reported_on (u32), amount (u8 0), outcomes count (u32 0),
  // snapshot (u8 0).
  const std::uint64_t amount = 32 + table - 6;
  ASSERT_EQ(bytes.substr(amount, 6), std::string(6, '\0'));
  const auto hours = std::bit_cast<std::uint64_t>(91.25);
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(static_cast<unsigned char>(bytes[amount - 12 + i]), (hours >> (8 * i)) & 0xff) << i;
  bytes.erase(amount, 1);
  --table;
  for (int i = 0; i < 8; ++i) bytes[32 + i] = static_cast<char>((table >> (8 * i)) & 0xff);
  bytes[8] = 5;
  const auto back = DecodeBinaryDataset(Reseal(bytes));
  ASSERT_EQ(back.placements.size(), 1u);
  ASSERT_EQ(back.placements[0].hours.size(), 1u);
  EXPECT_FALSE(back.placements[0].hours[0].amount.has_value());
  testing::ExpectSame(placement, back.placements[0]);
  bytes[8] = 6;  // the same bytes as version 6 lack a byte: refused, not misread
  EXPECT_THROW(DecodeBinaryDataset(Reseal(bytes)), BinaryFormatError);
}

TEST(BinaryIo, RefusesCorruptOrForeignFiles) {
  const std::string good = EncodeBinaryDataset(HandBuilt());
  ExpectError("participant_id,first_name\n1,Zoé\n", "bad magic");
  std::string v = good;
  v[8] = 1;
  ExpectError(v, "format version 1, this build reads version " + std::to_string(kBinaryFormatVersion));
  ExpectError(good.substr(0, good.size() - 3), "truncated");
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  ExpectError(flipped, "checksum mismatch");
  ExpectError(good + "xy", "header says");
  ExpectError(Reseal(good + std::string(4, '\0')), "table size does not match");
  // Four bytes between the last record and the string table (whose offset moves accordingly).
  std::uint64_t table = 0;
  for (int i = 0; i < 8; ++i) table |= static_cast<std::uint64_t>(static_cast<unsigned char>(good[32 + i])) << (8 * i);
  std::string gap = good;
  gap.insert(32 + table, 4, '\0');
  table += 4;
  for (int i = 0; i < 8; ++i) gap[32 + i] = static_cast<char>((table >> (8 * i)) & 0xff);
  ExpectError(Reseal(gap), "trailing bytes after the last record");
  EXPECT_NO_THROW(DecodeBinaryDataset(Reseal(good)));
}

TEST(BinaryIo, NamesTheRecordOfAnOutOfRangeValue) {
  // Encode twice with a different prescriber kind for participant 1: the one differing byte is that
  // field; set it to an impossible value.
  auto ds = HandBuilt();
  const std::string a = EncodeBinaryDataset(ds);
  ds.participants[1].prescriber_kind = model::PrescriberKind::kCcas;
  const std::string b = EncodeBinaryDataset(ds);
  ASSERT_EQ(a.size(), b.size());
  std::size_t diff = 32;
  while (diff < a.size() && a[diff] == b[diff]) ++diff;
  ASSERT_LT(diff, a.size());
  std::string bad = a;
  bad[diff] = 99;
  ExpectError(Reseal(bad), "/participants/1/prescriber_kind");
}

TEST(BinaryIo, ChecksReferencesAgainstTheReferentialWhenGiven) {
  auto ds = HandBuilt();
  ds.participants[0].commune_insee = "99999";
  const std::string bytes = EncodeBinaryDataset(ds);
  EXPECT_NO_THROW(DecodeBinaryDataset(bytes));
  ExpectError(bytes, "/participants/0/commune_insee: unknown commune '99999'", &Ref());
  ds = HandBuilt();
  ds.openings[0].appellation = 1;
  ExpectError(EncodeBinaryDataset(ds), "/openings/0/appellation: unknown appellation 1", &Ref());
}

TEST(BinaryIo, SaveAndLoadThroughAFileLeaveNoTemporary) {
  const auto dir = std::filesystem::temp_directory_path() / ("clausematch_bin_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "dataset.bin").string();
  SaveBinaryDataset(HandBuilt(), path);
  ExpectSameDataset(HandBuilt(), LoadBinaryDataset(path, &Ref()));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_THROW(LoadBinaryDataset((dir / "missing.bin").string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clausematch::data
