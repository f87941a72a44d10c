// The repositories of store::Session: one SQL statement per operation, domain objects kept as
// JSON records (store/records.hpp) next to the columns queries filter on.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "store/records.hpp"
#include "store/store.hpp"

namespace clausematch::store {
namespace {

using nlohmann::json;

bool AllFinite(const json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (j.is_structured())
    for (const auto& e : j)
      if (!AllFinite(e)) return false;
  return true;
}

// The JSON pointer of the first non-finite number of `j` (which holds one).
std::string NonFinitePointer(const json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!AllFinite(it.value())) return "/" + it.key() + NonFinitePointer(it.value());
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (!AllFinite(j[i])) return "/" + std::to_string(i) + NonFinitePointer(j[i]);
  }
  return "";
}

// What is written: JSON cannot hold NaN or an infinity (dump() would write null, a row that no
// longer reads back), so a record holding one is refused before anything is stored.
std::string Text(const json& j) {
  if (!AllFinite(j)) throw NonFiniteError(NonFinitePointer(j));
  return j.dump();
}
json Parse(const SQLite::Column& column) { return json::parse(column.getString()); }

// Runs an INSERT/UPDATE, turning a UNIQUE violation into ConflictError.
void Execute(SQLite::Statement& statement) {
  try {
    statement.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE ||
        e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY)
      throw ConflictError(e.what());
    throw;
  }
}

std::uint32_t NewId(SQLite::Database& db) {
  const auto id = db.getLastInsertRowid();
  if (id <= 0 || id >= 0xffffffffLL) throw std::runtime_error("store: id space exhausted");
  return static_cast<std::uint32_t>(id);
}

// One `doc` record decoded with `decode`; a row that does not decode is reported to `bad` (when
// given) and the exception goes on.
template <typename Decode>
auto DecodeRow(Decode decode, const SQLite::Column& doc, std::string_view table, std::int64_t id, BadRecords* bad) {
  try {
    return decode(Parse(doc));
  } catch (const std::exception&) {
    if (bad != nullptr) bad->Report(table, id);
    throw;
  }
}

// Appends the rows (id, doc) of a prepared statement, decoded with `decode`, to `out`. With `bad`,
// a row that does not decode is skipped (and reported) rather than failing the whole list. Returns
// how many rows were read; `last_id` is the last one's id.
template <typename T, typename Decode>
int Collect(SQLite::Statement& statement, Decode decode, std::string_view table, BadRecords* bad, std::vector<T>& out,
            std::int64_t& last_id) {
  int rows = 0;
  while (statement.executeStep()) {
    ++rows;
    last_id = statement.getColumn(0).getInt64();
    try {
      out.push_back(DecodeRow(decode, statement.getColumn(1), table, last_id, bad));
    } catch (const std::exception&) {
      if (bad == nullptr) throw;
    }
  }
  return rows;
}

template <typename T, typename Decode>
std::vector<T> Records(SQLite::Statement& statement, Decode decode, std::string_view table, BadRecords* bad) {
  std::vector<T> out;
  std::int64_t last_id = 0;
  Collect(statement, decode, table, bad, out, last_id);
  return out;
}

// Up to `limit` records after id `after` from `statement`, which selects (id, doc) by id with its
// other parameters bound: "id > ?" is parameter `after_param`, "LIMIT ?" is `limit_param`. Skipped
// rows are made up from the following ones: a page is short only when the rows run out (the API
// takes a short page for the last one).
template <typename T, typename Decode>
std::vector<T> Page(SQLite::Statement& statement, int after_param, int limit_param, std::int64_t after, int limit,
                    Decode decode, std::string_view table, BadRecords* bad) {
  std::vector<T> out;
  for (int wanted = limit; wanted > 0; wanted = limit - static_cast<int>(out.size())) {
    statement.reset();  // bindings stay
    statement.bind(after_param, after);
    statement.bind(limit_param, wanted);
    if (Collect(statement, decode, table, bad, out, after) < wanted) break;
  }
  return out;
}

std::string OptionalText(const SQLite::Column& column) { return column.isNull() ? std::string() : column.getString(); }

