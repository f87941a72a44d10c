#pragma once
// Quota groups that are not network constraints (several openings, or an opening several groups
// name), by Lagrangian relaxation around the flow solver. docs/assignment.md §2 has the derivation.
//
// Problem (assignment.hpp): maximise F(x) = sum_assigned g(e) - Q * sum_G s_G(x), where
// s_G = max(0, L_G - A_G(x)) and A_G counts the public people placed at G's openings. Network
// groups stay in the flow network (quota classes); each side group G gets a multiplier
// lambda_G in [0, Q]. For every assignment x and such lambda,
//
//   F(x) <= sum_e (g(e) + sum_{G: e counts for G} lambda_G) x_e - sum_G lambda_G L_G
//
// (a met group adds lambda_G (A_G - L_G) >= 0, a short one loses at most Q per missing unit), so
// the optimum of the relaxed problem, a plain transport problem whose public edges into G's
// openings earn lambda_G more, bounds F from above: UB(lambda). Every relaxed optimum is also an
// assignment, whose F is a lower bound. When every group meets complementary slackness (A_G = L_G,
// or lambda_G = 0 and A_G >= L_G, or lambda_G = Q and A_G <= L_G) the two agree: proven optimal.
//
// Multipliers. One search per group on its own step function A_G(lambda_G): start at 0 (the first
// solve is the plain network solve), or at AssignmentOptions::initial_multipliers (a warm start: a
// previous run's multipliers, often already at complementary slackness or one bracket away), a
// group short of its minimum raises its multiplier geometrically (from W/16, times 8) until it is
// met, an over-served group with a positive multiplier lowers it, and once a group has a multiplier
// that under-serves and one that over-serves it bisects between them (geometric mean across orders
// of magnitude, arithmetic within one) down to a width of max(1, hi / 2^24). A group that cannot be
// met whatever happens (fewer public candidates, or positions, than its minimum) starts at Q, where
// it meets complementary slackness. Groups interact through shared people, so a bracket found
// inconsistent is reopened. With exact duals (the augmenting-path solver's), a group's next
// multiplier is first probed at the breakpoint read off the reduced costs (short by k: the k-th
// least reduced cost of a public person outside its openings, + 1; over-served by k: the k-th least
// margin of a placed public person over its best place outside them, + 1), when that lies inside
// what is known; every third move bisects. Each re-solve is incremental (PathResolver: only the
// rows of the openings whose multipliers moved are re-priced) when the gains fit the
// augmenting-path solver, else a full solve by the chosen backend.
//
// Exact step. The Lagrangian dual of an integer problem need not meet its optimum (and the
// multipliers are searched on integers): a gap may stay. Then branch and bound on candidate pairs,
// with the same relaxation at every node, on the same transport problem and the same incremental
// re-solves: a node fixes pairs (their gains + big, its bounds - big each; big = 2 (P + 2) times
// the widest gain, so that a fixed pair is in every relaxed optimum that can hold it) and forbids
// others (gains - big), starts its multiplier search from its parent's bound multipliers and
// gives a feasible assignment (any relaxed optimum is one: a candidate incumbent) and a certified
// bound over the assignments that keep its decisions. Branching pair: a side group breaking
// complementary slackness at the node's bound multipliers; over-served, its placed public person
// of least gain (forbid, then fix); short, the best-paid public pair into it not placed (fix,
// then forbid). Best bound first; a node whose bound does not beat the incumbent is closed (F is
// an integer). Bounded: 2000 nodes, 8 times the root's solve budget, and the root's search time
// (at least 1 s); what stays open keeps its bound, so the reported bound (the largest of the
// incumbent's F and the open bounds) is still proven. Greedy, AssignmentOptions::exact_step =
// false, or gains too wide for the shift (above 2^60 with it) skip it.
//
// Result: the assignment with the best F among the relaxed optima (of the root and of the
// nodes), and the least UB, recomputed from the dual certificate of its solve (weak duality, any
// potentials: the bound holds even if a solve were not optimal), or the exact step's bound.
// Greedy has no duals to trust: no bound is claimed.
#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/pairs.hpp"

namespace clausematch::matcher::assignment {

struct LagrangianOutcome {
  TransportSolution solution;  // the returned assignment, on the compiled transport problem
  CertificateReport certificate;
  BoundReport bound;
  // Per problem.quotas index: the side groups' multipliers at the root search's best bound (0 for
  // network groups), the start of a later search (AssignmentOptions::initial_multipliers).
  std::vector<std::int64_t> multipliers;
};

// `compiled` comes from Compile(problem, options) with side groups; its transport values are
// changed during the search and left at the returned assignment's multipliers. `pairs` reads the
// problem's pairs (pairs.hpp: problem.targets may be released). `warm` (the augmenting-path
// solver's WarmStart on `compiled`: a previous run's pairs and participant prices) seeds the first
// flow solve of the incremental re-solver; other backends ignore it.
LagrangianOutcome SolveLagrangian(const AssignmentProblem& problem, const AssignmentOptions& options,
                                  CompiledAssignment& compiled, const PairView& pairs, const WarmStart* warm = nullptr);

// F of an assignment (opening per participant, kNone when unassigned) and its total shortfall.
struct ObjectiveValue {
  Int128 objective = 0;
  std::int64_t shortfall = 0;
};
ObjectiveValue EvaluateObjective(const AssignmentProblem& problem, const CompiledAssignment& compiled,
                                 const PairView& pairs, const std::vector<std::uint32_t>& opening_of);

}  // namespace clausematch::matcher::assignment
