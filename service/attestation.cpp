#include "service/attestation.hpp"

#include <sodium.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "data/json_codec.hpp"
#include "service/display_name.hpp"
#include "service/error.hpp"
#include "service/placements.hpp"
#include "service/pseudonym.hpp"
#include "store/signing_keys.hpp"

namespace clausematch::service {
namespace {

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

store::SigningKey NewSigningKey() {
  store::SigningKey key;
  key.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  key.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(key.public_key.data(), key.secret_key.data());
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, key.public_key.data(), key.public_key.size(), nullptr, 0);
  key.key_id = "ed25519-" + Hex(digest, 8);
  return key;
}

lifecycle::YearMonth MonthOf(model::Date d) { return {d.year(), static_cast<int>(unsigned(d.ymd().month()))}; }

void CheckMonth(const model::Contract& contract, lifecycle::YearMonth month, model::Date today) {
  const auto start = MonthOf(contract.start), end = MonthOf(contract.end), now = MonthOf(today);
  if (month < start || end < month)
    throw Error(
        ErrorKind::kInvalid, "the month is outside the contract",
        {{"month", "out_of_range",
          "the contract runs from " + start.ToString() + " to " + end.ToString() + ", not " + month.ToString()}});
  if (now < month)
    throw Error(ErrorKind::kInvalid, "the month has not begun",
                {{"month", "in_future", "no attestation for a month after " + now.ToString()}});
}

}  // namespace

