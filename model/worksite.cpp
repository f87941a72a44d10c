#include "model/worksite.hpp"

namespace clausematch::model {

std::string_view WorksiteCommune(const Contract& contract, const Opening& opening) {
  return opening.worksite_insee.empty() ? std::string_view(contract.worksite_insee)
                                        : std::string_view(opening.worksite_insee);
}

std::optional<GeoPoint> WorksiteOf(const Contract& contract, const Referential& ref) {
  if (contract.worksite_location) return contract.worksite_location;
  if (const auto* commune = ref.FindCommune(contract.worksite_insee)) return commune->centre;
  return std::nullopt;
}

std::optional<GeoPoint> WorksiteOf(const Contract& contract, const Opening& opening, const Referential& ref) {
  if (opening.worksite_location) return opening.worksite_location;
  if (const auto* commune = ref.FindCommune(opening.worksite_insee)) return commune->centre;
  return WorksiteOf(contract, ref);
}

}  // namespace clausematch::model
