#pragma once
// Eligibility of a participant for an opening, judged at the hire date.
//
// Rules (../shared/DOMAIN.md, docs/scoring.md):
//   hire date   H = max(today, opening.start): the start date, or today for an opening already
//               under way (nobody can be hired in the past).
//   valid(c, H) for a document criterion: a proof valid at H (model::ProofValidity: the period of
//               the criterion's validity kind from the proof date, bounded by valid_until; the
//               last-day convention is model::LastDayOfPeriod); for the age criteria (jeune,
//               senior): always derived from the birth date, AgeAt(birth, H) < 26 resp. >= 50,
//               declared or not.
//   publics     eligible when one of
//                 (a) valid criteria ∩ contract.accepted_publics ≠ ∅           (clause public)
//                 (b) a valid IAE level-1 criterion                             (IAE sufficiency)
//                 (c) at least contract.iae_level2_required valid level-2 ones  (IAE sufficiency)
//                     ((b) and (c) when contract.accepts_iae_eligibility)
//                 (d) a derogation granted g with g <= H <= LastDayOfPeriod(g, 6), when the
//                     contract accepts derogations                              (derogation)
//   hard rules  active status, consent, available_from <= H, not already placed over the
//               opening's period, not already on this opening, a valid QPV proof for QPV-only
//               contracts (contract.qpv_only), every required licence held.
//
// The refusal is the first failing rule in the order of ExclusionReason (reach is checked by the
// caller, see reach.hpp). When the publics rule fails, the reason says whether the person would
// qualify by age as of today (kAgeAtHire) or with renewed proofs (kProofExpired), since both are
// things a facilitator can act on or must explain.
//
// Complexity: O(number of declared criteria) per call, no allocation.
#include <cstdint>
#include <optional>
#include <string_view>

#include "matcher/exclusion.hpp"
#include "model/contract.hpp"
#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/participant.hpp"

namespace clausematch::matcher {

model::Date HireDate(const model::Opening& opening, model::Date today);

// True when the proof of a document criterion is valid at `at` (false for a missing proof date).
bool ProofValidAt(const model::CriterionProof& proof, model::Date at);
// Every criterion the participant meets at `at`: valid document proofs plus the age criteria.
model::CriterionSet ValidCriteriaAt(const model::Participant& p, model::Date at);
bool DerogationValidAt(const model::Participant& p, model::Date at);

// What the placements say about this participant and this opening (computed by the caller, who
// holds the placements).
struct PlacementFacts {
  bool on_this_opening = false;        // a placement on this opening, whatever its status
  bool placed_during_opening = false;  // accepted or hired elsewhere over an overlapping period
};

enum class EligibilityBasis : std::uint8_t { kNone, kClausePublic, kIaeLevel1, kIaeLevel2, kDerogation };
// Stable code ("clause_public", "iae_level1", "iae_level2", "derogation", "none").
std::string_view Code(EligibilityBasis basis);

struct EligibilityVerdict {
  std::optional<ExclusionReason> refusal;  // nullopt: eligible
  EligibilityBasis basis = EligibilityBasis::kNone;
  model::CriterionSet valid;    // criteria met at the hire date
  model::CriterionSet matched;  // the criteria the basis rests on (empty for a derogation)
  model::Date hire_date;
  [[nodiscard]] bool eligible() const { return !refusal.has_value(); }
};

// Which publics rule (a)-(d) admits someone with `valid` criteria; kNone when none does.
// `matched` receives the criteria the basis rests on.
EligibilityBasis PublicsBasis(model::CriterionSet valid, bool derogation_valid, const model::Contract& contract,
                              model::CriterionSet* matched = nullptr);

EligibilityVerdict CheckEligibility(const model::Participant& p, const model::Contract& contract,
                                    const model::Opening& opening, model::Date today, const PlacementFacts& facts = {});

// The first day on which someone born on `birth` is `years` old, with AgeAt's convention (born
// on 29 February: 1 March in common years).
model::Date NthBirthday(model::Date birth, int years);

// Level sets of the IAE criteria.
model::CriterionSet IaeLevel1();
model::CriterionSet IaeLevel2();

}  // namespace clausematch::matcher
