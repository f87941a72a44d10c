#pragma once
// Loads the SIAE directory snapshot (data/reference/siae/siae_le_marche_fixture.csv) and France
// Travail's ROME x NAF tables (data/reference/rome/rome_naf_embauches.csv: hires by historical ROME
// code and NAF sub-class; rome_secteurs_naf.csv: NAF divisions listed per ROME 4.0 fiche), which
// lifecycle::SourceSiae uses to tell whether a structure's activity fits a contract's trade.
#include <string>
#include <vector>

#include "model/referential.hpp"
#include "model/siae.hpp"

namespace clausematch::data {

// Throws CsvError naming the line and column of a malformed row (unknown structure kind, bad
// coordinates). Rows without coordinates get their commune's centre from `ref` when it knows the
// commune; otherwise they have no location (and cannot be found by distance).
std::vector<model::Siae> LoadSiaeDirectory(const std::string& path, const model::Referential* ref = nullptr);

// Both tables of `rome_dir` (the folder holding rome_naf_embauches.csv and rome_secteurs_naf.csv).
std::vector<model::NafRomeLink> LoadNafRomeLinks(const std::string& rome_dir);

// DefaultReferenceDir() + "/siae/siae_le_marche_fixture.csv".
std::string DefaultSiaeDirectoryPath();

}  // namespace clausematch::data
