#pragma once
// SIAE sourcing results as both doors render them (`clausematch siae --format json`,
// GET /v1/contracts/{id}/siae): per kind, the count and the first `limit` structures, nearest first.
#include <nlohmann/json.hpp>
#include <string>

#include "lifecycle/siae_sourcing.hpp"

namespace clausematch::api::json {

// Why a structure fits the trade, in words ("NAF 4334Z: 12.5% of F1606 hires", "mise à
// disposition, all trades", "sector not matched").
std::string SiaeEvidence(const lifecycle::SourcedSiae& s);

// {"<kind>": {"count", "structures": [{siret, name, naf, city, distance_km (0.1 km), trade,
// hire_share, staffing, evidence}]}}
nlohmann::ordered_json SiaeByKindJson(const lifecycle::SourcingResult& result, int limit);

}  // namespace clausematch::api::json
