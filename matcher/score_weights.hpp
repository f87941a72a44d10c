#pragma once
// The weights of the score (docs/scoring.md has the formula). Every field has a documented
// default; api/ reads overrides from a JSON config file. Validate() lists every bad field.
#include <array>
#include <string>
#include <vector>

#include "model/criteria.hpp"

namespace clausematch::matcher {

struct ScoreWeights {
  // Top-level mix. The positive part is a weighted mean of the components (divided by the sum of
  // these five weights), then the exposure penalty is subtracted and the result clamped to [0, 1].
  double skill = 0.40;     // skill fit, from ROME 4.0
  double distance = 0.20;  // closeness within the reach limit
  double priority = 0.20;  // a priority public of the contract
  double waiting = 0.15;   // time since registration or the last proposal
  double hours = 0.05;     // weekly hours offered vs wanted
  double exposure = 0.10;  // penalty: proposals already pending elsewhere

  // Skill fit = weighted mean of its three parts.
  double skill_relation = 0.50;   // ROME relation between wanted jobs and the opening's
  double skill_overlap = 0.30;    // share of the opening's skills the person has
  double skill_embedding = 0.20;  // cosine in the SVD skill space (transferable skills)

  // ROME relation levels (same appellation > same fiche > same parent > mobility link).
  double same_appellation = 1.00;
  double same_fiche = 0.85;
  double same_parent = 0.60;
  double mobility_first_rank = 0.50;  // a rank-1 mobility link from a wanted fiche
  double mobility_rank_decay = 0.90;  // ×0.9 per further rank

  // Skill overlap weights: a skill the opening requires > a core skill of its fiche > another.
  double required_skill_weight = 3.0;
  double core_skill_weight = 2.0;
  double other_skill_weight = 1.0;

  double waiting_horizon_days = 365.0;  // waiting saturates at 1 after this many days
  double exposure_saturation = 3.0;     // exposure saturates at 1 with this many pending proposals

  // Publics that count as priority when a contract lists none of its own.
  model::CriterionSet default_priority_publics{model::Criterion::kRsa, model::Criterion::kJeune,
                                               model::Criterion::kAse};

  // What each public earns as a priority public, in [0, 1], by criterion (model::Criterion order):
  // the priority component is the largest weight among the pair's priority hits. 1 for every
  // criterion by default (any priority public earns the full component, as before weights
  // existed); a funder that pays per RSA recipient placed can keep rsa at 1 and lower the others.
  static constexpr std::array<double, model::kCriterionCount> kDefaultPriorityWeights = [] {
    std::array<double, model::kCriterionCount> all{};
    all.fill(1.0);
    return all;
  }();
  std::array<double, model::kCriterionCount> priority_weights = kDefaultPriorityWeights;
  [[nodiscard]] double PriorityWeight(model::Criterion c) const {
    return priority_weights[static_cast<std::size_t>(c)];
  }

  // One message per invalid field ("skill: must be a finite number >= 0"; a priority weight is
  // named "priority_weights.rsa"); empty when valid.
  [[nodiscard]] std::vector<std::string> Validate() const;
};

}  // namespace clausematch::matcher
