#pragma once
// The `clausematch` command line: one file per subcommand under api/cli/, each registering itself
// on the root CLI11 app through an Add* function listed here and called from api/main.cpp.
#include <CLI/CLI.hpp>

namespace clausematch::api::cli {

// Exit codes: 0 success; 1 a failure of the run (I/O, internal); 2 bad input or usage, with a
// message naming the file, line and column.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Where a subcommand's callback leaves its exit code.
struct Context {
  int exit_code = kExitOk;
};

void AddVersion(CLI::App& app, Context& ctx);
void AddGenerate(CLI::App& app, Context& ctx);
void AddImport(CLI::App& app, Context& ctx);
void AddExport(CLI::App& app, Context& ctx);
void AddShortlist(CLI::App& app, Context& ctx);
void AddSolve(CLI::App& app, Context& ctx);
void AddBatch(CLI::App& app, Context& ctx);       // batch assignment of a territory
void AddContract(CLI::App& app, Context& ctx);    // contract plan | fulfilment
void AddOpening(CLI::App& app, Context& ctx);     // opening open
void AddHours(CLI::App& app, Context& ctx);       // hours import
void AddIndicators(CLI::App& app, Context& ctx);  // indicators
void AddSiae(CLI::App& app, Context& ctx);        // siae
void AddPlacements(CLI::App& app, Context& ctx);  // placements accept
void AddOutcomes(CLI::App& app, Context& ctx);    // outcomes import
void AddRenewals(CLI::App& app, Context& ctx);    // proofs to renew before a hire
void AddServe(CLI::App& app, Context& ctx);
void AddKeys(CLI::App& app, Context& ctx);
void AddOrgs(CLI::App& app, Context& ctx);  // orgs list | territory

}  // namespace clausematch::api::cli
