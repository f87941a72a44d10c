#include "model/criteria.hpp"

namespace clausematch::model {
namespace {

using L = CriterionLevel;
using P = ProofKind;
using V = ValidityKind;

// Validity per docs/scoring.md ("Validity of proofs"): 3 months for the situations that change
// month to month, 6 for a place of residence and the other durable situations, 12 for leaving
// child welfare, a date for decisions and titles, 24 months for a PASS IAE.
constexpr std::array<CriterionInfo, kCriterionCount> kTable{{
    {Criterion::kRsa, "rsa", "Bénéficiaire du RSA", L::kLevel1, P::kDocument, V::kMonths, 3},
    {Criterion::kAss, "ass", "Bénéficiaire de l'ASS", L::kLevel1, P::kDocument, V::kMonths, 3},
    {Criterion::kAah, "aah", "Bénéficiaire de l'AAH", L::kLevel1, P::kDocument, V::kMonths, 3},
    {Criterion::kDetld, "detld", "Demandeur d'emploi de très longue durée (24 mois et plus)", L::kLevel1, P::kDocument,
     V::kMonths, 3},
    {Criterion::kJeune, "jeune", "Jeune de moins de 26 ans", L::kLevel2, P::kAge, V::kAge, 0},
    {Criterion::kSenior, "senior", "Senior (50 ans et plus)", L::kLevel2, P::kAge, V::kAge, 0},
    {Criterion::kAse, "ase", "Sortant de l'Aide sociale à l'enfance (ASE)", L::kLevel2, P::kDocument, V::kMonths, 12},
    {Criterion::kDeld, "deld", "Demandeur d'emploi de longue durée (12 à 24 mois)", L::kLevel2, P::kDocument,
     V::kMonths, 3},
    {Criterion::kRqth, "rqth", "Travailleur handicapé (RQTH)", L::kLevel2, P::kDocument, V::kUntilDate, 3},
    {Criterion::kParentIsole, "parent_isole", "Parent isolé", L::kLevel2, P::kDocument, V::kMonths, 3},
    {Criterion::kSansHebergement, "sans_hebergement", "Personne sans hébergement", L::kLevel2, P::kDocument, V::kMonths,
     3},
    {Criterion::kRefugie, "refugie", "Réfugié, bénéficiaire de la protection subsidiaire ou temporaire", L::kLevel2,
     P::kDocument, V::kUntilDate, 3},
    {Criterion::kQpv, "qpv", "Résident d'un quartier prioritaire (QPV)", L::kLevel2, P::kDocument, V::kMonths, 6},
    {Criterion::kZrr, "zrr", "Résident ZRR/ZFRR", L::kLevel2, P::kDocument, V::kMonths, 6},
    {Criterion::kSortantDetention, "sortant_detention", "Sortant de détention ou sous main de justice", L::kLevel2,
     P::kDocument, V::kMonths, 6},
    {Criterion::kNiveauFormation, "niveau_formation", "Niveau d'étude 3 (CAP, BEP) ou infra", L::kLevel2, P::kDocument,
     V::kMonths, 3},
    {Criterion::kFrancaisA1, "francais_a1", "Maîtrise du français inférieure au niveau A1", L::kLevel2, P::kDocument,
     V::kMonths, 6},
    {Criterion::kMobilite, "mobilite", "Problème de mobilité", L::kLevel2, P::kDocument, V::kMonths, 6},
    {Criterion::kSalarieSiae, "salarie_siae", "Salarié d'une structure d'insertion (SIAE)", L::kClauseOnly,
     P::kDocument, V::kPassIae, 24},
}};

}  // namespace

const CriterionInfo& Info(Criterion c) { return kTable[static_cast<std::size_t>(c)]; }

std::span<const CriterionInfo> AllCriteria() { return kTable; }

Date LastDayOfPeriod(Date start, int months) { return start.AddMonths(months).AddDays(-1); }

std::optional<Criterion> ParseCriterion(std::string_view code) {
  for (const auto& info : kTable)
    if (info.code == code) return info.criterion;
  return std::nullopt;
}

}  // namespace clausematch::model
