#pragma once
// The matching engine over one dataset snapshot: explained shortlists for one opening and the
// candidate graph of a whole batch.
//
// Construction prepares, once, what every query needs: each participant's location (coordinates,
// else the home commune's centre) and commune, a uniform-grid spatial index over the locations
// (spatial_index.hpp), a commune -> residents index (the same-commune rule), the resolved wanted
// fiches, sorted skills and skill embedding (skill_space.hpp) of each participant, and their
// placements. O(P·(d + s log s) + placements) for P participants with s skills, parallel (oneTBB).
//
// Shortlist (one opening), with N participants of whom m are in reach:
//   1. reach: the grid returns the people within the opening's max distance (or the largest
//      participant radius); each is kept when within min(own radius, max distance); the
//      worksite commune's residents are added whatever the distance. Everyone else is counted
//      out of reach (or without location) without being looked at.
//   2. eligibility at the hire date (eligibility.hpp) for the m people in reach;
//   3. score (scoring.hpp) for the eligible, top-k by (score desc, participant id asc),
//      reasons built for the k kept only.
//   O(cells + m·(c + s + d) + e log k); every excluded person is counted once, under the first
//   failing rule in ExclusionReason order, so eligible + Σ excluded = N.
//
// Candidate graph (batch): for every open opening, the pairs and scores of its shortlist. The
// openings of one worksite share one grid scan (the widest of their boxes), and each person of
// it is taken once against all of them in turn (person-major: their rows are read once per
// worksite, their distance, their criteria valid today, their waiting and exposure components and
// their cosine per fiche computed once); in parallel over worksites (tbb::parallel_for). Each
// pair's verdict is a few bit operations (CompiledPublicsRules on the criteria valid at the hire
// date), its ROME relation and skill overlap read small tables of the chunk's fiches and skills,
// and its score is Combine()'s own expressions on those (SkillFit, TotalScore, ...: the same
// doubles). Each opening keeps its best GraphOptions::max_candidates_per_opening (nth_element;
// once 4 × that many are known, a pair whose score upper bound — overlap and cosine at 1, distance
// at its chord lower bound — falls below the current cut is not scored), then a counting sort of
// the edges into CSR by participant.
// Weights are round(score × kWeightScale). Per-edge components are not stored: Explain()
// recomputes them for the pairs a report needs.
//
// The Matcher keeps references to the referential and the dataset: both must outlive it and
// stay unchanged (build a new Matcher on a new snapshot).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "matcher/assignment_problem.hpp"
#include "matcher/eligibility.hpp"
#include "matcher/exclusion.hpp"
#include "matcher/reach.hpp"
#include "matcher/score_weights.hpp"
#include "matcher/scoring.hpp"
#include "matcher/skill_space.hpp"
#include "matcher/spatial_index.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::matcher {

struct MatcherOptions {
  model::Date today;  // the reference date: waiting times, hire dates of openings already under way
  ScoreWeights weights;
};

struct ShortlistEntry {
  model::ParticipantId participant;
  std::uint32_t participant_index = 0;  // position in Dataset::participants
  double score = 0.0;
  ScoreComponents components;
  EligibilityBasis basis = EligibilityBasis::kNone;
  model::CriterionSet eligible_by;  // the criteria the eligibility rests on
  // Eligible subject to renewal: the proofs to renew before the hire (renew_by = hire date);
  // empty when eligible without condition. See EligibilityVerdict.
  std::vector<Condition> conditions;
  // Criteria counted provisionally for priority and quotas (renewable ones). For counts and
  // summaries: a facilitator is shown only criteria of eligible_by (docs/privacy.md).
  model::CriterionSet provisional;
  double distance_km = 0.0;
  bool same_commune = false;
  std::vector<Reason> reasons;
};

struct Shortlist {
  model::OpeningId opening;
  model::Date hire_date;
  std::uint32_t population = 0;  // participants in the dataset
  std::uint32_t in_reach = 0;
  std::uint32_t eligible = 0;     // eligible and in reach (entries holds the best k of them)
  std::uint32_t conditional = 0;  // of which eligible subject to renewal
  std::vector<ShortlistEntry> entries;
  ExclusionCounts excluded{};  // population = eligible + Σ excluded
};

