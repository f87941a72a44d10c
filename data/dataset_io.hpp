#pragma once
// A dataset on disk: a folder holding the same data in one of three formats.
//   csv    participants.csv, contracts.csv, openings.csv, placements.csv, dataset.json meta
//   json   participants.json, contracts.json, openings.json, placements.json, dataset.json meta
//   bin    dataset.bin: a versioned binary image that loads a regional dataset in about a second
// dataset.json holds {"format", "as_of", "territory", "counts"}; LoadDataset reads the format from
// it, or detects it from the files present when it is absent. Columns and shapes: docs/formats.md.
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::data {

enum class DatasetFormat { kCsv, kJson, kBinary };

std::string_view FormatName(DatasetFormat format);                       // "csv", "json", "bin"
std::optional<DatasetFormat> ParseDatasetFormat(std::string_view name);  // also accepts "binary"
// The format of the dataset in `dir`, or nullopt when the folder holds none.
std::optional<DatasetFormat> DetectDatasetFormat(const std::string& dir);

// Writes every file to a temporary sibling first and renames them into place only once all were
// written, so a failure never leaves a half-written file. Creates `dir` if needed.
void SaveDataset(const model::Dataset& dataset, const std::string& dir, DatasetFormat format);
// Validates every object against the referential (model::Validate at the dataset's as_of date,
// or today when it has none; the same rules as the HTTP API, valid_until on RQTH and residence
// titles included) and links openings to contracts. Throws CsvError (line/column) or
// std::runtime_error (file named, every problem listed up to a limit) on malformed input.
model::Dataset LoadDataset(const std::string& dir, const model::Referential& ref);

// data/sample of the source tree (or $CLAUSEMATCH_SAMPLE): the bundled sample region.
std::string DefaultSampleDir();

// A file written through a temporary sibling ("<path>.tmp-<pid>"), renamed over `path` by
// Commit() after a flush and fsync. Destroyed without Commit(), it removes the temporary.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();
  std::ostream& stream() { return out_; }
  // Closes and syncs the temporary; throws std::runtime_error on any write error.
  void Close();
  // Close() if needed, then rename into place.
  void Commit();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string tmp_;
  std::ofstream out_;
  bool closed_ = false;
  bool committed_ = false;
};

}  // namespace clausematch::data
