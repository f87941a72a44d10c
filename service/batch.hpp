#pragma once
// The batch assignment both doors run (`clausematch batch` and POST /v1/batches): the matcher's
// candidate graph over a dataset, the certified assignment (matcher::assignment::SolveAssignment),
// each proposal explained, and the summary a facilitator reads (positions filled, by public, by
// trade, quotas, mean distance, people left unassigned and why). Typed in and out: the doors parse
// flags or JSON into BatchParams, check them with CheckBatchParams (one rule for both), and render
// the BatchReport (api/json/batch_json.hpp).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/matcher.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"
#include "service/batch_state.hpp"

namespace clausematch::service {

// What a run is asked; every default lives here.
struct BatchParams {
  // The contracts a run over the server's database is cut to (RestrictToContracts), resolved when
  // the run is created; a run over a dataset folder (the CLI) takes every contract and leaves it empty.
  std::vector<model::ContractId> contracts;
  model::Date as_of;  // the reference date (waiting times, hire dates of openings under way)
  matcher::assignment::ObjectiveMode mode = matcher::assignment::ObjectiveMode::kFillThenScore;
  matcher::assignment::SolverKind solver = matcher::assignment::SolverKind::kOurs;
  // Candidates kept per opening (0: every eligible pair).
  std::size_t max_candidates = matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  matcher::ScoreWeights weights;
  // Also return what a later incremental run needs (BatchReport::state_source): each opening's
  // cut and the fingerprints of its inputs (batch_state.hpp). Not stored with a run's parameters.
  bool keep_state = false;
  // An incremental run lets the previous cuts go and scans every opening when more than this
  // share of the open openings is near a changed participant (RunBatch). Not stored with a run's
  // parameters; tests set it to 1 to keep the cuts whatever the share.
  double rescan_all_above = 0.9;