Batch BatchFromRow(SQLite::Statement& s) {
  Batch b;
  b.id = s.getColumn(0).getInt64();
  b.org = s.getColumn(1).getString();
  const auto state = s.getColumn(2).getString();
  for (auto candidate : {BatchState::kQueued, BatchState::kRunning, BatchState::kSucceeded, BatchState::kFailed})
    if (BatchStateCode(candidate) == state) b.state = candidate;
  b.params = Parse(s.getColumn(3));
  b.progress = s.getColumn(4).getDouble();
  if (!s.getColumn(5).isNull()) b.summary = Parse(s.getColumn(5));
  b.error = OptionalText(s.getColumn(6));
  b.created_at = s.getColumn(7).getString();
  b.started_at = OptionalText(s.getColumn(8));
  b.finished_at = OptionalText(s.getColumn(9));
  return b;
}
constexpr const char* kBatchColumns =
    "id, org, state, params, progress, summary, error, created_at, started_at, finished_at";

Proposal ProposalFromRow(SQLite::Statement& s) {
  Proposal p;
  p.id = s.getColumn(0).getInt64();
  p.batch = s.getColumn(1).getInt64();
  p.participant = model::ParticipantId(static_cast<std::uint32_t>(s.getColumn(2).getInt64()));
  p.opening = model::OpeningId(static_cast<std::uint32_t>(s.getColumn(3).getInt64()));
  p.score = s.getColumn(4).getDouble();
  p.details = Parse(s.getColumn(5));
  p.decision = ParseDecision(s.getColumn(6).getString()).value_or(Decision::kPending);
  p.decided_by = OptionalText(s.getColumn(7));
  p.decided_at = OptionalText(s.getColumn(8));
  p.decision_reason = OptionalText(s.getColumn(9));
  return p;
}
constexpr const char* kProposalColumns =
    "id, batch_id, participant_id, opening_id, score, details, decision, decided_by, decided_at, decision_reason";

}  // namespace

void Session::Changed(Change change) {
  if (changes_ == nullptr) throw std::logic_error("store: write through a read session");
  changes_->push_back(std::move(change));
}

// ---- participants ----

model::ParticipantId Session::InsertParticipant(model::Participant& p) {
  const auto now = NowTimestamp();
  SQLite::Statement insert(
      db_,
      "INSERT INTO participants (org, external_ref, status, commune_insee, doc, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, '{}', ?, ?)");
  insert.bind(1, p.prescriber_org);
  insert.bind(2, p.external_ref);
  insert.bind(3, std::string(model::Code(p.status)));
  insert.bind(4, p.commune_insee);
  insert.bind(5, now);
  insert.bind(6, now);
  Execute(insert);
  p.id = model::ParticipantId(NewId(db_));
  SQLite::Statement doc(db_, "UPDATE participants SET doc = ? WHERE id = ?");
  doc.bind(1, Text(ToRecord(p)));
  doc.bind(2, static_cast<std::int64_t>(p.id.value()));
  doc.exec();
  Changed(p);
  return p.id;
}

void Session::UpdateParticipant(const model::Participant& p) {
  SQLite::Statement update(db_,
                           "UPDATE participants SET org = ?, external_ref = ?, status = ?, commune_insee = ?, doc = ?,"
                           " updated_at = ? WHERE id = ?");
  update.bind(1, p.prescriber_org);
  update.bind(2, p.external_ref);
  update.bind(3, std::string(model::Code(p.status)));
  update.bind(4, p.commune_insee);
  update.bind(5, Text(ToRecord(p)));
  update.bind(6, NowTimestamp());
  update.bind(7, static_cast<std::int64_t>(p.id.value()));
  Execute(update);
  if (db_.getChanges() != 1) throw std::runtime_error("store: no participant " + std::to_string(p.id.value()));
  Changed(p);
}

std::optional<std::string> Session::OwnerOf(Owned kind, std::int64_t id) {
  const char* sql = nullptr;
  switch (kind) {
    case Owned::kParticipant:
      sql = "SELECT org FROM participants WHERE id = ?";
      break;
    case Owned::kContract:
      sql = "SELECT org FROM contracts WHERE id = ?";
      break;
    case Owned::kOpening:
      sql = "SELECT c.org FROM openings o JOIN contracts c ON c.id = o.contract_id WHERE o.id = ?";
      break;
    case Owned::kPlacement:
      sql =
          "SELECT c.org FROM placements p JOIN openings o ON o.id = p.opening_id"
          " JOIN contracts c ON c.id = o.contract_id WHERE p.id = ?";
      break;
    case Owned::kBatch:
      sql = "SELECT org FROM batches WHERE id = ?";
      break;
  }
  SQLite::Statement select(db_, sql);
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  return select.getColumn(0).getString();
}

