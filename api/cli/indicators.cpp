// `clausematch indicators`: the funders' indicators for a period and a territory.
#include "lifecycle/indicators.hpp"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/siae_loader.hpp"

namespace clausematch::api::cli {
namespace {

using Json = nlohmann::ordered_json;

struct IndicatorArgs {
  DatasetArgs data;
  std::string from, to, departement, region;
  std::string format = "table";
  bool decimal_comma = false;
  int threshold = 5;
  std::string siae_file;
  std::string participants_out;
  std::string pseudonym_key;
  std::string out;
};

constexpr char kSep = ';';
constexpr const char* kBom = "\xEF\xBB\xBF";

std::string SectionLabel(const std::string& section) {
  if (section == "hours") return "Heures d'insertion";
  if (section == "participants") return "Participants";
  if (section == "hires_by_contract_type") return "Embauches par type de contrat";
  if (section == "clauses_by_type") return "Clauses par type";
  if (section == "siae_by_kind") return "Structures d'insertion mobilisées";
  if (section == "outcomes_6_months") return "Situation 6 mois après l'entrée";
  if (section == "outcomes_12_months") return "Situation 12 mois après l'entrée";
  return section;
}

lifecycle::PseudonymKey KeyFrom(const std::string& flag_value) {
  std::string hex = flag_value;
  if (hex.empty())
    if (const char* env = std::getenv("CLAUSEMATCH_PSEUDONYM_KEY"); env != nullptr) hex = env;
  if (!hex.empty()) {
    const auto key = lifecycle::ParsePseudonymKey(hex);
    if (!key) throw InputError("--pseudonym-key: expected 32 hexadecimal digits");
    return *key;
  }
  // No key: a fresh random one, so pseudonyms cannot be linked to any other export.
  lifecycle::PseudonymKey key{};
  std::random_device rd;
  for (auto& b : key) b = static_cast<std::uint8_t>(rd() & 0xff);
  return key;
}

void WriteCsv(std::ostream& os, const lifecycle::IndicatorReport& r, bool decimal_comma) {
  os << kBom;
  os << "section" << kSep << "libelle_section" << kSep << "indicateur" << kSep << "categorie" << kSep << "libelle"
     << kSep << "valeur\n";
  for (const auto& row : r.rows)
    os << data::CsvEscape(row.section, kSep) << kSep << data::CsvEscape(SectionLabel(row.section), kSep) << kSep
       << data::CsvEscape(row.indicator, kSep) << kSep << data::CsvEscape(row.category, kSep) << kSep
       << data::CsvEscape(row.label, kSep) << kSep
       << data::CsvEscape(lifecycle::DisplayValue(row.cell, r.query.threshold, decimal_comma), kSep) << '\n';
}

Json ToJson(const lifecycle::IndicatorReport& r) {
  Json j;
  j["period"] = {{"from", r.query.from ? Json(r.query.from->ToString()) : Json(nullptr)},
                 {"to", r.query.to ? Json(r.query.to->ToString()) : Json(nullptr)}};
  j["territory"] = {{"departement", r.query.departement.empty() ? Json(nullptr) : Json(r.query.departement)},
                    {"region", r.query.region.empty() ? Json(nullptr) : Json(r.query.region)}};
  j["as_of"] = r.as_of ? Json(r.as_of->ToString()) : Json(nullptr);
  j["suppression"] = {{"threshold", r.query.threshold},
                      {"primary", "counts of people from 1 to threshold-1 are shown as \"<threshold\""},
                      {"secondary", "cells hidden so that no hidden cell can be recomputed are shown as \"s\""}};
  j["contracts_in_scope"] = r.contracts_in_scope;
  j["placements_in_scope"] = r.placements_in_scope;
  Json sections = Json::object();
  for (const auto& row : r.rows) {
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
  j["sections"] = std::move(sections);
  return j;
}

void WriteTable(std::ostream& os, const lifecycle::IndicatorReport& r) {
  os << "Indicators";
  if (r.query.from || r.query.to)
    os << " from " << (r.query.from ? r.query.from->ToString() : "…") << " to "
       << (r.query.to ? r.query.to->ToString() : "…");
  if (!r.query.departement.empty()) os << ", département " << r.query.departement;
  if (!r.query.region.empty()) os << ", région " << r.query.region;
  os << "  (" << r.contracts_in_scope << " contracts, " << r.placements_in_scope << " placements in scope)\n";
  std::string section;
  for (const auto& row : r.rows) {
    if (row.section != section) {
      section = row.section;
      os << SectionLabel(section) << '\n';
    }
    os << "  " << Fit(row.label, 62) << std::setw(10) << lifecycle::DisplayValue(row.cell, r.query.threshold) << '\n';
  }
  os << "Counts of people from 1 to " << r.query.threshold - 1 << " are shown as \"<" << r.query.threshold
     << "\"; \"s\" marks a cell hidden so that it cannot be recomputed from the others.\n";
}

int Run(const IndicatorArgs& a) {
  if (a.format != "table" && a.format != "json" && a.format != "csv")
    throw InputError("--format must be table, csv or json");
  if (a.threshold < 1) throw InputError("--threshold must be at least 1");
  lifecycle::IndicatorQuery q;
  q.from = ParseOptionalDateFlag("--from", a.from);
  q.to = ParseOptionalDateFlag("--to", a.to);
  if (q.from && q.to && *q.to < *q.from) throw InputError("--to is before --from");
  q.departement = a.departement;
  q.region = a.region;
  q.threshold = a.threshold;
  const auto loaded = LoadDatasetArgs(a.data);
  if (!q.departement.empty() && loaded.ref->FindDepartement(q.departement) == nullptr)
    throw InputError("--departement: unknown département '" + q.departement + "'");
  if (!q.region.empty() && loaded.ref->FindRegion(q.region) == nullptr)
    throw InputError("--region: unknown région '" + q.region + "'");
  const auto directory =
      data::LoadSiaeDirectory(a.siae_file.empty() ? data::DefaultSiaeDirectoryPath() : a.siae_file, nullptr);
  const auto report = lifecycle::ComputeIndicators(loaded.dataset, loaded.ref.get(), directory, q);

  WriteOutput(a.out, [&](std::ostream& os) {
    if (a.format == "csv")
      WriteCsv(os, report, a.decimal_comma);
    else if (a.format == "json")
      os << ToJson(report).dump(2) << '\n';
    else
      WriteTable(os, report);
  });

  if (!a.participants_out.empty()) {
    const auto rows = lifecycle::ParticipantRows(loaded.dataset, loaded.ref.get(), q, KeyFrom(a.pseudonym_key));
    WriteOutput(a.participants_out, [&](std::ostream& os) {
      os << kBom << "pseudonyme;departement;mois_entree;tranche_age_entree;rsa;type_contrat;heures_realisees;"
         << "situation_6_mois;situation_12_mois\n";
      for (const auto& r : rows) {
        lifecycle::Cell hours{r.hours_realised, false, true, lifecycle::CellStatus::kShown};
        os << r.pseudonym << kSep << r.departement << kSep << r.entry_month << kSep << r.age_band << kSep
           << (r.rsa ? "oui" : "non") << kSep << r.contract_type << kSep
           << lifecycle::DisplayValue(hours, q.threshold, a.decimal_comma) << kSep << r.outcome_6_months << kSep
           << r.outcome_12_months << '\n';
      }
    });
  }
  return kExitOk;
}

}  // namespace

void AddIndicators(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<IndicatorArgs>();
  auto* cmd = app.add_subcommand("indicators", "Funders' indicators for a period and a territory");
  cmd->add_option("--data", a->data.data_dir, "Dataset folder");
  cmd->add_flag("--sample", a->data.sample, "Use the bundled sample");
  cmd->add_option("--reference", a->data.reference, "Reference data folder");
  cmd->add_option("--from", a->from, "Period start (YYYY-MM-DD)");
  cmd->add_option("--to", a->to, "Period end (YYYY-MM-DD)");
  cmd->add_option("--departement", a->departement, "Département code (59, 2A...)");
  cmd->add_option("--region", a->region, "Région code (32...)");
  cmd->add_option("--format", a->format, "table, csv (';', UTF-8 BOM) or json")->capture_default_str();
  cmd->add_flag("--decimal-comma", a->decimal_comma, "Write decimals with a comma (CSV for French spreadsheets)");
  cmd->add_option("--threshold", a->threshold, "Counts of people below this are suppressed")->capture_default_str();
  cmd->add_option("--siae-directory", a->siae_file, "SIAE directory CSV (kinds of employers by SIRET)");
  cmd->add_option("--participants", a->participants_out,
                  "Also write one pseudonymised row per participant to this CSV file");
  cmd->add_option("--pseudonym-key", a->pseudonym_key,
                  "32 hex digits keying the pseudonyms (or $CLAUSEMATCH_PSEUDONYM_KEY; default: a random key)");
  cmd->add_option("--out", a->out, "Write the report to this file instead of stdout");
  cmd->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a); }); });
}

}  // namespace clausematch::api::cli
