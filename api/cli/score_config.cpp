#include "api/cli/score_config.hpp"

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "api/cli/run_guarded.hpp"
#include "data/dataset_io.hpp"
#include "data/json_codec.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api::cli {

matcher::ScoreWeights ParseScoreWeights(const std::string& text, const std::string& origin) {
  if (const auto at = data::JsonNestingBeyond(text))
    throw InputError(origin + ": " + data::JsonNestingMessage(text, *at));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(origin + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) throw InputError(origin + ": expected a JSON object of weights");
  matcher::ScoreWeights w;
  const std::pair<const char*, double*> numbers[] = {
      {"skill", &w.skill},
      {"distance", &w.distance},
      {"priority", &w.priority},
      {"waiting", &w.waiting},
      {"hours", &w.hours},
      {"exposure", &w.exposure},
      {"skill_relation", &w.skill_relation},
      {"skill_overlap", &w.skill_overlap},
      {"skill_embedding", &w.skill_embedding},
      {"same_appellation", &w.same_appellation},
      {"same_fiche", &w.same_fiche},
      {"same_parent", &w.same_parent},
      {"mobility_first_rank", &w.mobility_first_rank},
      {"mobility_rank_decay", &w.mobility_rank_decay},
      {"required_skill_weight", &w.required_skill_weight},
      {"core_skill_weight", &w.core_skill_weight},
      {"other_skill_weight", &w.other_skill_weight},
      {"waiting_horizon_days", &w.waiting_horizon_days},
      {"exposure_saturation", &w.exposure_saturation},
  };
  for (const auto& [key, value] : doc.items()) {
    if (key == "default_priority_publics") {
      if (!value.is_array()) throw InputError(origin + ": /" + key + ": expected an array of criterion codes");
      model::CriterionSet set;
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = value[i].is_string() ? model::ParseCriterion(value[i].get<std::string>()) : std::nullopt;
        if (!c) throw InputError(origin + ": /" + key + "/" + std::to_string(i) + ": not a criterion code");
        set.insert(*c);
      }
      w.default_priority_publics = set;
      continue;
    }
    double* target = nullptr;
    for (const auto& [name, field] : numbers)
      if (key == name) target = field;
    if (!target) throw InputError(origin + ": /" + key + ": unknown key");
    if (!value.is_number()) throw InputError(origin + ": /" + key + ": expected a number");
    *target = value.get<double>();
  }
  if (const auto errors = w.Validate(); !errors.empty()) throw InputError(origin + ": " + errors.front());
  return w;
}

matcher::ScoreWeights LoadScoreWeights(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the score config");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseScoreWeights(text.str(), path);
}

MatcherInputs LoadMatcherInputs(const std::string& command, const MatcherInputFlags& flags, NoDate no_date) {
  if (flags.sample == !flags.data_dir.empty())
    throw InputError(command + ": give exactly one of --data DIR or --sample");
  std::optional<model::Date> today;
  if (!flags.today.empty()) {
    today = model::Date::Parse(flags.today);
    if (!today) throw InputError(command + ": --today '" + flags.today + "' is not a date (YYYY-MM-DD)");
  }
  MatcherInputs in;
  if (!flags.config.empty()) in.options.weights = LoadScoreWeights(flags.config);
  in.referential = data::LoadReferential(flags.reference);
  in.dir = flags.sample ? data::DefaultSampleDir() : flags.data_dir;
  in.dataset = data::LoadDataset(in.dir, *in.referential);
  in.dataset.Index();
  if (today)
    in.options.today = *today;
  else if (in.dataset.as_of)
    in.options.today = *in.dataset.as_of;
  else if (no_date == NoDate::kUseSystemDate)
    in.options.today = model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  else
    throw InputError(command + ": the dataset has no as_of date; give --today YYYY-MM-DD");
  return in;
}

}  // namespace clausematch::api::cli
