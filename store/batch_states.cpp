#include "store/batch_states.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/signing_keys.hpp"
#include "store/types.hpp"

namespace clausematch::store {

BatchStates::BatchStates(const Store& store) {
  const std::string path = DatabaseFileOf(store);
  dir_ = path + ".batch-states";
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX);
  db_->setBusyTimeout(5000);
  db_->exec("PRAGMA foreign_keys = ON");  // a row names a run that exists
}

BatchStates::~BatchStates() = default;

std::optional<KeptBatchState> BatchStates::Find(const model::OrgCode& org) {
  SQLite::Statement select(*db_, "SELECT batch_id, file, bytes, created_at FROM batch_states WHERE org = ?");
  select.bind(1, org);
  if (!select.executeStep()) return std::nullopt;
  KeptBatchState kept;
  kept.org = org;
  kept.batch = select.getColumn(0).getInt64();
  kept.file = select.getColumn(1).getString();
  kept.bytes = select.getColumn(2).getInt64();
  kept.created_at = select.getColumn(3).getString();
  return kept;
}

std::optional<std::string> BatchStates::Keep(KeptBatchState& kept) {
  if (kept.created_at.empty()) kept.created_at = NowTimestamp();
  SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  auto before = Find(kept.org);
  SQLite::Statement upsert(*db_,
                           "INSERT INTO batch_states (org, batch_id, file, bytes, created_at) VALUES (?, ?, ?, ?, ?)"
                           " ON CONFLICT (org) DO UPDATE SET batch_id = excluded.batch_id, file = excluded.file,"
                           " bytes = excluded.bytes, created_at = excluded.created_at");
  upsert.bind(1, kept.org);
  upsert.bind(2, kept.batch);
  upsert.bind(3, kept.file);
  upsert.bind(4, kept.bytes);
  upsert.bind(5, kept.created_at);
  upsert.exec();
  transaction.commit();
  if (!before) return std::nullopt;
  return before->file;
}

std::optional<std::string> BatchStates::Forget(const model::OrgCode& org) {
  SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  auto before = Find(org);
  SQLite::Statement remove(*db_, "DELETE FROM batch_states WHERE org = ?");
  remove.bind(1, org);
  remove.exec();
  transaction.commit();
  if (!before) return std::nullopt;
  return before->file;
}

std::vector<std::string> BatchStates::Files() {
  SQLite::Statement select(*db_, "SELECT file FROM batch_states ORDER BY file");
  std::vector<std::string> files;
  while (select.executeStep()) files.push_back(select.getColumn(0).getString());
  return files;
}

}  // namespace clausematch::store
