#pragma once
// The batch assignment problem in its compact form: a bipartite graph in CSR (participants on
// the left, openings on the right), produced by the candidate-graph builder and consumed by the
// assignment solvers. Plain integers only, so a solver never needs the domain types.
//
//   maximise  sum_e weight[e] * x[e]
//   s.t.      sum_{e out of participant p} x[e] <= 1          for every participant
//             sum_{e into opening o}      x[e] <= positions[o] for every opening
//             sum_{e into openings of quota q, participant in q's public} x[e] >= q.min_count
//             x[e] in {0, 1}
//
// (the objective mode "fill-then-score" first maximises the number of filled positions, then the
// total weight; see matcher/assignment/*.hpp for how the solvers encode it.)
#include <cstdint>
#include <string>
#include <vector>

namespace clausematch::matcher {

// Scores in [0, 1] become integer weights in [0, kWeightScale].
inline constexpr std::int32_t kWeightScale = 1'000'000;

struct QuotaGroup {
  std::vector<std::uint32_t> openings;  // right nodes whose positions the quota covers (one contract)
  std::uint32_t public_bit = 0;         // bit index into participant_publics (a model::Criterion value)
  std::int32_t min_count = 0;           // at least this many of those positions to that public
  std::uint32_t contract_index = 0;     // for reports
};

struct AssignmentProblem {
  std::uint32_t num_participants = 0;
  std::uint32_t num_openings = 0;
  std::vector<std::int32_t> positions;  // per opening, >= 0
  std::vector<std::uint64_t> offsets;   // CSR by participant, size num_participants + 1
  std::vector<std::uint32_t> targets;   // opening of each edge
  std::vector<std::int32_t> weights;    // weight of each edge, in [0, kWeightScale]
  // Publics each participant counts for (bit i = model::Criterion i), used by quotas.
  std::vector<std::uint32_t> participant_publics;
  // Of those, the ones counted provisionally (a proof to renew before the hire at one or more of
  // the participant's candidate openings); for reports, solvers ignore it. Empty or one per
  // participant.
  std::vector<std::uint32_t> participant_provisional;
  std::vector<QuotaGroup> quotas;

  [[nodiscard]] std::uint64_t num_edges() const { return targets.size(); }
  [[nodiscard]] std::uint64_t MemoryBytes() const {
    return positions.capacity() * sizeof(std::int32_t) + offsets.capacity() * sizeof(std::uint64_t) +
           targets.capacity() * sizeof(std::uint32_t) + weights.capacity() * sizeof(std::int32_t) +
           participant_publics.capacity() * sizeof(std::uint32_t) +
           participant_provisional.capacity() * sizeof(std::uint32_t);
  }
};

// Structural check of a problem (sizes agree, offsets monotone, targets in range, weights in
// range). Returns an empty string when valid, else a description of the first defect.
std::string CheckWellFormed(const AssignmentProblem& problem);

}  // namespace clausematch::matcher
