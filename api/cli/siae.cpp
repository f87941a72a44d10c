// `clausematch siae`: insertion structures near a contract's worksite whose activity fits its trades.
#include "service/siae.hpp"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/json/siae_json.hpp"
#include "data/referential_loader.hpp"
#include "lifecycle/siae_sourcing.hpp"
#include "model/worksite.hpp"

namespace clausematch::api::cli {
namespace {

using Json = nlohmann::ordered_json;

struct SiaeArgs {
  DatasetArgs data;
  std::uint32_t contract = 0;
  std::string insee;
  std::vector<std::string> trades;
  double km = 30;
  bool any_sector = false;
  int limit = 10;
  std::string siae_file;
  std::string format = "table";
};

int Run(const SiaeArgs& a) {
  if (a.format != "table" && a.format != "json") throw InputError("--format must be table or json");
  service::SiaeQuery query;
  query.km = a.km;
  query.any_sector = a.any_sector;
  query.limit = a.limit;
  if (auto problems = service::CheckSiaeQuery(query); !problems.empty())
    throw InputError("--" + problems.front().field + ": " + problems.front().message);
  std::shared_ptr<const model::Referential> ref;
  std::vector<lifecycle::TradeFiche> trades;
  std::optional<model::GeoPoint> worksite;
  std::string what;
  auto add_fiche = [&](model::RomeCode code) {
    const auto* f = ref->FindFiche(code);
    if (f == nullptr) throw InputError("unknown ROME fiche '" + code.str() + "'");
    for (const auto& t : trades)
      if (t.fiche == code) return;
    trades.push_back({code, f->parent});
  };
  if (a.contract != 0) {
    auto loaded = LoadDatasetArgs(a.data);
    ref = loaded.ref;
    const auto* c = loaded.dataset.FindContract(model::ContractId(a.contract));
    if (c == nullptr) throw InputError("--contract: no contract " + std::to_string(a.contract) + " in the dataset");
    worksite = model::WorksiteOf(*c, *ref);
    if (!worksite) throw InputError("contract " + std::to_string(a.contract) + " has no worksite location");
    std::vector<model::Opening> openings;
    for (const auto& o : loaded.dataset.openings)
      if (o.contract == c->id) openings.push_back(o);
    trades = service::TradesOf(openings, *ref);
    const auto* commune = ref->FindCommune(c->worksite_insee);
    what = "contract " + c->reference + (commune ? " at " + commune->name : "");
  } else {
    if (a.insee.empty() || a.trades.empty()) throw InputError("give --contract ID, or --insee CODE and --trade FICHE");
    ref = data::LoadReferential(a.data.reference.empty() ? data::DefaultReferenceDir() : a.data.reference);
    const auto* commune = ref->FindCommune(a.insee);
    if (commune == nullptr) throw InputError("--insee: unknown commune '" + a.insee + "'");
    worksite = commune->centre;
    what = commune->name;
  }
  for (const auto& t : a.trades) {
    const auto code = model::RomeCode::Parse(t);
    if (!code) throw InputError("--trade: '" + t + "' is not a ROME fiche code (F1606)");
    add_fiche(*code);
  }
  if (trades.empty()) throw InputError("the contract has no openings with a trade; give --trade FICHE");

  const auto directory = service::SiaeDirectory::Load(a.data.reference, a.siae_file, ref.get());
  const auto result = service::SourceNear(*directory, *worksite, trades, query);

  std::string trade_list;
  for (const auto& t : trades) trade_list += (trade_list.empty() ? "" : ", ") + t.fiche.str();
  if (a.format == "json") {
    Json j{{"worksite", {{"lat", worksite->lat}, {"lon", worksite->lon}}},
           {"trades", trade_list},
           {"km", a.km},
           {"in_reach", result.in_reach},
           {"sector_mismatch", result.sector_mismatch},
           {"without_location", result.without_location}};
    j["by_kind"] = json::SiaeByKindJson(result, a.limit);
    std::cout << j.dump(2) << '\n';
    return kExitOk;
  }
  std::cout << "SIAE within " << a.km << " km of " << what << " for " << trade_list << ": " << result.in_reach
            << " in reach, " << result.sector_mismatch << " of them outside the trades' sectors"
            << (a.any_sector ? " (listed)" : " (not listed; --any-sector lists them)") << '\n';
  for (const auto& [kind, list] : result.by_kind) {
    std::cout << model::Code(kind) << " — " << model::Label(kind) << " (" << list.size() << ")\n";
    for (std::size_t i = 0; i < list.size() && static_cast<int>(i) < a.limit; ++i) {
      const auto& s = list[i];
      const std::string& name = s.siae->enseigne.empty() ? s.siae->name : s.siae->enseigne;
      std::ostringstream km;
      km << std::fixed << std::setprecision(1) << s.distance_km << " km";
      std::cout << "  " << Fit(name, 39) << ' ' << std::left << std::setw(16) << s.siae->siret << Fit(s.siae->city, 23)
                << ' ' << std::right << std::setw(9) << km.str() << "  " << json::SiaeEvidence(s) << '\n';
    }
    if (static_cast<int>(list.size()) > a.limit) std::cout << "  … " << list.size() - a.limit << " more\n";
  }
  std::cout << "Source: SIAE directory snapshot (2019, development fixture); sector fit from France Travail's ROME x "
               "NAF tables.\n";
  return kExitOk;
}

}  // namespace

void AddSiae(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SiaeArgs>();
  auto* cmd = app.add_subcommand("siae", "Insertion structures (SIAE) near a contract whose activity fits its trades");
  cmd->add_option("--contract", a->contract, "Contract id (its openings give the trades)");
  cmd->add_option("--data", a->data.data_dir, "Dataset folder");
  cmd->add_flag("--sample", a->data.sample, "Use the bundled sample");
  cmd->add_option("--reference", a->data.reference, "Reference data folder");
  cmd->add_option("--insee", a->insee, "Worksite commune, without a dataset");
  cmd->add_option("--trade", a->trades, "ROME fiche (F1606); repeatable");
  cmd->add_option("--km", a->km, "Maximum distance from the worksite")->capture_default_str();
  cmd->add_flag("--any-sector", a->any_sector, "List structures in reach whatever their sector");
  cmd->add_option("--limit", a->limit, "Structures shown per kind")->capture_default_str();
  cmd->add_option("--siae-directory", a->siae_file, "SIAE directory CSV");
  cmd->add_option("--format", a->format, "table or json")->capture_default_str();
  cmd->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a); }); });
}

}  // namespace clausematch::api::cli
