// DIMACS assignment networks: the accepted shape, errors with their line, the writer/reader round
// trip, and `clausematch solve` end to end.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/dimacs.hpp"
#include "matcher/assignment/instance_generator.hpp"

namespace clausematch::matcher::assignment {
namespace {

// Participants A=2 B=3 C=4, openings X=5 Y=6 (one position each), source 1, sink 7.
// A: X 90, Y 80 | B: X 70 | C: Y 10 (costs are -gains). Optimum A-Y + B-X = 150, cost -150.
constexpr const char* kSmall = R"(c hand-checked: optimum A-Y, B-X
p min 7 10
n 1 3
n 7 -3
a 1 2 0 1 0
a 1 3 0 1 0
a 1 4 0 1 0
a 2 5 0 1 -90
a 2 6 0 1 -80
a 3 5 0 1 -70
a 4 6 0 1 -10
a 5 7 0 1 0
a 6 7 0 1 0
a 1 7 0 3 0
)";

DimacsAssignment Read(const std::string& text) {
  std::istringstream in(text);
  return ReadDimacsAssignment(in);
}

// The line number of the DimacsError a text raises (0 when none).
std::size_t ErrorLine(const std::string& text, std::string* message = nullptr) {
  try {
    Read(text);
  } catch (const DimacsError& e) {
    if (message) *message = e.what();
    return e.line();
  }
  return 0;
}

TEST(AssignmentDimacs, ReadsTheAssignmentShape) {
  const auto net = Read(kSmall);
  EXPECT_EQ(net.problem.num_left, 3u);
  EXPECT_EQ(net.problem.num_right, 2u);
  EXPECT_EQ(net.problem.num_edges(), 4u);
  EXPECT_FALSE(net.problem.must_assign_all);
  for (auto kind : {SolverKind::kOurs, SolverKind::kBoost}) {
    const auto s = MakeSolver(kind)->Solve(net.problem, nullptr);
    ASSERT_EQ(s.status, Status::kOptimal);
    EXPECT_EQ(DimacsCost(net, DimacsFlows(net, s)), -150);
  }
}

TEST(AssignmentDimacs, FoldsSourceSinkAndDirectCosts) {
  // Same network with a cost of 5 per unassigned participant and 3 per filled position of X:
  // A-Y + B-X = -150 + 3 + 5 (C unassigned) = -142.
  std::string text = kSmall;
  text.replace(text.find("a 5 7 0 1 0"), 11, "a 5 7 0 1 3");
  text.replace(text.find("a 1 7 0 3 0"), 11, "a 1 7 0 3 5");
  const auto net = Read(text);
  const auto s = MakeSolver(SolverKind::kOurs)->Solve(net.problem, nullptr);
  EXPECT_EQ(DimacsCost(net, DimacsFlows(net, s)), -142);
}

TEST(AssignmentDimacs, WithoutDirectArcEveryoneMustBeAssigned) {
  std::string text = kSmall;
  text.replace(text.find("p min 7 10"), 10, "p min 7 9");
  text.erase(text.find("a 1 7 0 3 0"));
  const auto net = Read(text);
  EXPECT_TRUE(net.problem.must_assign_all);
  // Three participants, two positions: infeasible for every backend.
  for (auto kind : {SolverKind::kOurs, SolverKind::kBoost, SolverKind::kGreedy})
    EXPECT_EQ(MakeSolver(kind)->Solve(net.problem, nullptr).status, Status::kInfeasible);
}

TEST(AssignmentDimacs, ShapeErrorsNameTheLine) {
  std::string message;
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kSmall;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  EXPECT_EQ(ErrorLine(with("a 2 5 0 1 -90", "a 2 3 0 1 -90"), &message), 8u);  // participant -> participant
  EXPECT_NE(message.find("not an opening"), std::string::npos) << message;
  EXPECT_EQ(ErrorLine(with("a 1 3 0 1 0", "a 1 3 0 2 0")), 6u);       // source arc capacity 2
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 4 6 1 1 -10")), 11u);  // lower bound
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 4 6 0 1 ten"), &message), 11u);
  EXPECT_NE(message.find("column 11"), std::string::npos) << message;
  EXPECT_EQ(ErrorLine(with("p min 7 10", "p max 7 10")), 2u);
  EXPECT_EQ(ErrorLine(with("p min 7 10", "p min 7 11")), 2u);  // arc count
  // 5 units for 3 participants and 1 on the direct arc: infeasible, named at the direct arc.
  std::string surplus = with("a 1 7 0 3 0", "a 1 7 0 1 0");
  surplus.replace(surplus.find("n 1 3\nn 7 -3"), 12, "n 1 5\nn 7 -5");
  EXPECT_EQ(ErrorLine(surplus, &message), 14u);
  EXPECT_NE(message.find("infeasible"), std::string::npos) << message;
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 6 4 0 1 -10")), 11u);  // opening -> participant
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "x 4 6 0 1 -10")), 11u);  // unknown line
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 4 9 0 1 -10")), 11u);  // node out of range
  EXPECT_EQ(ErrorLine(with("n 1 3", "n 1 2")), 4u);                   // supply != demand
  EXPECT_EQ(ErrorLine(with("a 6 7 0 1 0", "a 7 6 0 1 0")), 13u);      // out of the sink
  EXPECT_EQ(ErrorLine("c nothing\n"), 2u);
}

