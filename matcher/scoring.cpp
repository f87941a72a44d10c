#include "matcher/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "matcher/skill_space.hpp"

namespace clausematch::matcher {

using model::Referential;

std::vector<std::uint32_t> WantedFicheIndices(const Referential& ref, const model::Participant& p) {
  std::vector<std::uint32_t> out;
  for (const auto& code : p.wanted_fiches)
    if (auto i = ref.FicheIndex(code); i != Referential::kNoIndex) out.push_back(i);
  for (auto a : p.wanted_appellations)
    if (const auto* app = ref.FindAppellation(a))
      if (auto i = ref.FicheIndex(app->fiche); i != Referential::kNoIndex) out.push_back(i);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

RomeMatch MatchRome(const Referential& ref, std::span<const model::AppellationCode> wanted_appellations,
                    std::span<const std::uint32_t> wanted_fiches, model::AppellationCode opening_appellation,
                    std::uint32_t opening_fiche) {
  RomeMatch m;
  if (std::find(wanted_appellations.begin(), wanted_appellations.end(), opening_appellation) !=
      wanted_appellations.end()) {
    m.relation = RomeRelation::kSameAppellation;
    m.from_fiche = opening_fiche;
    return m;
  }
  if (opening_fiche == Referential::kNoIndex) return m;
  const auto fiches = ref.fiches();
  const model::Fiche& target = fiches[opening_fiche];
  for (auto w : wanted_fiches) {
    if (w == opening_fiche) {
      m.relation = RomeRelation::kSameFiche;
      m.from_fiche = w;
      return m;
    }
  }
  for (auto w : wanted_fiches) {
    if (target.parent.valid() && fiches[w].parent == target.parent) {
      m.relation = RomeRelation::kSameParent;
      m.from_fiche = w;
      return m;
    }
  }
  for (auto w : wanted_fiches) {
    for (const auto& link : ref.MobilityFrom(fiches[w].code)) {
      if (link.target != target.code) continue;
      if (m.relation == RomeRelation::kNone || link.rank < m.mobility_rank ||
          (link.rank == m.mobility_rank && w < m.from_fiche)) {
        m.relation = RomeRelation::kMobility;
        m.mobility_rank = link.rank;
        m.from_fiche = w;
      }
    }
  }
  return m;
}

SkillProfile MakeSkillProfile(const Referential& ref, std::uint32_t fiche_index,
                              std::span<const model::SkillCode> required, const ScoreWeights& w) {
  struct Item {
    model::SkillCode skill;
    double weight;
    bool core;
  };
  std::vector<Item> items;
  for (auto s : required)
    if (ref.FindSkill(s)) items.push_back({s, w.required_skill_weight, true});  // unknown codes never match
  if (fiche_index != Referential::kNoIndex)
    for (const auto& fs : ref.SkillsOf(ref.fiches()[fiche_index].code))
      if (ref.FindSkill(fs.skill))
        items.push_back({fs.skill, fs.core ? w.core_skill_weight : w.other_skill_weight, fs.core});
  // A skill listed twice keeps its highest weight (a required skill that is also core counts once, as required).
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.skill != b.skill ? a.skill < b.skill : a.weight > b.weight; });
  SkillProfile profile;
  for (const auto& it : items) {
    if (!profile.weights.empty() && profile.weights.back().first == it.skill) continue;
    profile.weights.emplace_back(it.skill, it.weight);
    profile.core.push_back(it.core ? 1 : 0);
    profile.total += it.weight;
    profile.core_count += it.core ? 1 : 0;
  }
  return profile;
}

Overlap SkillOverlap(const SkillProfile& profile, std::span<const model::SkillCode> skills) {
  Overlap o;
  double shared = 0.0;
  std::size_t i = 0, j = 0;
  while (i < profile.weights.size() && j < skills.size()) {
    if (profile.weights[i].first < skills[j]) {
      ++i;
    } else if (skills[j] < profile.weights[i].first) {
      ++j;
    } else {
      shared += profile.weights[i].second;
      ++o.matched;
      o.matched_core += profile.core[i];
      ++i;
      ++j;
    }
  }
  o.value = profile.total > 0.0 ? std::clamp(shared / profile.total, 0.0, 1.0) : 0.0;
  return o;
}

