#pragma once
// A seeded random dataset over a referential, for the all-pairs oracle tests and the matcher
// benchmark (bench/bench_matcher.cpp). Not realistic in its shares (that is the generator's job,
// data/): it aims at covering every rule — expired proofs, birthdays near the start, unknown
// communes, precise coordinates, arrondissements, tiny radii, QPV-only contracts, licences,
// derogations, placements, proofs valid today that lapse before the hire (conditional verdicts),
// valid_until of every kind, diagnoses, IAE routes and closed IAE paths — with the same code at
// any size.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::matcher::testing {

struct RandomInstanceOptions {
  std::uint32_t participants = 300;
  std::uint32_t contracts = 12;
  std::uint32_t openings_per_contract = 3;
  std::string departement_prefix = "59";  // communes whose INSEE code starts with this ("" = all)
  model::Date today = model::Date::FromYmd(2026, 11, 23);
  std::uint64_t seed = 1;
  // Chance that an opening repeats the previous opening of its contract under a new id, as the
  // openings of one contract often do (same trade, worksite, start and rules); a third of the
  // twins take another trade, a third another start. 0 draws nothing (the instance is the one
  // this seed always gave).
  double twin_chance = 0.0;
};

inline model::Dataset RandomInstance(const model::Referential& ref, const RandomInstanceOptions& opt) {
  std::mt19937_64 gen(opt.seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < p; };
  auto pick = [&](const auto& v) -> const auto& {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(std::size(v)) - 1))];
  };

  // Communes of the territory, weighted by population (people live where the population lives).
  std::vector<std::uint32_t> communes;
  std::vector<double> weights;
  for (std::uint32_t i = 0; i < ref.communes().size(); ++i) {
    const auto& c = ref.communes()[i];
    if (c.insee.rfind(opt.departement_prefix, 0) != 0) continue;
    communes.push_back(i);
    weights.push_back(1.0 + c.population);
  }
  std::discrete_distribution<std::size_t> commune_dist(weights.begin(), weights.end());
  auto commune = [&]() -> const model::Commune& { return ref.communes()[communes[commune_dist(gen)]]; };

  // Appellations of a few trades clauses generate, plus any appellation now and then.
  std::vector<model::AppellationCode> trades;
  for (const auto& a : ref.appellations())
    if (a.fiche.domain() == 'F' || a.fiche.domain() == 'K' || a.fiche.domain() == 'N' || a.fiche.domain() == 'G')
      trades.push_back(a.code);
  auto appellation = [&]() {
    return chance(0.9) || ref.appellations().empty() ? pick(trades) : pick(ref.appellations()).code;
  };
  const auto& all_criteria = model::AllCriteria();
  auto jitter = [&]() { return std::uniform_real_distribution<double>(-0.04, 0.04)(gen); };
  const model::Date today = opt.today;
  const double radii[] = {0.5, 2, 5, 10, 20, 30, 50};
  const double max_distances[] = {0, 3, 10, 20, 30, 60};

  model::Dataset d;
  d.as_of = today;
  for (std::uint32_t i = 0; i < opt.participants; ++i) {
    model::Participant p;
    p.id = model::ParticipantId(1000 + i);
    p.prescriber_org = "FT-" + opt.departement_prefix;
    p.birth_date = today.AddDays(-uniform(16 * 365, 62 * 365));
    if (chance(0.1)) p.birth_date = today.AddDays(uniform(1, 150)).AddYears(-26);  // 26 before some starts
    const int criteria = uniform(0, 3);
    for (int k = 0; k < criteria; ++k) {
      const auto& info = pick(all_criteria);
      if (info.proof == model::ProofKind::kAge) continue;
      model::CriterionProof proof;
      proof.criterion = info.criterion;
      proof.proof_date = today.AddDays(-uniform(0, 400));
      proof.validated_by = "ORG";
      // An end date: nearly always on a decision or a title (records without one keep the old
      // period), sometimes on a PASS IAE (longer or shorter than 24 months) or another document.
      const double with_end = info.validity == model::ValidityKind::kUntilDate ? 0.85
                              : info.validity == model::ValidityKind::kPassIae ? 0.3
                                                                               : 0.1;
      if (chance(with_end)) proof.valid_until = proof.proof_date->AddDays(uniform(0, 900));
      if (chance(0.05)) proof.proof_date.reset();
      p.criteria.push_back(proof);
    }
    if (chance(0.05)) p.derogation = model::Derogation{today.AddDays(-uniform(0, 250)), "PLIE", "avis"};
    if (chance(0.4)) p.diagnosis_date = today.AddDays(-uniform(0, 250));
    if (chance(0.03)) {
      p.commune_insee = "00000";  // unknown commune
      if (chance(0.5)) p.location = model::GeoPoint{50.5 + jitter(), 3.0 + jitter()};
    } else {
      const auto& c = commune();
      p.commune_insee = c.insee;
      if (chance(0.3)) p.location = model::GeoPoint{c.centre.lat + jitter(), c.centre.lon + jitter()};
    }
    p.mobility_radius_km = pick(radii);
    if (chance(0.6)) p.licences.insert(model::Licence::kB);
    if (chance(0.1)) p.licences.insert(model::Licence::kCaces);
    const int wanted = uniform(1, 2);
    for (int k = 0; k < wanted; ++k) p.wanted_appellations.push_back(appellation());
    if (chance(0.3) && !ref.fiches().empty()) p.wanted_fiches.push_back(pick(ref.fiches()).code);
    if (const auto* app = ref.FindAppellation(p.wanted_appellations[0])) {
      for (const auto& fs : ref.SkillsOf(app->fiche))
        if (chance(fs.core ? 0.6 : 0.25)) p.skills.push_back(fs.skill);
    }
    if (chance(0.3) && !ref.skills().empty()) p.skills.push_back(pick(ref.skills()).code);
    p.available_from = today.AddDays(uniform(-60, 150));
    p.weekly_hours_wanted = pick(std::vector<double>{0, 17.5, 24, 35});
    p.status = chance(0.9)   ? model::ParticipantStatus::kActive
               : chance(0.5) ? model::ParticipantStatus::kSuspended
                             : (chance(0.5) ? model::ParticipantStatus::kWithdrawn : model::ParticipantStatus::kPlaced);
    p.consent = chance(0.95);
    p.registration_date = today.AddDays(-uniform(0, 730));
    if (chance(0.3)) p.last_proposal_date = today.AddDays(-uniform(0, 200));
    p.open_proposals = chance(0.7) ? 0 : uniform(1, 4);
    d.participants.push_back(std::move(p));
  }

  std::uint32_t opening_id = 1;
  for (std::uint32_t k = 0; k < opt.contracts; ++k) {
    model::Contract c;
    c.id = model::ContractId(k + 1);
    c.reference = "M" + std::to_string(k + 1);
    c.start = today.AddDays(uniform(-60, 60));
    c.end = c.start.AddDays(365);
    c.worksite_insee = commune().insee;
    for (int n = uniform(1, 4); n > 0; --n) c.accepted_publics.insert(pick(all_criteria).criterion);
    if (k % 3 == 0) c.accepted_publics.insert(model::Criterion::kJeune);
    for (int n = uniform(0, 2); n > 0; --n) c.priority_publics.insert(pick(all_criteria).criterion);
    c.accepts_derogation = chance(0.8);
    c.qpv_only = chance(0.2);
    c.iae_level2_required = uniform(2, 3);
    c.accepts_iae_eligibility = chance(0.85);
    if (chance(0.3)) c.quotas.push_back({model::Criterion::kRsa, uniform(0, 2), chance(0.5) ? 0.3 : 0.0});
    for (std::uint32_t o = 0; o < opt.openings_per_contract; ++o) {
      model::Opening op;
      op.id = model::OpeningId(opening_id++);
      op.contract = c.id;
      op.appellation = appellation();
      if (const auto* app = ref.FindAppellation(op.appellation)) op.fiche = app->fiche;
      op.positions = uniform(0, 3);
      op.weekly_hours = pick(std::vector<double>{20, 24, 35});
      op.start = today.AddDays(uniform(-30, 150));
      op.end = op.start.AddDays(uniform(30, 300));
      op.worksite_insee = chance(0.7) ? c.worksite_insee : commune().insee;
      if (chance(0.2)) {
        const auto centre = ref.FindCommune(op.worksite_insee)->centre;
        op.worksite_location = model::GeoPoint{centre.lat + jitter(), centre.lon + jitter()};
      }
      if (chance(0.3)) op.required_licences.insert(model::Licence::kB);
      if (chance(0.05)) op.required_licences.insert(model::Licence::kCaces);
      if (chance(0.2) && !ref.skills().empty()) op.required_skills.push_back(pick(ref.skills()).code);
      op.max_distance_km = pick(max_distances);
      op.contract_type = pick(model::Entries(model::ContractType{})).value;  // IAE routes among others
      op.status = chance(0.9) ? model::OpeningStatus::kOpen : model::OpeningStatus::kClosed;
      if (opt.twin_chance > 0.0 && o > 0 && chance(opt.twin_chance)) {
        const model::OpeningId id = op.id;
        const int variant = uniform(0, 2);
        const model::AppellationCode other_trade = op.appellation;
        const model::Date other_start = op.start;
        op = d.openings.back();
        op.id = id;
        op.status = model::OpeningStatus::kOpen;
        if (variant == 1) {
          op.appellation = other_trade;
          op.fiche = {};
          if (const auto* app = ref.FindAppellation(op.appellation)) op.fiche = app->fiche;
        } else if (variant == 2) {
          op.start = other_start;
          op.end = op.start.AddDays(uniform(30, 300));
        }
      }
      d.openings.push_back(std::move(op));
    }
    d.contracts.push_back(std::move(c));
  }

  // A few placements: proposals on openings, hires elsewhere.
  const auto placements = opt.participants / 20;
  for (std::uint32_t k = 0; k < placements && !d.openings.empty(); ++k) {
    model::Placement pl;
    pl.id = model::PlacementId(k + 1);
    pl.participant = pick(d.participants).id;
    const auto& op = pick(d.openings);
    pl.opening = op.id;
    pl.contract = op.contract;
    pl.status = static_cast<model::PlacementStatus>(uniform(0, 4));
    pl.start = op.start;
    pl.end = op.end;
    d.placements.push_back(pl);
  }
  d.Index();
  return d;
}

}  // namespace clausematch::matcher::testing
