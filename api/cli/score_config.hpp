#pragma once
// Score weights from a JSON config file (docs/scoring.md lists every key and its default):
//   {"skill": 0.4, "distance": 0.2, ..., "default_priority_publics": ["rsa", "jeune"]}
// Keys left out keep their default. An unknown key, a wrong type or an invalid value is an
// InputError naming the file and the key.
#include <string>

#include "matcher/score_weights.hpp"

namespace clausematch::api::cli {

matcher::ScoreWeights LoadScoreWeights(const std::string& path);
// Same, from JSON text (`origin` names it in messages).
matcher::ScoreWeights ParseScoreWeights(const std::string& text, const std::string& origin);

}  // namespace clausematch::api::cli
