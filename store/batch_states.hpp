#pragma once
// The batch states the server keeps (table batch_states, migration 007): for each organisation, the
// state its last succeeded batch run kept for a later incremental run (docs/assignment.md,
// "Incremental runs"). The state is a file in Dir() (about 6.6 bytes a kept pair: 165 MB on a
// region, beyond SQLite's blob limit on the national preset); the row names it. What the file
// holds is the service's (service/batch_state.hpp); this is only which file is whose. On its own
// connection to the store's file, like SigningKeys: a run's state is kept after the run's own
// transaction, and the Session stays free of it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.hpp"

namespace SQLite {  // NOLINT(readability-identifier-naming)
class Database;
}  // namespace SQLite

namespace clausematch::store {

class Store;

struct KeptBatchState {
  model::OrgCode org;
  std::int64_t batch = 0;  // the run (batches.id); its row goes when the run is pruned
  std::string file;        // the file's name in BatchStates::Dir()
  std::int64_t bytes = 0;
  std::string created_at;
};

class BatchStates {
 public:
  // A connection to the file `store` opened (std::logic_error for a Store this process did not open).
  explicit BatchStates(const Store& store);
  ~BatchStates();
  BatchStates(const BatchStates&) = delete;
  BatchStates& operator=(const BatchStates&) = delete;

  // "<database file>.batch-states".
  [[nodiscard]] const std::string& Dir() const { return dir_; }
  [[nodiscard]] std::optional<KeptBatchState> Find(const model::OrgCode& org);
  // Makes `kept` its organisation's, in one transaction; returns the file the row it replaces
  // named (to remove once this returned), if any.
  std::optional<std::string> Keep(KeptBatchState& kept);
  // Removes the organisation's row; returns the file it named, if any.
  std::optional<std::string> Forget(const model::OrgCode& org);
  // Every file a row names, sorted (the others in Dir() are no one's).
  [[nodiscard]] std::vector<std::string> Files();

 private:
  std::unique_ptr<SQLite::Database> db_;
  std::string dir_;
};

}  // namespace clausematch::store
