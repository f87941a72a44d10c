// clausematch generate: a synthetic regional dataset on real communes and ROME 4.0 (generator/).
//
//   clausematch generate --preset region --format bin --out /tmp/hdf
//   clausematch generate --departements 59,62 --participants 5000 --contracts 200 --seed 3 --out DIR
//
// Progress goes to stderr (a bar on a terminal, a line every 10% otherwise), then a summary:
// counts by criterion, by département, positions by trade. Nothing is written to stdout.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "generator/generator.hpp"

namespace clausematch::api::cli {
namespace {

struct GenerateOptions {
  std::string preset;
  std::string region;
  std::string departements;
  std::size_t participants = 0;  // 0 = the preset's (or the default configuration's)
  std::size_t contracts = 0;
  std::uint64_t seed = 1;
  std::string out;
  std::string format = "csv";
  std::string as_of;
  std::string reference = data::DefaultReferenceDir();
};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// A progress bar on a terminal; otherwise one line per 10% so logs stay short.
class Progress {
 public:
  Progress() : tty_(::isatty(STDERR_FILENO) == 1) {}
  void operator()(std::string_view stage, std::size_t done, std::size_t total) {
    const int percent = total == 0 ? 100 : static_cast<int>(100 * done / total);
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = percent * kWidth / 100;
      std::cerr << "\r  " << std::left << std::setw(13) << stage << " [" << std::string(filled, '#')
                << std::string(kWidth - filled, '.') << "] " << std::right << std::setw(3) << percent << "% " << done
                << '/' << total << std::flush;
      if (done == total) std::cerr << '\n';
      return;
    }
    if (stage != stage_) {
      stage_ = std::string(stage);
      next_ = 0;
    }
    if (percent >= next_) {
      std::cerr << "  " << stage << ": " << done << '/' << total << " (" << percent << "%)\n";
      next_ = percent / 10 * 10 + 10;
    }
  }

 private:
  bool tty_;
  std::string stage_;
  int next_ = 0;
};

// Pads to `width` characters (not bytes: département names have accents).
std::string PadRight(std::string text, std::size_t width) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  if (chars < width) text.append(width - chars, ' ');
  return text;
}

void PrintSummary(std::ostream& os, const generator::DatasetSummary& s, const std::string& territory) {
  os << "\n"
     << territory << ": " << s.participants << " participants, " << s.contracts << " contracts, " << s.openings
     << " openings, " << s.positions << " positions, " << std::llround(s.insertion_hours) << " insertion hours\n";
  auto pct = [](std::size_t n, std::size_t total) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1)
      << (total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0) << '%';
    return o.str();
  };
  os << "\nparticipants by criterion\n";
  for (const auto& r : s.by_criterion)
    os << "  " << std::left << std::setw(18) << r.key << std::right << std::setw(9) << r.participants << std::setw(8)
       << pct(r.participants, s.participants) << "  " << r.label << '\n';
  os << "\nby département                participants  positions\n";
  for (const auto& r : s.by_departement)
    os << "  " << PadRight(r.key, 4) << PadRight(r.label, 24) << std::right << std::setw(12) << r.participants
       << std::setw(11) << r.positions << '\n';
  os << "\npositions by trade\n";
  for (const auto& r : s.by_trade)
    if (r.positions > 0 || r.key != "autre")
      os << "  " << std::left << std::setw(20) << r.key << std::right << std::setw(8) << r.positions << std::setw(8)
         << pct(r.positions, s.positions) << "  " << r.label << '\n';
}

int RunGenerate(const GenerateOptions& o) {
  using Clock = std::chrono::steady_clock;
  // Checks that need no reference data first, so a typo fails fast.
  std::optional<model::Date> as_of;
  if (!o.as_of.empty()) {
    as_of = model::Date::Parse(o.as_of);
    if (!as_of) throw InputError("--as-of: '" + o.as_of + "' is not a date (YYYY-MM-DD)");
  }
  const auto format = data::ParseDatasetFormat(o.format);
  if (!format) throw InputError("--format: '" + o.format + "' (csv, json or bin)");
  if (o.preset.empty() && o.region.empty() && o.departements.empty())
    throw InputError("say where: --region CODE, --departements 59,62 or --preset NAME");

  const auto t0 = Clock::now();
  const auto ref = data::LoadReferential(o.reference);

  generator::GeneratorConfig config;
  if (!o.preset.empty()) {
    try {
      config = generator::PresetConfig(o.preset, *ref);
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("--preset: ") + e.what());
    }
  }
  if (!o.region.empty()) {
    const auto* region = ref->FindRegion(o.region);
    if (!region) throw InputError("--region: unknown region code '" + o.region + "' (e.g. 32 for Hauts-de-France)");
    config.departements = generator::DepartementsOfRegion(*ref, o.region);
    config.territory = "Région " + o.region + " (" + region->name + ")";
  } else if (!o.departements.empty()) {
    config.departements = SplitCommas(o.departements);
    config.territory.clear();
    for (const auto& d : config.departements)
      if (!ref->FindDepartement(d)) throw InputError("--departements: unknown département code '" + d + "'");
  }
  if (config.departements.empty()) throw InputError("say where: --region CODE, --departements 59,62 or --preset NAME");
  if (o.participants) config.participants = o.participants;
  if (o.contracts) config.contracts = o.contracts;
  config.seed = o.seed;
  if (as_of) config.as_of = *as_of;

  std::cerr << "generating " << config.participants << " participants and " << config.contracts << " contracts in "
            << config.departements.size() << " département(s), seed " << config.seed << ", as of "
            << config.as_of.ToString() << '\n';
  Progress progress;
  const auto t1 = Clock::now();
  const model::Dataset dataset = generator::Generate(config, *ref, std::ref(progress));
  const auto t2 = Clock::now();
  data::SaveDataset(dataset, o.out, *format);
  const auto t3 = Clock::now();

  PrintSummary(std::cerr, generator::Summarize(dataset, *ref), dataset.territory);
  auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cerr << std::fixed << std::setprecision(2) << "\nreference data " << seconds(t1 - t0) << " s, generation "
            << seconds(t2 - t1) << " s, writing " << data::FormatName(*format) << ' ' << seconds(t3 - t2) << " s -> "
            << o.out << '\n';
  return kExitOk;
}

}  // namespace

void AddGenerate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("generate", "Generate a synthetic regional dataset on real communes and ROME 4.0");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option(
      "--preset", o->preset,
      "departement (Somme, 20k), region (Hauts-de-France, 300k), large (1M) or national (13 regions, ~3.3M)");
  auto* region = cmd->add_option("--region", o->region, "Region code, e.g. 32 (Hauts-de-France)");
  auto* deps = cmd->add_option("--departements", o->departements, "Comma-separated département codes, e.g. 59,62");
  region->excludes(deps);
  cmd->add_option("--participants", o->participants, "Number of participants (default: the preset's, else 3000)");
  cmd->add_option("--contracts", o->contracts, "Number of contracts (default: the preset's, else 120)");
  cmd->add_option("--seed", o->seed, "Seed: the same seed gives byte-identical files")->capture_default_str();
  cmd->add_option("--out", o->out, "Output folder")->required();
  cmd->add_option("--format", o->format, "csv, json or bin")->capture_default_str();
  cmd->add_option("--as-of", o->as_of, "Reference date of the dataset (default 2026-11-23)");
  cmd->add_option("--reference", o->reference, "Reference data folder (rome/, geo/)")->capture_default_str();
  cmd->callback([&ctx, o] { ctx.exit_code = RunGuarded([&] { return RunGenerate(*o); }); });
}

}  // namespace clausematch::api::cli
