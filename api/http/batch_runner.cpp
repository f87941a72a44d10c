#include "api/http/batch_runner.hpp"

#include <chrono>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "api/http/server.hpp"
#include "service/batch_state_kept.hpp"
#include "service/territory.hpp"

namespace clausematch::api::http {

BatchRunner::BatchRunner(App& app, BatchSolve solve) : app_(app), solve_(std::move(solve)) {
  // Runs left queued or running by a previous process cannot resume: say so in their state.
  app_.store.Write([](store::Session& s) {
    for (std::int64_t after = 0;;) {
      auto page = s.ListBatches(std::nullopt, after, 500);
      if (page.empty()) break;
      for (auto& b : page) {
        after = b.id;
        if (b.state == store::BatchState::kQueued || b.state == store::BatchState::kRunning) {
          b.state = store::BatchState::kFailed;
          b.error = "interrupted by a server restart; start a new run";
          b.finished_at = store::NowTimestamp();
          s.UpdateBatch(b);
        }
      }
    }
  });
  // State files no row names: a crash between a state's file and its row, or a run pruned since.
  service::RemoveUnkeptStates(app_.store);
  worker_ = std::thread([this] { Work(); });
}

BatchRunner::~BatchRunner() {
  cancel_ = true;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::size_t BatchRunner::Waiting() const {
  std::size_t n = 0;
  for (const auto& [org, line] : waiting_) n += line.size();
  return n;
}

bool BatchRunner::Reserve(const model::OrgCode& org) {
  std::lock_guard lock(mutex_);
  std::size_t reserved = 0;
  for (const auto& [o, n] : reserved_) reserved += n;
  const auto line = waiting_.find(org);
  const std::size_t mine = (line == waiting_.end() ? 0 : line->second.size()) +
                           (reserved_.count(org) ? reserved_.at(org) : 0) + (running_ && running_org_ == org ? 1 : 0);
  if (mine >= kMaxRunsPerOrganisation || Waiting() + reserved >= kMaxQueuedRuns) return false;
  ++reserved_[org];
  return true;
}

void BatchRunner::Release(const model::OrgCode& org) {
  std::lock_guard lock(mutex_);
  if (auto it = reserved_.find(org); it != reserved_.end() && --it->second == 0) reserved_.erase(it);
}

void BatchRunner::Enqueue(std::int64_t batch_id, const model::OrgCode& org) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = reserved_.find(org); it != reserved_.end() && --it->second == 0) reserved_.erase(it);
    auto& line = waiting_[org];
    if (line.empty()) turns_.push_back(org);
    line.push_back(batch_id);
  }
  wake_.notify_one();
}

std::size_t BatchRunner::pending() const {
  std::lock_guard lock(mutex_);
  return Waiting();
}

void BatchRunner::Work() {
  for (;;) {
    std::int64_t id = 0;
    {
      std::unique_lock lock(mutex_);
      running_ = false;
      wake_.wait(lock, [this] { return stopping_ || !turns_.empty(); });
      if (stopping_) return;
      // Round robin: the organisation whose turn it is runs its oldest run, then goes to the back
      // of the turns if it has more waiting.
      auto org = std::move(turns_.front());
      turns_.pop_front();
      auto& line = waiting_[org];
      id = line.front();
      line.pop_front();
      if (line.empty())
        waiting_.erase(org);
      else
        turns_.push_back(org);
      running_org_ = std::move(org);
      running_ = true;
    }
    Run(id);
  }
}

void BatchRunner::Run(std::int64_t batch_id) {
  auto batch = app_.store.Read([&](store::Session& s) { return s.FindBatch(batch_id); });
  if (!batch) return;
  batch->state = store::BatchState::kRunning;
  batch->started_at = store::NowTimestamp();
  app_.store.Write([&](store::Session& s) { s.UpdateBatch(*batch); });
  try {
    // The run's own copy (one, taken under the snapshot's shared lock), cut down in place: first
    // to the participants the run's organisation may be shown (service/territory.hpp).
    const auto audience = app_.store.Read([&](store::Session& s) { return service::AudienceOf(s, batch->org); });
    auto data =
        service::RestrictToAudience(app_.store.snapshot().Read([](const model::Dataset& d) { return d; }), audience);
    auto last = std::chrono::steady_clock::now();
    auto progress = [&](double fraction) {
      if (cancel_) throw std::runtime_error("interrupted by a server shutdown; start a new run");
      const auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(200)) return;  // keep progress writes rare
      last = now;
      batch->progress = std::clamp(fraction, 0.0, 0.99);
      app_.store.Write([&](store::Session& s) { s.UpdateBatch(*batch); });
    };
    // The organisation's last succeeded run, when asked ("previous": true): its kept state, or why
    // there is none (the run is then cold and its summary says so).
    std::optional<service::PreviousRun> previous;
    std::int64_t previous_batch = 0;
    if (const auto asked = batch->params.find("previous"); asked != batch->params.end() && *asked == true) {
      auto kept = service::FindKeptState(app_.store, batch->org);
      previous_batch = kept.batch;
      previous.emplace(service::PreviousRun{std::move(kept.state), std::move(kept.unreadable)});
    }
    auto outcome = solve_(std::move(data), *app_.referential, batch->params, progress, previous ? &*previous : nullptr);
    previous.reset();  // what is left of its cuts
    if (auto inc = outcome.summary.find("incremental"); inc != outcome.summary.end() && inc->is_object())
      (*inc)["previous_batch_id"] = previous_batch == 0 ? nlohmann::json(nullptr) : nlohmann::json(previous_batch);
    app_.store.Write([&](store::Session& s) {
      for (auto& p : outcome.proposals) {
        store::Proposal proposal;
        proposal.batch = batch_id;
        proposal.participant = p.participant;
        proposal.opening = p.opening;
        proposal.score = p.score;
        proposal.details = std::move(p.details);
        s.InsertProposal(proposal);
      }
      batch->state = store::BatchState::kSucceeded;
      batch->progress = 1.0;
      batch->summary = std::move(outcome.summary);
      batch->finished_at = store::NowTimestamp();
      s.UpdateBatch(*batch);
      s.PruneBatches(batch->org, kKeptRunsPerOrganisation);
    });
    // The run is the organisation's last succeeded one: its state, built now (after the run is
    // reported succeeded: its time is not the run's), replaces the one before. A state that
    // cannot be built or written leaves none (KeepState) and does not fail the run.
    outcome.proposals = {};
    if (outcome.state) {
      try {
        service::KeepState(app_.store, batch->org, batch_id, std::move(*outcome.state));
      } catch (const std::exception& e) {
        std::cerr << "clausematch: batch " << batch_id << ": its state was not kept: " << e.what() << std::endl;
      }
    }
  } catch (const std::exception& e) {
    batch->state = store::BatchState::kFailed;
    batch->error = e.what();
    batch->finished_at = store::NowTimestamp();
    app_.store.Write([&](store::Session& s) {
      s.UpdateBatch(*batch);
      s.PruneBatches(batch->org, kKeptRunsPerOrganisation);
    });
  }
  // The files of the states replaced, or whose run was just pruned.
  try {
    service::RemoveUnkeptStates(app_.store);
  } catch (const std::exception& e) {
    std::cerr << "clausematch: batch states: " << e.what() << std::endl;
  }
}

}  // namespace clausematch::api::http
