// `clausematch solve FILE`: solves an assignment network given as a DIMACS min-cost-flow file and
// prints the DIMACS solution ("s COST", "f FROM TO FLOW" with --flows), the times and the
// certificate's verdict, so anyone can hold our solver against another (LEMON's dimacs-solver)
// on the same file. Shape and format: matcher/assignment/dimacs.hpp.
#include <time.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/dimacs.hpp"

namespace clausematch::api::cli {

namespace {

struct SolveArgs {
  std::string file;
  bool flows = false;
  std::string solver = "ours";
};

// Processor time of the process so far, in ms: the figure that stays meaningful on a loaded machine.
double CpuMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int RunSolve(const SolveArgs& args) {
  namespace as = matcher::assignment;
  const auto kind = as::ParseSolverKind(args.solver);
  if (!kind) throw InputError("--solver must be ours, auction, boost or greedy, got '" + args.solver + "'");
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuMs();
  as::DimacsAssignment net;
  try {
    net = as::ReadDimacsAssignmentFile(args.file);
  } catch (const as::DimacsError& e) {
    throw InputError(args.file + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  const auto t1 = std::chrono::steady_clock::now();
  const double c1 = CpuMs();
  const auto participants = static_cast<std::int64_t>(net.problem.num_left);
  std::cout << "c clausematch solve " << args.file << "\n"
            << "c solver " << args.solver << ": " << participants << " participants, " << net.right_node.size()
            << " openings, " << net.problem.num_edges() - std::uint64_t{net.placeholders} * participants << " edges";
  if (net.least_assigned == participants)
    std::cout << ", every participant must be assigned";
  else if (net.placeholders > 0)
    std::cout << ", between " << net.least_assigned << " and " << net.most_assigned
              << " participants assigned (the supply binds: " << net.placeholders << " placeholder opening(s))";
  std::cout << "\n";
  if (!net.gains_in_range) {
    std::cout << "c status: bad cost range (a folded arc cost does not fit 64 bits)\n";
    return kExitFailure;
  }
  auto solver = as::MakeSolver(*kind);
  const auto solution = solver->Solve(net.problem, nullptr);
  const auto t2 = std::chrono::steady_clock::now();
  const double c2 = CpuMs();
  const auto report = as::CheckCertificate(net.problem, solution);
  const auto t3 = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::cout << "c read " << ms(t0, t1) << " ms, solve " << ms(t1, t2) << " ms, certificate check " << ms(t2, t3)
            << " ms (processor time: read " << c1 - c0 << " ms, solve " << c2 - c1 << " ms)\n";
  std::cout << "c status: " << as::ToString(solution.status)
            << (solution.message.empty() ? "" : " (" + solution.message + ")") << "\n";
  if (solution.status == as::Status::kBadCostRange || solution.status == as::Status::kBadInput) return kExitFailure;
  if (solution.status == as::Status::kInfeasible) {
    std::cout << "s INFEASIBLE\n";
    return kExitFailure;
  }
  std::cout << "c certificate: " << report.Verdict() << "\n";
  const auto flows = as::DimacsFlows(net, solution);
  std::cout << "s " << as::ToDecimal(as::DimacsCost(net, flows)) << "\n";
  if (args.flows) {
    std::ostringstream out;
    for (std::size_t k = 0; k < net.arcs.size(); ++k)
      if (flows[k] != 0) out << "f " << net.arcs[k].from << ' ' << net.arcs[k].to << ' ' << flows[k] << '\n';
    std::cout << out.str();
  }
  return kExitOk;
}

}  // namespace

void AddSolve(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SolveArgs>();
  auto* cmd = app.add_subcommand("solve", "Solve an assignment network in DIMACS min-cost-flow format (p min)");
  cmd->add_option("FILE", args->file, "DIMACS file: source -> participants -> openings -> sink")->required();
  cmd->add_flag("--flows", args->flows, "Print the flow on every arc with non-zero flow (f FROM TO FLOW)");
  cmd->add_option("--solver", args->solver,
                  "ours (shortest augmenting paths), auction (epsilon-scaling), boost (SSP oracle) or greedy");
  cmd->callback([&ctx, args] { ctx.exit_code = RunGuarded([&] { return RunSolve(*args); }); });
}

}  // namespace clausematch::api::cli
