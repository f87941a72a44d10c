// `clausematch siae`: insertion structures near a contract's worksite whose activity fits its trades.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/referential_loader.hpp"
#include "data/siae_loader.hpp"
#include "lifecycle/siae_sourcing.hpp"

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

std::string Evidence(const lifecycle::SourcedSiae& s) {
  if (!s.match) return "sector not matched";
  std::ostringstream out;
  if (s.match->staffing) return "mise à disposition, all trades";
  if (s.match->hire_share > 0)
    out << "NAF " << s.siae->naf << ": " << std::fixed << std::setprecision(1) << 100 * s.match->hire_share << "% of "
        << s.match->via.str() << " hires";
  else
    out << "NAF division " << s.siae->naf.substr(0, 2) << " listed for " << s.match->via.str();
  return out.str();
}

int Run(const SiaeArgs& a) {
  if (a.format != "table" && a.format != "json") throw InputError("--format must be table or json");
  if (!(a.km > 0)) throw InputError("--km must be positive");
  std::shared_ptr<const model::Referential> ref;
  std::vector<lifecycle::TradeFiche> trades;
  model::GeoPoint worksite;
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
    const model::Commune* commune = ref->FindCommune(c->worksite_insee);
    if (c->worksite_location)
      worksite = *c->worksite_location;
    else if (commune)
      worksite = commune->centre;
    else
      throw InputError("contract " + std::to_string(a.contract) + " has no worksite location");
    for (const auto& o : loaded.dataset.openings)
      if (o.contract == c->id && o.fiche.valid()) add_fiche(o.fiche);
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

  const auto directory =
      data::LoadSiaeDirectory(a.siae_file.empty() ? data::DefaultSiaeDirectoryPath() : a.siae_file, ref.get());
  const auto rome_dir = (a.data.reference.empty() ? data::DefaultReferenceDir() : a.data.reference) + "/rome";
  const lifecycle::SectorFit fit(data::LoadNafRomeLinks(rome_dir));
  lifecycle::SourcingQuery q;
  q.trades = trades;
  q.worksite = worksite;
  q.max_km = a.km;
  q.any_sector = a.any_sector;
  const auto result = lifecycle::SourceSiae(directory, fit, q);

  std::string trade_list;
  for (const auto& t : trades) trade_list += (trade_list.empty() ? "" : ", ") + t.fiche.str();
  if (a.format == "json") {
    Json j{{"worksite", {{"lat", worksite.lat}, {"lon", worksite.lon}}},
           {"trades", trade_list},
           {"km", a.km},
           {"in_reach", result.in_reach},
           {"sector_mismatch", result.sector_mismatch},
           {"without_location", result.without_location}};
    Json kinds = Json::object();
    for (const auto& [kind, list] : result.by_kind) {
      Json arr = Json::array();
      for (std::size_t i = 0; i < list.size() && static_cast<int>(i) < a.limit; ++i) {
        const auto& s = list[i];
        arr.push_back({{"siret", s.siae->siret},
                       {"name", s.siae->enseigne.empty() ? s.siae->name : s.siae->enseigne},
                       {"naf", s.siae->naf},
                       {"city", s.siae->city},
                       {"distance_km", std::round(s.distance_km * 10) / 10},
                       {"trade", s.trade.str()},
                       {"hire_share", s.match ? Json(s.match->hire_share) : Json(nullptr)},
                       {"evidence", Evidence(s)}});
      }
      kinds[std::string(model::Code(kind))] = {{"count", list.size()}, {"structures", std::move(arr)}};
    }
    j["by_kind"] = std::move(kinds);
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
                << ' ' << std::right << std::setw(9) << km.str() << "  " << Evidence(s) << '\n';
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
