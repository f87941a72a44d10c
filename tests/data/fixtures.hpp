#pragma once
// Small hand-written fixtures for the codec tests: a referential of three communes and two ROME
// fiches (real codes and coordinates, copied from data/reference), and one object of each type
// with every field set away from its default so a round trip that drops a field fails.
#include <gtest/gtest.h>

#include <memory>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"

namespace clausematch::model {
inline void PrintTo(const Problem& p, std::ostream* os) { *os << p.field << " [" << p.code << "] " << p.message; }
}  // namespace clausematch::model

namespace clausematch::testing {

using model::Date;

inline Date D(const char* iso) { return *Date::Parse(iso); }

inline const model::Referential& SmallReferential() {
  static const auto kRef = [] {
    model::Referential::Tables t;
    auto commune = [](const char* insee, const char* name, const char* dep, double lat, double lon,
                      std::vector<std::string> cps) {
      model::Commune c;
      c.insee = insee;
      c.name = name;
      c.departement = dep;
      c.region = dep[0] == '2' ? "94" : "32";
      c.centre = {lat, lon};
      c.postal_codes = std::move(cps);
      return c;
    };
    t.communes.push_back(commune("59350", "Lille", "59", 50.6311, 3.0469, {"59000", "59800"}));
    t.communes.push_back(commune("59512", "Roubaix", "59", 50.6887, 3.1843, {"59100"}));
    t.communes.push_back(commune("2A004", "Ajaccio", "2A", 41.9228, 8.7058, {"20000"}));
    auto rome = [](const char* s) { return *model::RomeCode::Parse(s); };
    t.fiches.push_back({rome("F1703"), rome("F1703"), "Maçon / Maçonne", "F17"});
    t.fiches.push_back({rome("K2204"), rome("K2204"), "Agent / Agente de nettoyage", "K22"});
    t.appellations.push_back({16250, "Maçon / Maçonne", "Maçon / Maçonne", rome("F1703"), true, false});
    t.appellations.push_back(
        {10537, "Agent / Agente de nettoyage industriel", "Agent de nettoyage", rome("K2204"), true, false});
    t.skills.push_back({100240, model::SkillKind::kSavoirFaire, "Sécuriser un équipement, un périmètre"});
    t.skills.push_back({103780, model::SkillKind::kSavoirFaire, "Poser des tôles"});
    return std::make_shared<const model::Referential>(std::move(t));
  }();
  return *kRef;
}

inline model::Participant FullParticipant() {
  model::Participant p;
  p.id = model::ParticipantId(7);
  p.external_ref = "FT-59-000123";
  p.prescriber_org = "FT-59";
  p.prescriber_kind = model::PrescriberKind::kMissionLocale;
  p.first_name = "Inès";
  p.last_name = "Durand, dite \"Nès\"";  // a comma and quotes: CSV quoting must hold
  p.birth_date = D("2002-03-04");
  p.sex = model::Sex::kFemme;
  p.email = "ines@example.org";
  p.phone = "+33 6 12 34 56 78";
  p.criteria = {{model::Criterion::kRsa, D("2026-09-01"), "CD59:agent:12"},  // ':' inside validated_by
                {model::Criterion::kJeune, std::nullopt, ""},
                {model::Criterion::kQpv, D("2026-08-15"), "PLIE-LILLE"},
                {model::Criterion::kRqth, D("2026-06-01"), "MDPH-59", D("2031-05-31")}};  // a decision's end
  p.diagnosis_date = D("2026-09-10");
  p.derogation = model::Derogation{D("2026-09-20"), "PLIE-LILLE", "situation particulière; avis motivé"};
  p.commune_insee = "59512";
  p.location = model::GeoPoint{50.69, 3.18};
  p.mobility_radius_km = 17.5;
  p.mobility_mode = model::MobilityMode::kVelo;
  p.licences.insert(model::Licence::kB);
  p.licences.insert(model::Licence::kCaces);
  p.wanted_appellations = {16250, 10537};
  p.wanted_fiches = {*model::RomeCode::Parse("F1703")};
  p.skills = {103780, 100240};
  p.available_from = D("2026-11-02");
  p.weekly_hours_wanted = 24.5;
  p.status = model::ParticipantStatus::kSuspended;
  p.consent = true;
  p.consent_date = D("2026-09-01");
  p.registration_date = D("2025-12-01");
  p.last_proposal_date = D("2026-09-30");
  p.open_proposals = 2;
  return p;
}

inline model::Contract FullContract() {
  model::Contract c;
  c.id = model::ContractId(3);
  c.reference = "MEL-2026-017; lot 2";
  c.title = "Réhabilitation du groupe scolaire";
  c.buyer = "Métropole Européenne de Lille";
  c.facilitator_org = "MDE-LILLE";
  c.holder = "Bâtiments du Nord";
  c.holder_siret = "12345678900012";
  c.cpv_code = "45000000";
  c.amount_excl_vat_eur = 1250000.5;
  c.start = D("2026-10-01");
  c.end = D("2027-09-30");
  c.worksite_insee = "59350";
  c.worksite_location = model::GeoPoint{50.63, 3.05};
  c.clause_type = model::ClauseType::kMarcheReserveSiae;
  c.accepted_publics = {model::Criterion::kRsa, model::Criterion::kJeune, model::Criterion::kDeld};
  c.accepts_derogation = false;
  c.accepts_iae_eligibility = false;
  c.priority_publics = {model::Criterion::kRsa};
  c.qpv_only = true;
  c.iae_level2_required = 3;
  c.sizing = model::ClauseSizing{0.5, 0.05, 31.0};
  c.insertion_hours = 1008.0;
  c.quotas = {{model::Criterion::kRsa, 2, 0.3}, {model::Criterion::kJeune, 1, 0.0}};
  c.status = model::ContractStatus::kDraft;
  return c;
}

inline model::Opening FullOpening() {
  model::Opening o;
  o.id = model::OpeningId(11);
  o.contract = model::ContractId(3);
  o.appellation = 16250;
  o.fiche = *model::RomeCode::Parse("F1703");
  o.positions = 3;
  o.weekly_hours = 35;
  o.start = D("2026-11-02");
  o.end = D("2027-04-30");
  o.worksite_insee = "59350";
  o.worksite_location = model::GeoPoint{50.6311, 3.0469};
  o.contract_type = model::ContractType::kInterimEtti;
  o.required_licences.insert(model::Licence::kB);
  o.required_skills = {103780};
  o.max_distance_km = 22.5;
  o.status = model::OpeningStatus::kFilled;
  return o;
}

inline model::Placement FullPlacement() {
  model::Placement p;
  p.id = model::PlacementId(5);
  p.participant = model::ParticipantId(7);
  p.opening = model::OpeningId(11);
  p.contract = model::ContractId(3);
  p.status = model::PlacementStatus::kHired;
  p.contract_type = model::ContractType::kCddi;
  p.route = model::FulfilmentRoute::kEtti;
  p.employer = "ETTI Nord Insertion";
  p.employer_siret = "98765432100011";
  p.start = D("2026-11-02");
  p.end = D("2027-04-30");
  p.weekly_hours = 28;
  p.hours = {{2026, 11, 112.5, D("2026-12-03"), {}},
             {2026, 11, 120, D("2026-12-10"), {}},
             {2026, 12, 98, D("2027-01-05"), {}},
             // converted from a subcontracting amount: 4000 x 0.6 / 30 = 80 h
             {2027, 1, 80, D("2027-02-03"), model::SubcontractAmount{4000, 0.6, 30}}};
  p.outcomes = {{6, model::Outcome::kEmploiTransition, D("2027-05-02")}};
  // Every member of the snapshot set, so that each codec is seen to carry each one.
  model::EligibilitySnapshot e;
  e.judged_on = D("2026-10-15");
  e.hire_date = D("2026-11-02");
  e.basis = "iae_level2";
  e.eligible_by = {model::Criterion::kJeune, model::Criterion::kDeld};
  e.criteria = {{model::Criterion::kJeune, std::nullopt, ""},
                {model::Criterion::kDeld, D("2026-09-01"), "CD59", D("2026-12-31")},
                {model::Criterion::kRsa, D("2026-09-10"), "CAF59"}};
  e.provisional = {model::Criterion::kRsa};
  e.diagnosis_date = D("2026-08-20");
  e.diagnosed_by = "FT-59";
  e.by_diagnosis = {model::Criterion::kDeld};
  e.derogation = model::Derogation{D("2026-08-25"), "PLIE-LILLE", ""};
  e.conditions = {{model::Criterion::kRsa, D("2026-11-02")}};
  p.eligibility = e;
  return p;
}

// Field-by-field comparisons, written independently of the codecs (a codec that drops a field on
// both write and read would still fail here).
#define CM_EQ(field) EXPECT_EQ(a.field, b.field) << #field
inline void ExpectSame(const model::Participant& a, const model::Participant& b) {
  CM_EQ(id);
  CM_EQ(external_ref);
  CM_EQ(prescriber_org);
  CM_EQ(prescriber_kind);
  CM_EQ(first_name);
  CM_EQ(last_name);
  CM_EQ(birth_date);
  CM_EQ(sex);
  CM_EQ(email);
  CM_EQ(phone);
  CM_EQ(criteria);
  CM_EQ(diagnosis_date);
  CM_EQ(derogation);
  CM_EQ(commune_insee);
  CM_EQ(location);
  CM_EQ(mobility_radius_km);
  CM_EQ(mobility_mode);
  CM_EQ(licences);
  CM_EQ(wanted_appellations);
  CM_EQ(wanted_fiches);
  CM_EQ(skills);
  CM_EQ(available_from);
  CM_EQ(weekly_hours_wanted);
  CM_EQ(status);
  CM_EQ(consent);
  CM_EQ(consent_date);
  CM_EQ(registration_date);
  CM_EQ(last_proposal_date);
  CM_EQ(open_proposals);
}
inline void ExpectSame(const model::Contract& a, const model::Contract& b) {
  CM_EQ(id);
  CM_EQ(reference);
  CM_EQ(title);
  CM_EQ(buyer);
  CM_EQ(facilitator_org);
  CM_EQ(holder);
  CM_EQ(holder_siret);
  CM_EQ(cpv_code);
  CM_EQ(amount_excl_vat_eur);
  CM_EQ(start);
  CM_EQ(end);
  CM_EQ(worksite_insee);
  CM_EQ(worksite_location);
  CM_EQ(clause_type);
  CM_EQ(accepted_publics);
  CM_EQ(accepts_derogation);
  CM_EQ(accepts_iae_eligibility);
  CM_EQ(priority_publics);
  CM_EQ(qpv_only);
  CM_EQ(iae_level2_required);
  CM_EQ(sizing);
  CM_EQ(insertion_hours);
  CM_EQ(quotas);
  CM_EQ(status);
}
inline void ExpectSame(const model::Opening& a, const model::Opening& b) {
  CM_EQ(id);
  CM_EQ(contract);
  CM_EQ(appellation);
  CM_EQ(fiche);
  CM_EQ(positions);
  CM_EQ(weekly_hours);
  CM_EQ(start);
  CM_EQ(end);
  CM_EQ(worksite_insee);
  CM_EQ(worksite_location);
  CM_EQ(contract_type);
  CM_EQ(required_licences);
  CM_EQ(required_skills);
  CM_EQ(max_distance_km);
  CM_EQ(status);
}
inline void ExpectSame(const model::Placement& a, const model::Placement& b) {
  CM_EQ(id);
  CM_EQ(participant);
  CM_EQ(opening);
  CM_EQ(contract);
  CM_EQ(status);
  CM_EQ(contract_type);
  CM_EQ(route);
  CM_EQ(employer);
  CM_EQ(employer_siret);
  CM_EQ(start);
  CM_EQ(end);
  CM_EQ(weekly_hours);
  CM_EQ(hours);
  CM_EQ(outcomes);
  CM_EQ(eligibility);
}
#undef CM_EQ

}  // namespace clausematch::testing
