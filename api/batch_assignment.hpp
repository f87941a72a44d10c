#pragma once
// The batch assignment both doors run (`clausematch batch` and POST /v1/batches): the matcher's
// candidate graph over a dataset, the certified assignment (matcher::assignment::SolveAssignment),
// each proposal explained, and the summary a facilitator reads (positions filled, by public, by
// trade, quotas, mean distance, people left unassigned and why). The doors only load the data,
// then write files or store rows.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::api {

struct BatchSettings {
  matcher::MatcherOptions matcher;  // today, score weights
  matcher::assignment::ObjectiveMode mode = matcher::assignment::ObjectiveMode::kFillThenScore;
  matcher::assignment::SolverKind solver = matcher::assignment::SolverKind::kOurs;
  std::size_t max_candidates = matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  // (openings done, openings total) while the candidate graph is built; may be empty.
  std::function<void(std::size_t, std::size_t)> graph_progress;
  // Called once the graph is built, before the solve (participants, openings, candidate pairs).
  std::function<void(const matcher::AssignmentProblem&)> before_solve;
};

struct BatchPair {
  std::uint32_t participant = 0;  // position in Dataset::participants
  std::uint32_t opening = 0;      // position in Dataset::openings
  matcher::PairExplanation why;
};

struct BatchReport {
  matcher::assignment::AssignmentResult result;
  std::vector<BatchPair> proposals;  // by opening id, then score desc, then participant id
  nlohmann::json summary;            // see docs/assignment.md ("clausematch batch")
  // Whether a facilitator may use the proposals: certified optimal (or the greedy baseline, which
  // has no certificate to give).
  [[nodiscard]] bool usable(matcher::assignment::SolverKind solver) const {
    return result.certificate.optimal || solver == matcher::assignment::SolverKind::kGreedy;
  }
};

// Throws std::runtime_error when the problem cannot be built (kBadInput, kBadCostRange).
// `mode_name`/`solver_name` are echoed in the summary.
BatchReport RunBatchAssignment(const model::Referential& ref, const model::Dataset& data, const BatchSettings& settings,
                               const std::string& mode_name, const std::string& solver_name);

// Score components as the CLI writes them (shortlist --format json, batch).
nlohmann::json ComponentsJson(const matcher::ScoreComponents& c);

// One proposal as the JSON both doors give: ids, score, components, distance, the criteria the
// eligibility rests on, the reasons in words.
nlohmann::json ProposalJson(const model::Dataset& data, const BatchPair& pair);

// The dataset restricted to the given contracts and their openings (every participant and
// placement kept): what a facilitator's batch runs on. Cut in place: pass a copy you own.
model::Dataset RestrictToContracts(model::Dataset data, const std::vector<model::ContractId>& contracts);

}  // namespace clausematch::api
