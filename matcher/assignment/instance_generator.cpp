#include "matcher/assignment/instance_generator.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace clausematch::matcher::assignment {

AssignmentProblem GenerateInstance(const InstanceParams& params) {
  std::mt19937_64 rng(params.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  AssignmentProblem p;
  p.num_participants = params.participants;
  p.num_openings = params.openings;
  // Town centres in a 200 km square, sizes skewed (Zipf-like).
  const std::uint32_t towns = std::max<std::uint32_t>(1, std::min<std::uint32_t>(60, params.openings / 4 + 1));
  std::vector<double> tx(towns), ty(towns), tw(towns);
  for (std::uint32_t k = 0; k < towns; ++k) {
    tx[k] = 200 * unit(rng);
    ty[k] = 200 * unit(rng);
    tw[k] = 1.0 / (1.0 + k);
  }
  std::discrete_distribution<std::uint32_t> town(tw.begin(), tw.end());
  std::vector<double> ox(params.openings), oy(params.openings);
  p.positions.resize(params.openings);
  for (std::uint32_t o = 0; o < params.openings; ++o) {
    const auto k = town(rng);
    ox[o] = std::clamp(tx[k] + 3 * normal(rng), 0.0, 199.999);
    oy[o] = std::clamp(ty[k] + 3 * normal(rng), 0.0, 199.999);
    const double u = unit(rng);
    const std::int32_t pos = u < 0.5 ? 1 : u < 0.8 ? 2 : u < 0.9 ? 3 : u < 0.96 ? 4 : 5;
    p.positions[o] = std::min(pos, params.max_positions);
  }
  // Grid of openings: cells of 10 km.
  constexpr int kCells = 20;
  std::vector<std::vector<std::uint32_t>> cell(std::size_t{kCells} * kCells);
  for (std::uint32_t o = 0; o < params.openings; ++o) {
    const int index = static_cast<int>(oy[o] / 10) * kCells + static_cast<int>(ox[o] / 10);
    cell[static_cast<std::size_t>(index)].push_back(o);
  }
  p.offsets.reserve(params.participants + 1);
  p.offsets.push_back(0);
  const auto expected_edges = static_cast<std::size_t>(params.participants * params.avg_degree * 1.02);
  p.targets.reserve(expected_edges);
  p.weights.reserve(expected_edges);
  p.participant_publics.resize(params.participants);
  std::vector<std::uint32_t> near;
  std::vector<std::uint32_t> chosen;
  constexpr double kSkill[] = {1.0, 0.8, 0.6, 0.4, 0.25};
  for (std::uint32_t i = 0; i < params.participants; ++i) {
    const auto k = town(rng);
    const double x = std::clamp(tx[k] + 8 * normal(rng), 0.0, 199.999);
    const double y = std::clamp(ty[k] + 8 * normal(rng), 0.0, 199.999);
    std::uint32_t publics = 0;
    if (unit(rng) < 0.35) publics |= 1u;
    if (unit(rng) < 0.25) publics |= 2u;
    p.participant_publics[i] = publics;
    const auto degree = static_cast<std::uint32_t>(std::lround(params.avg_degree * (0.5 + unit(rng))));
    // Openings in the 3x3 (then 5x5) cells around home.
    near.clear();
    const int cx = static_cast<int>(x / 10), cy = static_cast<int>(y / 10);
    for (int radius = 1; radius <= 2 && near.size() < degree; ++radius) {
      near.clear();
      for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx) {
          const int gx = cx + dx, gy = cy + dy;
          if (gx < 0 || gy < 0 || gx >= kCells || gy >= kCells) continue;
          const int index = gy * kCells + gx;
          const auto& c = cell[static_cast<std::size_t>(index)];
          near.insert(near.end(), c.begin(), c.end());
        }
    }
    chosen.clear();
    if (near.size() <= degree) {
      chosen = near;
    } else {
      for (std::uint32_t d = 0; d < degree; ++d) chosen.push_back(near[rng() % near.size()]);
      std::sort(chosen.begin(), chosen.end());
      chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    }
    std::sort(chosen.begin(), chosen.end());
    for (auto o : chosen) {
      const double dist = std::hypot(ox[o] - x, oy[o] - y);
      double score;
      if (params.weight_levels > 0) {
        score = static_cast<double>(rng() % params.weight_levels) / params.weight_levels;
      } else {
        const double skill = kSkill[rng() % 5];
        const double decay = std::exp(-dist / 25.0);
        score = 0.6 * skill + 0.3 * decay + 0.1 * (publics != 0 ? 1.0 : 0.0) * unit(rng);
      }
      p.targets.push_back(o);
      p.weights.push_back(
          static_cast<std::int32_t>(std::lround(std::clamp(score, 0.0, 1.0) * 1000) * (kWeightScale / 1000)));
    }
    p.offsets.push_back(p.targets.size());
  }
  for (std::uint32_t o = 0; o < params.openings; ++o) {
    if (unit(rng) >= params.quota_fraction) continue;
    QuotaGroup q;
    q.openings = {o};
    q.public_bit = 0;
    q.min_count = static_cast<std::int32_t>(std::ceil(params.quota_share * p.positions[o]));
    q.contract_index = o;
    p.quotas.push_back(q);
  }
  return p;
}

}  // namespace clausematch::matcher::assignment