// kSmall with another supply S (source and sink lines) and direct arc ("" removes it).
std::string WithSupply(int supply, const std::string& direct_arc) {
  std::string text = kSmall;
  text.replace(text.find("n 1 3\nn 7 -3"), 12, "n 1 " + std::to_string(supply) + "\nn 7 -" + std::to_string(supply));
  const auto at = text.find("a 1 7 0 3 0\n");
  text.replace(at, 12, direct_arc.empty() ? "" : direct_arc + "\n");
  if (direct_arc.empty()) text.replace(text.find("p min 7 10"), 10, "p min 7 9");
  return text;
}

// The solver's optimum in the file's terms, with its flows' direct-arc flow and participants
// assigned; the certificate of the transport problem solved must prove it.
struct Solved {
  Status status = Status::kBadInput;
  Int128 cost = 0;
  std::int64_t assigned = 0, direct = 0;
};
Solved SolveFile(const DimacsAssignment& net, SolverKind kind = SolverKind::kOurs) {
  Solved out;
  const auto s = MakeSolver(kind)->Solve(net.problem, nullptr);
  out.status = s.status;
  if (s.status != Status::kOptimal) return out;
  EXPECT_TRUE(CheckCertificate(net.problem, s).optimal) << CheckCertificate(net.problem, s).Verdict();
  const auto flows = DimacsFlows(net, s);
  out.cost = DimacsCost(net, flows);
  for (std::size_t k = 0; k < net.arcs.size(); ++k) {
    if (net.arcs[k].kind == 0) out.assigned += flows[k];
    if (net.arcs[k].kind == 3) out.direct = flows[k];
  }
  return out;
}

