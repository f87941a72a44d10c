// Matching-core benchmark: candidate graph build time, shortlist (k) latency over many openings,
// memory per candidate edge. One JSON line per run on stdout; progress on stderr.
//
//   cmake --preset release -DCLAUSEMATCH_BUILD_BENCH=ON && cmake --build --preset release -j2
//   build/release/bench/bench_matcher --preset region            # generated in-process
//   build/release/bench/bench_matcher --data DIR                 # a dataset.bin folder (generate --format bin)
//
// The dataset is the generator's (generator/generator.hpp): --preset region is Hauts-de-France,
// ~300k participants, ~30k positions, seed 1 unless --seed says otherwise.
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "data/binary_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"
#include "matcher/matcher.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(
      std::min<double>(static_cast<double>(v.size() - 1), std::ceil(p * static_cast<double>(v.size())) - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  namespace cm = clausematch;
  CLI::App app{"bench_matcher: candidate graph and shortlist benchmark"};
  std::string preset = "region", data_dir, reference = cm::data::DefaultReferenceDir();
  std::uint64_t seed = 1;
  std::size_t shortlists = 500, k = 50;
  int threads = 0;
  std::size_t cap = cm::matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  app.add_option("--preset", preset, "Generator preset (departement, region, large)");
  app.add_option("--data", data_dir, "Folder holding dataset.bin instead of generating");
  app.add_option("--seed", seed, "Generator seed");
  app.add_option("--shortlists", shortlists, "Number of openings to shortlist");
  app.add_option("--k", k, "Shortlist length");
  app.add_option("--threads", threads, "oneTBB threads (0: all cores)");
  app.add_option("--cap", cap, "Candidates kept per opening in the graph (0: all)");
  app.add_option("--reference", reference, "Reference data folder");
  CLI11_PARSE(app, argc, argv);
  std::unique_ptr<tbb::global_control> limit;
  if (threads > 0) limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);

  const auto ref = cm::data::LoadReferential(reference);
  auto t0 = Clock::now();
  cm::model::Dataset data;
  std::string source;
  if (!data_dir.empty()) {
    data = cm::data::LoadBinaryDataset((std::filesystem::path(data_dir) / cm::data::kBinaryDatasetFile).string(),
                                       ref.get());
    source = data_dir;
  } else {
    auto config = cm::generator::PresetConfig(preset, *ref);
    config.seed = seed;
    std::cerr << "generating preset " << preset << "...\n";
    data = cm::generator::Generate(config, *ref);
    source = "preset:" + preset;
  }
  data.Index();
  const double load_s = Seconds(t0, Clock::now());
  std::cerr << "dataset: " << data.participants.size() << " participants, " << data.openings.size() << " openings ("
            << load_s << " s)\n";

  const cm::model::Date today = data.as_of.value_or(cm::model::Date::FromYmd(2026, 11, 23));
  t0 = Clock::now();
  auto space = std::make_shared<const cm::matcher::SkillSpace>(*ref);
  const double skill_space_s = Seconds(t0, Clock::now());
  t0 = Clock::now();
  const cm::matcher::Matcher matcher(*ref, data, {today, {}}, space);
  const double prepare_s = Seconds(t0, Clock::now());

  t0 = Clock::now();
  const double cpu0 = CpuSeconds();
  cm::matcher::GraphOptions graph_options;
  graph_options.max_candidates_per_opening = cap;
  const auto graph = matcher.BuildCandidateGraph(graph_options);
  const double graph_s = Seconds(t0, Clock::now());
  const double graph_cpu_s = CpuSeconds() - cpu0;
  const auto& p = graph.problem;
  std::int64_t positions = 0;
  for (auto n : p.positions) positions += n;
  const double bytes_per_edge =
      p.num_edges() ? static_cast<double>(p.MemoryBytes()) / static_cast<double>(p.num_edges()) : 0.0;
  // A fingerprint of the graph (FNV-1a over offsets, targets, weights, publics and the pair
  // counts): two builds that keep exactly the same edges print the same value.
  std::uint64_t fingerprint = 1469598103934665603ull;
  auto mix = [&fingerprint](std::uint64_t v) {
    for (int b = 0; b < 8; ++b) fingerprint = (fingerprint ^ ((v >> (8 * b)) & 0xff)) * 1099511628211ull;
  };
  for (auto v : p.offsets) mix(v);
  for (auto v : p.targets) mix(v);
  for (auto v : p.weights) mix(static_cast<std::uint32_t>(v));
  for (auto v : p.participant_publics) mix(v);
  for (auto v : p.participant_provisional) mix(v);
  mix(graph.pairs_in_reach);
  mix(graph.pairs_eligible);
  mix(graph.pairs_conditional);
  std::cerr << "graph: " << p.num_edges() << " edges in " << graph_s << " s, fingerprint " << std::hex << fingerprint
            << std::dec << "\n";

  // Shortlists on openings spread evenly over the open ones.
  std::vector<double> ms, cpu_ms;
  const std::size_t m = graph.opening_ids.size();
  const std::size_t count = std::min(shortlists, m);
  std::size_t entries = 0;
  for (std::size_t q = 0; q < count; ++q) {
    const auto id = graph.opening_ids[q * m / count];
    const auto s0 = Clock::now();
    const double c0 = CpuSeconds();
    const auto s = matcher.MakeShortlist(id, k);
    ms.push_back(1000.0 * Seconds(s0, Clock::now()));
    cpu_ms.push_back(1000.0 * (CpuSeconds() - c0));
    entries += s.entries.size();
  }
  double mean = 0;
  for (double v : ms) mean += v;
  mean = ms.empty() ? 0 : mean / static_cast<double>(ms.size());

  std::printf(
      "{\"bench\":\"matcher\",\"source\":\"%s\",\"seed\":%llu,\"threads\":%d,\"participants\":%zu,"
      "\"open_openings\":%u,\"positions\":%lld,\"edges\":%llu,\"pairs_in_reach\":%llu,\"pairs_eligible\":%llu,\"cap\":%"
      "zu,\"load_s\":%.3f,\"skill_space_"
      "s\":%.3f,"
      "\"prepare_s\":%.3f,\"graph_build_s\":%.3f,\"graph_build_cpu_s\":%.3f,\"graph_bytes\":%llu,\"bytes_per_edge\":%."
      "2f,"
      "\"matcher_bytes\":%llu,\"shortlists\":%zu,\"k\":%zu,\"mean_entries\":%.1f,\"shortlist_ms_p50\":%.3f,"
      "\"shortlist_ms_p99\":%.3f,\"shortlist_ms_max\":%.3f,\"shortlist_ms_mean\":%.3f,\"shortlist_cpu_ms_p50\":%.3f,"
      "\"shortlist_cpu_ms_p99\":%.3f,\"peak_rss_mb\":%.1f,\"graph_fingerprint\":\"%016llx\"}\n",
      source.c_str(), static_cast<unsigned long long>(seed), threads, data.participants.size(), p.num_openings,
      static_cast<long long>(positions), static_cast<unsigned long long>(p.num_edges()),
      static_cast<unsigned long long>(graph.pairs_in_reach), static_cast<unsigned long long>(graph.pairs_eligible), cap,
      load_s, skill_space_s, prepare_s, graph_s, graph_cpu_s, static_cast<unsigned long long>(p.MemoryBytes()),
      bytes_per_edge, static_cast<unsigned long long>(matcher.MemoryBytes()), ms.size(), k,
      ms.empty() ? 0.0 : static_cast<double>(entries) / static_cast<double>(ms.size()), Percentile(ms, 0.5),
      Percentile(ms, 0.99), ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), mean, Percentile(cpu_ms, 0.5),
      Percentile(cpu_ms, 0.99), static_cast<double>(PeakRssKb()) / 1024.0,
      static_cast<unsigned long long>(fingerprint));
  return 0;
}