std::string Base64(const std::vector<unsigned char>& bytes) {
  InitSodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::vector<unsigned char>> FromBase64(std::string_view text) {
  InitSodium();
  std::vector<unsigned char> out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string Hours(double hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", hours + 0.0);  // + 0.0: no "-0.00"
  return buf;
}

model::Problems CheckAttestationMonth(std::string_view month) {
  if (month.empty() || lifecycle::ParseYearMonth(month)) return {};
  return {{"month", "invalid_format", "a month YYYY-MM (2026-03), or none for the whole contract"}};
}

std::string CanonicalAttestation(const SignedAttestation& a) {
  using Json = nlohmann::json;  // keys sorted bytewise (std::map)
  const auto& f = a.figures;
  Json lines = Json::array();
  for (const auto& l : f.lines)
    lines.push_back({{"person", l.person},
                     {"route", model::Code(l.route)},
                     {"employer", l.employer},
                     {"hours", Hours(l.period_hours)},
                     {"to_date_hours", Hours(l.to_date_hours)}});
  Json by_month = Json::array();
  for (const auto& [m, h] : f.by_month) by_month.push_back({{"month", m.ToString()}, {"hours", Hours(h)}});
  Json by_route = Json::array();
  for (const auto& [route, h] : f.by_route_to_date)
    by_route.push_back({{"route", model::Code(route)},
                        {"hours", Hours(f.by_route.contains(route) ? f.by_route.at(route) : 0.0)},
                        {"to_date_hours", Hours(h)}});
  const auto& percent = f.to_date.percent;
  Json doc = {{"format", kAttestationFormat},
              {"issued_on", a.issued_on.ToString()},
              {"issuer", {{"org", f.facilitator_org}, {"key_id", a.key_id}}},
              {"contract",
               {{"id", f.contract.value()},
                {"reference", f.reference},
                {"title", f.title},
                {"buyer", f.buyer},
                {"holder", f.holder},
                {"holder_siret", f.holder_siret}}},
              {"period", f.month ? f.month->ToString() : "contract"},
              {"people", a.named ? "named" : "pseudonymised"},
              {"lines", std::move(lines)},
              {"by_month", std::move(by_month)},
              {"by_route", std::move(by_route)},
              {"totals",
               {{"period_hours", Hours(f.period_hours)},
                {"target_hours", Hours(f.to_date.forecast)},
                {"to_date_hours", Hours(f.to_date.realised)},
                {"remaining_hours", Hours(f.to_date.remaining)},
                {"percent", percent ? Json(Hours(*percent)) : Json(nullptr)},
                {"placements", static_cast<int>(f.lines.size())}}}};
  return doc.dump();
}

SignedAttestation IssueAttestation(const Caller& caller, store::Store& store, const AttestationRequest& request,
                                   model::Date today) {
  if (auto problems = CheckAttestationMonth(request.month); !problems.empty())
    throw Error(ErrorKind::kInvalid, "invalid month", std::move(problems));
  const auto month = request.month.empty() ? std::nullopt : lifecycle::ParseYearMonth(request.month);
  InitSodium();
  SignedAttestation a;
  a.named = request.named;
  a.issued_on = today;
  // The access and month checks first: no key is made for a refused request.
  const auto checked = store.Read([&](store::Session& s) { return OwnContract(caller, s, request.contract); });
  if (month) CheckMonth(checked, *month, today);
  // The keys, on their own connection, before the write transaction (which would block it).
  store::SigningKeys keys(store);
  auto key = keys.Active(checked.facilitator_org, [] { return NewSigningKey(); });
  std::optional<Pseudonymiser> pseudonyms;
  if (!request.named) {
    const auto secret = keys.PseudonymKey(checked.facilitator_org, [] {
      std::vector<unsigned char> bytes(32);
      randombytes_buf(bytes.data(), bytes.size());
      return bytes;
    });
    pseudonyms.emplace(std::string(secret.begin(), secret.end()));
  }
  store.Write([&](store::Session& s) {
    const auto contract = OwnContract(caller, s, request.contract);
    std::unordered_map<model::ParticipantId, std::string> labels;
    a.figures = lifecycle::ComputeAttestation(
        contract, PlacementsOfContract(s, contract.id), month, [&](const model::Placement& p) {
          auto it = labels.find(p.participant);
          if (it != labels.end()) return it->second;
          const auto person = s.FindParticipant(p.participant);
          std::string label = request.named
                                  ? (person ? DisplayName(*person) : "#" + std::to_string(p.participant.value()))
                                  : pseudonyms->Of(p.participant, person ? &*person : nullptr);
          labels.emplace(p.participant, label);
          caller.Audit(s, request.named ? "attestation_named" : "attestation_pseudonymised", p.participant);
          return label;
        });
  });
  a.key_id = key.key_id;
  a.public_key = Base64(key.public_key);
  a.canonical = CanonicalAttestation(a);
  std::vector<unsigned char> signature(crypto_sign_BYTES);
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(a.canonical.data()),
                       a.canonical.size(), key.secret_key.data());
  sodium_memzero(key.secret_key.data(), key.secret_key.size());
  a.signature = Base64(signature);
  return a;
}

Verification VerifyAttestation(store::Store* store, std::string_view canonical, std::string_view signature,
                               const std::string& public_key) {
  InitSodium();
  Verification v;
  const auto doc = nlohmann::json::parse(canonical, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kAttestationFormat ||
      !doc.contains("issuer") || !doc["issuer"].is_object()) {
    v.reason = "not a clausematch attestation document";
    return v;
  }
  v.key_id = doc["issuer"].value("key_id", "");
  v.org = doc["issuer"].value("org", "");
  std::vector<unsigned char> key_bytes;
  if (store != nullptr) {
    const auto key = store::SigningKeys(*store).Find(v.key_id);
    if (!key) {
      v.reason = "no signing key " + v.key_id + " in this database";
      return v;
    }
    if (key->org != v.org) {
      v.reason = "key " + v.key_id + " belongs to " + key->org + ", not to " + v.org;
      return v;
    }
    v.key_retired = !key->retired_at.empty();
    key_bytes = key->public_key;
  } else {
    auto decoded = FromBase64(public_key);
    if (!decoded || decoded->size() != crypto_sign_PUBLICKEYBYTES) {
      v.reason = "the public key is not 32 bytes in base64";
      return v;
    }
    key_bytes = std::move(*decoded);
  }
  const auto sig = FromBase64(signature);
  if (!sig || sig->size() != crypto_sign_BYTES) {
    v.reason = "the signature is not 64 bytes in base64";
    return v;
  }
  if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(canonical.data()),
                                  canonical.size(), key_bytes.data()) != 0) {
    v.reason = "the signature does not match the document (altered, or signed by another key)";
    return v;
  }
  v.valid = true;
  return v;
}

