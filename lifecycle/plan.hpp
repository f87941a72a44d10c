#pragma once
// From a sized clause to draft openings.
//
// The clause's hours H are split between trades: a trade with an explicit share s_i gets s_i × H,
// trades without one share the rest equally; whole hours are apportioned by largest remainder so the
// parts add up to H exactly. Each trade becomes one opening over [start, end] at w weekly hours:
//
//     weeks     = (end - start + 1 days) / 7
//     positions = ceil(h_i / (w × weeks))        (at least 1)
//
// i.e. the fewest people who can work the trade's hours in the period. Openings are created as
// drafts: a facilitator edits them (EditDraftOpening) until they open, after which they are frozen.
#include <optional>
#include <span>
#include <vector>

#include "lifecycle/sizing.hpp"
#include "model/contract.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"

namespace clausematch::lifecycle {

struct TradeShare {
  model::AppellationCode appellation = 0;  // 0 when only a fiche is known
  model::RomeCode fiche;
  std::optional<double> share;       // of the clause hours, in (0, 1]; none = equal split of the rest
  std::optional<model::Date> start;  // default: the plan's, else the contract's
  std::optional<model::Date> end;
  std::optional<double> weekly_hours;
  std::optional<model::ContractType> contract_type;
};

struct PlanDefaults {
  std::optional<model::Date> start;  // default for every trade; the contract's dates otherwise
  std::optional<model::Date> end;
  double weekly_hours = 35.0;  // full time (durée légale)
  model::ContractType contract_type = model::ContractType::kCdd;
  std::uint32_t first_opening_id = 1;
};

struct PlannedOpening {
  model::Opening opening;  // status kDraft
  double hours = 0.0;      // the trade's share of the clause hours (whole hours)
  double weeks = 0.0;
  double capacity_hours = 0.0;  // positions × weekly hours × weeks
};

struct Plan {
  double total_hours = 0.0;
  std::vector<PlannedOpening> openings;
};

// Where a clause's labour share comes from, the one rule both doors apply:
//   1. the share given for this contract;
//   2. else the contract's CPV code in `table` (longest prefix);
//   3. else the trades' entries in `table` (fiche, parent, domaine, grand domaine), weighted by
//      their shares of the hours (trades without a share split the rest equally).
// `source` says which, in words ("CPV 454421 (Travaux de peinture), default table"). nullopt with
// a problem on /labour_share (or /trades/i) when none applies.
struct LabourShareChoice {
  double share = 0.0;
  std::string source;
};
std::optional<LabourShareChoice> ResolveLabourShare(std::optional<double> given, std::string_view cpv,
                                                    std::span<const TradeShare> trades, const LabourShareTable& table,
                                                    const model::Referential& ref, model::Problems& problems);

// Splits `hours` (usually contract.insertion_hours) between `trades`. Every problem is reported,
// with paths such as "/trades/1/share"; nullopt then.
std::optional<Plan> PlanOpenings(const model::Contract& contract, double hours, std::span<const TradeShare> trades,
                                 const PlanDefaults& defaults, model::Problems& problems);

// Largest-remainder apportionment of `total` whole units by `weights` (non-negative, not all 0).
std::vector<long long> Apportion(long long total, std::span<const double> weights);

// Weeks of [start, end] (inclusive), and the positions needed to work `hours` in them.
double WeeksBetween(model::Date start, model::Date end);
int PositionsFor(double hours, double weekly_hours, double weeks);

// Changes to a draft opening; unset fields stay as they are.
struct OpeningEdit {
  std::optional<int> positions;
  std::optional<double> weekly_hours;
  std::optional<model::Date> start;
  std::optional<model::Date> end;
  std::optional<model::AppellationCode> appellation;
  std::optional<model::RomeCode> fiche;
  std::optional<model::ContractType> contract_type;
  std::optional<double> max_distance_km;
};

// Applies `edit` when the opening is still a draft and the result validates (against `contract`
// when given); otherwise leaves it untouched and returns the problems.
model::Problems EditDraftOpening(model::Opening& opening, const OpeningEdit& edit,
                                 const model::Contract* contract = nullptr);

// Draft -> open; from then on EditDraftOpening refuses it.
model::Problems OpenOpening(model::Opening& opening, const model::Contract* contract = nullptr);

}  // namespace clausematch::lifecycle
