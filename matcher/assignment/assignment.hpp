#pragma once
// The batch assignment facade: an AssignmentProblem (matcher/assignment_problem.hpp) in, an
// assignment with its certificate out. The flow network is an internal detail.
//
// Model (docs/assignment.md has the figures). Max-weight b-matching as a transportation problem
// (transport.hpp): participants on the left (at most one opening each), openings on the right
// (at most `positions`), an edge per candidate pair; everyone may stay unassigned.
//
// Objective modes, as integer gains g(e) on the edges:
//   kScore          g = w                      (w = weight in [0, kWeightScale])
//   kFillThenScore  g = w + M, M = P*W + 1     (W = kWeightScale, P = participants): one more
//                   filled position outweighs any difference in total weight, so the optimum has
//                   the maximum number of filled positions and, among those, the maximum weight.
//
// Quotas. A QuotaGroup asks that at least min_count of its openings' positions go to
// participants holding its public bit. The objective with quotas is lexicographic, as one integer:
//
//   F(x) = sum_assigned g(e) - Q * sum_groups shortfall_G(x),   Q = P*(W + M) + 1,
//
// shortfall_G = max(0, min_count - public people placed at G's openings): first the least total
// shortfall, then the objective mode (Q outweighs every difference of the rest).
//
// Network groups (one opening, named by no other group with a minimum) are exact in the flow
// network: the opening's positions split into two classes, two right nodes: "quota" (l_o
// positions) and "free" (positions - l_o); every candidate edge (p, o) becomes one edge into each
// class, the one into the quota class earning Q when p holds the public bit. Without other
// groups this is one min-cost flow and its certificate, as before side groups existed.
//
// Side groups (several openings, or an opening several groups name) are not network constraints.
// lagrangian.hpp relaxes them: one multiplier per group, flow re-solves, a feasible assignment,
// a proven bound on F and the gap between them (AssignmentResult::bound); docs/assignment.md §2.
//
// Fixed pairs (proposals a facilitator accepted) are kept as they are: the participant leaves
// the problem and the opening loses one position (and one quota share if the participant holds
// the public bit). Warm start: pass the previous result; its pairs and participant prices seed the
// augmenting-path solver (its opening prices seed the auction).
//
// Ranges: W, M, Q are computed in 128 bits; gains above 2^62 return kBadCostRange.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/assignment/auction_solver.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/path_solver.hpp"
#include "matcher/assignment/transport.hpp"
#include "matcher/assignment_problem.hpp"

