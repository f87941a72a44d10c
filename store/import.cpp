#include "store/import.hpp"

#include <stdexcept>
#include <unordered_map>

namespace clausematch::store {

ImportCounts ImportDataset(Store& store, const model::Dataset& dataset) {
  return store.Write([&](Session& s) {
    ImportCounts counts;
    std::unordered_map<model::ContractId, model::ContractId> contracts;
    std::unordered_map<model::OpeningId, model::OpeningId> openings;
    std::unordered_map<model::ParticipantId, model::ParticipantId> participants;
    for (auto c : dataset.contracts) {
      const auto old_id = c.id;
      contracts[old_id] = s.InsertContract(c);
      ++counts.contracts;
    }
    for (auto o : dataset.openings) {
      const auto old_id = o.id;
      auto it = contracts.find(o.contract);
      if (it == contracts.end())
        throw std::runtime_error("import: opening " + std::to_string(old_id.value()) + " names an unknown contract");
      o.contract = it->second;
      openings[old_id] = s.InsertOpening(o);
      ++counts.openings;
    }
    for (auto p : dataset.participants) {
      const auto old_id = p.id;
      participants[old_id] = s.InsertParticipant(p);
      ++counts.participants;
    }
    for (auto pl : dataset.placements) {
      auto p = participants.find(pl.participant);
      auto o = openings.find(pl.opening);
      auto c = contracts.find(pl.contract);
      if (p == participants.end() || o == openings.end() || c == contracts.end())
        throw std::runtime_error("import: placement " + std::to_string(pl.id.value()) + " names an unknown object");
      pl.participant = p->second;
      pl.opening = o->second;
      pl.contract = c->second;
      s.InsertPlacement(pl, 0);
      ++counts.placements;
    }
    return counts;
  });
}

}  // namespace clausematch::store
