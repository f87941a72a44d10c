// `clausematch keys create --db FILE --org ORG --role ROLE`: prints a new API key once.
// `clausematch keys list --db FILE`: every key (key id, organisation, role, created, revoked).
// `clausematch keys revoke --db FILE --key-id ID`: a running server refuses it within a second.
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

  auto* list = keys->add_subcommand("list", "List every key: key id, organisation, role, created, revoked");
  auto list_db = std::make_shared<std::string>();
  list->add_option("--db", *list_db, "SQLite database file")->required();
  list->callback([&ctx, list_db] {
    ctx.exit_code = RunGuarded([&] {
      store::Store store(*list_db);
      std::cout << "key_id\torg\trole\tcreated_at\trevoked_at\n";
      for (const auto& k : store.Read([](store::Session& s) { return s.ListApiKeys(); }))
        std::cout << k.key_id << '\t' << k.org << '\t' << store::RoleCode(k.role) << '\t' << k.created_at << '\t'
                  << (k.revoked_at.empty() ? "-" : k.revoked_at) << '\n';
      return kExitOk;
    });
  });

  auto* revoke = keys->add_subcommand("revoke", "Revoke a key (a running server refuses it within a second)");
  auto revoke_db = std::make_shared<std::string>();
  auto key_id = std::make_shared<std::string>();
  revoke->add_option("--db", *revoke_db, "SQLite database file")->required();
  revoke->add_option("--key-id", *key_id, "The key id: the 16 hex digits after cm_ (see keys list)")->required();
  revoke->callback([&ctx, revoke_db, key_id] {
    ctx.exit_code = RunGuarded([&] {
      store::Store store(*revoke_db);
      if (!store.Write([&](store::Session& s) { return s.RevokeApiKey(*key_id); }))
        throw InputError("--key-id: no key " + *key_id + " in " + *revoke_db);
      std::cout << "revoked " << *key_id << '\n';
      return kExitOk;
    });
  });
}

}  // namespace clausematch::api::cli
