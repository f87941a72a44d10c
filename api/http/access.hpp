#pragma once
// Ownership: an object of another organisation answers 404, exactly like a missing one, so an
// id says nothing about what exists elsewhere. Admins see every organisation.
#include <functional>
#include <nlohmann/json.hpp>

#include "api/http/server.hpp"
#include "service/access.hpp"

namespace clausematch::api::http {

// The caller of a request, for the service layer (purpose: the route).
service::Caller CallerOf(const Call& call);

model::Participant OwnParticipant(const Call& call, store::Session& s, std::uint32_t id);
model::Contract OwnContract(const Call& call, store::Session& s, std::uint32_t id);
// An opening is owned through its contract; `contract` receives it when not null.
model::Opening OwnOpening(const Call& call, store::Session& s, std::uint32_t id, model::Contract* contract = nullptr);
store::Batch OwnBatch(const Call& call, store::Session& s, std::int64_t id);

// The organisation a create acts for: the caller's own; an admin must name one in `org`.
model::OrgCode OrgForCreate(const Call& call, const nlohmann::json& body, const char* field);

struct Created {
  int status = 201;
  nlohmann::json body;
};

// Runs `create` in one write transaction, honouring an Idempotency-Key header: the first response
// for (API key, Idempotency-Key) is stored in that same transaction and replayed for a retry with
// the same request (Idempotent-Replayed: true); the same key with another request is a 422.
void CreateIdempotent(Call& call, const std::function<Created(store::Session&)>& create);

}  // namespace clausematch::api::http
