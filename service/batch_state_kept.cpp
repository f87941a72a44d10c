#include "service/batch_state_kept.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

#include "store/batch_states.hpp"

namespace clausematch::service {
namespace {

namespace fs = std::filesystem;

// Flushes a file (or a folder: the renames in it) to the disk.
void SyncPath(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it");
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) throw std::runtime_error("cannot sync " + path.string());
}

std::string StateFileName(std::int64_t batch) { return "batch-" + std::to_string(batch) + ".state"; }

// The organisation's kept state let go, row and file: what a state that could not be built or
// kept leaves, so that its next run is cold and says why rather than start from an older run.
void ForgetKept(store::BatchStates& states, const model::OrgCode& org) {
  std::error_code ec;
  if (const auto before = states.Forget(org)) fs::remove(fs::path(states.Dir()) / *before, ec);
}

}  // namespace

KeptState FindKeptState(const store::Store& store, const model::OrgCode& org) {
  KeptState kept;
  store::BatchStates states(store);
  const auto row = states.Find(org);
  if (!row) {
    kept.unreadable = "no succeeded run of the organisation kept a state";
    return kept;
  }
  kept.batch = row->batch;
  const auto path = (fs::path(states.Dir()) / row->file).string();
  try {
    kept.state = LoadBatchState(path);
  } catch (const std::exception& e) {
    // The reader's messages start with the file's path: a facilitator reads the run instead.
    std::string why = e.what();
    if (const auto at = why.find(path); at != std::string::npos) why.replace(at, path.size(), "the file");
    kept.unreadable = "the state kept by run " + std::to_string(row->batch) + " cannot be read: " + why;
  }
  return kept;
}

std::uint64_t KeepState(const store::Store& store, const model::OrgCode& org, std::int64_t batch,
                        const BatchState& state) {
  store::BatchStates states(store);
  const fs::path dir(states.Dir());
  store::KeptBatchState row;
  row.org = org;
  row.batch = batch;
  row.file = StateFileName(batch);
  const auto path = dir / row.file;
  std::optional<std::string> before;
  std::error_code ec;
  try {
    // Personal data (people as positions, with the publics they count for): the server's user only.
    if (fs::create_directories(dir)) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    SaveBatchState(state, path.string());
    // Synced before its row names it: a crash before the commit leaves a file no row names
    // (RemoveUnkeptStates), never a row naming a half-written file.
    SyncPath(path);
    SyncPath(dir);
    row.bytes = static_cast<std::int64_t>(fs::file_size(path));
    before = states.Keep(row);
  } catch (...) {
    fs::remove(path, ec);
    ForgetKept(states, org);
    throw;
  }
  if (before && *before != row.file) fs::remove(dir / *before, ec);
  return static_cast<std::uint64_t>(row.bytes);
}

std::uint64_t KeepState(const store::Store& store, const model::OrgCode& org, std::int64_t batch,
                        BatchStateSource source) {
  std::optional<BatchState> state;
  try {
    state = BuildBatchState(std::move(source));
  } catch (...) {
    store::BatchStates states(store);
    ForgetKept(states, org);
    throw;
  }
  return KeepState(store, org, batch, *state);
}

std::size_t RemoveUnkeptStates(const store::Store& store) {
  store::BatchStates states(store);
  const fs::path dir(states.Dir());
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  const auto named = states.Files();
  std::vector<fs::path> unkept;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (!std::binary_search(named.begin(), named.end(), entry.path().filename().string()))
      unkept.push_back(entry.path());
  std::size_t removed = 0;
  for (const auto& path : unkept) removed += fs::remove(path, ec) ? 1 : 0;
  return removed;
}

}  // namespace clausematch::service
