#pragma once
// Plain records the store keeps besides the domain model: API keys and roles, audit entries,
// stored idempotent responses, batch runs and their proposals.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/contract.hpp"
#include "model/ids.hpp"
#include "model/participant.hpp"

namespace clausematch::store {

enum class Role : std::uint8_t { kPrescriber, kFacilitator, kAdmin };
std::string_view RoleCode(Role role);
std::optional<Role> ParseRole(std::string_view code);

struct ApiKey {
  std::int64_t id = 0;
  std::string key_id;  // public part of the token
  model::OrgCode org;
  Role role = Role::kPrescriber;
  std::string created_at;
  bool revoked = false;
  std::string revoked_at;  // empty while the key is valid
};

// What changes the verdict on a cached key or an unknown key id (store/keys.hpp, KeyRing).
struct ApiKeysState {
  std::int64_t keys = 0;
  std::int64_t revoked = 0;
  std::int64_t max_id = 0;
  friend bool operator==(const ApiKeysState&, const ApiKeysState&) = default;
};

// Who performs a request: the authenticated key, and the request id that ties the audit log to
// the application log.
struct Actor {
  std::int64_t api_key = 0;
  model::OrgCode org;
  Role role = Role::kPrescriber;
  std::string request_id;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::string request_id;
  std::int64_t api_key = 0;
  std::string org;
  std::string role;
  std::string action;
  std::string object_type;
  std::int64_t object_id = 0;
  std::string purpose;
};

// A browser session of the web console (store/web_sessions.hpp): the key it acts as, its CSRF
// token, and its times in Unix seconds.
struct WebSessionRow {
  std::int64_t id = 0;
  std::vector<unsigned char> token_hash;
  ApiKey key;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
};

struct StoredResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

enum class BatchState : std::uint8_t { kQueued, kRunning, kSucceeded, kFailed };
std::string_view BatchStateCode(BatchState state);

struct Batch {
  std::int64_t id = 0;
  model::OrgCode org;
  BatchState state = BatchState::kQueued;
  nlohmann::json params = nlohmann::json::object();
  double progress = 0.0;
  std::optional<nlohmann::json> summary;
  std::string error;
  std::string created_at;
  std::string started_at;
  std::string finished_at;
};

enum class Decision : std::uint8_t { kPending, kAccepted, kDeclined };
std::string_view DecisionCode(Decision decision);
std::optional<Decision> ParseDecision(std::string_view code);

// One participant proposed for one opening by a batch run, and the facilitator's decision.
struct Proposal {
  std::int64_t id = 0;
  std::int64_t batch = 0;
  model::ParticipantId participant;
  model::OpeningId opening;
  double score = 0.0;
  nlohmann::json details = nlohmann::json::object();  // score components and reasons
  Decision decision = Decision::kPending;
  std::string decided_by;
  std::string decided_at;
  std::string decision_reason;
};

struct ParticipantQuery {
  std::optional<model::OrgCode> org;  // nullopt: every organisation (admin)
  std::optional<model::ParticipantStatus> status;
  std::optional<std::string> commune_insee;
  std::optional<model::Criterion> criterion;
  std::optional<std::string> external_ref;
  std::uint32_t after = 0;  // cursor: ids strictly greater
  int limit = 50;
};

struct ContractQuery {
  std::optional<model::OrgCode> org;
  std::optional<model::ContractStatus> status;
  std::uint32_t after = 0;
  int limit = 50;
};

// A uniqueness rule of the schema was violated (e.g. the same external_ref twice in one org).
class ConflictError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A record to write holds a number that is not finite (NaN or an infinity, which JSON cannot
// hold: it would be stored as null and the row could not be read back). Nothing is written: the
// write transaction rolls back. `field` is the JSON pointer of the number in the record.
class NonFiniteError : public std::runtime_error {
 public:
  explicit NonFiniteError(std::string field)
      : std::runtime_error("store: refusing to write a non-finite number at " + field), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// "2026-11-23T12:00:00.123Z", UTC.
std::string NowTimestamp();

}  // namespace clausematch::store
