#pragma once
// Structures d'insertion par l'activité économique (SIAE) and neighbouring inclusive employers, as
// listed in a directory snapshot (data/reference/siae). A facilitator proposes them to a contract
// holder for subcontracting or for staff made available (ETTI, AI, GEIQ).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/enums.hpp"
#include "model/geo.hpp"
#include "model/rome_code.hpp"

namespace clausematch::model {

enum class SiaeKind : std::uint8_t {
  kEi,    // entreprise d'insertion
  kAci,   // atelier et chantier d'insertion
  kAi,    // association intermédiaire
  kEtti,  // entreprise de travail temporaire d'insertion
  kGeiq,  // groupement d'employeurs pour l'insertion et la qualification (not an SIAE, listed alongside)
  kEa,    // entreprise adaptée (disability sector, not an SIAE, listed alongside)
};

inline constexpr std::array<EnumEntry<SiaeKind>, 6> kSiaeKinds{{
    {SiaeKind::kEi, "EI", "Entreprise d'insertion"},
    {SiaeKind::kAci, "ACI", "Atelier et chantier d'insertion"},
    {SiaeKind::kAi, "AI", "Association intermédiaire"},
    {SiaeKind::kEtti, "ETTI", "Entreprise de travail temporaire d'insertion"},
    {SiaeKind::kGeiq, "GEIQ", "Groupement d'employeurs pour l'insertion et la qualification"},
    {SiaeKind::kEa, "EA", "Entreprise adaptée"},
}};

inline std::optional<SiaeKind> ParseSiaeKind(std::string_view code) {
  for (const auto& e : kSiaeKinds)
    if (e.code == code) return e.value;
  return std::nullopt;
}
inline std::string_view Code(SiaeKind kind) { return kSiaeKinds[static_cast<std::size_t>(kind)].code; }
inline std::string_view Label(SiaeKind kind) { return kSiaeKinds[static_cast<std::size_t>(kind)].label; }

struct Siae {
  std::string siret;
  std::string name;      // raison sociale
  std::string enseigne;  // trade name, may be empty
  SiaeKind kind = SiaeKind::kEi;
  std::string naf;  // NAF rév. 2 sub-class without the dot, e.g. "8121Z"; may be empty
  std::string postal_code;
  std::string city;
  std::string departement;
  std::string insee;                 // commune code, may be empty when unresolved
  std::optional<GeoPoint> location;  // from the directory, else the commune centre
};

// "Companies of NAF sub-class `naf` hire for fiche `rome`": one row of France Travail's
// ROME x NAF hiring table (weights = hires observed), or of its NAF-division sector tree
// (`division_only`, weight 0: the division as a whole is listed for the fiche).
struct NafRomeLink {
  RomeCode rome;    // historical (v3) code for the hiring table, ROME 4.0 code for the sector tree
  std::string naf;  // sub-class "4334Z", or a 2-digit division when division_only
  double hires = 0.0;
  bool division_only = false;
};

}  // namespace clausematch::model
