// clausematch shortlist: the best candidates for one opening, with their score components, the
// reasons in words and how many people were left out and why. Thin door: loads the data, calls
// matcher::Matcher::MakeShortlist, formats the result (table for a terminal, or JSON).
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/cli/score_config.hpp"
#include "api/json/batch_json.hpp"
#include "data/referential_loader.hpp"
#include "matcher/matcher.hpp"

namespace clausematch::api::cli {
namespace {

struct ShortlistArgs {
  MatcherInputFlags input;
  std::optional<std::uint32_t> opening;
  std::size_t k = 10;
  std::string format = "table";
};

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Penalty(double p) { return p > 0.0 ? "-" + Fixed(p, 2) : Fixed(0.0, 2); }

std::string Pad(std::string s, std::size_t width, bool right = false) {
  // Width in characters, counting UTF-8 continuation bytes as nothing.
  std::size_t chars = 0;
  for (unsigned char ch : s) chars += (ch & 0xC0) != 0x80;
  if (chars >= width) return s;
  const std::string fill(width - chars, ' ');
  return right ? fill + s : s + fill;
}

int Run(const ShortlistArgs& args) {
  if (args.format != "table" && args.format != "json")
    throw InputError("shortlist: --format must be table or json, not '" + args.format + "'");
  auto in = LoadMatcherInputs("shortlist", args.input, NoDate::kUseSystemDate);
  const auto& ref = in.referential;
  const auto& dataset = in.dataset;
  const auto& dir = in.dir;
  const auto& options = in.options;

  const model::Opening* opening = nullptr;
  if (args.opening) {
    opening = dataset.FindOpening(model::OpeningId(*args.opening));
    if (!opening) throw InputError("shortlist: no opening " + std::to_string(*args.opening) + " in " + dir);
  } else {
    for (const auto& o : dataset.openings)
      if (o.status == model::OpeningStatus::kOpen) {
        opening = &o;
        break;
      }
    if (!opening) throw InputError("shortlist: " + dir + " has no open opening");
  }
  const model::Contract* contract = dataset.FindContract(opening->contract);

  const matcher::Matcher engine(*ref, dataset, options);
  const auto s = engine.MakeShortlist(opening->id, args.k);
  const auto* appellation = ref->FindAppellation(opening->appellation);
  const auto* commune = ref->FindCommune(opening->worksite_insee);
  const std::string trade = appellation ? appellation->label : std::to_string(opening->appellation);
  const std::string place = commune ? commune->name + " (" + commune->insee + ")" : opening->worksite_insee;

  if (args.format == "json") {
    nlohmann::json out;
    out["opening"] = opening->id.value();
    out["contract"] = contract ? nlohmann::json(contract->reference) : nlohmann::json(nullptr);
    out["appellation"] = {{"code", opening->appellation}, {"label", trade}, {"fiche", opening->fiche.str()}};
    out["worksite"] = {{"insee", opening->worksite_insee}, {"name", commune ? commune->name : ""}};
    out["today"] = options.today.ToString();
    out["hire_date"] = s.hire_date.ToString();
    out["k"] = args.k;
    out["population"] = s.population;
    out["in_reach"] = s.in_reach;
    out["eligible"] = s.eligible;
    out["subject_to_renewal"] = s.conditional;
    auto entries = nlohmann::json::array();
    for (std::size_t r = 0; r < s.entries.size(); ++r) {
      const auto& e = s.entries[r];
      auto reasons = nlohmann::json::array();
      for (const auto& reason : e.reasons) reasons.push_back({{"code", reason.code}, {"text", reason.text}});
      entries.push_back(
          {{"rank", r + 1},
           {"participant", e.participant.value()},
           {"external_ref", dataset.participants[e.participant_index].external_ref},
           {"score", e.score},
           {"components", json::ComponentsJson(e.components)},
           {"eligibility", {{"basis", matcher::Code(e.basis)}, {"criteria", json::CriteriaJson(e.eligible_by)}}},
           {"conditions", json::ConditionsJson(e.conditions)},
           {"distance_km", matcher::ShownKm(e.distance_km)},
           {"same_commune", e.same_commune},
           {"reasons", reasons}});
    }
    out["entries"] = entries;
    auto excluded = nlohmann::json::array();
    for (const auto& info : matcher::AllExclusionReasons())
      excluded.push_back({{"reason", info.code},
                          {"label", info.label_fr},
                          {"label_en", info.label_en},
                          {"count", s.excluded[static_cast<std::size_t>(info.reason)]}});
    out["excluded"] = excluded;
    std::cout << out.dump(2) << '\n';
    return kExitOk;
  }

  std::cout << "Offre " << opening->id.value() << " : " << trade << " (" << opening->fiche.str() << "), chantier "
            << place << ", embauche au " << s.hire_date.ToString() << '\n'
            << "Contrat " << (contract ? contract->reference : "?") << " ; " << s.population << " personnes, "
            << s.in_reach << " à portée, " << s.eligible << " éligibles (dont " << s.conditional
            << " sous réserve d'actualiser un justificatif) ; les " << s.entries.size() << " meilleures :\n\n";
  std::cout << Pad("  #", 4) << Pad("participant", 13) << Pad("score", 7, true) << Pad("compét.", 9, true)
            << Pad("distance", 10, true) << Pad("priorité", 10, true) << Pad("attente", 9, true)
            << Pad("heures", 8, true) << Pad("exposition", 12, true) << '\n';
  for (std::size_t r = 0; r < s.entries.size(); ++r) {
    const auto& e = s.entries[r];
    std::cout << Pad(std::to_string(r + 1), 3, true) << ' ' << Pad(std::to_string(e.participant.value()), 13)
              << Pad(Fixed(e.score, 3), 7, true) << Pad(Fixed(e.components.skill_fit, 2), 9, true)
              << Pad(Fixed(e.components.distance, 2), 10, true) << Pad(Fixed(e.components.priority, 2), 10, true)
              << Pad(Fixed(e.components.waiting, 2), 9, true) << Pad(Fixed(e.components.hours, 2), 8, true)
              << Pad(Penalty(options.weights.exposure * e.components.exposure), 12, true) << '\n';
    for (const auto& reason : e.reasons) std::cout << "      - " << reason.text << '\n';
  }
  std::cout << "\nPersonnes écartées (chacune comptée une fois, à la première règle non remplie) :\n";
  for (const auto& info : matcher::AllExclusionReasons()) {
    const auto n = s.excluded[static_cast<std::size_t>(info.reason)];
    if (n > 0) std::cout << "  " << Pad(std::string(info.label_fr), 58) << Pad(std::to_string(n), 8, true) << '\n';
  }
  return kExitOk;
}

}  // namespace

void AddShortlist(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("shortlist", "Best candidates for one opening, with reasons and exclusions");
  auto args = std::make_shared<ShortlistArgs>();
  cmd->add_option("--data", args->input.data_dir, "Dataset folder (csv, json or bin)");
  cmd->add_flag("--sample", args->input.sample, "Use the bundled sample (without --opening: its first open opening)");
  cmd->add_option("--opening", args->opening, "Opening id");
  cmd->add_option("--k", args->k, "Number of candidates")->check(CLI::Range(1, 100000));
  cmd->add_option("--format", args->format, "table or json");
  cmd->add_option("--config", args->input.config, "Score weights (JSON, see docs/scoring.md)");
  cmd->add_option("--today", args->input.today, "Reference date YYYY-MM-DD (default: the dataset's as_of date)");
  cmd->add_option("--reference", args->input.reference, "Reference data folder (rome/, geo/)");
  cmd->callback([&ctx, args] { ctx.exit_code = RunGuarded([&] { return Run(*args); }); });
}

}  // namespace clausematch::api::cli
