#include "matcher/assignment/dimacs.hpp"

#include <charconv>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

struct Token {
  std::string_view text;
  std::size_t column;  // 1-based
};

std::vector<Token> Split(std::string_view line) {
  std::vector<Token> tokens;
  std::size_t k = 0;
  while (k < line.size()) {
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) ++k;
    if (k >= line.size()) break;
    const auto start = k;
    while (k < line.size() && line[k] != ' ' && line[k] != '\t' && line[k] != '\r') ++k;
    tokens.push_back({line.substr(start, k - start), start + 1});
  }
  return tokens;
}

std::int64_t Number(const Token& t, std::size_t line, const char* what) {
  std::int64_t value = 0;
  const auto* end = t.text.data() + t.text.size();
  auto [ptr, ec] = std::from_chars(t.text.data(), end, value);
  if (ec != std::errc{} || ptr != end)
    throw DimacsError(line, t.column,
                      std::string("expected an integer ") + what + ", got '" + std::string(t.text) + "'");
  return value;
}

struct RawArc {
  std::uint32_t from, to;
  std::int64_t cap, cost;
  std::size_t line;
};

}  // namespace

DimacsAssignment ReadDimacsAssignment(std::istream& in) {
  DimacsAssignment net;
  std::string text;
  std::size_t line_no = 0;
  std::size_t p_line = 0;
  std::uint64_t announced_arcs = 0;
  std::vector<std::int64_t> supply;
  std::vector<std::size_t> supply_line;
  std::vector<RawArc> raw;
  while (std::getline(in, text)) {
    ++line_no;
    const auto tokens = Split(text);
    if (tokens.empty() || tokens[0].text == "c") continue;
    const auto kind = tokens[0].text;
    if (kind == "p") {
      if (p_line != 0)
        throw DimacsError(line_no, 1, "second problem line (first on line " + std::to_string(p_line) + ")");
      if (tokens.size() != 4) throw DimacsError(line_no, 1, "expected 'p min NODES ARCS'");
      if (tokens[1].text != "min")
        throw DimacsError(line_no, tokens[1].column,
                          "problem type must be 'min', got '" + std::string(tokens[1].text) + "'");
      const auto nodes = Number(tokens[2], line_no, "node count");
      const auto arcs = Number(tokens[3], line_no, "arc count");
      if (nodes < 2 || nodes > 0xfffffff0) throw DimacsError(line_no, tokens[2].column, "node count out of range");
      if (arcs < 0) throw DimacsError(line_no, tokens[3].column, "negative arc count");
      net.num_nodes = static_cast<std::uint32_t>(nodes);
      announced_arcs = static_cast<std::uint64_t>(arcs);
      supply.assign(net.num_nodes + 1, 0);
      supply_line.assign(net.num_nodes + 1, 0);
      raw.reserve(announced_arcs);
      p_line = line_no;
      continue;
    }
    if (p_line == 0) throw DimacsError(line_no, 1, "'" + std::string(kind) + "' line before the problem line");
    auto node_id = [&](const Token& t) {
      const auto id = Number(t, line_no, "node id");
      if (id < 1 || id > net.num_nodes)
        throw DimacsError(line_no, t.column,
                          "node " + std::string(t.text) + " out of range 1.." + std::to_string(net.num_nodes));
      return static_cast<std::uint32_t>(id);
    };
    if (kind == "n") {
      if (tokens.size() != 3) throw DimacsError(line_no, 1, "expected 'n ID SUPPLY'");
      const auto id = node_id(tokens[1]);
      if (supply_line[id] != 0)
        throw DimacsError(line_no, tokens[1].column, "node " + std::to_string(id) + " already has a supply line");
      supply[id] = Number(tokens[2], line_no, "supply");
      supply_line[id] = line_no;
    } else if (kind == "a") {
      if (tokens.size() != 6) throw DimacsError(line_no, 1, "expected 'a FROM TO LOW CAP COST'");
      RawArc a{node_id(tokens[1]), node_id(tokens[2]), 0, 0, line_no};
      if (Number(tokens[3], line_no, "lower bound") != 0)
        throw DimacsError(line_no, tokens[3].column, "lower bounds must be 0 in an assignment network");
      a.cap = Number(tokens[4], line_no, "capacity");
      if (a.cap < 0) throw DimacsError(line_no, tokens[4].column, "negative capacity");
      a.cost = Number(tokens[5], line_no, "cost");
      raw.push_back(a);
    } else {
      throw DimacsError(line_no, 1, "unknown line type '" + std::string(kind) + "' (expected c, p, n or a)");
    }
  }
  if (p_line == 0) throw DimacsError(line_no + 1, 1, "no 'p min' problem line");
  if (raw.size() != announced_arcs)
    throw DimacsError(p_line, 1,
                      "problem line announces " + std::to_string(announced_arcs) + " arcs, the file has " +
                          std::to_string(raw.size()));
  // Source and sink.
  for (std::uint32_t v = 1; v <= net.num_nodes; ++v) {
    if (supply[v] > 0) {
      if (net.source != 0)
        throw DimacsError(supply_line[v], 1,
                          "a second supply node (the source is node " + std::to_string(net.source) + ")");
      net.source = v;
    } else if (supply[v] < 0) {
      if (net.sink != 0)
        throw DimacsError(supply_line[v], 1,
                          "a second demand node (the sink is node " + std::to_string(net.sink) + ")");
      net.sink = v;
    }
  }
  if (net.source == 0 || net.sink == 0)
    throw DimacsError(p_line, 1, "an assignment network needs one supply node and one demand node");
  if (supply[net.source] != -supply[net.sink])
    throw DimacsError(supply_line[net.sink], 1, "the sink's demand must equal the source's supply");
  net.supply = supply[net.source];
  // Roles from the arcs touching the source and the sink.
  std::vector<std::uint32_t> left_of(net.num_nodes + 1, kNone), right_of(net.num_nodes + 1, kNone);
  std::vector<std::int64_t> source_cost, sink_cost;
  bool has_direct = false;
  std::int64_t direct_cost = 0;
  for (const auto& a : raw) {
    if (a.to == net.source) throw DimacsError(a.line, 1, "arc into the source");
    if (a.from == net.sink) throw DimacsError(a.line, 1, "arc out of the sink");
    if (a.from == net.source && a.to == net.sink) {
      if (has_direct) throw DimacsError(a.line, 1, "a second direct source->sink arc");
      if (a.cap < net.supply)
        throw DimacsError(a.line, 1, "the direct source->sink arc must have capacity >= the supply");
      has_direct = true;
      direct_cost = a.cost;
    } else if (a.from == net.source) {
      if (a.cap != 1) throw DimacsError(a.line, 1, "a source->participant arc must have capacity 1");
      if (left_of[a.to] != kNone)
        throw DimacsError(a.line, 1, "a second arc from the source to node " + std::to_string(a.to));
      left_of[a.to] = static_cast<std::uint32_t>(net.left_node.size());
      net.left_node.push_back(a.to);
      source_cost.push_back(a.cost);
    } else if (a.to == net.sink) {
      if (right_of[a.from] != kNone)
        throw DimacsError(a.line, 1, "a second arc from node " + std::to_string(a.from) + " to the sink");
      right_of[a.from] = static_cast<std::uint32_t>(net.right_node.size());
      net.right_node.push_back(a.from);
      sink_cost.push_back(a.cost);
      net.problem.capacity.push_back(a.cap);
    }
  }
  for (const auto& a : raw) {
    if (a.from == net.source || a.to == net.sink) continue;
    if (left_of[a.from] == kNone)
      throw DimacsError(a.line, 1, "node " + std::to_string(a.from) + " is not a participant (no arc from the source)");
    if (right_of[a.to] == kNone)
      throw DimacsError(a.line, 1, "node " + std::to_string(a.to) + " is not an opening (no arc to the sink)");
    if (right_of[a.from] != kNone || left_of[a.to] != kNone)
      throw DimacsError(a.line, 1, "arc between two participants or two openings");
  }
  for (auto v : net.left_node)
    if (right_of[v] != kNone)
      throw DimacsError(p_line, 1, "node " + std::to_string(v) + " is both a participant and an opening");
  if (static_cast<std::int64_t>(net.left_node.size()) != net.supply)
    throw DimacsError(supply_line[net.source], 1,
                      "the source's supply (" + std::to_string(net.supply) +
                          ") must equal the number of participants (" + std::to_string(net.left_node.size()) + ")");
  // CSR by participant, gains folded.
  auto& t = net.problem;
  t.num_left = static_cast<std::uint32_t>(net.left_node.size());
  t.num_right = static_cast<std::uint32_t>(net.right_node.size());
  t.must_assign_all = !has_direct;
  t.offsets.assign(t.num_left + 1, 0);
  for (const auto& a : raw)
    if (a.from != net.source && a.to != net.sink && a.cap > 0) ++t.offsets[left_of[a.from] + 1];
  for (std::uint32_t i = 0; i < t.num_left; ++i) t.offsets[i + 1] += t.offsets[i];
  t.targets.resize(t.offsets.back());
  t.values.resize(t.offsets.back());
  std::vector<std::uint64_t> fill(t.offsets.begin(), t.offsets.end() - 1);
  net.arcs.reserve(raw.size());
  for (const auto& a : raw) {
    DimacsAssignment::Arc out{a.from, a.to, a.cost, 0, 0};
    if (a.from == net.source && a.to == net.sink) {
      out.kind = 3;
    } else if (a.from == net.source) {
      out.kind = 0;
      out.index = left_of[a.to];
    } else if (a.to == net.sink) {
      out.kind = 2;
      out.index = right_of[a.from];
    } else {
      out.kind = 1;
      if (a.cap == 0) {
        out.index = kNoEdge;
      } else {
        const auto i = left_of[a.from];
        const auto j = right_of[a.to];
        const auto e = fill[i]++;
        const Int128 gain = Int128{has_direct ? direct_cost : 0} - source_cost[i] - a.cost - sink_cost[j];
        if (gain > INT64_MAX || gain < INT64_MIN) net.gains_in_range = false;
        t.targets[e] = j;
        t.values[e] = net.gains_in_range ? static_cast<std::int64_t>(gain) : 0;
        out.index = e;
      }
    }
    net.arcs.push_back(out);
  }
  return net;
}

