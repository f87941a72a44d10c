#include "lifecycle/placements.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace clausematch::lifecycle {
using model::TakesAPosition;

model::FulfilmentRoute DefaultRoute(model::ContractType type) {
  using model::ContractType;
  using model::FulfilmentRoute;
  switch (type) {
    case ContractType::kInterimEtti:
      return FulfilmentRoute::kEtti;
    case ContractType::kGeiq:
      return FulfilmentRoute::kGeiq;
    case ContractType::kMiseADispositionAi:
      return FulfilmentRoute::kAi;
    case ContractType::kCddi:
      return FulfilmentRoute::kSousTraitanceSiae;
    case ContractType::kEsatSoutien:
      return FulfilmentRoute::kEsat;
    default:
      return FulfilmentRoute::kEmbaucheDirecte;
  }
}

std::vector<model::SiaeKind> EmployerKinds(model::FulfilmentRoute route) {
  using model::FulfilmentRoute;
  using model::SiaeKind;
  switch (route) {
    case FulfilmentRoute::kEtti:
      return {SiaeKind::kEtti};
    case FulfilmentRoute::kGeiq:
      return {SiaeKind::kGeiq};
    case FulfilmentRoute::kAi:
      return {SiaeKind::kAi};
    case FulfilmentRoute::kSousTraitanceSiae:
      return {SiaeKind::kEi, SiaeKind::kAci};
    case FulfilmentRoute::kEa:
      return {SiaeKind::kEa};
    case FulfilmentRoute::kEsat:  // ESAT are not in the SIAE directory: the employer is named
    case FulfilmentRoute::kEmbaucheDirecte:
      break;
  }
  return {};
}

model::Date HireDateOf(const model::Opening& opening, const Acceptance& acceptance) {
  return acceptance.hire_date.value_or(std::max(acceptance.decided_on, opening.start));
}

model::Problems CheckHireDate(const model::Opening& opening, const Acceptance& acceptance) {
  model::Problems problems;
  const model::Date hire = HireDateOf(opening, acceptance);
  if (hire < acceptance.decided_on)
    problems.push_back(
        {"/hire_date", "before_decision",
         "the hire date " + hire.ToString() + " precedes the decision (" + acceptance.decided_on.ToString() + ")"});
  else if (hire < opening.start || opening.end < hire)
    problems.push_back({"/hire_date", "out_of_range",
                        "the hire date " + hire.ToString() + " is outside the opening's dates (" +
                            opening.start.ToString() + " to " + opening.end.ToString() + ")"});
  return problems;
}

HireTerms TermsFor(const model::Contract& contract, const model::Opening& opening, const Acceptance& acceptance) {
  HireTerms terms;
  terms.contract_type = acceptance.contract_type.value_or(opening.contract_type);
  terms.route = acceptance.route.value_or(DefaultRoute(terms.contract_type));
  terms.employer = acceptance.employer;
  terms.employer_siret = acceptance.employer_siret;
  if (terms.employer.empty() && terms.employer_siret.empty() &&
      terms.route == model::FulfilmentRoute::kEmbaucheDirecte) {
    terms.employer = contract.holder;
    terms.employer_siret = contract.holder_siret;
  }
  terms.start = HireDateOf(opening, acceptance);
  terms.end = opening.end;
  terms.weekly_hours = opening.weekly_hours;
  return terms;
}

const model::Placement* OverlappingPlacement(std::span<const model::Placement> person_placements, model::Date start,
                                             model::Date end, const model::Placement* self) {
  for (const auto& other : person_placements) {
    if (self != nullptr && other.id.valid() && other.id == self->id) continue;
    if (TakesAPosition(other) && !(other.end < start) && !(end < other.start)) return &other;
  }
  return nullptr;
}

int PositionsTaken(std::span<const model::Placement> placements, model::OpeningId opening) {
  return static_cast<int>(std::count_if(placements.begin(), placements.end(), [&](const model::Placement& p) {
    return p.opening == opening && TakesAPosition(p);
  }));
}

