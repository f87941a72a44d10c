#pragma once
// SIAE sourcing: insertion structures near a worksite whose activity fits the trades, by kind,
// nearest first (docs/lifecycle.md section 6). One directory, loaded once per folder, errors
// reported; one query rule for `clausematch siae`, `placements accept --nearest-siae` and
// GET /v1/contracts/{id}/siae.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lifecycle/placements.hpp"
#include "lifecycle/siae_sourcing.hpp"
#include "model/contract.hpp"
#include "model/referential.hpp"
#include "model/siae.hpp"
#include "model/validation.hpp"

namespace clausematch::service {

class SiaeDirectory {
 public:
  // The directory CSV (`directory_csv`, empty: the reference folder's snapshot) and the NAF x ROME
  // links of `reference_dir` (empty: data::DefaultReferenceDir()). A file that cannot be read or
  // parsed is a service::Error (kUnavailable) naming it.
  static std::shared_ptr<const SiaeDirectory> Load(const std::string& reference_dir, const std::string& directory_csv,
                                                   const model::Referential* ref);

  [[nodiscard]] const std::vector<model::Siae>& structures() const { return structures_; }
  [[nodiscard]] const lifecycle::SectorFit& fit() const { return fit_; }

  SiaeDirectory(std::vector<model::Siae> structures, lifecycle::SectorFit fit)
      : structures_(std::move(structures)), fit_(std::move(fit)) {}

 private:
  std::vector<model::Siae> structures_;
  lifecycle::SectorFit fit_;
};

struct SiaeQuery {
  double km = 30.0;         // (0, 200]
  bool any_sector = false;  // also list structures in reach outside the trades' sectors
  int limit = 10;           // structures shown per kind, 1 to 100
};
// Problems name "km" and "limit".
model::Problems CheckSiaeQuery(const SiaeQuery& query);

// The distinct trades (fiche and parent) of `openings`, in order; unknown fiches are skipped.
std::vector<lifecycle::TradeFiche> TradesOf(std::span<const model::Opening> openings, const model::Referential& ref);

// Structures near `worksite` fitting `trades`. Refusals: kInvalid (query), kConflict (no trade).
lifecycle::SourcingResult SourceNear(const SiaeDirectory& directory, const model::GeoPoint& worksite,
                                     std::vector<lifecycle::TradeFiche> trades, const SiaeQuery& query);

// Structures near a contract's worksite (model::WorksiteOf) fitting its openings' trades.
// kConflict when the contract has no worksite position or no opening with a trade.
lifecycle::SourcingResult SourceForContract(const SiaeDirectory& directory, const model::Contract& contract,
                                            std::span<const model::Opening> openings, const model::Referential& ref,
                                            const SiaeQuery& query);

// The structure that would employ a person hired on `opening` through `route` (an ETTI, AI, GEIQ or
// EI/ACI): the nearest one of the route's kinds within `km` of the opening's worksite whose sector
// fits the opening's trade (ETTI, AI and GEIQ fit every trade). Null when there is none, or when the
// route is a direct hire.
const model::Siae* NearestStructure(const SiaeDirectory& directory, const model::Contract& contract,
                                    const model::Opening& opening, model::FulfilmentRoute route,
                                    const model::Referential& ref, double km);

}  // namespace clausematch::service
