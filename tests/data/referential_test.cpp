// The Referential built from data/reference, checked against the source files themselves: the
// expected values are read from the CSV lines with a plain split (the rows used hold no quotes),
// independently of the loader, plus a few values written inline after checking them by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "data/referential_loader.hpp"

namespace clausematch::data {
namespace {

const std::string kRef = std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference";

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// Every line of `file` whose first field is `key`, split on commas.
std::vector<std::vector<std::string>> Rows(const std::string& file, const std::string& key) {
  std::ifstream in(kRef + "/" + file);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ",", 0) == 0) rows.push_back(SplitComma(line));
  return rows;
}

// The loader runs once per test process (about 0.4 s in Debug).
const model::Referential& Ref() {
  static const auto kLoaded = LoadReferential(kRef);
  return *kLoaded;
}

model::RomeCode Rome(const char* s) { return *model::RomeCode::Parse(s); }

TEST(Referential, CommunesAgainstTheSourceFile) {
  // code_insee,nom,type,code_commune_parente,code_departement,code_region,zone,codes_postaux,population,latitude,longitude
  for (const char* insee : {"59350", "75115", "2A004", "2B033"}) {
    SCOPED_TRACE(insee);
    const auto rows = Rows("geo/communes.csv", insee);
    ASSERT_EQ(rows.size(), 1u);
    const auto& f = rows[0];
    const model::Commune* c = Ref().FindCommune(insee);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->name, f[1]);
    EXPECT_EQ(c->departement, f[4]);
    EXPECT_EQ(c->region, f[5]);
    EXPECT_EQ(c->population, std::stoul(f[8]));
    EXPECT_DOUBLE_EQ(c->centre.lat, std::stod(f[9]));
    EXPECT_DOUBLE_EQ(c->centre.lon, std::stod(f[10]));
  }
  // Checked by hand in data/reference/geo/communes.csv.
  const model::Commune* lille = Ref().FindCommune("59350");
  EXPECT_EQ(lille->name, "Lille");
  EXPECT_EQ(lille->departement, "59");
  EXPECT_EQ(lille->region, "32");
  EXPECT_EQ(lille->population, 238246u);
  EXPECT_DOUBLE_EQ(lille->centre.lat, 50.6311);
  EXPECT_DOUBLE_EQ(lille->centre.lon, 3.0469);
  const model::Commune* paris15 = Ref().FindCommune("75115");
  EXPECT_TRUE(paris15->arrondissement);
  EXPECT_EQ(paris15->parent_insee, "75056");
  EXPECT_EQ(Ref().FindCommune("2A004")->name, "Ajaccio");
  EXPECT_EQ(Ref().FindCommune("2A004")->departement, "2A");
  EXPECT_EQ(Ref().FindCommune("99999"), nullptr);

  EXPECT_EQ(Ref().FindDepartement("59")->name, "Nord");
  EXPECT_EQ(Ref().FindDepartement("2A")->region, "94");
  EXPECT_EQ(Ref().FindRegion("32")->name, "Hauts-de-France");
}

TEST(Referential, PostalCodeToCommunes) {
  auto insee_of = [](std::string_view cp) {
    std::set<std::string> out;
    for (auto i : Ref().CommunesByPostalCode(cp)) out.insert(Ref().communes()[i].insee);
    return out;
  };
  // 59000 is Lille only; 59100 is Roubaix; 20000 is Ajaccio; 75015 is Paris and its 15th arrondissement.
  EXPECT_EQ(insee_of("59000"), (std::set<std::string>{"59350"}));
  EXPECT_EQ(insee_of("59100"), (std::set<std::string>{"59512"}));
  EXPECT_EQ(insee_of("20000"), (std::set<std::string>{"2A004"}));
  EXPECT_EQ(insee_of("75015"), (std::set<std::string>{"75056", "75115"}));
  EXPECT_TRUE(insee_of("00000").empty());
}

TEST(Referential, RomeAgainstTheSourceFiles) {
  // Appellation -> fiche (rome_appellations.csv: code_appellation,libelle,libelle_court,code_rome,...).
  for (const char* code : {"16250", "10537", "11573"}) {
    SCOPED_TRACE(code);
    const auto rows = Rows("rome/rome_appellations.csv", code);
    ASSERT_EQ(rows.size(), 1u);
    const model::Appellation* a = Ref().FindAppellation(static_cast<model::AppellationCode>(std::stoul(code)));
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->label, rows[0][1]);
    EXPECT_EQ(a->fiche.str(), rows[0][3]);
  }
  EXPECT_EQ(Ref().FindAppellation(16250)->fiche.str(), "F1703");  // Maçon / Maçonne, by hand
  EXPECT_EQ(Ref().FindAppellation(99999999), nullptr);

  const model::Fiche* macon = Ref().FindFiche(Rome("F1703"));
  ASSERT_NE(macon, nullptr);
  EXPECT_EQ(macon->label, "Maçon / Maçonne");
  EXPECT_EQ(macon->domaine_professionnel, "F17");

  // Fiche -> skills (rome_fiche_competences.csv: code_rome,code_ogr,rubrique,coeur_metier): the same
  // set, every core skill ("Principale") before every other one.
  const auto rows = Rows("rome/rome_fiche_competences.csv", "F1703");
  std::set<model::SkillCode> core, other;
  for (const auto& r : rows)
    (r[3] == "Principale" ? core : other).insert(static_cast<model::SkillCode>(std::stoul(r[1])));
  ASSERT_FALSE(core.empty());
  const auto skills = Ref().SkillsOf(Rome("F1703"));
  ASSERT_EQ(skills.size(), rows.size());
  std::set<model::SkillCode> got_core, got_other;
  for (std::size_t i = 0; i < skills.size(); ++i) {
    EXPECT_EQ(skills[i].core, i < core.size()) << "core skills come first, at " << i;
    (skills[i].core ? got_core : got_other).insert(skills[i].skill);
  }
  EXPECT_EQ(got_core, core);
  EXPECT_EQ(got_other, other);
  EXPECT_EQ(Ref().FindSkill(103780)->label, "Poser des tôles");

  // Fiche -> mobility links (rome_mobilites.csv: code_rome,code_rome_cible,rang), by rank.
  const auto links = Ref().MobilityFrom(Rome("F1703"));
  const auto link_rows = Rows("rome/rome_mobilites.csv", "F1703");
  ASSERT_EQ(links.size(), link_rows.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    EXPECT_EQ(links[i].rank, static_cast<int>(i + 1));
    const auto row = std::find_if(link_rows.begin(), link_rows.end(),
                                  [&](const auto& r) { return std::stoi(r[2]) == links[i].rank; });
    ASSERT_NE(row, link_rows.end());
    EXPECT_EQ(links[i].target.str(), (*row)[1]);
  }
  EXPECT_EQ(links[0].target.str(), "F1608");  // by hand: rank 1 from masonry
  EXPECT_TRUE(Ref().SkillsOf(Rome("Z9999")).empty());

  // Appellations of a fiche include its principal title.
  bool found = false;
  for (auto i : Ref().AppellationsOf(Rome("F1703"))) found |= Ref().appellations()[i].code == 16250;
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace clausematch::data
