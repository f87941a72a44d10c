#pragma once
// Edits of a dataset for the incremental-run tests: contracts that open after a first run.
#include <cstdint>
#include <utility>

#include "model/dataset.hpp"

namespace clausematch::matcher::testing {

// `base` with the contracts and openings of `extra` added under new ids (contract ids + 100000,
// opening ids + 1000000, references suffixed "-new"); extra's participants and placements are
// left out, so the participants' side is base's.
inline model::Dataset WithContractsOf(model::Dataset base, const model::Dataset& extra) {
  constexpr std::uint32_t kContractShift = 100000, kOpeningShift = 1000000;
  for (auto c : extra.contracts) {
    c.id = model::ContractId(c.id.value() + kContractShift);
    c.reference += "-new";
    base.contracts.push_back(std::move(c));
  }
  for (auto o : extra.openings) {
    o.id = model::OpeningId(o.id.value() + kOpeningShift);
    o.contract = model::ContractId(o.contract.value() + kContractShift);
    base.openings.push_back(std::move(o));
  }
  base.Index();
  return base;
}

}  // namespace clausematch::matcher::testing
