#pragma once
// A uniform latitude/longitude grid over a fixed set of points, answering "every point within
// r km of c" (great-circle distance) without looking at the others.
//
// Construction: points are bucketed into square cells of `cell_deg` degrees over the points'
// bounding box and stored cell by cell (counting sort) in *slots*: slot k holds point IdOf(k),
// and a query reads consecutive slots. Callers may keep their own per-point data in slot order
// for the same reason. O(n + cells) time and memory.
//
// Query: the cells overlapping the box
//     |lat - c.lat| <= dlat,   |lon - c.lon| <= dlat / cos(max |lat| in the box),
//     dlat = r / R_earth in degrees (plus a relative margin of 1e-9),
// contain the whole spherical cap (for a point at angular distance δ, |Δlat| <= δ and
// |Δlon| <= asin(sin δ / cos φc) <= δ / cos φmax for the caps used here, r well under 1000 km).
// Inside them, the test "HaversineKm(point, c) <= r" is decided on the chord between unit
// vectors, |u - v|² <= (2 sin(r / 2R))², which is monotone in the great-circle distance and costs
// a few multiplications instead of four transcendental calls; within a relative band of 1e-9 of
// the threshold (far wider than both formulas' rounding), model::HaversineKm itself decides, so
// the answer is exactly that of an all-points haversine scan. The property test in
// tests/matcher checks it. Longitudes are not wrapped at ±180° (French territories do not
// straddle it). Cost: O(cells in the box + points in those cells).
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "model/geo.hpp"

namespace clausematch::matcher {

struct UnitVector {
  double x = 0.0, y = 0.0, z = 0.0;
};

class SpatialGrid {
 public:
  static constexpr double kDefaultCellDeg = 0.1;  // about 11 km north-south

  SpatialGrid() = default;
  // `points[i]` is point i; IdOf(slot) gives back these indices.
  explicit SpatialGrid(std::span<const model::GeoPoint> points, double cell_deg = kDefaultCellDeg);

  static UnitVector Unit(model::GeoPoint p);
  // (2 sin(km / 2R))²: the squared chord of a great-circle distance; -1 for a negative or NaN
  // distance (nothing is within it).
  static double ChordSquared(double km);
  // model::HaversineKm(a, b) with cos(a.lat), cos(b.lat) precomputed: the same operations in the
  // same order, hence bit-identical results (ISO C++ mode: no floating-point contraction).
  static double Haversine(model::GeoPoint a, double cos_a, model::GeoPoint b, double cos_b) {
    const double dlat = (b.lat - a.lat) * kRad;
    const double dlon = (b.lon - a.lon) * kRad;
    const double s = std::sin(dlat / 2) * std::sin(dlat / 2) + cos_a * cos_b * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * model::kEarthRadiusKm * std::asin(std::sqrt(s < 1.0 ? s : 1.0));
  }

  // A query centre with what the per-slot tests need.
  struct Centre {
    model::GeoPoint point;
    UnitVector unit;
    double cos_lat = 1.0;
  };
  static Centre MakeCentre(model::GeoPoint c) { return {c, Unit(c), std::cos(c.lat * kRad)}; }

  // Exact great-circle distance from slot k's point to the centre (model::HaversineKm(point, c)).
  [[nodiscard]] double DistanceKm(std::uint32_t k, const Centre& c) const {
    return Haversine(points_[k], cos_lat_[k], c.point, c.cos_lat);
  }
  // |u_k − u_c|²: a lower bound of the distance is R·sqrt(this) (d = 2R·asin(chord/2) >= R·chord).
  [[nodiscard]] double ChordSquaredTo(std::uint32_t k, const Centre& c) const {
    const UnitVector& u = units_[k];
    const double dx = u.x - c.unit.x, dy = u.y - c.unit.y, dz = u.z - c.unit.z;
    return dx * dx + dy * dy + dz * dz;
  }
  // HaversineKm(point k, c) <= limit_km, given chord2_limit = ChordSquared(limit_km).
  [[nodiscard]] bool Within(std::uint32_t k, const Centre& c, double limit_km, double chord2_limit) const {
    const double chord2 = ChordSquaredTo(k, c);
    const double band = 1e-9 * chord2_limit + 1e-20;  // covers rounding down to millimetre limits
    if (chord2 < chord2_limit - band) return true;
    if (chord2 > chord2_limit + band) return false;
    return DistanceKm(k, c) <= limit_km;  // at the boundary, the reference formula decides
  }

  // Calls visit(slot) for every slot whose cell overlaps the query box of (centre, radius_km):
  // a superset of the points within radius_km; the caller applies its own Within() test.
  template <typename Visit>
  void ForEachSlotInBox(model::GeoPoint centre, double radius_km, Visit&& visit) const {
    if (ids_.empty() || !(radius_km >= 0.0)) return;
    const CellRange range = Cells(centre, radius_km);
    for (std::int64_t row = range.row_begin; row < range.row_end; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_);
      const std::uint32_t begin = offsets_[base + static_cast<std::size_t>(range.col_begin)];
      const std::uint32_t end = offsets_[base + static_cast<std::size_t>(range.col_end)];
      for (std::uint32_t k = begin; k < end; ++k) visit(k);
    }
  }

  // Calls visit(index, distance_km) for every point with HaversineKm(point, centre) <= radius_km,
  // cell by cell (not sorted by distance).
  template <typename Visit>
  void ForEachWithin(model::GeoPoint centre, double radius_km, Visit&& visit) const {
    const Centre c = MakeCentre(centre);
    const double chord2 = ChordSquared(radius_km);
    ForEachSlotInBox(centre, radius_km, [&](std::uint32_t k) {
      if (Within(k, c, radius_km, chord2)) visit(ids_[k], DistanceKm(k, c));
    });
  }

  [[nodiscard]] std::size_t size() const { return ids_.size(); }
  [[nodiscard]] std::uint32_t IdOf(std::uint32_t slot) const { return ids_[slot]; }
  [[nodiscard]] std::uint64_t MemoryBytes() const {
    return offsets_.capacity() * sizeof(std::uint32_t) + ids_.capacity() * sizeof(std::uint32_t) +
           points_.capacity() * sizeof(model::GeoPoint) + cos_lat_.capacity() * sizeof(double) +
           units_.capacity() * sizeof(UnitVector);
  }

 private:
  static constexpr double kRad = 3.14159265358979323846 / 180.0;
  struct CellRange {
    std::int64_t row_begin = 0, row_end = 0, col_begin = 0, col_end = 0;
  };
  [[nodiscard]] CellRange Cells(model::GeoPoint centre, double radius_km) const;

  double cell_deg_ = kDefaultCellDeg;
  double lat0_ = 0.0, lon0_ = 0.0;
  std::int64_t rows_ = 0, cols_ = 0;
  // offsets_[row * cols_ + col] = first slot of that cell; one extra entry at the end. Cells of
  // a row are consecutive, so a row's column span is one contiguous slice.
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> ids_;
  std::vector<model::GeoPoint> points_;
  std::vector<double> cos_lat_;
  std::vector<UnitVector> units_;
};

}  // namespace clausematch::matcher
