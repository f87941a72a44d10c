// bench_http_seed: fills a store database with a generated region (or a dataset.bin folder) and
// creates an admin API key, for the HTTP load test of bench/README.md ("HTTP"):
//
//   build/release/bench/bench_http_seed --preset region --db /tmp/cm-region.db --out /tmp/cm-bench
//   build/release/api/clausematch serve --db /tmp/cm-region.db --listen 127.0.0.1:8080 --rate-limit 0
//       --today "$(cat /tmp/cm-bench/as_of)"      (one command line)
//   BENCH_OUT=/tmp/cm-bench wrk -t2 -c8 -d30s --latency -s bench/http_shortlist.lua http://127.0.0.1:8080
// (bench/run_http_load.sh does all of it.)
//
// Writes <out>/token (the key), <out>/as_of (the data's date) and <out>/openings.lua (the open
// opening ids, read by the wrk script); prints one JSON line: counts, import time, peak RSS.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "data/binary_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"
#include "store/import.hpp"
#include "store/keys.hpp"

int main(int argc, char** argv) {
  namespace cm = clausematch;
  CLI::App app{"bench_http_seed: a store database for the HTTP benchmark"};
  std::string preset = "region", data_dir, db, out = ".", reference = cm::data::DefaultReferenceDir();
  std::uint64_t seed = 1;
  app.add_option("--preset", preset, "Generator preset (departement, region, large)");
  app.add_option("--data", data_dir, "Folder holding dataset.bin instead of generating");
  app.add_option("--seed", seed, "Generator seed");
  app.add_option("--db", db, "Database file to create (must not exist)")->required();
  app.add_option("--out", out, "Folder for token and openings.lua");
  app.add_option("--reference", reference, "Reference data folder");
  CLI11_PARSE(app, argc, argv);
  if (std::filesystem::exists(db)) {
    std::cerr << "bench_http_seed: " << db << " exists; give a new file\n";
    return 2;
  }
  const auto ref = cm::data::LoadReferential(reference);
  cm::model::Dataset data;
  if (!data_dir.empty()) {
    data = cm::data::LoadBinaryDataset((std::filesystem::path(data_dir) / cm::data::kBinaryDatasetFile).string(),
                                       ref.get());
  } else {
    auto config = cm::generator::PresetConfig(preset, *ref);
    config.seed = seed;
    data = cm::generator::Generate(config, *ref);
  }
  const auto t0 = std::chrono::steady_clock::now();
  cm::store::Store store(db);
  const auto counts = cm::store::ImportDataset(store, data);
  const double import_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto key = cm::store::CreateApiKey(store, "BENCH", cm::store::Role::kAdmin);

  std::filesystem::create_directories(out);
  std::ofstream(std::filesystem::path(out) / "token") << key.token << '\n';
  // The date the data describes: serve --today it, or proofs expire as the calendar moves on.
  const std::string as_of = data.as_of ? data.as_of->ToString() : "";
  std::ofstream(std::filesystem::path(out) / "as_of") << as_of << '\n';
  std::ofstream ids(std::filesystem::path(out) / "openings.lua");
  ids << "return {";
  std::size_t open = 0;
  store.snapshot().Read([&](const cm::model::Dataset& d) {
    for (const auto& o : d.openings)
      if (o.status == cm::model::OpeningStatus::kOpen) ids << (open++ ? "," : "") << o.id.value();
  });
  ids << "}\n";
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::cout << "{\"bench\":\"http_seed\",\"as_of\":\"" << as_of << "\",\"participants\":" << counts.participants
            << ",\"contracts\":" << counts.contracts << ",\"openings\":" << counts.openings
            << ",\"open_openings\":" << open << ",\"import_s\":" << import_s
            << ",\"db_bytes\":" << std::filesystem::file_size(db) << ",\"peak_rss_kb\":" << u.ru_maxrss << "}\n";
  return 0;
}
