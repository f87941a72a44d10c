#pragma once
#include <optional>
#include <string>
#include <vector>

#include "model/criteria.hpp"
#include "model/date.hpp"
#include "model/enums.hpp"
#include "model/geo.hpp"
#include "model/ids.hpp"
#include "model/rome_code.hpp"

namespace clausematch::model {

// One eligibility criterion as vouched for by a prescriber. For age-based criteria (jeune,
// senior) the proof is the birth date and `proof_date` may be left unset. How long the proof
// stays valid: model/validity.hpp (ProofValidity).
struct CriterionProof {
  Criterion criterion = Criterion::kRsa;
  std::optional<Date> proof_date;  // date of the supporting document (attestation CAF, notification MDPH...)
  std::string validated_by;        // who checked the proof (organisation code or agent reference)
  // The document's own end date, inclusive, when it has one (the end of an RQTH decision, of a
  // residence title, of a PASS IAE). It bounds the criterion's validity period; required for
  // ValidityKind::kUntilDate criteria, refused on age criteria (model/validation.hpp).
  std::optional<Date> valid_until = std::nullopt;  // (initialised: {criterion, date, by} stays warning-free)
  friend bool operator==(const CriterionProof&, const CriterionProof&) = default;
};

// A facilitator derogation: admits someone outside the clause's publics on a prescriber's
// reasoned opinion. Valid as long as the underlying diagnosis (6 months).
struct Derogation {
  Date granted_on;
  std::string granted_by;  // facilitator organisation code
  std::string reason;
  friend bool operator==(const Derogation&, const Derogation&) = default;
};

// A person followed by a prescriber, candidate to insertion-clause openings. Personal data:
// see docs/privacy.md for who may read which field.
struct Participant {
  ParticipantId id;
  std::string external_ref;  // the prescriber's own reference for the person
  OrgCode prescriber_org;
  PrescriberKind prescriber_kind = PrescriberKind::kFranceTravail;

  std::string first_name;
  std::string last_name;
  Date birth_date;
  Sex sex = Sex::kNonRenseigne;  // for funders' reports only: never read by matching or scores
  std::optional<std::string> email;
  std::optional<std::string> phone;

  std::vector<CriterionProof> criteria;
  std::optional<Date> diagnosis_date;  // prescriber's diagnosis (valid 6 months, see DiagnosisValidity)
  std::optional<Derogation> derogation;

  std::string commune_insee;         // home commune (INSEE code)
  std::optional<GeoPoint> location;  // precise coordinates when known, else the commune centre
  double mobility_radius_km = 25.0;  // users pick 2-100 km
  MobilityMode mobility_mode = MobilityMode::kTransportsEnCommun;
  LicenceSet licences;

  std::vector<AppellationCode> wanted_appellations;
  std::vector<RomeCode> wanted_fiches;
  std::vector<SkillCode> skills;  // ROME code_ogr

  Date available_from;
  double weekly_hours_wanted = 35.0;
  ParticipantStatus status = ParticipantStatus::kActive;
  bool consent = false;  // consent to be proposed to companies and to data processing
  std::optional<Date> consent_date;
  Date registration_date;
  std::optional<Date> last_proposal_date;
  int open_proposals = 0;  // proposals currently pending elsewhere (exposure)

  [[nodiscard]] bool HasCriterion(Criterion c) const {
    for (const auto& p : criteria)
      if (p.criterion == c) return true;
    return false;
  }
};

}  // namespace clausematch::model
