#pragma once
// A signed attestation as both doors give it in JSON (`clausematch attestation --format json`,
// GET /v1/contracts/{id}/attestation with Accept: application/json; docs/attestations.md):
// {"attestation": <the canonical document>, "signature": {algorithm, key_id, public_key, value}}.
// `attestation verify` reads this shape back.
#include <nlohmann/json.hpp>

#include "service/attestation.hpp"

namespace clausematch::api::json {

nlohmann::json SignedAttestationJson(const service::SignedAttestation& attestation);

// The verdict on an attestation handed in, as both doors give it (POST /v1/attestations/verify,
// `clausematch attestation verify --format json`; docs/api.md): {"valid", "reason" (null when
// valid), "format" ("pdf" or "json"), "issuer" ({org, key_id, key_retired}: the signer the document
// names, null when it names none), "attestation" ({contract_reference, period, issued_on,
// to_date_hours, target_hours}, null unless valid)}.
nlohmann::json AttestationVerdictJson(const service::AttestationVerdict& verdict);

}  // namespace clausematch::api::json
