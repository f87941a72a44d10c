// clausematch: one executable, one subcommand per job. See `clausematch --help`.
#include <CLI/CLI.hpp>

#include "api/cli/attestation.hpp"
#include "api/cli/commands.hpp"

int main(int argc, char** argv) {
  namespace cli = clausematch::api::cli;
  CLI::App app{"clausematch: match people far from employment with insertion-clause openings"};
  app.require_subcommand(1);
  cli::Context ctx;
  cli::AddVersion(app, ctx);
  cli::AddGenerate(app, ctx);
  cli::AddImport(app, ctx);
  cli::AddExport(app, ctx);
  cli::AddShortlist(app, ctx);
  cli::AddSolve(app, ctx);
  cli::AddBatch(app, ctx);
  cli::AddContract(app, ctx);
  cli::AddOpening(app, ctx);
  cli::AddHours(app, ctx);
  cli::AddIndicators(app, ctx);
  cli::AddAttestation(app, ctx);
  cli::AddSiae(app, ctx);
  cli::AddPlacements(app, ctx);
  cli::AddRenewals(app, ctx);
  cli::AddOutcomes(app, ctx);
  cli::AddServe(app, ctx);
  cli::AddKeys(app, ctx);
  cli::AddOrgs(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitBadInput;
  }
  return ctx.exit_code;
}
