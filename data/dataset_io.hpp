#pragma once
// A dataset on disk: a folder holding the same data in one of three formats.
//   csv    participants.csv, contracts.csv, openings.csv (+ placements.csv), dataset.json meta
//   json   participants.json, contracts.json, openings.json (+ placements.json), dataset.json meta
//   bin    dataset.bin: a versioned binary image that loads a regional dataset in about a second
// LoadDataset detects the format from the files present.
#include <string>

#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::data {

enum class DatasetFormat { kCsv, kJson, kBinary };

void SaveDataset(const model::Dataset& dataset, const std::string& dir, DatasetFormat format);
// Throws CsvError (line/column) or std::runtime_error (file named) on malformed input.
model::Dataset LoadDataset(const std::string& dir, const model::Referential& ref);

// data/sample of the source tree (or $CLAUSEMATCH_SAMPLE): the bundled sample region.
std::string DefaultSampleDir();

}  // namespace clausematch::data
