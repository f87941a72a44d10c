#include "matcher/assignment/certificate.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <string>
#include <vector>

namespace clausematch::matcher::assignment {

std::string ToDecimal(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    const auto digit = static_cast<int>(value % 10);
    digits.push_back(static_cast<char>('0' + (negative ? -digit : digit)));
    value /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string CertificateReport::Verdict() const {
  if (optimal) return "optimal (certified)";
  return "not certified: " + reason;
}

namespace {
Int128 MinZero(Int128 x) { return x < 0 ? x : 0; }
}  // namespace

CertificateReport CheckCertificate(const TransportProblem& p, const TransportSolution& s) {
  CertificateReport report;
  report.scale = s.scale;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    report.reason = "malformed problem: " + defect;
    return report;
  }
  if (s.assigned_edge.size() != p.num_left) {
    report.reason = "the solution does not cover every left node";
    return report;
  }
  if (s.scale < 1) {
    report.reason = "scale must be positive";
    return report;
  }
  // Feasibility.
  std::vector<std::int64_t> load(p.num_right, 0);
  Int128 value = 0;
  std::uint64_t unassigned = 0;
  for (std::uint32_t i = 0; i < p.num_left; ++i) {
    const auto e = s.assigned_edge[i];
    if (e == kNoEdge) {
      ++unassigned;
      continue;
    }
    if (e < p.offsets[i] || e >= p.offsets[i + 1]) {
      report.reason = "left node " + std::to_string(i) + " uses an edge that is not its own";
      return report;
    }
    ++load[p.targets[e]];
    value += p.values[e];
  }
  if (p.must_assign_all && unassigned > 0) {
    report.reason = std::to_string(unassigned) + " left nodes unassigned but every one must be";
    return report;
  }
  for (std::uint32_t j = 0; j < p.num_right; ++j) {
    if (load[j] > p.capacity[j]) {
      report.reason = "right node " + std::to_string(j) + " over capacity";
      return report;
    }
  }
  report.feasible = true;
  if (value != s.value) {
    report.reason = "the reported objective differs from the assignment's";
    return report;
  }
  const bool has_potentials = s.left_potential.size() == p.num_left && s.right_potential.size() == p.num_right;
  if (!has_potentials) {
    report.reason = "no potentials";
    return report;
  }
  // Dual bound over the min-cost-flow network, arc by arc.
  const Int128 scale = s.scale;
  const Int128 L = p.num_left;
  const Int128 qs = s.source_potential;
  const Int128 qt = s.sink_potential;
  Int128 dual = -(L * qs) + L * qt;
  std::uint64_t violations = 0;
  auto tally = [&violations](Int128 r, Int128 flow, Int128 cap) {
    if ((r < 0 && flow < cap) || (r > 0 && flow > 0)) ++violations;
  };
  // The left nodes' arcs (s -> i and i -> j), by blocks in parallel: the pass over every edge is
  // most of the check, and the batch's Lagrangian search runs it once per certified bound.
  struct Part {
    Int128 dual = 0;
    std::uint64_t violations = 0;
  };
  const Part left_part = tbb::parallel_reduce(
      tbb::blocked_range<std::uint32_t>(0, p.num_left, 4096), Part{},
      [&](const tbb::blocked_range<std::uint32_t>& range, Part part) {
        auto count = [&part](Int128 r, Int128 flow, Int128 cap) {
          if ((r < 0 && flow < cap) || (r > 0 && flow > 0)) ++part.violations;
        };
        for (auto i = range.begin(); i != range.end(); ++i) {
          const Int128 qi = s.left_potential[i];
          const Int128 r_si = qs - qi;
          const bool assigned = s.assigned_edge[i] != kNoEdge;
          part.dual += MinZero(r_si);
          count(r_si, assigned ? 1 : 0, 1);
          for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
            const Int128 r = -scale * Int128{p.values[e]} + qi - s.right_potential[p.targets[e]];
            part.dual += MinZero(r);
            count(r, s.assigned_edge[i] == e ? 1 : 0, 1);
          }
        }
        return part;
      },
      [](Part a, const Part& b) {
        a.dual += b.dual;
        a.violations += b.violations;
        return a;
      });
  dual += left_part.dual;
  violations += left_part.violations;
  for (std::uint32_t j = 0; j < p.num_right; ++j) {
    const Int128 r = s.right_potential[j] - qt;
    dual += Int128{p.capacity[j]} * MinZero(r);
    tally(r, load[j], p.capacity[j]);
  }
  if (!p.must_assign_all) {
    const Int128 r = qs - qt;
    dual += L * MinZero(r);
    tally(r, static_cast<Int128>(unassigned), L);
  }
  report.scaled_primal_cost = -scale * value;
  report.scaled_dual_bound = dual;
  report.negative_residual_arcs = violations;
  const Int128 gap = report.scaled_primal_cost - dual;
  if (gap < 0) {
    report.reason = "dual bound above the primal cost (inconsistent potentials)";
    return report;
  }
  if (gap >= scale) {
    report.reason = "duality gap " + ToDecimal(gap) + "/" + ToDecimal(scale) + " of a cost unit, " +
                    std::to_string(violations) + " residual arcs with negative reduced cost";
    return report;
  }
  report.optimal = true;
  return report;
}

}  // namespace clausematch::matcher::assignment