std::optional<model::Participant> Session::FindParticipant(model::ParticipantId id) {
  SQLite::Statement select(db_, "SELECT doc FROM participants WHERE id = ?");
  select.bind(1, static_cast<std::int64_t>(id.value()));
  if (!select.executeStep()) return std::nullopt;
  return DecodeRow(ParticipantFromRecord, select.getColumn(0), "participants", id.value(), bad_);
}

std::vector<model::Participant> Session::ListParticipants(const ParticipantQuery& q) {
  std::string sql = "SELECT id, doc FROM participants WHERE id > ?";
  if (q.org) sql += " AND org = ?";
  if (q.status) sql += " AND status = ?";
  if (q.commune_insee) sql += " AND commune_insee = ?";
  if (q.external_ref) sql += " AND external_ref = ?";
  if (q.criterion)
    sql += " AND EXISTS (SELECT 1 FROM json_each(doc, '$.criteria') WHERE json_extract(value, '$.criterion') = ?)";
  sql += " ORDER BY id LIMIT ?";
  SQLite::Statement select(db_, sql);
  int i = 2;  // 1: the cursor, bound by Page
  if (q.org) select.bind(i++, *q.org);
  if (q.status) select.bind(i++, std::string(model::Code(*q.status)));
  if (q.commune_insee) select.bind(i++, *q.commune_insee);
  if (q.external_ref) select.bind(i++, *q.external_ref);
  if (q.criterion) select.bind(i++, std::string(model::Code(*q.criterion)));
  return Page<model::Participant>(select, 1, i, q.after, q.limit, ParticipantFromRecord, "participants", bad_);
}

// ---- contracts and openings ----

model::ContractId Session::InsertContract(model::Contract& c) {
  const auto now = NowTimestamp();
  SQLite::Statement insert(db_,
                           "INSERT INTO contracts (org, reference, status, doc, created_at, updated_at)"
                           " VALUES (?, ?, ?, '{}', ?, ?)");
  insert.bind(1, c.facilitator_org);
  insert.bind(2, c.reference);
  insert.bind(3, std::string(model::Code(c.status)));
  insert.bind(4, now);
  insert.bind(5, now);
  Execute(insert);
  c.id = model::ContractId(NewId(db_));
  UpdateContract(c);
  return c.id;
}

void Session::UpdateContract(const model::Contract& c) {
  SQLite::Statement update(
      db_, "UPDATE contracts SET org = ?, reference = ?, status = ?, doc = ?, updated_at = ? WHERE id = ?");
  update.bind(1, c.facilitator_org);
  update.bind(2, c.reference);
  update.bind(3, std::string(model::Code(c.status)));
  update.bind(4, Text(ToRecord(c)));
  update.bind(5, NowTimestamp());
  update.bind(6, static_cast<std::int64_t>(c.id.value()));
  Execute(update);
  if (db_.getChanges() != 1) throw std::runtime_error("store: no contract " + std::to_string(c.id.value()));
  Changed(c);
}

std::optional<model::Contract> Session::FindContract(model::ContractId id) {
  SQLite::Statement select(db_, "SELECT doc FROM contracts WHERE id = ?");
  select.bind(1, static_cast<std::int64_t>(id.value()));
  if (!select.executeStep()) return std::nullopt;
  return DecodeRow(ContractFromRecord, select.getColumn(0), "contracts", id.value(), bad_);
}

std::vector<model::Contract> Session::ListContracts(const ContractQuery& q) {
  std::string sql = "SELECT id, doc FROM contracts WHERE id > ?";
  if (q.org) sql += " AND org = ?";
  if (q.status) sql += " AND status = ?";
  sql += " ORDER BY id LIMIT ?";
  SQLite::Statement select(db_, sql);
  int i = 2;  // 1: the cursor, bound by Page
  if (q.org) select.bind(i++, *q.org);
  if (q.status) select.bind(i++, std::string(model::Code(*q.status)));
  return Page<model::Contract>(select, 1, i, q.after, q.limit, ContractFromRecord, "contracts", bad_);
}

std::unordered_map<std::uint32_t, model::OrgCode> Session::ContractOrgs(std::span<const std::uint32_t> ids) {
  SQLite::Statement select(db_, "SELECT id, org FROM contracts WHERE id IN (SELECT value FROM json_each(?))");
  select.bind(1, Text(json(std::vector<std::uint32_t>(ids.begin(), ids.end()))));
  std::unordered_map<std::uint32_t, model::OrgCode> out;
  while (select.executeStep())
    out.emplace(static_cast<std::uint32_t>(select.getColumn(0).getInt64()), select.getColumn(1).getString());
  return out;
}

