// The batch solve step of POST /v1/batches: the run's stored parameters, the facilitator's
// contracts cut out of the snapshot copy, then the same service::RunBatch as `clausematch batch`
// (with the organisation's previous run when asked, as `batch --previous DIR`).
#include <stdexcept>

#include "api/http/batch_runner.hpp"
#include "api/json/batch_json.hpp"
#include "service/batch.hpp"

namespace clausematch::api::http {

BatchOutcome SolveBatch(model::Dataset data, const model::Referential& ref, const nlohmann::json& stored_params,
                        const std::function<void(double)>& progress, service::PreviousRun* previous) {
  auto params = json::ParamsFromJson(stored_params);
  params.keep_state = true;  // what the organisation's next run may start from, built by the runner once
                             // the run is reported succeeded
  const model::Dataset scope = service::RestrictToContracts(std::move(data), params.contracts);
  service::BatchHooks hooks;
  // The matcher's index (participants prepared) takes the first tenth, as the CLI shows it; graph
  // building is most of the work on large territories; the solve gets the last tenth.
  hooks.index_progress = [&](std::size_t done, std::size_t total) {
    progress(total == 0 ? 0.1 : 0.1 * static_cast<double>(done) / static_cast<double>(total));
  };
  hooks.graph_progress = [&](std::size_t done, std::size_t total) {
    progress(0.1 + 0.8 * static_cast<double>(done) / static_cast<double>(total));
  };
  hooks.before_solve = [&](const matcher::AssignmentProblem&) { progress(0.9); };
  auto report = service::RunBatch(ref, scope, params, hooks, previous);
  if (!report.usable())
    throw std::runtime_error("the assignment was not certified optimal: " + report.result.certificate.Verdict());

  BatchOutcome outcome;
  for (const auto& pair : report.proposals) {
    BatchProposal p;
    p.participant = scope.participants[pair.participant].id;
    p.opening = scope.openings[pair.opening].id;
    p.score = pair.why.components.total;
    p.details = json::ProposalJson(scope, pair);
    outcome.proposals.push_back(std::move(p));
  }
  outcome.summary = json::SummaryJson(report.summary);
  outcome.state = std::move(report.state_source);
  return outcome;
}

}  // namespace clausematch::api::http
