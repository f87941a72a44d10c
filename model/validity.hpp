#pragma once
// The days a proof, a prescriber's diagnosis or a facilitator derogation is valid. One last-day
// convention for all three (LastDayOfPeriod in criteria.hpp): dated d and valid N months means
// valid on d, ..., AddMonths(d, N) - 1 day; a document's own end date (valid_until) is inclusive.
//
//   proof of a kMonths criterion   [d, min(LastDayOfPeriod(d, months), valid_until)]
//   proof of a kUntilDate one      [d, valid_until]  (records without it: LastDayOfPeriod(d, months))
//   PASS IAE (kPassIae)            [d, valid_until]  or [d, LastDayOfPeriod(d, 24)] without it
//   diagnosis dated g              [g, LastDayOfPeriod(g, 6)]
//   derogation granted g           [g, LastDayOfPeriod(g, 6)]
//
// An age criterion has no proof period: it is judged from the birth date on the day concerned.
#include <optional>

#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/participant.hpp"

namespace clausematch::model {

// Days [first, last], both inclusive (empty when last < first).
struct DayRange {
  Date first;
  Date last;
  [[nodiscard]] constexpr bool Contains(Date d) const { return first <= d && d <= last; }
  friend constexpr bool operator==(DayRange, DayRange) = default;
};

// nullopt for an age criterion and for a document proof without a proof date (it proves nothing).
std::optional<DayRange> ProofValidity(const CriterionProof& proof);
// nullopt without a diagnosis date.
std::optional<DayRange> DiagnosisValidity(const Participant& p);
// nullopt without a derogation.
std::optional<DayRange> DerogationValidity(const Participant& p);

}  // namespace clausematch::model
