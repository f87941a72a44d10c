#pragma once
#include <cmath>

namespace clausematch::model {

// WGS84 coordinates in degrees.
struct GeoPoint {
  double lat = 0.0;
  double lon = 0.0;
  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius

// Great-circle distance (haversine). Commune centres are coarse, so metre precision is moot.
inline double HaversineKm(GeoPoint a, GeoPoint b) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double s = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::sqrt(s < 1.0 ? s : 1.0));
}

}  // namespace clausematch::model
