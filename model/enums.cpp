#include "model/enums.hpp"

#include <array>

namespace clausematch::model {
namespace {

template <typename E, std::size_t N>
using Table = std::array<EnumEntry<E>, N>;

constexpr Table<PrescriberKind, 10> kPrescriberKinds{{
    {PrescriberKind::kFranceTravail, "france_travail", "France Travail"},
    {PrescriberKind::kMissionLocale, "mission_locale", "Mission locale"},
    {PrescriberKind::kCapEmploi, "cap_emploi", "Cap emploi"},
    {PrescriberKind::kPlie, "plie", "PLIE"},
    {PrescriberKind::kDepartement, "departement", "Conseil départemental (service RSA)"},
    {PrescriberKind::kSpip, "spip", "SPIP"},
    {PrescriberKind::kAse, "ase", "Aide sociale à l'enfance"},
    {PrescriberKind::kCcas, "ccas", "CCAS / CIAS"},
    {PrescriberKind::kSiae, "siae", "Structure d'insertion (SIAE)"},
    {PrescriberKind::kAutre, "autre", "Autre prescripteur habilité"},
}};
constexpr Table<MobilityMode, 5> kMobilityModes{{
    {MobilityMode::kVoiture, "voiture", "Voiture"},
    {MobilityMode::kTransportsEnCommun, "transports_en_commun", "Transports en commun"},
    {MobilityMode::kDeuxRoues, "deux_roues", "Deux-roues motorisé"},
    {MobilityMode::kVelo, "velo", "Vélo"},
    {MobilityMode::kMarche, "marche", "À pied"},
}};
constexpr Table<ParticipantStatus, 4> kParticipantStatuses{{
    {ParticipantStatus::kActive, "active", "En recherche"},
    {ParticipantStatus::kPlaced, "placed", "En poste"},
    {ParticipantStatus::kSuspended, "suspended", "Suspendu"},
    {ParticipantStatus::kWithdrawn, "withdrawn", "Sorti du dispositif"},
}};
constexpr Table<ClauseType, 5> kClauseTypes{{
    {ClauseType::kConditionExecution, "condition_execution", "Condition d'exécution (L2112-2)"},
    {ClauseType::kCritereAttribution, "critere_attribution", "Critère d'attribution (L2152-7)"},
    {ClauseType::kMarcheReserveSiae, "marche_reserve_siae", "Marché réservé aux SIAE (L2113-13)"},
    {ClauseType::kMarcheReserveHandicap, "marche_reserve_handicap", "Marché réservé EA/ESAT (L2113-12)"},
    {ClauseType::kMarcheInsertion, "marche_insertion", "Marché d'insertion (R2123-1)"},
}};
constexpr Table<ContractType, 12> kContractTypes{{
    {ContractType::kCdd, "cdd", "CDD"},
    {ContractType::kCdi, "cdi", "CDI"},
    {ContractType::kCddi, "cddi", "CDDI (contrat à durée déterminée d'insertion)"},
    {ContractType::kInterimEtti, "interim_etti", "Mission d'intérim d'insertion (ETTI)"},
    {ContractType::kInterim, "interim", "Mission d'intérim"},
    {ContractType::kGeiq, "geiq", "Contrat GEIQ (professionnalisation)"},
    {ContractType::kMiseADispositionAi, "mise_a_disposition_ai", "Mise à disposition (AI)"},
    {ContractType::kApprentissage, "apprentissage", "Contrat d'apprentissage"},
    {ContractType::kProfessionnalisation, "professionnalisation", "Contrat de professionnalisation"},
    {ContractType::kPec, "pec", "PEC (parcours emploi compétences, contrat aidé)"},
    {ContractType::kCdiChantier, "cdi_chantier", "CDI de chantier ou d'opération"},
    {ContractType::kEsatSoutien, "esat_soutien", "Contrat de soutien et d'aide par le travail (ESAT)"},
}};
constexpr Table<FulfilmentRoute, 7> kRoutes{{
    {FulfilmentRoute::kEmbaucheDirecte, "embauche_directe", "Embauche directe"},
    {FulfilmentRoute::kEtti, "etti", "Mise à disposition par une ETTI"},
    {FulfilmentRoute::kGeiq, "geiq", "Recours à un GEIQ"},
    {FulfilmentRoute::kAi, "ai", "Mise à disposition par une AI"},
    {FulfilmentRoute::kSousTraitanceSiae, "sous_traitance_siae", "Sous-traitance à une SIAE (EI, ACI)"},
    {FulfilmentRoute::kEa, "ea", "Entreprise adaptée (marché réservé L2113-12)"},
    {FulfilmentRoute::kEsat, "esat", "ESAT (marché réservé L2113-12)"},
}};
constexpr Table<ContractStatus, 3> kContractStatuses{{
    {ContractStatus::kDraft, "draft", "En préparation"},
    {ContractStatus::kOpen, "open", "En cours"},
    {ContractStatus::kClosed, "closed", "Clôturé"},
}};
constexpr Table<OpeningStatus, 4> kOpeningStatuses{{
    {OpeningStatus::kDraft, "draft", "En préparation"},
    {OpeningStatus::kOpen, "open", "Ouverte"},
    {OpeningStatus::kFilled, "filled", "Pourvue"},
    {OpeningStatus::kClosed, "closed", "Fermée"},
}};
constexpr Table<PlacementStatus, 5> kPlacementStatuses{{
    {PlacementStatus::kProposed, "proposed", "Proposé (mise en relation)"},
    {PlacementStatus::kAccepted, "accepted", "Accepté par le facilitateur"},
    {PlacementStatus::kDeclined, "declined", "Refusé"},
    {PlacementStatus::kHired, "hired", "Embauché"},
    {PlacementStatus::kEnded, "ended", "Terminé"},
}};
constexpr Table<Outcome, 9> kOutcomes{{
    {Outcome::kEmploiDurable, "emploi_durable", "Emploi durable (CDI, CDD ou intérim de 6 mois et plus)"},
    {Outcome::kEmploiTransition, "emploi_transition", "Emploi de transition (CDD ou intérim de moins de 6 mois)"},
    {Outcome::kFormationQualifiante, "formation_qualifiante", "Formation qualifiante ou pré-qualifiante"},
    {Outcome::kAutre, "autre", "Autre sortie"},
    {Outcome::kEmbaucheAutreSiae, "embauche_autre_siae", "Embauche dans une autre SIAE"},
    {Outcome::kAutreSortiePositive, "autre_sortie_positive", "Autre sortie reconnue positive"},
    {Outcome::kDemandeurEmploi, "demandeur_emploi", "Demandeur d'emploi"},
    {Outcome::kInactif, "inactif", "Inactif"},
    {Outcome::kSansNouvelles, "sans_nouvelles", "Sans nouvelles"},
}};
constexpr Table<OutcomeCategory, 4> kOutcomeCategories{{
    {OutcomeCategory::kEmploiDurable, "sortie_emploi_durable", "Sorties vers l'emploi durable"},
    {OutcomeCategory::kEmploiTransition, "sortie_emploi_transition", "Sorties vers un emploi de transition"},
    {OutcomeCategory::kSortiePositive, "sortie_positive", "Sorties positives"},
    {OutcomeCategory::kAutreSortie, "autre_sortie", "Autres sorties"},
}};
constexpr Table<Sex, 3> kSexes{{
    {Sex::kNonRenseigne, "non_renseigne", "Non renseigné"},
    {Sex::kFemme, "femme", "Femme"},
    {Sex::kHomme, "homme", "Homme"},
}};
constexpr Table<Licence, 9> kLicences{{
    {Licence::kAm, "AM", "Permis AM (cyclomoteur)"},
    {Licence::kA, "A", "Permis A"},
    {Licence::kB, "B", "Permis B"},
    {Licence::kBe, "BE", "Permis BE"},
    {Licence::kC, "C", "Permis C (poids lourd)"},
    {Licence::kCe, "CE", "Permis CE"},
    {Licence::kD, "D", "Permis D (transport en commun)"},
    {Licence::kDe, "DE", "Permis DE"},
    {Licence::kCaces, "CACES", "CACES (engins de chantier ou de manutention)"},
}};

}  // namespace

std::span<const EnumEntry<PrescriberKind>> Entries(PrescriberKind) { return kPrescriberKinds; }
std::span<const EnumEntry<MobilityMode>> Entries(MobilityMode) { return kMobilityModes; }
std::span<const EnumEntry<ParticipantStatus>> Entries(ParticipantStatus) { return kParticipantStatuses; }
std::span<const EnumEntry<Sex>> Entries(Sex) { return kSexes; }
std::span<const EnumEntry<ClauseType>> Entries(ClauseType) { return kClauseTypes; }
std::span<const EnumEntry<ContractType>> Entries(ContractType) { return kContractTypes; }
std::span<const EnumEntry<FulfilmentRoute>> Entries(FulfilmentRoute) { return kRoutes; }
std::span<const EnumEntry<ContractStatus>> Entries(ContractStatus) { return kContractStatuses; }
std::span<const EnumEntry<OpeningStatus>> Entries(OpeningStatus) { return kOpeningStatuses; }
std::span<const EnumEntry<PlacementStatus>> Entries(PlacementStatus) { return kPlacementStatuses; }
std::span<const EnumEntry<Outcome>> Entries(Outcome) { return kOutcomes; }
std::span<const EnumEntry<OutcomeCategory>> Entries(OutcomeCategory) { return kOutcomeCategories; }
std::span<const EnumEntry<Licence>> Entries(Licence) { return kLicences; }

OutcomeCategory CategoryOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kEmploiDurable:
      return OutcomeCategory::kEmploiDurable;
    case Outcome::kEmploiTransition:
      return OutcomeCategory::kEmploiTransition;
    case Outcome::kFormationQualifiante:
    case Outcome::kEmbaucheAutreSiae:
    case Outcome::kAutreSortiePositive:
      return OutcomeCategory::kSortiePositive;
    case Outcome::kAutre:
    case Outcome::kDemandeurEmploi:
    case Outcome::kInactif:
    case Outcome::kSansNouvelles:
      return OutcomeCategory::kAutreSortie;
  }
  return OutcomeCategory::kAutreSortie;
}

std::string_view LegalBasis(ClauseType type) {
  switch (type) {
    case ClauseType::kConditionExecution:
      return "L2112-2";
    case ClauseType::kCritereAttribution:
      return "L2152-7";
    case ClauseType::kMarcheReserveSiae:
      return "L2113-13";
    case ClauseType::kMarcheReserveHandicap:
      return "L2113-12";
    case ClauseType::kMarcheInsertion:
      return "R2123-1";
  }
  return {};
}

}  // namespace clausematch::model
