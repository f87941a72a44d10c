#pragma once
// Why a participant is left out of an opening's candidates. The enumerators are listed in the
// order the rules are applied: a person failing several rules is counted once, under the first
// one (see docs/scoring.md, "Exclusion order"). Codes are stable strings for JSON and reports.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace clausematch::matcher {

enum class ExclusionReason : std::uint8_t {
  kNoLocation,        // neither coordinates nor a known home commune
  kOutOfReach,        // farther than min(person's radius, opening's max distance), other commune
  kWithdrawn,         // status withdrawn
  kSuspended,         // status suspended (follow-up paused by the prescriber)
  kAlreadyPlaced,     // status placed, or hired/accepted on a placement overlapping the opening
  kAlreadyOnOpening,  // already proposed, accepted, hired or declined on this very opening
  kNoConsent,         // no consent to be proposed
  kNotAvailable,      // available only after the hire date
  kAgeAtHire,         // would qualify by age today, no longer (or not yet) at the hire date
  kProofExpired,      // would qualify with valid proofs: a proof or the derogation has expired
  kNoAcceptedPublic,  // no accepted public, no IAE sufficiency, no derogation
  kNotQpvResident,    // QPV-only opening and no QPV proof valid at the hire date
  kMissingLicence,    // lacks a driving licence (or CACES) the opening requires
};

inline constexpr std::size_t kExclusionReasonCount = 13;

struct ExclusionInfo {
  ExclusionReason reason;
  std::string_view code;      // "out_of_reach"
  std::string_view label_en;  // "out of reach of the worksite"
  std::string_view label_fr;  // "hors de portée du chantier"
};

const ExclusionInfo& Info(ExclusionReason r);
std::span<const ExclusionInfo> AllExclusionReasons();
std::optional<ExclusionReason> ParseExclusionReason(std::string_view code);
inline std::string_view Code(ExclusionReason r) { return Info(r).code; }

// One counter per reason, indexed by the enum value.
using ExclusionCounts = std::array<std::uint32_t, kExclusionReasonCount>;

}  // namespace clausematch::matcher
