#pragma once
// Durable storage on SQLite (through SQLiteCpp): WAL journal, synchronous=FULL (a commit that
// returned is on disk), foreign keys on, a busy timeout. Migrations are applied when the store
// opens (store/migrations.hpp).
//
// Access goes through a Session, handed out by Store::Write (one writer at a time, inside
// BEGIN IMMEDIATE ... COMMIT, rolled back if the callback throws) or Store::Read (a separate
// read-only connection, inside a read transaction so multi-statement reads are consistent). After
// a write commits, the domain objects it touched are applied to the in-memory Snapshot.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "store/snapshot.hpp"
#include "store/types.hpp"

// SQLiteCpp's own namespace, declared here so that callers need not include its headers.
namespace SQLite {  // NOLINT(readability-identifier-naming)
class Database;
}  // namespace SQLite

namespace clausematch::store {

// Rows whose record cannot be decoded (a row changed outside the server, e.g. by hand-written SQL).
// The snapshot and the lists skip them instead of failing the whole start-up or page; each is
// reported once on stderr by table and id (never its content) and counted for /readyz and
// /metrics. Reading one by id still fails (a 500 for that object only).
class BadRecords {
 public:
  void Report(std::string_view table, std::int64_t id);
  [[nodiscard]] std::size_t count() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<std::string, std::int64_t>> seen_;
};

// The repositories: typed reads and writes on one connection. Only valid inside the Store::Read or
// Store::Write callback that handed it out. Writes refuse a record holding a non-finite number
// (NonFiniteError).
class Session {
 public:
  Session(SQLite::Database& db, std::vector<Change>* changes, BadRecords* bad = nullptr)
      : db_(db), changes_(changes), bad_(bad) {}

  // Participants. Insert assigns the id; Update replaces the whole record.
  model::ParticipantId InsertParticipant(model::Participant& p);
  void UpdateParticipant(const model::Participant& p);
  // The organisation an object belongs to (a participant's prescriber, a contract's, opening's or
  // placement's facilitator, a batch run's organisation), or nothing when there is no such object:
  // one indexed read of a short column, the same work for an object of another organisation as for
  // a missing one, so that access checks run before any record is decoded (service/access.hpp).
  enum class Owned : std::uint8_t { kParticipant, kContract, kOpening, kPlacement, kBatch };
  [[nodiscard]] std::optional<std::string> OwnerOf(Owned kind, std::int64_t id);
  [[nodiscard]] std::optional<model::Participant> FindParticipant(model::ParticipantId id);
  [[nodiscard]] std::vector<model::Participant> ListParticipants(const ParticipantQuery& query);

  model::ContractId InsertContract(model::Contract& c);
  void UpdateContract(const model::Contract& c);
  [[nodiscard]] std::optional<model::Contract> FindContract(model::ContractId id);
  [[nodiscard]] std::vector<model::Contract> ListContracts(const ContractQuery& query);
  // The organisation of each of `ids` that exists, in one query (an id missing from the answer has
  // no contract).
  [[nodiscard]] std::unordered_map<std::uint32_t, model::OrgCode> ContractOrgs(std::span<const std::uint32_t> ids);

  model::OpeningId InsertOpening(model::Opening& o);
  void UpdateOpening(const model::Opening& o);
  [[nodiscard]] std::optional<model::Opening> FindOpening(model::OpeningId id);
  [[nodiscard]] std::vector<model::Opening> ListOpenings(model::ContractId contract, std::uint32_t after, int limit);

  model::PlacementId InsertPlacement(model::Placement& p, std::int64_t proposal_id);
  [[nodiscard]] std::vector<model::Placement> ListPlacements(model::ParticipantId participant);
  // Replaces the whole record (status, terms, hours history).
  void UpdatePlacement(const model::Placement& p);
  [[nodiscard]] std::optional<model::Placement> FindPlacement(model::PlacementId id);
  // The placements on the openings of `contract`, by id, after `after`.
  [[nodiscard]] std::vector<model::Placement> ListPlacementsOfContract(model::ContractId contract, std::uint32_t after,
                                                                       int limit);

