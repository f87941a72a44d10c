// clausematch import --kind participants|contracts|openings FILE --into DIR [--today YYYY-MM-DD]
// clausematch import --db FILE (--data DIR | --sample)
//
// All or nothing: the whole file is validated against the reference data (and, for openings, the
// dataset's contracts) before anything is written. On any problem every one of them is printed
// (line, column, value, message) and the exit code is 2 with the dataset untouched; otherwise the
// records are appended and the dataset rewritten atomically (created as CSV when DIR holds none).
//
// With --db, a whole dataset folder goes into the SQLite store the HTTP server serves, in one
// transaction (store::ImportDataset): all or nothing, and a database file this command created is
// removed again when the import fails.
#include "store/import.hpp"

#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <unordered_set>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_codec.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/json_codec.hpp"
#include "data/referential_loader.hpp"
#include "service/territory.hpp"
#include "store/store.hpp"

namespace clausematch::api::cli {
namespace {

namespace fs = std::filesystem;
using data::CsvRowError;

struct ImportOptions {
  std::string db;
  std::string data_dir;
  bool sample = false;
  std::string kind;
  std::string file;
  std::string into;
  std::string today;
  std::string reference = data::DefaultReferenceDir();
};

// One problem of the input file, located by CSV line/column or by JSON pointer.
struct InputProblem {
  std::string where;  // "line 3, column 4 (birth_date)" or "/3/birth_date"
  std::string message;
};

// "/<i>", built in two steps: `"/" + std::to_string(i)` trips GCC 12's -Wrestrict false positive
// at -O3 (GCC bug 105329), which fails the Release build with -Werror.
std::string Slash(std::size_t i) {
  std::string s = "/";
  s += std::to_string(i);
  return s;
}

// Records read from the file with where each came from, before ids are checked.
template <typename T>
struct Parsed {
  std::vector<T> items;
  std::vector<std::size_t> origin;  // per item: CSV line, or index in the JSON array
  std::vector<std::string> header;  // CSV header; empty for JSON
  std::vector<InputProblem> problems;

  // Where item i's `field` is: "line 3, column 2 (external_ref)" or "/3/external_ref".
  [[nodiscard]] std::string Where(std::size_t i, std::string_view field) const {
    if (header.empty()) return Slash(origin[i]) + "/" + std::string(field);
    std::string where = "line " + std::to_string(origin[i]);
    const auto column = data::CsvReader::FindColumn(header, field);
    if (column != std::string::npos) where += ", column " + std::to_string(column + 1);
    return where + " (" + std::string(field) + ")";
  }
};

model::Date Today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return model::Date(std::chrono::sys_days(now));
}

bool IsJsonFile(const std::string& path) { return fs::path(path).extension() == ".json"; }

template <typename T>
void FromCsv(data::CsvImport<T> in, Parsed<T>& out) {
  for (const CsvRowError& e : in.errors) {
    std::string where = "line " + std::to_string(e.line);
    if (e.column) where += ", column " + std::to_string(e.column);
    if (!e.column_name.empty()) where += " (" + e.column_name + ")";
    std::string message = e.message;
    if (!e.value.empty() && message.find("'" + e.value + "'") == std::string::npos) message += ": '" + e.value + "'";
    out.problems.push_back({std::move(where), std::move(message)});
  }
  out.items = std::move(in.items);
  out.origin = std::move(in.lines);
  out.header = std::move(in.header);
}

template <typename T, typename Decode>
void FromJson(const std::string& text, Decode decode, Parsed<T>& out) {
  if (const auto at = data::JsonNestingBeyond(text)) {  // before a DOM that deep is built
    out.problems.push_back({"", "the file " + data::JsonNestingMessage(text, *at)});
    return;
  }
  data::Json j;
  try {
    j = data::Json::parse(text);
  } catch (const data::Json::parse_error& e) {
    out.problems.push_back({"", std::string("malformed JSON: ") + e.what()});
    return;
  }
  if (!j.is_array()) {
    out.problems.push_back({"", "expected a JSON array of objects"});
    return;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    model::Problems problems;
    auto item = decode(j[i], problems);
    for (const auto& p : problems) out.problems.push_back({Slash(i) + p.field, p.message});
    if (item) {
      out.items.push_back(std::move(*item));
      out.origin.push_back(i);
    }
  }
}

// Ids given in the file must be new; missing ids are assigned after the largest one in use.
template <typename T>
void AssignIds(const std::vector<T>& existing, Parsed<T>& in) {
  std::unordered_set<decltype(T{}.id)> used;
  typename decltype(T{}.id)::rep_type next = 1;
  for (const auto& e : existing) {
    used.insert(e.id);
    if (e.id.valid()) next = std::max(next, e.id.value() + 1);
  }
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    auto id = in.items[i].id;
    if (!id.valid()) continue;
    if (!used.insert(id).second)
      in.problems.push_back({in.Where(i, "id"), "id " + std::to_string(id.value()) + " is already in use"});
    next = std::max(next, id.value() + 1);
  }
  for (auto& item : in.items)
    if (!item.id.valid()) item.id = decltype(item.id)(next++);
}

