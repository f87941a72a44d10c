#pragma once
// Our exact backend: successive shortest augmenting paths from the positions' side, with node
// potentials and Dijkstra searches that stop at the first free participant (the sparse,
// rectangular, capacitated form of the Hungarian method / Jonker-Volgenant shortest augmenting
// path).
//
// Problem. The transport problem of transport.hpp. Seen from the right: every right node j (an
// opening class) has a supply of c_j units that must go somewhere: to a left node i over an edge
// (cost -a_ij, capacity 1) or to "empty" (cost 0: the position stays unfilled). Every left node
// (a participant) absorbs at most one unit. As a min-cost flow with node supplies:
//
//     j (supply c_j) --(cap 1, cost -a_ij)--> i --(cap 1, cost 0)--> t        j --(cap c_j, cost 0)--> t
//
// Its optimum is the transport optimum (same feasible set, same costs).
//
// Why this side. In a regional batch there are about six participants per position and every
// opening keeps only its best ~1000 candidates, so most participants stay unassigned and most of
// an opening's candidates are free. A shortest augmenting path from a position therefore ends,
// almost always, after one or two rows: the position takes its best-profit candidate, or takes a
// candidate held elsewhere whose holder moves to its own next best. Work is proportional to the
// positions (B) times the rows the search scans, not to the edges times a number of scaling
// phases as in the auction (auction_solver.hpp), and there is no epsilon and no cost scaling.
//
// Algorithm (successive shortest paths, Ahuja-Magnanti-Orlin 9.7, with node supplies). Invariant:
// every residual arc has a non-negative reduced cost c(u,v) + pi(u) - pi(v). Start: no flow,
// pi(i) = pi(t) = 0, pi(j) = max(0, max_i a_ij). Repeat for every right node j with supply left,
// one unit at a time: Dijkstra from j on the residual network with reduced costs, until t is
// settled at distance D; augment one unit along the path; then pi(v) += min(d(v), D) for every
// node, which keeps the invariant. Only settled nodes are touched: adding D to every node changes
// no reduced cost, so a settled node gets d(v) - D and the others nothing; pi(t) stays 0, so
// u_i = -pi(i) is a participant's price and v_j = pi(j) a position's profit. Residual arcs out of
// a participant: to t when free (reduced cost 0: a free participant is never settled before t, so
// its potential stays 0 and reaching it is reaching t), to its holder when assigned. Out of a right
// node: its candidates it does not hold, and "empty" to t (reduced cost pi(j)). A free participant
// is never pushed: relaxing it relaxes t, and the search stops when the heap's minimum reaches the
// best distance to t found so far.
//
// Sorted rows and the early break. Right nodes are scanned through a reverse CSR whose rows are
// ordered by decreasing gain. Potentials of participants are <= 0, so an entry's distance is at
// least d + pi(j) - a_ij: once that reaches the best distance to t, no later entry of the row can
// matter and the scan stops. In a regional batch a search reads a few entries of one or two rows.
// The order is built lazily: a scan that gets past the sorted part sorts the next chunk
// (nth_element, chunks doubling), so most of each row is never sorted. Below kInlineGainEdges
// edges a row entry holds the left node, the edge and the gain (16 bytes per edge: reading each
// gain through the edge index was a cache miss per entry); above, the edge alone (4 bytes per
// edge: its left node is read off the forward CSR's offsets, from every 64th edge's left node,
// only for the entries a scan gets to), and the fill keeps each row's 16 best entries (reading the
// gains sequentially) so a row starts sorted. The rows are
// allocated in transparent huge pages (a first touch of a 4 kB page costs ~9 us on the virtual
// machines measured).
//
// The other side. When the positions outnumber the people (B > L), searches from positions end on
// "empty" only after proving that no participant can be freed, which explores widely; the solver
// then runs the same method from the participants' side (each left node a supply of one unit that
// goes to a right node with room, or stays unassigned; a full right node is passed through to one
// of its holders), on the forward CSR with the same lazy sorting and early break (right-node
// potentials stay <= 0 there). The side with fewer units to place is searched from.
//
// Certificate. From the final potentials: v_j = max(0, pi(j)) (0 when the right node's capacity
// exceeds its in-degree, since it can never be full), u_i = a(e_i) - v_(holder) for an assigned
// participant, 0 for a free one. These satisfy u_i + v_j >= a_ij on every edge with equality on
// the assignment, u, v >= 0, u_i > 0 only when assigned and v_j > 0 only when full: they are
// optimal LP duals (exact, scale 1), checked independently by certificate.hpp.
//
// Warm start (searched from the positions' side). Given the previous assignment and participant
// prices (mapped to the new problem),
// the solver keeps every previous pair that is still an edge and fits, recomputes each right
// node's v_j as the least value that prices out its other candidates, releases (a worklist
// cascade) the pairs whose prices no longer fit, and searches only from the supply left: the new
// positions and the released ones.
//
// Complexity. O(min(B, L) (m + n) log n) in the worst case (each search a full Dijkstra); in the
// regional case each search settles a handful of nodes and reads a few row entries, and the time is
// the O(m) fill of the sorted rows. Hardest: B close to L, where the last searches must go far
// (bench/README.md, "Harder shapes"; docs/assignment.md §3 has what was tried). Memory: 16 bytes
// per edge below kInlineGainEdges edges, 4 above (the sorted rows), plus O(n).
// Sequential: the searches depend on each other through the potentials.
//
// Arithmetic and scope. 64-bit potentials: gains must lie in [-2^60, 2^60] and the edges number
// below 2^32. Outside that, and under must_assign_all (every left node must be assigned: the DIMACS
// files without a direct source-sink arc), the solver hands the problem to the auction, which has
// 128-bit prices and the symmetric completion.
//
// References.
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin, "Network Flows" (1993), sections 9.7 (successive
//     shortest paths) and 12.4 (assignment).
//   R. Jonker, A. Volgenant, "A shortest augmenting path algorithm for dense and sparse linear
//     assignment problems", Computing 38 (1987) 325-340.
//   D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE Trans. Aerospace
//     and Electronic Systems 52 (2016) 1679-1696 (rectangular problems by shortest augmenting path).
#include <cstdint>
#include <memory>
#include <vector>

#include "matcher/assignment/auction_solver.hpp"
#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

// Below this many edges the sorted rows carry each entry's gain and left node (16 bytes per edge
// instead of 4): a row scan then reads no gain through its edge index, which was a cache miss per
// entry. Above it (regional networks: 25-28M edges), the rows keep the edge alone, 4 bytes per
// edge, for the batch's memory target (bench/README.md, "Bytes per kept pair").
inline constexpr std::uint64_t kInlineGainEdges = std::uint64_t{1} << 24;

class PathSolver final : public TransportSolver {
 public:
  explicit PathSolver(AuctionOptions fallback = {}, std::uint64_t inline_gain_edges = kInlineGainEdges)
      : fallback_(fallback), inline_gain_edges_(inline_gain_edges) {}
  [[nodiscard]] std::string_view Name() const override { return "ours"; }
  [[nodiscard]] bool IsExact() const override { return true; }
  TransportSolution Solve(const TransportProblem& problem, const WarmStart* warm) override;

 private:
  AuctionOptions fallback_;
  std::uint64_t inline_gain_edges_;
};

// The same method kept alive across solves of one transport problem whose gains change between
// them (the Lagrangian multipliers of lagrangian.hpp): the sorted rows, the potentials and the
// assignment stay; a re-solve takes the right nodes whose incoming gains changed, marks their
// rows unsorted, gives each the least price that prices out its other candidates, releases the
// pairs that price no longer fits and sends back to the search the positions left empty of a row
// whose price rose above 0. A released participant keeps its price (every other row still prices
// it out, so nothing cascades) and owes its unit: a deficit in the min-cost flow. The searches
// then start from the supply (as above, a deficit reached ends a path like a free participant)
// and, for each deficit still owed, a search backwards from it (on the participant's own row,
// then through the holders of the rows it reaches) finds the cheapest of: a place (a position
// left empty, or one whose holder gives up its unit), or its price dropping to 0. Every step is a
// shortest path on reduced costs, so the potentials stay exact duals. Before, a released
// participant's price dropped to 0 at once, which raised the prices of its other rows and
// released their holders in turn: most of a regional re-solve's searches. Always searched from
// the positions' side. The problem must outlive the resolver, keep its shape (only `values` may
// change), and stay in the solver's scope (Supports).
class PathResolver {
 public:
  explicit PathResolver(const TransportProblem& problem, std::uint64_t inline_gain_edges = kInlineGainEdges);
  ~PathResolver();
  PathResolver(const PathResolver&) = delete;
  PathResolver& operator=(const PathResolver&) = delete;

  // Gains within [-2^60, 2^60], fewer than 2^32 edges, not must_assign_all.
  static bool Supports(const TransportProblem& problem, std::int64_t max_abs_value);

  // The first call solves cold (`changed_right` ignored), or from `warm`'s pairs and prices when
  // given (PathSolver's warm start: any values are safe, what no longer fits is repaired); later
  // calls re-solve after the gains of the edges into `changed_right` changed (`warm` ignored).
  TransportSolution Solve(const std::vector<std::uint32_t>& changed_right, const WarmStart* warm = nullptr);
  // The same into `out` (every field written), reusing its arrays when large enough: a caller that
  // recycles its solutions allocates nothing per re-solve.
  void Solve(const std::vector<std::uint32_t>& changed_right, TransportSolution& out, const WarmStart* warm = nullptr);

 private:
  class State;
  const TransportProblem& problem_;
  std::uint64_t inline_gain_edges_;
  std::unique_ptr<State> state_;
};

}  // namespace clausematch::matcher::assignment
