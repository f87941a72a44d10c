#pragma once
// API keys. A token is "cm_<key_id>_<secret>": key_id (16 hex digits) finds the row, the secret is
// 32 random bytes (base64url). The database keeps only a keyed hash of the whole token,
// BLAKE2b-256 (libsodium crypto_generichash) keyed with a 32-byte server secret kept in the
// server_secret table; verification compares hashes in constant time (crypto_verify_32).
//
// Why a keyed fast hash and not crypto_pwhash: tokens carry 256 bits of entropy, so there is no
// dictionary to slow down; a memory-hard hash on every request would only cost latency. The key
// means a copy of the api_keys table alone is not enough to test guesses offline.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "store/store.hpp"

namespace clausematch::store {

struct NewApiKey {
  ApiKey key;
  std::string token;  // shown once, never stored
};

// Creates the key (and the server secret on first use).
NewApiKey CreateApiKey(Store& store, const model::OrgCode& org, Role role);

// Verifies bearer tokens, caching verified keys for `ttl`. Key ids that do not exist are
// remembered too (at most kMaxUnknown; the set is cleared when full), so a stream of made-up ids
// costs no database read each. At most once per `recheck`, one small query sees whether keys
// were created or revoked since (by `clausematch keys` in another process, or over HTTP): a
// revocation empties the cache of verified keys, so a revoked key stops working within `recheck`
// (at once when revoked through this process: Forget); a new key empties the unknown ids.
class KeyRing {
 public:
  static constexpr std::size_t kMaxUnknown = 10000;

  explicit KeyRing(Store& store, std::chrono::seconds ttl = std::chrono::seconds(60),
                   std::chrono::milliseconds recheck = std::chrono::milliseconds(1000))
      : store_(store), ttl_(ttl), recheck_(recheck) {}
  // The key when `token` is valid and not revoked; nullopt otherwise (never says which). Without
  // `lookup`, only keys already verified are recognised (no database read, no new entry): what a
  // client address over its failure budget gets.
  std::optional<ApiKey> Authenticate(std::string_view token, bool lookup = true);
  // Drops what is cached about `key_id` (after revoking it through this process).
  void Forget(const std::string& key_id);
  // Database reads of a key made so far (tests: unknown ids are not read twice).
  [[nodiscard]] std::uint64_t lookups() const { return lookups_.load(); }

 private:
  struct Cached {
    ApiKey key;
    std::string hash;
    std::chrono::steady_clock::time_point expires;
  };
  // Under mutex_ (released around the query): the once-per-recheck look at the keys table.
  void Recheck(std::unique_lock<std::mutex>& lock, std::chrono::steady_clock::time_point now);
  Store& store_;
  std::chrono::seconds ttl_;
  std::chrono::milliseconds recheck_;
  std::mutex mutex_;
  std::string secret_;
  std::unordered_map<std::string, Cached> cache_;
  std::unordered_set<std::string> unknown_;
  std::optional<ApiKeysState> state_;
  std::chrono::steady_clock::time_point next_recheck_{};
  std::atomic<std::uint64_t> lookups_{0};
};

}  // namespace clausematch::store
