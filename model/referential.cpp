#include "model/referential.hpp"

#include <algorithm>
#include <stdexcept>

namespace clausematch::model {
namespace {

constexpr std::uint32_t kMaxRomeKey = 27u * 10000u;

// Builds a CSR adjacency (offsets of size n+1, items grouped by source index).
template <typename Item, typename KeyFn>
void BuildCsr(std::size_t n, const std::vector<std::pair<RomeCode, Item>>& pairs, KeyFn index_of,
              std::vector<std::uint32_t>& offsets, std::vector<Item>& items) {
  offsets.assign(n + 1, 0);
  for (const auto& [code, item] : pairs) {
    auto i = index_of(code);
    if (i != Referential::kNoIndex) ++offsets[i + 1];
  }
  for (std::size_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  items.resize(offsets[n]);
  std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (const auto& [code, item] : pairs) {
    auto i = index_of(code);
    if (i != Referential::kNoIndex) items[cursor[i]++] = item;
  }
}

}  // namespace

Referential::Referential(Tables tables) : t_(std::move(tables)) {
  for (std::uint32_t i = 0; i < t_.communes.size(); ++i) {
    const auto& c = t_.communes[i];
    commune_by_insee_.emplace(c.insee, i);
    for (const auto& cp : c.postal_codes) communes_by_postal_[cp].push_back(i);
  }
  for (std::uint32_t i = 0; i < t_.departements.size(); ++i) departement_by_code_.emplace(t_.departements[i].code, i);
  for (std::uint32_t i = 0; i < t_.regions.size(); ++i) region_by_code_.emplace(t_.regions[i].code, i);

  fiche_by_key_.assign(kMaxRomeKey, kNoIndex);
  for (std::uint32_t i = 0; i < t_.fiches.size(); ++i) {
    auto key = t_.fiches[i].code.key();
    if (key >= kMaxRomeKey) throw std::invalid_argument("ROME code out of range: " + t_.fiches[i].code.str());
    fiche_by_key_[key] = i;
  }
  for (std::uint32_t i = 0; i < t_.appellations.size(); ++i) appellation_by_code_.emplace(t_.appellations[i].code, i);
  for (std::uint32_t i = 0; i < t_.skills.size(); ++i) skill_by_code_.emplace(t_.skills[i].code, i);

  auto index_of = [this](RomeCode c) { return FicheIndex(c); };
  // Core skills first, then by code: a stable order every consumer can rely on.
  std::stable_sort(t_.fiche_skills.begin(), t_.fiche_skills.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second.core != b.second.core) return a.second.core;
    return a.second.skill < b.second.skill;
  });
  BuildCsr(t_.fiches.size(), t_.fiche_skills, index_of, skill_offsets_, skill_items_);
  std::stable_sort(t_.mobility.begin(), t_.mobility.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second.rank < b.second.rank;
  });
  BuildCsr(t_.fiches.size(), t_.mobility, index_of, mobility_offsets_, mobility_items_);

  std::vector<std::pair<RomeCode, std::uint32_t>> app_pairs;
  app_pairs.reserve(t_.appellations.size());
  for (std::uint32_t i = 0; i < t_.appellations.size(); ++i) app_pairs.emplace_back(t_.appellations[i].fiche, i);
  BuildCsr(t_.fiches.size(), app_pairs, index_of, appellation_offsets_, appellation_items_);
}

const Commune* Referential::FindCommune(std::string_view insee) const {
  auto it = commune_by_insee_.find(insee);
  return it == commune_by_insee_.end() ? nullptr : &t_.communes[it->second];
}

std::uint32_t Referential::CommuneIndex(std::string_view insee) const {
  auto it = commune_by_insee_.find(insee);
  return it == commune_by_insee_.end() ? kNoIndex : it->second;
}

std::span<const std::uint32_t> Referential::CommunesByPostalCode(std::string_view postal_code) const {
  auto it = communes_by_postal_.find(postal_code);
  if (it == communes_by_postal_.end()) return {};
  return it->second;
}

const Departement* Referential::FindDepartement(std::string_view code) const {
  auto it = departement_by_code_.find(code);
  return it == departement_by_code_.end() ? nullptr : &t_.departements[it->second];
}

const Region* Referential::FindRegion(std::string_view code) const {
  auto it = region_by_code_.find(code);
  return it == region_by_code_.end() ? nullptr : &t_.regions[it->second];
}

std::uint32_t Referential::FicheIndex(RomeCode code) const {
  auto key = code.key();
  return key < fiche_by_key_.size() ? fiche_by_key_[key] : kNoIndex;
}

const Fiche* Referential::FindFiche(RomeCode code) const {
  auto i = FicheIndex(code);
  return i == kNoIndex ? nullptr : &t_.fiches[i];
}

const Appellation* Referential::FindAppellation(AppellationCode code) const {
  auto it = appellation_by_code_.find(code);
  return it == appellation_by_code_.end() ? nullptr : &t_.appellations[it->second];
}

const Skill* Referential::FindSkill(SkillCode code) const {
  auto it = skill_by_code_.find(code);
  return it == skill_by_code_.end() ? nullptr : &t_.skills[it->second];
}

std::span<const FicheSkill> Referential::SkillsOf(RomeCode fiche) const {
  auto i = FicheIndex(fiche);
  if (i == kNoIndex) return {};
  return std::span<const FicheSkill>(skill_items_)
      .subspan(skill_offsets_[i], skill_offsets_[i + 1] - skill_offsets_[i]);
}

std::span<const MobilityLink> Referential::MobilityFrom(RomeCode fiche) const {
  auto i = FicheIndex(fiche);
  if (i == kNoIndex) return {};
  return std::span<const MobilityLink>(mobility_items_)
      .subspan(mobility_offsets_[i], mobility_offsets_[i + 1] - mobility_offsets_[i]);
}

std::span<const std::uint32_t> Referential::AppellationsOf(RomeCode fiche) const {
  auto i = FicheIndex(fiche);
  if (i == kNoIndex) return {};
  return std::span<const std::uint32_t>(appellation_items_)
      .subspan(appellation_offsets_[i], appellation_offsets_[i + 1] - appellation_offsets_[i]);
}

}  // namespace clausematch::model
