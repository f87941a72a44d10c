#pragma once
// The in-memory dataset the matcher reads: every participant, contract, opening and placement of
// the store, with the id -> position indices. Built once when the store opens, then updated in
// place by each committed write (an upsert by id), never reloaded.
//
// Concurrency: readers share a std::shared_mutex (many shortlists at once); a write takes it
// exclusively for the few microseconds an upsert needs. A long job (a batch run) takes a Copy()
// instead of holding the lock.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <variant>

#include "model/dataset.hpp"

namespace clausematch::store {

using Change = std::variant<model::Participant, model::Contract, model::Opening, model::Placement>;

class Snapshot {
 public:
  // Runs f(const model::Dataset&) under a shared lock and returns its result.
  template <typename F>
  auto Read(F&& f) const {
    std::shared_lock lock(mutex_);
    return f(static_cast<const model::Dataset&>(dataset_));
  }
  [[nodiscard]] std::shared_ptr<const model::Dataset> Copy() const;

  void Reset(model::Dataset dataset);
  void Apply(std::span<const Change> changes);
  // Incremented by every Reset and non-empty Apply: a cheap "has anything changed" check.
  [[nodiscard]] std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  std::atomic<std::uint64_t> version_{0};
  mutable std::shared_mutex mutex_;
  model::Dataset dataset_;
};

}  // namespace clausematch::store