// A supply below the number of participants, above it, with or without room on the direct arc:
// hand-checked on kSmall (A: X 90, Y 80 | B: X 70 | C: Y 10; one position on X and one on Y).
TEST(AssignmentDimacs, SupplyVariantsAreSolvedExactly) {
  struct Case {
    const char* what;
    int supply;
    std::string direct;
    std::int64_t cost, assigned, direct_flow;
    std::uint32_t placeholders;
  };
  const std::vector<Case> cases{
      {"S = min(P, positions) = 2 with a direct arc of 2: does not bind", 2, "a 1 7 0 2 0", -150, 2, 0, 0},
      {"S = 1 with a direct arc: at most one assigned, the best edge A-X", 1, "a 1 7 0 1 0", -90, 1, 0, 1},
      {"S = 1 without a direct arc: exactly one assigned", 1, "", -90, 1, 0, 1},
      {"S = 2 without a direct arc: exactly two assigned", 2, "", -150, 2, 0, 1},
      {"S = 5 above P with a direct arc of 5: the surplus goes direct", 5, "a 1 7 0 5 0", -150, 2, 3, 0},
      {"S = 3, direct arc of 2: at least one assigned", 3, "a 1 7 0 2 0", -150, 2, 1, 1},
      {"S = 2, direct arc of 2 costing 7 per unit: each unit through a participant saves 7", 2, "a 1 7 0 2 7", -150, 2,
       0, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const auto net = Read(WithSupply(c.supply, c.direct));
    EXPECT_EQ(net.placeholders, c.placeholders);
    EXPECT_EQ(net.right_node.size(), 2u);
    for (auto kind : {SolverKind::kOurs, SolverKind::kAuction}) {
      const auto solved = SolveFile(net, kind);
      ASSERT_EQ(solved.status, Status::kOptimal);
      EXPECT_EQ(solved.cost, c.cost);
      EXPECT_EQ(solved.assigned, c.assigned);
      EXPECT_EQ(solved.direct, c.direct_flow);
    }
  }
  // S = 3 = P with a direct arc of capacity 0: everyone must be assigned, two positions: infeasible.
  EXPECT_EQ(SolveFile(Read(WithSupply(3, "a 1 7 0 0 0"))).status, Status::kInfeasible);
}

// The least cost of a DIMACS assignment network by enumerating every choice of each participant
// (an opening it has an arc to, or none): the oracle for the supply variants on small networks.
struct SmallNet {
  int participants = 0, openings = 0, supply = 0;
  std::vector<int> capacity, sink_cost, source_cost;
  std::vector<std::vector<std::pair<int, int>>> arcs;  // per participant: (opening, cost)
  bool direct = false;
  int direct_cap = 0, direct_cost = 0;

  [[nodiscard]] std::string Text() const {
    const int source = 1, sink = participants + openings + 2;
    std::ostringstream body;
    int count = 0;
    for (int i = 0; i < participants; ++i, ++count)
      body << "a " << source << ' ' << i + 2 << " 0 1 " << source_cost[i] << '\n';
    for (int i = 0; i < participants; ++i)
      for (auto [o, cost] : arcs[i]) {
        body << "a " << i + 2 << ' ' << participants + 2 + o << " 0 1 " << cost << '\n';
        ++count;
      }
    for (int o = 0; o < openings; ++o, ++count)
      body << "a " << participants + 2 + o << ' ' << sink << " 0 " << capacity[o] << ' ' << sink_cost[o] << '\n';
    if (direct) {
      body << "a " << source << ' ' << sink << " 0 " << direct_cap << ' ' << direct_cost << '\n';
      ++count;
    }
    std::ostringstream out;
    out << "p min " << sink << ' ' << count << "\nn 1 " << supply << "\nn " << sink << " -" << supply << '\n'
        << body.str();
    return out.str();
  }

  // nullopt when no flow is feasible.
  [[nodiscard]] std::optional<std::int64_t> BruteForce() const {
    std::optional<std::int64_t> best;
    std::vector<int> choice(participants, -1), load(openings, 0);
    std::function<void(int, int, std::int64_t)> go = [&](int i, int assigned, std::int64_t cost) {
      if (i == participants) {
        const int rest = supply - assigned;
        if (rest < 0 || rest > (direct ? direct_cap : 0)) return;
        const std::int64_t total = cost + std::int64_t{rest} * direct_cost;
        if (!best || total < *best) best = total;
        return;
      }
      go(i + 1, assigned, cost);
      for (auto [o, c] : arcs[i]) {
        if (load[o] == capacity[o]) continue;
        ++load[o];
        go(i + 1, assigned + 1, cost + source_cost[i] + c + sink_cost[o]);
        --load[o];
      }
    };
    go(0, 0, 0);
    return best;
  }
};

TEST(AssignmentDimacs, SupplyVariantsMatchTheBruteForceOracle) {
  int binding = 0, infeasible = 0;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    SmallNet n;
    n.participants = pick(1, 7);
    n.openings = pick(1, 3);
    for (int o = 0; o < n.openings; ++o) {
      n.capacity.push_back(pick(1, 2));
      n.sink_cost.push_back(pick(-3, 3));
    }
    n.arcs.resize(n.participants);
    for (int i = 0; i < n.participants; ++i) {
      n.source_cost.push_back(pick(-3, 3));
      for (int o = 0; o < n.openings; ++o)
        if (pick(0, 2) > 0) n.arcs[i].push_back({o, pick(-60, 20)});
    }
    n.supply = pick(1, n.participants + 2);
    n.direct = pick(0, 3) > 0;
    n.direct_cap = pick(0, n.supply + 1);
    n.direct_cost = pick(-5, 5);
    const auto expected = n.BruteForce();
    DimacsAssignment net;
    try {
      net = Read(n.Text());
    } catch (const DimacsError& e) {
      // Only an impossible supply is refused, and the oracle agrees there is no flow.
      EXPECT_FALSE(expected.has_value()) << e.what();
      EXPECT_NE(std::string(e.what()).find("infeasible"), std::string::npos) << e.what();
      ++infeasible;
      continue;
    }
    binding += net.placeholders > 0 ? 1 : 0;
    for (auto kind : {SolverKind::kOurs, SolverKind::kAuction, SolverKind::kBoost}) {
      const auto solved = SolveFile(net, kind);
      if (!expected) {
        EXPECT_EQ(solved.status, Status::kInfeasible);
        continue;
      }
      ASSERT_EQ(solved.status, Status::kOptimal) << n.Text();
      EXPECT_EQ(solved.cost, *expected) << n.Text();
      EXPECT_GE(solved.assigned, net.least_assigned);
      EXPECT_LE(solved.assigned, net.most_assigned);
    }
  }
  // The seeds cover the cases that need placeholders and the refused supplies.
  EXPECT_GT(binding, 50);
  EXPECT_GT(infeasible, 5);
}

