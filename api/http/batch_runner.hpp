#pragma once
// Batch runs in the background: POST /v1/batches queues a run; one worker thread takes runs in
// order, solves each on a copy of the snapshot (writers are never blocked by a long run), stores
// the proposals and the summary, and keeps the state and progress in the batches table so that
// GET /v1/batches/{id} reads them from the database. A run under way when the server stops ends
// failed at its next progress report; a run interrupted by a crash is marked failed when the
// server starts again.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "model/dataset.hpp"
#include "model/referential.hpp"

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
};

// The solve step: the run's own copy of the snapshot (to cut down in place), referential, the run's parameters
// (contract ids...), progress callback in [0, 1]. Throws std::exception on failure (the message is stored with the
// run).
using BatchSolve = std::function<BatchOutcome(model::Dataset, const model::Referential&, const nlohmann::json& params,
                                              const std::function<void(double)>&)>;

// The engine's batch assignment (matcher candidate graph + assignment solver).
BatchOutcome SolveBatch(model::Dataset data, const model::Referential& ref, const nlohmann::json& params,
                        const std::function<void(double)>& progress);

class BatchRunner {
 public:
  explicit BatchRunner(App& app, BatchSolve solve = SolveBatch);
  ~BatchRunner();
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  void Enqueue(std::int64_t batch_id);
  [[nodiscard]] std::size_t pending() const;

 private:
  void Work();
  void Run(std::int64_t batch_id);

  App& app_;
  BatchSolve solve_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::int64_t> queue_;
  bool stopping_ = false;
  // Set when the runner is destroyed: a run under way stops at its next progress report (the
  // candidate graph reports every 64 openings), so a shutdown never waits for a long run.
  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

}  // namespace clausematch::api::http
