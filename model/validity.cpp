#include "model/validity.hpp"

#include <algorithm>

namespace clausematch::model {

std::optional<DayRange> ProofValidity(const CriterionProof& proof) {
  const CriterionInfo& info = Info(proof.criterion);
  if (info.validity == ValidityKind::kAge || !proof.proof_date) return std::nullopt;
  const Date d = *proof.proof_date;
  const Date period_end = LastDayOfPeriod(d, info.months);
  switch (info.validity) {
    case ValidityKind::kMonths:
      return DayRange{d, proof.valid_until ? std::min(period_end, *proof.valid_until) : period_end};
    case ValidityKind::kUntilDate:
    case ValidityKind::kPassIae:
      return DayRange{d, proof.valid_until.value_or(period_end)};
    case ValidityKind::kAge:
      break;
  }
  return std::nullopt;
}

std::optional<DayRange> DiagnosisValidity(const Participant& p) {
  if (!p.diagnosis_date) return std::nullopt;
  return DayRange{*p.diagnosis_date, LastDayOfPeriod(*p.diagnosis_date, kDiagnosisValidityMonths)};
}

std::optional<DayRange> DerogationValidity(const Participant& p) {
  if (!p.derogation) return std::nullopt;
  const Date g = p.derogation->granted_on;
  return DayRange{g, LastDayOfPeriod(g, kDiagnosisValidityMonths)};
}

}  // namespace clausematch::model
