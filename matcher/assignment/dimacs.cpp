#include "matcher/assignment/dimacs.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

// The whole input in one buffer: sized once when the stream can tell its length (a file), read
// in chunks otherwise (a pipe).
std::string Slurp(std::istream& in) {
  std::string text;
  const auto here = in.tellg();
  if (here != std::streampos(-1) && in.seekg(0, std::ios::end)) {
    const auto end = in.tellg();
    in.seekg(here);
    if (end != std::streampos(-1) && end > here) {
      text.resize(static_cast<std::size_t>(end - here));
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<std::size_t>(in.gcount()));
    }
  }
  in.clear();
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  while (in) {
    const auto size = text.size();
    text.resize(size + kChunk);
    in.read(text.data() + size, static_cast<std::streamsize>(kChunk));
    text.resize(size + static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

struct Token {
  std::string_view text;
  std::size_t column = 0;  // 1-based
};

constexpr bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Up to kMaxTokens tokens of a line; `count` is the number found (counting on past the array, so
// a line with too many tokens is told apart from one with the right number).
constexpr std::size_t kMaxTokens = 7;
struct Tokens {
  std::array<Token, kMaxTokens> token;
  std::size_t count = 0;
};

void Split(std::string_view line, Tokens& out) {
  out.count = 0;
  const char* const begin = line.data();
  const char* p = begin;
  const char* const end = begin + line.size();
  while (p < end) {
    while (p < end && IsBlank(*p)) ++p;
    if (p >= end) break;
    const char* start = p;
    while (p < end && !IsBlank(*p)) ++p;
    if (out.count < kMaxTokens)
      out.token[out.count] = {std::string_view(start, static_cast<std::size_t>(p - start)),
                              static_cast<std::size_t>(start - begin) + 1};
    ++out.count;
  }
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

// While reading, an arc's `index` holds its capacity (>= 0); the roles pass replaces it.
using Arc = DimacsAssignment::Arc;

// The line of the k-th arc line (0-based) of `text`: arcs keep no line number (8 bytes fewer for
// each of tens of millions of them); a shape error finds its line again.
std::size_t LineOfArc(std::string_view text, std::size_t k) {
  std::size_t line_no = 0, at = 0;
  Tokens tokens;
  while (at < text.size()) {
    const auto newline = text.find('\n', at);
    const auto stop = newline == std::string_view::npos ? text.size() : newline;
    ++line_no;
    Split(text.substr(at, stop - at), tokens);
    at = stop + 1;
    if (tokens.count > 0 && tokens.token[0].text == "a" && k-- == 0) return line_no;
  }
  return line_no;
}

// One integer at `p` after blanks, ending at a blank or the end; false otherwise.
bool NextInt(const char*& p, const char* end, std::int64_t& out) {
  while (p < end && IsBlank(*p)) ++p;
  const auto [ptr, ec] = std::from_chars(p, end, out);
  if (ec != std::errc{} || ptr == p || (ptr < end && !IsBlank(*ptr))) return false;
  p = ptr;
  return true;
}

// "a FROM TO 0 CAP COST" with ids in 1..nodes and CAP >= 0, appended to `raw`; false (nothing
// appended) for any other line.
bool FastArc(std::string_view line, std::uint32_t nodes, std::vector<Arc>& raw) {
  if (line.size() < 2 || line[0] != 'a' || !IsBlank(line[1])) return false;
  const char* p = line.data() + 1;
  const char* const end = line.data() + line.size();
  std::int64_t from = 0, to = 0, low = 0, cap = 0, cost = 0;
  if (!NextInt(p, end, from) || !NextInt(p, end, to) || !NextInt(p, end, low) || !NextInt(p, end, cap) ||
      !NextInt(p, end, cost))
    return false;
  while (p < end && IsBlank(*p)) ++p;
  if (p != end || from < 1 || from > nodes || to < 1 || to > nodes || low != 0 || cap < 0) return false;
  raw.push_back(
      {static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to), cost, 0, static_cast<std::uint64_t>(cap)});
  return true;
}

}  // namespace

DimacsAssignment ReadDimacsAssignment(std::istream& in) { return ReadDimacsAssignment(std::string_view(Slurp(in))); }

DimacsAssignment ReadDimacsAssignmentFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    // Not a regular file (a pipe, a device) or empty: read it as a stream.
    ::close(fd);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open");
    return ReadDimacsAssignment(in);
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw std::runtime_error(path + ": cannot map");
  ::madvise(map, size, MADV_SEQUENTIAL);
  struct Unmap {
    void* at;
    std::size_t size;
    ~Unmap() { ::munmap(at, size); }
  } unmap{map, size};
  return ReadDimacsAssignment(std::string_view(static_cast<const char*>(map), size));
}

DimacsAssignment ReadDimacsAssignment(std::string_view buffer) {
  DimacsAssignment net;
  std::size_t line_no = 0;
  std::size_t p_line = 0;
  std::uint64_t announced_arcs = 0;
  std::vector<std::int64_t> supply;
  std::vector<std::size_t> supply_line;
  auto& raw = net.arcs;
  Tokens tokens;
  std::size_t at = 0;
  const char* const data = buffer.data();
  while (at < buffer.size()) {
    const auto* newline = static_cast<const char*>(std::memchr(data + at, '\n', buffer.size() - at));
    const auto stop = newline == nullptr ? buffer.size() : static_cast<std::size_t>(newline - data);
    const std::string_view text(data + at, stop - at);
    at = stop + 1;
    ++line_no;
    // Arc lines, nearly all of the file, are parsed in place; anything unusual about one (a bad
    // number, a node out of range, a lower bound) goes the general way below, which names it.
    if (p_line != 0 && FastArc(text, net.num_nodes, raw)) continue;
    Split(text, tokens);
    if (tokens.count == 0 || tokens.token[0].text == "c") continue;
    const auto& tok = tokens.token;
    const auto kind = tok[0].text;
    if (kind == "p") {
      if (p_line != 0)
        throw DimacsError(line_no, 1, "second problem line (first on line " + std::to_string(p_line) + ")");
      if (tokens.count != 4) throw DimacsError(line_no, 1, "expected 'p min NODES ARCS'");
      if (tok[1].text != "min")
        throw DimacsError(line_no, tok[1].column, "problem type must be 'min', got '" + std::string(tok[1].text) + "'");
      const auto nodes = Number(tok[2], line_no, "node count");
      const auto arcs = Number(tok[3], line_no, "arc count");
      if (nodes < 2 || nodes > 0xfffffff0) throw DimacsError(line_no, tok[2].column, "node count out of range");
      if (arcs < 0) throw DimacsError(line_no, tok[3].column, "negative arc count");
      net.num_nodes = static_cast<std::uint32_t>(nodes);
      announced_arcs = static_cast<std::uint64_t>(arcs);
      supply.assign(net.num_nodes + 1, 0);
      supply_line.assign(net.num_nodes + 1, 0);
      // The announced count sizes the arc list, bounded by what the rest of the input can hold
      // (an arc line takes at least 12 bytes), so a lying header cannot reserve gigabytes.
      raw.reserve(std::min<std::uint64_t>(announced_arcs, (buffer.size() - std::min(at, buffer.size())) / 12 + 1));
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
    if (kind == "a") {
      if (tokens.count != 6) throw DimacsError(line_no, 1, "expected 'a FROM TO LOW CAP COST'");
      Arc a{node_id(tok[1]), node_id(tok[2]), 0, 0, 0};
      if (Number(tok[3], line_no, "lower bound") != 0)
        throw DimacsError(line_no, tok[3].column, "lower bounds must be 0 in an assignment network");
      const auto cap = Number(tok[4], line_no, "capacity");
      if (cap < 0) throw DimacsError(line_no, tok[4].column, "negative capacity");
      a.index = static_cast<std::uint64_t>(cap);
      a.cost = Number(tok[5], line_no, "cost");
      raw.push_back(a);
    } else if (kind == "n") {
      if (tokens.count != 3) throw DimacsError(line_no, 1, "expected 'n ID SUPPLY'");
      const auto id = node_id(tok[1]);
      if (supply_line[id] != 0)
        throw DimacsError(line_no, tok[1].column, "node " + std::to_string(id) + " already has a supply line");
      supply[id] = Number(tok[2], line_no, "supply");
      supply_line[id] = line_no;
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
  std::int64_t direct_cost = 0, direct_cap = 0;
  std::size_t direct_arc = 0;
  auto line_of = [&buffer](std::size_t k) { return LineOfArc(buffer, k); };
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const auto& a = raw[k];
    if (a.to == net.source) throw DimacsError(line_of(k), 1, "arc into the source");
    if (a.from == net.sink) throw DimacsError(line_of(k), 1, "arc out of the sink");
    if (a.from == net.source && a.to == net.sink) {
      if (has_direct) throw DimacsError(line_of(k), 1, "a second direct source->sink arc");
      has_direct = true;
      direct_cost = a.cost;
      direct_cap = static_cast<std::int64_t>(a.index);
      direct_arc = k;
    } else if (a.from == net.source) {
      if (a.index != 1) throw DimacsError(line_of(k), 1, "a source->participant arc must have capacity 1");
      if (left_of[a.to] != kNone)
        throw DimacsError(line_of(k), 1, "a second arc from the source to node " + std::to_string(a.to));
      left_of[a.to] = static_cast<std::uint32_t>(net.left_node.size());
      net.left_node.push_back(a.to);
      source_cost.push_back(a.cost);
    } else if (a.to == net.sink) {
      if (right_of[a.from] != kNone)
        throw DimacsError(line_of(k), 1, "a second arc from node " + std::to_string(a.from) + " to the sink");
      right_of[a.from] = static_cast<std::uint32_t>(net.right_node.size());
      net.right_node.push_back(a.from);
      sink_cost.push_back(a.cost);
      net.problem.capacity.push_back(static_cast<std::int64_t>(a.index));
    }
  }
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const auto& a = raw[k];
    if (a.from == net.source || a.to == net.sink) continue;
    if (left_of[a.from] == kNone)
      throw DimacsError(line_of(k), 1,
                        "node " + std::to_string(a.from) + " is not a participant (no arc from the source)");
    if (right_of[a.to] == kNone)
      throw DimacsError(line_of(k), 1, "node " + std::to_string(a.to) + " is not an opening (no arc to the sink)");
    if (right_of[a.from] != kNone || left_of[a.to] != kNone)
      throw DimacsError(line_of(k), 1, "arc between two participants or two openings");
  }
  for (auto v : net.left_node)
    if (right_of[v] != kNone)
      throw DimacsError(p_line, 1, "node " + std::to_string(v) + " is both a participant and an opening");
  // How many participants the flow assigns: the S units leave the source through participants or
  // the direct arc, so between L = S - (direct capacity) and S of them, and at most P.
  const auto P = static_cast<std::int64_t>(net.left_node.size());
  const std::int64_t least = std::max<std::int64_t>(0, net.supply - (has_direct ? direct_cap : 0));
  if (least > P)
    throw DimacsError(has_direct ? line_of(direct_arc) : supply_line[net.source], 1,
                      "infeasible: the source's supply (" + std::to_string(net.supply) + ") exceeds the " +
                          std::to_string(P) + " participants" +
                          (has_direct ? " plus the direct arc's capacity (" + std::to_string(direct_cap) + ")"
                                      : " and there is no direct source->sink arc"));
  std::int64_t positions = 0;
  for (auto c : net.problem.capacity) positions = c >= P - positions ? P : positions + c;
  net.least_assigned = least;
  net.most_assigned = std::min(net.supply, P);
  // Participants left unassigned: at least P - S, at most P - L. Two shapes need nothing more:
  // L = 0 with S >= min(P, positions) (anyone may stay unassigned, and S cannot bind: no more than
  // min(P, positions) can be assigned anyway), and S = P with no direct arc (everyone assigned).
  // Any other supply is a cardinality limit, solved exactly with placeholder openings (dimacs.hpp):
  // one that takes exactly P - S participants (its gain outbids any real edge), one that takes up
  // to min(S, P) - L more (gain 0).
  const std::int64_t forced =
      least == 0 && net.supply >= std::min(P, positions) ? 0 : std::max<std::int64_t>(0, P - net.supply);
  const std::int64_t optional = least == 0 ? 0 : std::min(P, net.supply) - least;
  // CSR by participant, gains folded.
  auto& t = net.problem;
  t.num_left = static_cast<std::uint32_t>(net.left_node.size());
  t.num_right = static_cast<std::uint32_t>(net.right_node.size());
  t.must_assign_all = least > 0;
  const std::uint32_t forced_right = forced > 0 ? t.num_right++ : kNone;
  const std::uint32_t optional_right = optional > 0 ? t.num_right++ : kNone;
  if (forced > 0) t.capacity.push_back(forced);
  if (optional > 0) t.capacity.push_back(optional);
  net.placeholders = t.num_right - static_cast<std::uint32_t>(net.right_node.size());
  const std::uint64_t per_person = (forced > 0 ? 1 : 0) + (optional > 0 ? 1 : 0);
  t.offsets.assign(t.num_left + 1, 0);
  for (const auto& a : raw)
    if (a.from != net.source && a.to != net.sink && a.index > 0) ++t.offsets[left_of[a.from] + 1];
  for (std::uint32_t i = 0; i < t.num_left; ++i) t.offsets[i + 1] += t.offsets[i] + per_person;
  t.targets.resize(t.offsets.back());
  t.values.resize(t.offsets.back());
  std::vector<std::uint64_t> fill(t.offsets.begin(), t.offsets.end() - 1);
  std::int64_t max_gain = 0;
  for (auto& a : raw) {
    const auto cap = a.index;
    if (a.from == net.source && a.to == net.sink) {
      a.kind = 3;
      a.index = 0;
    } else if (a.from == net.source) {
      a.kind = 0;
      a.index = left_of[a.to];
    } else if (a.to == net.sink) {
      a.kind = 2;
      a.index = right_of[a.from];
    } else {
      a.kind = 1;
      if (cap == 0) {
        a.index = kNoEdge;
      } else {
        const auto i = left_of[a.from];
        const auto j = right_of[a.to];
        const auto e = fill[i]++;
        const Int128 gain = Int128{has_direct ? direct_cost : 0} - source_cost[i] - a.cost - sink_cost[j];
        if (gain > INT64_MAX || gain < INT64_MIN) net.gains_in_range = false;
        t.targets[e] = j;
        t.values[e] = net.gains_in_range ? static_cast<std::int64_t>(gain) : 0;
        max_gain = std::max(max_gain, t.values[e]);
        a.index = e;
      }
    }
  }
  // The placeholders' edges, last in each participant's row. The forced one's gain exceeds every
  // real edge's: an assignment that leaves it short can always move one more participant there
  // and gain, so every optimum fills it; the real edges then choose among the others.
  if (max_gain == INT64_MAX) net.gains_in_range = false;
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    auto e = fill[i];
    if (forced > 0) {
      t.targets[e] = forced_right;
      t.values[e++] = net.gains_in_range ? max_gain + 1 : 0;
    }
    if (optional > 0) {
      t.targets[e] = optional_right;
      t.values[e] = 0;
    }
  }
  return net;
}

std::vector<std::int64_t> DimacsFlows(const DimacsAssignment& net, const TransportSolution& s) {
  const auto& t = net.problem;
  const auto real = static_cast<std::uint32_t>(net.right_node.size());
  std::vector<std::int64_t> load(t.num_right, 0);
  std::int64_t assigned = 0;
  // A participant on a placeholder opening is unassigned in the file's network.
  auto on_real = [&](std::uint32_t i) { return s.assigned_edge[i] != kNoEdge && t.targets[s.assigned_edge[i]] < real; };
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    if (s.assigned_edge[i] == kNoEdge) continue;
    ++load[t.targets[s.assigned_edge[i]]];
    if (on_real(i)) ++assigned;
  }
  std::vector<std::uint32_t> owner(t.num_edges());
  for (std::uint32_t i = 0; i < t.num_left; ++i)
    for (auto e = t.offsets[i]; e < t.offsets[i + 1]; ++e) owner[e] = i;
  std::vector<std::int64_t> flows(net.arcs.size(), 0);
  for (std::size_t k = 0; k < net.arcs.size(); ++k) {
    const auto& a = net.arcs[k];
    switch (a.kind) {
      case 0:
        flows[k] = on_real(static_cast<std::uint32_t>(a.index)) ? 1 : 0;
        break;
      case 1:
        flows[k] = a.index != kNoEdge && s.assigned_edge[owner[a.index]] == a.index ? 1 : 0;
        break;
      case 2:
        flows[k] = load[a.index];
        break;
      default:
        flows[k] = net.supply - assigned;
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
