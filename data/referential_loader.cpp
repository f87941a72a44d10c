#include "data/referential_loader.hpp"

#include <charconv>
#include <cstdlib>

#include "data/csv_reader.hpp"

#ifndef CLAUSEMATCH_DEFAULT_REFERENCE_DIR
#define CLAUSEMATCH_DEFAULT_REFERENCE_DIR "data/reference"
#endif

namespace clausematch::data {
namespace {

using model::RomeCode;

template <typename T>
T ParseNumber(const CsvRow& row, std::size_t col, const std::vector<std::string>& header) {
  auto text = row.Get(col);
  T value{};
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc{} || res.ptr != text.data() + text.size())
    throw CsvError(row.line(), col + 1, header[col], "not a number: '" + std::string(text) + "'");
  return value;
}

RomeCode ParseRome(const CsvRow& row, std::size_t col, const std::vector<std::string>& header) {
  auto code = RomeCode::Parse(row.Get(col));
  if (!code) throw CsvError(row.line(), col + 1, header[col], "not a ROME code: '" + std::string(row.Get(col)) + "'");
  return *code;
}

std::vector<std::string> SplitPipe(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto bar = s.find('|');
    out.emplace_back(s.substr(0, bar));
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace

std::string DefaultReferenceDir() {
  if (const char* env = std::getenv("CLAUSEMATCH_REFERENCE"); env && *env) return env;
  return CLAUSEMATCH_DEFAULT_REFERENCE_DIR;
}

std::shared_ptr<const model::Referential> LoadReferential(const std::string& dir) {
  model::Referential::Tables t;
  std::vector<std::string> h;

  // Communes are read in two passes over the header: columns are looked up by name so a
  // re-export with reordered columns still loads.
  {
    const std::string path = dir + "/geo/communes.csv";
    std::size_t c_insee = 0, c_nom = 0, c_type = 0, c_parent = 0, c_dep = 0, c_reg = 0, c_cp = 0, c_pop = 0, c_lat = 0,
                c_lon = 0, c_ze = 0;
    bool resolved = false;
    t.communes.reserve(36000);
    CsvReader::ParseFile(
        path,
        [&](const CsvRow& row) {
          if (!resolved) {
            const auto& hd = row.header();
            c_insee = CsvReader::Column(hd, "code_insee");
            c_nom = CsvReader::Column(hd, "nom");
            c_type = CsvReader::Column(hd, "type");
            c_parent = CsvReader::Column(hd, "code_commune_parente");
            c_dep = CsvReader::Column(hd, "code_departement");
            c_reg = CsvReader::Column(hd, "code_region");
            c_cp = CsvReader::Column(hd, "codes_postaux");
            c_pop = CsvReader::Column(hd, "population");
            c_lat = CsvReader::Column(hd, "latitude");
            c_lon = CsvReader::Column(hd, "longitude");
            c_ze = CsvReader::Column(hd, "code_zone_emploi");
            resolved = true;
          }
          model::Commune c;
          c.insee = row[c_insee];
          c.name = row[c_nom];
          c.arrondissement = row[c_type] == "arrondissement_municipal";
          c.parent_insee = row[c_parent];
          c.departement = row[c_dep];
          c.region = row[c_reg];
          c.postal_codes = SplitPipe(row[c_cp]);
          c.population = row[c_pop].empty() ? 0u : ParseNumber<std::uint32_t>(row, c_pop, row.header());
          c.centre.lat = ParseNumber<double>(row, c_lat, row.header());
          c.centre.lon = ParseNumber<double>(row, c_lon, row.header());
          c.zone_emploi = row[c_ze];
          t.communes.push_back(std::move(c));
        },
        &h);
  }
  CsvReader::ParseFile(
      dir + "/geo/departements.csv",
      [&](const CsvRow& row) {
        t.departements.push_back({row[0], row[1], row[2], row[3]});
      },
      &h);
  CsvReader::ParseFile(
      dir + "/geo/regions.csv",
      [&](const CsvRow& row) {
        t.regions.push_back({row[0], row[1]});
      },
      &h);

  CsvReader::ParseFile(
      dir + "/rome/rome_fiches.csv",
      [&](const CsvRow& row) {
        const auto& hd = row.header();
        t.fiches.push_back({ParseRome(row, 0, hd), ParseRome(row, 2, hd), row[1], row[5]});
      },
      &h);
  CsvReader::ParseFile(
      dir + "/rome/rome_appellations.csv",
      [&](const CsvRow& row) {
        const auto& hd = row.header();
        model::Appellation a;
        a.code = ParseNumber<model::AppellationCode>(row, 0, hd);
        a.label = row[1];
        a.short_label = row[2];
        a.fiche = ParseRome(row, 3, hd);
        a.principal = row[5] == "PRINCIPALE";
        a.rare = row[6] == "O";
        t.appellations.push_back(std::move(a));
      },
      &h);
  t.skills.reserve(34000);
  CsvReader::ParseFile(
      dir + "/rome/rome_competences.csv",
      [&](const CsvRow& row) {
        model::Skill s;
        s.code = ParseNumber<model::SkillCode>(row, 0, row.header());
        s.kind = row[1] == "savoir_etre" ? model::SkillKind::kSavoirEtre
                 : row[1] == "savoir"    ? model::SkillKind::kSavoir
                                         : model::SkillKind::kSavoirFaire;
        s.label = row[3];
        t.skills.push_back(std::move(s));
      },
      &h);
  t.fiche_skills.reserve(91000);
  CsvReader::ParseFile(
      dir + "/rome/rome_fiche_competences.csv",
      [&](const CsvRow& row) {
        model::FicheSkill fs;
        fs.skill = ParseNumber<model::SkillCode>(row, 1, row.header());
        fs.core = row[3] == "Principale";
        fs.emerging = row[3] == "Émergente";
        t.fiche_skills.emplace_back(ParseRome(row, 0, row.header()), fs);
      },
      &h);
  CsvReader::ParseFile(
      dir + "/rome/rome_mobilites.csv",
      [&](const CsvRow& row) {
        const auto& hd = row.header();
        t.mobility.emplace_back(ParseRome(row, 0, hd),
                                model::MobilityLink{ParseRome(row, 1, hd), ParseNumber<int>(row, 2, hd)});
      },
      &h);

  return std::make_shared<const model::Referential>(std::move(t));
}

}  // namespace clausematch::data
