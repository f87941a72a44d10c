#pragma once
// The indicators funders ask for (Département, European Social Fund), for a period and a territory.
// Definitions are in docs/lifecycle.md; in short, with P = [from, to]:
//
//   contracts in scope   worksite in the territory, contract dates overlapping P
//   placements in scope  hired or ended, on a contract whose worksite is in the territory, with
//                        dates overlapping P
//   participants         distinct people of the placements in scope; entry = their earliest start
//
// With TerritoryBasis::kResidence the territory selects people by their home commune instead:
// placements in scope are those of people living in the territory, on any contract; contracts
// in scope are the contracts of those placements (dates overlapping P).
//
// Participants are also counted by public at entry (kReportedPublics, model::CriteriaAtEntry);
// docs/lifecycle.md lists every indicator.
//
// Every indicator about people is also given for each sex (model::Sex: femme, homme, non
// renseigné), computed on the people of that sex alone: rows with `sex` set, after the rows for
// everyone. Each such row is the part of a margin (everyone = femme + homme + non renseigné) that
// secondary suppression protects like any other. Indicators of contracts and structures (hours
// forecast, clauses by type, SIAE by kind) have no breakdown by sex.
//
// Small-count protection (statistical disclosure control). A count of people between 1 and
// threshold-1 (default 5) is a primary suppression, shown "<5". Where published cells are tied by an
// equation (a total and its parts, e.g. hires by contract type), a single hidden cell could be
// recomputed from the others: secondary suppression then hides one more cell (the smallest part,
// else the total), shown "s", until no equation has exactly one hidden cell. An "of whom" count
// (RSA recipients, under-26s) is also hidden when its complement (participants minus it) is between
// 1 and threshold-1, since it would tell that all but a handful share the trait. Realised hours are
// hidden when fewer than `threshold` people worked them. Counts of contracts and of SIAE (legal
// entities, not people) are not suppressed. Zero is shown as 0.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/dataset.hpp"
#include "model/referential.hpp"
#include "model/siae.hpp"

namespace clausematch::lifecycle {

// Which commune places a person in the territory: the worksite of the contract (the default) or
// the person's home (a Département counts its own residents, wherever they work).
enum class TerritoryBasis : std::uint8_t { kWorksite, kResidence };
std::string_view Code(TerritoryBasis basis);  // "worksite", "residence"
std::optional<TerritoryBasis> ParseTerritoryBasis(std::string_view code);

struct IndicatorQuery {
  std::optional<model::Date> from;
  std::optional<model::Date> to;
  std::string departement;  // "59"; empty = any
  std::string region;       // "32"; empty = any
  TerritoryBasis territory_of = TerritoryBasis::kWorksite;
  int threshold = 5;  // counts of people in [1, threshold) are suppressed; 1 disables
};

// The publics funders break figures down by, each counted at entry (model::CriteriaAtEntry):
// RSA, DELD, DETLD, RQTH, 50 and over, QPV, ASE, under 26, low qualification.
inline constexpr model::Criterion kReportedPublics[] = {
    model::Criterion::kRsa,  model::Criterion::kDeld,   model::Criterion::kDetld,
    model::Criterion::kRqth, model::Criterion::kSenior, model::Criterion::kQpv,
    model::Criterion::kAse,  model::Criterion::kJeune,  model::Criterion::kNiveauFormation};

enum class CellStatus { kShown, kPrimary, kSecondary };

struct Cell {
  double value = 0.0;
  bool people = false;  // about people (a count, or hours they worked): subject to suppression
  bool hours = false;   // hours or a percentage, not a count: printed with decimals, hidden as "s"
  CellStatus status = CellStatus::kShown;
};

struct IndicatorRow {
  std::string section;    // "hours", "participants", "hires_by_contract_type", "clauses_by_type",
                          // "siae_by_kind", "outcomes_6_months", "outcomes_12_months"
  std::string indicator;  // stable code: "hours_realised", "rsa", "contract_type"...
  std::string category;   // enum code for breakdowns ("cdd", "EI"...), "total" for their total
  std::string label;      // French label
  Cell cell;
  std::string sex;  // "" for everyone, else the model::Sex code of the people counted
};

struct IndicatorReport {
  IndicatorQuery query;
  std::optional<model::Date> as_of;  // the dataset's date, used when `to` is absent
  int contracts_in_scope = 0;
  int placements_in_scope = 0;
  std::vector<IndicatorRow> rows;
  // Published equations: rows[e[0]] = sum of rows[e[1..]] (a total and its parts).
  std::vector<std::vector<std::size_t>> equations;
  // "Of whom" rows: (part, total) pairs whose complement total - part is not published.
  std::vector<std::pair<std::size_t, std::size_t>> of_whom;

  // The row for everyone (sex "") unless a sex code is given.
  [[nodiscard]] const IndicatorRow* Find(std::string_view indicator, std::string_view category = {},
                                         std::string_view sex = {}) const;
};

// `ref` resolves worksite communes to départements and régions (required when the query names a
// territory; contracts whose commune is unknown are then out of scope). `siae_directory` gives the
// kind of an employer by SIRET (EI vs ACI for subcontracting); may be empty. `dataset` must be
// indexed.
IndicatorReport ComputeIndicators(const model::Dataset& dataset, const model::Referential* ref,
                                  std::span<const model::Siae> siae_directory, const IndicatorQuery& query);

// Applies the suppression rules to `report.rows` (ComputeIndicators calls it; exposed for tests).
void Suppress(IndicatorReport& report);

// How a cell is printed: "12", "833.5" (or "833,5" with a decimal comma), "<5", "s".
std::string DisplayValue(const Cell& cell, int threshold, bool decimal_comma = false);

// One line per participant in scope, without names, birth dates or addresses.
struct ParticipantRow {
  std::string pseudonym;    // from the caller's pseudonymiser (a keyed hash: service/pseudonym.hpp)
  std::string departement;  // of the first placement's worksite
  std::string entry_month;  // "2025-03"
  std::string age_band;     // at entry: "under_26", "26_49", "50_plus"
  bool rsa = false;
  std::string sex;               // model::Sex code ("non_renseigne" for a person unknown to the dataset)
  std::string contract_type;     // of the first placement
  double hours_realised = 0;     // in the period
  std::string outcome_6_months;  // outcome code, "" when not recorded
  std::string outcome_12_months;
};

// The pseudonym of a person, given the id and the record (null when the dataset lacks it). The
// doors pass a keyed hash (service/pseudonym.hpp); lifecycle stays free of cryptographic libraries.
using PseudonymFn = std::function<std::string(model::ParticipantId, const model::Participant*)>;

std::vector<ParticipantRow> ParticipantRows(const model::Dataset& dataset, const model::Referential* ref,
                                            const IndicatorQuery& query, const PseudonymFn& pseudonym);

}  // namespace clausematch::lifecycle
