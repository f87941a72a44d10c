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
// participants holding its public bit. For an opening o with quota share l_o the positions split
// into two classes, two right nodes: "quota" (l_o positions) and "free" (positions - l_o). Every
// candidate edge (p, o) becomes one edge into each class; an edge into the quota class earns the
// bonus Q = P*(W + M) + 1 when p holds the public bit. Q outweighs the whole rest of the
// objective, so the optimum first maximises sum_o min(public participants at o, l_o), then the
// objective mode. If every quota can be met the bonus total is sum_o l_o and the solution is the
// exact optimum of the problem with the quotas as hard lower bounds; otherwise it is the best
// assignment with the largest achievable quota count, and the report gives each group's
// shortfall (status kInfeasible). Exact for single-opening groups. A lower bound on the SUM over
// several openings is not a network constraint (the problem becomes a matching with a side
// constraint), so a group over several openings is split into per-opening shares in proportion
// to positions (largest remainder): sufficient for the group's quota, possibly stricter; the
// report always counts the group's real total. An opening gets one quota class: when several
// groups name it (a contract with an RSA and an under-26 quota), the first group in the list uses
// it and the others are only reported (their achieved count is still measured).
//
// Fixed pairs (proposals a facilitator accepted) are kept as they are: the participant leaves
// the problem and the opening loses one position (and one quota share if the participant holds
// the public bit). Warm start: pass the previous result; its pairs and participant prices seed the
// augmenting-path solver (its opening prices seed the auction).
//
// Ranges: W, M, Q are computed in 128 bits; gains above 2^62 return kBadCostRange.
#include <cstdint>
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
};

struct QuotaReport {
  std::uint32_t group = 0;
  std::uint32_t contract_index = 0;
  std::int32_t required = 0;
  std::int32_t achieved = 0;
  std::int32_t shortfall = 0;
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
  double seconds = 0;  // compile + solve + certificate
};

AssignmentResult SolveAssignment(const AssignmentProblem& problem, const AssignmentOptions& options,
                                 const AssignmentResult* warm = nullptr);

}  // namespace clausematch::matcher::assignment