ScoreComponents Combine(const PairInputs& in, const ScoreWeights& w) {
  ScoreComponents c;
  c.rome_relation = RelationValue(in.rome, w);
  c.skill_overlap = in.overlap.value;
  c.skill_embedding = in.embedding;
  c.skill_fit = SkillFit(w, c.rome_relation, c.skill_overlap, c.skill_embedding);
  c.distance = DistanceComponent(in.reach.same_commune, in.reach.distance_km, in.reach.limit_km);
  // The hits' bits in criterion order (the hot loop: no pass over every criterion).
  for (std::uint32_t bits = in.priority_hits.bits(); bits != 0; bits &= bits - 1) {
    const auto criterion = static_cast<model::Criterion>(__builtin_ctz(bits));
    if (w.PriorityWeight(criterion) > c.priority) {
      c.priority = w.PriorityWeight(criterion);
      c.priority_public = criterion;
    }
  }
  c.waiting = WaitingComponent(w, in.waiting_days);
  c.hours = HoursComponent(in.hours_wanted, in.hours_offered);
  c.exposure = ExposureComponent(w, in.open_proposals);
  c.total = TotalScore(w, c.skill_fit, c.distance, c.priority, c.waiting, c.hours, c.exposure);
  return c;
}

std::optional<model::Criterion> NameablePriorityPublic(const ScoreComponents& c, const EligibilityVerdict& verdict) {
  if (c.priority_public && verdict.matched.contains(*c.priority_public)) return c.priority_public;
  return std::nullopt;
}

model::CriterionSet PriorityPublics(const model::Contract& c, const ScoreWeights& w) {
  return c.priority_publics.empty() ? w.default_priority_publics : c.priority_publics;
}

int WaitingDays(const model::Participant& p, model::Date today) {
  model::Date since = p.registration_date;
  if (p.last_proposal_date && *p.last_proposal_date > since) since = *p.last_proposal_date;
  return std::max(0, today - since);
}

PairInputs PairInputsFor(const Referential& ref, const SkillSpace& space, const ScoreWeights& w,
                         const model::Participant& p, const model::Contract& c, const model::Opening& o,
                         model::GeoPoint home, std::uint32_t home_commune, model::GeoPoint worksite,
                         std::uint32_t worksite_commune, const EligibilityVerdict& verdict, model::Date today) {
  PairInputs in;
  const std::uint32_t fiche = ref.FicheIndex(o.fiche);
  const auto wanted = WantedFicheIndices(ref, p);
  in.rome = MatchRome(ref, p.wanted_appellations, wanted, o.appellation, fiche);
  std::vector<model::SkillCode> skills = p.skills;
  std::sort(skills.begin(), skills.end());
  skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
  in.overlap = SkillOverlap(MakeSkillProfile(ref, fiche, o.required_skills, w), skills);
  std::vector<float> embedded(static_cast<std::size_t>(space.dims()));
  space.EmbedSkills(skills, embedded);
  if (fiche != Referential::kNoIndex) in.embedding = SkillSpace::Similarity(embedded, space.FicheVector(fiche));
  in.reach = Reach(home, home_commune, p.mobility_radius_km, worksite, worksite_commune, o.max_distance_km);
  in.priority_hits = verdict.counted() & PriorityPublics(c, w);
  in.provisional_hits = verdict.provisional & PriorityPublics(c, w);
  in.waiting_days = WaitingDays(p, today);
  in.hours_wanted = p.weekly_hours_wanted;
  in.hours_offered = o.weekly_hours;
  in.open_proposals = p.open_proposals;
  return in;
}

