// GET /v1/contracts/{id}/attestation?month=YYYY-MM&people=pseudonymised|named: the signed
// attestation of a contract's insertion hours (service/attestation.hpp, the rule of `clausematch
// attestation`; docs/attestations.md). A PDF, or with Accept: application/json the signed document.
#include "api/http/attestation_routes.hpp"

#include "api/http/access.hpp"
#include "api/json/attestation_json.hpp"
#include "api/pdf/attestation_pdf.hpp"
#include "service/attestation.hpp"

namespace clausematch::api::http {

void AddAttestationRoutes(Router& router, App& app) {
  const std::vector<store::Role> facilitators{store::Role::kFacilitator, store::Role::kAdmin};

  router.Add("GET", "/v1/contracts/{id}/attestation", facilitators, [&app](Call& call) {
    const auto id = call.PathId("id");
    service::AttestationRequest request;
    request.contract = model::ContractId(id);
    request.month = call.Query("month").value_or("");
    auto problems = service::CheckAttestationMonth(request.month);
    const auto people = call.Query("people").value_or("pseudonymised");
    if (people != "pseudonymised" && people != "named")
      problems.push_back({"people", "invalid_value", "pseudonymised or named"});
    if (!problems.empty()) throw ApiError(ErrorCode::kBadRequest, "invalid attestation query", problems);
    request.named = people == "named";
    const auto a = service::IssueAttestation(CallerOf(call), app.store, request, app.Today());
    const std::string name =
        "attestation-" + std::to_string(id) + "-" + (request.month.empty() ? "marche" : request.month);
    if (call.req.get_header_value("Accept").find("application/json") != std::string::npos) {
      call.Reply(200, json::SignedAttestationJson(a));
      return;
    }
    const auto pdf = pdf::AttestationPdf(a.canonical, a.signature, a.public_key);
    call.res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
    call.Reply(200, pdf, "application/pdf");
  });
}

}  // namespace clausematch::api::http
