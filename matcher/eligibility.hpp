#pragma once
// Eligibility of a participant for an opening, judged at the hire date, as a facilitator judges
// it: eligible; eligible subject to renewal (a proof valid today lapses before the hire and must
// be renewed by then); not eligible. Full statement with examples: docs/scoring.md.
//
//   today T     the reference date (MatcherOptions::today).
//   hire date   H = max(T, opening.start): the start date, or today for an opening already
//               under way (nobody can be hired in the past).
//   periods     model/validity.hpp: a proof is valid on the days of ProofValidity (its kind's
//               period from the proof date, bounded by valid_until; last-day convention in
//               model::LastDayOfPeriod); the age criteria (jeune, senior) come from the birth date
//               at H, AgeAt(birth, H) < 26 resp. >= 50, declared or not.
//   route       the opening's contract_type. IAE routes: interim_etti and mise_a_disposition_ai
//               (level-2 threshold 2), cddi (EI/ACI, threshold 3); any other route uses the
//               contract's iae_level2_required. contract.accepts_iae_eligibility opens (b)/(c).
//   diagnosis   on an IAE route, a prescriber's diagnosis valid at H (6 months from its date)
//               freezes the IAE criteria met on its date (DiagnosedCriteria): they count at H
//               even when their own proofs lapse before H, as on the State's IAE platform.
//   criteria    valid(H)       = documents valid at H | ages at H | diagnosed criteria (IAE route,
//                                diagnosis valid at H)
//               renewable      = documents valid at T whose proof lapses before H, minus valid(H)
//   publics     rules (a)-(d), PublicsBasis:
//                 (a) criteria ∩ contract.accepted_publics ≠ ∅                    (clause public)
//                 (b) an IAE level-1 criterion, when the IAE path is open          (IAE sufficiency)
//                 (c) at least the route's threshold of level-2 criteria, idem     (IAE sufficiency)
//                 (d) a derogation valid at H, when the contract accepts them      (derogation)
//               Unconditional first: when valid(H) (with the derogation) satisfies a rule, the
//               person is eligible without condition, even if a renewable criterion would give
//               another basis. Otherwise, when valid(H) | renewable satisfies one, the person is
//               eligible subject to renewal: the conditions are the fewest renewable criteria the
//               basis needs (one for (a) and (b), the missing count for (c)), taken in criterion
//               order (RSA first); only those must be renewed.
//   hard rules  active status, consent, available_from <= H, not already placed over the
//               opening's period, not already on this opening, every required licence held, and
//               for a QPV-only contract a QPV criterion: valid at H, or renewable (then one more
//               condition: renew the QPV proof before H), else not_qpv_resident.
//   priority    priority publics and quotas count valid(H) | renewable: a renewable criterion
//   & quotas    counts provisionally (EligibilityVerdict::provisional says which).
//
// A proof that had already lapsed today refuses: when the publics rule fails, the reason says
// whether the person would qualify by age as of today (kAgeAtHire) or with renewed proofs
// (kProofExpired), since both are things a facilitator can act on or must explain. The refusal is
// the first failing rule in the order of ExclusionReason (reach is checked by the caller, see
// reach.hpp).
//
// Complexity: O(number of declared criteria) per call; no allocation (conditions() allocates).
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/exclusion.hpp"
#include "model/contract.hpp"
#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/participant.hpp"

