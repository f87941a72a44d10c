#pragma once
// The store's own record format: each domain object as one JSON document in its table's `doc`
// column. It is lossless and deliberately separate from the API wire format (data/json_codec):
// the database must read back exactly what it wrote whatever the API later shows, hides or
// validates, and its evolution is governed by store/migrations, not by API versions.
// Reading never validates: the object was validated when it was written.
#include <nlohmann/json.hpp>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"

namespace clausematch::store {

nlohmann::json ToRecord(const model::Participant& p);
nlohmann::json ToRecord(const model::Contract& c);
nlohmann::json ToRecord(const model::Opening& o);
nlohmann::json ToRecord(const model::Placement& p);

// Throw std::runtime_error on a record that does not have the expected shape (a corrupt row).
model::Participant ParticipantFromRecord(const nlohmann::json& j);
model::Contract ContractFromRecord(const nlohmann::json& j);
model::Opening OpeningFromRecord(const nlohmann::json& j);
model::Placement PlacementFromRecord(const nlohmann::json& j);

}  // namespace clausematch::store
