#include "data/dataset_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "data/binary_io.hpp"
#include "data/csv_codec.hpp"
#include "data/csv_reader.hpp"
#include "data/json_codec.hpp"

#ifndef CLAUSEMATCH_DEFAULT_SAMPLE_DIR
#define CLAUSEMATCH_DEFAULT_SAMPLE_DIR "data/sample"
#endif

namespace clausematch::data {
namespace fs = std::filesystem;

namespace {

constexpr const char* kMetaFile = "dataset.json";
constexpr const char* kBinaryFile = "dataset.bin";
constexpr std::size_t kMaxListedProblems = 20;

// The binary format is data/binary_io.hpp's (versioned, checksummed; docs/generator.md).
void SaveBinary(const model::Dataset& dataset, std::ostream& out) {
  const std::string bytes = EncodeBinaryDataset(dataset);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
model::Dataset LoadBinary(const std::string& path, const model::Referential& ref) {
  return LoadBinaryDataset(path, &ref);
}

std::string Join(const std::string& dir, const char* name) { return (fs::path(dir) / name).string(); }

model::Date Today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return model::Date(std::chrono::sys_days(now));
}

template <typename T>
Json JsonArray(const std::vector<T>& items) {
  Json a = Json::array();
  for (const auto& item : items) a.push_back(ToJson(item));
  return a;
}

Json Meta(const model::Dataset& d, DatasetFormat format) {
  Json meta{{"format", FormatName(format)},
            {"territory", d.territory},
            {"counts",
             {{"participants", d.participants.size()},
              {"contracts", d.contracts.size()},
              {"openings", d.openings.size()},
              {"placements", d.placements.size()}}}};
  meta["as_of"] = d.as_of ? Json(d.as_of->ToString()) : Json(nullptr);
  return meta;
}

// ---- CSV

[[noreturn]] void ThrowCsvErrors(const std::string& path, const std::vector<CsvRowError>& errors) {
  const CsvRowError& first = errors.front();
  std::string message = first.message;
  if (!first.value.empty() && message.find("'" + first.value + "'") == std::string::npos)
    message += ": '" + first.value + "'";
  message += " [" + path + "]";
  if (errors.size() > 1) {
    message += "\nand " + std::to_string(errors.size() - 1) + " more:";
    for (std::size_t i = 1; i < errors.size() && i <= kMaxListedProblems; ++i) message += "\n  " + errors[i].ToString();
    if (errors.size() > kMaxListedProblems + 1) message += "\n  ...";
  }
  throw CsvError(first.line, first.column, first.column_name, message);
}

template <typename T>
std::vector<T> Take(CsvImport<T> import, const std::string& path) {
  if (!import.ok()) ThrowCsvErrors(path, import.errors);
  return std::move(import.items);
}

// ---- JSON

Json ReadJsonFile(const std::string& path) {
  const std::string text = ReadWholeFile(path);
  if (const auto at = JsonNestingBeyond(text)) throw std::runtime_error(path + ": " + JsonNestingMessage(text, *at));
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw std::runtime_error(path + ": malformed JSON: " + e.what());  // e.what() has the byte position
  }
}

// "<where>: N problem(s):" and the first kMaxListedProblems of them, one per line.
[[noreturn]] void ThrowList(const std::string& where, const std::vector<std::string>& problems) {
  std::string message = where + ": " + std::to_string(problems.size()) + " problem(s):";
  for (std::size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) message += "\n  " + problems[i];
  if (problems.size() > kMaxListedProblems) message += "\n  ...";
  throw std::runtime_error(message);
}

[[noreturn]] void ThrowProblems(const std::string& path, const model::Problems& problems) {
  std::vector<std::string> lines;
  for (const auto& p : problems) lines.push_back(p.field + ": " + p.message);
  ThrowList(path, lines);
}

template <typename T, typename Decode>
std::vector<T> DecodeJsonArray(const std::string& path, Decode decode) {
  const Json j = ReadJsonFile(path);
  if (!j.is_array()) throw std::runtime_error(path + ": expected a JSON array of objects");
  std::vector<T> out;
  out.reserve(j.size());
  model::Problems problems;
  for (std::size_t i = 0; i < j.size(); ++i) {
    model::Problems local;
    auto item = decode(j[i], local);
    // Built in two steps: `"/" + std::to_string(i)` trips GCC 12's -Wrestrict false positive at -O3
    // (GCC bug 105329), which fails the Release build with -Werror.
    std::string prefix = "/";
    prefix += std::to_string(i);
    model::PrefixFields(local, prefix);
    problems.insert(problems.end(), local.begin(), local.end());
    if (item) out.push_back(std::move(*item));
  }
  if (!problems.empty()) ThrowProblems(path, problems);
  return out;
}

struct Files {
  std::string participants, contracts, openings, placements;
};
Files FilesOf(const std::string& dir, const char* ext) {
  auto f = [&](const char* stem) { return Join(dir, (std::string(stem) + ext).c_str()); };
  return {f("participants"), f("contracts"), f("openings"), f("placements")};
}

void ReadMeta(const std::string& dir, model::Dataset& d) {
  const std::string path = Join(dir, kMetaFile);
  if (!fs::exists(path)) return;
  const Json meta = ReadJsonFile(path);
  if (!meta.is_object()) throw std::runtime_error(path + ": expected a JSON object");
  if (auto it = meta.find("territory"); it != meta.end() && it->is_string()) d.territory = it->get<std::string>();
  if (auto it = meta.find("as_of"); it != meta.end() && !it->is_null()) {
    auto date = it->is_string() ? model::Date::Parse(it->get<std::string>()) : std::nullopt;
    if (!date) throw std::runtime_error(path + ": as_of must be a date YYYY-MM-DD, found " + it->dump());
    d.as_of = date;
  }
}

// Ids are present and unique per type, and placements point at records of the dataset (the
// lookups of model::Dataset would otherwise silently keep the first of two equal ids).
void CheckIntegrity(const model::Dataset& d, const std::string& dir) {
  std::vector<std::string> problems;
  auto unique_ids = [&](const auto& items, const char* what) {
    std::unordered_set<std::uint32_t> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto id = items[i].id;
      if (!id.valid())
        problems.push_back(std::string(what) + " #" + std::to_string(i + 1) + " has no id");
      else if (!seen.insert(id.value()).second)
        problems.push_back(std::string("duplicate ") + what + " id " + std::to_string(id.value()));
    }
  };
  unique_ids(d.participants, "participant");
  unique_ids(d.contracts, "contract");
  unique_ids(d.openings, "opening");
  unique_ids(d.placements, "placement");
  for (const auto& p : d.placements) {
    const std::string which = "placement " + std::to_string(p.id.value());
    if (!d.FindParticipant(p.participant))
      problems.push_back(which + ": unknown participant id " + std::to_string(p.participant.value()));
    if (!d.FindOpening(p.opening))
      problems.push_back(which + ": unknown opening id " + std::to_string(p.opening.value()));
    if (p.contract.valid() && !d.FindContract(p.contract))
      problems.push_back(which + ": unknown contract id " + std::to_string(p.contract.value()));
  }
  if (!problems.empty()) ThrowList(dir, problems);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  tmp_ = path_ + ".tmp-" + std::to_string(::getpid());
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write " + tmp_);
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  if (out_.is_open()) out_.close();
  std::error_code ec;
  fs::remove(tmp_, ec);
}

