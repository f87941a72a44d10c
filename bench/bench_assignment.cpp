// Assignment solver benchmark: one seeded instance, one solver per run (so peak memory is the
// solver's), one JSON line on stdout. Solvers: ours (augmenting paths + certificate check), auction,
// cost-scaling (cost_scaling.hpp + certificate check),
// lemon (LEMON 1.3 NetworkSimplex, when built with liblemon-dev), boost (SSP oracle, small only),
// greedy. bench/run_assignment_scaling.sh runs the scaling series and checks that all solvers
// reach the same optimum; the table and commands are in bench/README.md ("assignment").
//
//   cmake --preset release && cmake --build --preset release -j2
//   build/release/bench/bench_assignment --participants 300000 --openings 30000 --degree 84 --solver ours
//   build/release/bench/bench_assignment ... --write-dimacs region.min   # the same instance for LEMON's dimacs-solver
//
// The instance comes from matcher/assignment/instance_generator.hpp (geographic locality,
// positions 1-5, score-like weights with ties), the stand-in for the matcher's candidate graph.
//
// The batch's own problem, quotas included (the facade SolveAssignment: compile, the Lagrangian
// search over side quota groups, the certificate), without building the graph each time:
//   build/release/bench/bench_assignment --data DIR --write-problem region.problem   # graph once
//   build/release/bench/bench_assignment --problem region.problem                   # solve it
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "data/binary_io.hpp"
#include "data/referential_loader.hpp"
#include "matcher/assignment/assignment.hpp"
#include "matcher/assignment/certificate.hpp"
#include "matcher/assignment/cost_scaling.hpp"
#include "matcher/assignment/dimacs.hpp"
#include "matcher/assignment/instance_generator.hpp"
#include "matcher/assignment/pairs.hpp"
#include "matcher/matcher.hpp"

#ifdef CLAUSEMATCH_HAVE_LEMON
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#endif

namespace {

namespace as = clausematch::matcher::assignment;
using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

long PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss * 1024;
}

long CurrentRssBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * sysconf(_SC_PAGESIZE);
}

// Processor time of the whole process (user + system, all threads), in seconds: on a shared
// machine the wall time of a solve depends on the other processes, its CPU time much less.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

struct Outcome {
  std::string status;
  as::Int128 cost = 0;  // min-cost orientation: -(sum of gains)
  bool certified = false;
  double build_s = 0;  // solver-side data structures (LEMON graph, compile for ours)
  double solve_s = 0;
  double check_s = 0;
  double solve_cpu_s = 0;  // CpuSeconds() across the solve
  double check_cpu_s = 0;
  std::uint64_t phases = 0, iterations = 0;
};

#ifdef CLAUSEMATCH_HAVE_LEMON
Outcome RunLemon(const as::TransportProblem& t) {
  Outcome out;
  const auto t0 = Clock::now();
  lemon::SmartDigraph g;
  g.reserveNode(static_cast<int>(t.num_left + t.num_right + 2));
  g.reserveArc(static_cast<int>(t.num_left + t.num_edges() + t.num_right + 1));
  const auto s = g.addNode();
  std::vector<lemon::SmartDigraph::Node> left(t.num_left), right(t.num_right);
  for (auto& v : left) v = g.addNode();
  for (auto& v : right) v = g.addNode();
  const auto sink = g.addNode();
  lemon::SmartDigraph::ArcMap<long long> cap(g), cost(g);
  lemon::SmartDigraph::NodeMap<long long> supply(g, 0);
  supply[s] = t.num_left;
  supply[sink] = -static_cast<long long>(t.num_left);
  for (std::uint32_t i = 0; i < t.num_left; ++i) {
    auto a = g.addArc(s, left[i]);
    cap[a] = 1;
    cost[a] = 0;
    for (auto e = t.offsets[i]; e < t.offsets[i + 1]; ++e) {
      auto b = g.addArc(left[i], right[t.targets[e]]);
      cap[b] = 1;
      cost[b] = -t.values[e];
    }
  }
  for (std::uint32_t j = 0; j < t.num_right; ++j) {
    auto a = g.addArc(right[j], sink);
    cap[a] = t.capacity[j];
    cost[a] = 0;
  }
  auto direct = g.addArc(s, sink);
  cap[direct] = t.num_left;
  cost[direct] = 0;
  const auto t1 = Clock::now();
  const double c1 = CpuSeconds();
  lemon::NetworkSimplex<lemon::SmartDigraph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  const auto result = ns.run();
  const double c2 = CpuSeconds();
  const auto t2 = Clock::now();
  out.solve_cpu_s = c2 - c1;
  out.build_s = Seconds(t0, t1);
  out.solve_s = Seconds(t1, t2);
  out.status = result == decltype(ns)::OPTIMAL ? "optimal" : "not optimal";
  // Summed in 128 bits: with quota bonuses the total exceeds 64 bits (totalCost<long long> wraps).
  as::Int128 total = 0;
  for (lemon::SmartDigraph::ArcIt a(g); a != lemon::INVALID; ++a) total += as::Int128{ns.flow(a)} * cost[a];
  out.cost = total;
  return out;
}
#endif