namespace clausematch::matcher::assignment {

enum class ObjectiveMode { kFillThenScore, kScore };
enum class SolverKind { kOurs, kAuction, kBoost, kGreedy };  // kOurs: path_solver.hpp

std::unique_ptr<TransportSolver> MakeSolver(SolverKind kind, AuctionOptions options = {});
std::optional<SolverKind> ParseSolverKind(std::string_view name);
std::optional<ObjectiveMode> ParseObjectiveMode(std::string_view name);

struct FixedPair {
  std::uint32_t participant = 0;
  std::uint32_t opening = 0;
};

struct AssignmentOptions {
  ObjectiveMode mode = ObjectiveMode::kFillThenScore;
  SolverKind solver = SolverKind::kOurs;
  std::vector<FixedPair> fixed;
  AuctionOptions auction;
  // With side groups, close a gap the relaxation leaves by branch and bound (lagrangian.hpp);
  // false stops after the multiplier search (for comparisons).
  bool exact_step = true;
  // With side groups: where the multiplier search starts, per problem.quotas index (a previous
  // run's AssignmentResult::multipliers mapped onto this problem's groups). Empty, or an entry <= 0,
  // starts that group at 0 (lagrangian.hpp). Any start gives the same certified optimum; a start
  // near the end saves most of the re-solves.
  std::vector<std::int64_t> initial_multipliers;
  // With side groups, after each flow solve: (solves so far, the most the search may take at this
  // point: the root's budget, then the exact step's). May be empty.
  std::function<void(std::uint32_t, std::uint32_t)> progress;
};

struct QuotaReport {
  std::uint32_t group = 0;
  std::uint32_t contract_index = 0;
  std::int32_t required = 0;
  std::int32_t achieved = 0;
  std::int32_t shortfall = 0;
  bool side = false;  // enforced by the Lagrangian relaxation (not a network group)
  // Why a shortfall (filled for every group): the candidates holding the public (eligible and in
  // reach of the group's openings: the candidate graph's edges), how many of them are placed at
  // another opening that counts them for another group, how many elsewhere (not for a group), and
  // the group's positions left empty.
  std::int32_t public_candidates = 0;
  std::int32_t taken_by_other_quotas = 0;
  std::int32_t taken_elsewhere = 0;
  std::int32_t positions = 0;
  std::int32_t positions_left = 0;
};

// How good the returned assignment is, in units of F (above).
struct BoundReport {
  std::string method;                // "network" (one min-cost flow) or "lagrangian" (side groups)
  Int128 objective = 0;              // F of the assignment
  Int128 bound = 0;                  // an upper bound on F over every feasible assignment, when proven
  bool proven = false;               // the bound comes from a checked dual certificate
  std::int64_t shortfall = 0;        // sum of the groups' shortfalls in the assignment
  std::int64_t shortfall_bound = 0;  // the least total shortfall is at least this (when proven)
  std::uint32_t side_groups = 0;
  std::uint32_t solves = 0;         // flow solves (1 for the network method)
  std::uint32_t nodes = 0;          // branch-and-bound nodes of the exact step (0: the relaxation closed the gap)
  std::uint64_t dropped_pairs = 0;  // exact step: candidate pairs its reduced-cost fixing ruled out
  [[nodiscard]] Int128 gap() const { return bound - objective; }
  [[nodiscard]] bool optimal() const { return proven && bound == objective; }
  // gap / max(1, |bound|).
  [[nodiscard]] double relative_gap() const;
};

// The transport problem an AssignmentProblem compiles to, with the maps back.
struct CompiledAssignment {
  Status status = Status::kOptimal;  // kBadInput / kBadCostRange when it cannot be built
  std::string message;
  TransportProblem transport;
  std::vector<std::uint32_t> left_participant;  // transport left -> participant
  std::vector<std::uint32_t> right_opening;     // transport right -> opening
  std::vector<std::uint32_t> free_node;         // opening -> its free-class right node
  std::vector<std::uint32_t> quota_node;        // opening -> its quota-class right node, or kNone
  std::vector<std::int32_t> quota_share;        // opening -> l_o (before fixed pairs)
  std::vector<std::int32_t> quota_group;        // opening -> its network group, or -1
  std::vector<std::uint32_t> side_groups;       // indices into problem.quotas (lagrangian.hpp)
  std::int64_t fill_bonus = 0;                  // M
  std::int64_t quota_bonus = 0;                 // Q
};
CompiledAssignment Compile(const AssignmentProblem& problem, const AssignmentOptions& options);

struct AssignmentResult {
  Status status = Status::kBadInput;
  std::string message;
  std::vector<std::uint32_t> opening_of;  // per participant, kNone when unassigned
  std::int64_t total_weight = 0;
  std::uint32_t filled = 0;
  std::vector<QuotaReport> quotas;
  BoundReport bound;
  // The check of the flow solve whose assignment is returned: with side groups, the Lagrangian
  // relaxation at the returned multipliers (feasible, and optimal for that relaxation).
  CertificateReport certificate;
  TransportSolution transport;
  // Prices per opening class (scaled by price_scale) for a warm start; empty for oracle/greedy.
  std::vector<Int128> free_price;
  std::vector<Int128> quota_price;
  // Per participant, for a warm start of the augmenting-path solver: its price u (the dual of
  // "at most one opening", 0 when unassigned or fixed) and whether it holds a quota-class position.
  std::vector<std::int64_t> participant_price;
  std::vector<std::uint8_t> in_quota_class;
  Int128 unassigned_price = 0;
  std::int64_t price_scale = 0;
  // With side groups: per problem.quotas index, the multipliers of the root search's best bound
  // (0 for network groups), what a later run starts from (AssignmentOptions::initial_multipliers);
  // empty for the network method.
  std::vector<std::int64_t> multipliers;
  double seconds = 0;  // compile + solve + certificate
};

AssignmentResult SolveAssignment(const AssignmentProblem& problem, const AssignmentOptions& options,
                                 const AssignmentResult* warm = nullptr);

}  // namespace clausematch::matcher::assignment
