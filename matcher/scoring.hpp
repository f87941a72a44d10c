#pragma once
// The score of an eligible, in-reach (participant, opening) pair: a number in [0, 1] made of
// named components, each in [0, 1], so that a facilitator can be told why someone ranks where
// they do. The exact formula, with its defaults, is in docs/scoring.md; in short
//
//   skill_fit = (a·relation + b·overlap + c·embedding) / (a + b + c)
//   positive  = (Ws·skill_fit + Wd·distance + Wp·priority + Ww·waiting + Wh·hours) / (Ws+Wd+Wp+Ww+Wh)
//   score     = clamp(positive − We·exposure, 0, 1)
//
// The pieces are computed from model types here (PairInputsFor: the reference path, used by
// the tests' all-pairs oracle) and from precomputed per-participant data in matcher.cpp (the fast
// path); both end in Combine(), the single place where the formula lives.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "matcher/eligibility.hpp"
#include "matcher/reach.hpp"
#include "matcher/score_weights.hpp"
#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/referential.hpp"

namespace clausematch::matcher {

class SkillSpace;

// ---- ROME relation ---------------------------------------------------------------------------

enum class RomeRelation : std::uint8_t { kNone, kMobility, kSameParent, kSameFiche, kSameAppellation };

struct RomeMatch {
  RomeRelation relation = RomeRelation::kNone;
  int mobility_rank = 0;                                    // for kMobility: rank of the link (1 = closest)
  std::uint32_t from_fiche = model::Referential::kNoIndex;  // the wanted fiche it comes from
};

// Fiche indices the participant wants: their wanted fiches plus the fiches of their wanted
// appellations, sorted, unique; unknown codes are ignored.
std::vector<std::uint32_t> WantedFicheIndices(const model::Referential& ref, const model::Participant& p);

// The best relation between what the person wants and the opening's appellation / fiche index.
RomeMatch MatchRome(const model::Referential& ref, std::span<const model::AppellationCode> wanted_appellations,
                    std::span<const std::uint32_t> wanted_fiches, model::AppellationCode opening_appellation,
                    std::uint32_t opening_fiche);

inline double RelationValue(const RomeMatch& m, const ScoreWeights& w) {
  switch (m.relation) {
    case RomeRelation::kSameAppellation:
      return w.same_appellation;
    case RomeRelation::kSameFiche:
      return w.same_fiche;
    case RomeRelation::kSameParent:
      return w.same_parent;
    case RomeRelation::kMobility:
      return w.mobility_first_rank * std::pow(w.mobility_rank_decay, std::max(0, m.mobility_rank - 1));
    case RomeRelation::kNone:
      return 0.0;
  }
  return 0.0;
}

// ---- Skill overlap -----------------------------------------------------------------------------

// The skills an opening asks for, each with its weight: required skills of the opening, core
// skills of its fiche, the fiche's other skills. Skills unknown to the referential's skill table
// are ignored on both sides (nobody can be matched on them).
struct SkillProfile {
  std::vector<std::pair<model::SkillCode, double>> weights;  // sorted by skill, unique
  std::vector<std::uint8_t> core;                            // parallel: 1 for required or core
  double total = 0.0;
  int core_count = 0;
};

SkillProfile MakeSkillProfile(const model::Referential& ref, std::uint32_t fiche_index,
                              std::span<const model::SkillCode> required, const ScoreWeights& w);

struct Overlap {
  double value = 0.0;  // Σ weights of shared skills / Σ weights of the profile; 0 for an empty profile
  int matched = 0;
  int matched_core = 0;
};

// `skills` must be sorted and unique.
Overlap SkillOverlap(const SkillProfile& profile, std::span<const model::SkillCode> skills);

// ---- Components and the combination -------------------------------------------------------

// Everything the formula needs about one pair; produced by either path.
struct PairInputs {
  RomeMatch rome;
  Overlap overlap;
  double embedding = 0.0;  // cosine in the skill space, [0, 1]
  ReachResult reach;
  model::CriterionSet priority_hits;     // criteria counted at the hire date that the contract prioritises
  model::CriterionSet provisional_hits;  // of which counted provisionally (a proof to renew before the hire)
  int waiting_days = 0;                  // since max(registration, last proposal), >= 0
  double hours_wanted = 0.0;
  double hours_offered = 0.0;
  int open_proposals = 0;
};

struct ScoreComponents {
  double rome_relation = 0.0;
  double skill_overlap = 0.0;
  double skill_embedding = 0.0;
  double skill_fit = 0.0;
  double distance = 0.0;
  double priority = 0.0;  // the largest ScoreWeights::priority_weights among the priority hits, 0 without
  // The public that earned `priority` (the first in criterion order among the largest weights; none
  // when every hit weighs 0).
  // Renderings name it only when the eligibility rests on it (NameablePriorityPublic).
  std::optional<model::Criterion> priority_public;
  double waiting = 0.0;
  double hours = 0.0;
  double exposure = 0.0;  // the penalty's input in [0, 1]; the score subtracts weights.exposure × this
  double total = 0.0;
};

ScoreComponents Combine(const PairInputs& in, const ScoreWeights& w);

// The pieces of Combine() that the candidate graph's hot loop evaluates on its own (the same
// expressions in the same order, so the same doubles: Combine() is written with them).
inline double SkillFit(const ScoreWeights& w, double relation, double overlap, double embedding) {
  const double skill_sum = w.skill_relation + w.skill_overlap + w.skill_embedding;
  return skill_sum > 0.0
             ? (w.skill_relation * relation + w.skill_overlap * overlap + w.skill_embedding * embedding) / skill_sum
             : 0.0;
}
// The distance component from the whole km already rounded (`shown_km` = ShownKm(distance_km)): the
// graph's loop rounds once per person and worksite.
inline double DistanceComponentShown(bool same_commune, double shown_km, double limit_km) {
  if (same_commune) return 1.0;
  if (limit_km > 0.0) return std::clamp(1.0 - shown_km / limit_km, 0.0, 1.0);
  return 0.0;
}
inline double DistanceComponent(bool same_commune, double distance_km, double limit_km) {
  // Whole km (ShownKm): the component and the total are served, so they must not carry a finer distance.
  return DistanceComponentShown(same_commune, ShownKm(distance_km), limit_km);
}
inline double WaitingComponent(const ScoreWeights& w, int waiting_days) {
  return std::clamp(waiting_days / w.waiting_horizon_days, 0.0, 1.0);
}
inline double HoursComponent(double wanted, double offered) {
  if (wanted > 0.0 && offered > 0.0) return 1.0 - std::abs(wanted - offered) / std::max(wanted, offered);
  return 1.0;
}
inline double ExposureComponent(const ScoreWeights& w, int open_proposals) {
  return std::clamp(open_proposals / w.exposure_saturation, 0.0, 1.0);
}
inline double TotalScore(const ScoreWeights& w, double skill_fit, double distance, double priority, double waiting,
                         double hours, double exposure) {
  const double sum = w.skill + w.distance + w.priority + w.waiting + w.hours;
  const double positive = sum > 0.0 ? (w.skill * skill_fit + w.distance * distance + w.priority * priority +
                                       w.waiting * waiting + w.hours * hours) /
                                          sum
                                    : 0.0;
  return std::clamp(positive - w.exposure * exposure, 0.0, 1.0);
}

// components.priority_public when the verdict's basis rests on it (verdict.matched), else nullopt:
// a valid criterion outside the basis is none of the facilitator's business (docs/privacy.md).
std::optional<model::Criterion> NameablePriorityPublic(const ScoreComponents& c, const EligibilityVerdict& verdict);

// The contract's priority publics, or the configured default when it lists none.
model::CriterionSet PriorityPublics(const model::Contract& c, const ScoreWeights& w);

int WaitingDays(const model::Participant& p, model::Date today);

// Reference path: every input from the model types (slow: resolves codes, embeds skills).
PairInputs PairInputsFor(const model::Referential& ref, const SkillSpace& space, const ScoreWeights& w,
                         const model::Participant& p, const model::Contract& c, const model::Opening& o,
                         model::GeoPoint home, std::uint32_t home_commune, model::GeoPoint worksite,
                         std::uint32_t worksite_commune, const EligibilityVerdict& verdict, model::Date today);

// ---- Reasons -------------------------------------------------------------------------------------

// One human-readable reason. `code` is stable (for JSON consumers), `text` is French, for the
// facilitator: "même appellation : Maçon / Maçonne", "12 km, dans le rayon de 20 km".
struct Reason {
  std::string code;
  std::string text;
  friend bool operator==(const Reason&, const Reason&) = default;
};

std::vector<Reason> BuildReasons(const model::Referential& ref, const PairInputs& in, const ScoreComponents& c,
                                 const EligibilityVerdict& verdict, const model::Opening& o);

// "12,4" — one decimal, French decimal comma.
std::string FormatKm(double km);

}  // namespace clausematch::matcher
