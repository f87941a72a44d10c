#pragma once
// Helpers for the assignment tests: inline problems, random transport problems and a brute-force
// oracle.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <tuple>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/transport.hpp"
#include "matcher/assignment_problem.hpp"

namespace clausematch::matcher::assignment::testing {

// Random transport problem: L left, R right, edges with probability `density`, gains in
// [low, high], capacities in [0, max_cap] (0 allowed), optional parallel edges.
inline TransportProblem RandomTransport(std::mt19937_64& rng, std::uint32_t L, std::uint32_t R, double density,
                                        std::int64_t low, std::int64_t high, std::int64_t max_cap, bool parallel) {
  TransportProblem t;
  t.num_left = L;
  t.num_right = R;
  std::uniform_int_distribution<std::int64_t> cap(0, max_cap), gain(low, high);
  std::bernoulli_distribution take(density), twice(0.2);
  for (std::uint32_t j = 0; j < R; ++j) t.capacity.push_back(cap(rng));
  t.offsets.push_back(0);
  for (std::uint32_t i = 0; i < L; ++i) {
    for (std::uint32_t j = 0; j < R; ++j) {
      if (!take(rng)) continue;
      t.targets.push_back(j);
      t.values.push_back(gain(rng));
      if (parallel && twice(rng)) {
        t.targets.push_back(j);
        t.values.push_back(gain(rng));
      }
    }
    t.offsets.push_back(t.targets.size());
  }
  return t;
}

// Left 0 has two edges to right 0 (gains 5 and 7); left 1 has gain 6 to right 0 and 1 to right 1.
// Right 0 holds one; right 1 has capacity 1000, far above its in-degree. Optimum: left 0 takes
// right 0 by its 7 edge (edge 1) and left 1 takes right 1 (edge 3): 8. (Left 1 on right 0 leaves
// left 0 out: 6.) Every backend's hand-checked case.
inline TransportProblem HandCheckedTransport() {
  TransportProblem t;
  t.num_left = 2;
  t.num_right = 2;
  t.capacity = {1, 1000};
  t.offsets = {0, 2, 4};
  t.targets = {0, 0, 0, 1};
  t.values = {5, 7, 6, 1};
  return t;
}

struct EdgeRow {
  std::uint32_t participant;
  std::uint32_t opening;
  double score;  // in [0, 1]
};

// Builds a problem from a table of candidate pairs (participants in any order).
inline AssignmentProblem MakeProblem(std::uint32_t participants, std::vector<std::int32_t> positions,
                                     std::vector<EdgeRow> rows, std::vector<std::uint32_t> publics = {}) {
  AssignmentProblem p;
  p.num_participants = participants;
  p.num_openings = static_cast<std::uint32_t>(positions.size());
  p.positions = std::move(positions);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.participant < b.participant; });
  p.offsets.assign(participants + 1, 0);
  for (const auto& r : rows) ++p.offsets[r.participant + 1];
  for (std::uint32_t i = 0; i < participants; ++i) p.offsets[i + 1] += p.offsets[i];
  for (const auto& r : rows) {
    p.targets.push_back(r.opening);
    p.weights.push_back(static_cast<std::int32_t>(std::lround(r.score * kWeightScale)));  // as the matcher rounds
  }
  p.participant_publics = std::move(publics);
  return p;
}

// Lexicographic key the model optimises: (quota units, filled [fill mode], weight).
struct BruteResult {
  std::int64_t quota_units = -1;
  std::int64_t filled = 0;
  std::int64_t weight = 0;
};

// Exhaustive search over every participant's choice (one edge or none). Quotas: one opening each.
inline BruteResult BruteForce(const AssignmentProblem& p, ObjectiveMode mode) {
  BruteResult best;
  std::vector<std::int32_t> load(p.num_openings, 0);
  std::vector<std::uint32_t> choice(p.num_participants, kNone);
  auto key = [mode](const BruteResult& r) {
    return std::make_tuple(r.quota_units, mode == ObjectiveMode::kFillThenScore ? r.filled : 0, r.weight);
  };
  std::function<void(std::uint32_t, std::int64_t, std::int64_t)> rec = [&](std::uint32_t i, std::int64_t filled,
                                                                           std::int64_t weight) {
    if (i == p.num_participants) {
      BruteResult r{0, filled, weight};
      for (const auto& q : p.quotas) {
        std::int64_t achieved = 0;
        for (std::uint32_t k = 0; k < p.num_participants; ++k)
          if (choice[k] != kNone && choice[k] == q.openings[0] && ((p.participant_publics[k] >> q.public_bit) & 1u))
            ++achieved;
        r.quota_units += std::min<std::int64_t>(achieved, q.min_count);
      }
      if (key(r) > key(best)) best = r;
      return;
    }
    rec(i + 1, filled, weight);
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      const auto o = p.targets[e];
      if (load[o] >= p.positions[o]) continue;
      ++load[o];
      choice[i] = o;
      rec(i + 1, filled + 1, weight + p.weights[e]);
      choice[i] = kNone;
      --load[o];
    }
  };
  rec(0, 0, 0);
  return best;
}

}  // namespace clausematch::matcher::assignment::testing
