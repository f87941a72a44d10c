#pragma once
// Reach: can a participant get to a worksite?
//
//   limit  L = min(participant radius, opening max distance)   (a non-positive max distance
//              means the opening sets no limit of its own)
//   in reach  <=>  same commune  OR  haversine(home, worksite) <= L
//
// Commune centres are coarse (docs/domain.md), so someone living in the worksite's own
// commune is always in reach, whatever the radius. Paris, Lyon and Marseille arrondissements
// count as their city (commune "75056" contains "75111").
#include <cmath>
#include <cstdint>

#include "model/geo.hpp"

namespace clausematch::matcher {

inline constexpr std::uint32_t kNoCommune = 0xffffffffu;

struct ReachResult {
  bool in_reach = false;
  bool same_commune = false;
  double distance_km = 0.0;
  double limit_km = 0.0;
};

// A distance as the score uses it and as anyone outside the matcher sees it: whole kilometres.
// A facilitator chooses its worksites, so distances finer than that from three of them would
// locate a person's home (docs/privacy.md); rounded, they say nothing finer than the commune.
inline double ShownKm(double km) { return std::round(km); }

inline double ReachLimitKm(double participant_radius_km, double opening_max_distance_km) {
  if (opening_max_distance_km <= 0.0) return participant_radius_km;
  return participant_radius_km < opening_max_distance_km ? participant_radius_km : opening_max_distance_km;
}

// `home_commune` and `worksite_commune` are commune indices already folded onto their city
// (kNoCommune when unknown: never "the same commune").
inline ReachResult Reach(model::GeoPoint home, std::uint32_t home_commune, double participant_radius_km,
                         model::GeoPoint worksite, std::uint32_t worksite_commune, double opening_max_distance_km) {
  ReachResult r;
  r.distance_km = model::HaversineKm(home, worksite);
  r.limit_km = ReachLimitKm(participant_radius_km, opening_max_distance_km);
  r.same_commune = home_commune != kNoCommune && home_commune == worksite_commune;
  r.in_reach = r.same_commune || r.distance_km <= r.limit_km;
  return r;
}

}  // namespace clausematch::matcher
