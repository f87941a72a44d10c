#include "lifecycle/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "lifecycle/hours.hpp"

namespace clausematch::lifecycle {
namespace {

using model::Date;

bool Overlaps(Date start, Date end, const IndicatorQuery& q) {
  if (q.from && end < *q.from) return false;
  if (q.to && *q.to < start) return false;
  return true;
}

bool Within(Date d, const IndicatorQuery& q) {
  if (q.from && d < *q.from) return false;
  if (q.to && *q.to < d) return false;
  return true;
}

const model::Commune* WorksiteCommune(const model::Contract& c, const model::Referential* ref) {
  return ref && !c.worksite_insee.empty() ? ref->FindCommune(c.worksite_insee) : nullptr;
}

bool CommuneIn(const model::Commune* commune, const IndicatorQuery& q) {
  if (q.departement.empty() && q.region.empty()) return true;
  if (commune == nullptr) return false;
  if (!q.departement.empty() && commune->departement != q.departement) return false;
  if (!q.region.empty() && commune->region != q.region) return false;
  return true;
}

bool InTerritory(const model::Contract& c, const model::Referential* ref, const IndicatorQuery& q) {
  if (q.departement.empty() && q.region.empty()) return true;
  return CommuneIn(WorksiteCommune(c, ref), q);
}

// TerritoryBasis::kResidence: the person's home commune (unknown person or commune: outside).
bool LivesIn(const model::Participant* p, const model::Referential* ref, const IndicatorQuery& q) {
  if (q.departement.empty() && q.region.empty()) return true;
  if (p == nullptr || ref == nullptr || p->commune_insee.empty()) return false;
  return CommuneIn(ref->FindCommune(p->commune_insee), q);
}

// The contracts, placements and participants a query covers.
struct Scope {
  std::vector<const model::Contract*> contracts;  // territory and period
  std::vector<const model::Placement*> placements;
  struct Person {
    const model::Participant* participant = nullptr;  // null when unknown to the dataset
    const model::Placement* first = nullptr;          // earliest start
    std::vector<const model::Placement*> placements;
  };
  std::map<model::ParticipantId, Person> people;  // ordered by id: deterministic output
  // People mobilised: with a placement of any status (proposed, declined... hired) in the
  // territory, dates overlapping P.
  std::map<model::ParticipantId, const model::Participant*> mobilised;

  static model::Sex SexOf(const model::Participant* p) { return p ? p->sex : model::Sex::kNonRenseigne; }

  // The same scope restricted to the people of one sex (a person unknown to the dataset is "non
  // renseigné"); the contracts stay.
  [[nodiscard]] Scope OnlySex(const model::Dataset& d, model::Sex sex) const {
    Scope s;
    s.contracts = contracts;
    for (const auto* p : placements)
      if (SexOf(d.FindParticipant(p->participant)) == sex) s.placements.push_back(p);
    for (const auto& [id, person] : people)
      if (SexOf(person.participant) == sex) s.people.emplace(id, person);
    for (const auto& [id, participant] : mobilised)
      if (SexOf(participant) == sex) s.mobilised.emplace(id, participant);
    return s;
  }

  Scope(const model::Dataset& d, const model::Referential* ref, const IndicatorQuery& q) {
    const bool residence = q.territory_of == TerritoryBasis::kResidence;
    std::unordered_map<model::ContractId, const model::Contract*> territorial;
    for (const auto& c : d.contracts) {
      if (!residence && !InTerritory(c, ref, q)) continue;
      territorial.emplace(c.id, &c);
      if (!residence && Overlaps(c.start, c.end, q)) contracts.push_back(&c);
    }
    std::set<model::ContractId> of_residents;
    for (const auto& p : d.placements) {
      if (!Overlaps(p.start, p.end, q)) continue;
      const auto* contract = ContractOf(d, p, territorial);
      if (contract == nullptr) continue;
      const auto* participant = d.FindParticipant(p.participant);
      if (residence && !LivesIn(participant, ref, q)) continue;
      mobilised.emplace(p.participant, participant);
      if (!CountsTowardsClause(p)) continue;
      placements.push_back(&p);
      if (residence && Overlaps(contract->start, contract->end, q)) of_residents.insert(contract->id);
      auto& person = people[p.participant];
      person.participant = participant;
      person.placements.push_back(&p);
      if (person.first == nullptr || p.start < person.first->start) person.first = &p;
    }
    if (residence)
      for (const auto& c : d.contracts)
        if (of_residents.contains(c.id)) contracts.push_back(&c);
  }