model::OpeningId Session::InsertOpening(model::Opening& o) {
  const auto now = NowTimestamp();
  SQLite::Statement insert(
      db_, "INSERT INTO openings (contract_id, status, doc, created_at, updated_at) VALUES (?, ?, '{}', ?, ?)");
  insert.bind(1, static_cast<std::int64_t>(o.contract.value()));
  insert.bind(2, std::string(model::Code(o.status)));
  insert.bind(3, now);
  insert.bind(4, now);
  Execute(insert);
  o.id = model::OpeningId(NewId(db_));
  UpdateOpening(o);
  return o.id;
}

void Session::UpdateOpening(const model::Opening& o) {
  SQLite::Statement update(db_, "UPDATE openings SET status = ?, doc = ?, updated_at = ? WHERE id = ?");
  update.bind(1, std::string(model::Code(o.status)));
  update.bind(2, Text(ToRecord(o)));
  update.bind(3, NowTimestamp());
  update.bind(4, static_cast<std::int64_t>(o.id.value()));
  Execute(update);
  if (db_.getChanges() != 1) throw std::runtime_error("store: no opening " + std::to_string(o.id.value()));
  Changed(o);
}

std::optional<model::Opening> Session::FindOpening(model::OpeningId id) {
  SQLite::Statement select(db_, "SELECT doc FROM openings WHERE id = ?");
  select.bind(1, static_cast<std::int64_t>(id.value()));
  if (!select.executeStep()) return std::nullopt;
  return DecodeRow(OpeningFromRecord, select.getColumn(0), "openings", id.value(), bad_);
}

std::vector<model::Opening> Session::ListOpenings(model::ContractId contract, std::uint32_t after, int limit) {
  SQLite::Statement select(db_, "SELECT id, doc FROM openings WHERE contract_id = ? AND id > ? ORDER BY id LIMIT ?");
  select.bind(1, static_cast<std::int64_t>(contract.value()));
  return Page<model::Opening>(select, 2, 3, after, limit, OpeningFromRecord, "openings", bad_);
}

model::PlacementId Session::InsertPlacement(model::Placement& p, std::int64_t proposal_id) {
  const auto now = NowTimestamp();
  SQLite::Statement insert(db_,
                           "INSERT INTO placements (participant_id, opening_id, proposal_id, status, doc, created_at,"
                           " updated_at) VALUES (?, ?, ?, ?, '{}', ?, ?)");
  insert.bind(1, static_cast<std::int64_t>(p.participant.value()));
  insert.bind(2, static_cast<std::int64_t>(p.opening.value()));
  if (proposal_id > 0)
    insert.bind(3, proposal_id);
  else
    insert.bind(3);
  insert.bind(4, std::string(model::Code(p.status)));
  insert.bind(5, now);
  insert.bind(6, now);
  Execute(insert);
  p.id = model::PlacementId(NewId(db_));
  SQLite::Statement doc(db_, "UPDATE placements SET doc = ? WHERE id = ?");
  doc.bind(1, Text(ToRecord(p)));
  doc.bind(2, static_cast<std::int64_t>(p.id.value()));
  doc.exec();
  Changed(p);
  return p.id;
}

std::vector<model::Placement> Session::ListPlacements(model::ParticipantId participant) {
  SQLite::Statement select(db_, "SELECT id, doc FROM placements WHERE participant_id = ? ORDER BY id");
  select.bind(1, static_cast<std::int64_t>(participant.value()));
  return Records<model::Placement>(select, PlacementFromRecord, "placements", bad_);
}

void Session::UpdatePlacement(const model::Placement& p) {
  SQLite::Statement update(db_, "UPDATE placements SET status = ?, doc = ?, updated_at = ? WHERE id = ?");
  update.bind(1, std::string(model::Code(p.status)));
  update.bind(2, Text(ToRecord(p)));
  update.bind(3, NowTimestamp());
  update.bind(4, static_cast<std::int64_t>(p.id.value()));
  Execute(update);
  if (db_.getChanges() != 1) throw std::runtime_error("store: no placement " + std::to_string(p.id.value()));
  Changed(p);
}

