#include "service/siae.hpp"

#include <algorithm>

#include "data/referential_loader.hpp"
#include "data/siae_loader.hpp"
#include "model/worksite.hpp"
#include "service/error.hpp"

namespace clausematch::service {

std::shared_ptr<const SiaeDirectory> SiaeDirectory::Load(const std::string& reference_dir,
                                                         const std::string& directory_csv,
                                                         const model::Referential* ref) {
  const std::string dir = reference_dir.empty() ? data::DefaultReferenceDir() : reference_dir;
  const std::string csv = directory_csv.empty() ? dir + "/siae/siae_le_marche_fixture.csv" : directory_csv;
  std::vector<model::Siae> structures;
  try {
    structures = data::LoadSiaeDirectory(csv, ref);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kUnavailable, "the SIAE directory cannot be loaded: " + std::string(e.what()));
  }
  try {
    return std::make_shared<const SiaeDirectory>(std::move(structures),
                                                 lifecycle::SectorFit(data::LoadNafRomeLinks(dir + "/rome")));
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kUnavailable, "the ROME x NAF tables cannot be loaded: " + std::string(e.what()));
  }
}

model::Problems CheckSiaeQuery(const SiaeQuery& query) {
  model::Problems problems;
  if (!(query.km > 0 && query.km <= 200)) problems.push_back({"km", "out_of_range", "a distance in (0, 200] km"});
  if (query.limit < 1 || query.limit > 100) problems.push_back({"limit", "out_of_range", "an integer from 1 to 100"});
  return problems;
}

std::vector<lifecycle::TradeFiche> TradesOf(std::span<const model::Opening> openings, const model::Referential& ref) {
  std::vector<lifecycle::TradeFiche> trades;
  for (const auto& o : openings) {
    const auto* f = ref.FindFiche(o.fiche);
    if (f == nullptr || std::any_of(trades.begin(), trades.end(), [&](const auto& t) { return t.fiche == o.fiche; }))
      continue;
    trades.push_back({o.fiche, f->parent});
  }
  return trades;
}

lifecycle::SourcingResult SourceNear(const SiaeDirectory& directory, const model::GeoPoint& worksite,
                                     std::vector<lifecycle::TradeFiche> trades, const SiaeQuery& query) {
  if (auto problems = CheckSiaeQuery(query); !problems.empty())
    throw Error(ErrorKind::kInvalid, "invalid SIAE query", std::move(problems));
  if (trades.empty()) throw Error(ErrorKind::kConflict, "no trade to source structures for (no opening with a trade)");
  lifecycle::SourcingQuery q;
  q.trades = std::move(trades);
  q.worksite = worksite;
  q.max_km = query.km;
  q.any_sector = query.any_sector;
  return lifecycle::SourceSiae(directory.structures(), directory.fit(), q);
}

lifecycle::SourcingResult SourceForContract(const SiaeDirectory& directory, const model::Contract& contract,
                                            std::span<const model::Opening> openings, const model::Referential& ref,
                                            const SiaeQuery& query) {
  const auto worksite = model::WorksiteOf(contract, ref);
  if (!worksite) throw Error(ErrorKind::kConflict, "the contract has no worksite location");
  return SourceNear(directory, *worksite, TradesOf(openings, ref), query);
}

const model::Siae* NearestStructure(const SiaeDirectory& directory, const model::Contract& contract,
                                    const model::Opening& opening, model::FulfilmentRoute route,
                                    const model::Referential& ref, double km) {
  const auto kinds = lifecycle::EmployerKinds(route);
  if (kinds.empty()) return nullptr;
  const auto worksite = model::WorksiteOf(contract, opening, ref);
  if (!worksite) return nullptr;
  lifecycle::SourcingQuery q;
  const auto* fiche = ref.FindFiche(opening.fiche);
  q.trades.push_back({opening.fiche, fiche ? fiche->parent : model::RomeCode()});
  q.worksite = *worksite;
  q.max_km = km;
  const auto found = lifecycle::SourceSiae(directory.structures(), directory.fit(), q);
  const lifecycle::SourcedSiae* best = nullptr;
  for (const auto kind : kinds)
    if (auto it = found.by_kind.find(kind); it != found.by_kind.end() && !it->second.empty())
      if (best == nullptr || it->second.front().distance_km < best->distance_km) best = &it->second.front();
  return best ? best->siae : nullptr;
}

}  // namespace clausematch::service