  Scope() = default;

  static const model::Contract* ContractOf(
      const model::Dataset& d, const model::Placement& p,
      const std::unordered_map<model::ContractId, const model::Contract*>& contracts) {
    model::ContractId id = p.contract;
    if (!id.valid())
      if (const auto* o = d.FindOpening(p.opening)) id = o->contract;
    const auto it = contracts.find(id);
    return it == contracts.end() ? nullptr : it->second;
  }
};

// Of each placement, the record of the horizon recorded last (a correction wins whatever date it
// gives); across a person's placements, the one dated last.
std::optional<model::Outcome> LatestOutcome(const Scope::Person& person, int months) {
  const model::OutcomeRecord* best = nullptr;
  for (const auto* p : person.placements) {
    const model::OutcomeRecord* last = nullptr;
    for (const auto& o : p->outcomes)
      if (o.months_after_entry == months) last = &o;
    if (last != nullptr && (best == nullptr || !(last->recorded_on < best->recorded_on))) best = last;
  }
  return best ? std::optional(best->outcome) : std::nullopt;
}

// "RSA recipient" and "under 26" at entry: the one rule (model::CriteriaAtEntry) of the first
// placement — its snapshot's criteria at the hire date, as the batch summary counts its proposals.
model::CriterionSet AtEntry(const Scope::Person& person) {
  return model::CriteriaAtEntry(*person.first, person.participant);
}

class Builder {
 public:
  explicit Builder(IndicatorReport& r) : r_(r) {}
  // The sex code the rows added next are about ("" for everyone).
  void SetSex(std::string sex) { sex_ = std::move(sex); }
  std::size_t Add(std::string section, std::string indicator, std::string category, std::string label, double value,
                  bool people, bool hours = false) {
    r_.rows.push_back({std::move(section), std::move(indicator), std::move(category), std::move(label),
                       Cell{value, people, hours, CellStatus::kShown}, sex_});
    return r_.rows.size() - 1;
  }
  // A breakdown: one row per category, then its total; records the equation.
  template <typename E, typename Entries>
  void Breakdown(const std::string& section, const std::string& indicator, const Entries& entries,
                 const std::map<E, int>& counts, bool people, const std::string& total_label,
                 const std::vector<std::pair<std::string, std::pair<std::string, int>>>& extra = {}) {
    std::vector<std::size_t> parts;
    int total = 0;
    for (const auto& e : entries) {
      const auto it = counts.find(e.value);
      const int n = it == counts.end() ? 0 : it->second;
      total += n;
      parts.push_back(Add(section, indicator, std::string(e.code), std::string(e.label), n, people));
    }
    for (auto& [code, label_count] : extra) {
      total += label_count.second;
      parts.push_back(Add(section, indicator, code, label_count.first, label_count.second, people));
    }
    const auto t = Add(section, indicator, "total", total_label, total, people);
    std::vector<std::size_t> eq{t};
    eq.insert(eq.end(), parts.begin(), parts.end());
    if (people) r_.equations.push_back(std::move(eq));
  }

