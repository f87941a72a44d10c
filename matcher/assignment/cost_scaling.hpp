#pragma once
// A third exact backend: cost-scaling push-relabel (Goldberg & Kennedy's CSA, with a sink node for
// the two asymmetries of the transport problem), for balanced markets where positions are about
// as many as people and the last shortest augmenting paths of path_solver.hpp go far.
//
// Network (min-cost flow, Goldberg's convention: reduced cost r(v,w) = c(v,w) + p(v) - p(w), arcs
// with r < 0 admissible, prices only decrease). Every left node i (a participant) has a supply of
// one unit; arcs i -> j (capacity 1, cost -K*a_e) for its edges, i -> t (capacity 1, cost 0: it
// stays unassigned); every right node j has an arc j -> t (capacity c_j, cost 0: its positions);
// t absorbs the L units. This is the network of transport.hpp with the source folded into the
// left nodes (s -> t direct = i -> t), so its optimum is the transport optimum.
//
// Algorithm (Goldberg 1997, "An efficient implementation of a scaling minimum-cost flow
// algorithm"; Goldberg & Kennedy 1995 for the assignment specialisation). Gains are scaled by a
// power of two K > 8(L + 1). Epsilon starts at K * max|a| / alpha and is divided by alpha each
// phase (refine) down to 1. A refine keeps the prices and clears the flow: every left node gets
// its unit back; a right node whose price is below t's (r(j,t) < 0: a position worth more than
// empty) has its arc to t saturated, so it starts with a deficit of c_j that participants fill
// (without it, the prices of the previous phase would be lost: an object that keeps a positive
// price must stay full). Active nodes (positive excess) are discharged in FIFO order:
//   - a left node (one unit): a double push. It finds its best and second-best arcs by
//     p(w) - c(i,w) (its right nodes and t), pushes its unit on the best and takes the price
//     second - epsilon (the auction's bid: best - second + epsilon);
//   - a right node with excess (more holders than its arc to t takes): pushes to t when that arc
//     has room and is admissible, else back to the holder whose arc is the most admissible, after
//     a relabel to max(p(w) - c(j,w)) - epsilon when nothing is admissible;
//   - t, with excess when the deficits the refine created are not all filled: pushes back to the
//     right nodes with flow into it or to the unassigned left nodes, the one of highest price first
//     (a lazy max-heap; prices only decrease, so a stale key is an upper bound).
// Every step keeps epsilon-optimality (every residual arc has r >= -epsilon), and the generic
// analysis bounds the relabels of a refine (Goldberg & Tarjan 1990).
//
// Certificate. After the last refine (epsilon = 1 in scaled units): a right node with room left
// takes max(p(j), p(t)) (it moves by at most epsilon), every left node takes its best response
// max(p(t), max_e p(j_e) + K a_e), and q(s) = q(t) = p(t). The duality gap of certificate.hpp is then
// at most 7 L scaled units (three per left node's two arcs, one per unit into t), below K, so the
// independent check certifies the optimum.
//
// Scope. Not must_assign_all; gains with K * max|a| below 2^56 (prices stay far from 64-bit
// overflow; a guard stops a refine whose prices run away); fewer than 2^32 edges. Outside that the
// solve goes to PathSolver (which hands the must_assign_all files to the auction). No warm start.
//
// Complexity. O(n^2 m log(nC)) in the worst case of generic push-relabel; in practice a few
// double pushes per left node per refine, each O(its degree), and log_alpha(K C) refines.
// Memory: O(n) beyond the problem (prices, holders lists, queue, heap); nothing per edge.
#include <cstdint>

#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

struct CostScalingOptions {
  std::int64_t alpha = 8;  // epsilon reduction factor between refines (8 measured best of 8 and 16)
};

class CostScalingSolver final : public TransportSolver {
 public:
  explicit CostScalingSolver(CostScalingOptions options = {}) : options_(options) {}
  [[nodiscard]] std::string_view Name() const override { return "cost-scaling"; }
  [[nodiscard]] bool IsExact() const override { return true; }
  // `warm` is ignored (the solve is cold).
  TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) override;

  // Whether Solve runs the method itself (else it hands the problem to PathSolver).
  static bool Supports(const TransportProblem& problem);

 private:
  CostScalingOptions options_;
};

}  // namespace clausematch::matcher::assignment
