#include "service/indicators.hpp"

#include <unordered_set>

#include "service/error.hpp"

namespace clausematch::service {

model::Problems CheckIndicatorQuery(const lifecycle::IndicatorQuery& q, const model::Referential& ref) {
  model::Problems problems;
  if (q.from && q.to && *q.to < *q.from) problems.push_back({"to", "out_of_range", "before from"});
  if (!q.departement.empty() && ref.FindDepartement(q.departement) == nullptr)
    problems.push_back({"departement", "invalid_value", "an INSEE département code (59, 2A...)"});
  if (!q.region.empty() && ref.FindRegion(q.region) == nullptr)
    problems.push_back({"region", "invalid_value", "an INSEE région code (32...)"});
  if (q.threshold < kMinThreshold || q.threshold > kMaxThreshold)
    problems.push_back({"threshold", "out_of_range",
                        "an integer from " + std::to_string(kMinThreshold) + " to " + std::to_string(kMaxThreshold)});
  return problems;
}

model::Dataset ScopeToOrganisation(const model::Dataset& all, const std::optional<model::OrgCode>& org) {
  model::Dataset mine;
  mine.as_of = all.as_of;
  std::unordered_set<model::ContractId> contracts;
  for (const auto& c : all.contracts)
    if (!org || c.facilitator_org == *org) {
      contracts.insert(c.id);
      mine.contracts.push_back(c);
    }
  for (const auto& o : all.openings)
    if (contracts.contains(o.contract)) mine.openings.push_back(o);
  std::unordered_set<model::ParticipantId> people;
  for (const auto& p : all.placements)
    if (contracts.contains(p.contract)) {
      mine.placements.push_back(p);
      people.insert(p.participant);
    }
  for (const auto& p : all.participants)
    if (people.contains(p.id)) mine.participants.push_back(p);
  mine.Index();
  return mine;
}

lifecycle::IndicatorReport ComputeIndicators(const model::Dataset& scope, const model::Referential& ref,
                                             const SiaeDirectory* directory, const lifecycle::IndicatorQuery& query) {
  if (auto problems = CheckIndicatorQuery(query, ref); !problems.empty())
    throw Error(ErrorKind::kInvalid, "invalid indicator query", std::move(problems));
  static const std::vector<model::Siae> kNone;
  return lifecycle::ComputeIndicators(scope, &ref, directory ? directory->structures() : kNone, query);
}

}  // namespace clausematch::service
