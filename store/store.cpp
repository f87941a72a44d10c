#include "store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/migrations.hpp"
#include "store/signing_keys.hpp"

namespace clausematch::store {
namespace {

void Configure(SQLite::Database& db, int busy_timeout_ms) {
  db.setBusyTimeout(busy_timeout_ms);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = FULL");
}

}  // namespace

Store::Store(const std::string& path, Options options) {
  writer_ =
      std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
  Configure(*writer_, options.busy_timeout_ms);
  // WAL survives in the file once set; readers then never block the writer.
  if (writer_->execAndGet("PRAGMA journal_mode = WAL").getString() != "wal")
    throw std::runtime_error("store: cannot enable WAL journal on " + path);
  Migrate();
  reader_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX);
  Configure(*reader_, options.busy_timeout_ms);
  snapshot_.Reset(Read([](Session& s) { return s.LoadDataset(); }));
  RecordDatabaseFile(this, path);
}

Store::~Store() { ForgetDatabaseFile(this); }

void BadRecords::Report(std::string_view table, std::int64_t id) {
  std::lock_guard lock(mutex_);
  if (!seen_.emplace(std::string(table), id).second) return;
  std::cerr << "clausematch: store: " << table << " row " << id
            << " holds a record that cannot be decoded; it is skipped (not served, not matched) until repaired"
            << std::endl;
}

std::size_t BadRecords::count() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

void Store::Migrate() {
  std::lock_guard lock(write_mutex_);
  writer_->exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const auto& m : Migrations()) {
    Begin(*writer_, true);
    try {
      bool applied = false;
      {
        SQLite::Statement done(*writer_, "SELECT 1 FROM schema_version WHERE version = ?");
        done.bind(1, m.version);
        applied = done.executeStep();
      }
      if (applied) {
        Commit(*writer_);
        continue;
      }
      writer_->exec(std::string(m.sql));
      SQLite::Statement record(*writer_, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
      record.bind(1, m.version);
      record.bind(2, std::string(m.name));
      record.bind(3, NowTimestamp());
      record.exec();
      Commit(*writer_);
    } catch (const std::exception& e) {
      Rollback(*writer_);
      throw std::runtime_error("store: migration " + std::string(m.name) + " failed: " + e.what());
    }
  }
}

struct Store::AuditGroup {
  struct Entry {
    Actor actor;
    std::string action, object_type, purpose;
    std::vector<std::int64_t> object_ids;
    std::int64_t opening = 0;
  };
  std::vector<Entry> entries;
  bool done = false;
  std::exception_ptr error;
};

void Store::AuditDurably(const Actor& actor, std::string_view action, std::string_view object_type,
                         std::span<const std::int64_t> object_ids, std::string_view purpose, std::int64_t opening) {
  if (object_ids.empty()) return;
  std::unique_lock lock(audit_mutex_);
  if (!audit_open_) audit_open_ = std::make_shared<AuditGroup>();
  const auto mine = audit_open_;
  mine->entries.push_back({actor, std::string(action), std::string(object_type), std::string(purpose),
                           std::vector<std::int64_t>(object_ids.begin(), object_ids.end()), opening});
  while (!mine->done) {
    if (audit_committing_) {
      audit_done_.wait(lock);
      continue;
    }
    // No commit under way, and every group taken so far is done: the open group is ours. Lead it.
    audit_committing_ = true;
    const auto group = std::move(audit_open_);
    lock.unlock();
    try {
      Write([&](Session& s) {
        for (const auto& e : group->entries)
          s.Audit(e.actor, e.action, e.object_type, e.object_ids, e.purpose, e.opening);
      });
      audit_commits_.fetch_add(1);
    } catch (...) {
      group->error = std::current_exception();
    }
    lock.lock();
    group->done = true;
    audit_committing_ = false;
    audit_done_.notify_all();
  }
  if (mine->error) std::rethrow_exception(mine->error);
}

int Store::schema_version() {
  return Read([this](Session&) {
    return reader_->execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt();
  });
}

std::string Store::IntegrityCheck() {
  std::lock_guard lock(write_mutex_);
  SQLite::Statement check(*writer_, "PRAGMA integrity_check");
  if (!check.executeStep()) return "no answer";
  return check.getColumn(0).getString();
}

bool Store::Ping() {
  try {
    return Read([this](Session&) { return reader_->execAndGet("SELECT 1").getInt() == 1; });
  } catch (const std::exception&) {
    return false;
  }
}

void Store::Begin(SQLite::Database& db, bool immediate) { db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }
void Store::Commit(SQLite::Database& db) { db.exec("COMMIT"); }
void Store::Rollback(SQLite::Database& db) noexcept {
  try {
    if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("ROLLBACK");
  } catch (...) {  // nothing more to do: the connection reports the failure on next use
  }
}

}  // namespace clausematch::store
