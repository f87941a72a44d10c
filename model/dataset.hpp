#pragma once
// A dataset: the participants, contracts, openings and placements of a territory, as loaded
// from files (generator output, sample) or a store snapshot. Plain vectors; ids index nothing by
// themselves (use the lookup maps built by Index()).
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"

namespace clausematch::model {

struct Dataset {
  // The date the data describes ("today" for the generator). Shortlists and batches default to it,
  // so a sample generated once stays meaningful: proofs do not expire as the calendar moves on.
  std::optional<Date> as_of;
  std::string territory;  // free label, e.g. "Département 59 (Nord)"
  std::vector<Participant> participants;
  std::vector<Contract> contracts;
  std::vector<Opening> openings;
  std::vector<Placement> placements;

  // id -> position in the vectors; rebuild after any insertion.
  void Index() {
    participant_pos.clear();
    contract_pos.clear();
    opening_pos.clear();
    for (std::size_t i = 0; i < participants.size(); ++i) participant_pos.emplace(participants[i].id, i);
    for (std::size_t i = 0; i < contracts.size(); ++i) contract_pos.emplace(contracts[i].id, i);
    for (std::size_t i = 0; i < openings.size(); ++i) opening_pos.emplace(openings[i].id, i);
  }
  [[nodiscard]] const Participant* FindParticipant(ParticipantId id) const {
    auto it = participant_pos.find(id);
    return it == participant_pos.end() ? nullptr : &participants[it->second];
  }
  [[nodiscard]] const Contract* FindContract(ContractId id) const {
    auto it = contract_pos.find(id);
    return it == contract_pos.end() ? nullptr : &contracts[it->second];
  }
  [[nodiscard]] const Opening* FindOpening(OpeningId id) const {
    auto it = opening_pos.find(id);
    return it == opening_pos.end() ? nullptr : &openings[it->second];
  }

  std::unordered_map<ParticipantId, std::size_t> participant_pos;
  std::unordered_map<ContractId, std::size_t> contract_pos;
  std::unordered_map<OpeningId, std::size_t> opening_pos;
};

}  // namespace clausematch::model
