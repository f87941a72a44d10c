#pragma once
// Batch runs in the background: POST /v1/batches queues a run; one worker thread takes runs in
// order, solves each on a copy of the snapshot (writers are never blocked by a long run), stores
// the proposals and the summary, and keeps the state and progress in the batches table so that
// GET /v1/batches/{id} reads them from the database. Each succeeded run keeps its BatchState as
// the organisation's (service::KeepState, replacing the one before); a run asked with "previous":
// true starts from it (service::FindKeptState), or runs cold and says why in summary.incremental.
// A run under way when the server stops ends failed at its next progress report; a run
// interrupted by a crash is marked failed when the server starts again.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "model/dataset.hpp"
#include "model/referential.hpp"
#include "service/batch.hpp"

namespace clausematch::api::http {

struct App;

struct BatchProposal {
  model::ParticipantId participant;
  model::OpeningId opening;
  double score = 0.0;
  nlohmann::json details;  // components and reasons
};

struct BatchOutcome {
  std::vector<BatchProposal> proposals;
  nlohmann::json summary = nlohmann::json::object();
  // What the organisation's next run asked with "previous" starts from, still to build
  // (service::BuildBatchState): the runner builds and keeps it once the run is marked succeeded,
  // so that the run's reported time does not include it. Empty when the solve step keeps none.
  std::optional<service::BatchStateSource> state;
};

// The solve step: the run's own copy of the snapshot (to cut down in place), referential, the run's parameters
// (contract ids...), progress callback in [0, 1], and the organisation's previous run when the run asked for it
// ("previous": true; null otherwise). Throws std::exception on failure (the message is stored with the run).
using BatchSolve = std::function<BatchOutcome(model::Dataset, const model::Referential&, const nlohmann::json& params,
                                              const std::function<void(double)>&, service::PreviousRun* previous)>;

// The engine's batch assignment (matcher candidate graph + assignment solver), keeping its state.
BatchOutcome SolveBatch(model::Dataset data, const model::Referential& ref, const nlohmann::json& params,
                        const std::function<void(double)>& progress, service::PreviousRun* previous);

// The queue is bounded, per organisation and overall, and served fairly: each organisation has its
// own line, and the worker takes one run from each organisation with runs waiting in turn (round
// robin), so a key that queues many runs delays only its own. POST /v1/batches reserves a place
// first (Reserve) and answers 429 with Retry-After when there is none. An organisation keeps its
// last kKeptRunsPerOrganisation finished runs: older ones are deleted with their proposals when a
// run ends (decided proposals stay as placements; store::Session::PruneBatches).
class BatchRunner {
 public:
  // Runs of one organisation waiting or running at once.
  static constexpr std::size_t kMaxRunsPerOrganisation = 4;
  // Runs waiting, every organisation together.
  static constexpr std::size_t kMaxQueuedRuns = 64;
  // What a 429 asks a client to wait before trying again.
  static constexpr int kRetryAfterSeconds = 30;
  // Finished runs (succeeded or failed) kept per organisation.
  static constexpr int kKeptRunsPerOrganisation = 50;

  explicit BatchRunner(App& app, BatchSolve solve = SolveBatch);
  ~BatchRunner();
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  // A place in the queue for a run of `org`; false when the organisation already has
  // kMaxRunsPerOrganisation runs waiting or running, or kMaxQueuedRuns wait overall. A place
  // reserved is taken by Enqueue or given back by Release.
  [[nodiscard]] bool Reserve(const model::OrgCode& org);
  void Release(const model::OrgCode& org);
  // Queues a stored run of `org` (taking a reservation of `org` when there is one).
  void Enqueue(std::int64_t batch_id, const model::OrgCode& org);
  [[nodiscard]] std::size_t pending() const;

 private:
  void Work();
  void Run(std::int64_t batch_id);
  [[nodiscard]] std::size_t Waiting() const;  // under mutex_

  App& app_;
  BatchSolve solve_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<model::OrgCode, std::deque<std::int64_t>> waiting_;  // each organisation's line
  std::deque<model::OrgCode> turns_;                            // organisations with runs waiting, in turn
  std::map<model::OrgCode, std::size_t> reserved_;
  model::OrgCode running_org_;
  bool running_ = false;
  bool stopping_ = false;
  // Set when the runner is destroyed: a run under way stops at its next progress report (the
  // candidate graph reports every 64 openings), so a shutdown never waits for a long run.
  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

}  // namespace clausematch::api::http
