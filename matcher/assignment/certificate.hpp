#pragma once
// Independent checker of a transport solution: feasibility, then optimality by weak duality.
//
// Feasibility: every left node uses at most one of its own edges (exactly one under
// must_assign_all), every right node receives at most its capacity.
//
// Optimality: with the solution's potentials q (units of 1/scale) the checker computes the dual
// bound D(q) = -sum_v b(v) q(v) + sum_a cap(a) min(0, r(a)) over the min-cost-flow network
// (transport.hpp), which bounds scale * cost from below for EVERY feasible flow, whatever q is.
// The solution is certified optimal when scale * cost - D(q) < scale: costs are integers, so no
// feasible flow can be cheaper. It also counts residual arcs with a negative reduced cost
// (complementary-slackness violations); with scale 1 a certified solution has none, with a larger
// scale they are bounded by epsilon-complementary slackness. O(n + m), no allocation per edge.
#include <cstdint>
#include <string>

#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

struct CertificateReport {
  bool feasible = false;
  bool optimal = false;  // feasible and the duality gap is below one cost unit
  std::string reason;    // why not, when not
  Int128 scaled_primal_cost = 0;
  Int128 scaled_dual_bound = 0;
  std::uint64_t negative_residual_arcs = 0;
  std::int64_t scale = 1;

  // "optimal (certified)" or "not certified: <reason>".
  [[nodiscard]] std::string Verdict() const;
};

CertificateReport CheckCertificate(const TransportProblem& problem, const TransportSolution& solution);

// Decimal text of a 128-bit integer (for reports).
std::string ToDecimal(Int128 value);

}  // namespace clausematch::matcher::assignment
