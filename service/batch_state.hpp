#pragma once
// What an incremental batch run takes from the previous one (docs/assignment.md, "Incremental
// runs"): each open opening's cut of the candidate graph (its kept pairs and its counts; the
// graph recomputes a reused pair's publics), the fingerprints of the inputs the cuts depend on, and the
// previous assignment with its participant prices for the solver's warm start.
//
// An opening's cut depends on the opening and its contract (the opening's fingerprint), on the
// participants its scan visits (the people in its reach: their records and their placements,
// which decide "already placed" and "already on this opening"), and on what is shared by every
// cut: the referential, the score weights, the reference date (hire dates of openings under way,
// ages, proofs, waiting times) and the cap on candidates per opening (BatchState::Inputs). So the
// state keeps one fingerprint per participant with where its reach starts from (the home the
// matcher uses, its radius and commune): a later run with the same shared inputs finds the
// participants added, removed or changed, and rescans every opening whose reach can hold one of
// them, at its old or its new home (ChangedParticipants, AffectedOpenings); every other opening
// whose own fingerprint is unchanged takes its previous cut, its participants renumbered by id.
// The graph is then the one a cold run builds, edge for edge. Any difference in the shared inputs
// and the run is cold, and says why.
//
// File (state.bin in a batch's output folder), little-endian, fixed-width integers but the edges:
//   magic "CMBS" 0x89 '\r' '\n' 0x1a, u32 version (3), u32 flags (0)
//   inputs: u64 0, u64 referential, u64 weights, i32 as_of (days), u32 0,
//           u64 max_candidates, u32 participants count, u32 openings count, u64 edges, u32 0, u32 0
//   per participant (40 bytes): u32 id, u32 commune (folded index, 0xffffffff when none),
//           u64 fingerprint (its record and its placements), f64 home latitude and longitude (NaN
//           without a home), f64 mobility radius (km)
//   per opening: u32 id, u32 0, u64 fingerprint, u64 × 3 counts, u64 edges, u64 bytes, then its
//           edges in those bytes, two varints each (LEB128; signed ones zigzag): the participant
//           as a difference from the previous edge's (the first from 0) and the weight. About 5
//           bytes an edge (version 1: 16; version 2: a third varint, the position of the pair's
//           publics in a table of the distinct sets, which version 3 leaves out: the graph
//           recomputes a reused pair's publics, matcher.hpp CutEdge).
//   solution: u8 mode, u8 solver, u16 0, u32 has_prices, u32 multipliers, u32 0; per participant
//           u32 opening (position in the openings above, 0xffffffff when none); when has_prices,
//           per participant i64 price and u8 quota class; per multiplier u32 contract id,
//           u32 public bit, i64 multiplier
//   u64 checksum (data::Checksum64 of each block, folded)
// A reader refuses a bad magic, version, size or checksum (BatchStateError). Version 2 files
// (one fingerprint for all the participants) are refused: the run is cold and says so.
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "matcher/reach.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::service {

struct BatchParams;

inline constexpr std::string_view kBatchStateFile = "state.bin";
inline constexpr std::uint32_t kBatchStateVersion = 3;

class BatchStateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BatchState {
  // Fingerprints of the inputs every cut depends on.
  struct Inputs {
    std::uint64_t referential = 0;
    std::uint64_t weights = 0;
    std::int32_t as_of = 0;  // days since 1970-01-01
    std::uint64_t max_candidates = 0;
    std::uint32_t participant_count = 0;
    friend bool operator==(const Inputs&, const Inputs&) = default;
  } inputs;
  // One per participant, in the run's Dataset::participants order (participant_count of them).
  struct Participant {
    model::ParticipantId id;
    std::uint32_t commune = matcher::kNoCommune;  // Matcher::HomeCommuneOf
    std::uint64_t fingerprint = 0;                // FingerprintParticipant
    // Matcher::HomeOf (NaN without one: such a person is in no opening's reach) and the radius.
    double lat = std::numeric_limits<double>::quiet_NaN();
    double lon = std::numeric_limits<double>::quiet_NaN();
    double radius_km = 0.0;
    friend bool operator==(const Participant& a, const Participant& b) {
      auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
      return a.id == b.id && a.commune == b.commune && a.fingerprint == b.fingerprint && same(a.lat, b.lat) &&
             same(a.lon, b.lon) && same(a.radius_km, b.radius_km);
    }
  };
  std::vector<Participant> participants;
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

// A run's state before it is built (BatchReport::state_source): what BatchState keeps, with the
// kept pairs still by participant, as the run's problem had them (AssignmentProblem's CSR, moved
// out of it: 8 bytes a pair, as the built cuts). BuildBatchState turns it into the BatchState the
// run would have kept, byte for byte in state.bin: the pairs transposed by opening in parallel,
// participants in increasing order within each cut.
struct BatchStateSource {
  BatchState::Inputs inputs;
  std::vector<BatchState::Participant> participants;
  matcher::assignment::ObjectiveMode mode = matcher::assignment::ObjectiveMode::kFillThenScore;
  matcher::assignment::SolverKind solver = matcher::assignment::SolverKind::kOurs;
  // By right node: the opening's id, its fingerprint (FingerprintOpening) and its counts.
  std::vector<model::OpeningId> opening_ids;
  std::vector<std::uint64_t> opening_fingerprints;
  std::vector<matcher::CutCounts> opening_counts;
  // The pairs, CSR by participant (AssignmentProblem::offsets, targets, weights).
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> targets;
  std::vector<std::int32_t> weights;
  // As in BatchState.
  std::vector<std::uint32_t> opening_of;
  std::vector<std::int64_t> participant_price;
  std::vector<std::uint8_t> in_quota_class;
  std::vector<BatchState::Multiplier> multipliers;
};
BatchState BuildBatchState(BatchStateSource source);

// The shared inputs' fingerprints (participants count included) for a run of `params` on `data`.
BatchState::Inputs FingerprintInputs(const model::Referential& ref, const model::Dataset& data,
                                     const BatchParams& params);
// What the matcher reads of one participant: its record and its placements (`placements`: those
// of Dataset::placements whose participant it is, in their order).
std::uint64_t FingerprintParticipant(const model::Participant& person, std::span<const model::Placement> placements);
// Every participant's fingerprint and reach origin, in order (in parallel), from the run's matcher.
std::vector<BatchState::Participant> FingerprintParticipants(const model::Dataset& data,
                                                             const matcher::Matcher& engine);

// How the participants of a run differ from the previous run's, matched by id.
struct ParticipantChanges {
  static constexpr std::uint32_t kNone = 0xffffffffu;
  std::vector<std::uint32_t> now_of;     // previous position -> position now, kNone when removed
  std::vector<std::uint32_t> before_of;  // position now -> previous position, kNone when added
  std::uint32_t added = 0, removed = 0, changed = 0;
  bool same_order = true;  // nobody added or removed, same order: positions are unchanged
  std::string unusable;    // set when the ids cannot be matched (an id twice): the run is cold
  // Where the reach of the people added, removed or changed starts from: the previous and the
  // present home of a changed one (once when equal).
  std::vector<BatchState::Participant> origins;
};
ParticipantChanges ChangedParticipants(const std::vector<BatchState::Participant>& before,
                                       const std::vector<BatchState::Participant>& now);

// Per position in Dataset::openings, 1 when the opening's reach (matcher.hpp: the people within
// min(own radius, max distance) of the worksite, and the worksite commune's residents) can hold a
// person starting from one of `origins`: a superset (within the person's radius, whatever the
// opening's max distance; every opening for a radius that is not finite), only open openings.
std::vector<std::uint8_t> AffectedOpenings(const model::Referential& ref, const model::Dataset& data,
                                           const std::vector<BatchState::Participant>& origins);
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
