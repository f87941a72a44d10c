#pragma once
// Territories (docs/privacy.md, "Territories"): the départements an organisation covers, set by an
// admin (PUT /v1/organisations/{org}/territory, `clausematch orgs territory`). Three rules, the
// same through both doors:
//
//   worksites  a facilitator's contracts and openings lie inside its territory: the worksite
//              commune's département, and the département of the commune whose centre is nearest
//              to worksite coordinates when given, are covered (422 naming /worksite_insee or
//              /worksite_location otherwise);
//   audience   a facilitator's shortlists and batch runs see only participants of prescribers
//              whose territory meets its own (a département in common, or either covers "*");
//   hires      a direct hire names a person the facilitator was shown for that very opening
//              (service/placements.hpp, store::Session::ShownAsCandidate).
//
// "*" covers every département. An organisation without a territory covers nothing: its
// contracts are refused and it sees no one (and no facilitator sees its participants).
// Organisations that existed before territories were introduced were given "*" by the migration
// (store/migrations/003_territories.sql); `clausematch import --db` gives an organisation without
// one the départements its imported records lie in. Admins are not bound by the audience rule
// (their shortlists show everyone); a batch run is always that of one organisation, with its
// audience, whoever started it.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/contract.hpp"
#include "model/dataset.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"
#include "service/access.hpp"
#include "store/store.hpp"

namespace clausematch::service {

inline constexpr std::string_view kEveryDepartement = "*";
// Départements one territory may list (there are 101, plus "*").
inline constexpr std::size_t kMaxTerritoryDepartements = 128;

struct Territory {
  std::vector<std::string> departements;  // sorted, without repeats; {"*"} for every one
  [[nodiscard]] bool Covers(std::string_view departement) const;
};

[[nodiscard]] Territory TerritoryOf(store::Session& s, const model::OrgCode& org);

// Replaces `org`'s territory (admins only: kNotFound for anyone else, like any admin route). Each
// code must be a département of the referential, or "*" alone. Refusals: kInvalid naming
// /departements or /departements/<i>.
Territory SetTerritory(store::Session& s, const Caller& caller, const model::OrgCode& org,
                       const std::vector<std::string>& departements, const model::Referential& ref);

// The département of a point: that of the commune whose centre is nearest ("" without communes).
[[nodiscard]] std::string DepartementNear(const model::GeoPoint& point, const model::Referential& ref);

// The worksite rule for a contract (opening null) or one of its openings (only the opening's own
// worksite fields are checked: the rest is the contract's). Problems name /worksite_insee and
// /worksite_location; empty when inside.
[[nodiscard]] model::Problems WorksiteProblems(const Territory& territory, const model::Contract& contract,
                                               const model::Opening* opening, const model::Referential& ref);
// Throws Error(kInvalid) with WorksiteProblems when the worksite is outside `org`'s territory.
void RequireWorksiteInTerritory(store::Session& s, const model::OrgCode& org, const model::Contract& contract,
                                const model::Opening* opening, const model::Referential& ref);

// Whose participants an organisation may be shown: the prescribers whose territory meets its own.
struct Audience {
  std::unordered_set<model::OrgCode> prescribers;
  [[nodiscard]] bool Includes(const model::OrgCode& prescriber) const { return prescribers.count(prescriber) != 0; }
  // The organisations, sorted and joined: a key for caches.
  [[nodiscard]] std::string Key() const;
};
[[nodiscard]] Audience AudienceOf(store::Session& s, const model::OrgCode& org);

// One byte per participant of `data` (1: in the audience), for matcher::Matcher::MakeShortlist.
[[nodiscard]] std::vector<std::uint8_t> AudienceMask(const model::Dataset& data, const Audience& audience);
// The dataset without the participants outside the audience (contracts, openings and placements
// kept), indexed: what an organisation's batch run sees. Cut in place: pass a copy you own.
[[nodiscard]] model::Dataset RestrictToAudience(model::Dataset data, const Audience& audience);

// `clausematch import --db`: each organisation of `data` without a territory gets the départements
// its records lie in (contracts' and openings' worksites for facilitators, participants' home
// communes for prescribers). Returns the organisations given one, with their territory.
std::vector<std::pair<model::OrgCode, Territory>> TerritoriesFromRecords(store::Store& store,
                                                                         const model::Dataset& data,
                                                                         const model::Referential& ref);

}  // namespace clausematch::service
