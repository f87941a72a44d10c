#include "lifecycle/plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace clausematch::lifecycle {
namespace {

// A contract whose dates were never set holds two 1970-01-01 dates: no period to check against.
bool HasPeriod(const model::Contract& c) { return c.end > c.start; }

}  // namespace

std::vector<long long> Apportion(long long total, std::span<const double> weights) {
  std::vector<long long> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (weights.empty() || !(sum > 0) || total <= 0) return out;
  std::vector<std::pair<double, std::size_t>> remainders;
  long long given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<long long>(std::floor(exact));
    given += out[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  // Largest remainder first; ties to the earlier trade so the result is deterministic.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total && k < remainders.size(); ++k, ++given) ++out[remainders[k].second];
  return out;
}

double WeeksBetween(model::Date start, model::Date end) { return static_cast<double>(end - start + 1) / 7.0; }

int PositionsFor(double hours, double weekly_hours, double weeks) {
  const double per_position = weekly_hours * weeks;
  if (!(per_position > 0) || !(hours > 0)) return 1;
  // The epsilon keeps an exact fit (e.g. 700 h for 20 weeks at 35 h) from becoming 2 positions.
  const double needed = std::ceil(hours / per_position - 1e-9);
  // Beyond int (weekly hours near zero): saturate; PlanOpenings refuses more than kMaxPositions.
  if (!(needed < static_cast<double>(std::numeric_limits<int>::max()))) return std::numeric_limits<int>::max();
  return std::max(1, static_cast<int>(needed));
}

std::optional<Plan> PlanOpenings(const model::Contract& contract, double hours, std::span<const TradeShare> trades,
                                 const PlanDefaults& defaults, model::Problems& problems) {
  const auto before = problems.size();
  if (!(hours > 0)) problems.push_back({"/hours", "out_of_range", "the clause has no insertion hours to split"});
  if (!(hours <= model::kMaxInsertionHours))
    problems.push_back({"/hours", "out_of_range", "a clause owes at most 1e8 insertion hours"});
  if (trades.empty()) problems.push_back({"/trades", "required", "at least one trade is needed"});
  if (!(defaults.weekly_hours > 0 && defaults.weekly_hours <= model::kMaxWeeklyHours))
    problems.push_back({"/weekly_hours", "out_of_range", "weekly hours must be in (0, 48]"});

  double explicit_sum = 0.0;
  std::size_t implicit = 0;
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const auto& t = trades[i];
    const std::string path = "/trades/" + std::to_string(i);
    if (t.appellation == 0 && !t.fiche.valid())
      problems.push_back({path, "required", "a trade needs an appellation or a fiche"});
    if (t.share) {
      if (!(*t.share > 0 && *t.share <= 1))
        problems.push_back({path + "/share", "out_of_range", "a share must be in (0, 1]"});
      else
        explicit_sum += *t.share;
    } else {
      ++implicit;
    }
    if (t.weekly_hours && !(*t.weekly_hours > 0 && *t.weekly_hours <= model::kMaxWeeklyHours))
      problems.push_back({path + "/weekly_hours", "out_of_range", "weekly hours must be in (0, 48]"});
    const auto start = t.start               ? t.start
                       : defaults.start      ? defaults.start
                       : HasPeriod(contract) ? std::optional(contract.start)
                                             : std::nullopt;
    const auto end = t.end                 ? t.end
                     : defaults.end        ? defaults.end
                     : HasPeriod(contract) ? std::optional(contract.end)
                                           : std::nullopt;
    if (!start || !end) {
      problems.push_back({path + "/start", "required", "an opening needs start and end dates"});
    } else {
      if (*end < *start) problems.push_back({path + "/end", "out_of_range", "the end is before the start"});
      if (HasPeriod(contract) && (*start < contract.start || *end > contract.end))
        problems.push_back({path + "/start", "out_of_range",
                            "the opening's dates must lie within the contract's (" + contract.start.ToString() +
                                " to " + contract.end.ToString() + ")"});
    }
  }
  constexpr double kTolerance = 1e-6;
  if (implicit == 0 && std::abs(explicit_sum - 1.0) > kTolerance && !trades.empty())
    problems.push_back({"/trades", "out_of_range", "the trades' shares must add up to 1"});
  if (implicit > 0 && explicit_sum >= 1.0 - kTolerance)
    problems.push_back({"/trades", "out_of_range", "explicit shares leave nothing for the trades without one"});
  if (problems.size() != before) return std::nullopt;

  std::vector<double> weights;
  for (const auto& t : trades)
    weights.push_back(t.share ? *t.share : (1.0 - explicit_sum) / static_cast<double>(implicit));
  const auto whole = Apportion(std::llround(hours), weights);

  Plan plan;
  plan.total_hours = static_cast<double>(std::llround(hours));
  std::uint32_t next_id = defaults.first_opening_id;
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const auto& t = trades[i];
    PlannedOpening p;
    auto& o = p.opening;
    o.id = model::OpeningId(next_id++);
    o.contract = contract.id;
    o.appellation = t.appellation;
    o.fiche = t.fiche;
    o.weekly_hours = t.weekly_hours.value_or(defaults.weekly_hours);
    o.start = t.start ? *t.start : defaults.start ? *defaults.start : contract.start;
    o.end = t.end ? *t.end : defaults.end ? *defaults.end : contract.end;
    o.worksite_insee = contract.worksite_insee;
    o.worksite_location = contract.worksite_location;
    o.contract_type = t.contract_type.value_or(defaults.contract_type);
    o.status = model::OpeningStatus::kDraft;
    p.hours = static_cast<double>(whole[i]);
    p.weeks = WeeksBetween(o.start, o.end);
    o.positions = PositionsFor(p.hours, o.weekly_hours, p.weeks);
    if (o.positions > model::kMaxPositions)
      problems.push_back({"/trades/" + std::to_string(i), "out_of_range",
                          "the trade's " + std::to_string(whole[i]) +
                              " hours need more than 10000 positions at its weekly hours over its period"});
    p.capacity_hours = o.positions * o.weekly_hours * p.weeks;
    plan.openings.push_back(std::move(p));
  }
  if (problems.size() != before) return std::nullopt;
  return plan;
}

