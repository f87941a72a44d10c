#pragma once
// API keys. A token is "cm_<key_id>_<secret>": key_id (16 hex digits) finds the row, the secret is
// 32 random bytes (base64url). The database keeps only a keyed hash of the whole token,
// BLAKE2b-256 (libsodium crypto_generichash) keyed with a 32-byte server secret kept in the
// server_secret table; verification compares hashes in constant time (crypto_verify_32).
//
// Why a keyed fast hash and not crypto_pwhash: tokens carry 256 bits of entropy, so there is no
// dictionary to slow down; a memory-hard hash on every request would only cost latency. The key
// means a copy of the api_keys table alone is not enough to test guesses offline.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.hpp"

namespace clausematch::store {

struct NewApiKey {
  ApiKey key;
  std::string token;  // shown once, never stored
};

// Creates the key (and the server secret on first use).
NewApiKey CreateApiKey(Store& store, const model::OrgCode& org, Role role);

// Verifies bearer tokens, caching verified keys for `ttl` (keys created meanwhile by
// `clausematch keys create` in another process are found on a cache miss).
class KeyRing {
 public:
  explicit KeyRing(Store& store, std::chrono::seconds ttl = std::chrono::seconds(60)) : store_(store), ttl_(ttl) {}
  // The key when `token` is valid and not revoked; nullopt otherwise (never says which).
  std::optional<ApiKey> Authenticate(std::string_view token);

 private:
  struct Cached {
    ApiKey key;
    std::string hash;
    std::chrono::steady_clock::time_point expires;
  };
  Store& store_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::string secret_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace clausematch::store
