#include "api/cli/lifecycle_support.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api::cli {

LoadedDataset LoadDatasetArgs(const DatasetArgs& args) {
  if (args.sample == !args.data_dir.empty()) throw InputError("give either --data DIR or --sample");
  LoadedDataset out;
  out.dir = args.sample ? data::DefaultSampleDir() : args.data_dir;
  if (!data::DetectDatasetFormat(out.dir)) throw InputError("no dataset in '" + out.dir + "'");
  out.ref = data::LoadReferential(args.reference.empty() ? data::DefaultReferenceDir() : args.reference);
  out.dataset = data::LoadDataset(out.dir, *out.ref);
  out.dataset.Index();
  return out;
}

model::Date ParseDateFlag(std::string_view flag, std::string_view text) {
  const auto d = model::Date::Parse(text);
  if (!d) throw InputError(std::string(flag) + ": '" + std::string(text) + "' is not a date (YYYY-MM-DD)");
  return *d;
}

std::optional<model::Date> ParseOptionalDateFlag(std::string_view flag, std::string_view text) {
  if (text.empty()) return std::nullopt;
  return ParseDateFlag(flag, text);
}

std::optional<double> ParseDecimal(std::string_view text) {
  std::string s(text);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  for (auto& c : s)
    if (c == ',') c = '.';
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc{} || res.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

void LoadLabourShareOverrides(const std::string& path, lifecycle::LabourShareTable& table) {
  std::size_t c_kind = 0, c_key = 0, c_share = 0, c_label = 0;
  bool resolved = false;
  data::CsvReader::ParseFile(path, [&](const data::CsvRow& row) {
    const auto& h = row.header();
    if (!resolved) {
      c_kind = data::CsvReader::Column(h, "kind");
      c_key = data::CsvReader::Column(h, "key");
      c_share = data::CsvReader::Column(h, "labour_share");
      c_label = data::CsvReader::FindColumn(h, "label");
      resolved = true;
    }
    const auto kind = lifecycle::ParseTradeKeyKind(row.Get(c_kind));
    if (!kind)
      throw data::CsvError(
          row.line(), c_kind + 1, h[c_kind],
          "unknown kind '" + std::string(row.Get(c_kind)) + "' (rome_fiche, rome_domaine, rome_grand_domaine, cpv)");
    const auto share = ParseDecimal(row.Get(c_share));
    if (!share)
      throw data::CsvError(row.line(), c_share + 1, h[c_share],
                           "not a number: '" + std::string(row.Get(c_share)) + "'");
    const std::string label = c_label == std::string::npos ? std::string() : std::string(row.Get(c_label));
    if (const auto problem = table.Set(*kind, row.Get(c_key), *share, label)) {
      const auto col = problem->field == "/key" ? c_key : c_share;
      throw data::CsvError(row.line(), col + 1, h[col], problem->message);
    }
  });
}

void WriteOutput(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  data::AtomicFile file(path);
  write(file.stream());
  file.Commit();
}

std::string CellError(const data::CsvRow& row, std::size_t column, const std::string& message) {
  return "line " + std::to_string(row.line()) + ", column " + std::to_string(column + 1) + " (" + row.header()[column] +
         "): " + message;
}

void SaveDatasetFolder(const model::Dataset& dataset, const std::string& dir, data::DatasetFormat format) {
  namespace fs = std::filesystem;
  const fs::path target = fs::absolute(dir).lexically_normal();
  static const std::set<std::string> kDatasetFiles = {
      "participants.csv", "contracts.csv", "openings.csv",    "placements.csv", "participants.json",
      "contracts.json",   "openings.json", "placements.json", "dataset.json",   "dataset.bin"};
  if (fs::exists(target)) {
    if (!fs::is_directory(target)) throw InputError("--out: '" + dir + "' is not a folder");
    for (const auto& entry : fs::directory_iterator(target))
      if (!kDatasetFiles.contains(entry.path().filename().string()))
        throw InputError("--out: '" + dir + "' holds '" + entry.path().filename().string() +
                         "', not only dataset files: give a new or dataset-only folder");
  }
  const std::string suffix = std::to_string(::getpid());
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp-" + suffix);
  const fs::path old = target.parent_path() / ("." + target.filename().string() + ".old-" + suffix);
  fs::remove_all(tmp);
  try {
    data::SaveDataset(dataset, tmp.string(), format);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
  if (fs::exists(target)) {
    fs::rename(target, old);
    fs::rename(tmp, target);
    fs::remove_all(old);
  } else {
    fs::create_directories(target.parent_path());
    fs::rename(tmp, target);
  }
}

std::string Fit(std::string_view text, std::size_t width) {
  auto is_lead = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  std::size_t chars = 0;
  for (char c : text) chars += is_lead(c);
  std::string out;
  if (chars <= width) {
    out = text;
    out.append(width - chars, ' ');
    return out;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_lead(text[i]) && ++kept == width) break;  // leave room for the ellipsis
    out += text[i];
  }
  return out + "…";
}

std::string GroupThousands(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(value));
  std::string digits = buf;
  const auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ' ';
    out += whole[i];
  }
  if (dot != std::string::npos) out += digits.substr(dot);
  return (value < 0 ? "-" : "") + out;
}

}  // namespace clausematch::api::cli