Outcome RunOurs(const as::TransportProblem& t, std::unique_ptr<as::TransportSolver> solver) {
  Outcome out;
  const auto t1 = Clock::now();
  const double c1 = CpuSeconds();
  const auto s = solver->Solve(t, nullptr);
  const double c2 = CpuSeconds();
  const auto t2 = Clock::now();
  const auto report = as::CheckCertificate(t, s);
  const double c3 = CpuSeconds();
  const auto t3 = Clock::now();
  out.solve_cpu_s = c2 - c1;
  out.check_cpu_s = c3 - c2;
  out.solve_s = Seconds(t1, t2);
  out.check_s = Seconds(t2, t3);
  out.status = std::string(as::ToString(s.status));
  out.cost = -s.value;
  out.certified = report.optimal;
  out.phases = s.phases;
  out.iterations = s.iterations;
  return out;
}

// A problem file: the AssignmentProblem as the batch hands it to the solver (the candidate graph's
// CSR, publics and quota groups), raw little-endian vectors behind a magic line. For benchmarks
// only: no versioning beyond the magic, read on the machine that wrote it.
constexpr char kProblemMagic[] = "clausematch assignment problem 1\n";

template <typename T>
void WriteVector(std::ostream& out, const std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::uint64_t n = v.size();
  out.write(reinterpret_cast<const char*>(&n), sizeof n);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
}

template <typename T>
std::vector<T> ReadVector(std::istream& in) {
  std::uint64_t n = 0;
  in.read(reinterpret_cast<char*>(&n), sizeof n);
  if (!in || n > (std::uint64_t{1} << 40) / sizeof(T)) throw std::runtime_error("truncated problem file");
  std::vector<T> v(n);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
  if (!in) throw std::runtime_error("truncated problem file");
  return v;
}

void WriteProblem(const std::string& path, const clausematch::matcher::AssignmentProblem& p) {
  std::ofstream out(path + ".tmp", std::ios::binary | std::ios::trunc);
  out.write(kProblemMagic, sizeof kProblemMagic - 1);
  const std::vector<std::uint32_t> sizes{p.num_participants, p.num_openings,
                                         static_cast<std::uint32_t>(p.quotas.size())};
  WriteVector(out, sizes);
  WriteVector(out, p.positions);
  WriteVector(out, p.offsets);
  WriteVector(out, p.targets);
  WriteVector(out, p.weights);
  WriteVector(out, p.participant_publics);
  WriteVector(out, p.participant_provisional);
  for (const auto& q : p.quotas) {
    WriteVector(out, q.openings);
    const std::vector<std::int64_t> fields{q.public_bit, q.min_count, q.contract_index};
    WriteVector(out, fields);
  }
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
  std::filesystem::rename(path + ".tmp", path);
}