std::vector<std::int64_t> DimacsFlows(const DimacsAssignment& net, const TransportSolution& s) {
  const auto& t = net.problem;
  std::vector<std::int64_t> load(t.num_right, 0);
  std::int64_t unassigned = 0;
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    if (s.assigned_edge[i] == kNoEdge)
      ++unassigned;
    else
      ++load[t.targets[s.assigned_edge[i]]];
  }
  std::vector<std::uint32_t> owner(t.num_edges());
  for (std::uint32_t i = 0; i < t.num_left; ++i)
    for (auto e = t.offsets[i]; e < t.offsets[i + 1]; ++e) owner[e] = i;
  std::vector<std::int64_t> flows(net.arcs.size(), 0);
  for (std::size_t k = 0; k < net.arcs.size(); ++k) {
    const auto& a = net.arcs[k];
    switch (a.kind) {
      case 0:
        flows[k] = s.assigned_edge[a.index] != kNoEdge ? 1 : 0;
        break;
      case 1:
        flows[k] = a.index != kNoEdge && s.assigned_edge[owner[a.index]] == a.index ? 1 : 0;
        break;
      case 2:
        flows[k] = load[a.index];
        break;
      default:
        flows[k] = unassigned;
        break;
    }
  }
  return flows;
}

Int128 DimacsCost(const DimacsAssignment& net, const std::vector<std::int64_t>& flows) {
  Int128 cost = 0;
  for (std::size_t k = 0; k < net.arcs.size(); ++k) cost += Int128{net.arcs[k].cost} * flows[k];
  return cost;
}

