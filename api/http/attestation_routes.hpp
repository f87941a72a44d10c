#pragma once
// GET /v1/contracts/{id}/attestation (attestation_routes.cpp), registered with the reporting
// routes (report_routes.cpp).
#include "api/http/server.hpp"

namespace clausematch::api::http {

void AddAttestationRoutes(Router& router, App& app);

}  // namespace clausematch::api::http