clausematch::matcher::AssignmentProblem ReadProblem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string magic(sizeof kProblemMagic - 1, '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (!in || magic != kProblemMagic) throw std::runtime_error(path + ": not a problem file");
  clausematch::matcher::AssignmentProblem p;
  const auto sizes = ReadVector<std::uint32_t>(in);
  if (sizes.size() != 3) throw std::runtime_error(path + ": bad header");
  p.num_participants = sizes[0];
  p.num_openings = sizes[1];
  p.positions = ReadVector<std::int32_t>(in);
  p.offsets = ReadVector<std::uint64_t>(in);
  p.targets = ReadVector<std::uint32_t>(in);
  p.weights = ReadVector<std::int32_t>(in);
  p.participant_publics = ReadVector<std::uint32_t>(in);
  p.participant_provisional = ReadVector<std::uint32_t>(in);
  p.quotas.resize(sizes[2]);
  for (auto& q : p.quotas) {
    q.openings = ReadVector<std::uint32_t>(in);
    const auto fields = ReadVector<std::int64_t>(in);
    if (fields.size() != 3) throw std::runtime_error(path + ": bad quota");
    q.public_bit = static_cast<std::uint32_t>(fields[0]);
    q.min_count = static_cast<std::int32_t>(fields[1]);
    q.contract_index = static_cast<std::uint32_t>(fields[2]);
  }
  if (auto defect = clausematch::matcher::CheckWellFormed(p); !defect.empty())
    throw std::runtime_error(path + ": " + defect);
  return p;
}

// The candidate graph of a dataset folder as `clausematch batch --data DIR` builds it (default
// weights and cap, the dataset's as_of).
clausematch::matcher::AssignmentProblem BuildBatchProblem(const std::string& dir, const std::string& reference) {
  namespace cm = clausematch;
  const auto ref = cm::data::LoadReferential(reference);
  auto data =
      cm::data::LoadBinaryDataset((std::filesystem::path(dir) / cm::data::kBinaryDatasetFile).string(), ref.get());
  data.Index();
  const cm::model::Date today = data.as_of.value_or(cm::model::Date::FromYmd(2026, 11, 23));
  const cm::matcher::Matcher matcher(*ref, data, {today, {}});
  return matcher.BuildCandidateGraph({}).problem;
}

