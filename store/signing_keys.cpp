#include "store/signing_keys.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "store/types.hpp"

namespace clausematch::store {
namespace {

std::mutex files_mutex;
std::map<const Store*, std::string>& Files() {
  static std::map<const Store*, std::string> files;
  return files;
}

std::vector<unsigned char> Blob(const SQLite::Column& column) {
  const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
  return {bytes, bytes + column.getBytes()};
}

constexpr const char* kColumns = "SELECT id, org, key_id, public_key, created_at, coalesce(retired_at, ''), secret_key";

SigningKey KeyOf(SQLite::Statement& select, bool with_secret) {
  SigningKey key;
  key.id = select.getColumn(0).getInt64();
  key.org = select.getColumn(1).getString();
  key.key_id = select.getColumn(2).getString();
  key.public_key = Blob(select.getColumn(3));
  key.created_at = select.getColumn(4).getString();
  key.retired_at = select.getColumn(5).getString();
  if (with_secret) key.secret_key = Blob(select.getColumn(6));
  return key;
}

// One BEGIN IMMEDIATE ... COMMIT (rolled back if `f` throws).
template <typename F>
auto InTransaction(SQLite::Database& db, F&& f) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  auto result = f();
  transaction.commit();
  return result;
}

}  // namespace

void RecordDatabaseFile(const Store* store, const std::string& path) {
  std::lock_guard lock(files_mutex);
  Files()[store] = path;
}

void ForgetDatabaseFile(const Store* store) {
  std::lock_guard lock(files_mutex);
  Files().erase(store);
}

std::string DatabaseFileOf(const Store& store) {
  std::lock_guard lock(files_mutex);
  const auto it = Files().find(&store);
  if (it == Files().end()) throw std::logic_error("store: a Store that is not open");
  return it->second;
}

SigningKeys::SigningKeys(const Store& store) {
  const std::string path = DatabaseFileOf(store);
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX);
  db_->setBusyTimeout(5000);
}

SigningKeys::~SigningKeys() = default;

SigningKey SigningKeys::Active(const model::OrgCode& org, const std::function<SigningKey()>& make) {
  return InTransaction(*db_, [&] {
    SQLite::Statement select(*db_, std::string(kColumns) + " FROM signing_keys WHERE org = ? AND retired_at IS NULL");
    select.bind(1, org);
    if (select.executeStep()) return KeyOf(select, true);
    SigningKey key = make();
    key.org = org;
    key.created_at = NowTimestamp();
    SQLite::Statement insert(*db_,
                             "INSERT INTO signing_keys (org, key_id, public_key, secret_key, created_at)"
                             " VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, key.org);
    insert.bind(2, key.key_id);
    insert.bind(3, key.public_key.data(), static_cast<int>(key.public_key.size()));
    insert.bind(4, key.secret_key.data(), static_cast<int>(key.secret_key.size()));
    insert.bind(5, key.created_at);
    insert.exec();
    key.id = db_->getLastInsertRowid();
    return key;
  });
}

std::optional<SigningKey> SigningKeys::Find(const std::string& key_id) {
  SQLite::Statement select(*db_, std::string(kColumns) + " FROM signing_keys WHERE key_id = ?");
  select.bind(1, key_id);
  if (!select.executeStep()) return std::nullopt;
  return KeyOf(select, false);
}

std::vector<SigningKey> SigningKeys::List(const model::OrgCode& org) {
  SQLite::Statement select(*db_, std::string(kColumns) + " FROM signing_keys WHERE org = ? ORDER BY id");
  select.bind(1, org);
  std::vector<SigningKey> out;
  while (select.executeStep()) out.push_back(KeyOf(select, false));
  return out;
}

bool SigningKeys::Retire(const model::OrgCode& org) {
  SQLite::Statement update(*db_, "UPDATE signing_keys SET retired_at = ? WHERE org = ? AND retired_at IS NULL");
  update.bind(1, NowTimestamp());
  update.bind(2, org);
  return update.exec() > 0;
}

std::vector<unsigned char> SigningKeys::PseudonymKey(const model::OrgCode& org,
                                                     const std::function<std::vector<unsigned char>()>& make) {
  return InTransaction(*db_, [&] {
    SQLite::Statement select(*db_, "SELECT key FROM attestation_pseudonym_keys WHERE org = ?");
    select.bind(1, org);
    if (select.executeStep()) return Blob(select.getColumn(0));
    auto key = make();
    SQLite::Statement insert(*db_, "INSERT INTO attestation_pseudonym_keys (org, key, created_at) VALUES (?, ?, ?)");
    insert.bind(1, org);
    insert.bind(2, key.data(), static_cast<int>(key.size()));
    insert.bind(3, NowTimestamp());
    insert.exec();
    return key;
  });
}

}  // namespace clausematch::store
