#pragma once
// JSON codecs for the domain objects (nlohmann/json). The wire shapes are documented in
// docs/formats.md and in the OpenAPI document; field names are snake_case and match the JSON
// pointers that model::Validate reports.
//
// Decoding never throws on bad content: every problem (wrong type, unknown enum code, unknown
// commune or appellation, failed model validation) is appended to `problems` with its JSON
// pointer, and nullopt is returned when any was found.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "model/contract.hpp"
#include "model/dataset.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"

namespace clausematch::data {

using Json = nlohmann::json;

Json ToJson(const model::Participant& p);
Json ToJson(const model::Contract& c);
Json ToJson(const model::Opening& o);
Json ToJson(const model::Placement& p);

// `ref` (when given) checks that communes, appellations and skills exist and fills derived fields
// (an opening's fiche from its appellation, locations from commune centres when absent).
// `today` anchors date checks (see model::Validate).
std::optional<model::Participant> ParticipantFromJson(const Json& j, const model::Referential* ref, model::Date today,
                                                      model::Problems& problems);
std::optional<model::Contract> ContractFromJson(const Json& j, const model::Referential* ref,
                                                model::Problems& problems);
std::optional<model::Opening> OpeningFromJson(const Json& j, const model::Referential* ref,
                                              const model::Contract* contract, model::Problems& problems);
// The same, the contract found by id with `find` (the opening's "contract" member); an id that
// `find` does not know (nullptr) is an "unknown_contract" problem at /contract.
using ContractLookup = std::function<const model::Contract*(model::ContractId)>;
std::optional<model::Opening> OpeningFromJsonWithLookup(const Json& j, const model::Referential* ref,
                                                        const ContractLookup& find, model::Problems& problems);
std::optional<model::Placement> PlacementFromJson(const Json& j, model::Problems& problems);

}  // namespace clausematch::data
