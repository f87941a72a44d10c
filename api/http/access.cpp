#include "api/http/access.hpp"

namespace clausematch::api::http {
namespace {

// FNV-1a 64: a stable fingerprint of the request, to tell a retry from a different request.
std::string Fingerprint(std::string_view a, std::string_view b) {
  std::uint64_t h = 1469598103934665603ULL;
  for (auto part : {a, std::string_view("\n"), b})
    for (unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

service::Caller CallerOf(const Call& call) { return {call.actor(), call.route}; }

model::Participant OwnParticipant(const Call& call, store::Session& s, std::uint32_t id) {
  return service::OwnParticipant(CallerOf(call), s, model::ParticipantId(id));
}

model::Contract OwnContract(const Call& call, store::Session& s, std::uint32_t id) {
  return service::OwnContract(CallerOf(call), s, model::ContractId(id));
}

model::Opening OwnOpening(const Call& call, store::Session& s, std::uint32_t id, model::Contract* contract) {
  return service::OwnOpening(CallerOf(call), s, model::OpeningId(id), contract);
}

store::Batch OwnBatch(const Call& call, store::Session& s, std::int64_t id) {
  return service::OwnBatch(CallerOf(call), s, id);
}

model::OrgCode OrgForCreate(const Call& call, const nlohmann::json& body, const char* field) {
  const std::string pointer = std::string("/") + field;
  const auto it = body.is_object() ? body.find(field) : body.end();
  if (!call.IsAdmin()) {
    if (it != body.end() && !(it->is_string() && it->get<std::string>() == call.key->org))
      throw ApiError(ErrorCode::kValidation, "an organisation may only create for itself",
                     {{pointer, "forbidden_value", "must be your own organisation (" + call.key->org + ") or absent"}});
    return call.key->org;
  }
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    throw ApiError(ErrorCode::kValidation, "an admin must name the organisation",
                   {{pointer, "required", "the organisation code this object belongs to"}});
  return it->get<std::string>();
}

void CreateIdempotent(Call& call, const std::function<Created(store::Session&)>& create) {
  const auto idem_key = call.req.get_header_value("Idempotency-Key");
  if (idem_key.size() > 255) throw ApiError(ErrorCode::kBadRequest, "Idempotency-Key is longer than 255 characters");
  // The method, the whole target (path and query, as sent) and the body: the same key and body on
  // another object's path is another request (422), never a replay of the first one.
  const auto fingerprint = Fingerprint(call.req.method + " " + call.req.target, call.req.body);
  bool replayed = false;
  auto result = call.app.store.Write([&](store::Session& s) {
    if (!idem_key.empty()) {
      if (auto previous = s.FindIdempotent(call.key->id, idem_key)) {
        if (previous->request_hash != fingerprint)
          throw ApiError(ErrorCode::kIdempotencyKeyReused,
                         "this Idempotency-Key was used for a different request; use a new key");
        replayed = true;
        return store::StoredResponse{fingerprint, previous->status, previous->body};
      }
    }
    auto created = create(s);
    store::StoredResponse response{fingerprint, created.status, Dump(created.body)};
    if (!idem_key.empty()) s.SaveIdempotent(call.key->id, idem_key, response);
    return response;
  });
  if (replayed) call.res.set_header("Idempotent-Replayed", "true");
  call.Reply(result.status, result.body, "application/json");
}

}  // namespace clausematch::api::http
