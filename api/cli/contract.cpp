// `clausematch contract plan`: size a clause and propose draft openings.
// `clausematch contract fulfilment`: hours forecast vs realised per contract and company.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_codec.hpp"
#include "data/referential_loader.hpp"
#include "lifecycle/fulfilment.hpp"
#include "lifecycle/plan.hpp"
#include "lifecycle/sizing.hpp"
#include "service/plan.hpp"

namespace clausematch::api::cli {
namespace {

using Json = nlohmann::ordered_json;

struct PlanArgs {
  double amount = 0;
  double labour_share = 0;
  bool labour_share_given = false;
  double insertion_rate = 0;
  double hourly_cost = 30;
  std::string cpv;
  std::vector<std::string> trades;
  std::string start, end;
  double weekly_hours = 35;
  std::string contract_type = "cdd";
  std::string clause_type = "condition_execution";
  std::string accepted, priority;
  std::string worksite;
  std::string labour_shares_file;
  std::string reference;
  std::string format = "table";
  std::string out;
};

// "F1606", "F1606:0.6", "38009" or "38009:0.4".
lifecycle::TradeShare ResolveTrade(const std::string& text, const model::Referential& ref) {
  lifecycle::TradeShare t;
  std::string code = text;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    code = text.substr(0, colon);
    const auto share = ParseDecimal(text.substr(colon + 1));
    if (!share) throw InputError("--trade " + text + ": '" + text.substr(colon + 1) + "' is not a share");
    t.share = *share;
  }
  if (const auto fiche = model::RomeCode::Parse(code)) {
    if (ref.FindFiche(*fiche) == nullptr) throw InputError("--trade " + text + ": unknown ROME fiche '" + code + "'");
    t.fiche = *fiche;
    const model::Appellation* chosen = nullptr;
    for (auto i : ref.AppellationsOf(*fiche)) {
      const auto& app = ref.appellations()[i];
      if (chosen == nullptr || (app.principal && !chosen->principal)) chosen = &app;
    }
    if (chosen) t.appellation = chosen->code;
  } else {
    const auto number = ParseDecimal(code);
    const auto* app = number && *number >= 1 && std::floor(*number) == *number
                          ? ref.FindAppellation(static_cast<model::AppellationCode>(*number))
                          : nullptr;
    if (app == nullptr)
      throw InputError("--trade " + text + ": '" + code + "' is neither a ROME fiche (F1606) nor an appellation code");
    t.appellation = app->code;
    t.fiche = app->fiche;
  }
  return t;
}

model::CriterionSet ParseCriteria(const std::string& flag, const std::string& list, model::CriterionSet fallback) {
  if (list.empty()) return fallback;
  model::CriterionSet set;
  std::stringstream ss(list);
  for (std::string code; std::getline(ss, code, ',');) {
    const auto c = model::ParseCriterion(code);
    if (!c) {
      std::string message = flag;
      message.append(": unknown criterion '").append(code).append("'");
      throw InputError(message);
    }
    set.insert(*c);
  }
  return set;
}

std::string CriteriaList(model::CriterionSet set) {
  std::string out;
  for (const auto& info : model::AllCriteria())
    if (set.contains(info.criterion)) out += (out.empty() ? "" : ", ") + std::string(info.code);
  return out;
}

std::string Percent(double share) {
  std::ostringstream s;
  s << std::setprecision(4) << share * 100 << " %";
  return s.str();
}

int RunPlan(const PlanArgs& a) {
  if (a.format != "table" && a.format != "json") throw InputError("--format must be table or json");
  auto table = lifecycle::LabourShareTable::Defaults();
  if (!a.labour_shares_file.empty()) LoadLabourShareOverrides(a.labour_shares_file, table);
  const std::shared_ptr<const model::Referential> ref =
      data::LoadReferential(a.reference.empty() ? data::DefaultReferenceDir() : a.reference);

  service::PlanRequest request;
  for (const auto& t : a.trades) request.trades.push_back(ResolveTrade(t, *ref));
  if (a.labour_share_given) request.labour_share = a.labour_share;
  request.insertion_rate = a.insertion_rate;
  request.hourly_cost_eur = a.hourly_cost;

  model::Contract contract;
  contract.id = model::ContractId(1);
  contract.reference = "plan";
  contract.amount_excl_vat_eur = a.amount;
  const auto clause_type = model::ParseEnum<model::ClauseType>(a.clause_type);
  if (!clause_type) throw InputError("--clause-type: unknown type '" + a.clause_type + "'");
  contract.clause_type = *clause_type;
  contract.accepted_publics = ParseCriteria("--accepted", a.accepted, lifecycle::DefaultAcceptedPublics());
  contract.priority_publics = ParseCriteria("--priority", a.priority, lifecycle::DefaultPriorityPublics());
  contract.worksite_insee = a.worksite;
  if (!a.worksite.empty()) {
    const auto* commune = ref->FindCommune(a.worksite);
    if (commune == nullptr) throw InputError("--worksite: unknown commune '" + a.worksite + "'");
    contract.worksite_location = commune->centre;
  }
  contract.cpv_code = a.cpv;
  if (!request.trades.empty()) {
    request.defaults.start = ParseOptionalDateFlag("--start", a.start);
    request.defaults.end = ParseOptionalDateFlag("--end", a.end);
    if (!request.defaults.start || !request.defaults.end) throw InputError("with --trade, give --start and --end");
    contract.start = *request.defaults.start;
    contract.end = *request.defaults.end;
    request.defaults.weekly_hours = a.weekly_hours;
    const auto type = model::ParseEnum<model::ContractType>(a.contract_type);
    if (!type) throw InputError("--contract-type: unknown type '" + a.contract_type + "'");
    request.defaults.contract_type = *type;
  }
  const auto planned = service::PlanClause(contract, request, table, *ref);
  contract = planned.contract;
  const double labour_share = planned.input.labour_share;
  const auto& share_source = planned.labour_share_source;
  const auto* sizing = &planned.sizing;
  const auto& plan = planned.plan;
  if (plan && !a.out.empty()) {
    std::vector<model::Opening> openings;
    for (const auto& p : plan->openings) openings.push_back(p.opening);
    WriteOutput(a.out, [&](std::ostream& os) { data::WriteOpeningsCsv(os, openings); });
  }

  auto appellation_label = [&](model::AppellationCode code) -> std::string {
    const auto* app = ref->FindAppellation(code);
    return app ? app->label : std::string();
  };

  if (a.format == "json") {
    Json j;
    j["sizing"] = {{"amount_excl_vat_eur", a.amount},
                   {"labour_share", labour_share},
                   {"labour_share_source", share_source},
                   {"insertion_rate", a.insertion_rate},
                   {"hourly_cost_eur", a.hourly_cost},
                   {"labour_amount_eur", sizing->labour_amount_eur},
                   {"insertion_amount_eur", sizing->insertion_amount_eur},
                   {"exact_hours", sizing->exact_hours},
                   {"hours", sizing->hours}};
    j["clause"] = {{"type", model::Code(contract.clause_type)},
                   {"legal_basis", model::LegalBasis(contract.clause_type)},
                   {"accepted_publics", CriteriaList(contract.accepted_publics)},
                   {"priority_publics", CriteriaList(contract.priority_publics)}};
    if (plan) {
      Json openings = Json::array();
      for (const auto& p : plan->openings) {
        const auto& o = p.opening;
        openings.push_back({{"id", o.id.value()},
                            {"status", model::Code(o.status)},
                            {"appellation", o.appellation},
                            {"appellation_label", appellation_label(o.appellation)},
                            {"fiche", o.fiche.str()},
                            {"hours", p.hours},
                            {"start", o.start.ToString()},
                            {"end", o.end.ToString()},
                            {"weeks", p.weeks},
                            {"weekly_hours", o.weekly_hours},
                            {"positions", o.positions},
                            {"capacity_hours", p.capacity_hours},
                            {"contract_type", model::Code(o.contract_type)}});
      }
      j["openings"] = std::move(openings);
    }
    std::cout << j.dump(2) << '\n';
    return kExitOk;
  }

  std::cout << "Clause sizing\n"
            << "  amount excl. VAT   " << GroupThousands(a.amount) << " €\n"
            << "  labour share       " << Percent(labour_share) << "  (" << share_source << ")\n"
            << "  insertion rate     " << Percent(a.insertion_rate) << '\n'
            << "  hourly cost        " << GroupThousands(a.hourly_cost, 2) << " €/h\n"
            << "  insertion hours    " << GroupThousands(sizing->hours) << " h  (" << GroupThousands(a.amount) << " × "
            << labour_share << " × " << a.insertion_rate << " ÷ " << a.hourly_cost << " = "
            << GroupThousands(sizing->exact_hours, 2) << ")\n"
            << "Clause\n"
            << "  type               " << model::Label(contract.clause_type) << '\n'
            << "  accepted publics   " << CriteriaList(contract.accepted_publics) << '\n'
            << "  priority publics   " << CriteriaList(contract.priority_publics) << '\n';
  if (plan) {
    std::cout << "Proposed openings (drafts, editable until they open)\n";
    std::cout << "  " << std::left << std::setw(4) << "id" << std::setw(8) << "fiche" << std::setw(42) << "appellation"
              << std::right << std::setw(7) << "hours"
              << "  " << std::setw(10) << "start"
              << "  " << std::setw(10) << "end" << std::setw(7) << "weeks" << std::setw(8) << "h/week" << std::setw(10)
              << "positions" << std::setw(10) << "capacity" << '\n';
    for (const auto& p : plan->openings) {
      const auto& o = p.opening;
      std::ostringstream weeks;
      weeks << std::fixed << std::setprecision(1) << p.weeks;
      std::cout << "  " << std::left << std::setw(4) << o.id.value() << std::setw(8) << o.fiche.str()
                << Fit(appellation_label(o.appellation), 41) << ' ' << std::right << std::setw(7) << p.hours << "  "
                << o.start.ToString() << "  " << o.end.ToString() << std::setw(7) << weeks.str() << std::setw(8)
                << o.weekly_hours << std::setw(10) << o.positions << std::setw(10) << std::llround(p.capacity_hours)
                << '\n';
    }
    std::cout << "  positions = ceil(hours / (weekly hours × weeks)); capacity = positions × weekly hours × weeks\n";
  }
  return kExitOk;
}

int RunFulfilment(const DatasetArgs& data_args, const std::string& up_to, const std::string& format) {
  if (format != "table" && format != "json") throw InputError("--format must be table or json");
  const auto date = ParseOptionalDateFlag("--up-to", up_to);
  const auto loaded = LoadDatasetArgs(data_args);
  const auto report = lifecycle::ComputeFulfilment(loaded.dataset, date);
  auto to_json = [](const lifecycle::Fulfilment& f) {
    Json j{{"forecast_hours", f.forecast},
           {"realised_hours", f.realised},
           {"remaining_hours", f.remaining},
           {"percent", f.percent ? Json(*f.percent) : Json(nullptr)},
           {"placements", f.placements}};
    return j;
  };
  if (format == "json") {
    Json j;
    j["up_to"] = date ? Json(date->ToString()) : Json(nullptr);
    j["total"] = to_json(report.total);
    Json contracts = Json::array();
    for (const auto& c : report.contracts) {
      Json row{{"contract", c.contract.value()}, {"reference", c.reference}, {"holder", c.holder}};
      row.update(to_json(c.fulfilment));
      Json routes = Json::object();
      for (const auto& [route, h] : c.realised_by_route) routes[std::string(model::Code(route))] = h;
      row["realised_by_route"] = std::move(routes);
      contracts.push_back(std::move(row));
    }
    j["contracts"] = std::move(contracts);
    Json companies = Json::array();
    for (const auto& c : report.companies) {
      Json row{{"holder", c.holder}, {"holder_siret", c.holder_siret}, {"contracts", c.contracts}};
      row.update(to_json(c.fulfilment));
      companies.push_back(std::move(row));
    }
    j["companies"] = std::move(companies);
    std::cout << j.dump(2) << '\n';
    return kExitOk;
  }
  auto line = [](const std::string& name, const lifecycle::Fulfilment& f) {
    std::ostringstream pct;
    if (f.percent) pct << std::fixed << std::setprecision(1) << *f.percent << " %";
    std::cout << "  " << Fit(name, 39) << ' ' << std::right << std::setw(10) << GroupThousands(f.forecast)
              << std::setw(10) << GroupThousands(f.realised) << std::setw(10) << GroupThousands(f.remaining)
              << std::setw(9) << (f.percent ? pct.str() : "-") << std::setw(11) << f.placements << '\n';
  };
  auto header = [](const char* title) {
    std::cout << title << "\n  " << std::left << std::setw(40) << "" << std::right << std::setw(10) << "forecast"
              << std::setw(10) << "realised" << std::setw(10) << "left" << std::setw(9) << "done" << std::setw(11)
              << "placements" << '\n';
  };
  header("Fulfilment by contract (hours)");
  for (const auto& c : report.contracts) line(c.reference + (c.holder.empty() ? "" : " — " + c.holder), c.fulfilment);
  header("By company (titulaire)");
  for (const auto& c : report.companies) line(c.holder, c.fulfilment);
  line("Total", report.total);
  return kExitOk;
}

}  // namespace