  // API keys and the secret their hashes are keyed with.
  std::int64_t InsertApiKey(ApiKey& key, const std::vector<unsigned char>& hash);
  [[nodiscard]] std::optional<std::pair<ApiKey, std::vector<unsigned char>>> FindApiKey(const std::string& key_id);
  // Every key (never the hashes), by id.
  [[nodiscard]] std::vector<ApiKey> ListApiKeys();
  // Marks the key revoked (kept, with when); false when there is no such key. Revoking twice keeps
  // the first time.
  bool RevokeApiKey(const std::string& key_id);
  [[nodiscard]] ApiKeysState ApiKeysStateNow();
  [[nodiscard]] std::optional<std::vector<unsigned char>> ServerSecret();
  void InsertServerSecret(const std::vector<unsigned char>& secret);

  // Browser sessions (store/web_sessions.hpp), found by the hash of their token with their key.
  void InsertWebSession(WebSessionRow& row);
  [[nodiscard]] std::optional<WebSessionRow> FindWebSession(std::span<const unsigned char> token_hash);
  void TouchWebSession(std::int64_t id, std::int64_t now);
  void DeleteWebSession(std::int64_t id);
  // Removes the sessions past their end or idle for longer than `idle_seconds`.
  void DeleteEndedWebSessions(std::int64_t now, std::int64_t idle_seconds);

  // True when `org` was shown the person as a candidate for `opening`: a proposal of one of its
  // batch runs for that opening, or a shortlist of that opening read in its audit log (the person's
  // hire on that opening may then be recorded by `org`).
  [[nodiscard]] bool ShownAsCandidate(model::ParticipantId participant, const model::OrgCode& org,
                                      model::OpeningId opening);

  // Territories: the départements an organisation covers ("*": every one), sorted; empty when
  // none is set. SetTerritory replaces the whole set.
  [[nodiscard]] std::vector<std::string> Territory(const model::OrgCode& org);
  void SetTerritory(const model::OrgCode& org, const std::vector<std::string>& departements);
  // Every organisation with a territory, by code.
  [[nodiscard]] std::vector<std::pair<model::OrgCode, std::vector<std::string>>> ListTerritories();
  // The organisations whose territory meets `org`'s (shares a département, or either covers "*").
  [[nodiscard]] std::vector<model::OrgCode> OrgsMeetingTerritoryOf(const model::OrgCode& org);

  // Audit log (append-only: the schema refuses UPDATE and DELETE).
  void Audit(const Actor& actor, std::string_view action, std::string_view object_type, std::int64_t object_id,
             std::string_view purpose) {
    Audit(actor, action, object_type, std::span<const std::int64_t>(&object_id, 1), purpose);
  }
  // One entry per object, through one prepared statement (a shortlist's k candidates). `opening`
  // (when not 0) records the opening the read was for (a shortlist's).
  void Audit(const Actor& actor, std::string_view action, std::string_view object_type,
             std::span<const std::int64_t> object_ids, std::string_view purpose, std::int64_t opening = 0);
  [[nodiscard]] std::vector<AuditEntry> ListAudit(std::string_view object_type, std::int64_t object_id);
  [[nodiscard]] std::int64_t CountAudit();

  // Idempotency-Key: the response first given for (key, Idempotency-Key).
  [[nodiscard]] std::optional<StoredResponse> FindIdempotent(std::int64_t api_key, const std::string& idem_key);
  void SaveIdempotent(std::int64_t api_key, const std::string& idem_key, const StoredResponse& response);

  std::int64_t InsertBatch(Batch& batch);
  void UpdateBatch(const Batch& batch);
  [[nodiscard]] std::optional<Batch> FindBatch(std::int64_t id);
  [[nodiscard]] std::vector<Batch> ListBatches(const std::optional<model::OrgCode>& org, std::int64_t after, int limit);
  // Deletes `org`'s finished runs (succeeded or failed) but the newest `keep`, with their
  // proposals; placements made from those proposals stay, without the link (proposal_id null).
  // Returns how many runs went.
  int PruneBatches(const model::OrgCode& org, int keep);

