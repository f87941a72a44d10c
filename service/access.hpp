#pragma once
// Who asks, and what they may touch. Every service operation on the server's database takes a
// Caller; objects of another organisation are refused exactly like missing ones (kNotFound), so an
// id says nothing about what exists elsewhere. Admins see every organisation.
#include <cstdint>
#include <string>
#include <string_view>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "store/store.hpp"

namespace clausematch::service {

struct Caller {
  store::Actor actor;   // the key, its organisation and role, the request id (audit)
  std::string purpose;  // why personal data is read or written: the route or the command
  [[nodiscard]] bool admin() const { return actor.role == store::Role::kAdmin; }
  [[nodiscard]] bool Sees(const model::OrgCode& owner) const { return admin() || actor.org == owner; }
  // One audit entry for a read or write of one participant's personal data.
  void Audit(store::Session& s, std::string_view action, model::ParticipantId person) const {
    s.Audit(actor, action, "participant", person.value(), purpose);
  }
};

model::Participant OwnParticipant(const Caller& caller, store::Session& s, model::ParticipantId id);
model::Contract OwnContract(const Caller& caller, store::Session& s, model::ContractId id);
// An opening is owned through its contract; `contract` receives it when not null.
model::Opening OwnOpening(const Caller& caller, store::Session& s, model::OpeningId id,
                          model::Contract* contract = nullptr);
// A placement is owned through its contract; `contract` receives it when not null.
model::Placement OwnPlacement(const Caller& caller, store::Session& s, model::PlacementId id,
                              model::Contract* contract = nullptr);
store::Batch OwnBatch(const Caller& caller, store::Session& s, std::int64_t id);

}  // namespace clausematch::service
