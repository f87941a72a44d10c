#include "matcher/assignment_problem.hpp"

#include <string>

namespace clausematch::matcher {

std::string CheckWellFormed(const AssignmentProblem& p) {
  if (p.positions.size() != p.num_openings)
    return "positions has " + std::to_string(p.positions.size()) + " entries, expected " +
           std::to_string(p.num_openings);
  if (p.offsets.size() != static_cast<std::size_t>(p.num_participants) + 1)
    return "offsets must have num_participants + 1 entries";
  if (p.offsets.front() != 0 || p.offsets.back() != p.targets.size())
    return "offsets must start at 0 and end at the edge count";
  if (p.weights.size() != p.targets.size()) return "weights and targets differ in size";
  if (!p.participant_publics.empty() && p.participant_publics.size() != p.num_participants)
    return "participant_publics must be empty or have one entry per participant";
  if (!p.participant_provisional.empty() && p.participant_provisional.size() != p.num_participants)
    return "participant_provisional must be empty or have one entry per participant";
  for (std::uint32_t i = 0; i < p.num_participants; ++i)
    if (p.offsets[i] > p.offsets[i + 1]) return "offsets decrease at participant " + std::to_string(i);
  for (std::uint32_t o = 0; o < p.num_openings; ++o)
    if (p.positions[o] < 0) return "negative positions at opening " + std::to_string(o);
  for (std::uint64_t e = 0; e < p.targets.size(); ++e) {
    if (p.targets[e] >= p.num_openings) return "edge " + std::to_string(e) + " targets a missing opening";
    if (p.weights[e] < 0 || p.weights[e] > kWeightScale)
      return "edge " + std::to_string(e) + " weight out of [0, kWeightScale]";
  }
  for (std::size_t q = 0; q < p.quotas.size(); ++q) {
    if (p.quotas[q].min_count < 0) return "quota " + std::to_string(q) + " has a negative minimum";
    if (p.quotas[q].public_bit >= 32) return "quota " + std::to_string(q) + " public bit out of range";
    for (auto o : p.quotas[q].openings)
      if (o >= p.num_openings) return "quota " + std::to_string(q) + " names a missing opening";
  }
  return {};
}

}  // namespace clausematch::matcher
