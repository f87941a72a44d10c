#pragma once
// JSON codecs for the domain objects (nlohmann/json). The wire shapes are documented in
// docs/formats.md and in the OpenAPI document; field names are snake_case and match the JSON
// pointers that model::Validate reports.
//
// Decoding never throws on bad content: every problem (wrong type, unknown enum code, unknown
// commune or appellation, failed model validation) is appended to `problems` with its JSON
// pointer, and nullopt is returned when any was found.
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/contract.hpp"
#include "model/dataset.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"

namespace clausematch::data {

using Json = nlohmann::json;

// The deepest nesting of arrays and objects accepted in any JSON input (request bodies, imported
// files). The deepest legitimate document is a handful of levels; nlohmann's parser is iterative
// but copying, comparing and printing a document recurse, so 140,000 nested '[' overflow the
// stack. Check with JsonNestingBeyond BEFORE parsing: no deeper document is ever built.
inline constexpr std::size_t kMaxJsonDepth = 64;

// The byte offset of the first '[' or '{' (outside strings) that opens level max_depth + 1, or
// nullopt when `text` never nests deeper. One linear pass, no allocation; it does not validate
// the JSON (the parser does that afterwards).
std::optional<std::size_t> JsonNestingBeyond(std::string_view text, std::size_t max_depth = kMaxJsonDepth);
// "nests arrays and objects deeper than 64 levels (line 1, column 65)": what every JSON reader
// says about offset `at` found by JsonNestingBeyond in `text`.
std::string JsonNestingMessage(std::string_view text, std::size_t at, std::size_t max_depth = kMaxJsonDepth);

Json ToJson(const model::Participant& p);
Json ToJson(const model::Contract& c);
Json ToJson(const model::Opening& o);
Json ToJson(const model::Placement& p);
// A placement's eligibility snapshot, the member "eligibility" of a placement (docs/formats.md).
Json ToJson(const model::EligibilitySnapshot& e);

// `ref` (when given) checks that communes, appellations and skills exist and fills derived fields
// (an opening's fiche from its appellation, locations from commune centres when absent).
// `today` anchors date checks; RQTH and residence-title proofs must carry their valid_until (see
// model::Validate).
std::optional<model::Participant> ParticipantFromJson(const Json& j, const model::Referential* ref, model::Date today,
                                                      model::Problems& problems);
// The same for a server that owns two fields, without copying `j`: "id" is ignored (the server
// assigns ids) and "prescriber_org" is `org` (absent is fine; another value is a "forbidden_value"
// problem). New input: valid_until is required where its kind needs it.
std::optional<model::Participant> ParticipantFromJsonForOrg(const Json& j, const model::OrgCode& org,
                                                            const model::Referential* ref, model::Date today,
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
