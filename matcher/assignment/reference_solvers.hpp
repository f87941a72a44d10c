#pragma once
// The two other backends behind TransportSolver.
//
// BoostSspSolver: the oracle. Successive shortest paths (Boost.Graph,
// boost::successive_shortest_path_nonnegative_weights: Dijkstra with potentials, one augmenting
// path per unit of flow) on the min-cost-flow network of transport.hpp, with a super source that
// fixes the total flow to L. SSP needs non-negative arc weights, so the network is priced first
// with the feasible potentials pi(s) = pi(i) = V, pi(j) = pi(t) = 0 (V = the largest gain): every
// reduced weight is >= 0 and, the flow value being fixed, the optimum is unchanged. Exact duals
// come from Bellman-Ford on the final residual network (ComputeExactPotentials). O(L m log n):
// small instances only. Reference: Ahuja, Magnanti, Orlin, "Network Flows" (1993), section 9.7.
//
// GreedySolver: the baseline a facilitator would write. Edges by decreasing gain (ties by index),
// taken when both ends are still free. O(m log m); no optimality claim (status kFeasible, zero
// potentials, so the certificate fails unless greedy happens to be optimal AND the zero
// potentials prove it).
#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

class BoostSspSolver final : public TransportSolver {
 public:
  [[nodiscard]] std::string_view Name() const override { return "boost"; }
  [[nodiscard]] bool IsExact() const override { return true; }
  TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) override;
};

class GreedySolver final : public TransportSolver {
 public:
  [[nodiscard]] std::string_view Name() const override { return "greedy"; }
  [[nodiscard]] bool IsExact() const override { return false; }
  TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) override;
};

}  // namespace clausematch::matcher::assignment
