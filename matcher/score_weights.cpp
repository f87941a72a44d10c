#include "matcher/score_weights.hpp"

#include <cmath>

namespace clausematch::matcher {

std::vector<std::string> ScoreWeights::Validate() const {
  std::vector<std::string> errors;
  auto non_negative = [&](const char* name, double v) {
    if (!std::isfinite(v) || v < 0.0) errors.push_back(std::string(name) + ": must be a finite number >= 0");
  };
  auto unit = [&](const std::string& name, double v) {
    if (!std::isfinite(v) || v < 0.0 || v > 1.0) errors.push_back(name + ": must be in [0, 1]");
  };
  auto positive = [&](const char* name, double v) {
    if (!std::isfinite(v) || v <= 0.0) errors.push_back(std::string(name) + ": must be a finite number > 0");
  };
  non_negative("skill", skill);
  non_negative("distance", distance);
  non_negative("priority", priority);
  non_negative("waiting", waiting);
  non_negative("hours", hours);
  unit("exposure", exposure);
  if (errors.empty() && skill + distance + priority + waiting + hours <= 0.0)
    errors.emplace_back("skill + distance + priority + waiting + hours: must be > 0");
  non_negative("skill_relation", skill_relation);
  non_negative("skill_overlap", skill_overlap);
  non_negative("skill_embedding", skill_embedding);
  if (skill_relation + skill_overlap + skill_embedding <= 0.0)
    errors.emplace_back("skill_relation + skill_overlap + skill_embedding: must be > 0");
  unit("same_appellation", same_appellation);
  unit("same_fiche", same_fiche);
  unit("same_parent", same_parent);
  unit("mobility_first_rank", mobility_first_rank);
  unit("mobility_rank_decay", mobility_rank_decay);
  non_negative("required_skill_weight", required_skill_weight);
  non_negative("core_skill_weight", core_skill_weight);
  non_negative("other_skill_weight", other_skill_weight);
  positive("waiting_horizon_days", waiting_horizon_days);
  positive("exposure_saturation", exposure_saturation);
  for (const auto& info : model::AllCriteria())
    unit("priority_weights." + std::string(info.code), PriorityWeight(info.criterion));
  return errors;
}

}  // namespace clausematch::matcher
