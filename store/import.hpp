#pragma once
// Bulk load of a whole dataset (generator output, a dataset folder) into the store, in one
// transaction: all or nothing. Ids are the store's: the dataset's contract, opening and
// participant ids are mapped to new ones (placements follow the mapping).
#include <cstddef>

#include "model/dataset.hpp"
#include "store/store.hpp"

namespace clausematch::store {

struct ImportCounts {
  std::size_t participants = 0;
  std::size_t contracts = 0;
  std::size_t openings = 0;
  std::size_t placements = 0;
};

ImportCounts ImportDataset(Store& store, const model::Dataset& dataset);

}  // namespace clausematch::store
