#pragma once
// Attestations of insertion hours (docs/attestations.md), one rule for both doors (`clausematch
// attestation`, GET /v1/contracts/{id}/attestation): who may ask, which month, the figures
// (lifecycle::ComputeAttestation), the people named or pseudonymised with the choice audited, and
// the facilitator organisation's Ed25519 signature over a canonical JSON document of the figures.
//
// Canonical document: the JSON object AttestationDocument builds, serialised with its keys sorted
// bytewise, no whitespace, strings in UTF-8 (only '"', '\\' and control characters escaped) and
// every hour figure as a string with two decimals ("151.67"), so that the bytes signed are the
// figures printed. Signature: crypto_sign_detached (libsodium, Ed25519) over those bytes.
//
// Keys (store/migrations/006_signing_keys.sql): one active key per organisation, created on its
// first attestation; its secret never leaves the store (no command or route returns it).
// RotateSigningKey retires it (it stays, so that what it signed still verifies) and the next
// attestation creates a new one.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/attestation.hpp"
#include "model/validation.hpp"
#include "service/access.hpp"
#include "store/signing_keys.hpp"
#include "store/store.hpp"

namespace clausematch::service {

inline constexpr std::string_view kAttestationFormat = "clausematch-attestation/1";

struct AttestationRequest {
  model::ContractId contract;
  std::string month;   // "YYYY-MM", or empty for the whole contract
  bool named = false;  // display names ("Inès D.") rather than pseudonyms
};

// Problems of a malformed month, naming the field "month" (empty when well-formed or empty).
model::Problems CheckAttestationMonth(std::string_view month);

struct SignedAttestation {
  lifecycle::AttestationFigures figures;
  bool named = false;
  model::Date issued_on;
  std::string key_id;
  std::string public_key;  // base64 (standard, padded) of the 32 bytes
  std::string canonical;   // the signed bytes
  std::string signature;   // base64 of the 64-byte detached signature
};

// The contract must be the caller's (service::Error kNotFound otherwise), the month well-formed
// and, when given, neither before the contract's start nor after `today`'s month nor after its
// end (kInvalid naming "month"). Then creates the organisation's keys on first use (once the checks
// passed; store/signing_keys.hpp) and, in one write, computes the figures and audits one read per
// person shown ("attestation_named" or "attestation_pseudonymised").
SignedAttestation IssueAttestation(const Caller& caller, store::Store& store, const AttestationRequest& request,
                                   model::Date today);

// The canonical bytes of an attestation (see above).
std::string CanonicalAttestation(const SignedAttestation& a);

// "12.50": how every hour figure is written, in the document and on the page.
std::string Hours(double hours);

struct Verification {
  bool valid = false;
  std::string reason;  // why not, in words
  std::string key_id;
  model::OrgCode org;
  bool key_retired = false;
};

// Checks `signature` (base64) over `canonical` with the key the document names: found in `store`
// (when not null; it must belong to the organisation the document names), else `public_key`
// (base64). Never throws for a bad document: `reason` says what is wrong.
Verification VerifyAttestation(store::Store* store, std::string_view canonical, std::string_view signature,
                               const std::string& public_key = "");

// An attestation as it was handed in, to be verified: the bytes of its signed JSON
// ({"attestation": <document>, "signature": {"value": <base64>, ...}}) or of its PDF. The PDF is read
// and rendered by the door that received it (api/pdf: libharu lives above the service), through
// these two functions: `read` gives the document, signature and public key its metadata carries
// (nullopt when it carries none), `render` makes the PDF of a signed document again.
struct EmbeddedAttestation {
  std::string canonical;
  std::string signature;   // base64
  std::string public_key;  // base64
};
struct AttestationPdfCodec {
  std::function<std::optional<EmbeddedAttestation>(std::string_view pdf)> read;
  std::function<std::string(std::string_view canonical, std::string_view signature, std::string_view public_key)>
      render;
};

struct AttestationVerdict {
  Verification verification;  // valid or not and why; the signer (organisation, key) the document names
  bool pdf = false;           // handed in as a PDF (else the signed JSON)
  // What the document says (read from it once the signature holds; empty otherwise).
  std::string contract_reference, period, issued_on, to_date_hours, target_hours;
};

// The one verification of `clausematch attestation verify` and POST /v1/attestations/verify:
//   - bytes starting with "%PDF-" are a PDF: its metadata must carry an attestation (else kInvalid
//     naming the field "" — the whole file); the signature is checked as below, the public key it
//     prints must be the signer's (the key in `store`, or `public_key`), and the PDF must be the one
//     `pdf.render` makes from the signed document (a page altered after signing is found);
//   - other bytes are the signed JSON: not JSON, or JSON too deep, is kInvalid naming ""; no
//     "attestation" object is kInvalid naming "/attestation", no "signature" object "/signature",
//     no "signature"."value" string "/signature/value". The signed bytes are the document in its
//     canonical form (keys sorted, no whitespace).
// Then VerifyAttestation (the key from `store` when not null, else `public_key`). A signature
// that does not hold is a verdict (valid false and why), not an error.
AttestationVerdict VerifySubmittedAttestation(store::Store* store, std::string_view bytes,
                                              const std::string& public_key, const AttestationPdfCodec& pdf);

// Retires `org`'s active signing key (false when it has none); the next attestation makes a new one.
bool RotateSigningKey(store::Store& store, const model::OrgCode& org);

// `org`'s signing keys (public parts), oldest first.
std::vector<store::SigningKey> SigningKeys(store::Store& store, const model::OrgCode& org);
std::optional<store::SigningKey> FindSigningKey(store::Store& store, const std::string& key_id);

std::string Base64(const std::vector<unsigned char>& bytes);
std::optional<std::vector<unsigned char>> FromBase64(std::string_view text);

}  // namespace clausematch::service
