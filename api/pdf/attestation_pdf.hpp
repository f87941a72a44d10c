#pragma once
// The PDF of an attestation (libharu, DejaVu fonts): a rendering of the signed document, like the
// JSON renderings of api/json/. Everything on the pages comes from the canonical document, its
// signature and the public key, which the PDF also carries in its metadata (Keywords and Subject,
// base64), so that `clausematch attestation verify` can check the signature and render the pages
// again from what was signed: the same bytes, or an altered page. libharu writes the same bytes
// for the same input (no creation date, no random document id).
#include <optional>
#include <string>
#include <string_view>

#include "service/attestation.hpp"

namespace clausematch::api::pdf {

// The folder of the DejaVu TrueType fonts (fonts-dejavu-core); CLAUSEMATCH_FONT_DIR overrides it.
std::string FontDir();

// Renders the attestation. Throws service::Error (kUnavailable) when the fonts are missing, and
// (kInvalid) when the document is too long to be carried in the metadata (kMaxDocumentBytes).
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{48} * 1024;
std::string AttestationPdf(std::string_view canonical, std::string_view signature, std::string_view public_key);

// The document, signature and public key (base64) AttestationPdf carries in the metadata.
using EmbeddedAttestation = service::EmbeddedAttestation;
// What AttestationPdf carried in the metadata of `pdf`; nullopt when it is not there.
std::optional<EmbeddedAttestation> ReadEmbedded(std::string_view pdf);

// Both functions, for service::VerifySubmittedAttestation (both doors pass this one).
inline service::AttestationPdfCodec Codec() { return {ReadEmbedded, AttestationPdf}; }

}  // namespace clausematch::api::pdf
