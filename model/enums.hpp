#pragma once
// The small closed vocabularies of the field, each with a stable code (CSV, JSON, database) and a
// French label. Parse* return nullopt on an unknown code so callers can say which field was wrong.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace clausematch::model {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view code;
  std::string_view label;
};

enum class PrescriberKind : std::uint8_t {
  kFranceTravail,
  kMissionLocale,
  kCapEmploi,
  kPlie,
  kDepartement,
  kSpip,
  kAse,
  kCcas,
  kSiae,
  kAutre
};
enum class MobilityMode : std::uint8_t { kVoiture, kTransportsEnCommun, kDeuxRoues, kVelo, kMarche };
enum class ParticipantStatus : std::uint8_t { kActive, kPlaced, kSuspended, kWithdrawn };
// A participant's sex, as funders' reports (FSE+, Départements) break every figure down by it.
// Optional: kNonRenseigne when the person did not say or the prescriber did not record it. Never
// read by matching or scores (docs/privacy.md).
enum class Sex : std::uint8_t { kNonRenseigne, kFemme, kHomme };
// Legal basis of the clause (Code de la commande publique).
enum class ClauseType : std::uint8_t {
  kConditionExecution,     // L2112-2, the usual case
  kCritereAttribution,     // L2152-7
  kMarcheReserveSiae,      // L2113-13
  kMarcheReserveHandicap,  // L2113-12
  kMarcheInsertion,        // R2123-1, insertion service contract
};
// The contract under which a person works hours that count (docs/lifecycle.md, "Routes and
// contracts": which hours count for each). Values are appended, never reordered (binary format).
enum class ContractType : std::uint8_t {
  kCdd,
  kCdi,
  kCddi,
  kInterimEtti,
  kInterim,
  kGeiq,
  kMiseADispositionAi,
  kApprentissage,
  kProfessionnalisation,
  kPec,          // parcours emploi compétences (contrat aidé, CUI-CAE), non-market employers
  kCdiChantier,  // CDI de chantier ou d'opération (Code du travail L1223-8)
  // An ESAT worker's "contrat de soutien et d'aide par le travail" (CASF L311-4): not an employment
  // contract (the worker is a user of a medico-social service); the ESAT is named as the employer.
  kEsatSoutien
};
// How a company fulfils its clause for a given hire. Values are appended, never reordered.
// kEa and kEsat: the disabled workers of an entreprise adaptée or an ESAT on a contract reserved to
// them (L2113-12, ClauseType::kMarcheReserveHandicap), and on no other contract.
enum class FulfilmentRoute : std::uint8_t { kEmbaucheDirecte, kEtti, kGeiq, kAi, kSousTraitanceSiae, kEa, kEsat };
enum class ContractStatus : std::uint8_t { kDraft, kOpen, kClosed };
enum class OpeningStatus : std::uint8_t { kDraft, kOpen, kFilled, kClosed };
enum class PlacementStatus : std::uint8_t { kProposed, kAccepted, kDeclined, kHired, kEnded };
// Situation 6 or 12 months after entering the clause, in the IAE's exit categories (DGEFP; see
// OutcomeCategory and docs/lifecycle.md). Values are appended, never reordered: the first four keep
// their codes and meaning (kAutre: another exit that is not a dynamic one).
enum class Outcome : std::uint8_t {
  kEmploiDurable,         // CDI, CDD or temp work of 6 months or more, civil service, own business
  kEmploiTransition,      // CDD or temp work under 6 months, subsidised contract with an ordinary employer
  kFormationQualifiante,  // entering (pre-)qualifying training
  kAutre,                 // another exit, not a dynamic one (moved away, illness, ...)
  kEmbaucheAutreSiae,     // hired by another SIAE
  kAutreSortiePositive,   // another exit the facilitator's funder recognises as positive
  kDemandeurEmploi,       // looking for work (job seeker)
  kInactif,               // inactive
  kSansNouvelles,         // no news
};
// The DGEFP's exit categories. "Sorties dynamiques" = the first three (IsSortieDynamique).
enum class OutcomeCategory : std::uint8_t { kEmploiDurable, kEmploiTransition, kSortiePositive, kAutreSortie };
// The category of an outcome: durable and transition jobs are their own; qualifying training, a hire
// by another SIAE and other positive exits are "sorties positives"; the rest "autres sorties".
OutcomeCategory CategoryOf(Outcome outcome);
[[nodiscard]] constexpr bool IsSortieDynamique(OutcomeCategory c) { return c != OutcomeCategory::kAutreSortie; }

std::span<const EnumEntry<PrescriberKind>> Entries(PrescriberKind);
std::span<const EnumEntry<MobilityMode>> Entries(MobilityMode);
std::span<const EnumEntry<ParticipantStatus>> Entries(ParticipantStatus);
std::span<const EnumEntry<Sex>> Entries(Sex);
std::span<const EnumEntry<ClauseType>> Entries(ClauseType);
std::span<const EnumEntry<ContractType>> Entries(ContractType);
std::span<const EnumEntry<FulfilmentRoute>> Entries(FulfilmentRoute);
std::span<const EnumEntry<ContractStatus>> Entries(ContractStatus);
std::span<const EnumEntry<OpeningStatus>> Entries(OpeningStatus);
std::span<const EnumEntry<PlacementStatus>> Entries(PlacementStatus);
std::span<const EnumEntry<Outcome>> Entries(Outcome);
std::span<const EnumEntry<OutcomeCategory>> Entries(OutcomeCategory);

template <typename E>
std::string_view Code(E value) {
  for (const auto& e : Entries(E{}))
    if (e.value == value) return e.code;
  return {};
}
template <typename E>
std::string_view Label(E value) {
  for (const auto& e : Entries(E{}))
    if (e.value == value) return e.label;
  return {};
}
template <typename E>
std::optional<E> ParseEnum(std::string_view code) {
  for (const auto& e : Entries(E{}))
    if (e.code == code) return e.value;
  return std::nullopt;
}

// Legal article of a clause type, e.g. "L2112-2".
std::string_view LegalBasis(ClauseType type);

// Driving licences and the like (permis), as a bitmask.
enum class Licence : std::uint8_t { kAm, kA, kB, kBe, kC, kCe, kD, kDe, kCaces };
std::span<const EnumEntry<Licence>> Entries(Licence);

class LicenceSet {
 public:
  constexpr LicenceSet() = default;
  constexpr void insert(Licence l) { bits_ = static_cast<std::uint16_t>(bits_ | Bit(l)); }
  [[nodiscard]] constexpr bool contains(Licence l) const { return (bits_ & Bit(l)) != 0; }
  // True when every licence in `required` is held.
  [[nodiscard]] constexpr bool covers(LicenceSet required) const { return (required.bits_ & ~bits_) == 0; }
  [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint16_t bits() const { return bits_; }
  static constexpr LicenceSet FromBits(std::uint16_t b) {
    LicenceSet s;
    s.bits_ = b;
    return s;
  }
  friend constexpr bool operator==(LicenceSet, LicenceSet) = default;

 private:
  static constexpr std::uint16_t Bit(Licence l) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(l)); }
  std::uint16_t bits_ = 0;
};

}  // namespace clausematch::model
