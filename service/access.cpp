#include "service/access.hpp"

#include "service/error.hpp"

namespace clausematch::service {
namespace {

[[noreturn]] void NotFound(const char* what) { throw Error(ErrorKind::kNotFound, std::string("no such ") + what); }

}  // namespace

model::Participant OwnParticipant(const Caller& caller, store::Session& s, model::ParticipantId id) {
  auto p = s.FindParticipant(id);
  if (!p || !caller.Sees(p->prescriber_org)) NotFound("participant");
  return *p;
}

model::Contract OwnContract(const Caller& caller, store::Session& s, model::ContractId id) {
  auto c = s.FindContract(id);
  if (!c || !caller.Sees(c->facilitator_org)) NotFound("contract");
  return *c;
}

model::Opening OwnOpening(const Caller& caller, store::Session& s, model::OpeningId id, model::Contract* contract) {
  auto o = s.FindOpening(id);
  if (!o) NotFound("opening");
  auto c = s.FindContract(o->contract);
  if (!c || !caller.Sees(c->facilitator_org)) NotFound("opening");
  if (contract) *contract = *c;
  return *o;
}

model::Placement OwnPlacement(const Caller& caller, store::Session& s, model::PlacementId id,
                              model::Contract* contract) {
  auto p = s.FindPlacement(id);
  auto c = p ? s.FindContract(p->contract) : std::nullopt;
  if (!p || !c || !caller.Sees(c->facilitator_org)) NotFound("placement");
  if (contract) *contract = *c;
  return *p;
}

store::Batch OwnBatch(const Caller& caller, store::Session& s, std::int64_t id) {
  auto b = s.FindBatch(id);
  if (!b || !caller.Sees(b->org)) NotFound("batch");
  return *b;
}

}  // namespace clausematch::service
