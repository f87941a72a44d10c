// The batch solve step of POST /v1/batches: the facilitator's contracts (the run's params) cut out
// of the snapshot copy, then the same candidate graph and certified assignment as
// `clausematch batch` (api/batch_assignment.hpp).
#include <stdexcept>

#include "api/batch_assignment.hpp"
#include "api/http/batch_runner.hpp"

namespace clausematch::api::http {

namespace as = matcher::assignment;

BatchOutcome SolveBatch(model::Dataset data, const model::Referential& ref, const nlohmann::json& params,
                        const std::function<void(double)>& progress) {
  // params were validated when the run was created (batch_routes.cpp).
  std::vector<model::ContractId> contracts;
  for (const auto& id : params.at("contracts")) contracts.emplace_back(id.get<std::uint32_t>());
  const auto today = model::Date::Parse(params.at("as_of").get<std::string>());
  const auto mode_name = params.value("mode", std::string("fill-then-score"));
  const auto mode = as::ParseObjectiveMode(mode_name);
  if (!today || !mode) throw std::runtime_error("invalid batch parameters");

  const model::Dataset scope = RestrictToContracts(std::move(data), contracts);
  BatchSettings settings;
  settings.matcher.today = *today;
  settings.mode = *mode;
  settings.max_candidates = params.value("max_candidates", matcher::GraphOptions::kDefaultMaxCandidatesPerOpening);
  // Graph building is most of the work on large territories; the solve gets the last tenth.
  settings.graph_progress = [&](std::size_t done, std::size_t total) {
    progress(0.9 * static_cast<double>(done) / static_cast<double>(total));
  };
  settings.before_solve = [&](const matcher::AssignmentProblem&) { progress(0.9); };
  auto report = RunBatchAssignment(ref, scope, settings, mode_name, "ours");
  if (!report.usable(settings.solver))
    throw std::runtime_error("the assignment was not certified optimal: " + report.result.certificate.Verdict());

  BatchOutcome outcome;
  for (const auto& pair : report.proposals) {
    BatchProposal p;
    p.participant = scope.participants[pair.participant].id;
    p.opening = scope.openings[pair.opening].id;
    p.score = pair.why.components.total;
    p.details = ProposalJson(scope, pair);
    outcome.proposals.push_back(std::move(p));
  }
  outcome.summary = std::move(report.summary);
  return outcome;
}

}  // namespace clausematch::api::http
