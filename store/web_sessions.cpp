#include "store/web_sessions.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace clausematch::store {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kHashBytes = 32;
// The activity of a session is written at most this often (more often under a short idle limit).
constexpr std::int64_t kTouchEverySeconds = 5;

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string RandomToken() {
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  std::string out(sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(bytes, sizeof bytes);
  return out;
}

std::vector<unsigned char> HashOf(std::string_view token) {
  std::vector<unsigned char> out(kHashBytes);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return out;
}

// A token has the shape RandomToken gives; anything else is not looked up.
bool WellFormed(std::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

OpenedWebSession WebSessions::Open(const ApiKey& key) {
  InitSodium();
  OpenedWebSession opened;
  opened.token = RandomToken();
  opened.csrf_token = RandomToken();
  opened.key = key;
  const auto now = Now();
  WebSessionRow row;
  row.token_hash = HashOf(opened.token);
  row.key = key;
  row.csrf_token = opened.csrf_token;
  row.created_at = now;
  row.last_seen_at = now;
  row.expires_at = now + policy_.lifetime.count();
  store_.Write([&](Session& s) {
    s.DeleteEndedWebSessions(now, policy_.idle.count());
    s.InsertWebSession(row);
  });
  opened.expires_at = std::min(row.expires_at, now + policy_.idle.count());
  return opened;
}

std::optional<WebSessionState> WebSessions::Find(std::string_view token) {
  if (!WellFormed(token)) return std::nullopt;
  InitSodium();
  const auto hash = HashOf(token);
  auto row = store_.Read([&](Session& s) { return s.FindWebSession(hash); });
  const auto now = Now();
  if (!row || row->key.revoked || now >= row->expires_at || now >= row->last_seen_at + policy_.idle.count())
    return std::nullopt;
  if (now - row->last_seen_at >= std::min(kTouchEverySeconds, policy_.idle.count() / 4)) {
    store_.Write([&](Session& s) { s.TouchWebSession(row->id, now); });
    row->last_seen_at = now;
  }
  WebSessionState state;
  state.id = row->id;
  state.key = row->key;
  state.csrf_token = row->csrf_token;
  state.expires_at = std::min(row->expires_at, row->last_seen_at + policy_.idle.count());
  return state;
}

void WebSessions::Close(std::string_view token) {
  if (!WellFormed(token)) return;
  InitSodium();
  const auto hash = HashOf(token);
  store_.Write([&](Session& s) {
    if (auto row = s.FindWebSession(hash)) s.DeleteWebSession(row->id);
  });
}

// ---- the repository (store::Session) ----

void Session::InsertWebSession(WebSessionRow& row) {
  SQLite::Statement insert(db_,
                           "INSERT INTO web_sessions (token_hash, api_key, csrf_token, created_at, last_seen_at,"
                           " expires_at) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, row.token_hash.data(), static_cast<int>(row.token_hash.size()));
  insert.bind(2, row.key.id);
  insert.bind(3, row.csrf_token);
  insert.bind(4, row.created_at);
  insert.bind(5, row.last_seen_at);
  insert.bind(6, row.expires_at);
  insert.exec();
  row.id = db_.getLastInsertRowid();
}

std::optional<WebSessionRow> Session::FindWebSession(std::span<const unsigned char> token_hash) {
  SQLite::Statement select(db_,
                           "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, k.id, k.key_id,"
                           " k.org, k.role, k.created_at, k.revoked_at FROM web_sessions s JOIN api_keys k"
                           " ON k.id = s.api_key WHERE s.token_hash = ?");
  select.bind(1, token_hash.data(), static_cast<int>(token_hash.size()));
  if (!select.executeStep()) return std::nullopt;
  WebSessionRow row;
  row.id = select.getColumn(0).getInt64();
  row.token_hash.assign(token_hash.begin(), token_hash.end());
  row.csrf_token = select.getColumn(1).getString();
  row.created_at = select.getColumn(2).getInt64();
  row.last_seen_at = select.getColumn(3).getInt64();
  row.expires_at = select.getColumn(4).getInt64();
  row.key.id = select.getColumn(5).getInt64();
  row.key.key_id = select.getColumn(6).getString();
  row.key.org = select.getColumn(7).getString();
  row.key.role = ParseRole(select.getColumn(8).getString()).value_or(Role::kPrescriber);
  row.key.created_at = select.getColumn(9).getString();
  row.key.revoked = !select.getColumn(10).isNull();
  if (row.key.revoked) row.key.revoked_at = select.getColumn(10).getString();
  return row;
}

void Session::TouchWebSession(std::int64_t id, std::int64_t now) {
  SQLite::Statement update(db_, "UPDATE web_sessions SET last_seen_at = ? WHERE id = ?");
  update.bind(1, now);
  update.bind(2, id);
  update.exec();
}

void Session::DeleteWebSession(std::int64_t id) {
  SQLite::Statement remove(db_, "DELETE FROM web_sessions WHERE id = ?");
  remove.bind(1, id);
  remove.exec();
}

void Session::DeleteEndedWebSessions(std::int64_t now, std::int64_t idle_seconds) {
  SQLite::Statement remove(db_, "DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at + ? <= ?");
  remove.bind(1, now);
  remove.bind(2, idle_seconds);
  remove.bind(3, now);
  remove.exec();
}

}  // namespace clausematch::store
