#include <chrono>
#include <cmath>
#include <iostream>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api::cli {

void AddVersion(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the version; --verbose also loads and times the reference data");
  auto verbose = std::make_shared<bool>(false);
  auto reference = std::make_shared<std::string>(data::DefaultReferenceDir());
  cmd->add_flag("-v,--verbose", *verbose, "Load the full referential and report counts and load time");
  cmd->add_option("--reference", *reference, "Reference data folder (rome/, geo/)");
  cmd->callback([&ctx, verbose, reference] {
    ctx.exit_code = RunGuarded([&] {
      std::cout << "clausematch " << CLAUSEMATCH_VERSION << '\n';
      if (!*verbose) return kExitOk;
      const auto t0 = std::chrono::steady_clock::now();
      auto ref = data::LoadReferential(*reference);
      const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "reference data: " << *reference << '\n'
                << "  communes      " << ref->communes().size() << '\n'
                << "  départements  " << ref->departements().size() << '\n'
                << "  régions       " << ref->regions().size() << '\n'
                << "  ROME fiches   " << ref->fiches().size() << '\n'
                << "  appellations  " << ref->appellations().size() << '\n'
                << "  skills        " << ref->skills().size() << '\n'
                << "loaded in " << std::lround(ms) << " ms\n";
      return kExitOk;
    });
  });
}

}  // namespace clausematch::api::cli