std::optional<model::Placement> Session::FindPlacement(model::PlacementId id) {
  SQLite::Statement select(db_, "SELECT doc FROM placements WHERE id = ?");
  select.bind(1, static_cast<std::int64_t>(id.value()));
  if (!select.executeStep()) return std::nullopt;
  return DecodeRow(PlacementFromRecord, select.getColumn(0), "placements", id.value(), bad_);
}

std::vector<model::Placement> Session::ListPlacementsOfContract(model::ContractId contract, std::uint32_t after,
                                                                int limit) {
  SQLite::Statement select(db_,
                           "SELECT p.id, p.doc FROM placements p JOIN openings o ON o.id = p.opening_id"
                           " WHERE o.contract_id = ? AND p.id > ? ORDER BY p.id LIMIT ?");
  select.bind(1, static_cast<std::int64_t>(contract.value()));
  return Page<model::Placement>(select, 2, 3, after, limit, PlacementFromRecord, "placements", bad_);
}

bool Session::ShownAsCandidate(model::ParticipantId participant, const model::OrgCode& org, model::OpeningId opening) {
  SQLite::Statement select(db_,
                           "SELECT EXISTS (SELECT 1 FROM proposals pr JOIN batches b ON b.id = pr.batch_id"
                           "               WHERE pr.participant_id = ?1 AND pr.opening_id = ?3 AND b.org = ?2)"
                           " OR EXISTS (SELECT 1 FROM audit_log WHERE object_type = 'participant' AND object_id = ?1"
                           "            AND org = ?2 AND action = 'shortlist' AND opening_id = ?3)");
  select.bind(1, static_cast<std::int64_t>(participant.value()));
  select.bind(2, org);
  select.bind(3, static_cast<std::int64_t>(opening.value()));
  return select.executeStep() && select.getColumn(0).getInt() != 0;
}

// ---- territories ----

std::vector<std::string> Session::Territory(const model::OrgCode& org) {
  SQLite::Statement select(db_, "SELECT departement FROM org_territories WHERE org = ? ORDER BY departement");
  select.bind(1, org);
  std::vector<std::string> out;
  while (select.executeStep()) out.push_back(select.getColumn(0).getString());
  return out;
}

void Session::SetTerritory(const model::OrgCode& org, const std::vector<std::string>& departements) {
  SQLite::Statement erase(db_, "DELETE FROM org_territories WHERE org = ?");
  erase.bind(1, org);
  erase.exec();
  SQLite::Statement insert(db_, "INSERT OR IGNORE INTO org_territories (org, departement) VALUES (?, ?)");
  insert.bind(1, org);
  for (const auto& d : departements) {
    insert.bind(2, d);
    insert.exec();
    insert.reset();
  }
}

std::vector<std::pair<model::OrgCode, std::vector<std::string>>> Session::ListTerritories() {
  SQLite::Statement select(db_, "SELECT org, departement FROM org_territories ORDER BY org, departement");
  std::vector<std::pair<model::OrgCode, std::vector<std::string>>> out;
  while (select.executeStep()) {
    auto org = select.getColumn(0).getString();
    if (out.empty() || out.back().first != org) out.emplace_back(std::move(org), std::vector<std::string>{});
    out.back().second.push_back(select.getColumn(1).getString());
  }
  return out;
}

std::vector<model::OrgCode> Session::OrgsMeetingTerritoryOf(const model::OrgCode& org) {
  SQLite::Statement select(db_,
                           "SELECT DISTINCT other.org FROM org_territories mine JOIN org_territories other"
                           " ON other.departement = mine.departement OR mine.departement = '*'"
                           " OR other.departement = '*' WHERE mine.org = ? ORDER BY other.org");
  select.bind(1, org);
  std::vector<model::OrgCode> out;
  while (select.executeStep()) out.push_back(select.getColumn(0).getString());
  return out;
}

// ---- API keys ----

