#pragma once
// Shared plumbing of the lifecycle subcommands (contract, hours, indicators, siae): loading the
// dataset named by --data/--sample, parsing dates and numbers from flags and CSV cells, and writing
// output through a temporary file. Business rules live in lifecycle/.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "lifecycle/sizing.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::api::cli {

struct DatasetArgs {
  std::string data_dir;
  bool sample = false;
  std::string reference;  // reference data folder
};

struct LoadedDataset {
  std::shared_ptr<const model::Referential> ref;
  model::Dataset dataset;  // indexed
  std::string dir;
};

// --data DIR or --sample (exactly one); throws InputError otherwise.
LoadedDataset LoadDatasetArgs(const DatasetArgs& args);

// Strict YYYY-MM-DD, throwing InputError naming the flag.
model::Date ParseDateFlag(std::string_view flag, std::string_view text);
std::optional<model::Date> ParseOptionalDateFlag(std::string_view flag, std::string_view text);

// A number as French spreadsheets write it too ("77,5"); nullopt when not a number.
std::optional<double> ParseDecimal(std::string_view text);

// Labour-share overrides from a CSV file with columns kind,key,labour_share[,label]
// (kind: rome_fiche, rome_domaine, rome_grand_domaine, cpv; labour_share in (0, 1], decimal comma
// accepted). Every bad row is an InputError naming its line and column.
void LoadLabourShareOverrides(const std::string& path, lifecycle::LabourShareTable& table);

// Writes to `path` through a temporary file renamed into place, or to stdout when path is "" or "-".
void WriteOutput(const std::string& path, const std::function<void(std::ostream&)>& write);

// "line L, column C (name): message" for a cell of a CSV row (1-based column).
std::string CellError(const data::CsvRow& row, std::size_t column, const std::string& message);

// Writes `dataset` as the folder `dir`, all or nothing: into a temporary sibling folder, then renamed
// into place (an existing `dir` is swapped out and removed only after). Refuses (InputError) to
// replace a folder that holds anything but dataset files.
void SaveDatasetFolder(const model::Dataset& dataset, const std::string& dir, data::DatasetFormat format);

// `text` cut to `width` characters (UTF-8 code points, "…" marking a cut) and padded with spaces:
// std::setw counts bytes, which misaligns accented labels.
std::string Fit(std::string_view text, std::size_t width);

// "1 000 000" style grouping for table output.
std::string GroupThousands(double value, int decimals = 0);

}  // namespace clausematch::api::cli