// The facade on a batch problem: compile, solve (with side quota groups, the Lagrangian search and
// its exact step), certificate; what `clausematch batch` reports as "solve + certificate", called
// as the batch calls it (the problem's targets released during the solve).
int RunFacade(clausematch::matcher::AssignmentProblem& problem, const as::AssignmentOptions& options) {
  const long rss_before = CurrentRssBytes();
  const double c0 = CpuSeconds();
  const auto t0 = Clock::now();
  const auto r = as::SolveAssignmentReleasing(problem, options);
  const auto t1 = Clock::now();
  const double cpu = CpuSeconds() - c0;
  const long peak = PeakRssBytes();
  const double edges = static_cast<double>(problem.num_edges());
  std::cout << "{\"bench\":\"assignment-facade\",\"participants\":" << problem.num_participants
            << ",\"openings\":" << problem.num_openings << ",\"edges\":" << problem.num_edges()
            << ",\"quota_groups\":" << problem.quotas.size() << ",\"status\":\"" << as::ToString(r.status)
            << "\",\"method\":\"" << r.bound.method << "\",\"side_groups\":" << r.bound.side_groups
            << ",\"solves\":" << r.bound.solves << ",\"nodes\":" << r.bound.nodes
            << ",\"objective\":" << as::ToDecimal(r.bound.objective) << ",\"bound\":" << as::ToDecimal(r.bound.bound)
            << ",\"gap\":" << as::ToDecimal(r.bound.gap()) << ",\"proven\":" << (r.bound.proven ? "true" : "false")
            << ",\"certificate\":\"" << r.certificate.Verdict() << "\",\"filled\":" << r.filled
            << ",\"total_weight\":" << r.total_weight << ",\"seconds\":" << Seconds(t0, t1) << ",\"cpu_s\":" << cpu
            << ",\"rss_before_bytes\":" << rss_before << ",\"peak_rss_bytes\":" << peak
            << ",\"delta_bytes_per_edge\":" << (edges > 0 ? static_cast<double>(peak - rss_before) / edges : 0) << "}"
            << std::endl;
  return r.status == as::Status::kBadInput || r.status == as::Status::kBadCostRange ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_assignment: our assignment solver against LEMON NetworkSimplex, Boost SSP and greedy"};
  as::InstanceParams params;
  params.participants = 30000;
  params.openings = 3000;
  params.avg_degree = 40;
  std::string solver = "ours";
  std::string mode = "fill-then-score";
  std::string dimacs;
  app.add_option("--participants", params.participants);
  app.add_option("--openings", params.openings);
  app.add_option("--degree", params.avg_degree, "average candidate openings per participant");
  app.add_option("--seed", params.seed);
  app.add_option("--quota-fraction", params.quota_fraction, "share of openings with a one-opening quota");
  app.add_option("--solver", solver, "ours, cost-scaling, auction, lemon, boost or greedy");
  app.add_option("--mode", mode, "fill-then-score or score");
  as::AuctionOptions auction;
  app.add_option("--alpha", auction.alpha, "epsilon reduction factor of our auction");
  std::int64_t alpha = as::CostScalingOptions{}.alpha;
  app.add_option("--cs-alpha", alpha, "epsilon reduction factor of the cost-scaling backend");
  app.add_option("--write-dimacs", dimacs, "write the compiled instance as a DIMACS p min file and exit");
  std::string input;
  app.add_option("--dimacs", input, "solve this DIMACS network (e.g. clausematch batch --write-network) instead");
  std::string data_dir, problem_out, problem_in, reference = clausematch::data::DefaultReferenceDir();
  app.add_option("--data", data_dir, "build the batch's candidate graph of this dataset folder (with --write-problem)");
  app.add_option("--reference", reference, "reference data folder (with --data)");
  app.add_option("--write-problem", problem_out, "write the batch problem (quotas included) to this file and exit");
  app.add_option("--problem", problem_in, "solve this problem file with the facade (compile, quotas, certificate)");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!data_dir.empty()) {
      if (problem_out.empty()) {
        std::cerr << "--data needs --write-problem\n";
        return 2;
      }
      WriteProblem(problem_out, BuildBatchProblem(data_dir, reference));
      std::cerr << "wrote " << problem_out << "\n";
      return 0;
    }
    if (!problem_in.empty()) {
      auto loaded = ReadProblem(problem_in);
      as::AssignmentOptions facade;
      facade.mode = as::ParseObjectiveMode(mode).value_or(as::ObjectiveMode::kFillThenScore);
      facade.solver = as::ParseSolverKind(solver).value_or(as::SolverKind::kOurs);
      return RunFacade(loaded, facade);
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  const auto t0 = Clock::now();
  // The instance: generated, or read from a DIMACS file (then `problem` stays empty and the
  // positions/edges come from the network).
  clausematch::matcher::AssignmentProblem problem;
  as::CompiledAssignment compiled;
  if (input.empty()) problem = as::GenerateInstance(params);
  const auto t1 = Clock::now();
  as::AssignmentOptions options;
  options.mode = as::ParseObjectiveMode(mode).value_or(as::ObjectiveMode::kFillThenScore);
  long rss_before = CurrentRssBytes();
  if (input.empty()) {
    // The compiled transport problem is part of every solver's input (LEMON builds its graph from it).
    compiled = as::Compile(problem, options);
  } else {
    std::ifstream in(input);
    if (!in) {
      std::cerr << "cannot read " << input << "\n";
      return 2;
    }
    try {
      compiled.transport = std::move(as::ReadDimacsAssignment(in).problem);
    } catch (const as::DimacsError& e) {
      std::cerr << input << ": " << e.what() << "\n";
      return 2;
    }
    problem.num_participants = compiled.transport.num_left;
    problem.num_openings = compiled.transport.num_right;
    problem.positions.assign(compiled.transport.capacity.begin(), compiled.transport.capacity.end());
    rss_before = CurrentRssBytes();
  }
  const auto t2 = Clock::now();
  if (compiled.status != as::Status::kOptimal) {
    std::cerr << "compile: " << as::ToString(compiled.status) << ": " << compiled.message << "\n";
    return 1;
  }
  const auto& t = compiled.transport;
  if (!dimacs.empty()) {
    std::ofstream out(dimacs + ".tmp");
    as::WriteDimacs(out, t, "bench_assignment seed " + std::to_string(params.seed));
    out.close();
    std::rename((dimacs + ".tmp").c_str(), dimacs.c_str());
    std::cerr << "wrote " << dimacs << "\n";
    return 0;
  }
  Outcome out;
  if (solver == "ours") {
    out = RunOurs(t, as::MakeSolver(as::SolverKind::kOurs, auction));
  } else if (solver == "auction") {
    out = RunOurs(t, as::MakeSolver(as::SolverKind::kAuction, auction));
  } else if (solver == "boost") {
    out = RunOurs(t, as::MakeSolver(as::SolverKind::kBoost, auction));
  } else if (solver == "cost-scaling") {
    out = RunOurs(t, std::make_unique<as::CostScalingSolver>(as::CostScalingOptions{alpha}));
  } else if (solver == "greedy") {
    out = RunOurs(t, as::MakeSolver(as::SolverKind::kGreedy, auction));
  } else if (solver == "lemon") {
#ifdef CLAUSEMATCH_HAVE_LEMON
    out = RunLemon(t);
#else
    std::cerr << "built without LEMON (install liblemon-dev)\n";
    return 1;
#endif
  } else {
    std::cerr << "unknown solver " << solver << "\n";
    return 2;
  }
  const long peak = PeakRssBytes();
  const std::uint64_t num_edges = input.empty() ? problem.num_edges() : t.num_edges();
  const double edges = static_cast<double>(num_edges);
  std::cout << "{\"bench\":\"assignment\",\"solver\":\"" << solver << "\",\"mode\":\"" << mode
            << "\",\"participants\":" << (input.empty() ? params.participants : problem.num_participants)
            << ",\"openings\":" << (input.empty() ? params.openings : problem.num_openings) << ",\"positions\":" <<
      [&] {
        long s = 0;
        for (auto x : problem.positions) s += x;
        return s;
      }()
            << ",\"edges\":" << num_edges << ",\"seed\":" << params.seed << ",\"generate_s\":" << Seconds(t0, t1)
            << ",\"compile_s\":" << Seconds(t1, t2) << ",\"build_s\":" << out.build_s << ",\"solve_s\":" << out.solve_s
            << ",\"check_s\":" << out.check_s << ",\"solve_cpu_s\":" << out.solve_cpu_s
            << ",\"check_cpu_s\":" << out.check_cpu_s
            << ",\"total_s\":" << Seconds(t1, t2) + out.build_s + out.solve_s + out.check_s << ",\"status\":\""
            << out.status << "\",\"cost\":" << as::ToDecimal(out.cost)
            << ",\"certified\":" << (out.certified ? "true" : "false") << ",\"phases\":" << out.phases
            << ",\"iterations\":" << out.iterations << ",\"rss_before_bytes\":" << rss_before
            << ",\"peak_rss_bytes\":" << peak
            << ",\"peak_bytes_per_edge\":" << (edges > 0 ? static_cast<double>(peak) / edges : 0)
            << ",\"delta_bytes_per_edge\":" << (edges > 0 ? static_cast<double>(peak - rss_before) / edges : 0) << "}"
            << std::endl;
  return 0;
}
