// Liveness, readiness, metrics and the OpenAPI document: no authentication, no personal data.
#include "api/http/batch_runner.hpp"
#include "api/http/openapi.hpp"
#include "api/http/server.hpp"

namespace clausematch::api::http {

void AddSystemRoutes(Router& router, App& app) {
  router.AddPublic("GET", "/livez", [](Call& call) { call.Reply(200, {{"status", "alive"}}); });
  router.AddPublic("GET", "/readyz", [&app](Call& call) {
    const bool db = app.store.Ping();
    const bool ready = app.ready && db;
    // Undecodable rows do not stop the service (they are skipped): reported, not "not ready".
    call.Reply(ready ? 200 : 503, {{"status", ready ? "ready" : "not ready"},
                                   {"database", db ? "ok" : "unreachable"},
                                   {"bad_records", app.store.bad_records().count()}});
  });
  router.AddPublic("GET", "/metrics", [&app](Call& call) {
    auto text = app.metrics.Render([&app](std::string& out) {
      const auto [participants, openings] = app.store.snapshot().Read([](const model::Dataset& d) {
        return std::pair{d.participants.size(), d.openings.size()};
      });
      out += "# HELP clausematch_snapshot_participants Participants in the in-memory snapshot.\n";
      out += "# TYPE clausematch_snapshot_participants gauge\n";
      out += "clausematch_snapshot_participants " + std::to_string(participants) + "\n";
      out += "# HELP clausematch_snapshot_openings Openings in the in-memory snapshot.\n";
      out += "# TYPE clausematch_snapshot_openings gauge\n";
      out += "clausematch_snapshot_openings " + std::to_string(openings) + "\n";
      out += "# HELP clausematch_batches_queued Batch runs waiting for the worker.\n";
      out += "# TYPE clausematch_batches_queued gauge\n";
      out += "clausematch_batches_queued " + std::to_string(app.batches ? app.batches->pending() : 0) + "\n";
      out +=
          "# HELP clausematch_audit_group_commits_total Commits of shortlist audit entries (shared by concurrent "
          "requests).\n";
      out += "# TYPE clausematch_audit_group_commits_total counter\n";
      out += "clausematch_audit_group_commits_total " + std::to_string(app.store.audit_commits()) + "\n";
      out += "# HELP clausematch_store_bad_records Rows whose record cannot be decoded (skipped; see stderr).\n";
      out += "# TYPE clausematch_store_bad_records gauge\n";
      out += "clausematch_store_bad_records " + std::to_string(app.store.bad_records().count()) + "\n";
    });
    call.Reply(200, text, "text/plain; version=0.0.4; charset=utf-8");
  });
  router.AddPublic("GET", "/v1/openapi.json",
                   [](Call& call) { call.Reply(200, std::string(OpenApiDocument()), "application/json"); });
}

}  // namespace clausematch::api::http
