#include "matcher/assignment/transport.hpp"

#include <string>
#include <vector>

namespace clausematch::matcher::assignment {

std::string_view ToString(Status status) {
  switch (status) {
    case Status::kOptimal:
      return "optimal";
    case Status::kFeasible:
      return "feasible";
    case Status::kInfeasible:
      return "infeasible";
    case Status::kBadCostRange:
      return "bad cost range";
    case Status::kBadInput:
      return "bad input";
  }
  return "unknown";
}

std::string CheckWellFormed(const TransportProblem& p) {
  if (p.capacity.size() != p.num_right) return "capacity must have one entry per right node";
  if (p.offsets.size() != static_cast<std::size_t>(p.num_left) + 1) return "offsets must have num_left + 1 entries";
  if (p.offsets.front() != 0 || p.offsets.back() != p.targets.size()) return "offsets must span the edges";
  if (p.values.size() != p.targets.size()) return "values and targets differ in size";
  for (std::uint32_t i = 0; i < p.num_left; ++i)
    if (p.offsets[i] > p.offsets[i + 1]) return "offsets decrease at left node " + std::to_string(i);
  for (auto t : p.targets)
    if (t >= p.num_right) return "an edge targets a missing right node";
  for (auto c : p.capacity)
    if (c < 0) return "negative capacity";
  return {};
}

bool ComputeExactPotentials(const TransportProblem& p, TransportSolution& s) {
  // Nodes: 0 = source, 1 = sink, 2.. left, then right. Residual arcs of the min-cost network.
  struct Arc {
    std::uint32_t from, to;
    Int128 cost;
  };
  const std::uint32_t n = 2 + p.num_left + p.num_right;
  auto left = [](std::uint32_t i) { return 2 + i; };
  auto right = [&p](std::uint32_t j) { return 2 + p.num_left + j; };
  std::vector<Arc> arcs;
  std::vector<std::int64_t> load(p.num_right, 0);
  std::uint32_t unassigned = 0;
  for (std::uint32_t i = 0; i < p.num_left; ++i) {
    const auto chosen = s.assigned_edge[i];
    if (chosen == kNoEdge) {
      ++unassigned;
      arcs.push_back({0, left(i), 0});
    } else {
      arcs.push_back({left(i), 0, 0});
      ++load[p.targets[chosen]];
    }
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      if (e == chosen)
        arcs.push_back({right(p.targets[e]), left(i), Int128{p.values[e]}});
      else
        arcs.push_back({left(i), right(p.targets[e]), -Int128{p.values[e]}});
    }
  }
  for (std::uint32_t j = 0; j < p.num_right; ++j) {
    if (load[j] < p.capacity[j]) arcs.push_back({right(j), 1, 0});
    if (load[j] > 0) arcs.push_back({1, right(j), 0});
  }
  if (!p.must_assign_all) {
    if (unassigned < p.num_left) arcs.push_back({0, 1, 0});
    if (unassigned > 0) arcs.push_back({1, 0, 0});
  }
  std::vector<Int128> dist(n, 0);  // a virtual root at distance 0 from every node
  bool changed = true;
  for (std::uint32_t pass = 0; pass <= n && changed; ++pass) {
    changed = false;
    for (const auto& a : arcs) {
      if (dist[a.from] + a.cost < dist[a.to]) {
        dist[a.to] = dist[a.from] + a.cost;
        changed = true;
      }
    }
  }
  if (changed) return false;  // still relaxing after n passes: a negative cycle
  s.scale = 1;
  s.source_potential = dist[0];
  s.sink_potential = dist[1];
  s.left_potential.assign(p.num_left, 0);
  s.right_potential.assign(p.num_right, 0);
  for (std::uint32_t i = 0; i < p.num_left; ++i) s.left_potential[i] = dist[left(i)];
  for (std::uint32_t j = 0; j < p.num_right; ++j) s.right_potential[j] = dist[right(j)];
  return true;
}

}  // namespace clausematch::matcher::assignment
