#include "model/placement.hpp"

#include <cmath>

#include "model/validity.hpp"

namespace clausematch::model {

double HoursOf(const SubcontractAmount& amount) {
  return std::round(amount.amount_eur * amount.labour_share / amount.hourly_cost_eur * 100.0) / 100.0;
}

CriterionSet CriteriaAtEntry(const Placement& placement, const Participant* person) {
  if (placement.eligibility) return placement.eligibility->Counted();
  CriterionSet out;
  if (person == nullptr) return out;
  for (const auto& proof : person->criteria)
    if (const auto range = ProofValidity(proof); range && range->Contains(placement.start)) out.insert(proof.criterion);
  const int age = AgeAt(person->birth_date, placement.start);
  if (age < kJeuneMaxAgeExclusive) out.insert(Criterion::kJeune);
  if (age >= kSeniorMinAge) out.insert(Criterion::kSenior);
  return out;
}

}  // namespace clausematch::model
