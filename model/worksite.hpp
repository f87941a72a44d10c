#pragma once
// Where an opening's work happens: the one rule every caller (the matcher's reach, SIAE sourcing,
// accepting proposals through an insertion structure) applies, so one worksite has one position.
//
//   commune   the opening's worksite commune, else its contract's;
//   location  the most precise position known, opening before contract:
//               1. the opening's own coordinates;
//               2. the centre of the opening's own commune;
//               3. the contract's coordinates;
//               4. the centre of the contract's commune.
//             nullopt when none is known (an unknown INSEE code gives no centre).
#include <optional>
#include <string_view>

#include "model/contract.hpp"
#include "model/geo.hpp"
#include "model/referential.hpp"

namespace clausematch::model {

// The opening's worksite commune, else its contract's (empty when neither names one).
[[nodiscard]] std::string_view WorksiteCommune(const Contract& contract, const Opening& opening);

// The opening's worksite position by the rule above.
[[nodiscard]] std::optional<GeoPoint> WorksiteOf(const Contract& contract, const Opening& opening,
                                                 const Referential& ref);
// A contract's own worksite position (steps 3 and 4): its coordinates, else its commune's centre.
[[nodiscard]] std::optional<GeoPoint> WorksiteOf(const Contract& contract, const Referential& ref);

}  // namespace clausematch::model
