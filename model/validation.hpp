#pragma once
// Structural validation of domain objects. Every problem is returned (never just the first),
// each with a JSON-pointer field path ("/criteria/1/proof_date") so an API can answer with all
// invalid fields at once and a CSV import can name the column.
//
// Checks that need reference data (does commune 59350 exist? is appellation 10200 a real one?)
// belong to the codecs in data/, which know the Referential.
#include <cstdint>
#include <string>
#include <vector>

#include "model/contract.hpp"
#include "model/date.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"

namespace clausematch::model {

struct Problem {
  std::string field;    // JSON pointer relative to the object, "" for the whole object
  std::string code;     // stable machine code: "required", "out_of_range", "invalid_format"...
  std::string message;  // English sentence for people
  friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

// `today` anchors checks such as "a proof cannot be dated in the future". Proof checks: a
// valid_until before the proof date ("/criteria/i/valid_until", "before_proof_date"), on an age
// criterion ("not_applicable"), missing on an RQTH or residence-title proof ("required").
Problems Validate(const Participant& p, Date today);
Problems Validate(const Contract& c);
// `contract` (when known) lets the opening be checked against the contract's dates.
Problems Validate(const Opening& o, const Contract* contract = nullptr);
Problems Validate(const Placement& p);

// A syntactically valid INSEE commune code: 5 characters, digits, or 2A/2B for Corsica.
bool IsInseeCode(std::string_view code);

// Prefix every problem's field with `prefix` (e.g. "/participants/3").
void PrefixFields(Problems& problems, const std::string& prefix);

inline constexpr double kMinRadiusKm = 2.0;
inline constexpr double kMaxRadiusKm = 100.0;
inline constexpr double kMaxWeeklyHours = 48.0;  // Code du travail maximum
// Sanity bounds on what a contract may hold, far above any real one: a value beyond them is a unit
// or typing mistake, or a computation gone wrong (a sizing divided by a near-zero hourly cost),
// and is refused before it is stored.
inline constexpr double kMaxAmountEur = 1e12;  // excluding VAT
// Hourly cost of labour (sizing, subcontracting amounts): at least 1 €/h, at most 1000 €/h.
inline constexpr double kMinHourlyCostEur = 1.0;
inline constexpr double kMaxHourlyCostEur = 1000.0;
inline constexpr double kMaxInsertionHours = 1e8;  // ~55,000 full-time years
inline constexpr int kMaxPositions = 10000;        // per opening

}  // namespace clausematch::model