  std::int64_t InsertProposal(Proposal& proposal);
  void UpdateProposalDecision(const Proposal& proposal);
  [[nodiscard]] std::optional<Proposal> FindProposal(std::int64_t id);
  [[nodiscard]] std::vector<Proposal> ListProposals(std::int64_t batch, std::int64_t after, int limit);
  // Every proposal still pending, of every run, by id (details left empty).
  [[nodiscard]] std::vector<Proposal> ListPendingProposals();
  // The (participant, opening) pairs of the shortlists read so far, from the audit log: entries
  // 'shortlist' with the opening they were read for (audit_log.opening_id); distinct.
  [[nodiscard]] std::vector<std::pair<model::ParticipantId, model::OpeningId>> ListShortlisted();

  // Whole-table loads for the snapshot.
  [[nodiscard]] model::Dataset LoadDataset();

 private:
  void Changed(Change change);
  SQLite::Database& db_;
  std::vector<Change>* changes_;  // null on read sessions
  BadRecords* bad_;               // null: an undecodable row throws
};

class Store {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
  };
  // Opens (creating if needed) the database file, applies pending migrations, loads the snapshot.
  explicit Store(const std::string& path) : Store(path, Options{}) {}
  Store(const std::string& path, Options options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  template <typename F>
  auto Write(F&& f) {
    std::lock_guard lock(write_mutex_);
    std::vector<Change> changes;
    Session session(*writer_, &changes, &bad_records_);
    Begin(*writer_, true);
    using R = std::invoke_result_t<F, Session&>;
    try {
      if constexpr (std::is_void_v<R>) {
        f(session);
        Commit(*writer_);
        snapshot_.Apply(changes);
      } else {
        R result = f(session);
        Commit(*writer_);
        snapshot_.Apply(changes);
        return result;
      }
    } catch (...) {
      Rollback(*writer_);
      throw;
    }
  }

  template <typename F>
  auto Read(F&& f) {
    std::lock_guard lock(read_mutex_);
    Session session(*reader_, nullptr, &bad_records_);
    Begin(*reader_, false);
    using R = std::invoke_result_t<F, Session&>;
    try {
      if constexpr (std::is_void_v<R>) {
        f(session);
        Commit(*reader_);
      } else {
        R result = f(session);
        Commit(*reader_);
        return result;
      }
    } catch (...) {
      Rollback(*reader_);
      throw;
    }
  }

  // Appends one request's audit entries (one per object) on their own and returns once they are
  // committed, i.e. synced: callers reply only after it returns. Group commit: entries other
  // threads append while a commit is under way wait for it and then go together in the next one,
  // so under concurrent reads of personal data one fsync serves many requests instead of each
  // paying its own (the cost that bounds shortlist throughput: bench/README.md, "HTTP"). Throws
  // what the commit threw to every caller whose entries it held.
  void AuditDurably(const Actor& actor, std::string_view action, std::string_view object_type,
                    std::span<const std::int64_t> object_ids, std::string_view purpose, std::int64_t opening = 0);
  // Transactions AuditDurably has committed so far (entries of several calls share one).
  [[nodiscard]] std::uint64_t audit_commits() const { return audit_commits_.load(); }

  [[nodiscard]] const Snapshot& snapshot() const { return snapshot_; }
  // Undecodable rows met so far (at start-up by the snapshot, later by lists and reads).
  [[nodiscard]] const BadRecords& bad_records() const { return bad_records_; }
  [[nodiscard]] int schema_version();
  // "ok" when PRAGMA integrity_check finds nothing, else its first message.
  [[nodiscard]] std::string IntegrityCheck();
  // A cheap query on the read connection; false when the database does not answer.
  [[nodiscard]] bool Ping();

 private:
  static void Begin(SQLite::Database& db, bool immediate);
  static void Commit(SQLite::Database& db);
  static void Rollback(SQLite::Database& db) noexcept;
  void Migrate();

  std::unique_ptr<SQLite::Database> writer_;
  std::unique_ptr<SQLite::Database> reader_;
  std::mutex write_mutex_;
  std::mutex read_mutex_;
  BadRecords bad_records_;
  Snapshot snapshot_;

  struct AuditGroup;  // the entries of the next group commit
  std::mutex audit_mutex_;
  std::condition_variable audit_done_;
  std::shared_ptr<AuditGroup> audit_open_;  // gathering entries; null when none waits
  bool audit_committing_ = false;
  std::atomic<std::uint64_t> audit_commits_{0};
};

}  // namespace clausematch::store