// The same person must not be imported twice by the same prescriber.
void CheckParticipantRefs(const std::vector<model::Participant>& existing, Parsed<model::Participant>& in) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : existing)
    if (!p.external_ref.empty()) seen.emplace(p.prescriber_org, p.external_ref);
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const auto& p = in.items[i];
    if (!p.external_ref.empty() && !seen.emplace(p.prescriber_org, p.external_ref).second)
      in.problems.push_back(
          {in.Where(i, "external_ref"),
           "prescriber " + p.prescriber_org + " already has a participant with external_ref '" + p.external_ref + "'"});
  }
}

template <typename T>
int Finish(Parsed<T>& in, std::vector<T>& target, const ImportOptions& o, model::Dataset& dataset,
           data::DatasetFormat format) {
  if (!in.problems.empty()) {
    for (const auto& p : in.problems)
      std::cerr << "clausematch: " << o.file << ": " << (p.where.empty() ? "" : p.where + ": ") << p.message << '\n';
    std::cerr << "clausematch: " << in.problems.size() << " problem(s) in " << o.file << "; nothing was imported\n";
    return kExitBadInput;
  }
  const std::size_t added = in.items.size();
  target.insert(target.end(), std::make_move_iterator(in.items.begin()), std::make_move_iterator(in.items.end()));
  data::SaveDataset(dataset, o.into, format);
  std::cout << "imported " << added << ' ' << o.kind << " into " << o.into << " (" << target.size() << " in all, "
            << data::FormatName(format) << ")\n";
  return kExitOk;
}

int RunDatabaseImport(const ImportOptions& o) {
  if (!o.kind.empty() || !o.file.empty() || !o.into.empty() || !o.today.empty())
    throw InputError("import --db takes --data DIR or --sample, not --kind, FILE, --into or --today");
  if (o.sample == !o.data_dir.empty()) throw InputError("import --db: give exactly one of --data DIR or --sample");
  const auto ref = data::LoadReferential(o.reference);
  const std::string dir = o.sample ? data::DefaultSampleDir() : o.data_dir;
  if (!fs::is_directory(dir)) throw InputError("import --db: no dataset folder " + dir);
  const model::Dataset dataset = data::LoadDataset(dir, *ref);
  const bool created = !fs::exists(o.db);
  store::ImportCounts counts;
  std::vector<std::pair<model::OrgCode, service::Territory>> given;
  try {
    store::Store store(o.db);
    counts = store::ImportDataset(store, dataset);
    given = service::TerritoriesFromRecords(store, dataset, *ref);
  } catch (const std::exception& e) {
    if (created)
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(o.db + suffix);
    if (dynamic_cast<const store::ConflictError*>(&e))
      throw InputError("import --db: " + o.db +
                       " already holds some of these records (same external_ref in an organisation); nothing "
                       "was imported");
    throw;
  }
  std::cout << "imported " << dir << " into " << o.db << ": " << counts.participants << " participants, "
            << counts.contracts << " contracts, " << counts.openings << " openings, " << counts.placements
            << " placements (one transaction)\n";
  // Organisations new to the database cover the départements their records lie in (docs/privacy.md,
  // "Territories"); an admin changes it with `clausematch orgs territory`.
  for (const auto& [org, territory] : given) {
    std::cout << "territory of " << org << ":";
    for (const auto& d : territory.departements) std::cout << ' ' << d;
    std::cout << '\n';
  }
  if (dataset.as_of)
    std::cout << "the dataset describes " << dataset.as_of->ToString() << ": serve it with --today "
              << dataset.as_of->ToString() << " to judge shortlists and batches at that date\n";
  return kExitOk;
}