namespace {

// A string member of a JSON object, or "" (a signed document has them all; a forged one may not).
std::string TextOf(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

[[noreturn]] void NotAnAttestation(const std::string& field, const std::string& code, const std::string& message) {
  throw Error(ErrorKind::kInvalid, "not a clausematch attestation", {{field, code, message}});
}

}  // namespace

AttestationVerdict VerifySubmittedAttestation(store::Store* store, std::string_view bytes,
                                              const std::string& public_key, const AttestationPdfCodec& pdf) {
  AttestationVerdict verdict;
  verdict.pdf = bytes.starts_with("%PDF-");
  EmbeddedAttestation submitted;
  if (verdict.pdf) {
    auto embedded = pdf.read(bytes);
    if (!embedded)
      NotAnAttestation("", "not_an_attestation", "a PDF without a clausematch attestation in its metadata");
    submitted = std::move(*embedded);
  } else {
    if (data::JsonNestingBeyond(bytes)) NotAnAttestation("", "invalid_json", "nested too deep to be an attestation");
    const auto j = nlohmann::json::parse(bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      NotAnAttestation("", "invalid_json", "neither a PDF nor a JSON object with \"attestation\" and \"signature\"");
    const auto doc = j.find("attestation");
    if (doc == j.end() || !doc->is_object())
      NotAnAttestation("/attestation", doc == j.end() ? "required" : "wrong_type", "the signed document, an object");
    const auto sig = j.find("signature");
    if (sig == j.end() || !sig->is_object())
      NotAnAttestation("/signature", sig == j.end() ? "required" : "wrong_type",
                       "the signature, an object with \"value\" (base64)");
    const auto value = sig->find("value");
    if (value == sig->end() || !value->is_string())
      NotAnAttestation("/signature/value", value == sig->end() ? "required" : "wrong_type",
                       "the Ed25519 signature in base64");
    submitted.canonical = doc->dump();  // the canonical form: keys sorted, no whitespace
    submitted.signature = value->get<std::string>();
    submitted.public_key = TextOf(*sig, "public_key");
  }
  auto& v = verdict.verification;
  v = VerifyAttestation(store, submitted.canonical, submitted.signature, public_key);
  if (v.valid && verdict.pdf) {
    // The key printed on the pages must be the signer's, and the pages those of the signed figures:
    // rendered again from them, the same bytes.
    std::string signer_key = public_key;
    if (store != nullptr)
      if (const auto key = FindSigningKey(*store, v.key_id)) signer_key = Base64(key->public_key);
    if (signer_key != submitted.public_key) {
      v.valid = false;
      v.reason = "the public key printed in the PDF is not the key " + v.key_id;
    } else if (pdf.render(submitted.canonical, submitted.signature, submitted.public_key) != bytes) {
      v.valid = false;
      v.reason =
          "the signature of the figures holds, but the PDF is not the one made from them (its pages or metadata were "
          "altered, or it was made with other fonts)";
    }
  }
  if (v.valid) {
    const auto doc = nlohmann::json::parse(submitted.canonical);
    verdict.contract_reference = TextOf(doc.value("contract", nlohmann::json::object()), "reference");
    verdict.period = TextOf(doc, "period");
    verdict.issued_on = TextOf(doc, "issued_on");
    const auto totals = doc.value("totals", nlohmann::json::object());
    verdict.to_date_hours = TextOf(totals, "to_date_hours");
    verdict.target_hours = TextOf(totals, "target_hours");
  }
  return verdict;
}

bool RotateSigningKey(store::Store& store, const model::OrgCode& org) { return store::SigningKeys(store).Retire(org); }

std::vector<store::SigningKey> SigningKeys(store::Store& store, const model::OrgCode& org) {
  return store::SigningKeys(store).List(org);
}

std::optional<store::SigningKey> FindSigningKey(store::Store& store, const std::string& key_id) {
  return store::SigningKeys(store).Find(key_id);
}

}  // namespace clausematch::service
