#pragma once
// Sizing a contract's clause and planning its openings: one operation, whichever door asks.
// `clausematch contract plan` sizes a contract described by flags; POST /v1/contracts/{id}/plan
// sizes a stored contract and, with apply, records the sizing and creates the draft openings.
// Both take the labour share by lifecycle::ResolveLabourShare and the hours by lifecycle::SizeClause.
#include <optional>
#include <string>
#include <vector>

#include "lifecycle/plan.hpp"
#include "lifecycle/sizing.hpp"
#include "model/contract.hpp"
#include "model/referential.hpp"
#include "service/access.hpp"
#include "store/store.hpp"

namespace clausematch::service {

struct PlanRequest {
  std::optional<double> labour_share;  // else lifecycle::ResolveLabourShare
  double insertion_rate = 0.0;
  double hourly_cost_eur = 30.0;
  std::vector<lifecycle::TradeShare> trades;  // none: size only
  lifecycle::PlanDefaults defaults;
};

struct PlanResult {
  model::Contract contract;  // with the sizing applied
  lifecycle::SizingInput input;
  lifecycle::Sizing sizing;
  std::string labour_share_source;
  std::optional<lifecycle::Plan> plan;  // openings as drafts (ids: see each function)
};

// Sizes `contract` and splits its hours into draft openings (numbered from
// defaults.first_opening_id). A refusal is a service::Error (kInvalid) naming every field at fault.
PlanResult PlanClause(const model::Contract& contract, const PlanRequest& request,
                      const lifecycle::LabourShareTable& table, const model::Referential& ref);

// The same on a stored contract of the caller's: kNotFound, kConflict when it is closed. With
// `apply`, the sizing is recorded and the openings created (their ids set in the result); without,
// the openings have no id.
PlanResult PlanStoredContract(store::Session& s, const Caller& caller, model::ContractId id, const PlanRequest& request,
                              bool apply, const lifecycle::LabourShareTable& table, const model::Referential& ref);

// Opening a draft opening (from the clause plan), one rule for POST /v1/openings/{id}/open and
// `clausematch opening open`: an open opening stays open (false: nothing changed); a filled or
// closed one cannot open again, nor one of a closed contract (kConflict); else lifecycle::OpenOpening
// checks it against its contract (kInvalid naming the fields at fault). True when it opened.
bool OpenDraftOpening(model::Opening& opening, const model::Contract& contract);

// The same on a stored opening of the caller's (kNotFound otherwise), recorded when it opened.
model::Opening OpenStoredOpening(store::Session& s, const Caller& caller, model::OpeningId id);

}  // namespace clausematch::service
