#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/csv_reader.hpp"
#include "data/siae_loader.hpp"
#include "lifecycle/siae_sourcing.hpp"

namespace clausematch::lifecycle {
namespace {

using model::RomeCode;

RomeCode Rome(const char* code) { return *RomeCode::Parse(code); }

model::Referential LilleOnly() {
  model::Referential::Tables t;
  model::Commune lille;
  lille.insee = "59350";
  lille.name = "Lille";
  lille.departement = "59";
  lille.region = "32";
  lille.centre = {50.6311, 3.0468};
  t.communes.push_back(lille);
  return model::Referential(std::move(t));
}

// Six real rows of data/reference/siae/siae_le_marche_fixture.csv (Lille area), one far away
// (Romainville, 93), and one made-up row without coordinates whose commune is Lille.
constexpr const char* kDirectory =
    "siret,siren,nom,enseigne,type_structure,code_naf,adresse,code_postal,ville,code_departement,code_insee,"
    "latitude,longitude,source,date_creation_fiche\n"
    "33785781700023,337857817,ALORE,,AI,7830Z,62 Rue Roland,59800,Lille,59,59350,50.630711,3.039054,ASP,2019-12-05\n"
    "38451532600021,384515326,ALIAJE,,EI,4334Z,5 Rue Jules Ferry,59139,Wattignies,59,59648,50.596552,3.049802,ASP,"
    "2019-12-05\n"
    "38462320300039,384623203,CLIPE APROBAT,,EI,4334Z,434 Rue du Colonel J.colona d'Ornano,59120,Loos,59,59360,"
    "50.613572,3.014854,ASP,2019-12-05\n"
    "40158931200016,401589312,MQBB REGIE TECHNIQUE PROXIMITE,,ACI,8899B,60 Rue du General Anne de la Bourdonnaye,"
    "59000,Lille,59,59350,50.629796,3.024985,ASP,2019-12-05\n"
    "41814790600022,418147906,SELF INTERIM,,ETTI,7820Z,89 Avenue de la République Lomme,59160,Lille,59,59350,"
    "50.637739,3.011383,ASP,2019-12-05\n"
    "48810514900014,488105149,ACORUS,,EI,8130Z,232 Boulevard Constantin Descat,59200,Tourcoing,59,59599,50.698238,"
    "3.153921,ASP,2019-12-05\n"
    "80746931700018,807469317,BALUCHON A TABLE CITOYENS,Baluchon-À table citoyens,EI,5621Z,Rue Madeleine Odru,93230,"
    "Romainville,93,93063,48.880530,2.431955,ASP,2019-12-05\n"
    "99999999999999,999999999,SANS COORDONNEES,,EI,4334Z,1 rue X,59000,Lille,59,59350,,,ASP,2019-12-05\n"
    "88888888888888,888888888,NULLE PART,,EI,4334Z,1 rue Y,00000,Nowhere,99,,,,ASP,2019-12-05\n";

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("clausematch_siae_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(SiaeLoader, ReadsKindsLocationsAndFallsBackToTheCommuneCentre) {
  const auto ref = LilleOnly();
  const auto siae = data::LoadSiaeDirectory(WriteTemp("ok.csv", kDirectory), &ref);
  ASSERT_EQ(siae.size(), 9u);
  EXPECT_EQ(siae[0].name, "ALORE");
  EXPECT_EQ(siae[0].kind, model::SiaeKind::kAi);
  EXPECT_EQ(siae[0].naf, "7830Z");
  EXPECT_DOUBLE_EQ(siae[0].location->lat, 50.630711);
  EXPECT_EQ(siae[4].kind, model::SiaeKind::kEtti);
  EXPECT_EQ(siae[6].enseigne, "Baluchon-À table citoyens");
  ASSERT_TRUE(siae[7].location);  // no coordinates: Lille's centre
  EXPECT_DOUBLE_EQ(siae[7].location->lat, 50.6311);
  EXPECT_FALSE(siae[8].location);
}

TEST(SiaeLoader, UnknownKindNamesLineAndColumn) {
  std::string bad = kDirectory;
  bad += "77777777777777,777777777,X,,SCOP,4334Z,a,59000,Lille,59,59350,50.6,3.0,ASP,2019-12-05\n";
  try {
    data::LoadSiaeDirectory(WriteTemp("bad.csv", bad));
    FAIL() << "expected a CsvError";
  } catch (const data::CsvError& e) {
    EXPECT_EQ(e.line(), 11u);
    EXPECT_EQ(e.column(), 5u);
    EXPECT_EQ(e.column_name(), "type_structure");
  }
}

// A hiring table a person can add up: F1606 has 60 + 30 + 0.5 = 90.5 hires.
std::vector<model::NafRomeLink> HandLinks() {
  return {
      {Rome("F1606"), "4334Z", 60, false}, {Rome("F1606"), "4399C", 30, false}, {Rome("F1606"), "7830Z", 0.5, false},
      {Rome("F1606"), "43", 0, true},      {Rome("F1610"), "4391A", 10, false},
  };
}

TEST(SectorFit, HiringShareDivisionAndParent) {
  const SectorFit fit(HandLinks());
  const TradeFiche paint{Rome("F1606"), Rome("F1606")};
  auto m = fit.Match(paint, "4334Z");
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->hire_share, 60 / 90.5, 1e-12);
  EXPECT_TRUE(m->division_listed);
  m = fit.Match(paint, "4339Z");  // no hires, but division 43 is listed
  ASSERT_TRUE(m);
  EXPECT_EQ(m->hire_share, 0);
  EXPECT_TRUE(m->division_listed);
  EXPECT_FALSE(fit.Match(paint, "7830Z"));  // 0.55% of hires: under the 1% floor
  EXPECT_FALSE(fit.Match(paint, "8899B"));
  EXPECT_FALSE(fit.Match(paint, ""));
  EXPECT_TRUE(SectorFit(HandLinks(), 0.005).Match(paint, "7830Z"));
  // ROME 4.0 couvreur F1619 is found through its historical parent F1610.
  m = fit.Match({Rome("F1619"), Rome("F1610")}, "4391A");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->via, Rome("F1610"));
  EXPECT_DOUBLE_EQ(m->hire_share, 1.0);
  EXPECT_FALSE(fit.Match({Rome("F1619"), {}}, "4391A"));
}

