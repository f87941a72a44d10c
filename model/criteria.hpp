#pragma once
// Eligibility criteria: the national IAE administrative criteria (the list used by the State's
// inclusion platform) plus the publics a clause may accept beyond them. See docs/domain.md.
// Codes are stable strings used in CSV, JSON and the database.
//
// How long a proof stays valid depends on the criterion (ValidityKind, docs/scoring.md
// "Validity of proofs"); every period follows one last-day convention (LastDayOfPeriod).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "model/date.hpp"

namespace clausematch::model {

enum class Criterion : std::uint8_t {
  // IAE level 1: one is enough.
  kRsa,    // bénéficiaire du RSA
  kAss,    // allocation de solidarité spécifique
  kAah,    // allocation aux adultes handicapés
  kDetld,  // demandeur d'emploi de très longue durée (24+ months)
  // IAE level 2: several needed (2 or 3 depending on the structure).
  kJeune,             // under 26 (from the birth date)
  kSenior,            // 50 or over (from the birth date)
  kAse,               // leaving child welfare (aide sociale à l'enfance)
  kDeld,              // long-term job seeker, 12-24 months
  kRqth,              // recognised disabled worker (RQTH / TH)
  kParentIsole,       // single parent
  kSansHebergement,   // homeless or without stable housing
  kRefugie,           // refugee, subsidiary or temporary protection (a residence title)
  kQpv,               // resident of a priority neighbourhood (quartier prioritaire de la ville)
  kZrr,               // resident of a rural revitalisation zone (ZRR, now France Ruralités Revitalisation)
  kSortantDetention,  // leaving prison / under justice measure
  kNiveauFormation,   // education level 3 (CAP, BEP) or below
  kFrancaisA1,        // French below A1
  kMobilite,          // mobility problem
  // Clause-only public (not an IAE criterion): already employed in an SIAE (holds a PASS IAE).
  kSalarieSiae,
};

inline constexpr std::size_t kCriterionCount = 19;

enum class CriterionLevel : std::uint8_t { kLevel1, kLevel2, kClauseOnly };

// How a criterion is proven. kAge criteria are computed from the birth date at the hire date.
enum class ProofKind : std::uint8_t { kDocument, kAge };

// How long a proof stays valid, counted from its proof date d (CriterionProof::proof_date).
// A proof's optional valid_until (its document's own end date) bounds the period of every kind
// except kPassIae, where it replaces the default period (a PASS IAE can be extended).
enum class ValidityKind : std::uint8_t {
  kMonths,     // a fixed period: valid through LastDayOfPeriod(d, months) (RSA 3, QPV 6, ASE 12...)
  kUntilDate,  // the document says until when (an RQTH decision, a residence title): valid
               // through valid_until, which every input must give (model::Validate); `months`
               // only serves a store row written before valid_until was required
  kPassIae,    // a PASS IAE: through valid_until when given, else LastDayOfPeriod(d, months = 24)
  kAge,        // no document: derived from the birth date at the hire date
};

struct CriterionInfo {
  Criterion criterion;
  std::string_view code;   // stable code: "rsa", "jeune", ...
  std::string_view label;  // French label a facilitator recognises
  CriterionLevel level;
  ProofKind proof;
  ValidityKind validity;
  int months;  // the period of kMonths and kPassIae, the fallback of kUntilDate (see below); 0 for kAge
};

const CriterionInfo& Info(Criterion c);
std::span<const CriterionInfo> AllCriteria();
std::optional<Criterion> ParseCriterion(std::string_view code);
inline std::string_view Code(Criterion c) { return Info(c).code; }

// Age bounds of the age-based criteria, at the hire date.
inline constexpr int kJeuneMaxAgeExclusive = 26;
inline constexpr int kSeniorMinAge = 50;

// A prescriber's diagnosis (and hence a facilitator derogation resting on it) is valid 6 months.
inline constexpr int kDiagnosisValidityMonths = 6;

// The last-day convention, the same for proofs, diagnoses and derogations: something dated d
// and valid N months is valid on every day D with d <= D <= LastDayOfPeriod(d, N), that is up to
// the day before the same day-of-month N months later (AddMonths clamps 31 January + 1 month to
// the end of February). An attestation dated 2026-10-15 valid 3 months is still "de moins de 3
// mois" on 2027-01-14 and no longer on 2027-01-15. A document's own end date (valid_until) is
// inclusive: valid through that day.
Date LastDayOfPeriod(Date start, int months);

// A small set of criteria as a bitmask (19 values fit in 32 bits).
class CriterionSet {
 public:
  constexpr CriterionSet() = default;
  constexpr CriterionSet(std::initializer_list<Criterion> list) {
    for (auto c : list) insert(c);
  }
  constexpr void insert(Criterion c) { bits_ |= Bit(c); }
  constexpr void erase(Criterion c) { bits_ &= ~Bit(c); }
  [[nodiscard]] constexpr bool contains(Criterion c) const { return (bits_ & Bit(c)) != 0; }
  [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint32_t bits() const { return bits_; }
  [[nodiscard]] int size() const { return __builtin_popcount(bits_); }
  [[nodiscard]] constexpr CriterionSet operator&(CriterionSet o) const { return FromBits(bits_ & o.bits_); }
  [[nodiscard]] constexpr CriterionSet operator|(CriterionSet o) const { return FromBits(bits_ | o.bits_); }
  static constexpr CriterionSet FromBits(std::uint32_t b) {
    CriterionSet s;
    s.bits_ = b;
    return s;
  }
  friend constexpr bool operator==(CriterionSet, CriterionSet) = default;

 private:
  static constexpr std::uint32_t Bit(Criterion c) { return 1u << static_cast<unsigned>(c); }
  std::uint32_t bits_ = 0;
};

}  // namespace clausematch::model
