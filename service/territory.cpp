#include "service/territory.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "service/error.hpp"

namespace clausematch::service {
namespace {

Territory Sorted(std::vector<std::string> departements) {
  std::sort(departements.begin(), departements.end());
  departements.erase(std::unique(departements.begin(), departements.end()), departements.end());
  return {std::move(departements)};
}

std::string DepartementOf(std::string_view insee, const model::Referential& ref) {
  const auto* commune = ref.FindCommune(insee);
  return commune ? commune->departement : std::string();
}

}  // namespace

bool Territory::Covers(std::string_view departement) const {
  if (departement.empty()) return false;
  for (const auto& d : departements)
    if (d == kEveryDepartement || d == departement) return true;
  return false;
}

Territory TerritoryOf(store::Session& s, const model::OrgCode& org) { return Sorted(s.Territory(org)); }

Territory SetTerritory(store::Session& s, const Caller& caller, const model::OrgCode& org,
                       const std::vector<std::string>& departements, const model::Referential& ref) {
  if (!caller.admin()) throw Error(ErrorKind::kNotFound, "no such organisation");
  model::Problems problems;
  if (org.empty() || org.size() > 64)
    problems.push_back({"/org", "invalid_value", "an organisation code of 1 to 64 characters"});
  if (departements.size() > kMaxTerritoryDepartements)
    problems.push_back(
        {"/departements", "too_many", "at most " + std::to_string(kMaxTerritoryDepartements) + " département codes"});
  else
    for (std::size_t i = 0; i < departements.size(); ++i) {
      const auto& d = departements[i];
      const std::string at = "/departements/" + std::to_string(i);
      if (d == kEveryDepartement) {
        if (departements.size() != 1)
          problems.push_back({at, "invalid_value", "\"*\" (every département) stands alone"});
      } else if (ref.FindDepartement(d) == nullptr) {
        problems.push_back(
            {at, "unknown", "not a département code of the reference data (\"59\", \"2A\", \"974\"...)"});
      }
    }
  if (!problems.empty()) throw Error(ErrorKind::kInvalid, "invalid territory", std::move(problems));
  auto territory = Sorted(departements);
  s.SetTerritory(org, territory.departements);
  return territory;
}

std::string DepartementNear(const model::GeoPoint& point, const model::Referential& ref) {
  const model::Commune* nearest = nullptr;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& c : ref.communes()) {
    if (c.arrondissement) continue;  // the city's own entry stands for it
    const double d = model::HaversineKm(point, c.centre);
    if (d < best) {
      best = d;
      nearest = &c;
    }
  }
  return nearest ? nearest->departement : std::string();
}

model::Problems WorksiteProblems(const Territory& territory, const model::Contract& contract,
                                 const model::Opening* opening, const model::Referential& ref) {
  model::Problems problems;
  const std::string& insee = opening ? opening->worksite_insee : contract.worksite_insee;
  const auto& location = opening ? opening->worksite_location : contract.worksite_location;
  const auto none = territory.departements.empty()
                        ? std::string(" (your organisation has no territory yet: an admin sets it)")
                        : std::string();
  const bool commune_outside = !insee.empty() && !territory.Covers(DepartementOf(insee, ref));
  if (commune_outside)
    problems.push_back({"/worksite_insee", "outside_territory",
                        "this commune is outside the départements your organisation covers" + none});
  // The coordinates are checked when the commune is not already refused (they often are its centre).
  if (location && !commune_outside && !territory.Covers(DepartementNear(*location, ref)))
    problems.push_back({"/worksite_location", "outside_territory",
                        "these coordinates are outside the départements your organisation covers" + none});
  // A contract always names its worksite; an opening without one inherits the contract's.
  if (!opening && insee.empty() && !location)
    problems.push_back({"/worksite_insee", "required", "the worksite commune (INSEE code)"});
  return problems;
}

void RequireWorksiteInTerritory(store::Session& s, const model::OrgCode& org, const model::Contract& contract,
                                const model::Opening* opening, const model::Referential& ref) {
  auto problems = WorksiteProblems(TerritoryOf(s, org), contract, opening, ref);
  if (!problems.empty())
    throw Error(ErrorKind::kInvalid, "the worksite is outside the organisation's territory", std::move(problems));
}

std::string Audience::Key() const {
  std::vector<std::string> sorted(prescribers.begin(), prescribers.end());
  std::sort(sorted.begin(), sorted.end());
  std::string key;
  for (const auto& o : sorted) (key += o) += '\n';
  return key;
}

Audience AudienceOf(store::Session& s, const model::OrgCode& org) {
  Audience a;
  for (auto& o : s.OrgsMeetingTerritoryOf(org)) a.prescribers.insert(std::move(o));
  return a;
}

std::vector<std::uint8_t> AudienceMask(const model::Dataset& data, const Audience& audience) {
  std::vector<std::uint8_t> mask(data.participants.size(), 0);
  // Participants come grouped by organisation more often than not: remember the last answer.
  const model::OrgCode* last = nullptr;
  bool last_in = false;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    const auto& org = data.participants[i].prescriber_org;
    if (last == nullptr || *last != org) {
      last = &org;
      last_in = audience.Includes(org);
    }
    mask[i] = last_in ? 1 : 0;
  }
  return mask;
}

model::Dataset RestrictToAudience(model::Dataset data, const Audience& audience) {
  std::erase_if(data.participants, [&](const model::Participant& p) { return !audience.Includes(p.prescriber_org); });
  data.Index();
  return data;
}

std::vector<std::pair<model::OrgCode, Territory>> TerritoriesFromRecords(store::Store& store,
                                                                         const model::Dataset& data,
                                                                         const model::Referential& ref) {
  std::map<model::OrgCode, std::set<std::string>> found;
  auto add = [&](const model::OrgCode& org, std::string_view insee) {
    auto& set = found[org];
    if (auto d = DepartementOf(insee, ref); !d.empty()) set.insert(std::move(d));
  };
  for (const auto& c : data.contracts) add(c.facilitator_org, c.worksite_insee);
  for (const auto& o : data.openings)
    if (const auto* c = data.FindContract(o.contract); c && !o.worksite_insee.empty())
      add(c->facilitator_org, o.worksite_insee);
  for (const auto& p : data.participants) add(p.prescriber_org, p.commune_insee);
  return store.Write([&](store::Session& s) {
    std::vector<std::pair<model::OrgCode, Territory>> given;
    for (const auto& [org, departements] : found) {
      if (org.empty() || departements.empty() || !s.Territory(org).empty()) continue;
      Territory t{{departements.begin(), departements.end()}};
      s.SetTerritory(org, t.departements);
      given.emplace_back(org, std::move(t));
    }
    return given;
  });
}

}  // namespace clausematch::service
