#include "service/pseudonym.hpp"

#include <sodium.h>

#include <stdexcept>

#include "data/csv_reader.hpp"
#include "service/error.hpp"

namespace clausematch::service {
namespace {

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

}  // namespace

static_assert(Pseudonymiser::kMinKeyBytes == crypto_generichash_KEYBYTES_MIN);
static_assert(Pseudonymiser::kMaxKeyBytes == crypto_generichash_KEYBYTES_MAX);

std::optional<std::string> Pseudonymiser::KeyError(std::size_t size) {
  if (size >= kMinKeyBytes && size <= kMaxKeyBytes) return std::nullopt;
  return "the key must be " + std::to_string(kMinKeyBytes) + " to " + std::to_string(kMaxKeyBytes) + " bytes, found " +
         std::to_string(size) + " (e.g. head -c 32 /dev/urandom > export.key)";
}

Pseudonymiser::Pseudonymiser(std::string key) : key_(std::move(key)) {
  if (auto error = KeyError(key_.size())) throw std::invalid_argument(*error);
  InitSodium();
}

Pseudonymiser Pseudonymiser::FromKeyFile(const std::string& path, std::string_view flag) {
  std::string key;
  try {
    key = data::ReadWholeFile(path);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInvalid, std::string(flag) + ": " + e.what(),
                {{std::string(flag), "unreadable", e.what()}});
  }
  if (auto error = KeyError(key.size()))
    throw Error(ErrorKind::kInvalid, std::string(flag) + ": " + *error, {{std::string(flag), "invalid_value", *error}});
  return Pseudonymiser(std::move(key));
}

Pseudonymiser Pseudonymiser::WithRandomKey() {
  InitSodium();
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  return Pseudonymiser(std::move(key));
}

std::string Pseudonymiser::Identity(model::ParticipantId id, const model::Participant* person) {
  if (person != nullptr && !person->external_ref.empty())
    return "ref\x1f" + person->prescriber_org + "\x1f" + person->external_ref;
  return "id\x1f" + std::to_string(id.value());
}

std::string Pseudonymiser::Of(model::ParticipantId id, const model::Participant* person) const {
  unsigned char out[16];
  Hash(Identity(id, person), out, sizeof out);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "p-";
  for (unsigned char b : out) {
    text.push_back(kDigits[b >> 4]);
    text.push_back(kDigits[b & 15]);
  }
  return text;
}

std::uint32_t Pseudonymiser::Number(model::ParticipantId id, const model::Participant* person) const {
  unsigned char out[16];
  Hash(Identity(id, person), out, sizeof out);
  return static_cast<std::uint32_t>(out[0]) | static_cast<std::uint32_t>(out[1]) << 8 |
         static_cast<std::uint32_t>(out[2]) << 16 | static_cast<std::uint32_t>(out[3]) << 24;
}

void Pseudonymiser::Hash(std::string_view text, unsigned char* out, std::size_t len) const {
  crypto_generichash(out, len, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
}

}  // namespace clausematch::service
