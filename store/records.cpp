#include "store/records.hpp"

#include <stdexcept>
#include <string>

namespace clausematch::store {
namespace {

using model::Date;
using nlohmann::json;

std::string DateText(Date d) { return d.ToString(); }

Date DateFrom(const json& j) {
  auto d = Date::Parse(j.get<std::string>());
  if (!d) throw std::runtime_error("store record: bad date '" + j.get<std::string>() + "'");
  return *d;
}

template <typename E>
std::string EnumText(E value) {
  return std::string(model::Code(value));
}

template <typename E>
E EnumFrom(const json& j) {
  auto v = model::ParseEnum<E>(j.get<std::string>());
  if (!v) throw std::runtime_error("store record: unknown code '" + j.get<std::string>() + "'");
  return *v;
}

void PutOptionalDate(json& j, const char* key, const std::optional<Date>& d) {
  if (d) j[key] = DateText(*d);
}
std::optional<Date> OptionalDate(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return DateFrom(*it);
}

json PointJson(const std::optional<model::GeoPoint>& p) {
  if (!p) return nullptr;
  return json{{"lat", p->lat}, {"lon", p->lon}};
}
std::optional<model::GeoPoint> PointFrom(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return model::GeoPoint{it->at("lat").get<double>(), it->at("lon").get<double>()};
}

template <typename T>
T Value(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

std::uint32_t IdFrom(const json& j, const char* key) { return Value<std::uint32_t>(j, key, 0xffffffffu); }

json RomeCodes(const std::vector<model::RomeCode>& codes) {
  json a = json::array();
  for (const auto& c : codes) a.push_back(c.str());
  return a;
}
std::vector<model::RomeCode> RomeCodesFrom(const json& j) {
  std::vector<model::RomeCode> out;
  for (const auto& s : j) {
    auto c = model::RomeCode::Parse(s.get<std::string>());
    if (!c) throw std::runtime_error("store record: bad ROME code");
    out.push_back(*c);
  }
  return out;
}

// Criterion proofs (a participant's, a placement snapshot's).
json ProofsRecord(const std::vector<model::CriterionProof>& proofs) {
  json criteria = json::array();
  for (const auto& c : proofs) {
    json e{{"criterion", std::string(model::Code(c.criterion))}, {"validated_by", c.validated_by}};
    PutOptionalDate(e, "proof_date", c.proof_date);
    PutOptionalDate(e, "valid_until", c.valid_until);
    criteria.push_back(std::move(e));
  }
  return criteria;
}
std::vector<model::CriterionProof> ProofsFrom(const json& j) {
  std::vector<model::CriterionProof> out;
  for (const auto& e : j) {
    auto criterion = model::ParseCriterion(e.at("criterion").get<std::string>());
    if (!criterion) throw std::runtime_error("store record: unknown criterion");
    model::CriterionProof proof;
    proof.criterion = *criterion;
    proof.proof_date = OptionalDate(e, "proof_date");
    proof.validated_by = e.at("validated_by").get<std::string>();
    proof.valid_until = OptionalDate(e, "valid_until");  // absent from records written before it existed
    out.push_back(std::move(proof));
  }
  return out;
}

// A placement's eligibility snapshot (model::EligibilitySnapshot); criterion sets as bits.
json SnapshotRecord(const model::EligibilitySnapshot& e) {
  json j{{"judged_on", DateText(e.judged_on)},
         {"hire_date", DateText(e.hire_date)},
         {"basis", e.basis},
         {"eligible_by", e.eligible_by.bits()},
         {"criteria", ProofsRecord(e.criteria)},
         {"provisional", e.provisional.bits()},
         {"diagnosed_by", e.diagnosed_by},
         {"by_diagnosis", e.by_diagnosis.bits()}};
  PutOptionalDate(j, "diagnosis_date", e.diagnosis_date);
  if (e.derogation)
    j["derogation"] = {{"granted_on", DateText(e.derogation->granted_on)}, {"granted_by", e.derogation->granted_by}};
  json conditions = json::array();
  for (const auto& c : e.conditions)
    conditions.push_back({{"criterion", std::string(model::Code(c.criterion))}, {"renew_by", DateText(c.renew_by)}});
  j["conditions"] = std::move(conditions);
  return j;
}
model::EligibilitySnapshot SnapshotFrom(const json& j) {
  model::EligibilitySnapshot e;
  e.judged_on = DateFrom(j.at("judged_on"));
  e.hire_date = DateFrom(j.at("hire_date"));
  e.basis = j.at("basis").get<std::string>();
  e.eligible_by = model::CriterionSet::FromBits(j.at("eligible_by").get<std::uint32_t>());
  e.criteria = ProofsFrom(j.at("criteria"));
  e.provisional = model::CriterionSet::FromBits(j.at("provisional").get<std::uint32_t>());
  e.diagnosis_date = OptionalDate(j, "diagnosis_date");
  e.diagnosed_by = j.at("diagnosed_by").get<std::string>();
  e.by_diagnosis = model::CriterionSet::FromBits(j.at("by_diagnosis").get<std::uint32_t>());
  if (j.contains("derogation")) {
    const auto& d = j["derogation"];
    e.derogation = model::Derogation{DateFrom(d.at("granted_on")), d.at("granted_by").get<std::string>(), ""};
  }
  for (const auto& c : j.at("conditions")) {
    auto criterion = model::ParseCriterion(c.at("criterion").get<std::string>());
    if (!criterion) throw std::runtime_error("store record: unknown criterion");
    e.conditions.push_back({*criterion, DateFrom(c.at("renew_by"))});
  }
  return e;
}

}  // namespace

json ToRecord(const model::Participant& p) {
  json j;
  j["id"] = p.id.value();
  j["external_ref"] = p.external_ref;
  j["prescriber_org"] = p.prescriber_org;
  j["prescriber_kind"] = EnumText(p.prescriber_kind);
  j["first_name"] = p.first_name;
  j["last_name"] = p.last_name;
  j["birth_date"] = DateText(p.birth_date);
  if (p.email) j["email"] = *p.email;
  if (p.phone) j["phone"] = *p.phone;
  j["criteria"] = ProofsRecord(p.criteria);
  PutOptionalDate(j, "diagnosis_date", p.diagnosis_date);
  if (p.derogation)
    j["derogation"] = {{"granted_on", DateText(p.derogation->granted_on)},
                       {"granted_by", p.derogation->granted_by},
                       {"reason", p.derogation->reason}};
  j["commune_insee"] = p.commune_insee;
  j["location"] = PointJson(p.location);
  j["mobility_radius_km"] = p.mobility_radius_km;
  j["mobility_mode"] = EnumText(p.mobility_mode);
  j["licences"] = p.licences.bits();
  j["sex"] = EnumText(p.sex);
  j["wanted_appellations"] = p.wanted_appellations;
  j["wanted_fiches"] = RomeCodes(p.wanted_fiches);
  j["skills"] = p.skills;
  j["available_from"] = DateText(p.available_from);
  j["weekly_hours_wanted"] = p.weekly_hours_wanted;
  j["status"] = EnumText(p.status);
  j["consent"] = p.consent;
  PutOptionalDate(j, "consent_date", p.consent_date);
  j["registration_date"] = DateText(p.registration_date);
  PutOptionalDate(j, "last_proposal_date", p.last_proposal_date);
  j["open_proposals"] = p.open_proposals;
  return j;
}

model::Participant ParticipantFromRecord(const json& j) {
  model::Participant p;
  p.id = model::ParticipantId(IdFrom(j, "id"));
  p.external_ref = j.at("external_ref").get<std::string>();
  p.prescriber_org = j.at("prescriber_org").get<std::string>();
  p.prescriber_kind = EnumFrom<model::PrescriberKind>(j.at("prescriber_kind"));
  p.first_name = j.at("first_name").get<std::string>();
  p.last_name = j.at("last_name").get<std::string>();
  p.birth_date = DateFrom(j.at("birth_date"));
  if (j.contains("email")) p.email = j["email"].get<std::string>();
  if (j.contains("phone")) p.phone = j["phone"].get<std::string>();
  p.criteria = ProofsFrom(j.at("criteria"));
  p.diagnosis_date = OptionalDate(j, "diagnosis_date");
  if (j.contains("derogation")) {
    const auto& d = j["derogation"];
    p.derogation = model::Derogation{DateFrom(d.at("granted_on")), d.at("granted_by").get<std::string>(),
                                     d.at("reason").get<std::string>()};
  }
  p.commune_insee = j.at("commune_insee").get<std::string>();
  p.location = PointFrom(j, "location");
  p.mobility_radius_km = j.at("mobility_radius_km").get<double>();
  p.mobility_mode = EnumFrom<model::MobilityMode>(j.at("mobility_mode"));
  p.licences = model::LicenceSet::FromBits(j.at("licences").get<std::uint16_t>());
  // Migration 005 gave the rows stored before it "non_renseigne"; a record without it reads so too.
  if (const auto it = j.find("sex"); it != j.end()) p.sex = EnumFrom<model::Sex>(*it);
  p.wanted_appellations = j.at("wanted_appellations").get<std::vector<model::AppellationCode>>();
  p.wanted_fiches = RomeCodesFrom(j.at("wanted_fiches"));
  p.skills = j.at("skills").get<std::vector<model::SkillCode>>();
  p.available_from = DateFrom(j.at("available_from"));
  p.weekly_hours_wanted = j.at("weekly_hours_wanted").get<double>();
  p.status = EnumFrom<model::ParticipantStatus>(j.at("status"));
  p.consent = j.at("consent").get<bool>();
  p.consent_date = OptionalDate(j, "consent_date");
  p.registration_date = DateFrom(j.at("registration_date"));
  p.last_proposal_date = OptionalDate(j, "last_proposal_date");
  p.open_proposals = Value<int>(j, "open_proposals", 0);
  return p;
}

json ToRecord(const model::Contract& c) {
  json j;
  j["id"] = c.id.value();
  j["reference"] = c.reference;
  j["title"] = c.title;
  j["buyer"] = c.buyer;
  j["facilitator_org"] = c.facilitator_org;
  j["holder"] = c.holder;
  j["holder_siret"] = c.holder_siret;
  j["cpv_code"] = c.cpv_code;
  j["amount_excl_vat_eur"] = c.amount_excl_vat_eur;
  j["start"] = DateText(c.start);
  j["end"] = DateText(c.end);
  j["worksite_insee"] = c.worksite_insee;
  j["worksite_location"] = PointJson(c.worksite_location);
  j["clause_type"] = EnumText(c.clause_type);
  j["accepted_publics"] = c.accepted_publics.bits();
  j["accepts_derogation"] = c.accepts_derogation;
  j["accepts_iae_eligibility"] = c.accepts_iae_eligibility;
  j["priority_publics"] = c.priority_publics.bits();
  j["qpv_only"] = c.qpv_only;
  j["iae_level2_required"] = c.iae_level2_required;
  if (c.sizing)
    j["sizing"] = {{"labour_share", c.sizing->labour_share},
                   {"insertion_rate", c.sizing->insertion_rate},
                   {"hourly_cost_eur", c.sizing->hourly_cost_eur}};
  j["insertion_hours"] = c.insertion_hours;
  json quotas = json::array();
  for (const auto& q : c.quotas)
    quotas.push_back({{"public", std::string(model::Code(q.public_criterion))},
                      {"min_positions", q.min_positions},
                      {"min_share", q.min_share}});
  j["quotas"] = std::move(quotas);
  j["status"] = EnumText(c.status);
  return j;
}

model::Contract ContractFromRecord(const json& j) {
  model::Contract c;
  c.id = model::ContractId(IdFrom(j, "id"));
  c.reference = j.at("reference").get<std::string>();
  c.title = j.at("title").get<std::string>();
  c.buyer = j.at("buyer").get<std::string>();
  c.facilitator_org = j.at("facilitator_org").get<std::string>();
  c.holder = j.at("holder").get<std::string>();
  c.holder_siret = j.at("holder_siret").get<std::string>();
  c.cpv_code = j.at("cpv_code").get<std::string>();
  c.amount_excl_vat_eur = j.at("amount_excl_vat_eur").get<double>();
  c.start = DateFrom(j.at("start"));
  c.end = DateFrom(j.at("end"));
  c.worksite_insee = j.at("worksite_insee").get<std::string>();
  c.worksite_location = PointFrom(j, "worksite_location");
  c.clause_type = EnumFrom<model::ClauseType>(j.at("clause_type"));
  c.accepted_publics = model::CriterionSet::FromBits(j.at("accepted_publics").get<std::uint32_t>());
  c.accepts_derogation = j.at("accepts_derogation").get<bool>();
  c.accepts_iae_eligibility = Value<bool>(j, "accepts_iae_eligibility", true);  // records written before it: open
  c.priority_publics = model::CriterionSet::FromBits(j.at("priority_publics").get<std::uint32_t>());
  c.qpv_only = j.at("qpv_only").get<bool>();
  c.iae_level2_required = j.at("iae_level2_required").get<int>();
  if (j.contains("sizing")) {
    const auto& s = j["sizing"];
    c.sizing = model::ClauseSizing{s.at("labour_share").get<double>(), s.at("insertion_rate").get<double>(),
                                   s.at("hourly_cost_eur").get<double>()};
  }
  c.insertion_hours = j.at("insertion_hours").get<double>();
  for (const auto& q : j.at("quotas")) {
    auto criterion = model::ParseCriterion(q.at("public").get<std::string>());
    if (!criterion) throw std::runtime_error("store record: unknown quota public");
    c.quotas.push_back({*criterion, q.at("min_positions").get<int>(), q.at("min_share").get<double>()});
  }
  c.status = EnumFrom<model::ContractStatus>(j.at("status"));
  return c;
}

json ToRecord(const model::Opening& o) {
  json j;
  j["id"] = o.id.value();
  j["contract"] = o.contract.value();
  j["appellation"] = o.appellation;
  j["fiche"] = o.fiche.str();
  j["positions"] = o.positions;
  j["weekly_hours"] = o.weekly_hours;
  j["start"] = DateText(o.start);
  j["end"] = DateText(o.end);
  j["worksite_insee"] = o.worksite_insee;
  j["worksite_location"] = PointJson(o.worksite_location);
  j["contract_type"] = EnumText(o.contract_type);
  j["required_licences"] = o.required_licences.bits();
  j["required_skills"] = o.required_skills;
  j["max_distance_km"] = o.max_distance_km;
  j["status"] = EnumText(o.status);
  return j;
}

model::Opening OpeningFromRecord(const json& j) {
  model::Opening o;
  o.id = model::OpeningId(IdFrom(j, "id"));
  o.contract = model::ContractId(IdFrom(j, "contract"));
  o.appellation = j.at("appellation").get<model::AppellationCode>();
  o.fiche = model::RomeCode::Parse(j.at("fiche").get<std::string>()).value_or(model::RomeCode{});
  o.positions = j.at("positions").get<int>();
  o.weekly_hours = j.at("weekly_hours").get<double>();
  o.start = DateFrom(j.at("start"));
  o.end = DateFrom(j.at("end"));
  o.worksite_insee = j.at("worksite_insee").get<std::string>();
  o.worksite_location = PointFrom(j, "worksite_location");
  o.contract_type = EnumFrom<model::ContractType>(j.at("contract_type"));
  o.required_licences = model::LicenceSet::FromBits(j.at("required_licences").get<std::uint16_t>());
  o.required_skills = j.at("required_skills").get<std::vector<model::SkillCode>>();
  o.max_distance_km = j.at("max_distance_km").get<double>();
  o.status = EnumFrom<model::OpeningStatus>(j.at("status"));
  return o;
}

json ToRecord(const model::Placement& p) {
  json j;
  j["id"] = p.id.value();
  j["participant"] = p.participant.value();
  j["opening"] = p.opening.value();
  j["contract"] = p.contract.value();
  j["status"] = EnumText(p.status);
  j["contract_type"] = EnumText(p.contract_type);
  j["route"] = EnumText(p.route);
  j["employer"] = p.employer;
  j["employer_siret"] = p.employer_siret;
  j["start"] = DateText(p.start);
  j["end"] = DateText(p.end);
  j["weekly_hours"] = p.weekly_hours;
  json hours = json::array();
  for (const auto& h : p.hours) {
    json report{{"year", h.year}, {"month", h.month}, {"hours", h.hours}, {"reported_on", DateText(h.reported_on)}};
    if (h.amount)
      report["amount"] = {{"amount_eur", h.amount->amount_eur},
                          {"labour_share", h.amount->labour_share},
                          {"hourly_cost_eur", h.amount->hourly_cost_eur}};
    hours.push_back(std::move(report));
  }
  j["hours"] = std::move(hours);
  json outcomes = json::array();
  for (const auto& o : p.outcomes)
    outcomes.push_back({{"months_after_entry", o.months_after_entry},
                        {"outcome", EnumText(o.outcome)},
                        {"recorded_on", DateText(o.recorded_on)}});
  j["outcomes"] = std::move(outcomes);
  if (p.eligibility) j["eligibility"] = SnapshotRecord(*p.eligibility);
  return j;
}

model::Placement PlacementFromRecord(const json& j) {
  model::Placement p;
  p.id = model::PlacementId(IdFrom(j, "id"));
  p.participant = model::ParticipantId(IdFrom(j, "participant"));
  p.opening = model::OpeningId(IdFrom(j, "opening"));
  p.contract = model::ContractId(IdFrom(j, "contract"));
  p.status = EnumFrom<model::PlacementStatus>(j.at("status"));
  p.contract_type = EnumFrom<model::ContractType>(j.at("contract_type"));
  p.route = EnumFrom<model::FulfilmentRoute>(j.at("route"));
  p.employer = j.at("employer").get<std::string>();
  p.employer_siret = j.at("employer_siret").get<std::string>();
  p.start = DateFrom(j.at("start"));
  p.end = DateFrom(j.at("end"));
  p.weekly_hours = j.at("weekly_hours").get<double>();
  for (const auto& h : j.at("hours")) {
    auto& report = p.hours.emplace_back();
    report.year = h.at("year").get<int>();
    report.month = h.at("month").get<int>();
    report.hours = h.at("hours").get<double>();
    report.reported_on = DateFrom(h.at("reported_on"));
    // Reports stored before subcontracting amounts existed have none: no migration needed.
    if (auto a = h.find("amount"); a != h.end())
      report.amount = model::SubcontractAmount{a->at("amount_eur").get<double>(), a->at("labour_share").get<double>(),
                                               a->at("hourly_cost_eur").get<double>()};
  }
  for (const auto& o : j.at("outcomes"))
    p.outcomes.push_back({o.at("months_after_entry").get<int>(), EnumFrom<model::Outcome>(o.at("outcome")),
                          DateFrom(o.at("recorded_on"))});
  // Rows written before snapshots existed have none.
  if (auto it = j.find("eligibility"); it != j.end()) p.eligibility = SnapshotFrom(*it);
  return p;
}

}  // namespace clausematch::store