void AtomicFile::Close() {
  if (closed_) return;
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  closed_ = true;
  if (!ok || out_.fail()) throw std::runtime_error("error while writing " + tmp_);
  const int fd = ::open(tmp_.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + tmp_);
  }
  ::close(fd);
}

void AtomicFile::Commit() {
  Close();
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp_ + " to " + path_ + ": " + ec.message());
  committed_ = true;
}

std::string_view FormatName(DatasetFormat format) {
  switch (format) {
    case DatasetFormat::kCsv:
      return "csv";
    case DatasetFormat::kJson:
      return "json";
    case DatasetFormat::kBinary:
      return "bin";
  }
  return {};
}

std::optional<DatasetFormat> ParseDatasetFormat(std::string_view name) {
  if (name == "csv") return DatasetFormat::kCsv;
  if (name == "json") return DatasetFormat::kJson;
  if (name == "bin" || name == "binary") return DatasetFormat::kBinary;
  return std::nullopt;
}

std::optional<DatasetFormat> DetectDatasetFormat(const std::string& dir) {
  const std::string meta_path = Join(dir, kMetaFile);
  if (fs::exists(meta_path)) {
    const Json meta = ReadJsonFile(meta_path);
    if (meta.is_object())
      if (auto it = meta.find("format"); it != meta.end() && it->is_string()) {
        if (auto f = ParseDatasetFormat(it->get<std::string>())) return f;
        throw std::runtime_error(meta_path + ": unknown dataset format " + it->dump());
      }
  }
  if (fs::exists(Join(dir, kBinaryFile))) return DatasetFormat::kBinary;
  if (fs::exists(Join(dir, "participants.csv")) || fs::exists(Join(dir, "contracts.csv"))) return DatasetFormat::kCsv;
  if (fs::exists(Join(dir, "participants.json")) || fs::exists(Join(dir, "contracts.json")))
    return DatasetFormat::kJson;
  return std::nullopt;
}

