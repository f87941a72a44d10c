#include "api/json/indicator_formats.hpp"

#include "data/csv_reader.hpp"

namespace clausematch::api::json {
namespace {

using Json = nlohmann::ordered_json;
constexpr char kSep = ';';
constexpr const char* kBom = "\xEF\xBB\xBF";

// The rows about `sex` ("" for everyone), by section.
Json Sections(const lifecycle::IndicatorReport& r, std::string_view sex) {
  Json sections = Json::object();
  for (const auto& row : r.rows) {
    if (row.sex != sex) continue;
    Json cell{{"indicator", row.indicator}};
    if (!row.category.empty()) cell["category"] = row.category;
    cell["label"] = row.label;
    if (row.cell.status == lifecycle::CellStatus::kShown) {
      cell["value"] = row.cell.value;
    } else {
      cell["value"] = nullptr;
      cell["suppressed"] = lifecycle::DisplayValue(row.cell, r.query.threshold);
    }
    if (!sections.contains(row.section)) sections[row.section] = Json::array();
    sections[row.section].push_back(std::move(cell));
  }
  return sections;
}

}  // namespace

std::string IndicatorSectionLabel(const std::string& section) {
  if (section == "hours") return "Heures d'insertion";
  if (section == "participants") return "Participants";
  if (section == "participants_by_public") return "Participants par public (à l'entrée)";
  if (section == "mobilisation") return "Mobilisation";
  if (section == "hours_by_route") return "Heures réalisées par voie";
  if (section == "hires_by_contract_type") return "Embauches par type de contrat";
  if (section == "clauses_by_type") return "Clauses par type";
  if (section == "siae_by_kind") return "Structures d'insertion mobilisées";
  if (section == "outcomes_6_months") return "Situation 6 mois après l'entrée";
  if (section == "outcomes_12_months") return "Situation 12 mois après l'entrée";
  return section;
}

void WriteIndicatorsCsv(std::ostream& os, const lifecycle::IndicatorReport& r, bool decimal_comma) {
  os << kBom;
  os << "section" << kSep << "libelle_section" << kSep << "indicateur" << kSep << "categorie" << kSep << "sexe" << kSep
     << "libelle" << kSep << "valeur\n";
  for (const auto& row : r.rows)
    os << data::CsvEscape(row.section, kSep) << kSep << data::CsvEscape(IndicatorSectionLabel(row.section), kSep)
       << kSep << data::CsvEscape(row.indicator, kSep) << kSep << data::CsvEscape(row.category, kSep) << kSep
       << (row.sex.empty() ? std::string("ensemble") : row.sex) << kSep << data::CsvEscape(row.label, kSep) << kSep
       << data::CsvEscape(lifecycle::DisplayValue(row.cell, r.query.threshold, decimal_comma), kSep) << '\n';
}

nlohmann::ordered_json IndicatorsJson(const lifecycle::IndicatorReport& r) {
  Json j;
  j["period"] = {{"from", r.query.from ? Json(r.query.from->ToString()) : Json(nullptr)},
                 {"to", r.query.to ? Json(r.query.to->ToString()) : Json(nullptr)}};
  j["territory"] = {{"departement", r.query.departement.empty() ? Json(nullptr) : Json(r.query.departement)},
                    {"region", r.query.region.empty() ? Json(nullptr) : Json(r.query.region)},
                    {"of", lifecycle::Code(r.query.territory_of)}};
  j["as_of"] = r.as_of ? Json(r.as_of->ToString()) : Json(nullptr);
  j["suppression"] = {{"threshold", r.query.threshold},
                      {"primary", "counts of people from 1 to threshold-1 are shown as \"<threshold\""},
                      {"secondary", "cells hidden so that no hidden cell can be recomputed are shown as \"s\""}};
  j["contracts_in_scope"] = r.contracts_in_scope;
  j["placements_in_scope"] = r.placements_in_scope;
  j["sections"] = Sections(r, "");
  Json by_sex = Json::object();
  for (const auto& e : model::Entries(model::Sex{}))
    by_sex[std::string(e.code)] = {{"label", std::string(e.label)}, {"sections", Sections(r, e.code)}};
  j["by_sex"] = std::move(by_sex);
  return j;
}

}  // namespace clausematch::api::json
