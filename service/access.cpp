#include "service/access.hpp"

#include "service/error.hpp"

namespace clausematch::service {
namespace {

[[noreturn]] void NotFound(const char* what) { throw Error(ErrorKind::kNotFound, std::string("no such ") + what); }

// The owner is read (one short indexed column) and checked before the record is decoded, so an
// object of another organisation costs what a missing one costs: the answer's timing does not tell
// them apart either.
void RequireSeen(const Caller& caller, store::Session& s, store::Session::Owned kind, std::int64_t id,
                 const char* what) {
  const auto owner = s.OwnerOf(kind, id);
  if (!owner || !caller.Sees(*owner)) NotFound(what);
}

}  // namespace

model::Participant OwnParticipant(const Caller& caller, store::Session& s, model::ParticipantId id) {
  RequireSeen(caller, s, store::Session::Owned::kParticipant, id.value(), "participant");
  auto p = s.FindParticipant(id);
  if (!p || !caller.Sees(p->prescriber_org)) NotFound("participant");
  return *p;
}

model::Contract OwnContract(const Caller& caller, store::Session& s, model::ContractId id) {
  RequireSeen(caller, s, store::Session::Owned::kContract, id.value(), "contract");
  auto c = s.FindContract(id);
  if (!c || !caller.Sees(c->facilitator_org)) NotFound("contract");
  return *c;
}

model::Opening OwnOpening(const Caller& caller, store::Session& s, model::OpeningId id, model::Contract* contract) {
  RequireSeen(caller, s, store::Session::Owned::kOpening, id.value(), "opening");
  auto o = s.FindOpening(id);
  if (!o) NotFound("opening");
  auto c = s.FindContract(o->contract);
  if (!c || !caller.Sees(c->facilitator_org)) NotFound("opening");
  if (contract) *contract = *c;
  return *o;
}

model::Placement OwnPlacement(const Caller& caller, store::Session& s, model::PlacementId id,
                              model::Contract* contract) {
  RequireSeen(caller, s, store::Session::Owned::kPlacement, id.value(), "placement");
  auto p = s.FindPlacement(id);
  auto c = p ? s.FindContract(p->contract) : std::nullopt;
  if (!p || !c || !caller.Sees(c->facilitator_org)) NotFound("placement");
  if (contract) *contract = *c;
  return *p;
}

store::Batch OwnBatch(const Caller& caller, store::Session& s, std::int64_t id) {
  RequireSeen(caller, s, store::Session::Owned::kBatch, id, "batch");
  auto b = s.FindBatch(id);
  if (!b || !caller.Sees(b->org)) NotFound("batch");
  return *b;
}

}  // namespace clausematch::service