int RunImport(const ImportOptions& o) {
  if (!o.db.empty()) return RunDatabaseImport(o);
  if (o.kind.empty() || o.file.empty() || o.into.empty())
    throw InputError("import: give --kind KIND FILE --into DIR (or --db FILE with --data DIR or --sample)");
  if (!o.data_dir.empty() || o.sample) throw InputError("import: --data and --sample go with --db FILE");
  std::optional<model::Date> today_opt;
  if (!o.today.empty()) {
    today_opt = model::Date::Parse(o.today);
    if (!today_opt) throw InputError("--today: '" + o.today + "' is not a date (YYYY-MM-DD)");
  }
  const model::Date today = today_opt.value_or(Today());
  const auto ref = data::LoadReferential(o.reference);
  const std::string text = data::ReadWholeFile(o.file);

  model::Dataset dataset;
  data::DatasetFormat format = data::DatasetFormat::kCsv;  // for a new dataset
  if (fs::exists(o.into))
    if (const auto existing = data::DetectDatasetFormat(o.into)) {
      format = *existing;
      dataset = data::LoadDataset(o.into, *ref);
    }
  const bool json = IsJsonFile(o.file);

  if (o.kind == "participants") {
    Parsed<model::Participant> in;
    if (json)
      FromJson<model::Participant>(
          text,
          [&](const data::Json& j, model::Problems& p) { return data::ParticipantFromJson(j, ref.get(), today, p); },
          in);
    else
      FromCsv(data::ReadParticipantsCsv(text, *ref, today), in);
    AssignIds(dataset.participants, in);
    CheckParticipantRefs(dataset.participants, in);
    return Finish(in, dataset.participants, o, dataset, format);
  }
  if (o.kind == "contracts") {
    Parsed<model::Contract> in;
    if (json)
      FromJson<model::Contract>(
          text, [&](const data::Json& j, model::Problems& p) { return data::ContractFromJson(j, ref.get(), p); }, in);
    else
      FromCsv(data::ReadContractsCsv(text, *ref), in);
    AssignIds(dataset.contracts, in);
    return Finish(in, dataset.contracts, o, dataset, format);
  }
  Parsed<model::Opening> in;
  if (json) {
    dataset.Index();
    FromJson<model::Opening>(
        text,
        [&](const data::Json& j, model::Problems& p) {
          return data::OpeningFromJsonWithLookup(
              j, ref.get(), [&](model::ContractId id) { return dataset.FindContract(id); }, p);
        },
        in);
  } else {
    FromCsv(data::ReadOpeningsCsv(text, *ref, dataset.contracts), in);
  }
  AssignIds(dataset.openings, in);
  return Finish(in, dataset.openings, o, dataset, format);
}

}  // namespace

void AddImport(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("import",
                         "Validate a CSV or JSON file of participants, contracts or openings and append it to a "
                         "dataset; or load a whole dataset into the server's database (--db)");
  auto o = std::make_shared<ImportOptions>();
  cmd->add_option("--kind", o->kind, "What the file holds")
      ->check(CLI::IsMember({"participants", "contracts", "openings"}));
  cmd->add_option("file", o->file, "CSV (',' or ';', UTF-8 with or without BOM) or .json array; see docs/formats.md")
      ->check(CLI::ExistingFile);
  cmd->add_option("--into", o->into, "Dataset folder (created as CSV when it holds no dataset)");
  cmd->add_option("--db", o->db, "SQLite database of `serve` (created if needed): load --data DIR or --sample into it");
  cmd->add_option("--data", o->data_dir, "With --db: dataset folder (csv, json or bin)");
  cmd->add_flag("--sample", o->sample, "With --db: the bundled sample region");
  cmd->add_option("--today", o->today, "Date the checks are anchored to (proofs not in the future...), YYYY-MM-DD");
  cmd->add_option("--reference", o->reference, "Reference data folder (rome/, geo/)");
  cmd->callback([&ctx, o] { ctx.exit_code = RunGuarded([&] { return RunImport(*o); }); });
}

}  // namespace clausematch::api::cli
