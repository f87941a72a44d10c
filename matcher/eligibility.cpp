#include "matcher/eligibility.hpp"

#include <algorithm>
#include <cstdio>

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

// The first `count` criteria of `from`, in criterion order.
CriterionSet FirstOf(CriterionSet from, int count) {
  CriterionSet out;
  for (std::uint32_t bits = from.bits(); bits != 0 && count > 0; bits &= bits - 1, --count)
    out.insert(static_cast<Criterion>(__builtin_ctz(bits)));
  return out;
}

}  // namespace

CriterionSet IaeLevel1() {
  static const CriterionSet kSet = LevelSet(model::CriterionLevel::kLevel1);
  return kSet;
}

CriterionSet IaeLevel2() {
  static const CriterionSet kSet = LevelSet(model::CriterionLevel::kLevel2);
  return kSet;
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

std::string_view Code(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kEligible:
      return "eligible";
    case VerdictKind::kEligibleSubjectToRenewal:
      return "eligible_subject_to_renewal";
    case VerdictKind::kNotEligible:
      break;
  }
  return "not_eligible";
}

std::string_view Code(ConditionCode code) {
  switch (code) {
    case ConditionCode::kProofToRenew:
      break;
  }
  return "proof_to_renew";
}

std::string Text(const Condition& condition) {
  const auto ymd = condition.renew_by.ymd();
  char date[16];
  std::snprintf(date, sizeof date, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return "justificatif « " + std::string(model::Info(condition.criterion).label) +
         " » à actualiser avant l'embauche du " + date;
}

std::vector<Condition> EligibilityVerdict::conditions() const {
  std::vector<Condition> out;
  if (!eligible()) return out;
  for (const auto& info : model::AllCriteria())
    if (to_renew.contains(info.criterion)) out.push_back({ConditionCode::kProofToRenew, info.criterion, hire_date});
  return out;
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

bool DiagnosisValidAt(const model::Participant& p, Date at) {
  const auto days = model::DiagnosisValidity(p);
  return days && days->Contains(at);
}

CriterionSet DiagnosedCriteria(const model::Participant& p) {
  if (!p.diagnosis_date) return {};
  return ValidCriteriaAt(p, *p.diagnosis_date) & (IaeLevel1() | IaeLevel2());
}

bool IsIaeRoute(model::ContractType route) {
  using T = model::ContractType;
  return route == T::kInterimEtti || route == T::kMiseADispositionAi || route == T::kCddi;
}

int Level2Threshold(const model::Contract& contract, model::ContractType route) {
  using T = model::ContractType;
  if (route == T::kInterimEtti || route == T::kMiseADispositionAi) return 2;
  if (route == T::kCddi) return 3;
  return contract.iae_level2_required;
}

PublicsRules RulesFor(const model::Contract& contract) {
  PublicsRules r;
  r.accepted = contract.accepted_publics;
  r.iae = contract.accepts_iae_eligibility;
  r.level2 = contract.iae_level2_required;
  r.derogation = contract.accepts_derogation;
  r.iae_route = false;
  r.qpv_only = contract.qpv_only;
  return r;
}

PublicsRules RulesFor(const model::Contract& contract, const model::Opening& opening) {
  PublicsRules r = RulesFor(contract);
  r.level2 = Level2Threshold(contract, opening.contract_type);
  r.iae_route = IsIaeRoute(opening.contract_type);
  return r;
}

CompiledPublicsRules CompiledPublicsRules::From(const PublicsRules& rules) {
  CompiledPublicsRules c;
  c.accepted = rules.accepted.bits();
  c.level1 = rules.iae ? IaeLevel1().bits() : 0u;
  c.level2 = rules.iae ? IaeLevel2().bits() : 0u;
  c.level2_needed = std::max(1, rules.level2);
  c.derogation = rules.derogation;
  c.qpv_only = rules.qpv_only;
  return c;
}

EligibilityBasis PublicsBasis(CriterionSet valid, bool derogation_valid, const PublicsRules& rules,
                              CriterionSet* matched) {
  CriterionSet m = valid & rules.accepted;
  EligibilityBasis basis = EligibilityBasis::kNone;
  if (!m.empty()) {
    basis = EligibilityBasis::kClausePublic;
  } else if (m = valid & IaeLevel1(); rules.iae && !m.empty()) {
    basis = EligibilityBasis::kIaeLevel1;
  } else if (m = valid & IaeLevel2(); rules.iae && m.size() >= std::max(1, rules.level2)) {
    basis = EligibilityBasis::kIaeLevel2;
  } else if (derogation_valid && rules.derogation) {
    m = {};
    basis = EligibilityBasis::kDerogation;
  } else {
    m = {};
  }
  if (matched) *matched = m;
  return basis;
}

EligibilityBasis PublicsBasis(CriterionSet valid, bool derogation_valid, const model::Contract& contract,
                              CriterionSet* matched) {
  return PublicsBasis(valid, derogation_valid, RulesFor(contract), matched);
}

PublicsDecision DecidePublics(CriterionSet valid, CriterionSet renewable, bool derogation_valid,
                              const PublicsRules& rules) {
  PublicsDecision d;
  d.basis = PublicsBasis(valid, derogation_valid, rules, &d.matched);
  if (d.basis == EligibilityBasis::kNone) {
    // Nothing holds without renewal: the basis renewable proofs would give, with the fewest
    // renewals. (a) and (b) then rest on renewable criteria only (a valid one would have given
    // the basis above): one suffices. (c) keeps the valid level-2 criteria and adds the missing
    // count. The derogation played its part above already.
    CriterionSet all;
    d.basis = PublicsBasis(valid | renewable, false, rules, &all);
    switch (d.basis) {
      case EligibilityBasis::kClausePublic:
      case EligibilityBasis::kIaeLevel1:
        d.to_renew = FirstOf(all & renewable, 1);
        d.matched = d.to_renew;
        break;
      case EligibilityBasis::kIaeLevel2: {
        const CriterionSet sure = valid & IaeLevel2();
        d.to_renew = FirstOf(all & renewable, std::max(1, rules.level2) - sure.size());
        d.matched = sure | d.to_renew;
        break;
      }
      case EligibilityBasis::kDerogation:
      case EligibilityBasis::kNone:
        d.matched = {};
        break;
    }
  }
  if (d.basis != EligibilityBasis::kNone && rules.qpv_only && !valid.contains(Criterion::kQpv)) {
    if (renewable.contains(Criterion::kQpv))
      d.to_renew.insert(Criterion::kQpv);  // a QPV proof lapsing before the hire: a condition
    else
      d.not_qpv = true;
  }
  return d;
}

EligibilityVerdict CheckEligibility(const model::Participant& p, const model::Contract& contract,
                                    const model::Opening& opening, Date today, const PlacementFacts& facts) {
  EligibilityVerdict v;
  const Date hire = HireDate(opening, today);
  const PublicsRules rules = RulesFor(contract, opening);
  v.hire_date = hire;
  const CriterionSet documents = DocumentCriteriaAt(p, hire, false);
  const CriterionSet ages = AgeCriteriaAt(p.birth_date, hire);
  const CriterionSet diagnosed = rules.iae_route && DiagnosisValidAt(p, hire) ? DiagnosedCriteria(p) : CriterionSet{};
  v.valid = documents | ages | diagnosed;
  v.by_diagnosis = CriterionSet::FromBits(diagnosed.bits() & ~(documents | ages).bits());
  v.provisional = CriterionSet::FromBits(DocumentCriteriaAt(p, today, false).bits() & ~v.valid.bits());
  auto refuse = [&](ExclusionReason r) {
    v.refusal = r;
    v.to_renew = {};  // conditions belong to eligible verdicts only
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
  const PublicsDecision d = DecidePublics(v.valid, v.provisional, derogation, rules);
  v.basis = d.basis;
  v.matched = d.matched;
  v.to_renew = d.to_renew;
  if (v.basis == EligibilityBasis::kNone) {
    const CriterionSet non_age = documents | diagnosed | v.provisional;
    if (hire != today &&
        PublicsBasis(non_age | AgeCriteriaAt(p.birth_date, today), derogation, rules) != EligibilityBasis::kNone)
      return refuse(R::kAgeAtHire);
    const bool any_derogation = p.derogation && p.derogation->granted_on <= hire;
    if (PublicsBasis(DocumentCriteriaAt(p, hire, true) | diagnosed | ages, any_derogation, rules) !=
        EligibilityBasis::kNone)
      return refuse(R::kProofExpired);
    return refuse(R::kNoAcceptedPublic);
  }
  if (d.not_qpv) return refuse(R::kNotQpvResident);
  if (!p.licences.covers(opening.required_licences)) return refuse(R::kMissingLicence);
  return v;
}

}  // namespace clausematch::matcher