void SaveDataset(const model::Dataset& d, const std::string& dir, DatasetFormat format) {
  fs::create_directories(dir);
  std::vector<std::unique_ptr<AtomicFile>> files;
  auto open = [&](const std::string& path) -> std::ostream& {
    files.push_back(std::make_unique<AtomicFile>(path));
    return files.back()->stream();
  };
  switch (format) {
    case DatasetFormat::kCsv: {
      const Files f = FilesOf(dir, ".csv");
      WriteParticipantsCsv(open(f.participants), d.participants);
      WriteContractsCsv(open(f.contracts), d.contracts);
      WriteOpeningsCsv(open(f.openings), d.openings);
      WritePlacementsCsv(open(f.placements), d.placements);
      break;
    }
    case DatasetFormat::kJson: {
      const Files f = FilesOf(dir, ".json");
      // One object per line: diffable, and a reader can stream it.
      auto write_array = [&](const std::string& path, const auto& items) {
        std::ostream& out = open(path);
        out << "[\n";
        for (std::size_t i = 0; i < items.size(); ++i)
          out << ToJson(items[i]).dump() << (i + 1 < items.size() ? ",\n" : "\n");
        out << "]\n";
      };
      write_array(f.participants, d.participants);
      write_array(f.contracts, d.contracts);
      write_array(f.openings, d.openings);
      write_array(f.placements, d.placements);
      break;
    }
    case DatasetFormat::kBinary:
      SaveBinary(d, open(Join(dir, kBinaryFile)));
      break;
  }
  open(Join(dir, kMetaFile)) << Meta(d, format).dump(2) << '\n';
  for (auto& f : files) f->Close();  // every write error surfaces before anything is replaced
  for (auto& f : files) f->Commit();
}

model::Dataset LoadDataset(const std::string& dir, const model::Referential& ref) {
  if (!fs::is_directory(dir)) throw std::runtime_error("no dataset folder " + dir);
  const auto format = DetectDatasetFormat(dir);
  if (!format)
    throw std::runtime_error(dir + ": no dataset found (expected dataset.json, *.csv, *.json or dataset.bin)");

  model::Dataset d;
  if (*format == DatasetFormat::kBinary) {
    return LoadBinary(Join(dir, kBinaryFile), ref);  // checked against ref and indexed
  }
  ReadMeta(dir, d);
  const model::Date today = d.as_of.value_or(Today());
  const bool csv = *format == DatasetFormat::kCsv;
  const Files f = FilesOf(dir, csv ? ".csv" : ".json");
  auto exists = [](const std::string& p) { return fs::exists(p); };

  if (csv) {
    if (exists(f.participants))
      d.participants = Take(ReadParticipantsCsv(ReadWholeFile(f.participants), ref, today), f.participants);
    if (exists(f.contracts)) d.contracts = Take(ReadContractsCsv(ReadWholeFile(f.contracts), ref), f.contracts);
    if (exists(f.openings)) d.openings = Take(ReadOpeningsCsv(ReadWholeFile(f.openings), ref, d.contracts), f.openings);
    if (exists(f.placements)) d.placements = Take(ReadPlacementsCsv(ReadWholeFile(f.placements)), f.placements);
  } else {
    if (exists(f.participants))
      d.participants = DecodeJsonArray<model::Participant>(
          f.participants, [&](const Json& j, model::Problems& p) { return ParticipantFromJson(j, &ref, today, p); });
    if (exists(f.contracts))
      d.contracts = DecodeJsonArray<model::Contract>(
          f.contracts, [&](const Json& j, model::Problems& p) { return ContractFromJson(j, &ref, p); });
    d.Index();
    if (exists(f.openings))
      d.openings = DecodeJsonArray<model::Opening>(f.openings, [&](const Json& j, model::Problems& p) {
        return OpeningFromJsonWithLookup(
            j, &ref, [&](model::ContractId id) { return d.FindContract(id); }, p);
      });
    if (exists(f.placements))
      d.placements = DecodeJsonArray<model::Placement>(
          f.placements, [](const Json& j, model::Problems& p) { return PlacementFromJson(j, p); });
  }
  d.Index();
  CheckIntegrity(d, dir);
  return d;
}

std::string DefaultSampleDir() {
  if (const char* env = std::getenv("CLAUSEMATCH_SAMPLE"); env && *env) return env;
  return CLAUSEMATCH_DEFAULT_SAMPLE_DIR;
}

}  // namespace clausematch::data
