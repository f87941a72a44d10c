#include "api/json/batch_json.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include "api/json/json_writer.hpp"
#include "matcher/reach.hpp"

namespace clausematch::api::json {

namespace as = matcher::assignment;
using nlohmann::json;

namespace {

// Each rendering once, over either writer (json_writer.hpp); members in key order, as
// nlohmann::json keeps them, so that the text and the tree read the same.
template <typename W>
void WriteComponents(W& w, const matcher::ScoreComponents& c) {
  w.BeginObject();
  w.Member("distance", c.distance);
  w.Member("exposure_penalty", c.exposure);
  w.Member("hours", c.hours);
  w.Member("priority", c.priority);
  w.Member("rome_relation", c.rome_relation);
  w.Member("skill_embedding", c.skill_embedding);
  w.Member("skill_fit", c.skill_fit);
  w.Member("skill_overlap", c.skill_overlap);
  w.Member("total", c.total);
  w.Member("waiting", c.waiting);
  w.EndObject();
}

template <typename W>
void WriteCriteria(W& w, model::CriterionSet set) {
  w.BeginArray();
  for (const auto& info : model::AllCriteria())
    if (set.contains(info.criterion)) w.Value(info.code);
  w.EndArray();
}

template <typename W>
void WriteCondition(W& w, const matcher::Condition& condition) {
  w.BeginObject();
  w.Member("code", matcher::Code(condition.code));
  w.Member("criterion", model::Code(condition.criterion));
  w.Member("renew_by", condition.renew_by.ToString());
  w.Member("text", matcher::Text(condition));
  w.EndObject();
}

template <typename W>
void WriteConditions(W& w, const std::vector<matcher::Condition>& conditions) {
  w.BeginArray();
  for (const auto& c : conditions) WriteCondition(w, c);
  w.EndArray();
}

template <typename W>
void WriteProposal(W& w, const model::Dataset& data, const service::BatchPair& pair) {
  const auto& opening = data.openings[pair.opening];
  const auto& person = data.participants[pair.participant];
  const auto& c = pair.why.components;
  w.BeginObject();
  w.Member("appellation", opening.appellation);
  w.Member("basis", matcher::Code(pair.why.verdict.basis));
  w.Key("components");
  WriteComponents(w, c);
  w.Key("conditions");
  WriteConditions(w, pair.why.conditions);
  w.Member("contract_id", opening.contract.value());
  w.Member("distance_km", matcher::ShownKm(pair.why.reach.distance_km));
  w.Key("eligible_by");
  WriteCriteria(w, pair.why.verdict.matched);
  w.Member("fiche", opening.fiche.str());
  w.Member("hire_date", pair.why.verdict.hire_date.ToString());
  w.Member("opening_id", opening.id.value());
  w.Member("participant_id", person.id.value());
  w.Key("priority_public");
  if (const auto priority = matcher::NameablePriorityPublic(c, pair.why.verdict))
    w.Value(model::Code(*priority));
  else
    w.Value(nullptr);
  w.Key("reasons");
  w.BeginArray();
  for (const auto& r : pair.why.reasons) {
    w.BeginObject();
    w.Member("code", r.code);
    w.Member("text", r.text);
    w.EndObject();
  }
  w.EndArray();
  w.Member("score", c.total);
  w.EndObject();
}

template <typename F>
json Dom(F&& write) {
  JsonDom w;
  write(w);
  return w.Take();
}

}  // namespace

json ComponentsJson(const matcher::ScoreComponents& c) {
  return Dom([&](JsonDom& w) { WriteComponents(w, c); });
}

json CriteriaJson(model::CriterionSet set) {
  return Dom([&](JsonDom& w) { WriteCriteria(w, set); });
}

json ConditionJson(const matcher::Condition& condition) {
  return Dom([&](JsonDom& w) { WriteCondition(w, condition); });
}

json ConditionsJson(const std::vector<matcher::Condition>& conditions) {
  return Dom([&](JsonDom& w) { WriteConditions(w, conditions); });
}

json RenewalJson(const service::Renewal& r) {
  return {{"participant_id", r.participant.value()}, {"external_ref", r.external_ref},
          {"prescriber_org", r.prescriber_org},      {"opening_id", r.opening.value()},
          {"source", service::Code(r.source)},       {"batch_id", r.batch == 0 ? json(nullptr) : json(r.batch)},
          {"condition", ConditionJson(r.condition)}};
}

json ProposalJson(const model::Dataset& data, const service::BatchPair& pair) {
  return Dom([&](JsonDom& w) { WriteProposal(w, data, pair); });
}

void AppendProposalText(std::string& out, const model::Dataset& data, const service::BatchPair& pair, int indent) {
  JsonText w(out, indent);
  WriteProposal(w, data, pair);
}

json SummaryJson(const service::BatchSummary& s) {
  json quotas = json::array();
  for (const auto& q : s.quotas)
    quotas.push_back({{"contract_index", q.contract_index},
                      {"contract_id", q.contract.value()},
                      {"reference", q.reference},
                      {"public", q.public_code},
                      {"required", q.required},
                      {"achieved", q.achieved},
                      {"achieved_provisionally", q.achieved_provisionally},
                      {"shortfall", q.shortfall},
                      {"public_candidates", q.public_candidates},
                      {"taken_by_other_quotas", q.taken_by_other_quotas},
                      {"taken_elsewhere", q.taken_elsewhere},
                      {"positions", q.positions},
                      {"positions_left", q.positions_left},
                      {"explanation", q.explanation}});
  const auto& inc = s.incremental;
  const auto& o = s.optimality;
  json optimality = {{"method", o.method},
                     {"objective", o.objective},
                     {"bound", o.bound.empty() ? json(nullptr) : json(o.bound)},
                     {"gap", o.gap.empty() ? json(nullptr) : json(o.gap)},
                     {"relative_gap", o.relative_gap},
                     {"proven_optimal", o.proven_optimal},
                     {"quota_shortfall", o.shortfall},
                     {"quota_shortfall_proven_least", o.shortfall_bound},
                     {"side_groups", o.side_groups},
                     {"solves", o.solves},
                     {"branch_nodes", o.branch_nodes}};
  json trades = json::array();
  for (const auto& t : s.by_trade)
    trades.push_back({{"trade", t.trade}, {"filled", t.filled}, {"positions", t.positions}});
  return {{"today", s.today.ToString()},
          {"status", s.status},
          {"certificate", s.certificate},
          {"mode", s.mode},
          {"solver", s.solver},
          {"participants", s.participants},
          {"openings", s.openings},
          {"positions", s.positions},
          {"filled", s.filled},
          {"total_score", s.total_score},
          {"candidate_pairs", s.candidate_pairs},
          {"pairs_in_reach", s.pairs_in_reach},
          {"pairs_eligible", s.pairs_eligible},
          {"mean_distance_km", s.mean_distance_km},
          {"filled_by_public", s.filled_by_public},
          {"filled_by_public_provisional", s.filled_by_public_provisional},
          {"subject_to_renewal", {{"proposals", s.subject_to_renewal}, {"by_criterion", s.to_renew_by_criterion}}},
          {"by_trade", std::move(trades)},
          {"quotas", std::move(quotas)},
          {"optimality", std::move(optimality)},
          {"unassigned",
           {{"not_active_or_no_consent", s.not_active_or_no_consent},
            {"no_eligible_opening_in_reach", s.no_eligible_opening_in_reach},
            {"positions_went_to_better_fits", s.positions_went_to_better_fits}}},
          {"incremental",
           {{"previous", inc.previous},
            {"reason", inc.reason.empty() ? json(nullptr) : json(inc.reason)},
            {"openings_reused", inc.openings_reused},
            {"openings_new", inc.openings_new},
            {"openings_changed", inc.openings_changed},
            {"openings_removed", inc.openings_removed},
            {"openings_near_changes", inc.openings_near_changes},
            {"participants_added", inc.participants_added},
            {"participants_removed", inc.participants_removed},
            {"participants_changed", inc.participants_changed},
            {"solver_start", inc.solver_start},
            {"solver_note", inc.solver_note.empty() ? json(nullptr) : json(inc.solver_note)}}},
          {"seconds",
           {{"load", s.seconds.load},
            {"matcher_index", s.seconds.matcher_index},
            {"candidate_graph", s.seconds.candidate_graph},
            {"solve_and_certify", s.seconds.solve_and_certify},
            {"state", s.seconds.state}}}};
}

json ParamsJson(const service::BatchParams& p) {
  json contracts = json::array();
  for (const auto& c : p.contracts) contracts.push_back(c.value());
  json out = {{"contracts", std::move(contracts)},
              {"as_of", p.as_of.ToString()},
              {"mode", service::Code(p.mode)},
              {"max_candidates", p.max_candidates}};
  // Only the priority weights a run changed (runs stored before they existed read as defaults).
  json weights = json::object();
  for (const auto& info : model::AllCriteria())
    if (p.weights.PriorityWeight(info.criterion) != matcher::ScoreWeights{}.PriorityWeight(info.criterion))
      weights[std::string(info.code)] = p.weights.PriorityWeight(info.criterion);
  if (!weights.empty()) out["priority_weights"] = std::move(weights);
  return out;
}

service::BatchParams ParamsFromJson(const json& j) {
  service::BatchParams p;
  for (const auto& id : j.at("contracts")) p.contracts.emplace_back(id.get<std::uint32_t>());
  const auto as_of = model::Date::Parse(j.at("as_of").get<std::string>());
  if (!as_of) throw std::runtime_error("stored batch parameters: bad as_of");
  p.as_of = *as_of;
  if (auto it = j.find("mode"); it != j.end()) {
    const auto mode = as::ParseObjectiveMode(it->get<std::string>());
    if (!mode) throw std::runtime_error("stored batch parameters: bad mode");
    p.mode = *mode;
  }
  if (auto it = j.find("solver"); it != j.end()) {
    const auto solver = as::ParseSolverKind(it->get<std::string>());
    if (!solver) throw std::runtime_error("stored batch parameters: bad solver");
    p.solver = *solver;
  }
  if (auto it = j.find("max_candidates"); it != j.end()) p.max_candidates = it->get<std::size_t>();
  if (auto it = j.find("priority_weights"); it != j.end())
    for (const auto& [code, weight] : it->items()) {
      const auto c = model::ParseCriterion(code);
      if (!c) throw std::runtime_error("stored batch parameters: bad priority weight");
      p.weights.priority_weights[static_cast<std::size_t>(*c)] = weight.get<double>();
    }
  return p;
}

}  // namespace clausematch::api::json
