#pragma once
// SIAE sourcing: which insertion structures near a worksite could take part in a contract's clause,
// by subcontracting (EI, ACI) or by making staff available (ETTI, AI, GEIQ), grouped by kind.
//
// Sector fit. A structure's NAF sub-class s fits a trade (ROME fiche f, historical parent p) when
//   (a) France Travail's hiring table shows that companies of class s make at least `min_hire_share`
//       (default 1%) of the hires for f (or, as the table uses historical codes, for p), or
//   (b) the ROME sector tree lists s's NAF division for f (or p).
// (a) is the stronger evidence and is reported as the share; (b) alone is reported as "division
// listed". Staffing structures (ETTI, AI, GEIQ) make people available to companies in any trade and
// are registered under staffing NAF classes (78.20Z, 78.30Z) that the hiring table rarely ties to a
// trade: by default they fit every trade (`staffing_any_trade`). Many ACI are registered under generic NAF classes
// (8899B "other social work") that say nothing of the work they do: `any_sector` lists every structure in reach, fit or
// not.
//
// Reach: great-circle distance from the worksite to the structure's location (from the directory,
// else its commune's centre) at most `max_km`. Within each kind, nearest first.
//
// Cost: O(S + L) for S structures and L links (the fit index is built once).
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/geo.hpp"
#include "model/siae.hpp"

namespace clausematch::lifecycle {

struct TradeFiche {
  model::RomeCode fiche;
  model::RomeCode parent;  // historical code; may be unset
};

struct SectorMatch {
  double hire_share = 0.0;       // share of the trade's hires made by this NAF class (0 if unknown)
  bool division_listed = false;  // the NAF division is listed for the trade
  bool staffing = false;         // an ETTI, AI or GEIQ, taken as fitting any trade
  model::RomeCode via;           // the code the evidence was found under (fiche or parent)
};

class SectorFit {
 public:
  explicit SectorFit(std::span<const model::NafRomeLink> links, double min_hire_share = 0.01);
  // The best evidence that `naf` fits `trade`, or nullopt.
  [[nodiscard]] std::optional<SectorMatch> Match(const TradeFiche& trade, std::string_view naf) const;

 private:
  [[nodiscard]] std::optional<SectorMatch> MatchCode(model::RomeCode code, std::string_view naf) const;
  double min_hire_share_;
  std::unordered_map<std::string, double> hires_;  // "F1606|4334Z" -> hires
  std::unordered_map<model::RomeCode, double> total_hires_;
  std::unordered_map<std::string, bool> divisions_;  // "F1606|43"
};

struct SourcedSiae {
  const model::Siae* siae = nullptr;
  double distance_km = 0.0;
  std::optional<SectorMatch> match;  // empty only with any_sector
  model::RomeCode trade;             // the trade it fits best
};

struct SourcingQuery {
  std::vector<TradeFiche> trades;
  model::GeoPoint worksite;
  double max_km = 30.0;
  bool any_sector = false;
  bool staffing_any_trade = true;
};

struct SourcingResult {
  std::map<model::SiaeKind, std::vector<SourcedSiae>> by_kind;
  int in_reach = 0;          // structures within max_km, whatever their sector
  int sector_mismatch = 0;   // in reach but not fitting any trade (listed only with any_sector)
  int without_location = 0;  // skipped: no coordinates and no known commune
};

SourcingResult SourceSiae(std::span<const model::Siae> directory, const SectorFit& fit, const SourcingQuery& query);

}  // namespace clausematch::lifecycle
