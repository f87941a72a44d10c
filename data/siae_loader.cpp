#include "data/siae_loader.hpp"

#include <charconv>

#include "data/csv_reader.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::data {
namespace {

std::optional<double> ParseCoordinate(const CsvRow& row, std::size_t col, const std::vector<std::string>& header,
                                      double limit) {
  const auto text = row.Get(col);
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc{} || res.ptr != text.data() + text.size() || v < -limit || v > limit)
    throw CsvError(row.line(), col + 1, header[col], "not a coordinate: '" + std::string(text) + "'");
  return v;
}

}  // namespace

std::string DefaultSiaeDirectoryPath() { return DefaultReferenceDir() + "/siae/siae_le_marche_fixture.csv"; }

std::vector<model::Siae> LoadSiaeDirectory(const std::string& path, const model::Referential* ref) {
  std::vector<model::Siae> out;
  std::size_t c_siret = 0, c_nom = 0, c_enseigne = 0, c_type = 0, c_naf = 0, c_cp = 0, c_ville = 0, c_dep = 0,
              c_insee = 0, c_lat = 0, c_lon = 0;
  bool resolved = false;
  CsvReader::ParseFile(path, [&](const CsvRow& row) {
    const auto& h = row.header();
    if (!resolved) {
      c_siret = CsvReader::Column(h, "siret");
      c_nom = CsvReader::Column(h, "nom");
      c_enseigne = CsvReader::Column(h, "enseigne");
      c_type = CsvReader::Column(h, "type_structure");
      c_naf = CsvReader::Column(h, "code_naf");
      c_cp = CsvReader::Column(h, "code_postal");
      c_ville = CsvReader::Column(h, "ville");
      c_dep = CsvReader::Column(h, "code_departement");
      c_insee = CsvReader::Column(h, "code_insee");
      c_lat = CsvReader::Column(h, "latitude");
      c_lon = CsvReader::Column(h, "longitude");
      resolved = true;
    }
    model::Siae s;
    s.siret = row.Get(c_siret);
    if (s.siret.empty()) throw CsvError(row.line(), c_siret + 1, h[c_siret], "a SIRET is required");
    s.name = row.Get(c_nom);
    s.enseigne = row.Get(c_enseigne);
    const auto kind = model::ParseSiaeKind(row.Get(c_type));
    if (!kind)
      throw CsvError(row.line(), c_type + 1, h[c_type],
                     "unknown structure kind '" + std::string(row.Get(c_type)) + "' (EI, ACI, AI, ETTI, GEIQ, EA)");
    s.kind = *kind;
    s.naf = row.Get(c_naf);
    s.postal_code = row.Get(c_cp);
    s.city = row.Get(c_ville);
    s.departement = row.Get(c_dep);
    s.insee = row.Get(c_insee);
    const auto lat = ParseCoordinate(row, c_lat, h, 90);
    const auto lon = ParseCoordinate(row, c_lon, h, 180);
    if (lat && lon) {
      s.location = model::GeoPoint{*lat, *lon};
    } else if (ref != nullptr && !s.insee.empty()) {
      if (const auto* commune = ref->FindCommune(s.insee)) s.location = commune->centre;
    }
    out.push_back(std::move(s));
  });
  return out;
}

std::vector<model::NafRomeLink> LoadNafRomeLinks(const std::string& rome_dir) {
  std::vector<model::NafRomeLink> out;
  auto rome = [](const CsvRow& row, std::size_t col, const std::vector<std::string>& header) {
    const auto code = model::RomeCode::Parse(row.Get(col));
    if (!code) throw CsvError(row.line(), col + 1, header[col], "not a ROME code: '" + std::string(row.Get(col)) + "'");
    return *code;
  };
  {
    std::size_t c_rome = 0, c_naf = 0, c_hires = 0;
    bool resolved = false;
    CsvReader::ParseFile(rome_dir + "/rome_naf_embauches.csv", [&](const CsvRow& row) {
      const auto& h = row.header();
      if (!resolved) {
        c_rome = CsvReader::Column(h, "code_rome");
        c_naf = CsvReader::Column(h, "code_naf");
        c_hires = CsvReader::Column(h, "embauches");
        resolved = true;
      }
      model::NafRomeLink link;
      link.rome = rome(row, c_rome, h);
      link.naf = row.Get(c_naf);
      const auto text = row.Get(c_hires);
      const auto res = std::from_chars(text.data(), text.data() + text.size(), link.hires);
      if (res.ec != std::errc{} || res.ptr != text.data() + text.size() || link.hires < 0)
        throw CsvError(row.line(), c_hires + 1, h[c_hires], "not a number of hires: '" + std::string(text) + "'");
      out.push_back(std::move(link));
    });
  }
  {
    std::size_t c_division = 0, c_rome = 0;
    bool resolved = false;
    CsvReader::ParseFile(rome_dir + "/rome_secteurs_naf.csv", [&](const CsvRow& row) {
      const auto& h = row.header();
      if (!resolved) {
        c_division = CsvReader::Column(h, "division_naf");
        c_rome = CsvReader::Column(h, "code_rome");
        resolved = true;
      }
      model::NafRomeLink link;
      link.rome = rome(row, c_rome, h);
      link.naf = row.Get(c_division);
      link.division_only = true;
      // Division "0" stands for cross-sector fiches: it says nothing about an activity.
      if (link.naf.size() == 2) out.push_back(std::move(link));
    });
  }
  return out;
}

}  // namespace clausematch::data
