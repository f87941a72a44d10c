// `clausematch keys create --db FILE --org ORG --role ROLE`: prints a new API key once.
#include "store/keys.hpp"

#include <iostream>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"

namespace clausematch::api::cli {

void AddKeys(CLI::App& app, Context& ctx) {
  auto* keys = app.add_subcommand("keys", "Manage API keys");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand("create", "Create an API key for an organisation and role; prints it once");
  auto db = std::make_shared<std::string>();
  auto org = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  create->add_option("--db", *db, "SQLite database file")->required();
  create->add_option("--org", *org, "Organisation code, e.g. FT-59 or PLIE-LILLE")->required();
  create->add_option("--role", *role, "prescriber, facilitator or admin")->required();
  create->callback([&ctx, db, org, role] {
    ctx.exit_code = RunGuarded([&] {
      const auto parsed = store::ParseRole(*role);
      if (!parsed) throw InputError("--role must be prescriber, facilitator or admin, not '" + *role + "'");
      if (org->empty() || org->size() > 64) throw InputError("--org must be 1 to 64 characters");
      store::Store store(*db);
      const auto created = store::CreateApiKey(store, *org, *parsed);
      std::cerr << "API key for " << *org << " (" << *role << "), shown once; store it now:\n";
      if (*parsed != store::Role::kAdmin && store.Read([&](store::Session& s) { return s.Territory(*org); }).empty())
        std::cerr << *org << " has no territory yet: it reaches no one until one is set "
                  << "(clausematch orgs territory --db " << *db << " --org " << *org << " --set 59,62)\n";
      std::cout << created.token << '\n';
      return kExitOk;
    });
  });
}

}  // namespace clausematch::api::cli
