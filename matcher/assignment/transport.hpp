#pragma once
// The transportation problem every assignment backend solves, and the solution they return.
//
// Problem. Left nodes i (participants) each supply at most one unit; right nodes j (objects: an
// opening, or one class of an opening's positions, see assignment.hpp) accept at most capacity[j]
// units; an edge e = (i, j) carries one unit with gain values[e]. Maximise the total gain:
//
//   maximise  sum_e values[e] x_e
//   s.t.      sum_{e out of i} x_e <= 1            (= 1 when must_assign_all)
//             sum_{e into j}   x_e <= capacity[j]
//             x_e in {0, 1}
//
// As a min-cost flow (the form the certificate, the DIMACS files and LEMON use): a source s with
// supply L = num_left, a sink t with demand L, arcs s->i (cap 1, cost 0), i->j (cap 1, cost
// -values[e]), j->t (cap capacity[j], cost 0) and, unless must_assign_all, the direct arc s->t (cap
// L, cost 0) that lets left nodes and positions stay unassigned.
//
// Dual certificate. A solution carries node potentials q in units of 1/scale of a cost unit; with
// the reduced cost r(u,v) = scale*c(u,v) + q(u) - q(v), weak duality gives for every feasible flow
//
//   scale * cost(f) >= D(q) = -sum_v b(v) q(v) + sum_arcs cap(a) * min(0, r(a)).
//
// All costs are integers, so a feasible flow with scale*cost(f) - D(q) < scale is optimal (no
// integer lies strictly between D(q)/scale and cost(f)). With scale = 1 this is the classical
// "primal = dual, no negative reduced cost on a residual arc"; the epsilon-scaling solver ends
// with epsilon-complementary slackness for epsilon < 1/n and certifies with scale > n. See
// certificate.hpp and docs/assignment.md.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clausematch::matcher::assignment {

__extension__ using Int128 = __int128;

enum class Status {
  kOptimal,       // feasible and optimal (the certificate decides whether it is proven)
  kFeasible,      // feasible, optimality not claimed (greedy)
  kInfeasible,    // a hard constraint cannot be met (must_assign_all, or a quota: see the report)
  kBadCostRange,  // the costs cannot be scaled without overflowing the integer arithmetic
  kBadInput,      // malformed problem
};
std::string_view ToString(Status status);

inline constexpr std::uint32_t kNone = 0xffffffffu;
inline constexpr std::uint64_t kNoEdge = ~std::uint64_t{0};

struct TransportProblem {
  std::uint32_t num_left = 0;
  std::uint32_t num_right = 0;
  std::vector<std::int64_t> capacity;  // per right node, >= 0
  std::vector<std::uint64_t> offsets;  // CSR by left node, num_left + 1 entries
  std::vector<std::uint32_t> targets;  // right node of each edge
  std::vector<std::int64_t> values;    // gain of each edge (max orientation)
  bool must_assign_all = false;        // no direct source->sink arc

  [[nodiscard]] std::uint64_t num_edges() const { return targets.size(); }
};

// Structural check; empty when valid.
std::string CheckWellFormed(const TransportProblem& problem);

// Prices a previous solve leaves behind, to warm-start the next one (same scale). Objects absent
// from the previous problem take price_floor.
struct WarmStart {
  std::int64_t scale = 0;
  std::vector<Int128> right_price;  // per right node of the NEW problem (size num_right)
  Int128 unassigned_price = 0;
  // For the augmenting-path solver (path_solver.hpp): the previous assignment and participant
  // prices, per left node of the NEW problem (empty when unknown). Any values are safe: the
  // solver repairs what no longer fits.
  std::vector<std::uint32_t> left_right;  // previous right node of each left node, or kNone
  std::vector<std::int64_t> left_price;   // previous price u_i >= 0 of each left node
};

struct TransportSolution {
  Status status = Status::kBadInput;
  std::string message;                       // why, when not optimal
  std::vector<std::uint64_t> assigned_edge;  // per left node: edge index, or kNoEdge
  Int128 value = 0;                          // sum of values over assigned edges
  // Certificate (see the top of this file), potentials in units of 1/scale.
  std::int64_t scale = 1;
  Int128 source_potential = 0;
  Int128 sink_potential = 0;
  std::vector<Int128> left_potential;
  std::vector<Int128> right_potential;
  // Solver state reusable by a warm start (scaled prices; empty when the backend has none).
  std::vector<Int128> right_price;
  Int128 unassigned_price = 0;
  // Work counters (backend-specific meaning: phases, bids, augmentations).
  std::uint64_t phases = 0;
  std::uint64_t iterations = 0;
};

// Backends behind one interface; every solve returns duals for the certificate.
class TransportSolver {
 public:
  virtual ~TransportSolver() = default;
  [[nodiscard]] virtual std::string_view Name() const = 0;
  [[nodiscard]] virtual bool IsExact() const = 0;
  virtual TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) = 0;
};

// Exact potentials (scale 1) for a given assignment by Bellman-Ford on the residual network:
// O(n m), for small instances (the oracle's duals). Returns false, leaving the solution's
// potentials untouched, when the residual network has a negative cycle (the flow is not optimal).
bool ComputeExactPotentials(const TransportProblem& problem, TransportSolution& solution);

}  // namespace clausematch::matcher::assignment
