#include "store/snapshot.hpp"

#include <type_traits>

namespace clausematch::store {
namespace {

template <typename T, typename Id>
void Upsert(std::vector<T>& items, std::unordered_map<Id, std::size_t>& positions, const T& item) {
  auto [it, inserted] = positions.try_emplace(item.id, items.size());
  if (inserted)
    items.push_back(item);
  else
    items[it->second] = item;
}

}  // namespace

std::shared_ptr<const model::Dataset> Snapshot::Copy() const {
  std::shared_lock lock(mutex_);
  return std::make_shared<const model::Dataset>(dataset_);
}

void Snapshot::Reset(model::Dataset dataset) {
  dataset.Index();
  std::unique_lock lock(mutex_);
  dataset_ = std::move(dataset);
  version_.fetch_add(1, std::memory_order_acq_rel);
}

void Snapshot::Apply(std::span<const Change> changes) {
  if (changes.empty()) return;
  std::unique_lock lock(mutex_);
  version_.fetch_add(1, std::memory_order_acq_rel);
  for (const auto& change : changes) {
    std::visit(
        [this](const auto& item) {
          using T = std::decay_t<decltype(item)>;
          if constexpr (std::is_same_v<T, model::Participant>)
            Upsert(dataset_.participants, dataset_.participant_pos, item);
          else if constexpr (std::is_same_v<T, model::Contract>)
            Upsert(dataset_.contracts, dataset_.contract_pos, item);
          else if constexpr (std::is_same_v<T, model::Opening>)
            Upsert(dataset_.openings, dataset_.opening_pos, item);
          else {
            // Placements have no index in Dataset: replace by id with a scan (few per write).
            for (auto& p : dataset_.placements)
              if (p.id == item.id) {
                p = item;
                return;
              }
            dataset_.placements.push_back(item);
          }
        },
        change);
  }
}

}  // namespace clausematch::store
