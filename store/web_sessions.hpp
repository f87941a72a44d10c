#pragma once
// Browser sessions of the web console: an API key is exchanged for a session whose token travels
// in an HttpOnly cookie. The token is 32 random bytes (base64url); the database keeps only its
// BLAKE2b-256 hash, so a copy of the table opens no session. Each session has a CSRF token (sent
// back by the console's script in a header on every state-changing request), an absolute end and
// an idle limit. A session acts exactly as its key: same role, same organisation; a revoked key
// ends its sessions. Kept in SQLite so that a restart of the server keeps people logged in.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace clausematch::store {

struct WebSessionPolicy {
  std::chrono::seconds lifetime{8 * 3600};  // from the login, whatever the activity
  std::chrono::seconds idle{30 * 60};       // without a request
};

struct OpenedWebSession {
  std::string token;  // the cookie's value, never stored
  std::string csrf_token;
  ApiKey key;
  std::int64_t expires_at = 0;  // Unix seconds
};

struct WebSessionState {
  std::int64_t id = 0;
  ApiKey key;
  std::string csrf_token;
  std::int64_t expires_at = 0;  // the earlier of the absolute end and the idle end, Unix seconds
};

class WebSessions {
 public:
  WebSessions(Store& store, WebSessionPolicy policy) : store_(store), policy_(policy) {}

  // A new session for `key` (already authenticated); also removes ended sessions.
  OpenedWebSession Open(const ApiKey& key);
  // The live session of `token`: not ended, not idle for too long, its key not revoked. Records the
  // activity (at most once every few seconds, so reads stay reads).
  std::optional<WebSessionState> Find(std::string_view token);
  // Logout: the session is deleted (a no-op for an unknown token).
  void Close(std::string_view token);
  [[nodiscard]] const WebSessionPolicy& policy() const { return policy_; }

 private:
  Store& store_;
  WebSessionPolicy policy_;
};

// Compares two strings in constant time for their length (CSRF tokens).
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace clausematch::store
