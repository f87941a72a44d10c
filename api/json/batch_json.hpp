#pragma once
// The JSON renderings of matching results, one per thing, used by both doors: the CLI's
// `shortlist --format json`, `batch` files (assignments.json, summary.json) and the HTTP shortlist,
// batch summary and proposal details. One key set everywhere, documented in api/openapi.json
// (schemas ScoreComponents, BatchSummary).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "matcher/matcher.hpp"
#include "model/dataset.hpp"
#include "service/batch.hpp"
#include "service/renewals.hpp"

namespace clausematch::api::json {

// {"rome_relation", "skill_overlap", "skill_embedding", "skill_fit", "distance", "priority",
//  "waiting", "hours", "exposure_penalty", "total"}: every component in [0, 1].
nlohmann::json ComponentsJson(const matcher::ScoreComponents& c);

// The criteria of `set` as their codes, in the referential's order.
nlohmann::json CriteriaJson(model::CriterionSet set);

// The conditions of an eligibility subject to renewal, one object each:
// {"code": "proof_to_renew", "criterion": "rsa", "renew_by": "YYYY-MM-DD", "text": French sentence};
// an empty array when the person is eligible without condition. The one rendering of conditions:
// shortlists (CLI and HTTP), batch proposals (files and HTTP), prescribers' renewals.
nlohmann::json ConditionJson(const matcher::Condition& condition);
nlohmann::json ConditionsJson(const std::vector<matcher::Condition>& conditions);

// One line of a prescriber's renewals (GET /v1/participants/renewals, `clausematch renewals`):
// {"participant_id", "external_ref", "prescriber_org", "opening_id", "source", "batch_id", "condition"}.
nlohmann::json RenewalJson(const service::Renewal& renewal);

// One proposal: ids, score, components, distance, the criteria the eligibility rests on, the
// conditions (proofs to renew before the hire), the public that earned the priority component
// ("priority_public": its code, null when none or when the eligibility does not rest on it), the
// reasons in words.
nlohmann::json ProposalJson(const model::Dataset& data, const service::BatchPair& pair);
// The same proposal appended to `out` as text, as ProposalJson(...).dump(2) prints it but with its
// nested lines `indent` spaces further in (assignments.json: one per line block of a file that
// holds tens of thousands; json_writer.hpp says why it does not build the tree).
void AppendProposalText(std::string& out, const model::Dataset& data, const service::BatchPair& pair, int indent);

// The run summary (docs/assignment.md, "clausematch batch").
nlohmann::json SummaryJson(const service::BatchSummary& summary);

// A run's parameters as a batch run stores them, and back. ParamsFromJson takes what ParamsJson
// wrote (missing members take BatchParams' defaults; "priority_weights" holds only the weights a
// run changed) and throws std::runtime_error on anything else.
nlohmann::json ParamsJson(const service::BatchParams& params);
service::BatchParams ParamsFromJson(const nlohmann::json& j);

}  // namespace clausematch::api::json
