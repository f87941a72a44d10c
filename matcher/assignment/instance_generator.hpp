#pragma once
// Seeded synthetic assignment instances, shared by the tests (small) and bench/ (up to ~100M
// edges), until the matcher's candidate graph on the region preset is available.
//
// Structure meant to look like a region: openings sit in towns (a few dozen clustered centres,
// sizes skewed), participants live around the same centres with a wider spread; each participant
// is a candidate for openings near home only (a grid over the square finds them; degree drawn
// around avg_degree), positions 1-5 (mostly 1-2), weights score-like: a skill level with many
// ties (same appellation, same fiche, parent, mobility link) times a distance decay plus a small
// priority term, quantised to [0, kWeightScale]. Publics: bit 0 (e.g. RSA) for ~35% of people,
// bit 1 (under-26) for ~25%. A fraction of openings gets a one-opening quota on bit 0.
#include <cstdint>

#include "matcher/assignment_problem.hpp"

namespace clausematch::matcher::assignment {

struct InstanceParams {
  std::uint32_t participants = 1000;
  std::uint32_t openings = 100;
  double avg_degree = 20;
  std::uint64_t seed = 1;
  std::int32_t max_positions = 5;
  double quota_fraction = 0.0;      // share of openings with a quota
  double quota_share = 0.3;         // minimum share of the positions for the public
  std::uint32_t weight_levels = 0;  // > 0: weights drawn from this many values only (ties)
};

AssignmentProblem GenerateInstance(const InstanceParams& params);

}  // namespace clausematch::matcher::assignment