  static constexpr std::size_t kMaxCandidatesLimit = 100000;
};

// "fill-then-score" / "score", and "ours" / "auction" / "boost" / "greedy".
std::string_view Code(matcher::assignment::ObjectiveMode mode);
std::string_view Code(matcher::assignment::SolverKind solver);

// The values a run may take, whichever door asks: max_candidates from 0 to kMaxCandidatesLimit,
// a reference date, contracts given at most once. Fields are named as JSON pointers ("/max_candidates").
// max_candidates 0 (every eligible pair: an unbounded graph) is reserved to admins; the command
// line acts as one.
model::Problems CheckBatchParams(const BatchParams& params, bool admin = true);

// Progress hooks; each may be empty.
struct BatchHooks {
  // (participants indexed, total) while the matcher prepares them (matcher::Matcher::IndexProgress).
  std::function<void(std::size_t, std::size_t)> index_progress;
  // (openings done, openings total) while the candidate graph is built.
  std::function<void(std::size_t, std::size_t)> graph_progress;
  // Once the graph is built, before the solve.
  std::function<void(const matcher::AssignmentProblem&)> before_solve;
  // (flow solves so far, the most the search may still reach) during the Lagrangian search of side
  // quota groups (AssignmentOptions::progress), then (solves, solves) once the solve is done.
  std::function<void(std::size_t, std::size_t)> solve_progress;
  // (proposals explained, total) while each proposal's components and reasons are computed after
  // the solve: (0, total) first, then after each block of 1024 (blocks run in parallel; the calls
  // come one at a time, with counts in order) and at the end.
  std::function<void(std::size_t, std::size_t)> explain_progress;
};

struct BatchPair {
  std::uint32_t participant = 0;  // position in Dataset::participants
  std::uint32_t opening = 0;      // position in Dataset::openings
  matcher::PairExplanation why;
};

struct QuotaLine {
  std::uint32_t contract_index = 0;  // into the run's Dataset::contracts
  model::ContractId contract;
  std::string reference;    // the buyer's reference, what a facilitator recognises
  std::string public_code;  // the quota's public ("rsa", "jeune", ...)
  std::int32_t required = 0;
  std::int32_t achieved = 0;
  // Of `achieved`, people counted provisionally: their proof of the public lapses before the hire
  // and must be renewed by then (matcher::EligibilityVerdict::provisional).
  std::int32_t achieved_provisionally = 0;
  std::int32_t shortfall = 0;
  // Why (matcher::assignment::QuotaReport): people of the public eligible and in reach of the
  // contract's openings (its candidates), how many of them are placed where another quota counts
  // them, how many elsewhere, and the contract's positions left empty.
  std::int32_t public_candidates = 0;
  std::int32_t taken_by_other_quotas = 0;
  std::int32_t taken_elsewhere = 0;
  std::int32_t positions = 0;
  std::int32_t positions_left = 0;
  std::string explanation;  // the same in one French sentence, for the facilitator
};

// How good the assignment is (matcher::assignment::BoundReport): its objective, the proven bound
// and the gap (integers in the solver's units, as decimal text), the total quota shortfall and the
// proven least one.
struct OptimalityLine {
  std::string method;  // "network" or "lagrangian"
  std::string objective, bound, gap;
  double relative_gap = 0.0;
  bool proven_optimal = false;
  std::int64_t shortfall = 0;
  std::int64_t shortfall_bound = 0;  // the least possible total shortfall is at least this
  std::uint32_t side_groups = 0;
  std::uint32_t solves = 0;
  std::uint32_t branch_nodes = 0;  // nodes of the exact step (0: the relaxation closed the gap alone)
};

struct TradeLine {
  std::string trade;  // "F1703 Maçonnerie"
  int filled = 0;
  int positions = 0;
};

// What a run did: the one definition of every figure both doors show (docs/assignment.md).
struct BatchSummary {
  model::Date today;
  std::string status;       // matcher::assignment::ToString(result.status)
  std::string certificate;  // the certificate's verdict
  std::string mode;
  std::string solver;
  std::uint32_t participants = 0;
  std::uint32_t openings = 0;
  std::int64_t positions = 0;
  std::size_t filled = 0;
  double total_score = 0.0;
  std::uint64_t candidate_pairs = 0;
  std::uint64_t pairs_in_reach = 0;
  std::uint64_t pairs_eligible = 0;
  double mean_distance_km = 0.0;
  // Criterion code -> proposals whose person has it at the hire date: the proposal's verdict's
  // counted criteria (valid at the hire, or renewable: provisionally). The one "public at entry"
  // rule, the same as the placements' snapshots (model::CriteriaAtEntry) and the indicators.
  std::map<std::string, int> filled_by_public;
  // Of filled_by_public, the proposals that count the criterion provisionally (its proof lapses
  // before the hire): priority and quotas counted them, provided the proof is renewed.
  std::map<std::string, int> filled_by_public_provisional;
  // Proposals eligible subject to renewal (at least one proof to renew before the hire), and the
  // conditions by criterion (a proposal with two conditions counts under both).
  std::size_t subject_to_renewal = 0;
  std::map<std::string, int> to_renew_by_criterion;
  std::vector<TradeLine> by_trade;  // by trade label
  std::vector<QuotaLine> quotas;
  OptimalityLine optimality;
  int not_active_or_no_consent = 0;
  int no_eligible_opening_in_reach = 0;
  int positions_went_to_better_fits = 0;
  // How the run used a previous one (docs/assignment.md, "Incremental runs").
  struct Incremental {
    std::string previous = "none";       // "none" (no previous run given), "used" or "refused"
    std::string reason;                  // why it was refused, or why a used run's cuts were not reused
    std::uint32_t openings_reused = 0;   // cuts taken from the previous run
    std::uint32_t openings_new = 0;      // open now, not in the previous run: scanned
    std::uint32_t openings_changed = 0;  // the opening or its contract changed: scanned
    std::uint32_t openings_removed = 0;  // in the previous run, not open (or not usable) now
    // Unchanged, but a participant added, removed or changed may be in its reach (or, when most
    // are, every unchanged opening: the cuts were let go, `reason` says so): scanned.
    std::uint32_t openings_near_changes = 0;
    // Participants (matched by id) added, removed, or whose record or placements changed.
    std::uint32_t participants_added = 0;
    std::uint32_t participants_removed = 0;
    std::uint32_t participants_changed = 0;
    std::string solver_start = "cold";  // "warm": the previous pairs and prices seeded the solver
    std::string solver_note;            // why the solver started cold despite a previous run
  } incremental;
  struct Seconds {
    double load = 0.0;  // set by the door that loaded the data
    double matcher_index = 0.0;
    double candidate_graph = 0.0;  // with an incremental run's fingerprints and cut lookups
    double solve_and_certify = 0.0;
    double state = 0.0;  // the state's source for a later run (BatchParams::keep_state), built aside
  } seconds;
};

struct BatchReport {
  matcher::assignment::AssignmentResult result;
  std::vector<BatchPair> proposals;  // by opening id, then score desc, then participant id
  BatchSummary summary;
  // Whether a facilitator may use the proposals: certified optimal (or the greedy baseline, which
  // has no certificate to give).
  [[nodiscard]] bool usable() const {
    return result.certificate.optimal || solver == matcher::assignment::SolverKind::kGreedy;
  }
  matcher::assignment::SolverKind solver = matcher::assignment::SolverKind::kOurs;
  // With BatchParams::keep_state: what a later run takes as its previous one, left to build
  // (BuildBatchState) so that a door answers first: the CLI builds it on the thread that writes
  // state.bin, the server once the run is reported succeeded.
  std::optional<BatchStateSource> state_source;
};

// A previous run as a door found it: its state, or why there is none to use.
struct PreviousRun {
  std::optional<BatchState> state;
  std::string unreadable;  // set when state is empty: the file is missing, damaged or of another version
};

// The state a batch output folder keeps (kBatchStateFile in `dir`), or why it cannot be used.
PreviousRun ReadPreviousRun(const std::string& dir);

// The French sentence of a quota line ("Marché REF : quota RSA ... manque 2 ...").
std::string ExplainQuota(const QuotaLine& line);

// Runs the assignment of `data` (already cut to the run's contracts, see RestrictToContracts).
// Throws service::Error (kInvalid) on parameters CheckBatchParams refuses, std::runtime_error when
// the problem cannot be built (kBadInput, kBadCostRange).
//
// Incremental: with `previous` (a run on an earlier state of the same data), when its shared
// inputs are unchanged (batch_state.hpp), every opening whose fingerprint is unchanged and whose
// reach holds no participant added, removed or changed takes its cut from it instead of being
// scanned (the cuts are moved out of `previous`, participants renumbered by id), and the solver
// starts from the previous pairs and prices where it can (the augmenting-path solver without side
// quota groups). The graph, hence the certified optimum, is the cold run's. Otherwise the run is
// cold and summary.incremental says why.
BatchReport RunBatch(const model::Referential& ref, const model::Dataset& data, const BatchParams& params,
                     const BatchHooks& hooks = {}, PreviousRun* previous = nullptr);

// The dataset restricted to the given contracts and their openings (every participant and
// placement kept): what a facilitator's batch runs on. Cut in place: pass a copy you own. An
// empty list keeps no contract.
model::Dataset RestrictToContracts(model::Dataset data, const std::vector<model::ContractId>& contracts);

}  // namespace clausematch::service
