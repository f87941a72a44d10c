#pragma once
// Our second exact backend (the first is path_solver.hpp, which hands it the problems it does not
// take: must_assign_all, gains beyond 2^60): Bertsekas' epsilon-scaling auction for the transportation problem of
// transport.hpp, with similar objects (an object with capacity c is c copies with their own prices)
// and the asymmetry removed by a symmetric completion.
//
// Problem. The transport problem is asymmetric twice over: a left node may stay unassigned and a
// position may stay empty. The forward auction is only correct with epsilon scaling on a
// symmetric problem (Bertsekas & Castanon 1992 treat the asymmetric case with a reverse auction;
// we avoid it). Symmetric completion: give every left node i a private object U_i (one copy,
// value 0 to i: "unassigned"; -Big under must_assign_all) and add B "filler" persons, B = sum of
// the (effective) capacities, who value every copy at 0 (a filler on a position = an empty
// position; a filler on U_i = i is assigned). Persons and copies now number L + B each and every
// perfect assignment of the completion maps to a feasible transport solution with the same value
// and back. Private U_i (rather than one shared U with L copies) matter: identical copies make
// bidders outbid each other by epsilon only (a price war). Fillers are dense, so they are never
// stored as arcs: a filler bids for the globally cheapest copy (an indexed heap over objects
// keyed by their cheapest copy).
//
// Algorithm. Integer gains are scaled by a power of two K > 2L + B. Each phase keeps the previous
// prices and every holder still within the new epsilon of its best profit (the first phase starts
// empty), and runs Gauss-Seidel bidding with a FIFO queue: a
// person takes the cheapest copy of its best object and raises that copy's price by
// (best profit - second profit + epsilon), evicting the copy's holder; an object's copies form a
// binary min-heap by price so both its cheapest and second-cheapest copies are O(1) and an update
// is O(log c). Epsilon goes from K*span/alpha down to 1. The final phase ends with every person
// within epsilon = 1 of its best profit (epsilon-complementary slackness), so the assignment is
// within (L + B) of optimal in scaled units, i.e. below one cost unit: optimal.
//
// Certificate. From the final prices (G = cheapest copy overall; y_j = price of j's cheapest copy
// - G, or 0 when j keeps an empty position; pi_i = best response max(0, max_j K v_ij - y_j)) the
// node potentials q(i) = pi_i, q(j) = -y_j, q(s) = q(t) = 0 give a dual bound within (2L + B) < K
// of the primal, which certificate.hpp checks independently.
//
// Complexity. Each phase is O(m * bids per person) in practice; the worst case of the scaled
// auction is O(n m log(n C)) (Bertsekas & Eckstein 1988). Memory: O(n + B) beyond the problem's
// own CSR (prices per copy, holder per copy, one heap), nothing per edge. Sequential: on 2 cores
// the bidding is latency-bound on shared prices and a Jacobi (parallel) variant bids with stale
// prices; the work is not parallelised (see docs/assignment.md).
//
// Arithmetic. Scaled gains use 64-bit integers when the range allows and 128-bit otherwise; a
// range that does not fit (or does not fit 64 bits when wide arithmetic is disabled) returns
// Status::kBadCostRange, never an overflow.
//
// References.
//   D. P. Bertsekas, "The auction algorithm: a distributed relaxation method for the assignment
//     problem", Annals of Operations Research 14 (1988) 105-123.
//   D. P. Bertsekas, D. A. Castanon, "The auction algorithm for the transportation problem",
//     Annals of Operations Research 20 (1989) 67-96 (similar objects and persons).
//   D. P. Bertsekas, J. Eckstein, "Dual coordinate step methods for linear network flow problems",
//     Mathematical Programming 42 (1988) 203-243 (epsilon scaling).
//   A. V. Goldberg, R. Kennedy, "An efficient cost scaling algorithm for the assignment problem",
//     Mathematical Programming 71 (1995) 153-177 (the same bidding seen as double push).
#include <cstdint>

#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

struct AuctionOptions {
  std::int64_t alpha = 8;             // epsilon reduction factor between phases
  bool allow_wide_arithmetic = true;  // fall back to 128-bit prices when 64 bits do not fit
  int warm_skip_phases = 3;           // coarse phases a warm start skips
};

class AuctionSolver final : public TransportSolver {
 public:
  explicit AuctionSolver(AuctionOptions options = {}) : options_(options) {}
  [[nodiscard]] std::string_view Name() const override { return "auction"; }
  [[nodiscard]] bool IsExact() const override { return true; }
  TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) override;

 private:
  AuctionOptions options_;
};

}  // namespace clausematch::matcher::assignment
