// Search in the reference data, for the console's autocompletion of communes and ROME
// appellations (any role: the reference data is public). No personal data.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

#include "api/http/server.hpp"

namespace clausematch::api::http {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 50;

// Lower case without the French accents (é -> e, œ -> oe), '-' and '\'' as spaces: what a person
// types finds "Saint-Étienne" as "saint etienne".
std::string Fold(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kAccents[] = {
      {"à", "a"}, {"â", "a"}, {"ä", "a"},  {"á", "a"},  {"ç", "c"},  {"é", "e"},  {"è", "e"}, {"ê", "e"}, {"ë", "e"},
      {"î", "i"}, {"ï", "i"}, {"í", "i"},  {"ô", "o"},  {"ö", "o"},  {"ó", "o"},  {"ù", "u"}, {"û", "u"}, {"ü", "u"},
      {"ú", "u"}, {"ÿ", "y"}, {"ñ", "n"},  {"À", "a"},  {"Â", "a"},  {"Ä", "a"},  {"Ç", "c"}, {"É", "e"}, {"È", "e"},
      {"Ê", "e"}, {"Ë", "e"}, {"Î", "i"},  {"Ï", "i"},  {"Ô", "o"},  {"Ö", "o"},  {"Ù", "u"}, {"Û", "u"}, {"Ü", "u"},
      {"Ÿ", "y"}, {"Ñ", "n"}, {"œ", "oe"}, {"Œ", "oe"}, {"æ", "ae"}, {"Æ", "ae"}, {"’", " "}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c == '-' || c == '\'') ? ' ' : static_cast<char>(std::tolower(c));
      ++i;
      continue;
    }
    bool replaced = false;
    for (const auto& [from, to] : kAccents) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    const auto j = std::min(folded.find(' ', i), folded.size());
    if (j > i) out.emplace_back(folded.substr(i, j - i));
    i = j;
  }
  return out;
}

struct Query {
  std::string folded;
  std::vector<std::string> words;
  std::size_t limit = kDefaultLimit;
};

Query ParseQuery(const Call& call) {
  Query q;
  const auto text = call.Query("q").value_or("");
  if (text.empty() || text.size() > 100)
    throw ApiError(ErrorCode::kBadRequest, "q: 1 to 100 characters", {{"q", "out_of_range", "1 to 100 characters"}});
  q.folded = Fold(text);
  q.words = Words(q.folded);
  if (q.words.empty())
    throw ApiError(ErrorCode::kBadRequest, "q: a word to search", {{"q", "required", "a word to search"}});
  if (const auto limit = call.Query("limit")) {
    int v = 0;
    const auto [p, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
    if (ec != std::errc() || p != limit->data() + limit->size() || v < 1 || v > kMaxLimit)
      throw ApiError(ErrorCode::kBadRequest, "limit: 1 to 50", {{"limit", "out_of_range", "1 to 50"}});
    q.limit = static_cast<std::size_t>(v);
  }
  return q;
}

// Every word of the query starts a word of `folded`; 0 when not, else a rank (lower is better).
int Rank(const std::vector<std::string>& query, std::string_view folded) {
  const auto words = Words(folded);
  for (const auto& w : query) {
    const bool found = std::any_of(words.begin(), words.end(), [&](const std::string& x) { return x.starts_with(w); });
    if (!found) return 0;
  }
  return folded.starts_with(query.front()) ? 1 : 2;
}

struct Index {
  std::vector<std::string> communes;      // folded names, by referential index
  std::vector<std::string> appellations;  // folded labels
};

}  // namespace

void AddReferentialRoutes(Router& router, App& app) {
  auto index = std::make_shared<Index>();
  for (const auto& c : app.referential->communes()) index->communes.push_back(Fold(c.name));
  for (const auto& a : app.referential->appellations()) index->appellations.push_back(Fold(a.label));

  // By name (every word a prefix), INSEE code or postal code; larger populations first.
  router.Add("GET", "/v1/referential/communes", {}, [&app, index](Call& call) {
    const auto q = ParseQuery(call);
    const auto communes = app.referential->communes();
    const bool digits = std::all_of(q.folded.begin(), q.folded.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) || c == 'a' || c == 'b';
    });
    std::vector<std::pair<int, std::uint32_t>> hits;
    for (std::uint32_t i = 0; i < communes.size(); ++i) {
      const auto& c = communes[i];
      int rank = 0;
      if (digits) {
        if (Fold(c.insee).starts_with(q.folded)) rank = 1;
        for (const auto& postal : c.postal_codes)
          if (postal.starts_with(q.folded)) rank = rank ? rank : 2;
      } else {
        rank = Rank(q.words, index->communes[i]);
      }
      if (rank) hits.emplace_back(rank, i);
    }
    std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return communes[a.second].population > communes[b.second].population;
    });
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t n = 0; n < hits.size() && n < q.limit; ++n) {
      const auto& c = communes[hits[n].second];
      items.push_back(
          {{"insee", c.insee}, {"name", c.name}, {"departement", c.departement}, {"postal_codes", c.postal_codes}});
    }
    call.Reply(200, {{"items", items}});
  });

  // By words of the label (each a prefix of a word), or by code; principal titles first.
  router.Add("GET", "/v1/referential/appellations", {}, [&app, index](Call& call) {
    const auto q = ParseQuery(call);
    const auto appellations = app.referential->appellations();
    std::vector<std::pair<int, std::uint32_t>> hits;
    for (std::uint32_t i = 0; i < appellations.size(); ++i) {
      const auto& a = appellations[i];
      int rank = Rank(q.words, index->appellations[i]);
      if (!rank && std::to_string(a.code) == q.folded) rank = 1;
      if (rank) hits.emplace_back(rank * 4 + (a.principal ? 0 : 1) + (a.rare ? 2 : 0), i);
    }
    std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return appellations[a.second].label < appellations[b.second].label;
    });
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t n = 0; n < hits.size() && n < q.limit; ++n) {
      const auto& a = appellations[hits[n].second];
      items.push_back({{"code", a.code}, {"label", a.label}, {"fiche", a.fiche.str()}});
    }
    call.Reply(200, {{"items", items}});
  });
}

}  // namespace clausematch::api::http
