// `clausematch orgs list --db FILE`: every organisation with a territory.
// `clausematch orgs territory --db FILE --org ORG [--set 59,62 | --set '*' | --clear]`: prints an
// organisation's territory, or replaces it (service::SetTerritory, the rule of
// PUT /v1/organisations/{org}/territory). See service/territory.hpp and docs/privacy.md.
#include <iostream>
#include <sstream>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/referential_loader.hpp"
#include "service/territory.hpp"
#include "store/store.hpp"

namespace clausematch::api::cli {
namespace {

std::string Joined(const std::vector<std::string>& departements) {
  if (departements.empty()) return "(none: covers nothing)";
  std::string out;
  for (const auto& d : departements) out += (out.empty() ? "" : ",") + d;
  return out;
}

std::vector<std::string> SplitCodes(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string code; std::getline(in, code, ',');) {
    while (!code.empty() && code.front() == ' ') code.erase(code.begin());
    while (!code.empty() && code.back() == ' ') code.pop_back();
    if (!code.empty()) out.push_back(code);
  }
  return out;
}

// The operator at the command line acts as an admin.
service::Caller Operator() {
  service::Caller caller;
  caller.actor.org = "cli";
  caller.actor.role = store::Role::kAdmin;
  caller.actor.request_id = "cli";
  caller.purpose = "clausematch orgs territory";
  return caller;
}

}  // namespace

void AddOrgs(CLI::App& app, Context& ctx) {
  auto* orgs = app.add_subcommand("orgs", "Organisations' territories (the départements each covers)");
  orgs->require_subcommand(1);

  auto* list = orgs->add_subcommand("list", "Every organisation with a territory");
  auto list_db = std::make_shared<std::string>();
  list->add_option("--db", *list_db, "SQLite database file")->required();
  list->callback([&ctx, list_db] {
    ctx.exit_code = RunGuarded([&] {
      store::Store store(*list_db);
      for (const auto& [org, departements] : store.Read([](store::Session& s) { return s.ListTerritories(); }))
        std::cout << org << ' ' << Joined(departements) << '\n';
      return kExitOk;
    });
  });

  auto* territory = orgs->add_subcommand("territory", "Print an organisation's territory, or replace it");
  struct Options {
    std::string db, org, set, reference = data::DefaultReferenceDir();
    bool clear = false;
  };
  auto o = std::make_shared<Options>();
  territory->add_option("--db", o->db, "SQLite database file")->required();
  territory->add_option("--org", o->org, "Organisation code, e.g. PLIE-LILLE")->required();
  auto* set =
      territory->add_option("--set", o->set, "Département codes separated by commas (59,62), or '*' for every one");
  territory->add_flag("--clear", o->clear, "Remove the territory: the organisation then covers nothing")->excludes(set);
  territory->add_option("--reference", o->reference, "Reference data folder (the départements)");
  territory->callback([&ctx, o] {
    ctx.exit_code = RunGuarded([&] {
      if (o->org.empty() || o->org.size() > 64) throw InputError("--org must be 1 to 64 characters");
      store::Store store(o->db);
      if (o->set.empty() && !o->clear) {
        const auto t = store.Read([&](store::Session& s) { return service::TerritoryOf(s, o->org); });
        std::cout << o->org << ' ' << Joined(t.departements) << '\n';
        return kExitOk;
      }
      const auto codes = o->clear ? std::vector<std::string>{} : SplitCodes(o->set);
      if (!o->clear && codes.empty()) throw InputError("--set takes département codes (59,62) or '*'");
      const auto ref = data::LoadReferential(o->reference);
      const auto t =
          store.Write([&](store::Session& s) { return service::SetTerritory(s, Operator(), o->org, codes, *ref); });
      std::cout << o->org << ' ' << Joined(t.departements) << '\n';
      return kExitOk;
    });
  });
}

}  // namespace clausematch::api::cli