namespace clausematch::matcher {

model::Date HireDate(const model::Opening& opening, model::Date today);

// True when the proof of a document criterion is valid at `at` (false for a missing proof date
// and for the age criteria, which have no proof).
bool ProofValidAt(const model::CriterionProof& proof, model::Date at);
// Every criterion the participant meets at `at`: valid document proofs plus the age criteria.
model::CriterionSet ValidCriteriaAt(const model::Participant& p, model::Date at);
bool DerogationValidAt(const model::Participant& p, model::Date at);
bool DiagnosisValidAt(const model::Participant& p, model::Date at);
// The IAE criteria (level 1 and 2) met on the diagnosis date: proofs valid on that day (hence
// dated on or before it) and the age criteria at that day. Empty without a diagnosis.
model::CriterionSet DiagnosedCriteria(const model::Participant& p);

// The IAE routes: an ETTI mission (interim_etti), an AI placement (mise_a_disposition_ai), an
// EI/ACI insertion contract (cddi).
bool IsIaeRoute(model::ContractType route);
// Level-2 criteria needed for IAE sufficiency on `route`: 2 for an ETTI or an AI, 3 for a CDDI,
// the contract's iae_level2_required otherwise.
int Level2Threshold(const model::Contract& contract, model::ContractType route);

// What the publics rules (a)-(d) and the QPV-only rule look at, for one contract and route.
struct PublicsRules {
  model::CriterionSet accepted;  // (a) contract.accepted_publics
  bool iae = true;               // (b) and (c) open: contract.accepts_iae_eligibility
  int level2 = 2;                // (c) threshold, Level2Threshold
  bool derogation = true;        // (d) contract.accepts_derogation
  bool iae_route = false;        // the diagnosis freezes IAE criteria (IsIaeRoute)
  bool qpv_only = false;         // contract.qpv_only
};
PublicsRules RulesFor(const model::Contract& contract, const model::Opening& opening);
// Without an opening: the contract's own threshold, no IAE route.
PublicsRules RulesFor(const model::Contract& contract);

// What the placements say about this participant and this opening (computed by the caller, who
// holds the placements).
struct PlacementFacts {
  bool on_this_opening = false;        // a placement on this opening, whatever its status
  bool placed_during_opening = false;  // accepted or hired elsewhere over an overlapping period
};

enum class EligibilityBasis : std::uint8_t { kNone, kClausePublic, kIaeLevel1, kIaeLevel2, kDerogation };
// Stable code ("clause_public", "iae_level1", "iae_level2", "derogation", "none").
std::string_view Code(EligibilityBasis basis);

// The three-way verdict. Stable codes: "eligible", "eligible_subject_to_renewal", "not_eligible".
enum class VerdictKind : std::uint8_t { kEligible, kEligibleSubjectToRenewal, kNotEligible };
std::string_view Code(VerdictKind kind);

// Something that must happen before the hire for the verdict to hold.
enum class ConditionCode : std::uint8_t {
  kProofToRenew,  // "proof_to_renew": bring a fresh proof of `criterion` before `renew_by`
};
std::string_view Code(ConditionCode code);

struct Condition {
  ConditionCode code = ConditionCode::kProofToRenew;
  model::Criterion criterion = model::Criterion::kRsa;
  model::Date renew_by;  // the hire date
  friend bool operator==(const Condition&, const Condition&) = default;
};
// The facilitator's sentence, in French: "justificatif « Bénéficiaire du RSA » à actualiser avant
// l'embauche du 15/01/2027".
std::string Text(const Condition& condition);

struct EligibilityVerdict {
  std::optional<ExclusionReason> refusal;  // nullopt: eligible (perhaps subject to renewal)
  EligibilityBasis basis = EligibilityBasis::kNone;
  model::CriterionSet valid;         // criteria met at the hire date without condition
  model::CriterionSet provisional;   // renewable: valid today, lapsing before the hire (not in valid)
  model::CriterionSet matched;       // the criteria the basis rests on (empty for a derogation)
  model::CriterionSet to_renew;      // ⊆ provisional: the proofs to renew before the hire
  model::CriterionSet by_diagnosis;  // ⊆ valid: criteria that hold at the hire only by the diagnosis
  model::Date hire_date;