 private:
  IndicatorReport& r_;
  std::string sex_;
};

std::string FormatNumber(double v, bool hours, bool decimal_comma) {
  char buf[64];
  if (!hours) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();  // "833.50" -> "833.5", "833.00" -> "833"
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (decimal_comma) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace

std::string_view Code(TerritoryBasis basis) { return basis == TerritoryBasis::kResidence ? "residence" : "worksite"; }

std::optional<TerritoryBasis> ParseTerritoryBasis(std::string_view code) {
  if (code == "worksite") return TerritoryBasis::kWorksite;
  if (code == "residence") return TerritoryBasis::kResidence;
  return std::nullopt;
}

const IndicatorRow* IndicatorReport::Find(std::string_view indicator, std::string_view category,
                                          std::string_view sex) const {
  for (const auto& r : rows)
    if (r.indicator == indicator && r.category == category && r.sex == sex) return &r;
  return nullptr;
}

namespace {

// A person's first placement ever (any territory, any period) counting towards a clause.
using FirstEntries = std::unordered_map<model::ParticipantId, const model::Placement*>;

// Clauses by type and the SIAE involved: indicators of contracts and structures, for everyone only.
void AddContractRows(Builder& b, std::span<const model::Siae> siae_directory, const Scope& scope) {
  // Clauses by type.
  std::map<model::ClauseType, int> clauses;
  for (const auto* c : scope.contracts) ++clauses[c->clause_type];
  b.Breakdown("clauses_by_type", "clause_type", model::Entries(model::ClauseType{}), clauses, false,
              "Clauses (marchés) actives sur la période");

  // SIAE involved: distinct employers of placements made through an insertion route.
  std::unordered_map<std::string, model::SiaeKind> directory;
  for (const auto& s : siae_directory) directory.emplace(s.siret, s.kind);
  std::map<std::string, std::optional<model::SiaeKind>> employers;
  for (const auto* p : scope.placements) {
    std::optional<model::SiaeKind> kind;
    if (const auto it = directory.find(p->employer_siret); !p->employer_siret.empty() && it != directory.end())
      kind = it->second;
    else if (p->route == model::FulfilmentRoute::kEtti)
      kind = model::SiaeKind::kEtti;
    else if (p->route == model::FulfilmentRoute::kGeiq)
      kind = model::SiaeKind::kGeiq;
    else if (p->route == model::FulfilmentRoute::kAi)
      kind = model::SiaeKind::kAi;
    else if (p->route == model::FulfilmentRoute::kEa)
      kind = model::SiaeKind::kEa;
    else if (p->route != model::FulfilmentRoute::kSousTraitanceSiae)
      continue;  // a direct hire by an ordinary company, or an ESAT (not a structure of the directory)
    const std::string key = p->employer_siret.empty() ? "name:" + p->employer : "siret:" + p->employer_siret;
    employers.emplace(key, kind);
  }
  std::map<model::SiaeKind, int> by_kind;
  int unidentified = 0;
  for (const auto& [key, kind] : employers) kind ? ++by_kind[*kind] : ++unidentified;
  b.Breakdown("siae_by_kind", "siae_kind", model::kSiaeKinds, by_kind, false, "Structures mobilisées",
              {{"unidentified", {"SIAE en sous-traitance non identifiée (EI ou ACI)", unidentified}}});
}

// The rows of one scope: everyone's (`everyone`: with the indicators of contracts and structures)
// or one sex's (the indicators about people only, in the same order).
void AddRows(IndicatorReport& report, Builder& b, const model::Dataset& dataset,
             std::span<const model::Siae> siae_directory, const IndicatorQuery& query, const Scope& scope,
             const FirstEntries& first_ever, bool everyone) {
  // Hours.
  double forecast = 0.0;
  double forecast_period = 0.0;
  for (const auto* c : scope.contracts) {
    forecast += c->insertion_hours;
    const int days = c->end - c->start + 1;
    if (days <= 0) {
      forecast_period += c->insertion_hours;
      continue;
    }
    const Date from = query.from ? std::max(*query.from, c->start) : c->start;
    const Date to = query.to ? std::min(*query.to, c->end) : c->end;
    forecast_period += c->insertion_hours * std::max(0, to - from + 1) / days;
  }
  double realised = 0.0;
  std::set<model::ParticipantId> contributors;
  for (const auto* p : scope.placements) {
    const double h = HoursWorked(*p, query.from, query.to);
    realised += h;
    if (h > 0) contributors.insert(p->participant);
  }
  if (everyone) {
    b.Add("hours", "hours_forecast", "", "Heures d'insertion prévues (clauses actives sur la période)", forecast, false,
          true);
    b.Add("hours", "hours_forecast_period", "", "Heures d'insertion prévues au prorata de la période", forecast_period,
          false, true);
  }
  const auto realised_row =
      b.Add("hours", "hours_realised", "", "Heures d'insertion réalisées sur la période", realised, true, true);
  const auto rate_row = b.Add("hours", "fulfilment_rate", "", "Taux de réalisation sur la période (%)",
                              forecast_period > 0 ? 100.0 * realised / forecast_period : 0.0, true, true);
  const int n_contrib = static_cast<int>(contributors.size());
  if (n_contrib >= 1 && n_contrib < query.threshold) {
    report.rows[realised_row].cell.status = CellStatus::kPrimary;
    report.rows[rate_row].cell.status = CellStatus::kPrimary;
  }

  // Participants.
  int rsa = 0;
  int young = 0;
  for (const auto& [id, person] : scope.people) {
    const auto at_entry = AtEntry(person);
    if (at_entry.contains(model::Criterion::kRsa)) ++rsa;
    if (at_entry.contains(model::Criterion::kJeune)) ++young;
  }
  const auto total_row = b.Add("participants", "participants", "", "Participants (personnes en poste sur la période)",
                               static_cast<double>(scope.people.size()), true);
  const auto rsa_row = b.Add("participants", "rsa", "", "dont bénéficiaires du RSA", rsa, true);
  const auto young_row =
      b.Add("participants", "under_26", "", "dont jeunes de moins de 26 ans à l'entrée", young, true);
  report.of_whom.push_back({rsa_row, total_row});
  report.of_whom.push_back({young_row, total_row});

  // First entries: "entries" are the people in scope whose first entry falls in the period, "former
  // RSA still in a pathway" those counted RSA at that first entry which preceded the period.
  std::vector<const Scope::Person*> entrants;
  int former_rsa = 0;
  for (const auto& [id, person] : scope.people) {
    const model::Placement* first = first_ever.at(id);
    if (Within(first->start, query)) entrants.push_back(&person);
    if (query.from && first->start < *query.from &&
        model::CriteriaAtEntry(*first, person.participant).contains(model::Criterion::kRsa))
      ++former_rsa;
  }
  const auto entries_row = b.Add("participants", "entries", "", "dont entrées sur la période (première entrée)",
                                 static_cast<double>(entrants.size()), true);
  const auto former_row = b.Add("participants", "former_rsa", "",
                                "dont anciens bénéficiaires du RSA toujours en parcours", former_rsa, true);
  report.of_whom.push_back({entries_row, total_row});
  report.of_whom.push_back({former_row, total_row});

  // By public at entry.
  std::map<model::Criterion, int> publics;
  for (const auto& [id, person] : scope.people) {
    const auto at_entry = AtEntry(person);
    for (const auto c : kReportedPublics)
      if (at_entry.contains(c)) ++publics[c];
  }
  for (const auto c : kReportedPublics) {
    const auto row = b.Add("participants_by_public", "public", std::string(model::Code(c)),
                           std::string(model::Info(c).label), publics[c], true);
    report.of_whom.push_back({row, total_row});
  }

  // Mobilisation: people proposed or hired (any placement status), of whom hired.
  const auto mobilised_row = b.Add("mobilisation", "mobilised", "", "Personnes mobilisées (proposées ou recrutées)",
                                   static_cast<double>(scope.mobilised.size()), true);
  const auto hired_row = b.Add("mobilisation", "hired", "", "dont recrutées (en poste sur la période)",
                               static_cast<double>(scope.people.size()), true);
  report.of_whom.push_back({hired_row, mobilised_row});

  // Hours realised by route, hidden when fewer than `threshold` people worked them.
  {
    std::map<model::FulfilmentRoute, double> hours;
    std::map<model::FulfilmentRoute, std::set<model::ParticipantId>> workers;
    for (const auto* p : scope.placements) {
      const double h = HoursWorked(*p, query.from, query.to);
      hours[p->route] += h;
      if (h > 0) workers[p->route].insert(p->participant);
    }
    std::vector<std::size_t> eq{realised_row};
    for (const auto& e : model::Entries(model::FulfilmentRoute{})) {
      const auto row =
          b.Add("hours_by_route", "route", std::string(e.code), std::string(e.label), hours[e.value], true, true);
      const auto n = static_cast<int>(workers[e.value].size());
      if (n >= 1 && n < query.threshold) report.rows[row].cell.status = CellStatus::kPrimary;
      eq.push_back(row);
    }
    report.equations.push_back(std::move(eq));
  }

  // Hires by contract type: placements starting in the period.
  std::map<model::ContractType, int> hires;
  for (const auto* p : scope.placements)
    if (Within(p->start, query)) ++hires[p->contract_type];
  b.Breakdown("hires_by_contract_type", "contract_type", model::Entries(model::ContractType{}), hires, true,
              "Embauches sur la période");

  if (everyone) AddContractRows(b, siae_directory, scope);

  // Outcomes 6 and 12 months after entry.
  const std::optional<Date> reference = query.to ? query.to : dataset.as_of;
  for (const int months : {6, 12}) {
    const std::string section = "outcomes_" + std::to_string(months) + "_months";
    std::map<model::Outcome, int> outcomes;
    std::map<model::OutcomeCategory, int> categories;
    int not_recorded = 0;
    for (const auto& [id, person] : scope.people) {
      if (reference && *reference < person.first->start.AddMonths(months)) continue;  // not yet due
      if (const auto o = LatestOutcome(person, months)) {
        ++outcomes[*o];
        ++categories[model::CategoryOf(*o)];
      } else {
        ++not_recorded;
      }
    }
    // One row per outcome, then not_recorded and the total (the breakdown's equation).
    const auto first = report.rows.size();
    const auto outcome_entries = model::Entries(model::Outcome{});
    b.Breakdown(section, "outcome", outcome_entries, outcomes, true,
                "Participants entrés depuis " + std::to_string(months) + " mois ou plus",
                {{"not_recorded", {"Situation non renseignée", not_recorded}}});
    const auto not_recorded_row = first + outcome_entries.size();
    const auto outcomes_total_row = not_recorded_row + 1;
    // The DGEFP's categories, each the sum of its outcomes; with not_recorded they make the total.
    std::vector<std::size_t> by_category{outcomes_total_row};
    std::vector<std::size_t> dynamic_eq{0};
    double dynamic = 0;
    for (const auto& c : model::Entries(model::OutcomeCategory{})) {
      const int n = categories[c.value];
      const auto row = b.Add(section, "category", std::string(c.code), std::string(c.label), n, true);
      std::vector<std::size_t> eq{row};
      for (std::size_t i = 0; i < outcome_entries.size(); ++i)
        if (model::CategoryOf(outcome_entries[i].value) == c.value) eq.push_back(first + i);
      report.equations.push_back(std::move(eq));
      by_category.push_back(row);
      if (model::IsSortieDynamique(c.value)) {
        dynamic += n;
        dynamic_eq.push_back(row);
      }
    }
    by_category.push_back(not_recorded_row);
    report.equations.push_back(std::move(by_category));
    // Sorties dynamiques = emploi durable + emploi de transition + sorties positives.
    dynamic_eq[0] = b.Add(section, "sorties_dynamiques", "",
                          "dont sorties dynamiques (emploi durable, de transition, sorties positives)", dynamic, true);
    report.equations.push_back(std::move(dynamic_eq));
  }
}

}  // namespace

IndicatorReport ComputeIndicators(const model::Dataset& dataset, const model::Referential* ref,
                                  std::span<const model::Siae> siae_directory, const IndicatorQuery& query) {
  IndicatorReport report;
  report.query = query;
  report.as_of = dataset.as_of;
  const Scope scope(dataset, ref, query);
  report.contracts_in_scope = static_cast<int>(scope.contracts.size());
  report.placements_in_scope = static_cast<int>(scope.placements.size());
  FirstEntries first_ever;
  for (const auto& p : dataset.placements) {
    if (!CountsTowardsClause(p)) continue;
    auto& f = first_ever[p.participant];
    if (f == nullptr || p.start < f->start) f = &p;
  }
  Builder b(report);
  AddRows(report, b, dataset, siae_directory, query, scope, first_ever, true);
  std::vector<std::size_t> margins;  // everyone's rows about people, each the total of a sex margin
  for (std::size_t i = 0; i < report.rows.size(); ++i)
    if (report.rows[i].cell.people) margins.push_back(i);
  std::vector<std::vector<std::size_t>> equations(margins.size());
  for (std::size_t k = 0; k < margins.size(); ++k) equations[k].push_back(margins[k]);
  for (const auto& e : model::Entries(model::Sex{})) {
    b.SetSex(std::string(e.code));
    const auto first = report.rows.size();
    AddRows(report, b, dataset, siae_directory, query, scope.OnlySex(dataset, e.value), first_ever, false);
    // The same rows in the same order as everyone's rows about people.
    if (report.rows.size() - first != margins.size())
      throw std::logic_error("indicators: the rows of a sex differ from everyone's");
    for (std::size_t k = 0; k < margins.size(); ++k) {
      const auto& total = report.rows[margins[k]];
      const auto& part = report.rows[first + k];
      if (part.section != total.section || part.indicator != total.indicator || part.category != total.category)
        throw std::logic_error("indicators: the rows of a sex differ from everyone's");
      equations[k].push_back(first + k);
    }
  }
  for (auto& eq : equations) report.equations.push_back(std::move(eq));
  Suppress(report);
  return report;
}

void Suppress(IndicatorReport& report) {
  const int threshold = report.query.threshold;
  auto small = [&](double v) { return v >= 1 && v < threshold; };
  auto& rows = report.rows;
  for (auto& r : rows)
    if (r.cell.people && !r.cell.hours && r.cell.status == CellStatus::kShown && small(r.cell.value))
      r.cell.status = CellStatus::kPrimary;
  for (const auto& [part, total] : report.of_whom)
    if (rows[part].cell.status == CellStatus::kShown && small(rows[total].cell.value - rows[part].cell.value))
      rows[part].cell.status = CellStatus::kSecondary;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& eq : report.equations) {
      int hidden = 0;
      for (auto i : eq) hidden += rows[i].cell.status != CellStatus::kShown;
      if (hidden != 1) continue;
      // Hide the smallest non-zero published part (a hidden zero would give the other cell away),
      // else the total.
      std::size_t pick = eq[0];
      for (std::size_t k = 1; k < eq.size(); ++k) {
        const auto& c = rows[eq[k]].cell;
        if (c.status != CellStatus::kShown || c.value == 0) continue;
        if (pick == eq[0] || c.value < rows[pick].cell.value) pick = eq[k];
      }
      if (rows[pick].cell.status != CellStatus::kShown) continue;  // nothing left to hide
      rows[pick].cell.status = CellStatus::kSecondary;
      changed = true;
    }
  }
}

std::string DisplayValue(const Cell& cell, int threshold, bool decimal_comma) {
  switch (cell.status) {
    case CellStatus::kPrimary:
      return cell.hours ? "s" : "<" + std::to_string(threshold);
    case CellStatus::kSecondary:
      return "s";
    case CellStatus::kShown:
      break;
  }
  return FormatNumber(cell.value, cell.hours, decimal_comma);
}

std::vector<ParticipantRow> ParticipantRows(const model::Dataset& dataset, const model::Referential* ref,
                                            const IndicatorQuery& query, const PseudonymFn& pseudonym) {
  const Scope scope(dataset, ref, query);
  std::vector<ParticipantRow> out;
  for (const auto& [id, person] : scope.people) {
    ParticipantRow row;
    row.pseudonym = pseudonym(id, person.participant);
    const auto* first = person.first;
    if (const auto* c = dataset.FindContract(first->contract))
      if (const auto* commune = WorksiteCommune(*c, ref)) row.departement = commune->departement;
    row.entry_month = first->start.ToString().substr(0, 7);
    if (person.participant) {
      const int age = model::AgeAt(person.participant->birth_date, first->start);
      row.age_band = age < model::kJeuneMaxAgeExclusive ? "under_26" : age < model::kSeniorMinAge ? "26_49" : "50_plus";
    }
    row.rsa = AtEntry(person).contains(model::Criterion::kRsa);
    row.sex = std::string(model::Code(Scope::SexOf(person.participant)));
    row.contract_type = std::string(model::Code(first->contract_type));
    for (const auto* p : person.placements) row.hours_realised += HoursWorked(*p, query.from, query.to);
    if (const auto o = LatestOutcome(person, 6)) row.outcome_6_months = std::string(model::Code(*o));
    if (const auto o = LatestOutcome(person, 12)) row.outcome_12_months = std::string(model::Code(*o));
    out.push_back(std::move(row));
  }
  // Sorted by pseudonym, so the order says nothing about ids or registration order.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pseudonym < b.pseudonym; });
  return out;
}

}  // namespace clausematch::lifecycle