model::Problems EditDraftOpening(model::Opening& opening, const OpeningEdit& edit, const model::Contract* contract) {
  if (opening.status != model::OpeningStatus::kDraft)
    return {{"/status", "not_editable",
             "opening " + std::to_string(opening.id.value()) + " is " + std::string(model::Code(opening.status)) +
                 ": only draft openings can be edited"}};
  model::Opening copy = opening;
  if (edit.positions) copy.positions = *edit.positions;
  if (edit.weekly_hours) copy.weekly_hours = *edit.weekly_hours;
  if (edit.start) copy.start = *edit.start;
  if (edit.end) copy.end = *edit.end;
  if (edit.appellation) copy.appellation = *edit.appellation;
  if (edit.fiche) copy.fiche = *edit.fiche;
  if (edit.contract_type) copy.contract_type = *edit.contract_type;
  if (edit.max_distance_km) copy.max_distance_km = *edit.max_distance_km;
  auto problems = model::Validate(copy, contract);
  if (problems.empty()) opening = std::move(copy);
  return problems;
}

model::Problems OpenOpening(model::Opening& opening, const model::Contract* contract) {
  if (opening.status != model::OpeningStatus::kDraft)
    return {{"/status", "not_editable", "only a draft opening can be opened"}};
  auto problems = model::Validate(opening, contract);
  if (problems.empty()) opening.status = model::OpeningStatus::kOpen;
  return problems;
}

std::optional<LabourShareChoice> ResolveLabourShare(std::optional<double> given, std::string_view cpv,
                                                    std::span<const TradeShare> trades, const LabourShareTable& table,
                                                    const model::Referential& ref, model::Problems& problems) {
  if (given) return LabourShareChoice{*given, "given"};
  if (!cpv.empty()) {
    if (const auto* e = table.ForCpv(cpv))
      return LabourShareChoice{
          e->share, "CPV " + e->key + " (" + e->label + ")" + (e->user_defined ? ", user table" : ", default table")};
    if (trades.empty()) {
      problems.push_back({"/labour_share", "required",
                          "no labour share for CPV code " + std::string(cpv) + "; give the labour share"});
      return std::nullopt;
    }
  }
  if (trades.empty()) {
    problems.push_back({"/labour_share", "required",
                        "give the labour share, or a CPV code or trades to take it from the labour-share table"});
    return std::nullopt;
  }
  double explicit_sum = 0;
  int implicit = 0;
  for (const auto& t : trades) {
    if (t.share)
      explicit_sum += *t.share;
    else
      ++implicit;
  }
  LabourShareChoice choice;
  double weight_sum = 0;
  std::string sources;
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const auto& t = trades[i];
    const auto* fiche = ref.FindFiche(t.fiche);
    const auto* entry = table.ForFiche(t.fiche, fiche ? fiche->parent : model::RomeCode{});
    if (entry == nullptr) {
      problems.push_back(
          {"/trades/" + std::to_string(i), "no_labour_share",
           "no default labour share for trade " + std::string(t.fiche.view()) + "; give the labour share"});
      continue;
    }
    const double w = t.share ? *t.share : implicit ? (1 - explicit_sum) / implicit : 0;
    choice.share += w * entry->share;
    weight_sum += w;
    sources +=
        (sources.empty() ? "" : ", ") + std::string(Code(entry->kind)) + " " + entry->key + " (" + entry->label + ")";
  }
  if (!problems.empty()) return std::nullopt;
  if (weight_sum > 0) choice.share /= weight_sum;
  choice.source = "default table: " + sources;
  return choice;
}

}  // namespace clausematch::lifecycle
