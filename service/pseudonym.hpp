#pragma once
// Pseudonyms of participants in every export that leaves the organisation: `clausematch export
// --pseudonymise` (the whole dataset) and `clausematch indicators --participants` (one row per
// person). One scheme and one key handling for both, so the same person gets the same pseudonym in
// both files made with the same key, and unrelated ones under another key.
//
// Scheme. pseudonym = "p-" + hex(BLAKE2b-128_K(identity)), the keyed BLAKE2b of libsodium
// (crypto_generichash with a key of 16 to 64 bytes, 16-byte output; RFC 7693). BLAKE2b keyed is a
// pseudorandom function: without K a pseudonym says nothing about the identity, and identities
// cannot be enumerated to find it (a plain hash of a small integer id could be). identity is what
// identifies the person for the prescriber, "ref" 0x1F org 0x1F external_ref, else our id,
// "id" 0x1F id. 128-bit outputs make a collision among a million people about 1.5e-27 likely.
// Pseudonymised data are still personal data (GDPR recital 26): the files stay restricted.
//
// Keys: a file of 16 to 64 raw bytes (`--key-file`, e.g. `head -c 32 /dev/urandom > export.key`),
// kept by whoever may link exports over time. Why in service/ and not in lifecycle/: lifecycle stays
// standard-library only and takes the pseudonymiser as a function.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/participant.hpp"

namespace clausematch::service {

class Pseudonymiser {
 public:
  static constexpr std::size_t kMinKeyBytes = 16;
  static constexpr std::size_t kMaxKeyBytes = 64;

  // A message when a key of `size` bytes is refused, else nullopt.
  static std::optional<std::string> KeyError(std::size_t size);
  // `key` must pass KeyError (std::invalid_argument otherwise).
  explicit Pseudonymiser(std::string key);
  // A fresh random 32-byte key: pseudonyms that cannot be linked to any other export.
  static Pseudonymiser WithRandomKey();
  // The key in `path` (16 to 64 raw bytes). A file that cannot be read or a key of the wrong size
  // is a service::Error (kInvalid) naming `flag`, e.g. "--key-file".
  static Pseudonymiser FromKeyFile(const std::string& path, std::string_view flag = "--key-file");

  // The identity a pseudonym rests on (see above); `person` may be null (then the id alone).
  static std::string Identity(model::ParticipantId id, const model::Participant* person);
  // "p-" and 32 hex digits.
  [[nodiscard]] std::string Of(model::ParticipantId id, const model::Participant* person) const;
  // A 32-bit number from the same hash (pseudonymous ids in exported datasets).
  [[nodiscard]] std::uint32_t Number(model::ParticipantId id, const model::Participant* person) const;

 private:
  void Hash(std::string_view text, unsigned char* out, std::size_t len) const;
  std::string key_;
};

}  // namespace clausematch::service