std::string FormatKm(double km) {
  char buf[32];
  if (std::abs(km - std::round(km)) < 1e-6)
    std::snprintf(buf, sizeof buf, "%.0f", km);
  else
    std::snprintf(buf, sizeof buf, "%.1f", km);
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

namespace {

std::string JoinLabels(model::CriterionSet set) {
  std::string out;
  for (const auto& info : model::AllCriteria()) {
    if (!set.contains(info.criterion)) continue;
    if (!out.empty()) out += ", ";
    out += info.label;
  }
  return out;
}

std::string FormatDecimal(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace

std::vector<Reason> BuildReasons(const Referential& ref, const PairInputs& in, const ScoreComponents& c,
                                 const EligibilityVerdict& verdict, const model::Opening& o) {
  std::vector<Reason> out;
  const std::string at = " au " + verdict.hire_date.ToString();
  switch (verdict.basis) {
    case EligibilityBasis::kClausePublic:
      out.push_back(
          {"eligible_clause_public", "éligible" + at + " : public de la clause (" + JoinLabels(verdict.matched) + ")"});
      break;
    case EligibilityBasis::kIaeLevel1:
      out.push_back({"eligible_iae_level1",
                     "éligible" + at + " : critère IAE de niveau 1 (" + JoinLabels(verdict.matched) + ")"});
      break;
    case EligibilityBasis::kIaeLevel2:
      out.push_back({"eligible_iae_level2", "éligible" + at + " : " + std::to_string(verdict.matched.size()) +
                                                " critères IAE de niveau 2 (" + JoinLabels(verdict.matched) + ")"});
      break;
    case EligibilityBasis::kDerogation:
      out.push_back({"eligible_derogation", "éligible" + at + " : dérogation du facilitateur"});
      break;
    case EligibilityBasis::kNone:
      break;
  }
  // Named only when the basis rests on them, like every criterion a facilitator reads.
  if (const model::CriterionSet diagnosed = verdict.by_diagnosis & verdict.matched; !diagnosed.empty())
    out.push_back(
        {"diagnosis", "retenu(s) au diagnostic du prescripteur, valable à l'embauche : " + JoinLabels(diagnosed)});
  if (verdict.eligible())
    for (const auto& condition : verdict.conditions())
      out.push_back({std::string(Code(condition.code)), Text(condition)});

  const auto fiches = ref.fiches();
  auto fiche_name = [&](std::uint32_t i) {
    return i == Referential::kNoIndex ? std::string() : fiches[i].code.str() + " " + fiches[i].label;
  };
  switch (in.rome.relation) {
    case RomeRelation::kSameAppellation: {
      const auto* app = ref.FindAppellation(o.appellation);
      out.push_back({"same_appellation", "même appellation : " + (app ? app->label : std::to_string(o.appellation))});
      break;
    }
    case RomeRelation::kSameFiche:
      out.push_back({"same_fiche", "même fiche métier ROME : " + fiche_name(in.rome.from_fiche)});
      break;
    case RomeRelation::kSameParent:
      out.push_back(
          {"same_parent", "métier proche (même fiche parente) : recherche " + fiche_name(in.rome.from_fiche)});
      break;
    case RomeRelation::kMobility:
      out.push_back({"mobility_link", "mobilité professionnelle de rang " + std::to_string(in.rome.mobility_rank) +
                                          " depuis " + fiche_name(in.rome.from_fiche)});
      break;
    case RomeRelation::kNone:
      out.push_back({"no_rome_relation", "aucun métier recherché proche de cette offre"});
      break;
  }
  if (in.overlap.matched > 0)
    out.push_back({"skill_overlap", std::to_string(in.overlap.matched) + " compétence(s) attendue(s), dont " +
                                        std::to_string(in.overlap.matched_core) + " essentielle(s) (" +
                                        FormatDecimal(100.0 * c.skill_overlap, 0) + " % du profil)"});
  if (c.skill_embedding > 0.0)
    out.push_back(
        {"transferable_skills", "compétences transférables : similarité " + FormatDecimal(c.skill_embedding, 2)});

  if (in.reach.same_commune)
    out.push_back(
        {"same_commune", "réside dans la commune du chantier (" + FormatKm(ShownKm(in.reach.distance_km)) + " km)"});
  else
    out.push_back({"distance", FormatKm(ShownKm(in.reach.distance_km)) + " km, dans le rayon de " +
                                   FormatKm(in.reach.limit_km) + " km"});

  // Only criteria the person is eligible by are named: a valid criterion outside verdict.matched
  // (a child-welfare history, say) is none of the facilitator's business (docs/privacy.md).
  // The public that earned the priority component says so, with its weight (ScoreWeights::priority_weights).
  for (const auto& info : model::AllCriteria())
    if (in.priority_hits.contains(info.criterion) && verdict.matched.contains(info.criterion))
      out.push_back({"priority_public", std::string(info.label) + " – public prioritaire de la clause" +
                                            (c.priority_public == info.criterion
                                                 ? " (priorité retenue, poids " + FormatDecimal(c.priority, 2) + ")"
                                                 : "") +
                                            (in.provisional_hits.contains(info.criterion)
                                                 ? " (à titre provisoire : justificatif à actualiser avant l'embauche)"
                                                 : "")});

  if (in.waiting_days > 0)
    out.push_back({"waiting", "sans proposition depuis " + std::to_string(in.waiting_days) + " jours"});
  if (in.hours_wanted > 0.0 && in.hours_offered > 0.0 && std::abs(in.hours_wanted - in.hours_offered) > 1e-9)
    out.push_back({"hours", "souhaite " + FormatKm(in.hours_wanted) + " h/semaine, offre à " +
                                FormatKm(in.hours_offered) + " h"});
  if (in.open_proposals > 0)
    out.push_back({"exposure", std::to_string(in.open_proposals) + " proposition(s) en cours ailleurs"});
  return out;
}

}  // namespace clausematch::matcher
