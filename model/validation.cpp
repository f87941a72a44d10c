#include "model/validation.hpp"

#include <cmath>
#include <set>

namespace clausematch::model {
namespace {

class Collector {
 public:
  explicit Collector(Problems& out) : out_(out) {}
  void Add(std::string field, std::string code, std::string message) {
    out_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  void Required(bool ok, const std::string& field) {
    if (!ok) Add(field, "required", "is required");
  }
  void Range(bool ok, const std::string& field, const std::string& what) {
    if (!ok) Add(field, "out_of_range", what);
  }

 private:
  Problems& out_;
};

bool ValidPoint(const GeoPoint& g) { return g.lat >= -90 && g.lat <= 90 && g.lon >= -180 && g.lon <= 180; }

}  // namespace

bool IsInseeCode(std::string_view code) {
  if (code.size() != 5) return false;
  bool corsica = code[0] == '2' && (code[1] == 'A' || code[1] == 'B');
  for (std::size_t i = 0; i < 5; ++i) {
    if (i == 1 && corsica) continue;
    if (code[i] < '0' || code[i] > '9') return false;
  }
  return true;
}

void PrefixFields(Problems& problems, const std::string& prefix) {
  for (auto& p : problems) p.field = prefix + p.field;
}

Problems Validate(const Participant& p, Date today) {
  Problems out;
  Collector c(out);
  c.Required(!p.prescriber_org.empty(), "/prescriber_org");
  c.Required(!p.first_name.empty(), "/first_name");
  c.Required(!p.last_name.empty(), "/last_name");

  const int age = AgeAt(p.birth_date, today);
  c.Range(age >= 15 && age <= 80, "/birth_date", "age must be between 15 and 80 (got " + std::to_string(age) + ")");

  if (p.criteria.empty() && !p.derogation)
    c.Add("/criteria", "required", "at least one eligibility criterion (or a facilitator derogation) is required");
  std::set<Criterion> seen;
  for (std::size_t i = 0; i < p.criteria.size(); ++i) {
    const auto& proof = p.criteria[i];
    const std::string base = "/criteria/" + std::to_string(i);
    if (!seen.insert(proof.criterion).second)
      c.Add(base + "/criterion", "duplicate", "criterion '" + std::string(Code(proof.criterion)) + "' is listed twice");
    if (Info(proof.criterion).proof == ProofKind::kDocument) {
      if (!proof.proof_date)
        c.Add(base + "/proof_date", "required",
              "a proof date is required for '" + std::string(Code(proof.criterion)) + "'");
      c.Required(!proof.validated_by.empty(), base + "/validated_by");
    }
    if (proof.proof_date && *proof.proof_date > today)
      c.Add(base + "/proof_date", "in_future", "proof date " + proof.proof_date->ToString() + " is in the future");
    const std::string code(Code(proof.criterion));
    const ValidityKind validity = Info(proof.criterion).validity;
    if (proof.valid_until) {
      if (validity == ValidityKind::kAge)
        c.Add(base + "/valid_until", "not_applicable",
              "'" + code + "' is judged from the birth date: it takes no valid_until");
      else if (proof.proof_date && *proof.valid_until < *proof.proof_date)
        c.Add(base + "/valid_until", "before_proof_date",
              "'" + code + "': valid_until " + proof.valid_until->ToString() + " precedes the proof date " +
                  proof.proof_date->ToString());
    } else if (validity == ValidityKind::kUntilDate) {
      c.Add(base + "/valid_until", "required",
            "'" + code + "' is proven by a document with an end date (a decision, a residence title): " +
                "valid_until is required");
    }
  }
  if (p.derogation) {
    c.Required(!p.derogation->granted_by.empty(), "/derogation/granted_by");
    c.Required(!p.derogation->reason.empty(), "/derogation/reason");
    if (p.derogation->granted_on > today)
      c.Add("/derogation/granted_on", "in_future", "derogation date is in the future");
  }
  if (p.diagnosis_date && *p.diagnosis_date > today)
    c.Add("/diagnosis_date", "in_future", "diagnosis date is in the future");

  if (p.commune_insee.empty() && !p.location)
    c.Add("/commune_insee", "required", "a home commune or coordinates are required");
  if (!p.commune_insee.empty() && !IsInseeCode(p.commune_insee))
    c.Add("/commune_insee", "invalid_format", "'" + p.commune_insee + "' is not an INSEE commune code (5 characters)");
  if (p.location && !ValidPoint(*p.location)) c.Range(false, "/location", "latitude/longitude out of range");
  c.Range(p.mobility_radius_km >= kMinRadiusKm && p.mobility_radius_km <= kMaxRadiusKm, "/mobility_radius_km",
          "mobility radius must be between 2 and 100 km");

  if (p.wanted_appellations.empty() && p.wanted_fiches.empty())
    c.Add("/wanted_appellations", "required", "at least one wanted job title (appellation) or ROME fiche is required");
  for (std::size_t i = 0; i < p.wanted_fiches.size(); ++i)
    if (!p.wanted_fiches[i].valid()) c.Add("/wanted_fiches/" + std::to_string(i), "invalid_format", "not a ROME code");

  c.Range(p.weekly_hours_wanted > 0 && p.weekly_hours_wanted <= kMaxWeeklyHours, "/weekly_hours_wanted",
          "weekly hours must be in (0, 48]");
  if (p.registration_date > today) c.Add("/registration_date", "in_future", "registration date is in the future");
  if (p.available_from < p.birth_date) c.Range(false, "/available_from", "availability precedes the birth date");
  if (p.consent && !p.consent_date) c.Add("/consent_date", "required", "the date consent was given is required");
  if (p.email && p.email->find('@') == std::string::npos) c.Add("/email", "invalid_format", "not an e-mail address");
  c.Range(p.open_proposals >= 0, "/open_proposals", "cannot be negative");
  return out;
}

Problems Validate(const Contract& k) {
  Problems out;
  Collector c(out);
  c.Required(!k.reference.empty(), "/reference");
  c.Required(!k.buyer.empty(), "/buyer");
  c.Required(!k.facilitator_org.empty(), "/facilitator_org");
  c.Range(k.amount_excl_vat_eur >= 0 && k.amount_excl_vat_eur <= kMaxAmountEur, "/amount_excl_vat_eur",
          "amount must be between 0 and 1e12 euros");
  if (k.end < k.start) c.Range(false, "/end", "end date precedes start date");
  if (k.worksite_insee.empty() && !k.worksite_location)
    c.Add("/worksite_insee", "required", "a worksite commune or coordinates are required");
  if (!k.worksite_insee.empty() && !IsInseeCode(k.worksite_insee))
    c.Add("/worksite_insee", "invalid_format", "'" + k.worksite_insee + "' is not an INSEE commune code");
  if (k.worksite_location && !ValidPoint(*k.worksite_location))
    c.Range(false, "/worksite_location", "latitude/longitude out of range");
  if (k.accepted_publics.empty() && !k.accepts_derogation)
    c.Add("/accepted_publics", "required", "a clause must accept at least one public");
  c.Range(k.iae_level2_required >= 1 && k.iae_level2_required <= 5, "/iae_level2_required", "must be between 1 and 5");
  if (k.sizing) {
    c.Range(k.sizing->labour_share > 0 && k.sizing->labour_share <= 1, "/sizing/labour_share", "must be in (0, 1]");
    c.Range(k.sizing->insertion_rate > 0 && k.sizing->insertion_rate <= 1, "/sizing/insertion_rate",
            "must be in (0, 1]");
    c.Range(std::isfinite(k.sizing->hourly_cost_eur) && k.sizing->hourly_cost_eur > 0, "/sizing/hourly_cost_eur",
            "must be positive");
  }
  c.Range(k.insertion_hours >= 0 && k.insertion_hours <= kMaxInsertionHours, "/insertion_hours",
          "must be between 0 and 1e8 hours");
  for (std::size_t i = 0; i < k.quotas.size(); ++i) {
    const auto& q = k.quotas[i];
    const std::string base = "/quotas/" + std::to_string(i);
    c.Range(q.min_positions >= 0, base + "/min_positions", "cannot be negative");
    c.Range(q.min_share >= 0 && q.min_share <= 1, base + "/min_share", "must be in [0, 1]");
    if (q.min_positions == 0 && q.min_share == 0) c.Add(base, "empty", "a quota needs min_positions or min_share");
    if (!k.accepted_publics.contains(q.public_criterion) && !k.priority_publics.contains(q.public_criterion))
      c.Add(base + "/public", "not_accepted",
            "quota public '" + std::string(Code(q.public_criterion)) +
                "' is neither an accepted nor a priority public of the clause");
  }
  return out;
}

Problems Validate(const Opening& o, const Contract* contract) {
  Problems out;
  Collector c(out);
  c.Required(o.contract.valid(), "/contract");
  c.Required(o.appellation != 0, "/appellation");
  c.Range(o.positions >= 1 && o.positions <= kMaxPositions, "/positions", "must be between 1 and 10000");
  c.Range(o.weekly_hours > 0 && o.weekly_hours <= kMaxWeeklyHours, "/weekly_hours", "weekly hours must be in (0, 48]");
  if (o.end < o.start) c.Range(false, "/end", "end date precedes start date");
  if (contract) {
    if (o.start < contract->start)
      c.Range(false, "/start", "opening starts before its contract (" + contract->start.ToString() + ")");
    if (o.end > contract->end)
      c.Range(false, "/end", "opening ends after its contract (" + contract->end.ToString() + ")");
  }
  if (o.worksite_insee.empty() && !o.worksite_location)
    c.Add("/worksite_insee", "required", "a worksite commune or coordinates are required");
  if (!o.worksite_insee.empty() && !IsInseeCode(o.worksite_insee))
    c.Add("/worksite_insee", "invalid_format", "'" + o.worksite_insee + "' is not an INSEE commune code");
  c.Range(o.max_distance_km > 0 && o.max_distance_km <= 200, "/max_distance_km", "must be in (0, 200] km");
  return out;
}

Problems Validate(const Placement& p) {
  Problems out;
  Collector c(out);
  c.Required(p.participant.valid(), "/participant");
  c.Required(p.opening.valid(), "/opening");
  if (p.end < p.start) c.Range(false, "/end", "end date precedes start date");
  c.Range(p.weekly_hours > 0 && p.weekly_hours <= kMaxWeeklyHours, "/weekly_hours", "weekly hours must be in (0, 48]");
  for (std::size_t i = 0; i < p.hours.size(); ++i) {
    const auto& h = p.hours[i];
    const std::string base = "/hours/" + std::to_string(i);
    c.Range(h.month >= 1 && h.month <= 12, base + "/month", "month must be 1-12");
    c.Range(std::isfinite(h.hours) && h.hours >= 0, base + "/hours", "hours cannot be negative");
    if (h.amount) {
      const auto& a = *h.amount;
      const bool amount_ok = std::isfinite(a.amount_eur) && a.amount_eur > 0 && a.amount_eur <= kMaxAmountEur;
      const bool share_ok = std::isfinite(a.labour_share) && a.labour_share > 0 && a.labour_share <= 1;
      const bool cost_ok = std::isfinite(a.hourly_cost_eur) && a.hourly_cost_eur >= kMinHourlyCostEur &&
                           a.hourly_cost_eur <= kMaxHourlyCostEur;
      c.Range(amount_ok, base + "/amount/amount_eur", "must be in (0, 1e12] euros");
      c.Range(share_ok, base + "/amount/labour_share", "must be in (0, 1]");
      c.Range(cost_ok, base + "/amount/hourly_cost_eur", "must be in [1, 1000] euros an hour");
      if (amount_ok && share_ok && cost_ok && std::abs(h.hours - HoursOf(a)) > 1e-6)
        c.Add(base + "/hours", "inconsistent", "the hours are not amount × labour share ÷ hourly cost");
    }
  }
  for (std::size_t i = 0; i < p.outcomes.size(); ++i) {
    const auto& o = p.outcomes[i];
    c.Range(o.months_after_entry == 6 || o.months_after_entry == 12,
            "/outcomes/" + std::to_string(i) + "/months_after_entry", "must be 6 or 12");
  }
  if (p.eligibility && p.eligibility->hire_date < p.eligibility->judged_on)
    out.push_back({"/eligibility/hire_date", "before_decision", "the hire date precedes the day it was decided"});
  return out;
}

}  // namespace clausematch::model