std::int64_t Session::InsertApiKey(ApiKey& key, const std::vector<unsigned char>& hash) {
  SQLite::Statement insert(db_, "INSERT INTO api_keys (key_id, org, role, hash, created_at) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, key.key_id);
  insert.bind(2, key.org);
  insert.bind(3, std::string(RoleCode(key.role)));
  insert.bind(4, hash.data(), static_cast<int>(hash.size()));
  if (key.created_at.empty()) key.created_at = NowTimestamp();
  insert.bind(5, key.created_at);
  Execute(insert);
  key.id = db_.getLastInsertRowid();
  return key.id;
}

std::optional<std::pair<ApiKey, std::vector<unsigned char>>> Session::FindApiKey(const std::string& key_id) {
  SQLite::Statement select(db_,
                           "SELECT id, key_id, org, role, hash, created_at, revoked_at FROM api_keys WHERE key_id = ?");
  select.bind(1, key_id);
  if (!select.executeStep()) return std::nullopt;
  ApiKey key;
  key.id = select.getColumn(0).getInt64();
  key.key_id = select.getColumn(1).getString();
  key.org = select.getColumn(2).getString();
  key.role = ParseRole(select.getColumn(3).getString()).value_or(Role::kPrescriber);
  const auto hash_column = select.getColumn(4);
  const auto* bytes = static_cast<const unsigned char*>(hash_column.getBlob());
  std::vector<unsigned char> hash(bytes, bytes + hash_column.getBytes());
  key.created_at = select.getColumn(5).getString();
  key.revoked = !select.getColumn(6).isNull();
  key.revoked_at = OptionalText(select.getColumn(6));
  return std::make_pair(std::move(key), std::move(hash));
}

std::vector<ApiKey> Session::ListApiKeys() {
  SQLite::Statement select(db_, "SELECT id, key_id, org, role, created_at, revoked_at FROM api_keys ORDER BY id");
  std::vector<ApiKey> out;
  while (select.executeStep()) {
    ApiKey key;
    key.id = select.getColumn(0).getInt64();
    key.key_id = select.getColumn(1).getString();
    key.org = select.getColumn(2).getString();
    key.role = ParseRole(select.getColumn(3).getString()).value_or(Role::kPrescriber);
    key.created_at = select.getColumn(4).getString();
    key.revoked = !select.getColumn(5).isNull();
    key.revoked_at = OptionalText(select.getColumn(5));
    out.push_back(std::move(key));
  }
  return out;
}

bool Session::RevokeApiKey(const std::string& key_id) {
  SQLite::Statement update(db_, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?");
  update.bind(1, NowTimestamp());
  update.bind(2, key_id);
  return update.exec() == 1;
}

ApiKeysState Session::ApiKeysStateNow() {
  SQLite::Statement select(db_, "SELECT COUNT(*), COUNT(revoked_at), COALESCE(MAX(id), 0) FROM api_keys");
  select.executeStep();
  return {select.getColumn(0).getInt64(), select.getColumn(1).getInt64(), select.getColumn(2).getInt64()};
}

std::optional<std::vector<unsigned char>> Session::ServerSecret() {
  SQLite::Statement select(db_, "SELECT secret FROM server_secret WHERE id = 1");
  if (!select.executeStep()) return std::nullopt;
  const auto column = select.getColumn(0);
  const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
  return std::vector<unsigned char>(bytes, bytes + column.getBytes());
}

void Session::InsertServerSecret(const std::vector<unsigned char>& secret) {
  SQLite::Statement insert(db_, "INSERT INTO server_secret (id, secret) VALUES (1, ?)");
  insert.bind(1, secret.data(), static_cast<int>(secret.size()));
  Execute(insert);
}

// ---- audit ----

void Session::Audit(const Actor& actor, std::string_view action, std::string_view object_type,
                    std::span<const std::int64_t> object_ids, std::string_view purpose, std::int64_t opening) {
  if (object_ids.empty()) return;
  SQLite::Statement insert(db_,
                           "INSERT INTO audit_log (at, request_id, api_key, org, role, action, object_type, object_id,"
                           " purpose, opening_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, NowTimestamp());
  insert.bind(2, actor.request_id);
  if (actor.api_key > 0)
    insert.bind(3, actor.api_key);
  else
    insert.bind(3);
  insert.bind(4, actor.org);
  insert.bind(5, std::string(RoleCode(actor.role)));
  insert.bind(6, std::string(action));
  insert.bind(7, std::string(object_type));
  insert.bind(9, std::string(purpose));
  if (opening > 0)
    insert.bind(10, opening);
  else
    insert.bind(10);
  for (const auto id : object_ids) {  // bindings survive reset(): only the object changes
    insert.bind(8, id);
    insert.exec();
    insert.reset();
  }
}

std::vector<AuditEntry> Session::ListAudit(std::string_view object_type, std::int64_t object_id) {
  SQLite::Statement select(db_,
                           "SELECT id, at, request_id, api_key, org, role, action, object_type, object_id, purpose"
                           " FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id");
  select.bind(1, std::string(object_type));
  select.bind(2, object_id);
  std::vector<AuditEntry> out;
  while (select.executeStep()) {
    AuditEntry e;
    e.id = select.getColumn(0).getInt64();
    e.at = select.getColumn(1).getString();
    e.request_id = select.getColumn(2).getString();
    e.api_key = select.getColumn(3).isNull() ? 0 : select.getColumn(3).getInt64();
    e.org = select.getColumn(4).getString();
    e.role = select.getColumn(5).getString();
    e.action = select.getColumn(6).getString();
    e.object_type = select.getColumn(7).getString();
    e.object_id = select.getColumn(8).getInt64();
    e.purpose = select.getColumn(9).getString();
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t Session::CountAudit() { return db_.execAndGet("SELECT COUNT(*) FROM audit_log").getInt64(); }

// ---- idempotency ----

std::optional<StoredResponse> Session::FindIdempotent(std::int64_t api_key, const std::string& idem_key) {
  SQLite::Statement select(
      db_, "SELECT request_hash, status, body FROM idempotency_keys WHERE api_key = ? AND idem_key = ?");
  select.bind(1, api_key);
  select.bind(2, idem_key);
  if (!select.executeStep()) return std::nullopt;
  return StoredResponse{select.getColumn(0).getString(), select.getColumn(1).getInt(), select.getColumn(2).getString()};
}

void Session::SaveIdempotent(std::int64_t api_key, const std::string& idem_key, const StoredResponse& r) {
  SQLite::Statement insert(db_,
                           "INSERT INTO idempotency_keys (api_key, idem_key, request_hash, status, body, created_at)"
                           " VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, api_key);
  insert.bind(2, idem_key);
  insert.bind(3, r.request_hash);
  insert.bind(4, r.status);
  insert.bind(5, r.body);
  insert.bind(6, NowTimestamp());
  Execute(insert);
}

// ---- batches and proposals ----

std::int64_t Session::InsertBatch(Batch& b) {
  if (b.created_at.empty()) b.created_at = NowTimestamp();
  SQLite::Statement insert(db_, "INSERT INTO batches (org, state, params, created_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, b.org);
  insert.bind(2, std::string(BatchStateCode(b.state)));
  insert.bind(3, Text(b.params));
  insert.bind(4, b.created_at);
  Execute(insert);
  b.id = db_.getLastInsertRowid();
  return b.id;
}

void Session::UpdateBatch(const Batch& b) {
  SQLite::Statement update(db_,
                           "UPDATE batches SET state = ?, progress = ?, summary = ?, error = ?, started_at = ?,"
                           " finished_at = ? WHERE id = ?");
  update.bind(1, std::string(BatchStateCode(b.state)));
  update.bind(2, b.progress);
  if (b.summary)
    update.bind(3, Text(*b.summary));
  else
    update.bind(3);
  if (b.error.empty())
    update.bind(4);
  else
    update.bind(4, b.error);
  if (b.started_at.empty())
    update.bind(5);
  else
    update.bind(5, b.started_at);
  if (b.finished_at.empty())
    update.bind(6);
  else
    update.bind(6, b.finished_at);
  update.bind(7, b.id);
  Execute(update);
}

std::optional<Batch> Session::FindBatch(std::int64_t id) {
  SQLite::Statement select(db_, std::string("SELECT ") + kBatchColumns + " FROM batches WHERE id = ?");
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  return BatchFromRow(select);
}

std::vector<Batch> Session::ListBatches(const std::optional<model::OrgCode>& org, std::int64_t after, int limit) {
  SQLite::Statement select(db_, std::string("SELECT ") + kBatchColumns +
                                    " FROM batches WHERE id > ? AND (? IS NULL OR org = ?) ORDER BY id LIMIT ?");
  select.bind(1, after);
  if (org) {
    select.bind(2, *org);
    select.bind(3, *org);
  } else {
    select.bind(2);
    select.bind(3);
  }
  select.bind(4, limit);
  std::vector<Batch> out;
  while (select.executeStep()) out.push_back(BatchFromRow(select));
  return out;
}

int Session::PruneBatches(const model::OrgCode& org, int keep) {
  const std::string old =
      "SELECT id FROM batches WHERE org = ?1 AND state IN ('succeeded', 'failed') ORDER BY id DESC LIMIT -1"
      " OFFSET ?2";
  for (const std::string& sql :
       {"UPDATE placements SET proposal_id = NULL WHERE proposal_id IN (SELECT id FROM proposals WHERE batch_id IN (" +
            old + "))",
        "DELETE FROM proposals WHERE batch_id IN (" + old + ")"}) {
    SQLite::Statement statement(db_, sql);
    statement.bind(1, org);
    statement.bind(2, keep);
    statement.exec();
  }
  SQLite::Statement runs(db_, "DELETE FROM batches WHERE id IN (" + old + ")");
  runs.bind(1, org);
  runs.bind(2, keep);
  return runs.exec();
}

std::int64_t Session::InsertProposal(Proposal& p) {
  SQLite::Statement insert(
      db_, "INSERT INTO proposals (batch_id, participant_id, opening_id, score, details) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, p.batch);
  insert.bind(2, static_cast<std::int64_t>(p.participant.value()));
  insert.bind(3, static_cast<std::int64_t>(p.opening.value()));
  insert.bind(4, p.score);
  insert.bind(5, Text(p.details));
  Execute(insert);
  p.id = db_.getLastInsertRowid();
  return p.id;
}

void Session::UpdateProposalDecision(const Proposal& p) {
  SQLite::Statement update(
      db_, "UPDATE proposals SET decision = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?");
  update.bind(1, std::string(DecisionCode(p.decision)));
  update.bind(2, p.decided_by);
  update.bind(3, p.decided_at);
  update.bind(4, p.decision_reason);
  update.bind(5, p.id);
  Execute(update);
}

std::optional<Proposal> Session::FindProposal(std::int64_t id) {
  SQLite::Statement select(db_, std::string("SELECT ") + kProposalColumns + " FROM proposals WHERE id = ?");
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  return ProposalFromRow(select);
}

std::vector<Proposal> Session::ListProposals(std::int64_t batch, std::int64_t after, int limit) {
  SQLite::Statement select(db_, std::string("SELECT ") + kProposalColumns +
                                    " FROM proposals WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?");
  select.bind(1, batch);
  select.bind(2, after);
  select.bind(3, limit);
  std::vector<Proposal> out;
  while (select.executeStep()) out.push_back(ProposalFromRow(select));
  return out;
}

std::vector<Proposal> Session::ListPendingProposals() {
  SQLite::Statement select(db_,
                           "SELECT id, batch_id, participant_id, opening_id, score FROM proposals"
                           " WHERE decision = 'pending' ORDER BY id");
  std::vector<Proposal> out;
  while (select.executeStep()) {
    Proposal p;
    p.id = select.getColumn(0).getInt64();
    p.batch = select.getColumn(1).getInt64();
    p.participant = model::ParticipantId(static_cast<std::uint32_t>(select.getColumn(2).getInt64()));
    p.opening = model::OpeningId(static_cast<std::uint32_t>(select.getColumn(3).getInt64()));
    p.score = select.getColumn(4).getDouble();
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::pair<model::ParticipantId, model::OpeningId>> Session::ListShortlisted() {
  SQLite::Statement select(db_,
                           "SELECT DISTINCT object_id, opening_id FROM audit_log"
                           " WHERE object_type = 'participant' AND action = 'shortlist'"
                           " AND opening_id IS NOT NULL ORDER BY object_id, opening_id");
  std::vector<std::pair<model::ParticipantId, model::OpeningId>> out;
  while (select.executeStep()) {
    out.emplace_back(model::ParticipantId(static_cast<std::uint32_t>(select.getColumn(0).getInt64())),
                     model::OpeningId(static_cast<std::uint32_t>(select.getColumn(1).getInt64())));
  }
  return out;
}

// ---- snapshot ----

model::Dataset Session::LoadDataset() {
  model::Dataset d;
  SQLite::Statement participants(db_, "SELECT id, doc FROM participants ORDER BY id");
  d.participants = Records<model::Participant>(participants, ParticipantFromRecord, "participants", bad_);
  SQLite::Statement contracts(db_, "SELECT id, doc FROM contracts ORDER BY id");
  d.contracts = Records<model::Contract>(contracts, ContractFromRecord, "contracts", bad_);
  SQLite::Statement openings(db_, "SELECT id, doc FROM openings ORDER BY id");
  d.openings = Records<model::Opening>(openings, OpeningFromRecord, "openings", bad_);
  SQLite::Statement placements(db_, "SELECT id, doc FROM placements ORDER BY id");
  d.placements = Records<model::Placement>(placements, PlacementFromRecord, "placements", bad_);
  return d;
}

}  // namespace clausematch::store
