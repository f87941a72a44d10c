#pragma once
// What an incremental batch run takes from the previous one (docs/assignment.md, "Incremental
// runs"): each open opening's cut of the candidate graph (its kept pairs, with the publics each
// pair counts, and its counts), the fingerprints of the inputs the cuts depend on, and the
// previous assignment with its participant prices for the solver's warm start.
//
// An opening's cut depends on the opening and its contract (the opening's fingerprint), and on
// everything shared: the participants and their placements (whom the scan visits, their
// verdicts and scores: placements decide "already placed" and "already on this opening"), the
// referential, the score weights, the reference date (hire dates of openings under way, ages,
// proofs, waiting times) and the cap on candidates per opening (BatchState::Inputs). A run whose
// shared inputs equal the previous run's takes the cut of every opening whose fingerprint is
// unchanged and scans the others: the graph is then the one a cold run builds, edge for edge.
// Any difference in the shared inputs and the run is cold, and says why.
//
// File (state.bin in a batch's output folder), little-endian, fixed-width integers but the edges:
//   magic "CMBS" 0x89 '\r' '\n' 0x1a, u32 version (2), u32 flags (0)
//   inputs: u64 participants, u64 referential, u64 weights, i32 as_of (days), u32 0,
//           u64 max_candidates, u32 participants count, u32 openings count, u64 edges,
//           u32 publics sets, u32 0, then each distinct (u32 counted, u32 provisional) pair
//   per opening: u32 id, u32 0, u64 fingerprint, u64 × 3 counts, u64 edges, u64 bytes, then its
//           edges in those bytes, three varints each (LEB128; signed ones zigzag): the participant
//           as a difference from the previous edge's (the first from 0), the weight, and the
//           position of its (counted, provisional) pair in the sets above. About 6 bytes an edge
//           instead of 16 (version 1).
//   solution: u8 mode, u8 solver, u16 0, u32 has_prices, u32 multipliers, u32 0; per participant
//           u32 opening (position in the openings above, 0xffffffff when none); when has_prices,
//           per participant i64 price and u8 quota class; per multiplier u32 contract id,
//           u32 public bit, i64 multiplier
//   u64 checksum (data::Checksum64 of each block, folded)
// A reader refuses a bad magic, version, size or checksum (BatchStateError).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::service {

struct BatchParams;

inline constexpr std::string_view kBatchStateFile = "state.bin";
inline constexpr std::uint32_t kBatchStateVersion = 2;

class BatchStateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BatchState {
  // Fingerprints of the inputs every cut depends on.
  struct Inputs {
    std::uint64_t participants = 0;  // participants and placements
    std::uint64_t referential = 0;
    std::uint64_t weights = 0;
    std::int32_t as_of = 0;  // days since 1970-01-01
    std::uint64_t max_candidates = 0;
    std::uint32_t participant_count = 0;
    friend bool operator==(const Inputs&, const Inputs&) = default;
  } inputs;
  struct Opening {
    model::OpeningId id;
    std::uint64_t fingerprint = 0;  // FingerprintOpening
    matcher::OpeningCut cut;        // participants by position in Dataset::participants
  };
  std::vector<Opening> openings;  // the run's open openings, by right node
  // The assignment: per participant, the position in `openings` or matcher::assignment::kNone.
  std::vector<std::uint32_t> opening_of;
  matcher::assignment::ObjectiveMode mode = matcher::assignment::ObjectiveMode::kFillThenScore;
  matcher::assignment::SolverKind solver = matcher::assignment::SolverKind::kOurs;
  // The augmenting-path solver's participant prices and quota classes (AssignmentResult), empty
  // when the solve gave none.
  std::vector<std::int64_t> participant_price;
  std::vector<std::uint8_t> in_quota_class;
  // The Lagrangian multipliers of the side quota groups (AssignmentResult::multipliers), by the
  // group's contract and public: where a later run's multiplier search starts. Empty for the
  // network method.
  struct Multiplier {
    model::ContractId contract;
    std::uint32_t public_bit = 0;
    std::int64_t lambda = 0;
    friend bool operator==(const Multiplier&, const Multiplier&) = default;
  };
  std::vector<Multiplier> multipliers;

  [[nodiscard]] std::uint64_t num_edges() const;
};

// The shared inputs' fingerprints (participants count included) for a run of `params` on `data`.
BatchState::Inputs FingerprintInputs(const model::Referential& ref, const model::Dataset& data,
                                     const BatchParams& params);
// What the matcher reads of one opening: the opening and its contract.
std::uint64_t FingerprintOpening(const model::Contract& contract, const model::Opening& opening);

// Why a previous run's cuts cannot be used for a run with inputs `now` (one sentence), empty
// when they can.
std::string Incompatibility(const BatchState::Inputs& before, const BatchState::Inputs& now);

// The file. Save writes through a temporary file renamed into place; Load throws BatchStateError
// (std::runtime_error when the file cannot be opened).
void SaveBatchState(const BatchState& state, const std::string& path);
BatchState LoadBatchState(const std::string& path);

}  // namespace clausematch::service
