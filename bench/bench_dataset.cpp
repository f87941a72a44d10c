// Dataset generation and binary I/O: how long a preset takes to generate, encode, write and load
// back as dataset.bin, and the peak memory. One JSON line per run.
//
//   build/release/bench/bench_dataset --preset region [--dir /tmp/bench_dataset] [--repeat 3]
//
// Figures and the machine they were taken on: docs/generator.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "data/binary_io.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"

namespace cm = clausematch;

namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_dataset: generate a preset, write it as dataset.bin, load it back"};
  std::string preset = "region";
  std::string dir = (std::filesystem::temp_directory_path() / "bench_dataset").string();
  int repeat = 3;
  app.add_option("--preset", preset, "departement, region or large")->capture_default_str();
  app.add_option("--dir", dir, "Folder for dataset.bin (overwritten)")->capture_default_str();
  app.add_option("--repeat", repeat, "Loads to time (the best is reported)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  using Clock = std::chrono::steady_clock;
  const auto ref = cm::data::LoadReferential(cm::data::DefaultReferenceDir());
  const auto config = cm::generator::PresetConfig(preset, *ref);

  const auto t0 = Clock::now();
  const auto dataset = cm::generator::Generate(config, *ref);
  const auto t1 = Clock::now();
  const std::string bytes = cm::data::EncodeBinaryDataset(dataset);
  const auto t2 = Clock::now();
  cm::data::SaveDataset(dataset, dir, cm::data::DatasetFormat::kBinary);
  const auto t3 = Clock::now();
  const long rss_after_generate = PeakRssKb();

  // Wall time on a shared machine depends on the neighbours: the process CPU time of the load
  // (single-threaded) is reported too.
  double best_load = 1e9, best_decode = 1e9, best_load_cpu = 1e9;
  std::size_t loaded = 0;
  for (int i = 0; i < repeat; ++i) {
    const std::clock_t cpu0 = std::clock();
    const auto a = Clock::now();
    const auto back = cm::data::LoadDataset(dir, *ref);  // read, checksum, decode, check refs, index
    const auto b = Clock::now();
    best_load_cpu = std::min(best_load_cpu, static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC);
    const auto decoded = cm::data::DecodeBinaryDataset(bytes);  // decode only, from memory
    const auto c = Clock::now();
    best_load = std::min(best_load, Seconds(b - a));
    best_decode = std::min(best_decode, Seconds(c - b));
    loaded = back.participants.size();
    if (decoded.participants.size() != loaded) return 1;
  }
  std::size_t positions = 0;
  for (const auto& o : dataset.openings) positions += static_cast<std::size_t>(o.positions);

  std::cout << "{\"bench\":\"dataset\",\"preset\":\"" << preset << "\",\"participants\":" << dataset.participants.size()
            << ",\"contracts\":" << dataset.contracts.size() << ",\"openings\":" << dataset.openings.size()
            << ",\"positions\":" << positions << ",\"bin_bytes\":" << bytes.size()
            << ",\"generate_s\":" << Seconds(t1 - t0) << ",\"encode_s\":" << Seconds(t2 - t1)
            << ",\"save_bin_s\":" << Seconds(t3 - t2) << ",\"load_bin_s\":" << best_load
            << ",\"load_bin_cpu_s\":" << best_load_cpu << ",\"decode_only_s\":" << best_decode
            << ",\"loaded_participants\":" << loaded << ",\"peak_rss_after_generate_kb\":" << rss_after_generate
            << ",\"peak_rss_kb\":" << PeakRssKb() << ",\"threads\":" << std::thread::hardware_concurrency() << "}\n";
  return 0;
}
