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

nlohmann::json AttestationVerdictJson(const service::AttestationVerdict& verdict) {
  const auto& v = verdict.verification;
  nlohmann::json answer{{"valid", v.valid},
                        {"reason", v.valid ? nlohmann::json(nullptr) : nlohmann::json(v.reason)},
                        {"format", verdict.pdf ? "pdf" : "json"},
                        {"issuer", nullptr},
                        {"attestation", nullptr}};
  if (!v.org.empty() || !v.key_id.empty())
    answer["issuer"] = {{"org", v.org}, {"key_id", v.key_id}, {"key_retired", v.key_retired}};
  if (v.valid)
    answer["attestation"] = {{"contract_reference", verdict.contract_reference},
                             {"period", verdict.period},
                             {"issued_on", verdict.issued_on},
                             {"to_date_hours", verdict.to_date_hours},
                             {"target_hours", verdict.target_hours}};
  return answer;
}

}  // namespace clausematch::api::json
