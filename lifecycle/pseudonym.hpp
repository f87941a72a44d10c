#pragma once
// Pseudonyms for per-participant exports: a keyed hash of the participant id, so an export can be
// linked across periods by whoever holds the key, and by no one else.
//
// SipHash-2-4 (J.-P. Aumasson, D. J. Bernstein, "SipHash: a fast short-input PRF", INDOCRYPT 2012)
// is a pseudorandom function keyed with 128 bits: without the key, a pseudonym reveals nothing about
// the id, and ids cannot be enumerated to find it (a plain hash of an id could: ids are small
// integers). 64-bit outputs make a collision among a million participants about 3e-8 likely.
// Pseudonymised data are still personal data under the GDPR (recital 26): exports stay restricted.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/ids.hpp"

namespace clausematch::lifecycle {

using PseudonymKey = std::array<std::uint8_t, 16>;

// SipHash-2-4 of `message` under `key` (the reference algorithm; little-endian words).
std::uint64_t SipHash24(const PseudonymKey& key, std::string_view message);

// "p-" and 16 hex digits.
std::string Pseudonym(const PseudonymKey& key, model::ParticipantId id);

// 32 hex digits -> key; nullopt when malformed.
std::optional<PseudonymKey> ParsePseudonymKey(std::string_view hex);

}  // namespace clausematch::lifecycle
