#include "matcher/assignment/reference_solvers.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, double>>>>>;
using Edge = Traits::edge_descriptor;

Edge AddArc(Graph& g, std::size_t from, std::size_t to, long capacity, double weight) {
  auto cap = get(boost::edge_capacity, g);
  auto rev = get(boost::edge_reverse, g);
  auto w = get(boost::edge_weight, g);
  const Edge e = add_edge(from, to, g).first;
  const Edge r = add_edge(to, from, g).first;
  cap[e] = capacity;
  cap[r] = 0;
  w[e] = weight;
  w[r] = -weight;
  rev[e] = r;
  rev[r] = e;
  return e;
}

}  // namespace

TransportSolution BoostSspSolver::Solve(const TransportProblem& p, const WarmStart* /*warm*/) {
  TransportSolution out;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    out.message = defect;
    return out;
  }
  const std::int64_t vmax =
      std::max<std::int64_t>(0, p.values.empty() ? 0 : *std::max_element(p.values.begin(), p.values.end()));
  // Distances are doubles (Boost adds "infinite" distances of unreachable vertices, which would
  // overflow a signed integer type): exact while every path length stays below 2^52.
  const Int128 nodes = Int128{p.num_left} + p.num_right + 3;
  for (auto v : p.values) {
    if ((static_cast<Int128>(vmax) - v) * nodes >= (Int128{1} << 52)) {
      out.status = Status::kBadCostRange;
      out.message = "gain range too wide for exact double-precision path lengths";
      return out;
    }
  }
  const std::size_t L = p.num_left;
  const std::size_t R = p.num_right;
  // 0 super source, 1 source, 2 sink, then left, then right.
  Graph g(3 + L + R);
  const std::size_t super = 0, s = 1, t = 2;
  AddArc(g, super, s, static_cast<long>(L), 0);
  std::vector<Edge> edge_of(p.num_edges());
  for (std::size_t i = 0; i < L; ++i) {
    AddArc(g, s, 3 + i, 1, 0);
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
      edge_of[e] = AddArc(g, 3 + i, 3 + L + p.targets[e], 1, static_cast<double>(vmax - p.values[e]));
  }
  for (std::size_t j = 0; j < R; ++j)
    AddArc(g, 3 + L + j, t, static_cast<long>(std::min<std::int64_t>(p.capacity[j], static_cast<std::int64_t>(L))), 0);
  if (!p.must_assign_all) AddArc(g, s, t, static_cast<long>(L), static_cast<double>(vmax));
  boost::successive_shortest_path_nonnegative_weights(g, super, t);
  auto cap = get(boost::edge_capacity, g);
  auto res = get(boost::edge_residual_capacity, g);
  out.assigned_edge.assign(L, kNoEdge);
  std::size_t assigned = 0;
  for (std::size_t i = 0; i < L; ++i) {
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      if (cap[edge_of[e]] - res[edge_of[e]] > 0) {
        out.assigned_edge[i] = e;
        out.value += p.values[e];
        ++assigned;
        ++out.iterations;
      }
    }
  }
  out.status = Status::kOptimal;
  if (p.must_assign_all && assigned < L) {
    out.status = Status::kInfeasible;
    out.message = "some left nodes cannot be assigned";
    return out;
  }
  if (!ComputeExactPotentials(p, out)) {
    out.status = Status::kFeasible;
    out.message = "residual network has a negative cycle";
  }
  return out;
}

TransportSolution GreedySolver::Solve(const TransportProblem& p, const WarmStart* /*warm*/) {
  TransportSolution out;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    out.message = defect;
    return out;
  }
  std::vector<std::uint32_t> owner(p.num_edges());
  for (std::uint32_t i = 0; i < p.num_left; ++i)
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) owner[e] = i;
  std::vector<std::uint64_t> order(p.num_edges());
  std::iota(order.begin(), order.end(), std::uint64_t{0});
  std::stable_sort(order.begin(), order.end(), [&p](auto a, auto b) { return p.values[a] > p.values[b]; });
  std::vector<std::int64_t> left_capacity(p.capacity);
  out.assigned_edge.assign(p.num_left, kNoEdge);
  std::uint32_t assigned = 0;
  for (auto e : order) {
    if (!p.must_assign_all && p.values[e] <= 0) break;  // worse than staying unassigned
    const auto i = owner[e];
    const auto j = p.targets[e];
    if (out.assigned_edge[i] != kNoEdge || left_capacity[j] == 0) continue;
    out.assigned_edge[i] = e;
    out.value += p.values[e];
    --left_capacity[j];
    ++assigned;
  }
  out.iterations = p.num_edges();
  out.scale = 1;
  out.left_potential.assign(p.num_left, 0);
  out.right_potential.assign(p.num_right, 0);
  out.status = Status::kFeasible;
  if (p.must_assign_all && assigned < p.num_left) {
    out.status = Status::kInfeasible;
    out.message = "greedy left some left nodes unassigned";
  }
  return out;
}

}  // namespace clausematch::matcher::assignment