PlacementOrProblems PlaceOnOpening(const model::Contract& contract, const model::Opening& opening,
                                   const model::Participant& person, int positions_taken,
                                   std::span<const model::Placement> person_placements, const Acceptance& acceptance,
                                   model::PlacementStatus status, const EligibilityJudge& judge) {
  PlacementOrProblems out;
  auto& problems = out.problems;
  const model::Date hire_date = HireDateOf(opening, acceptance);
  problems = CheckHireDate(opening, acceptance);
  const std::string opening_name = "opening " + std::to_string(opening.id.value());
  if (acceptance.contract && *acceptance.contract != opening.contract)
    problems.push_back({"/contract_id", "inconsistent",
                        opening_name + " belongs to contract " + std::to_string(opening.contract.value()) + ", not " +
                            std::to_string(acceptance.contract->value())});
  if (opening.status != model::OpeningStatus::kOpen)
    problems.push_back({"/opening_id", "not_open", opening_name + " is " + std::string(model::Code(opening.status))});
  else if (positions_taken >= opening.positions)
    problems.push_back({"/opening_id", "no_position_left",
                        opening_name + " has " + std::to_string(opening.positions) +
                            " position(s), all taken by accepted or hired placements"});
  const std::string person_name = "participant " + std::to_string(person.id.value());
  if (person.status != model::ParticipantStatus::kActive)
    problems.push_back(
        {"/participant_id", "not_active", person_name + " is " + std::string(model::Code(person.status))});
  if (const auto* other = OverlappingPlacement(person_placements, hire_date, opening.end))
    problems.push_back({"/participant_id", "already_placed",
                        person_name + " already holds placement " +
                            (other->id.valid() ? std::to_string(other->id.value()) : std::string("(this run)")) +
                            " on opening " + std::to_string(other->opening.value()) + " from " +
                            other->start.ToString() + " to " + other->end.ToString()});

  std::optional<model::EligibilitySnapshot> snapshot;
  if (judge && problems.empty()) {
    auto judged = judge(contract, opening, person, hire_date, acceptance.decided_on);
    if (judged.refusal) problems.push_back(std::move(*judged.refusal));
    snapshot = std::move(judged.snapshot);
  }

  model::Placement placement;
  placement.participant = person.id;
  placement.opening = opening.id;
  placement.contract = opening.contract;
  placement.status = model::PlacementStatus::kAccepted;
  const auto terms = TermsFor(contract, opening, acceptance);
  auto hire = Hire(placement, terms);
  for (auto& p : hire) {
    // An acceptance may come before the company or structure is known: the hire names it.
    if (status == model::PlacementStatus::kAccepted && p.field == "/employer" && p.code == "required") continue;
    if (p.field == "/employer" && EmployerKinds(terms.route).size() > 0)
      p.message += " (the " + std::string(model::Code(terms.route)) + " structure that employs the person)";
    problems.push_back(std::move(p));
  }
  for (auto& p : CheckRouteFitsClause(terms.route, contract)) problems.push_back(std::move(p));
  if (problems.empty()) {
    if (placement.status != model::PlacementStatus::kHired) {  // Hire left it (no employer yet)
      placement.contract_type = terms.contract_type;
      placement.route = terms.route;
      placement.start = terms.start;
      placement.end = terms.end;
      placement.weekly_hours = terms.weekly_hours;
    }
    placement.status = status;
    placement.eligibility = std::move(snapshot);
    out.placement = std::move(placement);
  }
  return out;
}

model::Problems RecordOutcome(model::Placement& placement, const model::OutcomeRecord& record,
                              std::optional<model::Date> today) {
  model::Problems problems;
  if (!CountsTowardsClause(placement))
    problems.push_back({"/status", "not_hired",
                        "placement " + std::to_string(placement.id.value()) + " is " +
                            std::string(model::Code(placement.status)) + ", not hired: no outcome can be recorded"});
  if (record.months_after_entry != 6 && record.months_after_entry != 12) {
    problems.push_back({"/months_after_entry", "invalid_value", "6 or 12"});
  } else if (const auto due = placement.start.AddMonths(record.months_after_entry); record.recorded_on < due) {
    problems.push_back({"/recorded_on", "out_of_range",
                        "the situation " + std::to_string(record.months_after_entry) +
                            " months after entry can be recorded from " + due.ToString() + " (entry " +
                            placement.start.ToString() + ")"});
  } else if (today && today->AddDays(kReportDateMarginDays) < record.recorded_on) {
    problems.push_back({"/recorded_on", "in_future",
                        "a record cannot be dated after " + today->AddDays(kReportDateMarginDays).ToString()});
  }
  if (problems.empty()) placement.outcomes.push_back(record);
  return problems;
}

AcceptReport AcceptProposals(model::Dataset& dataset, std::span<const Acceptance> acceptances,
                             const EligibilityJudge& judge) {
  AcceptReport report;
  std::unordered_map<model::ParticipantId, std::vector<model::Placement>> by_person;
  std::unordered_map<model::OpeningId, int> taken;
  for (const auto& p : dataset.placements) {
    by_person[p.participant].push_back(p);
    if (TakesAPosition(p)) ++taken[p.opening];
  }
  std::vector<model::Placement> created;
  for (std::size_t i = 0; i < acceptances.size(); ++i) {
    const auto& a = acceptances[i];
    const auto* opening = dataset.FindOpening(a.opening);
    const auto* person = dataset.FindParticipant(a.participant);
    if (opening == nullptr)
      report.problems.push_back(
          {i, {"/opening_id", "not_found", "no opening " + std::to_string(a.opening.value()) + " in the dataset"}});
    if (person == nullptr)
      report.problems.push_back({i,
                                 {"/participant_id", "not_found",
                                  "no participant " + std::to_string(a.participant.value()) + " in the dataset"}});
    const auto* contract = opening ? dataset.FindContract(opening->contract) : nullptr;
    if (opening != nullptr && contract == nullptr)
      report.problems.push_back(
          {i,
           {"/opening_id", "not_found",
            "the contract " + std::to_string(opening->contract.value()) + " of the opening is not in the dataset"}});
    if (opening == nullptr || person == nullptr || contract == nullptr) continue;
    auto& mine = by_person[person->id];
    auto result = PlaceOnOpening(*contract, *opening, *person, taken[opening->id], mine, a,
                                 model::PlacementStatus::kHired, judge);
    for (auto& p : result.problems) report.problems.push_back({i, std::move(p)});
    if (!result.placement) continue;
    mine.push_back(*result.placement);
    ++taken[opening->id];
    created.push_back(std::move(*result.placement));
  }
  if (!report.problems.empty()) return report;

  std::uint32_t next = 1;
  for (const auto& p : dataset.placements) next = std::max(next, p.id.value() + 1);
  for (auto& p : created) {
    p.id = model::PlacementId(next++);
    report.created.push_back(p.id);
    dataset.placements.push_back(std::move(p));
  }
  // Only the openings this run took positions on change status.
  std::unordered_set<model::OpeningId> touched;
  for (const auto& a : acceptances) touched.insert(a.opening);
  for (auto& o : dataset.openings)
    if (o.status == model::OpeningStatus::kOpen && touched.contains(o.id) && taken[o.id] >= o.positions) {
      o.status = model::OpeningStatus::kFilled;
      ++report.openings_filled;
    }
  return report;
}

}  // namespace clausematch::lifecycle