std::vector<std::string> Names(const std::vector<SourcedSiae>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& s : list) out.push_back(s.siae->name);
  return out;
}

TEST(SiaeSourcing, PaintingNearLilleOnTheRealTables) {
  const auto ref = LilleOnly();
  const auto directory = data::LoadSiaeDirectory(WriteTemp("ok2.csv", kDirectory), &ref);
  const auto links = data::LoadNafRomeLinks(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference/rome");
  const SectorFit fit(links);
  SourcingQuery q;
  q.trades = {{Rome("F1606"), Rome("F1606")}};
  q.worksite = {50.6311, 3.0468};  // Lille
  q.max_km = 30;
  auto r = SourceSiae(directory, fit, q);
  // In reach: all but Romainville and the row without a location.
  EXPECT_EQ(r.in_reach, 7);
  EXPECT_EQ(r.without_location, 1);
  // EI: the two 43.34Z painting firms (66.8% of F1606 hires are in 43.34Z) plus the made-up one
  // located at Lille's centre, nearest first; ACORUS (landscaping) does not fit painting.
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kEi]),
            (std::vector<std::string>{"SANS COORDONNEES", "CLIPE APROBAT", "ALIAJE"}));
  EXPECT_NEAR(r.by_kind[model::SiaeKind::kEi][1].match->hire_share, 20314.0 / 30424.0, 1e-9);
  EXPECT_NEAR(r.by_kind[model::SiaeKind::kEi][1].distance_km, 3.0, 0.1);
  // Staffing structures fit any trade.
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kAi]), (std::vector<std::string>{"ALORE"}));
  EXPECT_TRUE(r.by_kind[model::SiaeKind::kAi][0].match->staffing);
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kEtti]), (std::vector<std::string>{"SELF INTERIM"}));
  // The ACI under generic NAF 88.99B and ACORUS do not fit.
  EXPECT_EQ(r.sector_mismatch, 2);
  EXPECT_FALSE(r.by_kind.contains(model::SiaeKind::kAci));

  // Adding green spaces (A1203) brings ACORUS (NAF 81.30Z: 26.9% of A1203 hires) in, 10.6 km away.
  q.trades.push_back({Rome("A1203"), Rome("A1203")});
  r = SourceSiae(directory, fit, q);
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kEi]),
            (std::vector<std::string>{"SANS COORDONNEES", "CLIPE APROBAT", "ALIAJE", "ACORUS"}));
  EXPECT_EQ(r.by_kind[model::SiaeKind::kEi][3].trade, Rome("A1203"));
  EXPECT_NEAR(r.by_kind[model::SiaeKind::kEi][3].distance_km, 10.6, 0.1);

  // Within 3.5 km only; and with any_sector the ACI is listed too.
  q.max_km = 3.5;
  q.any_sector = true;
  r = SourceSiae(directory, fit, q);
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kEi]), (std::vector<std::string>{"SANS COORDONNEES", "CLIPE APROBAT"}));
  EXPECT_EQ(Names(r.by_kind[model::SiaeKind::kAci]), (std::vector<std::string>{"MQBB REGIE TECHNIQUE PROXIMITE"}));
  EXPECT_FALSE(r.by_kind[model::SiaeKind::kAci][0].match);
}

}  // namespace
}  // namespace clausematch::lifecycle
