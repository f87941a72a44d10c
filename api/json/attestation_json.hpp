#pragma once
// A signed attestation as both doors give it in JSON (`clausematch attestation --format json`,
// GET /v1/contracts/{id}/attestation with Accept: application/json; docs/attestations.md):
// {"attestation": <the canonical document>, "signature": {algorithm, key_id, public_key, value}}.
// `attestation verify` reads this shape back.
#include <nlohmann/json.hpp>

#include "service/attestation.hpp"

namespace clausematch::api::json {

nlohmann::json SignedAttestationJson(const service::SignedAttestation& attestation);

}  // namespace clausematch::api::json
