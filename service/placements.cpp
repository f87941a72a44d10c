#include "service/placements.hpp"

#include <algorithm>
#include <initializer_list>

#include "matcher/eligibility.hpp"
#include "model/validity.hpp"
#include "service/error.hpp"

namespace clausematch::service {
namespace {

// Records `placement` on `opening`, then marks the opening filled when it took the last position.
void Insert(store::Session& s, model::Placement& placement, model::Opening& opening, int taken_before,
            std::int64_t proposal) {
  s.InsertPlacement(placement, proposal);
  if (taken_before + 1 >= opening.positions && opening.status == model::OpeningStatus::kOpen) {
    opening.status = model::OpeningStatus::kFilled;
    s.UpdateOpening(opening);
  }
}

bool AboutTheOpening(const model::Problem& p) { return p.field == "/opening_id" || p.field == "/contract_id"; }
bool AboutThePerson(const model::Problem& p) { return p.field == "/participant_id"; }
bool NotEligible(const model::Problem& p) { return p.code == "not_eligible"; }

// The proof a snapshot keeps for criterion `c`: the latest dated one valid on one of `days`, else
// the latest dated one.
model::CriterionProof ProofOf(const model::Participant& person, model::Criterion c,
                              std::initializer_list<model::Date> days) {
  const model::CriterionProof* best = nullptr;
  const model::CriterionProof* best_valid = nullptr;
  for (const auto& proof : person.criteria) {
    if (proof.criterion != c || !proof.proof_date) continue;
    if (best == nullptr || *best->proof_date < *proof.proof_date) best = &proof;
    const auto range = model::ProofValidity(proof);
    bool valid = false;
    for (const auto d : days) valid = valid || (range && range->Contains(d));
    if (valid && (best_valid == nullptr || *best_valid->proof_date < *proof.proof_date)) best_valid = &proof;
  }
  if (best_valid) return *best_valid;
  if (best) return *best;
  return {c, std::nullopt, ""};
}

}  // namespace

lifecycle::EntryJudgement EligibilityAtHire(const model::Contract& contract, const model::Opening& opening,
                                            const model::Participant& person, model::Date hire_date,
                                            model::Date decided_on) {
  // The clause's rules only (see the header): the other hard rules are set aside on copies, and
  // the opening "starts" on the hire date so that the verdict is judged at it.
  model::Participant p = person;
  p.status = model::ParticipantStatus::kActive;
  p.consent = true;
  p.available_from = std::min(p.available_from, hire_date);
  p.licences = opening.required_licences;
  model::Opening o = opening;
  o.start = hire_date;
  const auto today = std::min(decided_on, hire_date);
  const auto v = matcher::CheckEligibility(p, contract, o, today);
  lifecycle::EntryJudgement out;
  if (!v.eligible()) {
    out.refusal = model::Problem{"/participant_id", "not_eligible",
                                 "participant " + std::to_string(person.id.value()) +
                                     " does not count for this clause at the hire date " + hire_date.ToString() + ": " +
                                     std::string(matcher::Info(*v.refusal).label_en)};
    return out;
  }
  model::EligibilitySnapshot e;
  e.judged_on = today;
  e.hire_date = v.hire_date;
  e.basis = std::string(matcher::Code(v.basis));
  e.eligible_by = v.matched;
  for (const auto& info : model::AllCriteria()) {
    if (!v.counted().contains(info.criterion)) continue;
    if (info.proof == model::ProofKind::kAge)
      e.criteria.push_back({info.criterion, std::nullopt, ""});
    else
      e.criteria.push_back(
          ProofOf(person, info.criterion, {v.hire_date, today, person.diagnosis_date.value_or(today)}));
  }
  e.provisional = v.provisional;
  if (!v.by_diagnosis.empty()) {
    e.diagnosis_date = person.diagnosis_date;
    e.diagnosed_by = person.prescriber_org;
    e.by_diagnosis = v.by_diagnosis;
  }
  if (v.basis == matcher::EligibilityBasis::kDerogation && person.derogation)
    e.derogation = model::Derogation{person.derogation->granted_on, person.derogation->granted_by, ""};
  for (const auto& c : v.conditions()) e.conditions.push_back({c.criterion, c.renew_by});
  out.snapshot = std::move(e);
  return out;
}

std::vector<model::Placement> PlacementsOfContract(store::Session& s, model::ContractId contract) {
  std::vector<model::Placement> all;
  for (std::uint32_t after = 0;;) {
    auto page = s.ListPlacementsOfContract(contract, after, 500);
    if (page.empty()) break;
    after = page.back().id.value();
    for (auto& p : page) all.push_back(std::move(p));
  }
  return all;
}

DecisionResult DecideProposal(store::Session& s, const Caller& caller, const DecisionRequest& request) {
  OwnBatch(caller, s, request.batch);
  auto proposal = s.FindProposal(request.proposal);
  if (!proposal || proposal->batch != request.batch) throw Error(ErrorKind::kNotFound, "no such proposal");
  if (proposal->decision != store::Decision::kPending)
    throw Error(ErrorKind::kConflict,
                "this proposal was already " + std::string(store::DecisionCode(proposal->decision)));
  DecisionResult out;
  out.person = s.FindParticipant(proposal->participant);
  if (request.decision == store::Decision::kAccepted) {
    model::Contract contract;
    auto opening = OwnOpening(caller, s, proposal->opening, &contract);
    if (!out.person) throw Error(ErrorKind::kConflict, "the person's record no longer exists");
    auto acceptance = request.terms;
    acceptance.opening = opening.id;
    acceptance.participant = proposal->participant;
    acceptance.contract = contract.id;
    const auto taken = lifecycle::PositionsTaken(PlacementsOfContract(s, contract.id), opening.id);
    auto placed =
        lifecycle::PlaceOnOpening(contract, opening, *out.person, taken, s.ListPlacements(proposal->participant),
                                  acceptance, model::PlacementStatus::kAccepted, EligibilityAtHire);
    if (!placed.placement) {
      // The state of the opening or the person forbids it (409); otherwise the terms are at fault.
      const bool state = std::all_of(placed.problems.begin(), placed.problems.end(), [](const auto& p) {
        return AboutTheOpening(p) || (AboutThePerson(p) && !NotEligible(p));
      });
      throw Error(state ? ErrorKind::kConflict : ErrorKind::kInvalid,
                  state ? "the proposal can no longer be accepted" : "the terms of the placement are refused",
                  std::move(placed.problems));
    }
    Insert(s, *placed.placement, opening, taken, proposal->id);
    out.placement = std::move(placed.placement);
  }
  proposal->decision = request.decision;
  proposal->decided_by = caller.actor.org;
  proposal->decided_at = store::NowTimestamp();
  proposal->decision_reason = request.reason;
  s.UpdateProposalDecision(*proposal);
  if (out.person) caller.Audit(s, "decide_candidate", proposal->participant);
  out.proposal = std::move(*proposal);
  return out;
}

model::Placement HireDirectly(store::Session& s, const Caller& caller, const lifecycle::Acceptance& acceptance) {
  auto opening = s.FindOpening(acceptance.opening);
  auto contract = opening ? s.FindContract(opening->contract) : std::nullopt;
  if (!opening || !contract || !caller.Sees(contract->facilitator_org))
    throw Error(ErrorKind::kInvalid, "invalid placement", {{"/opening_id", "not_found", "no such opening"}});
  auto person = s.FindParticipant(acceptance.participant);
  // A facilitator records hires of people it was shown for this opening (proposed or shortlisted
  // for it), so an id cannot be used to pull someone else's profile into its placements and
  // indicators, nor a person seen on a crafted opening hired on another.
  if (person && !caller.admin() && !s.ShownAsCandidate(person->id, contract->facilitator_org, opening->id))
    person.reset();
  const auto on_contract = PlacementsOfContract(s, contract->id);
  const auto mine = person ? s.ListPlacements(person->id) : std::vector<model::Placement>{};
  model::Participant unknown;
  unknown.id = acceptance.participant;
  unknown.status = model::ParticipantStatus::kWithdrawn;
  const int taken = lifecycle::PositionsTaken(on_contract, opening->id);
  auto result = lifecycle::PlaceOnOpening(*contract, *opening, person ? *person : unknown, taken, mine, acceptance,
                                          model::PlacementStatus::kHired, EligibilityAtHire);
  // A facilitator does not own participants: whether one exists, is active or is placed elsewhere
  // is not told apart (only an admin sees the reason).
  for (auto& p : result.problems) {
    // A person the caller was shown and who does not count for the clause: said as such (the
    // facilitator saw why they were proposed; the refusal names no criterion they were not shown).
    if (!AboutThePerson(p) || NotEligible(p)) continue;
    if (!caller.admin())
      p = {"/participant_id", "not_available",
           "this person cannot be hired on this opening (unknown, never proposed or shortlisted to you for it, not "
           "active, or already placed over these dates)"};
    else if (!person)
      p = {"/participant_id", "not_found", "no such participant"};
  }
  if (!caller.admin()) {  // one problem for the person, however many rules refused
    bool seen = false;
    std::erase_if(result.problems, [&](const model::Problem& p) {
      if (!AboutThePerson(p) || NotEligible(p)) return false;
      const bool duplicate = seen;
      seen = true;
      return duplicate;
    });
  }
  if (!result.placement) throw Error(ErrorKind::kInvalid, "the hire is refused", std::move(result.problems));
  Insert(s, *result.placement, *opening, taken, 0);
  caller.Audit(s, "hire_candidate", result.placement->participant);
  return *result.placement;
}

model::Placement HireAccepted(store::Session& s, const Caller& caller, model::PlacementId id,
                              const lifecycle::Acceptance& terms, model::Date today) {
  model::Contract contract;
  auto p = OwnPlacement(caller, s, id, &contract);
  if (p.status != model::PlacementStatus::kAccepted)
    throw Error(ErrorKind::kConflict,
                "only an accepted placement can be hired; this one is " + std::string(model::Code(p.status)));
  auto opening = s.FindOpening(p.opening);
  if (!opening) throw Error(ErrorKind::kNotFound, "no such placement");
  // The hire date: the one given, else the accepted one; never before the acceptance was decided.
  auto acceptance = terms;
  acceptance.hire_date = terms.hire_date.value_or(p.start);
  acceptance.decided_on = p.eligibility ? p.eligibility->judged_on : std::min(p.start, today);
  if (auto problems = lifecycle::CheckHireDate(*opening, acceptance); !problems.empty())
    throw Error(ErrorKind::kInvalid, "the hire is refused", std::move(problems));
  const model::Date hire = *acceptance.hire_date;
  // Accepted on two overlapping openings (two runs), a person can be hired on one only.
  auto hired = s.ListPlacements(p.participant);
  std::erase_if(hired, [](const auto& x) { return x.status != model::PlacementStatus::kHired; });
  if (const auto* other = lifecycle::OverlappingPlacement(hired, hire, opening->end, &p))
    throw Error(ErrorKind::kConflict,
                "the person is already hired on placement " + std::to_string(other->id.value()) + " over these dates");
  // The terms given now, else those recorded at acceptance, else the opening's defaults.
  // (Placements accepted before terms were recorded at acceptance have no employer: they take the
  // defaults.)
  if (!p.employer.empty() || !p.employer_siret.empty()) {
    if (!acceptance.contract_type) acceptance.contract_type = p.contract_type;
    if (!acceptance.route) acceptance.route = p.route;
    if (acceptance.employer.empty() && acceptance.employer_siret.empty()) {
      acceptance.employer = p.employer;
      acceptance.employer_siret = p.employer_siret;
    }
  }
  // Judged again at the hire date on the current record: a proof renewed since lifts its condition.
  const auto person = s.FindParticipant(p.participant);
  if (!person) throw Error(ErrorKind::kConflict, "the person's record no longer exists");
  auto judged = EligibilityAtHire(contract, *opening, *person, hire, std::min(today, hire));
  if (judged.refusal) throw Error(ErrorKind::kInvalid, "the hire is refused", {std::move(*judged.refusal)});
  const auto hire_terms = lifecycle::TermsFor(contract, *opening, acceptance);
  if (auto wrong = lifecycle::CheckRouteFitsClause(hire_terms.route, contract); !wrong.empty())
    throw Error(ErrorKind::kInvalid, "the hire is refused", std::move(wrong));
  auto found = lifecycle::Hire(p, hire_terms);
  if (!found.empty()) throw Error(ErrorKind::kInvalid, "the hire is refused", std::move(found));
  p.eligibility = std::move(judged.snapshot);
  s.UpdatePlacement(p);
  caller.Audit(s, "hire_candidate", p.participant);
  return p;
}

}  // namespace clausematch::service
