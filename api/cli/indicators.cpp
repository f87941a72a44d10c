// `clausematch indicators`: the funders' indicators for a period and a territory.
#include "lifecycle/indicators.hpp"

#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/json/indicator_formats.hpp"
#include "data/csv_reader.hpp"
#include "service/indicators.hpp"
#include "service/pseudonym.hpp"

namespace clausematch::api::cli {
namespace {

using Json = nlohmann::ordered_json;

struct IndicatorArgs {
  DatasetArgs data;
  std::string from, to, departement, region;
  std::string territory_of = "worksite";
  std::string format = "table";
  bool decimal_comma = false;
  int threshold = 5;
  std::string siae_file;
  std::string participants_out;
  std::string key_file;
  std::string out;
};

constexpr char kSep = ';';
constexpr const char* kBom = "\xEF\xBB\xBF";

// --key-file: the same key handling and scheme as `export --pseudonymise` (service/pseudonym.hpp);
// without one, a fresh random key, so the rows cannot be linked to any other export.
service::Pseudonymiser PseudonymiserFrom(const std::string& key_file) {
  if (key_file.empty()) {
    std::cerr << "pseudonyms keyed with a random key (no --key-file): they link to no other export\n";
    return service::Pseudonymiser::WithRandomKey();
  }
  return service::Pseudonymiser::FromKeyFile(key_file);
}

void WriteTable(std::ostream& os, const lifecycle::IndicatorReport& r) {
  os << "Indicators";
  if (r.query.from || r.query.to)
    os << " from " << (r.query.from ? r.query.from->ToString() : "…") << " to "
       << (r.query.to ? r.query.to->ToString() : "…");
  if (!r.query.departement.empty()) os << ", département " << r.query.departement;
  if (!r.query.region.empty()) os << ", région " << r.query.region;
  if (r.query.territory_of == lifecycle::TerritoryBasis::kResidence) os << " (residents)";
  os << "  (" << r.contracts_in_scope << " contracts, " << r.placements_in_scope << " placements in scope)\n";
  // One line per indicator: everyone, then each sex (model::Sex order) when the indicator is about people.
  const auto sexes = model::Entries(model::Sex{});
  std::map<std::tuple<std::string, std::string, std::string, std::string>, const lifecycle::IndicatorRow*> by_key;
  for (const auto& row : r.rows) by_key[{row.section, row.indicator, row.category, row.sex}] = &row;
  os << "  " << Fit("", 62) << std::setw(10) << "ensemble";
  for (const auto& e : sexes) os << std::setw(15) << e.code;
  os << '\n';
  std::string section;
  for (const auto& row : r.rows) {
    if (!row.sex.empty()) continue;
    if (row.section != section) {
      section = row.section;
      os << json::IndicatorSectionLabel(section) << '\n';
    }
    os << "  " << Fit(row.label, 62) << std::setw(10) << lifecycle::DisplayValue(row.cell, r.query.threshold);
    for (const auto& e : sexes) {
      const auto it = by_key.find({row.section, row.indicator, row.category, std::string(e.code)});
      os << std::setw(15) << (it == by_key.end() ? "" : lifecycle::DisplayValue(it->second->cell, r.query.threshold));
    }
    os << '\n';
  }
  os << "Counts of people from 1 to " << r.query.threshold - 1 << " are shown as \"<" << r.query.threshold
     << "\"; \"s\" marks a cell hidden so that it cannot be recomputed from the others.\n";
}

int Run(const IndicatorArgs& a) {
  if (a.format != "table" && a.format != "json" && a.format != "csv")
    throw InputError("--format must be table, csv or json");
  lifecycle::IndicatorQuery q;
  q.from = ParseOptionalDateFlag("--from", a.from);
  q.to = ParseOptionalDateFlag("--to", a.to);
  q.departement = a.departement;
  q.region = a.region;
  const auto basis = lifecycle::ParseTerritoryBasis(a.territory_of);
  if (!basis) throw InputError("--territory-of must be worksite or residence");
  q.territory_of = *basis;
  q.threshold = a.threshold;
  const auto loaded = LoadDatasetArgs(a.data);
  if (auto problems = service::CheckIndicatorQuery(q, *loaded.ref); !problems.empty())
    throw InputError("--" + problems.front().field + ": " + problems.front().message);
  const auto directory = service::SiaeDirectory::Load(a.data.reference, a.siae_file, nullptr);
  const auto report = service::ComputeIndicators(loaded.dataset, *loaded.ref, directory.get(), q);

  WriteOutput(a.out, [&](std::ostream& os) {
    if (a.format == "csv")
      json::WriteIndicatorsCsv(os, report, a.decimal_comma);
    else if (a.format == "json")
      os << json::IndicatorsJson(report).dump(2) << '\n';
    else
      WriteTable(os, report);
  });

  if (!a.participants_out.empty()) {
    const auto pseudonymiser = PseudonymiserFrom(a.key_file);
    const auto rows = lifecycle::ParticipantRows(
        loaded.dataset, loaded.ref.get(), q,
        [&](model::ParticipantId id, const model::Participant* p) { return pseudonymiser.Of(id, p); });
    WriteOutput(a.participants_out, [&](std::ostream& os) {
      os << kBom << "pseudonyme;departement;mois_entree;tranche_age_entree;rsa;sexe;type_contrat;heures_realisees;"
         << "situation_6_mois;situation_12_mois\n";
      for (const auto& r : rows) {
        lifecycle::Cell hours{r.hours_realised, false, true, lifecycle::CellStatus::kShown};
        os << r.pseudonym << kSep << r.departement << kSep << r.entry_month << kSep << r.age_band << kSep
           << (r.rsa ? "oui" : "non") << kSep << r.sex << kSep << r.contract_type << kSep
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
  cmd->add_option("--territory-of", a->territory_of,
                  "worksite: people working in the territory; residence: people living in it")
      ->capture_default_str();
  cmd->add_option("--format", a->format, "table, csv (';', UTF-8 BOM) or json")->capture_default_str();
  cmd->add_flag("--decimal-comma", a->decimal_comma, "Write decimals with a comma (CSV for French spreadsheets)");
  cmd->add_option("--threshold", a->threshold, "Counts of people below this are suppressed")->capture_default_str();
  cmd->add_option("--siae-directory", a->siae_file, "SIAE directory CSV (kinds of employers by SIRET)");
  cmd->add_option("--participants", a->participants_out,
                  "Also write one pseudonymised row per participant to this CSV file");
  cmd->add_option("--key-file", a->key_file,
                  "Secret key (16 to 64 bytes) of the pseudonyms, as for export --pseudonymise (default: random)");
  cmd->add_option("--out", a->out, "Write the report to this file instead of stdout");
  cmd->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a); }); });
}

}  // namespace clausematch::api::cli
