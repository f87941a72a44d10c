#pragma once
// DIMACS min-cost-flow files ("p min", as LEMON's dimacs-solver reads them) of assignment shape,
// to and from TransportProblem, so anyone can hold our solver against another on the same file.
//
// Format: comment lines "c ...", one problem line "p min NODES ARCS", node lines "n ID SUPPLY"
// (nodes not listed have supply 0), arc lines "a FROM TO LOW CAP COST"; ids are 1-based.
//
// Accepted shape (anything else is a DimacsError naming the line and column):
//   - exactly one node with positive supply S (the source s) and one with supply -S (the sink t);
//   - arcs s->p with capacity 1: p is a participant (P of them);
//   - arcs o->t (capacity = positions): o is an opening;
//   - arcs p->o from a participant to an opening (capacity >= 1; 0 is ignored), any cost;
//   - optionally one direct arc s->t of capacity C, by which units of supply skip the participants;
//   - lower bounds 0. Costs on s->p, o->t and s->t are folded into the edge gains:
//     gain(p,o) = c(s,t) - c(s,p) - c(p,o) - c(o,t), cost = S*c(s,t) - sum of gains.
// The S units leave the source through participants or the direct arc, so the flow assigns
// between L = max(0, S - C) and min(S, P) participants (C = 0 without a direct arc); L > P is
// infeasible (an error naming the supply or direct arc line). Every such supply is accepted:
//   - S >= min(P, positions) with L = 0 (the usual "anyone may stay unassigned": S = P with C >= P,
//     or S = min(P, total positions) with a direct arc of that capacity): the plain problem;
//   - S = P without a direct arc: everyone must be assigned (must_assign_all);
//   - otherwise S or L binds: a cardinality limit, solved exactly on the same transport problem
//     with up to two placeholder openings after the real ones (`placeholders`): one of capacity
//     P - S whose edges gain more than any real edge (every optimum fills it, so at most S are
//     assigned), and, when L > 0 (must_assign_all), one of capacity min(S, P) - L with gain 0 (so
//     at least L are). A participant on a placeholder is unassigned in the file's network; the
//     objective and flows are reported in the file's terms (DimacsFlows, DimacsCost).
#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/assignment/transport.hpp"

namespace clausematch::matcher::assignment {

class DimacsError : public std::runtime_error {
 public:
  DimacsError(std::size_t line, std::size_t column, const std::string& message)
      : std::runtime_error("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message),
        line_(line),
        column_(column) {}
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] std::size_t column() const { return column_; }

 private:
  std::size_t line_;
  std::size_t column_;
};

struct DimacsAssignment {
  TransportProblem problem;
  bool gains_in_range = true;  // false: a folded gain does not fit 64 bits (kBadCostRange)
  std::uint32_t num_nodes = 0;
  std::uint32_t source = 0;  // 1-based node ids
  std::uint32_t sink = 0;
  std::int64_t supply = 0;
  std::vector<std::uint32_t> left_node;   // participant -> node id
  std::vector<std::uint32_t> right_node;  // opening -> node id (the placeholders have none)
  std::int64_t least_assigned = 0;        // L, see above
  std::int64_t most_assigned = 0;         // min(S, P)
  std::uint32_t placeholders = 0;         // right nodes after the real openings
  // Every arc in file order, to print flows: kind 0 s->p, 1 p->o, 2 o->t, 3 s->t.
  struct Arc {
    std::uint32_t from, to;
    std::int64_t cost;
    std::uint8_t kind;
    std::uint64_t index;  // participant, edge, opening, or 0
  };
  std::vector<Arc> arcs;
};

DimacsAssignment ReadDimacsAssignment(std::string_view text);
DimacsAssignment ReadDimacsAssignment(std::istream& in);
// A file, mapped rather than copied when it is a regular file (std::runtime_error if it cannot be
// opened).
DimacsAssignment ReadDimacsAssignmentFile(const std::string& path);

// Flow on each file arc under a solution, and the total cost in the file's units.
std::vector<std::int64_t> DimacsFlows(const DimacsAssignment& network, const TransportSolution& solution);
Int128 DimacsCost(const DimacsAssignment& network, const std::vector<std::int64_t>& flows);

// Writes a transport problem as a "p min" file of the shape above (node 1 = source, then the
// participants, the openings, the sink last; arc costs = -gains).
void WriteDimacs(std::ostream& out, const TransportProblem& problem, const std::string& comment);

}  // namespace clausematch::matcher::assignment
