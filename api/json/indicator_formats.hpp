#pragma once
// The funders' indicators as the doors print them, the same for `clausematch indicators` and
// GET /v1/indicators: CSV for French spreadsheets (';', UTF-8 with a BOM, columns
// section;libelle_section;indicateur;categorie;sexe;libelle;valeur, suppressed cells as "<5" or
// "s"; sexe is "ensemble" for everyone, else femme, homme or non_renseigne) and JSON (a value, or
// null and the suppression mark; "sections" for everyone, "by_sex" the same sections for each sex).
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "lifecycle/indicators.hpp"

namespace clausematch::api::json {

// French label of a report section ("hours" -> "Heures d'insertion").
std::string IndicatorSectionLabel(const std::string& section);
void WriteIndicatorsCsv(std::ostream& os, const lifecycle::IndicatorReport& report, bool decimal_comma);
nlohmann::ordered_json IndicatorsJson(const lifecycle::IndicatorReport& report);

}  // namespace clausematch::api::json
