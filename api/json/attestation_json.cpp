#include "api/json/attestation_json.hpp"

namespace clausematch::api::json {

nlohmann::json SignedAttestationJson(const service::SignedAttestation& attestation) {
  return {{"attestation", nlohmann::json::parse(attestation.canonical)},
          {"signature",
           {{"algorithm", "Ed25519"},
            {"key_id", attestation.key_id},
            {"public_key", attestation.public_key},
            {"value", attestation.signature}}}};
}

}  // namespace clausematch::api::json
