#pragma once
// The batch states the HTTP server keeps (docs/assignment.md, "Incremental runs"): each
// organisation's last succeeded run keeps its BatchState (the state.bin format,
// service/batch_state.hpp) for the organisation's next run asked with "previous": a file in
// store::BatchStates::Dir named by the organisation's row of batch_states. One per organisation:
// keeping a run's state removes the one before, and no organisation reads another's.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "model/ids.hpp"
#include "service/batch_state.hpp"

namespace clausematch::store {
class Store;
}  // namespace clausematch::store

namespace clausematch::service {

struct KeptState {
  std::int64_t batch = 0;  // the run that kept it; 0 when the organisation has none
  std::optional<BatchState> state;
  std::string unreadable;  // set when state is empty: why, in words a facilitator may read (no path)
};

// The organisation's kept state, read and checked (LoadBatchState), or why there is none.
KeptState FindKeptState(const store::Store& store, const model::OrgCode& org);

// Writes `state` as run `batch`'s (a temporary file renamed into place, synced with its folder,
// then the row committed), makes it the organisation's and removes the file of the one before.
// Returns the file's size in bytes. On failure the organisation keeps no state (its next run is
// cold and says why rather than start from an older run) and the error is thrown.
std::uint64_t KeepState(const store::Store& store, const model::OrgCode& org, std::int64_t batch,
                        const BatchState& state);
// The same from a run's deferred state (BatchReport::state_source), built first (BuildBatchState);
// a state that cannot be built also leaves the organisation none.
std::uint64_t KeepState(const store::Store& store, const model::OrgCode& org, std::int64_t batch,
                        BatchStateSource source);

// Removes the files of the folder that no row names (left by a crash between a file and its
// row, or whose run was pruned); returns how many.
std::size_t RemoveUnkeptStates(const store::Store& store);

}  // namespace clausematch::service