void WriteDimacs(std::ostream& out, const TransportProblem& t, const std::string& comment) {
  const std::uint64_t nodes = std::uint64_t{t.num_left} + t.num_right + 2;
  const std::uint64_t arcs = std::uint64_t{t.num_left} + t.num_edges() + t.num_right + (t.must_assign_all ? 0 : 1);
  const std::uint64_t sink = nodes;
  out << "c " << comment << "\n"
      << "c node 1 = source, 2.." << t.num_left + 1 << " = participants, " << t.num_left + 2 << ".." << nodes - 1
      << " = openings, " << sink << " = sink\n"
      << "p min " << nodes << ' ' << arcs << "\n"
      << "n 1 " << t.num_left << "\n"
      << "n " << sink << " -" << t.num_left << "\n";
  std::string buffer;
  auto flush = [&out, &buffer](bool force) {
    if (force || buffer.size() > (1u << 20)) {
      out << buffer;
      buffer.clear();
    }
  };
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    buffer += "a 1 " + std::to_string(2 + std::uint64_t{i}) + " 0 1 0\n";
    flush(false);
  }
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    for (auto e = t.offsets[i]; e < t.offsets[i + 1]; ++e) {
      buffer += "a " + std::to_string(2 + std::uint64_t{i}) + ' ' +
                std::to_string(2 + std::uint64_t{t.num_left} + t.targets[e]) + " 0 1 " + std::to_string(-t.values[e]) +
                '\n';
      flush(false);
    }
  }
  for (std::uint32_t j = 0; j < t.num_right; ++j) {
    buffer += "a " + std::to_string(2 + std::uint64_t{t.num_left} + j) + ' ' + std::to_string(sink) + " 0 " +
              std::to_string(t.capacity[j]) + " 0\n";
    flush(false);
  }
  if (!t.must_assign_all) buffer += "a 1 " + std::to_string(sink) + " 0 " + std::to_string(t.num_left) + " 0\n";
  flush(true);
}

}  // namespace clausematch::matcher::assignment
