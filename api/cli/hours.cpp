// `clausematch hours import`: monthly hours worked per placement, from a CSV file, all or nothing.
//
// Columns (',' or ';', UTF-8 with or without BOM): placement_id, month (YYYY-MM), hours (decimal
// point or comma), reported_on (YYYY-MM-DD, optional: --reported-on, else today). A row for a month
// already reported is a correction: it is added to the history and, being later, takes effect.
#include "lifecycle/hours.hpp"

#include <chrono>
#include <iostream>
#include <unordered_map>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"

namespace clausematch::api::cli {
namespace {

struct HoursArgs {
  DatasetArgs data;
  std::string file;
  std::string reported_on;
  bool dry_run = false;
};

model::Date Today() { return model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())); }

// "2025-03" -> (2025, 3).
std::optional<std::pair<int, int>> ParseMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  const auto d = model::Date::Parse(std::string(s) + "-01");
  if (!d) return std::nullopt;
  return std::pair{d->year(), static_cast<int>(static_cast<unsigned>(d->ymd().month()))};
}

int Run(const HoursArgs& a) {
  if (a.data.sample) throw InputError("hours import writes the dataset: give --data DIR, not --sample");
  const auto default_reported = a.reported_on.empty() ? Today() : ParseDateFlag("--reported-on", a.reported_on);
  auto loaded = LoadDatasetArgs(a.data);
  auto& dataset = loaded.dataset;
  std::unordered_map<model::PlacementId, std::size_t> placement_pos;
  for (std::size_t i = 0; i < dataset.placements.size(); ++i) placement_pos.emplace(dataset.placements[i].id, i);

  std::vector<std::string> errors;
  std::size_t c_id = 0, c_month = 0, c_hours = 0, c_reported = std::string::npos;
  bool resolved = false;
  int recorded = 0, corrections = 0;
  data::CsvReader::ParseFile(a.file, [&](const data::CsvRow& row) {
    const auto& h = row.header();
    if (!resolved) {
      c_id = data::CsvReader::Column(h, "placement_id");
      c_month = data::CsvReader::Column(h, "month");
      c_hours = data::CsvReader::Column(h, "hours");
      c_reported = data::CsvReader::FindColumn(h, "reported_on");
      resolved = true;
    }
    auto error = [&](std::size_t col, const std::string& message) { errors.push_back(CellError(row, col, message)); };
    const auto id = ParseDecimal(row.Get(c_id));
    const auto month = ParseMonth(row.Get(c_month));
    const auto hours = ParseDecimal(row.Get(c_hours));
    std::optional<model::Date> reported = default_reported;
    if (c_reported != std::string::npos && !row.Get(c_reported).empty()) {
      reported = model::Date::Parse(row.Get(c_reported));
      if (!reported) error(c_reported, "'" + std::string(row.Get(c_reported)) + "' is not a date (YYYY-MM-DD)");
    }
    auto it = placement_pos.end();
    if (!id || *id < 0 || std::floor(*id) != *id)
      error(c_id, "'" + std::string(row.Get(c_id)) + "' is not a placement id");
    else if (it = placement_pos.find(model::PlacementId(static_cast<std::uint32_t>(*id))); it == placement_pos.end())
      error(c_id, "no placement " + std::string(row.Get(c_id)) + " in the dataset");
    if (!month) error(c_month, "'" + std::string(row.Get(c_month)) + "' is not a month (YYYY-MM)");
    if (!hours) error(c_hours, "'" + std::string(row.Get(c_hours)) + "' is not a number of hours");
    if (it == placement_pos.end() || !month || !hours || !reported) return;
    auto& placement = dataset.placements[it->second];
    const bool correction = std::any_of(placement.hours.begin(), placement.hours.end(), [&](const auto& r) {
      return r.year == month->first && r.month == month->second;
    });
    const auto problems =
        lifecycle::RecordHours(placement, {month->first, month->second, *hours, *reported}, {}, Today());
    for (const auto& p : problems) {
      const auto col = p.field == "/hours"                                            ? c_hours
                       : p.field == "/month"                                          ? c_month
                       : p.field == "/reported_on" && c_reported != std::string::npos ? c_reported
                                                                                      : c_id;
      error(col, p.message);
    }
    if (problems.empty()) {
      ++recorded;
      corrections += correction;
    }
  });
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) + " invalid row(s) in " + a.file + ", nothing imported:";
    for (const auto& e : errors) message += "\n  " + e;
    throw InputError(message);
  }
  if (!a.dry_run) {
    const auto format = data::DetectDatasetFormat(loaded.dir);
    data::SaveDataset(dataset, loaded.dir, *format);
  }
  std::cout << (a.dry_run ? "checked " : "imported ") << recorded << " monthly report(s), of which " << corrections
            << " correction(s)" << (a.dry_run ? " (dry run: nothing written)" : "") << '\n';
  return kExitOk;
}

}  // namespace

void AddHours(CLI::App& app, Context& ctx) {
  auto* hours = app.add_subcommand("hours", "Monthly hours worked by placed participants");
  hours->require_subcommand(1);
  auto a = std::make_shared<HoursArgs>();
  auto* import = hours->add_subcommand(
      "import", "Import monthly hours from a CSV file (placement_id, month, hours[, reported_on]); all or nothing");
  import->add_option("--data", a->data.data_dir, "Dataset folder (updated in place)")->required();
  import->add_option("--reference", a->data.reference, "Reference data folder");
  import->add_option("file", a->file, "CSV file of monthly hours")->required();
  import->add_option("--reported-on", a->reported_on, "Report date for rows without one (default: today)");
  import->add_flag("--dry-run", a->dry_run, "Check the file without writing the dataset");
  import->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a);
});
}  // namespace clausematch::api::cli
);
}

}  // namespace clausematch::api::cli
