#pragma once
// `clausematch attestation [verify | rotate-key | keys]` (attestation.cpp), registered by api/main.cpp.
#include "api/cli/commands.hpp"

namespace clausematch::api::cli {

void AddAttestation(CLI::App& app, Context& ctx);

}  // namespace clausematch::api::cli
