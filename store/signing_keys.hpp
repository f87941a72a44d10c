#pragma once
// The keys of attestations (store/migrations/006_signing_keys.sql, docs/attestations.md): each
// facilitator organisation's Ed25519 signing keys, at most one active, and the key of the
// pseudonyms its attestations show.
//
// On a connection of their own to the database file a Store opened (store.cpp records each open
// Store's file), with their own short transactions: the tables are touched by attestations only,
// and keeping them out of Session leaves store/store.hpp, which nearly every unit includes, as it is.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.hpp"

// SQLiteCpp's own namespace, declared here so that callers need not include its headers.
namespace SQLite {  // NOLINT(readability-identifier-naming)
class Database;
}  // namespace SQLite

namespace clausematch::store {

class Store;

struct SigningKey {
  std::int64_t id = 0;
  model::OrgCode org;
  std::string key_id;                     // "ed25519-" and 16 hex digits of the public key's hash
  std::vector<unsigned char> public_key;  // 32 bytes
  std::vector<unsigned char> secret_key;  // 64 bytes, filled by Active only
  std::string created_at;
  std::string retired_at;  // empty while active
};

class SigningKeys {
 public:
  // A connection to the file `store` opened (std::logic_error for a Store this process did not open).
  explicit SigningKeys(const Store& store);
  ~SigningKeys();
  SigningKeys(const SigningKeys&) = delete;
  SigningKeys& operator=(const SigningKeys&) = delete;

  // `org`'s active key with its secret; made by `make` and stored first when it has none.
  SigningKey Active(const model::OrgCode& org, const std::function<SigningKey()>& make);
  // A key by id, or `org`'s keys oldest first: public parts only.
  [[nodiscard]] std::optional<SigningKey> Find(const std::string& key_id);
  [[nodiscard]] std::vector<SigningKey> List(const model::OrgCode& org);
  // Retires `org`'s active key (kept); false when it has none.
  bool Retire(const model::OrgCode& org);
  // The key of `org`'s pseudonyms, made by `make` (32 bytes) and stored first when there is none.
  std::vector<unsigned char> PseudonymKey(const model::OrgCode& org,
                                          const std::function<std::vector<unsigned char>()>& make);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

// Called by Store's constructor and destructor (store.cpp): which file each open Store holds.
void RecordDatabaseFile(const Store* store, const std::string& path);
void ForgetDatabaseFile(const Store* store);
// The file `store` opened (std::logic_error for a Store this process did not open): for the
// tables kept on their own connection (SigningKeys, BatchStates).
std::string DatabaseFileOf(const Store& store);

}  // namespace clausematch::store