void AddContract(CLI::App& app, Context& ctx) {
  auto* contract = app.add_subcommand("contract", "Clause lifecycle of a contract: sizing, openings, fulfilment");
  contract->require_subcommand(1);

  auto plan_args = std::make_shared<PlanArgs>();
  auto* plan = contract->add_subcommand(
      "plan", "Size a clause (hours = amount × labour share × insertion rate ÷ hourly cost) and propose openings");
  plan->add_option("--amount", plan_args->amount, "Contract amount excluding VAT, in euros")->required();
  auto* share_option =
      plan->add_option("--labour-share", plan_args->labour_share,
                       "Share of the amount that is labour, in (0, 1] (default: from --cpv or --trade)");
  plan->add_option("--insertion-rate", plan_args->insertion_rate, "Share of labour hours for insertion, in (0, 1]")
      ->required();
  plan->add_option("--hourly-cost", plan_args->hourly_cost, "Hourly labour cost in euros")->capture_default_str();
  plan->add_option("--cpv", plan_args->cpv, "CPV code of the lot (labour share from the table)");
  plan->add_option("--trade", plan_args->trades,
                   "Trade of an opening: ROME fiche (F1606) or appellation code, optionally :share (F1606:0.6); "
                   "repeatable");
  plan->add_option("--start", plan_args->start, "Openings' start date (YYYY-MM-DD)");
  plan->add_option("--end", plan_args->end, "Openings' end date (YYYY-MM-DD)");
  plan->add_option("--weekly-hours", plan_args->weekly_hours, "Weekly hours of each position")->capture_default_str();
  plan->add_option("--contract-type", plan_args->contract_type, "Employment contract type (cdd, cdi, cddi...)")
      ->capture_default_str();
  plan->add_option("--clause-type", plan_args->clause_type,
                   "Legal basis: condition_execution, critere_attribution, marche_reserve_siae, "
                   "marche_reserve_handicap, marche_insertion")
      ->capture_default_str();
  plan->add_option("--accepted", plan_args->accepted, "Accepted publics, comma-separated criterion codes");
  plan->add_option("--priority", plan_args->priority, "Priority publics, comma-separated criterion codes");
  plan->add_option("--worksite", plan_args->worksite, "Worksite commune (INSEE code)");
  plan->add_option("--labour-shares", plan_args->labour_shares_file,
                   "CSV of labour-share overrides: kind,key,labour_share[,label]");
  plan->add_option("--out", plan_args->out, "Write the draft openings as an openings CSV to this file");
  plan->add_option("--reference", plan_args->reference, "Reference data folder");
  plan->add_option("--format", plan_args->format, "table or json")->capture_default_str();
  plan->callback([&ctx, plan_args, share_option] {
    plan_args->labour_share_given = share_option->count() > 0;
    ctx.exit_code = RunGuarded([&] { return RunPlan(*plan_args); });
  });

  auto data_args = std::make_shared<DatasetArgs>();
  auto up_to = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  auto* fulfilment = contract->add_subcommand("fulfilment", "Hours forecast vs realised, per contract and per company");
  fulfilment->add_option("--data", data_args->data_dir, "Dataset folder");
  fulfilment->add_flag("--sample", data_args->sample, "Use the bundled sample");
  fulfilment->add_option("--reference", data_args->reference, "Reference data folder");
  fulfilment->add_option("--up-to", *up_to, "Count months beginning on or before this date (YYYY-MM-DD)");
  fulfilment->add_option("--format", *format, "table or json")->capture_default_str();
  fulfilment->callback([&ctx, data_args, up_to, format] {
    ctx.exit_code = RunGuarded([&] { return RunFulfilment(*data_args, *up_to, *format); });
  });
}

}  // namespace clausematch::api::cli