// What a report needs to explain one pair (eligible or not).
struct PairExplanation {
  EligibilityVerdict verdict;         // refusal set when not eligible (kOutOfReach / kNoLocation included)
  std::vector<Condition> conditions;  // verdict.conditions() when eligible in reach, else empty
  ReachResult reach;
  ScoreComponents components;  // meaningful when verdict.eligible()
  std::vector<Reason> reasons;
};

// One kept candidate pair of an opening's cut: 8 bytes. What the pair adds to the participant's
// publics (AssignmentProblem::participant_publics is the AND of the criteria the pair counts at
// the opening's hire date over the participant's pairs, participant_provisional the OR of those
// counted provisionally) is not kept per pair: the builder folds it in as it keeps the pair, and
// recomputes it for a cut GraphOptions::known gives (it depends on the participant and the
// opening's hire date and route only, inputs a reused cut has unchanged).
struct CutEdge {
  std::uint32_t participant = 0;  // position in Dataset::participants
  std::int32_t weight = 0;        // round(score × kWeightScale)
  friend bool operator==(const CutEdge&, const CutEdge&) = default;
};

// An opening's counts in the graph (CandidateGraph::pairs_* summed over the openings).
struct CutCounts {
  std::uint64_t pairs_in_reach = 0;
  std::uint64_t pairs_eligible = 0;
  std::uint64_t pairs_conditional = 0;
  friend bool operator==(const CutCounts&, const CutCounts&) = default;
};

// One opening's part of the graph: its kept pairs (any order) and its counts. What an incremental
// run takes from the previous one for an opening whose inputs did not change.
struct OpeningCut {
  std::vector<CutEdge> edges;
  CutCounts counts;
};

struct CandidateGraph {
  AssignmentProblem problem;
  std::vector<model::ParticipantId> participant_ids;  // left node -> id (every dataset participant)
  std::vector<model::OpeningId> opening_ids;          // right node -> id (open openings only)
  std::vector<std::uint32_t> opening_index;           // right node -> position in Dataset::openings
  std::vector<model::OpeningId> skipped_openings;     // open but unusable: unknown contract or worksite
  std::uint64_t pairs_in_reach = 0;                   // (participant, opening) pairs looked at after reach
  std::uint64_t pairs_eligible = 0;                   // of which eligible (edges before the per-opening cut)
  std::uint64_t pairs_conditional = 0;                // of which eligible subject to renewal
  std::vector<CutCounts> opening_counts;              // right node -> its share of the three counts
  std::uint32_t openings_reused = 0;                  // open openings whose cut GraphOptions::known gave
};

struct GraphOptions {
  // Each opening keeps its best candidates only, by (score desc, participant id asc): exactly the
  // entries of MakeShortlist(opening, max_candidates_per_opening). 0 keeps every eligible pair.
  // An opening takes at most `positions` people, so a cut far above that barely constrains the
  // assignment while bounding the graph (on the region preset, 608M pairs in reach, 182M
  // eligible, 26.8M kept: see bench/README.md).
  std::size_t max_candidates_per_opening = kDefaultMaxCandidatesPerOpening;
  static constexpr std::size_t kDefaultMaxCandidatesPerOpening = 1000;
  // Called from one thread at a time with (openings done, openings total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  // Cuts already known, for an incremental run: called once per usable open opening (by position
  // in Dataset::openings, in that order, from the calling thread), it returns the opening's cut to
  // take as is, or nullopt to scan the opening. A returned cut must be what this builder would
  // compute (the same kept pairs and counts; the publics each pair counts are recomputed): the caller answers only for
  // openings whose inputs it knows unchanged (service/batch_state.hpp). Empty: every opening is scanned.
  std::function<std::optional<OpeningCut>(std::uint32_t)> known;
};

class Matcher {
 public:
  // (participants indexed, participants with a location) while the constructor prepares them, from
  // one thread at a time, counts in order: (0, total) first, then after each block.
  using IndexProgress = std::function<void(std::size_t, std::size_t)>;

  // `skills` may be shared across matchers of the same referential; built when null. Preparing the
  // participants runs in parallel (oneTBB) and reports to `progress` when given.
  Matcher(const model::Referential& ref, const model::Dataset& data, MatcherOptions options,
          std::shared_ptr<const SkillSpace> skills = nullptr, const IndexProgress& progress = {});
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Top-k eligible participants for an opening. Throws std::out_of_range for an unknown opening,
  // std::invalid_argument when its contract or worksite cannot be resolved. With `audience` (one
  // byte per participant index, non-zero: may be shown), the others are left out altogether: not
  // candidates, and not counted in the population or any exclusion.
  [[nodiscard]] Shortlist MakeShortlist(model::OpeningId opening, std::size_t k,
                                        std::span<const std::uint8_t> audience = {}) const;