  [[nodiscard]] bool eligible() const { return !refusal.has_value(); }
  [[nodiscard]] bool conditional() const { return eligible() && !to_renew.empty(); }
  [[nodiscard]] VerdictKind kind() const {
    return !eligible() ? VerdictKind::kNotEligible
                       : (to_renew.empty() ? VerdictKind::kEligible : VerdictKind::kEligibleSubjectToRenewal);
  }
  // The criteria priority publics and quotas count: valid ones, and renewable ones provisionally.
  [[nodiscard]] model::CriterionSet counted() const { return valid | provisional; }
  // One proof_to_renew condition per criterion of to_renew, in criterion order, renew_by the hire
  // date; empty unless eligible subject to renewal.
  [[nodiscard]] std::vector<Condition> conditions() const;
  friend bool operator==(const EligibilityVerdict&, const EligibilityVerdict&) = default;
};

// Which publics rule (a)-(d) admits someone with `valid` criteria; kNone when none does.
// `matched` receives the criteria the basis rests on.
EligibilityBasis PublicsBasis(model::CriterionSet valid, bool derogation_valid, const PublicsRules& rules,
                              model::CriterionSet* matched = nullptr);
// The same with the contract's own rules (RulesFor(contract): no route).
EligibilityBasis PublicsBasis(model::CriterionSet valid, bool derogation_valid, const model::Contract& contract,
                              model::CriterionSet* matched = nullptr);

// The publics and QPV-only rules on criteria split into valid ones and renewable ones (see the
// header comment): the basis, what it rests on, and the criteria to renew. Shared by
// CheckEligibility and the matcher's compiled path.
struct PublicsDecision {
  EligibilityBasis basis = EligibilityBasis::kNone;
  model::CriterionSet matched;
  model::CriterionSet to_renew;
  bool not_qpv = false;  // a basis, but a QPV-only contract and no QPV criterion valid or renewable
};
PublicsDecision DecidePublics(model::CriterionSet valid, model::CriterionSet renewable, bool derogation_valid,
                              const PublicsRules& rules);

// DecidePublics as far as the candidate graph needs it, on criterion bits: whether the publics and
// QPV-only rules admit someone, and whether subject to renewal. A few bit operations per pair, for
// the batch's hot loop; the tests hold it against DecidePublics.
struct CompiledPublicsRules {
  std::uint32_t accepted = 0;  // (a)
  std::uint32_t level1 = 0;    // (b): IaeLevel1() when the IAE path is open, else empty
  std::uint32_t level2 = 0;    // (c): IaeLevel2() when the IAE path is open, else empty
  int level2_needed = 1;       // max(1, rules.level2)
  bool derogation = false;     // (d)
  bool qpv_only = false;

  static CompiledPublicsRules From(const PublicsRules& rules);
  // PublicsBasis(valid, derogation_valid, rules) != kNone.
  [[nodiscard]] bool Admits(std::uint32_t valid, bool derogation_valid) const {
    return (valid & accepted) != 0 || (valid & level1) != 0 || std::popcount(valid & level2) >= level2_needed ||
           (derogation_valid && derogation);
  }
  enum Outcome : std::uint8_t { kRefused, kEligible, kSubjectToRenewal };
  // DecidePublics(valid, renewable, derogation_valid, rules): kRefused when its basis is kNone or
  // not_qpv, kSubjectToRenewal when its to_renew is not empty, else kEligible.
  [[nodiscard]] Outcome Decide(std::uint32_t valid, std::uint32_t renewable, bool derogation_valid) const {
    constexpr std::uint32_t kQpvBit = model::CriterionSet{model::Criterion::kQpv}.bits();
    bool renew = false;
    if (!Admits(valid, derogation_valid)) {
      if (!Admits(valid | renewable, false)) return kRefused;
      renew = true;  // (a), (b) or (c) with renewable criteria: at least one to renew
    }
    if (qpv_only && (valid & kQpvBit) == 0) {
      if ((renewable & kQpvBit) == 0) return kRefused;
      renew = true;
    }
    return renew ? kSubjectToRenewal : kEligible;
  }
};

// The reference implementation, on model types. `today` is the reference date T.
EligibilityVerdict CheckEligibility(const model::Participant& p, const model::Contract& contract,
                                    const model::Opening& opening, model::Date today, const PlacementFacts& facts = {});

// The first day on which someone born on `birth` is `years` old, with AgeAt's convention (born
// on 29 February: 1 March in common years).
model::Date NthBirthday(model::Date birth, int years);

// Level sets of the IAE criteria.
model::CriterionSet IaeLevel1();
model::CriterionSet IaeLevel2();

}  // namespace clausematch::matcher
