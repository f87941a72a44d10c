#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/enums.hpp"
#include "model/geo.hpp"
#include "model/ids.hpp"
#include "model/rome_code.hpp"

namespace clausematch::model {

// A contract may require that at least a number or share of its positions go to a public,
// e.g. "at least 30% RSA recipients". The effective minimum is max(min_positions,
// ceil(min_share * positions)).
struct Quota {
  Criterion public_criterion = Criterion::kRsa;
  int min_positions = 0;
  double min_share = 0.0;  // in [0, 1]
  friend bool operator==(const Quota&, const Quota&) = default;
};

// How the clause was sized: hours = amount × labour share × insertion rate ÷ hourly cost.
struct ClauseSizing {
  double labour_share = 0.0;    // share of the amount that is labour, by trade (0.2 - 0.7)
  double insertion_rate = 0.0;  // share of labour hours reserved for insertion (0.05 - 0.2)
  double hourly_cost_eur = 30.0;
  friend bool operator==(const ClauseSizing&, const ClauseSizing&) = default;
};

// A public contract (marché public) carrying a social insertion clause.
struct Contract {
  ContractId id;
  std::string reference;  // the buyer's reference for the contract or lot
  std::string title;
  std::string buyer;        // maître d'ouvrage
  OrgCode facilitator_org;  // the facilitator organisation following the clause
  std::string holder;       // company that won the contract (titulaire), once known
  std::string holder_siret;
  std::string cpv_code;  // optional CPV code of the lot
  double amount_excl_vat_eur = 0.0;
  Date start;
  Date end;
  std::string worksite_insee;
  std::optional<GeoPoint> worksite_location;

  ClauseType clause_type = ClauseType::kConditionExecution;
  CriterionSet accepted_publics;   // who may count towards this clause
  bool accepts_derogation = true;  // facilitator derogation allowed
  // The IAE path is open: someone outside the accepted publics counts with one IAE level-1
  // criterion or enough level-2 ones (rules b and c of matcher/eligibility.hpp).
  bool accepts_iae_eligibility = true;
  CriterionSet priority_publics;  // publics the funders want first (RSA, jeune...)
  bool qpv_only = false;          // ANRU/NPNRU: reserved to QPV residents
  // IAE sufficiency: level-2 criteria needed without a level-1 one, for openings outside the IAE
  // routes (an ETTI or AI route needs 2, an EI/ACI CDDI 3, whatever this says).
  int iae_level2_required = 2;
  std::optional<ClauseSizing> sizing;
  double insertion_hours = 0.0;
  std::vector<Quota> quotas;
  ContractStatus status = ContractStatus::kOpen;
};

// A concrete opening: a trade at a worksite for a period, with a number of positions.
struct Opening {
  OpeningId id;
  ContractId contract;
  AppellationCode appellation = 0;
  RomeCode fiche;  // fiche of the appellation (filled from the referential)
  int positions = 1;
  double weekly_hours = 35.0;
  Date start;
  Date end;
  std::string worksite_insee;
  std::optional<GeoPoint> worksite_location;
  ContractType contract_type = ContractType::kCdd;
  LicenceSet required_licences;
  std::vector<SkillCode> required_skills;
  double max_distance_km = 30.0;
  OpeningStatus status = OpeningStatus::kOpen;
};

}  // namespace clausematch::model
