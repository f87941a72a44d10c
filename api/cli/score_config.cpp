#include "api/cli/score_config.hpp"

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

#include "api/cli/run_guarded.hpp"
#include "data/dataset_io.hpp"
#include "data/json_codec.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api::cli {

namespace {

// Where a member of a JSON text (already parsed, so well formed) starts: the offset of its key
// (object member) or of the element (array), following a JSON pointer's tokens; npos when absent.
// Keys are compared as written (escapes kept), which is enough for the weights' plain keys.
class MemberLocator {
 public:
  explicit MemberLocator(const std::string& text) : t_(text) {}
  std::size_t Find(const std::vector<std::string>& path) {
    i_ = 0;
    return Find(path, 0);
  }

 private:
  void Space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  std::string String() {  // at the opening quote
    std::string out;
    for (++i_; i_ < t_.size() && t_[i_] != '"'; ++i_) {
      if (t_[i_] == '\\') out += t_[i_++];
      out += t_[i_];
    }
    ++i_;
    return out;
  }
  void Skip() {  // one value
    Space();
    if (i_ >= t_.size()) return;
    if (t_[i_] == '"') {
      String();
    } else if (t_[i_] == '{' || t_[i_] == '[') {
      int depth = 0;
      do {
        if (t_[i_] == '"') {
          String();
          continue;
        }
        depth += (t_[i_] == '{' || t_[i_] == '[') ? 1 : (t_[i_] == '}' || t_[i_] == ']') ? -1 : 0;
        ++i_;
      } while (i_ < t_.size() && depth > 0);
    } else {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' && t_[i_] != '\n' &&
             t_[i_] != '\t' && t_[i_] != '\r')
        ++i_;
    }
  }
  std::size_t Find(const std::vector<std::string>& path, std::size_t k) {
    Space();
    if (k == path.size() || i_ >= t_.size()) return k == path.size() ? i_ : std::string::npos;
    const char open = t_[i_];
    if (open != '{' && open != '[') return std::string::npos;
    ++i_;
    for (std::size_t index = 0;; ++index) {
      Space();
      if (i_ >= t_.size() || t_[i_] == '}' || t_[i_] == ']') return std::string::npos;
      const std::size_t at = i_;
      bool match = false;
      if (open == '{') {
        match = String() == path[k];
        Space();
        ++i_;  // ':'
      } else {
        match = std::to_string(index) == path[k];
      }
      if (match) return k + 1 == path.size() ? at : Find(path, k + 1);
      Skip();
      Space();
      if (i_ < t_.size() && t_[i_] == ',') ++i_;
    }
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

// "FILE, line L, column C" at `offset` (1-based line and column, in bytes), or "FILE" when unknown.
std::string At(const std::string& origin, const std::string& text, std::size_t offset) {
  if (offset == std::string::npos || offset > text.size()) return origin;
  std::size_t line = 1, column = 1;
  for (std::size_t k = 0; k < offset; ++k) {
    if (text[k] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return origin + ", line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

matcher::ScoreWeights ParseScoreWeights(const std::string& text, const std::string& origin) {
  if (const auto at = data::JsonNestingBeyond(text))
    throw InputError(origin + ": " + data::JsonNestingMessage(text, *at));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(At(origin, text, e.byte > 0 ? e.byte - 1 : 0) + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) throw InputError(origin + ": expected a JSON object of weights");
  // An error at a member names its line and column and its JSON pointer.
  auto fail = [&](const std::vector<std::string>& path, const std::string& message) {
    nlohmann::json::json_pointer pointer;
    for (const auto& token : path) pointer /= token;
    throw InputError(At(origin, text, MemberLocator(text).Find(path)) + ": " + pointer.to_string() + ": " + message);
  };
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
      if (!value.is_array()) fail({key}, "expected an array of criterion codes");
      model::CriterionSet set;
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = value[i].is_string() ? model::ParseCriterion(value[i].get<std::string>()) : std::nullopt;
        if (!c) fail({key, std::to_string(i)}, "not a criterion code");
        set.insert(*c);
      }
      w.default_priority_publics = set;
      continue;
    }
    if (key == "priority_weights") {
      if (!value.is_object()) fail({key}, "expected an object of criterion codes to weights in [0, 1]");
      for (const auto& [code, weight] : value.items()) {
        const auto c = model::ParseCriterion(code);
        if (!c) fail({key, code}, "not a criterion code");
        if (!weight.is_number()) fail({key, code}, "expected a number in [0, 1]");
        w.priority_weights[static_cast<std::size_t>(*c)] = weight.get<double>();
      }
      continue;
    }
    double* target = nullptr;
    for (const auto& [name, field] : numbers)
      if (key == name) target = field;
    if (!target) fail({key}, "unknown key");
    if (!value.is_number()) fail({key}, "expected a number");
    *target = value.get<double>();
  }
  if (const auto errors = w.Validate(); !errors.empty()) {
    // "priority_weights.rsa: must be in [0, 1]" is the member /priority_weights/rsa; a rule over
    // several fields ("skill + distance + ...: must be > 0") names the file only.
    const auto& error = errors.front();
    const auto colon = error.find(": ");
    const std::string name = error.substr(0, colon);
    if (colon == std::string::npos || name.find(' ') != std::string::npos) throw InputError(origin + ": " + error);
    std::vector<std::string> path;
    for (std::size_t from = 0;;) {
      const auto dot = name.find('.', from);
      path.push_back(name.substr(from, dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    fail(path, error.substr(colon + 2));
  }
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