TEST(AssignmentDimacs, WriterRoundTrip) {
  InstanceParams params;
  params.participants = 60;
  params.openings = 12;
  params.avg_degree = 4;
  params.seed = 3;
  const auto compiled = Compile(GenerateInstance(params), AssignmentOptions{});
  std::ostringstream out;
  WriteDimacs(out, compiled.transport, "round trip");
  const auto net = Read(out.str());
  EXPECT_EQ(net.problem.num_left, compiled.transport.num_left);
  EXPECT_EQ(net.problem.num_right, compiled.transport.num_right);
  EXPECT_EQ(net.problem.targets, compiled.transport.targets);
  EXPECT_EQ(net.problem.values, compiled.transport.values);
  EXPECT_EQ(net.problem.capacity, compiled.transport.capacity);
  const auto s = MakeSolver(SolverKind::kOurs)->Solve(net.problem, nullptr);
  EXPECT_EQ(DimacsCost(net, DimacsFlows(net, s)), -s.value);
}

std::string RunCli(const std::string& args, int* exit_code) {
  const std::string command = std::string(CLAUSEMATCH_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = pipe ? pclose(pipe) : -1;
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

TEST(AssignmentDimacs, SolveCommand) {
  const std::string path = ::testing::TempDir() + "assignment_small.min";
  std::ofstream(path) << kSmall;
  int code = 0;
  auto out = RunCli("solve " + path + " --flows", &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("\ns -150\n"), std::string::npos) << out;
  EXPECT_NE(out.find("c certificate: optimal (certified)"), std::string::npos) << out;
  EXPECT_NE(out.find("f 2 6 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("f 3 5 1\n"), std::string::npos) << out;
  out = RunCli("solve " + path + " --solver greedy", &code);
  EXPECT_NE(out.find("\ns -100\n"), std::string::npos) << out;
  EXPECT_NE(out.find("not certified"), std::string::npos) << out;
  std::string bad = kSmall;
  bad.replace(bad.find("a 2 5 0 1 -90"), 13, "a 2 3 0 1 -90");
  std::ofstream(path) << bad;
  out = RunCli("solve " + path, &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("line 8"), std::string::npos) << out;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace clausematch::matcher::assignment
