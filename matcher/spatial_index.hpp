#pragma once
// A uniform latitude/longitude grid over a fixed set of points, answering "every point within
// r km of c" (great-circle distance) without looking at the others.
//
// Construction: points are bucketed into square cells of `cell_deg` degrees over the points'
// bounding box and stored cell by cell (counting sort), so a query reads contiguous memory.
// O(n + cells) time and memory.
//
// Query: the cells overlapping the box
//     |lat - c.lat| <= dlat,   |lon - c.lon| <= dlat / cos(max |lat| in the box),
//     dlat = r / R_earth in degrees (plus a relative margin of 1e-9),
// then the exact haversine test (model::HaversineKm) on each point of those cells. The box
// contains the whole spherical cap (for a point at angular distance δ, |Δlat| <= δ and
// |Δlon| <= asin(sin δ / cos φc) <= δ / cos φmax for the caps used here, r well under 1000 km),
// so no point within r is missed; the property test in tests/matcher checks it against an
// all-points scan. Longitudes are not wrapped at ±180° (French territories do not straddle it).
// Cost: O(cells in the box + points in those cells).
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "model/geo.hpp"

namespace clausematch::matcher {

class SpatialGrid {
 public:
  static constexpr double kDefaultCellDeg = 0.1;  // about 11 km north-south

  SpatialGrid() = default;
  // `points[i]` is point i; ids handed to the visitor are these indices.
  explicit SpatialGrid(std::span<const model::GeoPoint> points, double cell_deg = kDefaultCellDeg);

  // Calls visit(index, distance_km) for every point with HaversineKm(point, centre) <= radius_km,
  // cell by cell (not sorted by distance).
  template <typename Visit>
  void ForEachWithin(model::GeoPoint centre, double radius_km, Visit&& visit) const {
    if (ids_.empty() || radius_km < 0.0) return;
    CellRange range = Cells(centre, radius_km);
    const double cos_centre = std::cos(centre.lat * kRad);
    for (std::int64_t row = range.row_begin; row < range.row_end; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_);
      const std::uint32_t begin = offsets_[base + static_cast<std::size_t>(range.col_begin)];
      const std::uint32_t end = offsets_[base + static_cast<std::size_t>(range.col_end)];
      for (std::uint32_t k = begin; k < end; ++k) {
        const double d = Haversine(points_[k], cos_lat_[k], centre, cos_centre);
        if (d <= radius_km) visit(ids_[k], d);
      }
    }
  }

  [[nodiscard]] std::size_t size() const { return ids_.size(); }
  [[nodiscard]] std::uint64_t MemoryBytes() const {
    return offsets_.capacity() * sizeof(std::uint32_t) + ids_.capacity() * sizeof(std::uint32_t) +
           points_.capacity() * sizeof(model::GeoPoint) + cos_lat_.capacity() * sizeof(double);
  }

 private:
  struct CellRange {
    std::int64_t row_begin = 0, row_end = 0, col_begin = 0, col_end = 0;
  };
  [[nodiscard]] CellRange Cells(model::GeoPoint centre, double radius_km) const;

  // model::HaversineKm(a, b) with cos(a.lat), cos(b.lat) precomputed: the same operations in the
  // same order, hence bit-identical results (ISO C++ mode: no floating-point contraction).
  static constexpr double kRad = 3.14159265358979323846 / 180.0;
  static double Haversine(model::GeoPoint a, double cos_a, model::GeoPoint b, double cos_b) {
    const double dlat = (b.lat - a.lat) * kRad;
    const double dlon = (b.lon - a.lon) * kRad;
    const double s = std::sin(dlat / 2) * std::sin(dlat / 2) + cos_a * cos_b * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * model::kEarthRadiusKm * std::asin(std::sqrt(s < 1.0 ? s : 1.0));
  }

  double cell_deg_ = kDefaultCellDeg;
  double lat0_ = 0.0, lon0_ = 0.0;
  std::int64_t rows_ = 0, cols_ = 0;
  // offsets_[row * cols_ + col] = first point of that cell; one extra entry at the end. Cells of
  // a row are consecutive, so a row's column span is one contiguous slice.
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> ids_;
  std::vector<model::GeoPoint> points_;
  std::vector<double> cos_lat_;
};

}  // namespace clausematch::matcher
