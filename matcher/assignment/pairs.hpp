#pragma once
// The problem's pairs read back from its compiled network, so that a solve can run with the
// candidate graph's targets released (SolveAssignmentReleasing): a batch's peak memory is in the
// solve, where every pair was held three times (the graph, the network, the solver's sorted rows).
//
// Compile (assignment.hpp) turns each pair (participant p, opening o) into 0, 1 or 2 network edges
// in the pair's order: one into o's free class when it has positions, one into its quota class
// when it has one. A participant with a fixed pair has no left node. So a participant's pairs are
// its left node's edges, each read as its opening (right_opening), stepping over the copies of the
// pair, with the pairs the network leaves out (a fixed participant's, or into an opening with no
// position left: rare) listed apart.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "matcher/assignment/assignment.hpp"

namespace clausematch::matcher::assignment {

struct PairView {
  std::vector<std::uint8_t> copies;    // per opening: the network edges each of its pairs became
  std::vector<std::uint32_t> left_of;  // per participant: its left node, kNone when fixed
  // The pairs the network leaves out, (edge index, opening) by edge index: filled only while the
  // problem's targets are released.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> left_out;
};

// copies and left_of of a compiled problem (left_out empty).
PairView MakePairView(const AssignmentProblem& problem, const CompiledAssignment& compiled);

// Calls f(opening, weight) for each of participant i's pairs, in the problem's order: read from
// problem.targets, or, while they are released (empty, with pairs left), from the network.
template <typename F>
void ForEachPair(const AssignmentProblem& p, const CompiledAssignment& c, const PairView& v, std::uint32_t i, F&& f) {
  const auto begin = p.offsets[i], end = p.offsets[i + 1];
  if (begin == end) return;
  if (!p.targets.empty()) {
    for (auto e = begin; e < end; ++e) f(p.targets[e], p.weights[e]);
    return;
  }
  auto out =
      std::lower_bound(v.left_out.begin(), v.left_out.end(), begin,
                       [](const std::pair<std::uint64_t, std::uint32_t>& a, std::uint64_t e) { return a.first < e; });
  const auto k = v.left_of[i];
  std::uint64_t at = k == kNone ? 0 : c.transport.offsets[k];
  for (auto e = begin; e < end; ++e) {
    std::uint32_t o = 0;
    if (out != v.left_out.end() && out->first == e) {
      o = out->second;
      ++out;
    } else {
      o = c.right_opening[c.transport.targets[at]];
      at += v.copies[o];
    }
    f(o, p.weights[e]);
  }
}

// SolveAssignment (assignment.hpp), releasing problem.targets (4 bytes per pair) while it runs:
// once the network is compiled, the solve reads the pairs through ForEachPair, and the targets are
// rebuilt, equal, before it returns (on every way out). Nothing may read problem.targets meanwhile.
AssignmentResult SolveAssignmentReleasing(AssignmentProblem& problem, const AssignmentOptions& options,
                                          const AssignmentResult* warm = nullptr);

}  // namespace clausematch::matcher::assignment
