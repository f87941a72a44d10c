#include "service/plan.hpp"

#include "service/error.hpp"

namespace clausematch::service {

PlanResult PlanClause(const model::Contract& contract, const PlanRequest& request,
                      const lifecycle::LabourShareTable& table, const model::Referential& ref) {
  model::Problems problems;
  const auto share =
      lifecycle::ResolveLabourShare(request.labour_share, contract.cpv_code, request.trades, table, ref, problems);
  if (!share) throw Error(ErrorKind::kInvalid, "the clause cannot be sized", std::move(problems));
  PlanResult out;
  out.labour_share_source = share->source;
  out.input = {contract.amount_excl_vat_eur, share->share, request.insertion_rate, request.hourly_cost_eur};
  const auto sizing = lifecycle::SizeClause(out.input, problems);
  if (!sizing) throw Error(ErrorKind::kInvalid, "the clause cannot be sized", std::move(problems));
  out.sizing = *sizing;
  out.contract = contract;
  lifecycle::ApplySizing(out.contract, out.input, out.sizing);
  if (!request.trades.empty()) {
    out.plan = lifecycle::PlanOpenings(out.contract, out.sizing.hours, request.trades, request.defaults, problems);
    if (!out.plan) throw Error(ErrorKind::kInvalid, "the openings cannot be planned", std::move(problems));
    for (auto& planned : out.plan->openings) planned.opening.contract = contract.id;
  }
  return out;
}

PlanResult PlanStoredContract(store::Session& s, const Caller& caller, model::ContractId id, const PlanRequest& request,
                              bool apply, const lifecycle::LabourShareTable& table, const model::Referential& ref) {
  const auto contract = OwnContract(caller, s, id);
  if (contract.status == model::ContractStatus::kClosed) throw Error(ErrorKind::kConflict, "the contract is closed");
  auto out = PlanClause(contract, request, table, ref);
  if (!apply) {  // a preview: no opening exists yet
    if (out.plan)
      for (auto& planned : out.plan->openings) planned.opening.id = model::OpeningId();
    return out;
  }
  if (out.plan)
    for (auto& planned : out.plan->openings) s.InsertOpening(planned.opening);
  s.UpdateContract(out.contract);
  return out;
}

bool OpenDraftOpening(model::Opening& opening, const model::Contract& contract) {
  if (opening.status == model::OpeningStatus::kOpen) return false;
  if (opening.status != model::OpeningStatus::kDraft)
    throw Error(ErrorKind::kConflict, "only a draft opening can be opened (opening " +
                                          std::to_string(opening.id.value()) + " is " +
                                          std::string(model::Code(opening.status)) + ")");
  if (contract.status == model::ContractStatus::kClosed)
    throw Error(ErrorKind::kConflict, "the contract " + contract.reference + " is closed");
  auto problems = lifecycle::OpenOpening(opening, &contract);
  if (!problems.empty()) throw Error(ErrorKind::kInvalid, "the opening cannot open", std::move(problems));
  return true;
}

model::Opening OpenStoredOpening(store::Session& s, const Caller& caller, model::OpeningId id) {
  model::Contract contract;
  auto opening = OwnOpening(caller, s, id, &contract);
  if (OpenDraftOpening(opening, contract)) s.UpdateOpening(opening);
  return opening;
}

}  // namespace clausematch::service
