#include "matcher/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace clausematch::matcher {

namespace {
constexpr double kDegPerRad = 180.0 / 3.14159265358979323846;
}

SpatialGrid::SpatialGrid(std::span<const model::GeoPoint> points, double cell_deg) : cell_deg_(cell_deg) {
  if (!(cell_deg > 0.0)) throw std::invalid_argument("SpatialGrid: cell size must be positive");
  if (points.empty()) return;
  if (points.size() >= 0xffffffffu) throw std::length_error("SpatialGrid: too many points");
  double lat_min = points[0].lat, lat_max = points[0].lat, lon_min = points[0].lon, lon_max = points[0].lon;
  for (const auto& p : points) {
    lat_min = std::min(lat_min, p.lat);
    lat_max = std::max(lat_max, p.lat);
    lon_min = std::min(lon_min, p.lon);
    lon_max = std::max(lon_max, p.lon);
  }
  lat0_ = lat_min;
  lon0_ = lon_min;
  rows_ = static_cast<std::int64_t>(std::floor((lat_max - lat_min) / cell_deg_)) + 1;
  cols_ = static_cast<std::int64_t>(std::floor((lon_max - lon_min) / cell_deg_)) + 1;
  const auto cells = static_cast<std::size_t>(rows_ * cols_);
  auto cell_of = [&](const model::GeoPoint& p) {
    auto row = std::min<std::int64_t>(rows_ - 1, static_cast<std::int64_t>((p.lat - lat0_) / cell_deg_));
    auto col = std::min<std::int64_t>(cols_ - 1, static_cast<std::int64_t>((p.lon - lon0_) / cell_deg_));
    return static_cast<std::size_t>(row * cols_ + col);
  };
  offsets_.assign(cells + 1, 0);
  std::vector<std::uint32_t> cell(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    cell[i] = static_cast<std::uint32_t>(cell_of(points[i]));
    ++offsets_[cell[i] + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) offsets_[c + 1] += offsets_[c];
  std::vector<std::uint32_t> cursor(offsets_.begin(), offsets_.end() - 1);
  ids_.resize(points.size());
  points_.resize(points.size());
  cos_lat_.resize(points.size());
  units_.resize(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::uint32_t at = cursor[cell[i]]++;
    ids_[at] = static_cast<std::uint32_t>(i);
    points_[at] = points[i];
    cos_lat_[at] = std::cos(points[i].lat * kRad);
    units_[at] = Unit(points[i]);
  }
}

UnitVector SpatialGrid::Unit(model::GeoPoint p) {
  const double lat = p.lat * kRad, lon = p.lon * kRad;
  return {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
}

double SpatialGrid::ChordSquared(double km) {
  if (!(km >= 0.0)) return -1.0;
  const double half_angle = std::min(km / model::kEarthRadiusKm, 3.14159265358979323846) / 2.0;
  const double chord = 2.0 * std::sin(half_angle);
  return chord * chord;
}

SpatialGrid::CellRange SpatialGrid::Cells(model::GeoPoint c, double radius_km) const {
  const double dlat = radius_km / model::kEarthRadiusKm * kDegPerRad * (1.0 + 1e-9) + 1e-12;
  const double lat_lo = c.lat - dlat, lat_hi = c.lat + dlat;
  const double max_abs_lat = std::min(90.0, std::max(std::abs(lat_lo), std::abs(lat_hi)));
  const double cos_max = std::cos(max_abs_lat / kDegPerRad);
  const double dlon = cos_max > 1e-9 ? std::min(360.0, dlat / cos_max) : 360.0;
  auto clamp_index = [](double v, std::int64_t n) {
    if (v < 0) return std::int64_t{0};
    if (v >= static_cast<double>(n)) return n;
    return static_cast<std::int64_t>(v);
  };
  CellRange r;
  r.row_begin = clamp_index(std::floor((lat_lo - lat0_) / cell_deg_), rows_);
  r.row_end = clamp_index(std::floor((lat_hi - lat0_) / cell_deg_) + 1, rows_);
  r.col_begin = clamp_index(std::floor((c.lon - dlon - lon0_) / cell_deg_), cols_);
  r.col_end = clamp_index(std::floor((c.lon + dlon - lon0_) / cell_deg_) + 1, cols_);
  if (r.col_begin > r.col_end) r.col_end = r.col_begin;
  return r;
}

}  // namespace clausematch::matcher
