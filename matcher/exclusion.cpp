#include "matcher/exclusion.hpp"

namespace clausematch::matcher {
namespace {

using R = ExclusionReason;

constexpr std::array<ExclusionInfo, kExclusionReasonCount> kTable{{
    {R::kNoLocation, "no_location", "home location unknown", "lieu de résidence inconnu"},
    {R::kOutOfReach, "out_of_reach", "out of reach of the worksite", "hors de portée du chantier"},
    {R::kWithdrawn, "withdrawn", "withdrawn from follow-up", "sorti du dispositif"},
    {R::kSuspended, "suspended", "follow-up suspended", "accompagnement suspendu"},
    {R::kAlreadyPlaced, "already_placed", "already placed over the opening's period", "déjà en poste sur la période"},
    {R::kAlreadyOnOpening, "already_on_opening", "already proposed on this opening", "déjà proposé sur cette offre"},
    {R::kNoConsent, "no_consent", "no consent to be proposed", "pas de consentement"},
    {R::kNotAvailable, "not_available", "not available by the start date", "pas disponible à la date de début"},
    {R::kAgeAtHire, "age_at_hire", "age criterion no longer met at the start date",
     "critère d'âge non rempli à la date d'embauche"},
    {R::kProofExpired, "proof_expired", "eligibility proof expired at the start date",
     "justificatif d'éligibilité expiré à la date d'embauche"},
    {R::kNoAcceptedPublic, "no_accepted_public", "not in a public the clause accepts", "hors des publics de la clause"},
    {R::kNotQpvResident, "not_qpv_resident", "opening reserved to QPV residents", "offre réservée aux résidents QPV"},
    {R::kMissingLicence, "missing_licence", "lacks a required licence", "permis requis manquant"},
}};

}  // namespace

const ExclusionInfo& Info(ExclusionReason r) { return kTable[static_cast<std::size_t>(r)]; }

std::span<const ExclusionInfo> AllExclusionReasons() { return kTable; }

std::optional<ExclusionReason> ParseExclusionReason(std::string_view code) {
  for (const auto& info : kTable)
    if (info.code == code) return info.reason;
  return std::nullopt;
}

}  // namespace clausematch::matcher
