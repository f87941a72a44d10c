#include "api/json/siae_json.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace clausematch::api::json {

using Json = nlohmann::ordered_json;

std::string SiaeEvidence(const lifecycle::SourcedSiae& s) {
  if (!s.match) return "sector not matched";
  std::ostringstream out;
  if (s.match->staffing) return "mise à disposition, all trades";
  if (s.match->hire_share > 0)
    out << "NAF " << s.siae->naf << ": " << std::fixed << std::setprecision(1) << 100 * s.match->hire_share << "% of "
        << s.match->via.str() << " hires";
  else
    out << "NAF division " << s.siae->naf.substr(0, 2) << " listed for " << s.match->via.str();
  return out.str();
}

Json SiaeByKindJson(const lifecycle::SourcingResult& result, int limit) {
  Json kinds = Json::object();
  for (const auto& [kind, list] : result.by_kind) {
    Json items = Json::array();
    for (std::size_t i = 0; i < list.size() && static_cast<int>(i) < limit; ++i) {
      const auto& s = list[i];
      items.push_back({{"siret", s.siae->siret},
                       {"name", s.siae->enseigne.empty() ? s.siae->name : s.siae->enseigne},
                       {"naf", s.siae->naf},
                       {"city", s.siae->city},
                       {"distance_km", std::round(s.distance_km * 10) / 10},
                       {"trade", s.trade.str()},
                       {"hire_share", s.match ? Json(s.match->hire_share) : Json(nullptr)},
                       {"staffing", s.match && s.match->staffing},
                       {"evidence", SiaeEvidence(s)}});
    }
    kinds[std::string(model::Code(kind))] = {{"count", list.size()}, {"structures", std::move(items)}};
  }
  return kinds;
}

}  // namespace clausematch::api::json
