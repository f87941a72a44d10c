#pragma once
#include <memory>
#include <string>

#include "model/referential.hpp"

namespace clausematch::data {

// Loads the reference data shipped in data/reference (ROME 4.0, COG communes) into an immutable
// Referential. `dir` is the folder holding rome/ and geo/. Throws CsvError or std::runtime_error
// naming the file and line on malformed input.
std::shared_ptr<const model::Referential> LoadReferential(const std::string& dir);

// The reference folder of this build: $CLAUSEMATCH_REFERENCE if set, else the source tree's
// data/reference (compiled in).
std::string DefaultReferenceDir();

}  // namespace clausematch::data
