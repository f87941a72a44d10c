#pragma once
// A tiny referential and builders for hand-checkable matcher tests.
//
// Geography: every commune centre sits on the meridian lon = 3.0, where one degree of latitude
// is π·R/180 = 111.195 km, so distances are read off the latitudes:
//
//   commune  INSEE  centre (km north of 50.0°N)
//   Alpha    59001   0
//   Beta     59002  10
//   Gamma    59003  25
//   Delta    59004  60
//   Paris    75056 300   (city)        Paris 11e  75111 301 (arrondissement of 75056)
//
// ROME (fiches, parent, skills with * = core, mobility):
//
//   fiche  parent  label              skills        mobility
//   F1703  F1703   Maçon              1* 2* 3 4     -
//   F1704  F1703   Ouvrier béton      1 6           -
//   F1701  F1701   Coffreur           2* 3 5        F1701 -> F1703 rank 2, F1701 -> K2204 rank 1
//   K2204  K2204   Agent de propreté  7* 8          -
//
//   appellations: 11 Maçon (F1703), 12 Maçon VRD (F1703), 21 Coffreur (F1701),
//                 31 Agent de propreté (K2204), 41 Ouvrier béton (F1704)
#include <memory>
#include <string>

#include "model/contract.hpp"
#include "model/dataset.hpp"
#include "model/participant.hpp"
#include "model/referential.hpp"

namespace clausematch::matcher::testing {

inline constexpr double kKmPerDegree = 3.14159265358979323846 * 6371.0088 / 180.0;

inline model::GeoPoint KmNorth(double km) { return {50.0 + km / kKmPerDegree, 3.0}; }

inline model::RomeCode Rome(const char* code) { return *model::RomeCode::Parse(code); }

inline std::shared_ptr<const model::Referential> TinyReferential() {
  model::Referential::Tables t;
  auto commune = [&](const char* insee, const char* name, double km, const char* parent = "") {
    model::Commune c;
    c.insee = insee;
    c.name = name;
    c.departement = std::string(insee).substr(0, 2);
    c.region = "32";
    c.centre = KmNorth(km);
    c.population = 1000;
    c.parent_insee = parent;
    c.arrondissement = *parent != '\0';
    t.communes.push_back(c);
  };
  commune("59001", "Alpha", 0);
  commune("59002", "Beta", 10);
  commune("59003", "Gamma", 25);
  commune("59004", "Delta", 60);
  commune("75056", "Paris", 300);
  commune("75111", "Paris 11e Arrondissement", 301, "75056");
  t.departements = {{"59", "Nord", "32", "59350"}, {"75", "Paris", "11", "75056"}};
  t.regions = {{"32", "Hauts-de-France"}, {"11", "Île-de-France"}};
  t.fiches = {{Rome("F1703"), Rome("F1703"), "Maçon", "F17"},
              {Rome("F1704"), Rome("F1703"), "Ouvrier béton", "F17"},
              {Rome("F1701"), Rome("F1701"), "Coffreur", "F17"},
              {Rome("K2204"), Rome("K2204"), "Agent de propreté", "K22"}};
  t.appellations = {{11, "Maçon", "Maçon", Rome("F1703"), true, false},
                    {12, "Maçon VRD", "Maçon VRD", Rome("F1703"), false, false},
                    {21, "Coffreur", "Coffreur", Rome("F1701"), true, false},
                    {31, "Agent de propreté", "Agent de propreté", Rome("K2204"), true, false},
                    {41, "Ouvrier béton", "Ouvrier béton", Rome("F1704"), true, false}};
  for (model::SkillCode s = 1; s <= 8; ++s)
    t.skills.push_back({s, model::SkillKind::kSavoirFaire, "skill " + std::to_string(s)});
  auto fs = [&](const char* fiche, model::SkillCode s, bool core) {
    t.fiche_skills.emplace_back(Rome(fiche), model::FicheSkill{s, core, false});
  };
  fs("F1703", 1, true), fs("F1703", 2, true), fs("F1703", 3, false), fs("F1703", 4, false);
  fs("F1704", 1, false), fs("F1704", 6, false);
  fs("F1701", 2, true), fs("F1701", 3, false), fs("F1701", 5, false);
  fs("K2204", 7, true), fs("K2204", 8, false);
  t.mobility = {{Rome("F1701"), {Rome("F1703"), 2}}, {Rome("F1701"), {Rome("K2204"), 1}}};
  return std::make_shared<const model::Referential>(std::move(t));
}

inline model::Date D(const char* iso) { return *model::Date::Parse(iso); }

// Today in every fixture; openings start on 2027-01-15 (the hire date) unless a test says otherwise.
inline const model::Date kToday = D("2026-11-23");
inline const model::Date kStart = D("2027-01-15");

// An active, consenting RSA recipient (proof 2026-11-01, valid 3 months: until 2027-02-01) aged
// 40 at Alpha, available from 2026-12-01, wanting appellation 11.
inline model::Participant Person(std::uint32_t id) {
  model::Participant p;
  p.id = model::ParticipantId(id);
  p.prescriber_org = "FT-59";
  p.birth_date = D("1986-06-15");
  p.criteria = {{model::Criterion::kRsa, D("2026-11-01"), "CD-59"}};
  p.commune_insee = "59001";
  p.mobility_radius_km = 30;
  p.wanted_appellations = {11};
  p.available_from = D("2026-12-01");
  p.weekly_hours_wanted = 35;
  p.status = model::ParticipantStatus::kActive;
  p.consent = true;
  p.registration_date = kToday;
  return p;
}

// A contract accepting RSA and DELD, prioritising RSA, worksite Alpha.
inline model::Contract Contract(std::uint32_t id) {
  model::Contract c;
  c.id = model::ContractId(id);
  c.reference = "C" + std::to_string(id);
  c.start = D("2027-01-01");
  c.end = D("2028-12-31");
  c.worksite_insee = "59001";
  c.accepted_publics = {model::Criterion::kRsa, model::Criterion::kDeld};
  c.priority_publics = {model::Criterion::kRsa};
  c.iae_level2_required = 2;
  return c;
}

// One position as Maçon (11, F1703) at Alpha from kStart, 35 h, 30 km max.
inline model::Opening Opening(std::uint32_t id, std::uint32_t contract) {
  model::Opening o;
  o.id = model::OpeningId(id);
  o.contract = model::ContractId(contract);
  o.appellation = 11;
  o.fiche = Rome("F1703");
  o.positions = 1;
  o.weekly_hours = 35;
  o.start = kStart;
  o.end = D("2027-08-31");
  o.worksite_insee = "59001";
  o.max_distance_km = 30;
  return o;
}

}  // namespace clausematch::matcher::testing
