// `clausematch hours import`: monthly hours worked per placement, from a CSV file, all or nothing.
//
// Columns (',' or ';', UTF-8 with or without BOM): placement_id, month (YYYY-MM), hours (decimal
// point or comma), reported_on (YYYY-MM-DD, optional: --reported-on, else today). A row for a month
// already reported is a correction: it is added to the history and, being later, takes effect.
// Subcontracting to an SIAE may give, instead of hours, amount_eur (optional column, with optional
// labour_share and hourly_cost_eur columns; defaults --labour-share, --hourly-cost, then the
// contract's sizing): converted by lifecycle::RecordAmount as POST /v1/placements/{id}/hours does.
// A row gives exactly one of hours and amount_eur.
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
  std::optional<double> labour_share;  // default share of a subcontracting amount
  std::optional<double> hourly_cost;   // default hourly cost of a subcontracting amount
  double labour_share_value = 0;       // as the flags give them
  double hourly_cost_value = 0;
  bool dry_run = false;
};

constexpr std::size_t kNone = std::string::npos;

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
  if (a.labour_share && !(*a.labour_share > 0 && *a.labour_share <= 1))
    throw InputError("--labour-share: the labour share must be in (0, 1]");
  if (a.hourly_cost && !(*a.hourly_cost >= model::kMinHourlyCostEur && *a.hourly_cost <= model::kMaxHourlyCostEur))
    throw InputError("--hourly-cost: the hourly cost must be in [1, 1000] euros an hour");
  auto loaded = LoadDatasetArgs(a.data);
  auto& dataset = loaded.dataset;
  std::unordered_map<model::PlacementId, std::size_t> placement_pos;
  for (std::size_t i = 0; i < dataset.placements.size(); ++i) placement_pos.emplace(dataset.placements[i].id, i);

  std::vector<std::string> errors;
  std::size_t c_id = 0, c_month = 0, c_hours = kNone, c_reported = kNone;
  std::size_t c_amount = kNone, c_share = kNone, c_cost = kNone;
  bool resolved = false;
  int recorded = 0, corrections = 0;
  data::CsvReader::ParseFile(a.file, [&](const data::CsvRow& row) {
    const auto& h = row.header();
    if (!resolved) {
      c_id = data::CsvReader::Column(h, "placement_id");
      c_month = data::CsvReader::Column(h, "month");
      c_amount = data::CsvReader::FindColumn(h, "amount_eur");
      // hours is required unless the file gives subcontracting amounts.
      c_hours = c_amount == kNone ? data::CsvReader::Column(h, "hours") : data::CsvReader::FindColumn(h, "hours");
      c_share = data::CsvReader::FindColumn(h, "labour_share");
      c_cost = data::CsvReader::FindColumn(h, "hourly_cost_eur");
      c_reported = data::CsvReader::FindColumn(h, "reported_on");
      resolved = true;
    }
    auto error = [&](std::size_t col, const std::string& message) { errors.push_back(CellError(row, col, message)); };
    auto cell = [&](std::size_t col) { return col == kNone ? std::string_view() : row.Get(col); };
    const auto id = ParseDecimal(row.Get(c_id));
    const auto month = ParseMonth(row.Get(c_month));
    const bool has_hours = !cell(c_hours).empty(), has_amount = !cell(c_amount).empty();
    // A number in an optional column: absent when the cell is empty, an error when not a number.
    bool numbers_ok = true;
    auto number = [&](std::size_t col, const char* what) -> std::optional<double> {
      if (cell(col).empty()) return std::nullopt;
      auto v = ParseDecimal(cell(col));
      if (!v) {
        error(col, "'" + std::string(cell(col)) + "' is not " + what);
        numbers_ok = false;
      }
      return v;
    };
    const auto hours = number(c_hours, "a number of hours");
    lifecycle::AmountReport amount;
    amount.amount_eur = number(c_amount, "an amount in euros").value_or(0);
    amount.labour_share = number(c_share, "a labour share");
    amount.hourly_cost_eur = number(c_cost, "an hourly cost");
    if (!amount.labour_share) amount.labour_share = a.labour_share;
    if (!amount.hourly_cost_eur) amount.hourly_cost_eur = a.hourly_cost;
    if (has_hours && has_amount) {
      error(c_amount, "give hours or amount_eur, not both");
      numbers_ok = false;
    } else if (!has_hours && !has_amount) {
      error(c_hours != kNone ? c_hours : c_amount,
            "hours worked are required (or, on a subcontracting placement, amount_eur)");
      numbers_ok = false;
    }
    for (const auto col : {c_share, c_cost})
      if (!has_amount && !cell(col).empty()) {
        error(col, "only with amount_eur");
        numbers_ok = false;
      }
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
    if (it == placement_pos.end() || !month || !numbers_ok || !reported) return;
    auto& placement = dataset.placements[it->second];
    const bool correction = std::any_of(placement.hours.begin(), placement.hours.end(), [&](const auto& r) {
      return r.year == month->first && r.month == month->second;
    });
    model::Problems problems;
    if (has_amount) {
      amount.year = month->first;
      amount.month = month->second;
      amount.reported_on = *reported;
      const model::Contract* contract = dataset.FindContract(placement.contract);
      if (contract == nullptr)
        if (const auto* o = dataset.FindOpening(placement.opening)) contract = dataset.FindContract(o->contract);
      problems = lifecycle::RecordAmount(placement, contract, amount, {}, Today());
    } else {
      problems = lifecycle::RecordHours(placement, {month->first, month->second, *hours, *reported, {}}, {}, Today());
    }
    for (const auto& p : problems) {
      const auto known = [&](std::size_t col) { return col != kNone ? col : c_amount; };
      const auto col = p.field == "/hours"                                ? c_hours
                       : p.field == "/amount_eur"                         ? c_amount
                       : p.field == "/labour_share"                       ? known(c_share)
                       : p.field == "/hourly_cost_eur"                    ? known(c_cost)
                       : p.field == "/month"                              ? c_month
                       : p.field == "/reported_on" && c_reported != kNone ? c_reported
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
  auto* import_cmd = hours->add_subcommand(
      "import",
      "Import monthly hours from a CSV file (placement_id, month, hours or amount_eur[, reported_on]); all or nothing");
  import_cmd->add_option("--data", a->data.data_dir, "Dataset folder (updated in place)")->required();
  import_cmd->add_option("--reference", a->data.reference, "Reference data folder");
  import_cmd->add_option("file", a->file, "CSV file of monthly hours")->required();
  import_cmd->add_option("--reported-on", a->reported_on, "Report date for rows without one (default: today)");
  auto* share_option = import_cmd->add_option(
      "--labour-share", a->labour_share_value,
      "Labour share of subcontracting amounts for rows without one (default: the contract's sizing)");
  auto* cost_option = import_cmd->add_option("--hourly-cost", a->hourly_cost_value,
                                             "Hourly cost (EUR) of subcontracting amounts for rows without one "
                                             "(default: the contract's sizing, else 30)");
  import_cmd->add_flag("--dry-run", a->dry_run, "Check the file without writing the dataset");
  import_cmd->callback([&ctx, a, share_option, cost_option] {
    if (share_option->count() > 0) a->labour_share = a->labour_share_value;
    if (cost_option->count() > 0) a->hourly_cost = a->hourly_cost_value;
    ctx.exit_code = RunGuarded([&] { return Run(*a); });
  });
}

}  // namespace clausematch::api::cli