  [[nodiscard]] CandidateGraph BuildCandidateGraph(const GraphOptions& options = {}) const;

  // Full evaluation of one pair, by positions in the dataset's vectors.
  [[nodiscard]] PairExplanation Explain(std::uint32_t participant_index, std::uint32_t opening_index) const;
  [[nodiscard]] std::optional<PairExplanation> Explain(model::ParticipantId participant,
                                                       model::OpeningId opening) const;

  // The compiled path's eligibility verdict for one pair, reach aside: what shortlists and the
  // candidate graph decide, for the tests that hold it against CheckEligibility. nullopt for a
  // participant without location (the compiled data covers located participants only). Throws
  // like Explain.
  [[nodiscard]] std::optional<EligibilityVerdict> CompiledVerdict(std::uint32_t participant_index,
                                                                  std::uint32_t opening_index) const;

  [[nodiscard]] const MatcherOptions& options() const { return options_; }
  [[nodiscard]] const SkillSpace& skill_space() const { return *skills_; }
  [[nodiscard]] std::uint64_t MemoryBytes() const;

  // Location and commune used for a participant / an opening's worksite (kNoCommune, nullopt
  // when unknown). Exposed for reports and for the tests' oracle.
  [[nodiscard]] std::optional<model::GeoPoint> HomeOf(std::uint32_t participant_index) const;
  [[nodiscard]] std::uint32_t HomeCommuneOf(std::uint32_t participant_index) const;

  struct OpeningPrep;
  struct OpeningScratch;

 private:
  struct Prepared;

  [[nodiscard]] std::optional<OpeningPrep> PrepareOpening(std::uint32_t opening_index) const;
  template <typename Visit>
  void ForEachInReach(const OpeningPrep& op, Visit&& visit) const;
  // The criteria a pair counts at the opening's hire date (EligibilityVerdict::counted()) and,
  // among them, those counted provisionally, for a reused cut: Prepared::CountedAt, the rule the
  // graph's per-pair loop and FastVerdict use too.
  struct Publics {
    std::uint32_t counted = 0;
    std::uint32_t provisional = 0;
  };
  [[nodiscard]] Publics PublicsOf(std::uint32_t slot, const OpeningPrep& op) const;
  [[nodiscard]] PlacementFacts FactsFor(std::uint32_t participant_index, const OpeningPrep& op) const;
  // CheckEligibility on the compiled per-participant data. Without `need_reason`, a refusal on
  // the publics rule is reported as kNoAcceptedPublic without telling the three cases apart.
  // The hot path works on grid slots (participants with a location, in grid order).
  bool FastVerdict(std::uint32_t slot, const OpeningPrep& op, bool need_reason, EligibilityVerdict& out) const;
  // `embedding` and `overlap`, when given, are the pair's cosine (SkillSpace::Similarity) and skill
  // overlap already computed.
  [[nodiscard]] PairInputs FastInputs(std::uint32_t slot, const OpeningPrep& op, const OpeningScratch& scratch,
                                      const ReachResult& reach, const EligibilityVerdict& verdict,
                                      const double* embedding = nullptr, const Overlap* overlap = nullptr) const;
  [[nodiscard]] RomeMatch FastRome(std::uint32_t slot, const OpeningPrep& op, const OpeningScratch& scratch) const;
  [[nodiscard]] ReachResult ReachOf(std::uint32_t slot, const OpeningPrep& op, bool same_commune) const;
  void Spread(const OpeningPrep& op, OpeningScratch& scratch) const;
  static void Clear(OpeningScratch& scratch);

  const model::Referential& ref_;
  const model::Dataset& data_;
  MatcherOptions options_;
  std::shared_ptr<const SkillSpace> skills_;
  std::unique_ptr<Prepared> prep_;
};

// Folds a commune index onto its city for Paris/Lyon/Marseille arrondissements; kNoCommune stays.
std::uint32_t CityCommune(const model::Referential& ref, std::uint32_t commune_index);
// The commune index (folded) of an INSEE code, kNoCommune when unknown.
std::uint32_t CityCommune(const model::Referential& ref, std::string_view insee);

}  // namespace clausematch::matcher
