// `clausematch outcomes import`: the situation of placed people 6 or 12 months after entry, from a
// CSV file, all or nothing (lifecycle::RecordOutcome checks each row).
//
// Columns (',' or ';', UTF-8 with or without BOM): placement_id, months_after_entry (6 or 12),
// outcome (emploi_durable, emploi_transition, formation_qualifiante, autre), recorded_on
// (YYYY-MM-DD). A second row for the same placement and horizon is a correction (history kept).
#include <chrono>
#include <cmath>
#include <iostream>
#include <unordered_map>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "lifecycle/placements.hpp"

namespace clausematch::api::cli {
namespace {

struct OutcomeArgs {
  DatasetArgs data;
  std::string file;
  bool dry_run = false;
};

int Run(const OutcomeArgs& a) {
  auto loaded = LoadDatasetArgs(a.data);
  auto& dataset = loaded.dataset;
  std::unordered_map<model::PlacementId, std::size_t> placement_pos;
  for (std::size_t i = 0; i < dataset.placements.size(); ++i) placement_pos.emplace(dataset.placements[i].id, i);

  std::vector<std::string> errors;
  std::size_t c_id = 0, c_months = 0, c_outcome = 0, c_on = 0;
  bool resolved = false;
  int recorded = 0;
  data::CsvReader::ParseFile(a.file, [&](const data::CsvRow& row) {
    const auto& h = row.header();
    if (!resolved) {
      c_id = data::CsvReader::Column(h, "placement_id");
      c_months = data::CsvReader::Column(h, "months_after_entry");
      c_outcome = data::CsvReader::Column(h, "outcome");
      c_on = data::CsvReader::Column(h, "recorded_on");
      resolved = true;
    }
    auto error = [&](std::size_t col, const std::string& message) { errors.push_back(CellError(row, col, message)); };
    const auto id = ParseDecimal(row.Get(c_id));
    auto it = placement_pos.end();
    if (!id || *id < 1 || std::floor(*id) != *id || *id >= 4294967295.0)
      error(c_id, "'" + std::string(row.Get(c_id)) + "' is not a placement id");
    else if (it = placement_pos.find(model::PlacementId(static_cast<std::uint32_t>(*id))); it == placement_pos.end())
      error(c_id, "no placement " + std::string(row.Get(c_id)) + " in the dataset");
    const auto months = ParseDecimal(row.Get(c_months));
    const auto outcome = model::ParseEnum<model::Outcome>(row.Get(c_outcome));
    if (!outcome) error(c_outcome, "'" + std::string(row.Get(c_outcome)) + "' is not an outcome");
    const auto on = model::Date::Parse(row.Get(c_on));
    if (!on) error(c_on, "'" + std::string(row.Get(c_on)) + "' is not a date (YYYY-MM-DD)");
    if (it == placement_pos.end() || !outcome || !on) return;
    const int horizon =
        months && std::floor(*months) == *months && std::abs(*months) < 1000 ? static_cast<int>(*months) : 0;
    const auto problems =
        lifecycle::RecordOutcome(dataset.placements[it->second], {horizon, *outcome, *on},
                                 model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())));
    for (const auto& p : problems)
      error(p.field == "/months_after_entry" ? c_months : p.field == "/recorded_on" ? c_on : c_id, p.message);
    if (problems.empty()) ++recorded;
  });
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) + " invalid row(s) in " + a.file + ", nothing imported:";
    for (const auto& e : errors) message += "\n  " + e;
    throw InputError(message);
  }
  if (!a.dry_run) data::SaveDataset(dataset, loaded.dir, *data::DetectDatasetFormat(loaded.dir));
  std::cout << (a.dry_run ? "checked " : "imported ") << recorded << " outcome(s)"
            << (a.dry_run ? " (dry run: nothing written)" : "") << '\n';
  return kExitOk;
}

}  // namespace

void AddOutcomes(CLI::App& app, Context& ctx) {
  auto* outcomes = app.add_subcommand("outcomes", "Situations 6 and 12 months after entering a clause");
  outcomes->require_subcommand(1);
  auto a = std::make_shared<OutcomeArgs>();
  auto* import = outcomes->add_subcommand(
      "import",
      "Import outcomes from a CSV file (placement_id, months_after_entry, outcome, recorded_on); all or nothing");
  import->add_option("--data", a->data.data_dir, "Dataset folder (updated in place)")->required();
  import->add_option("--reference", a->data.reference, "Reference data folder");
  import->add_option("file", a->file, "CSV file of outcomes")->required();
  import->add_flag("--dry-run", a->dry_run, "Check the file without writing the dataset");
  import->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a);
});
}  // namespace clausematch::api::cli
);
}

}  // namespace clausematch::api::cli
