// DIMACS assignment networks: the accepted shape, errors with their line, the writer/reader round
// trip, and `clausematch solve` end to end.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "matcher/assignment/assignment.hpp"
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
  auto with = [](std::string from, std::string to) {
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
  EXPECT_EQ(ErrorLine(with("p min 7 10", "p min 7 11")), 2u);         // arc count
  EXPECT_EQ(ErrorLine(with("a 1 7 0 3 0", "a 1 7 0 2 0")), 14u);      // direct arc too small
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 6 4 0 1 -10")), 11u);  // opening -> participant
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "x 4 6 0 1 -10")), 11u);  // unknown line
  EXPECT_EQ(ErrorLine(with("a 4 6 0 1 -10", "a 4 9 0 1 -10")), 11u);  // node out of range
  EXPECT_EQ(ErrorLine(with("n 1 3", "n 1 2")), 4u);                   // supply != demand
  EXPECT_EQ(ErrorLine(with("a 6 7 0 1 0", "a 7 6 0 1 0")), 13u);      // out of the sink
  EXPECT_EQ(ErrorLine("c nothing\n"), 2u);
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
