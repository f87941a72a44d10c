#pragma once
// The reference data the engine reasons with: French communes (COG) and the ROME 4.0 job
// referential. Immutable once built; every lookup is O(1) (hash or dense index).
//
// The type lives in model/ (standard library only) so the matcher can use it without depending
// on the CSV loaders; data/referential_loader builds it from the files in data/.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/geo.hpp"
#include "model/ids.hpp"
#include "model/rome_code.hpp"

namespace clausematch::model {

struct Commune {
  std::string insee;         // "59350"
  std::string name;          // "Lille"
  std::string departement;   // "59"
  std::string region;        // "32"
  std::string parent_insee;  // for Paris/Lyon/Marseille arrondissements, the city's code
  bool arrondissement = false;
  std::uint32_t population = 0;
  GeoPoint centre;
  std::vector<std::string> postal_codes;
  std::string zone_emploi;
};

struct Departement {
  std::string code;
  std::string name;
  std::string region;
  std::string chef_lieu;
};

struct Region {
  std::string code;
  std::string name;
};

struct Fiche {
  RomeCode code;
  RomeCode parent;  // historical (ROME v3) parent fiche
  std::string label;
  std::string domaine_professionnel;  // "F17"
};

struct Appellation {
  AppellationCode code = 0;
  std::string label;
  std::string short_label;
  RomeCode fiche;
  bool principal = false;  // the fiche's main title
  bool rare = false;       // peu usité
};

enum class SkillKind : std::uint8_t { kSavoirFaire, kSavoirEtre, kSavoir };

struct Skill {
  SkillCode code = 0;
  SkillKind kind = SkillKind::kSavoirFaire;
  std::string label;
};

// A skill attached to a fiche; `core` = coeur de métier "Principale".
struct FicheSkill {
  SkillCode skill = 0;
  bool core = false;
  bool emerging = false;
};

// France Travail's "mobilité professionnelle" suggestion from one fiche to another.
struct MobilityLink {
  RomeCode target;
  int rank = 1;  // 1 = closest
};

class Referential {
 public:
  // Raw tables, filled by a loader; the constructor builds the indices.
  struct Tables {
    std::vector<Commune> communes;
    std::vector<Departement> departements;
    std::vector<Region> regions;
    std::vector<Fiche> fiches;
    std::vector<Appellation> appellations;
    std::vector<Skill> skills;
    // (fiche, skill) and (fiche, link) pairs in any order.
    std::vector<std::pair<RomeCode, FicheSkill>> fiche_skills;
    std::vector<std::pair<RomeCode, MobilityLink>> mobility;
  };

  explicit Referential(Tables tables);

  [[nodiscard]] const Commune* FindCommune(std::string_view insee) const;
  [[nodiscard]] std::span<const std::uint32_t> CommunesByPostalCode(std::string_view postal_code) const;
  [[nodiscard]] const Departement* FindDepartement(std::string_view code) const;
  [[nodiscard]] const Region* FindRegion(std::string_view code) const;
  [[nodiscard]] const Fiche* FindFiche(RomeCode code) const;
  [[nodiscard]] const Appellation* FindAppellation(AppellationCode code) const;
  [[nodiscard]] const Skill* FindSkill(SkillCode code) const;
  // Skills of a fiche, core skills first; empty span for an unknown fiche.
  [[nodiscard]] std::span<const FicheSkill> SkillsOf(RomeCode fiche) const;
  // Mobility links from a fiche, by increasing rank.
  [[nodiscard]] std::span<const MobilityLink> MobilityFrom(RomeCode fiche) const;
  // Appellations of a fiche (indices into appellations()).
  [[nodiscard]] std::span<const std::uint32_t> AppellationsOf(RomeCode fiche) const;

  [[nodiscard]] std::span<const Commune> communes() const { return t_.communes; }
  [[nodiscard]] std::span<const Departement> departements() const { return t_.departements; }
  [[nodiscard]] std::span<const Region> regions() const { return t_.regions; }
  [[nodiscard]] std::span<const Fiche> fiches() const { return t_.fiches; }
  [[nodiscard]] std::span<const Appellation> appellations() const { return t_.appellations; }
  [[nodiscard]] std::span<const Skill> skills() const { return t_.skills; }
  [[nodiscard]] std::uint32_t FicheIndex(RomeCode code) const;  // kNoIndex when unknown
  [[nodiscard]] std::uint32_t CommuneIndex(std::string_view insee) const;

  static constexpr std::uint32_t kNoIndex = 0xffffffffu;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using StringIndex = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

  Tables t_;
  StringIndex commune_by_insee_;
  StringIndex departement_by_code_;
  StringIndex region_by_code_;
  std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>> communes_by_postal_;
  std::vector<std::uint32_t> fiche_by_key_;  // RomeCode::key() -> fiche index
  std::unordered_map<AppellationCode, std::uint32_t> appellation_by_code_;
  std::unordered_map<SkillCode, std::uint32_t> skill_by_code_;
  // CSR adjacency per fiche index.
  std::vector<std::uint32_t> skill_offsets_;
  std::vector<FicheSkill> skill_items_;
  std::vector<std::uint32_t> mobility_offsets_;
  std::vector<MobilityLink> mobility_items_;
  std::vector<std::uint32_t> appellation_offsets_;
  std::vector<std::uint32_t> appellation_items_;
};

}  // namespace clausematch::model
