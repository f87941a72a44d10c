#include "matcher/eligibility.hpp"

#include <algorithm>

#include "model/validity.hpp"

namespace clausematch::matcher {

using model::Criterion;
using model::CriterionSet;
using model::Date;

namespace {

CriterionSet LevelSet(model::CriterionLevel level) {
  CriterionSet s;
  for (const auto& info : model::AllCriteria())
    if (info.level == level) s.insert(info.criterion);
  return s;
}

CriterionSet AgeCriteriaAt(Date birth, Date at) {
  CriterionSet s;
  const int age = model::AgeAt(birth, at);
  if (age < model::kJeuneMaxAgeExclusive) s.insert(Criterion::kJeune);
  if (age >= model::kSeniorMinAge) s.insert(Criterion::kSenior);
  return s;
}

// Document criteria with a proof valid at `at`; with `ignore_expiry`, every dated proof not
// after `at` counts (what the person would have with renewed proofs).
CriterionSet DocumentCriteriaAt(const model::Participant& p, Date at, bool ignore_expiry) {
  CriterionSet s;
  for (const auto& proof : p.criteria) {
    if (model::Info(proof.criterion).proof != model::ProofKind::kDocument) continue;
    const bool ok = ignore_expiry ? (proof.proof_date && *proof.proof_date <= at) : ProofValidAt(proof, at);
    if (ok) s.insert(proof.criterion);
  }
  return s;
}

}  // namespace

CriterionSet IaeLevel1() {
  static const CriterionSet s = LevelSet(model::CriterionLevel::kLevel1);
  return s;
}

CriterionSet IaeLevel2() {
  static const CriterionSet s = LevelSet(model::CriterionLevel::kLevel2);
  return s;
}

std::string_view Code(EligibilityBasis basis) {
  switch (basis) {
    case EligibilityBasis::kClausePublic:
      return "clause_public";
    case EligibilityBasis::kIaeLevel1:
      return "iae_level1";
    case EligibilityBasis::kIaeLevel2:
      return "iae_level2";
    case EligibilityBasis::kDerogation:
      return "derogation";
    case EligibilityBasis::kNone:
      break;
  }
  return "none";
}

Date NthBirthday(Date birth, int years) {
  const Date d = birth.AddYears(years);
  // AddYears clamps 29 February to the 28th; AgeAt only counts the year on 1 March.
  return d.ymd().day() != birth.ymd().day() ? d.AddDays(1) : d;
}

Date HireDate(const model::Opening& opening, Date today) { return std::max(opening.start, today); }

bool ProofValidAt(const model::CriterionProof& proof, Date at) {
  const auto days = model::ProofValidity(proof);
  return days && days->Contains(at);
}

CriterionSet ValidCriteriaAt(const model::Participant& p, Date at) {
  return DocumentCriteriaAt(p, at, false) | AgeCriteriaAt(p.birth_date, at);
}

bool DerogationValidAt(const model::Participant& p, Date at) {
  const auto days = model::DerogationValidity(p);
  return days && days->Contains(at);
}

EligibilityBasis PublicsBasis(CriterionSet valid, bool derogation_valid, const model::Contract& contract,
                              CriterionSet* matched) {
  CriterionSet m = valid & contract.accepted_publics;
  EligibilityBasis basis = EligibilityBasis::kNone;
  if (!m.empty()) {
    basis = EligibilityBasis::kClausePublic;
  } else if (m = valid & IaeLevel1(); contract.accepts_iae_eligibility && !m.empty()) {
    basis = EligibilityBasis::kIaeLevel1;
  } else if (m = valid & IaeLevel2();
             contract.accepts_iae_eligibility && m.size() >= std::max(1, contract.iae_level2_required)) {
    basis = EligibilityBasis::kIaeLevel2;
  } else if (derogation_valid && contract.accepts_derogation) {
    m = {};
    basis = EligibilityBasis::kDerogation;
  } else {
    m = {};
  }
  if (matched) *matched = m;
  return basis;
}

EligibilityVerdict CheckEligibility(const model::Participant& p, const model::Contract& contract,
                                    const model::Opening& opening, Date today, const PlacementFacts& facts) {
  EligibilityVerdict v;
  const Date hire = HireDate(opening, today);
  v.hire_date = hire;
  v.valid = ValidCriteriaAt(p, hire);
  auto refuse = [&](ExclusionReason r) {
    v.refusal = r;
    return v;
  };
  using R = ExclusionReason;
  using S = model::ParticipantStatus;
  if (p.status == S::kWithdrawn) return refuse(R::kWithdrawn);
  if (p.status == S::kSuspended) return refuse(R::kSuspended);
  if (p.status == S::kPlaced || facts.placed_during_opening) return refuse(R::kAlreadyPlaced);
  if (facts.on_this_opening) return refuse(R::kAlreadyOnOpening);
  if (!p.consent) return refuse(R::kNoConsent);
  if (p.available_from > hire) return refuse(R::kNotAvailable);

  const bool derogation = DerogationValidAt(p, hire);
  v.basis = PublicsBasis(v.valid, derogation, contract, &v.matched);
  if (v.basis == EligibilityBasis::kNone) {
    const CriterionSet documents = DocumentCriteriaAt(p, hire, false);
    if (hire != today &&
        PublicsBasis(documents | AgeCriteriaAt(p.birth_date, today), derogation, contract) != EligibilityBasis::kNone)
      return refuse(R::kAgeAtHire);
    const bool any_derogation = p.derogation && p.derogation->granted_on <= hire;
    if (PublicsBasis(DocumentCriteriaAt(p, hire, true) | AgeCriteriaAt(p.birth_date, hire), any_derogation, contract) !=
        EligibilityBasis::kNone)
      return refuse(R::kProofExpired);
    return refuse(R::kNoAcceptedPublic);
  }
  if (contract.qpv_only && !v.valid.contains(Criterion::kQpv)) return refuse(R::kNotQpvResident);
  if (!p.licences.covers(opening.required_licences)) return refuse(R::kMissingLicence);
  return v;
}

}  // namespace clausematch::matcher
