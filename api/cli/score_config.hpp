#pragma once
// Score weights from a JSON config file (docs/scoring.md lists every key and its default):
//   {"skill": 0.4, "distance": 0.2, ..., "default_priority_publics": ["rsa", "jeune"]}
// Keys left out keep their default. An unknown key, a wrong type or an invalid value is an
// InputError naming the file and the key.
#include <memory>
#include <string>

#include "data/referential_loader.hpp"
#include "matcher/matcher.hpp"
#include "matcher/score_weights.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::api::cli {

matcher::ScoreWeights LoadScoreWeights(const std::string& path);
// Same, from JSON text (`origin` names it in messages).
matcher::ScoreWeights ParseScoreWeights(const std::string& text, const std::string& origin);

// What `shortlist` and `batch` both start with: the referential, the dataset (--data DIR or
// --sample, indexed) and the matcher options (--today, else the dataset's as_of date, else the
// fallback; --config weights). InputError (prefixed with `command`) on bad flags.
struct MatcherInputFlags {
  std::string data_dir;
  bool sample = false;
  std::string today;
  std::string config;
  std::string reference = data::DefaultReferenceDir();
};
// Without --today nor as_of: the system date (shortlist: a look at today), or an InputError
// (batch: proposals are stored and acted on, so the date they are judged at must be explicit).
enum class NoDate { kUseSystemDate, kRefuse };
struct MatcherInputs {
  std::shared_ptr<const model::Referential> referential;
  std::string dir;  // the dataset folder read
  model::Dataset dataset;
  matcher::MatcherOptions options;
};
MatcherInputs LoadMatcherInputs(const std::string& command, const MatcherInputFlags& flags, NoDate no_date);

}  // namespace clausematch::api::cli
