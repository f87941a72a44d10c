// How the candidate graph splits by territory (docs/scaling.md): its connected components
// (participants and openings joined by candidate pairs), and how many pairs cross a département
// or a region border (the participant's home commune against the opening's worksite commune).
// One JSON line on stdout; progress on stderr.
//
//   build/release/api/clausematch generate --preset national --format bin --out DIR
//   build/release/bench/bench_components --data DIR
#include <sys/resource.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "data/binary_io.hpp"
#include "data/referential_loader.hpp"
#include "matcher/matcher.hpp"
#include "model/worksite.hpp"

namespace {

namespace cm = clausematch;

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Union-find with path halving and union by size.
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Join(std::uint32_t a, std::uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
};

struct Place {
  std::string departement, region;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_components: the candidate graph's components and its pairs across borders"};
  std::string data_dir, reference = cm::data::DefaultReferenceDir();
  std::size_t cap = cm::matcher::GraphOptions::kDefaultMaxCandidatesPerOpening;
  app.add_option("--data", data_dir, "Folder holding dataset.bin (clausematch generate --format bin)")->required();
  app.add_option("--cap", cap, "Candidates kept per opening in the graph (0: all)");
  app.add_option("--reference", reference, "Reference data folder");
  CLI11_PARSE(app, argc, argv);

  const auto ref = cm::data::LoadReferential(reference);
  auto data =
      cm::data::LoadBinaryDataset((std::filesystem::path(data_dir) / cm::data::kBinaryDatasetFile).string(), ref.get());
  const std::string& source = data_dir;
  data.Index();
  std::cerr << "dataset: " << data.participants.size() << " participants, " << data.openings.size() << " openings\n";
  const cm::model::Date today = data.as_of.value_or(cm::model::Date::FromYmd(2026, 11, 23));
  const cm::matcher::Matcher matcher(*ref, data, {today, {}});
  cm::matcher::GraphOptions options;
  options.max_candidates_per_opening = cap;
  std::size_t last_decile = 0;
  options.progress = [&last_decile](std::size_t done, std::size_t total) {
    const std::size_t decile = 10 * done / total;
    if (decile != last_decile || done == total) std::cerr << "candidate graph: " << 100 * done / total << "%\n";
    last_decile = decile;
  };
  const double cpu0 = CpuSeconds();
  const auto graph = matcher.BuildCandidateGraph(options);
  const double graph_cpu_s = CpuSeconds() - cpu0;
  const auto& p = graph.problem;

  // Where each side lives: the participant's home commune, the opening's worksite commune.
  auto place_of = [&ref](std::string_view insee) {
    const auto* c = ref->FindCommune(insee);
    return c ? Place{c->departement, c->region} : Place{"?", "?"};
  };
  std::vector<Place> home(p.num_participants), site(p.num_openings);
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    const auto* person = data.FindParticipant(graph.participant_ids[i]);
    home[i] = person ? place_of(person->commune_insee) : Place{"?", "?"};
  }
  for (std::uint32_t j = 0; j < p.num_openings; ++j) {
    const auto& opening = data.openings[graph.opening_index[j]];
    const auto* contract = data.FindContract(opening.contract);
    site[j] = contract ? place_of(cm::model::WorksiteCommune(*contract, opening)) : Place{"?", "?"};
  }

  // Components over participants (0..P-1) and openings (P..P+O-1); pairs across borders.
  Components uf(std::size_t{p.num_participants} + p.num_openings);
  std::uint64_t cross_departement = 0, cross_region = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> region_pairs;
  for (std::uint32_t i = 0; i < p.num_participants; ++i)
    for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e) {
      const auto j = p.targets[e];
      uf.Join(i, p.num_participants + j);
      if (home[i].departement != site[j].departement) ++cross_departement;
      if (home[i].region != site[j].region) {
        ++cross_region;
        ++region_pairs[{home[i].region, site[j].region}];
      }
    }
  struct Size {
    std::uint64_t participants = 0, openings = 0, positions = 0, edges = 0;
  };
  std::map<std::uint32_t, Size> sizes;
  for (std::uint32_t i = 0; i < p.num_participants; ++i) {
    if (p.offsets[i + 1] == p.offsets[i]) continue;  // no candidate pair: not in any component
    auto& s = sizes[uf.Find(i)];
    ++s.participants;
    s.edges += p.offsets[i + 1] - p.offsets[i];
  }
  for (std::uint32_t j = 0; j < p.num_openings; ++j) {
    auto it = sizes.find(uf.Find(p.num_participants + j));
    if (it == sizes.end()) continue;  // an opening without candidates
    ++it->second.openings;
    it->second.positions += static_cast<std::uint64_t>(std::max(0, p.positions[j]));
  }
  std::vector<Size> ordered;
  ordered.reserve(sizes.size());
  for (const auto& [root, s] : sizes) ordered.push_back(s);
  std::sort(ordered.begin(), ordered.end(), [](const Size& a, const Size& b) { return a.edges > b.edges; });
  const Size largest = ordered.empty() ? Size{} : ordered.front();
  const Size second = ordered.size() > 1 ? ordered[1] : Size{};

  std::printf(
      "{\"bench\":\"components\",\"source\":\"%s\",\"participants\":%u,\"openings\":%u,\"edges\":%llu,"
      "\"graph_cpu_s\":%.1f,\"components\":%zu,\"largest\":{\"participants\":%llu,\"openings\":%llu,"
      "\"positions\":%llu,\"edges\":%llu},\"second\":{\"participants\":%llu,\"openings\":%llu,\"edges\":%llu},"
      "\"cross_departement_edges\":%llu,\"cross_region_edges\":%llu,\"cross_region_by_pair\":{",
      source.c_str(), p.num_participants, p.num_openings, static_cast<unsigned long long>(p.num_edges()), graph_cpu_s,
      ordered.size(), static_cast<unsigned long long>(largest.participants),
      static_cast<unsigned long long>(largest.openings), static_cast<unsigned long long>(largest.positions),
      static_cast<unsigned long long>(largest.edges), static_cast<unsigned long long>(second.participants),
      static_cast<unsigned long long>(second.openings), static_cast<unsigned long long>(second.edges),
      static_cast<unsigned long long>(cross_departement), static_cast<unsigned long long>(cross_region));
  bool first = true;
  for (const auto& [pair, n] : region_pairs) {
    std::printf("%s\"%s->%s\":%llu", first ? "" : ",", pair.first.c_str(), pair.second.c_str(),
                static_cast<unsigned long long>(n));
    first = false;
  }
  std::printf("}}\n");
  return 0;
}
