#include "lifecycle/siae_sourcing.hpp"

#include <algorithm>

namespace clausematch::lifecycle {
namespace {

std::string Key(model::RomeCode code, std::string_view naf) {
  std::string k = code.str();
  k += '|';
  k += naf;
  return k;
}

// True when `a` is stronger evidence than `b`: a hiring share beats a division listing.
bool Stronger(const SectorMatch& a, const SectorMatch& b) {
  if (a.hire_share != b.hire_share) return a.hire_share > b.hire_share;
  return a.division_listed && !b.division_listed;
}

}  // namespace

SectorFit::SectorFit(std::span<const model::NafRomeLink> links, double min_hire_share)
    : min_hire_share_(min_hire_share) {
  for (const auto& l : links) {
    if (l.division_only) {
      divisions_[Key(l.rome, l.naf)] = true;
    } else {
      hires_[Key(l.rome, l.naf)] += l.hires;
      total_hires_[l.rome] += l.hires;
    }
  }
}

std::optional<SectorMatch> SectorFit::MatchCode(model::RomeCode code, std::string_view naf) const {
  SectorMatch m;
  m.via = code;
  if (const auto t = total_hires_.find(code); t != total_hires_.end() && t->second > 0)
    if (const auto h = hires_.find(Key(code, naf)); h != hires_.end()) m.hire_share = h->second / t->second;
  if (naf.size() >= 2) m.division_listed = divisions_.contains(Key(code, naf.substr(0, 2)));
  if (m.hire_share < min_hire_share_) m.hire_share = 0.0;
  if (m.hire_share == 0.0 && !m.division_listed) return std::nullopt;
  return m;
}

std::optional<SectorMatch> SectorFit::Match(const TradeFiche& trade, std::string_view naf) const {
  if (naf.empty() || !trade.fiche.valid()) return std::nullopt;
  auto best = MatchCode(trade.fiche, naf);
  if (trade.parent.valid() && trade.parent != trade.fiche)
    if (auto p = MatchCode(trade.parent, naf); p && (!best || Stronger(*p, *best))) best = p;
  return best;
}

SourcingResult SourceSiae(std::span<const model::Siae> directory, const SectorFit& fit, const SourcingQuery& query) {
  SourcingResult result;
  for (const auto& s : directory) {
    if (!s.location) {
      ++result.without_location;
      continue;
    }
    const double km = model::HaversineKm(query.worksite, *s.location);
    if (km > query.max_km) continue;
    ++result.in_reach;
    SourcedSiae found{&s, km, std::nullopt, {}};
    const bool staffing =
        s.kind == model::SiaeKind::kEtti || s.kind == model::SiaeKind::kAi || s.kind == model::SiaeKind::kGeiq;
    for (const auto& trade : query.trades) {
      const auto m = fit.Match(trade, s.naf);
      if (m && (!found.match || Stronger(*m, *found.match))) {
        found.match = m;
        found.trade = trade.fiche;
      }
    }
    if (!found.match && staffing && query.staffing_any_trade && !query.trades.empty()) {
      found.match = SectorMatch{0.0, false, true, query.trades.front().fiche};
      found.trade = query.trades.front().fiche;
    }
    if (!found.match) {
      ++result.sector_mismatch;
      if (!query.any_sector) continue;
    }
    result.by_kind[s.kind].push_back(found);
  }
  for (auto& [kind, list] : result.by_kind)
    std::stable_sort(list.begin(), list.end(),
                     [](const SourcedSiae& a, const SourcedSiae& b) { return a.distance_km < b.distance_km; });
  return result;
}

}  // namespace clausematch::lifecycle
