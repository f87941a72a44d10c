#pragma once
// The funders' indicators, one rule for both doors (`clausematch indicators`, GET /v1/indicators):
// the query's checks (dates in order, known territory, a suppression threshold never below
// kMinThreshold), the organisation's scope, and lifecycle::ComputeIndicators.
#include <optional>

#include "lifecycle/indicators.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"
#include "service/siae.hpp"

namespace clausematch::service {

// Counts of people below this are never published, whoever asks (docs/privacy.md). A caller may
// only ask for a stricter threshold, up to kMaxThreshold.
inline constexpr int kMinThreshold = 5;
inline constexpr int kMaxThreshold = 100;

// Problems name the query's parameters: "from", "to", "departement", "region", "threshold".
model::Problems CheckIndicatorQuery(const lifecycle::IndicatorQuery& query, const model::Referential& ref);

// The contracts of `org` (every organisation when nullopt), their openings and placements, and the
// people placed on them; indexed.
model::Dataset ScopeToOrganisation(const model::Dataset& all, const std::optional<model::OrgCode>& org);

// Checks the query (service::Error kInvalid) and computes the report over `scope` (indexed).
// `directory` gives employers' SIAE kinds; may be null.
lifecycle::IndicatorReport ComputeIndicators(const model::Dataset& scope, const model::Referential& ref,
                                             const SiaeDirectory* directory, const lifecycle::IndicatorQuery& query);

}  // namespace clausematch::service
