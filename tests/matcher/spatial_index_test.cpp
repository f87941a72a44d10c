#include "matcher/spatial_index.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "fixtures.hpp"
#include "matcher/reach.hpp"

namespace clausematch::matcher {
namespace {

TEST(SpatialGrid, FindsExactlyThePointsWithinTheRadiusOnAMeridian) {
  using testing::KmNorth;
  const std::vector<model::GeoPoint> points{KmNorth(0), KmNorth(10), KmNorth(25), KmNorth(60)};
  const SpatialGrid grid(points);
  std::set<std::uint32_t> found;
  grid.ForEachWithin(KmNorth(0), 25.0 + 1e-6, [&](std::uint32_t i, double) { found.insert(i); });
  EXPECT_EQ(found, (std::set<std::uint32_t>{0, 1, 2}));
  found.clear();
  grid.ForEachWithin(KmNorth(0), 24.9, [&](std::uint32_t i, double) { found.insert(i); });
  EXPECT_EQ(found, (std::set<std::uint32_t>{0, 1}));
  found.clear();
  grid.ForEachWithin(KmNorth(0), -1.0, [&](std::uint32_t i, double) { found.insert(i); });
  EXPECT_TRUE(found.empty());
}

TEST(SpatialGrid, NeverMissesAPointTheAllPointsScanFinds) {
  std::mt19937_64 gen(7);
  // Metropolitan France and Réunion (southern hemisphere), clustered and scattered points.
  std::uniform_real_distribution<double> lat(41.0, 51.5), lon(-5.0, 9.5), jitter(-0.02, 0.02);
  std::vector<model::GeoPoint> points;
  points.reserve(3700);
  for (int i = 0; i < 3000; ++i) points.push_back({lat(gen), lon(gen)});
  for (int i = 0; i < 500; ++i) points.push_back({50.63 + jitter(gen), 3.06 + jitter(gen)});
  for (int i = 0; i < 200; ++i) points.push_back({-21.1 + jitter(gen) * 10, 55.5 + jitter(gen) * 10});
  for (double cell : {0.05, 0.1, 0.5}) {
    const SpatialGrid grid(points, cell);
    std::uniform_real_distribution<double> radius(0.0, 150.0);
    for (int q = 0; q < 200; ++q) {
      const model::GeoPoint c = q % 10 == 0 ? model::GeoPoint{-21.1, 55.5} : model::GeoPoint{lat(gen), lon(gen)};
      const double r = q % 7 == 0 ? 0.0 : radius(gen);
      std::set<std::uint32_t> want, got;
      for (std::uint32_t i = 0; i < points.size(); ++i)
        if (model::HaversineKm(points[i], c) <= r) want.insert(i);
      grid.ForEachWithin(c, r, [&](std::uint32_t i, double d) {
        EXPECT_TRUE(got.insert(i).second) << "visited twice";
        EXPECT_EQ(d, model::HaversineKm(points[i], c));
      });
      EXPECT_EQ(got, want) << "cell " << cell << " query " << q;
    }
  }
}

TEST(SpatialGrid, EmptyGridAnswersNothing) {
  const SpatialGrid grid(std::vector<model::GeoPoint>{});
  int visits = 0;
  grid.ForEachWithin({50, 3}, 100, [&](std::uint32_t, double) { ++visits; });
  EXPECT_EQ(visits, 0);
}

TEST(Reach, LimitIsTheSmallerOfRadiusAndMaxDistanceAndTheCommuneAlwaysCounts) {
  using testing::KmNorth;
  auto r = Reach(KmNorth(12), 1, 20.0, KmNorth(0), 2, 30.0);
  EXPECT_TRUE(r.in_reach);
  EXPECT_NEAR(r.distance_km, 12.0, 1e-9);
  EXPECT_EQ(r.limit_km, 20.0);
  r = Reach(KmNorth(12), 1, 20.0, KmNorth(0), 2, 10.0);  // the opening allows 10 km only
  EXPECT_FALSE(r.in_reach);
  EXPECT_EQ(r.limit_km, 10.0);
  r = Reach(KmNorth(12), 2, 1.0, KmNorth(0), 2, 10.0);  // same commune: in reach anyway
  EXPECT_TRUE(r.in_reach);
  EXPECT_TRUE(r.same_commune);
  r = Reach(KmNorth(12), kNoCommune, 1.0, KmNorth(0), kNoCommune, 10.0);  // unknown is never "same"
  EXPECT_FALSE(r.same_commune);
  EXPECT_EQ(ReachLimitKm(25.0, 0.0), 25.0);  // no limit set by the opening
}

}  // namespace
}  // namespace clausematch::matcher
