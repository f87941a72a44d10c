#include "api/http/errors.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace clausematch::api::http {
namespace {

// The one table: code -> status, stable type slug, title. Order follows ErrorCode.
constexpr std::array<ErrorInfo, 18> kErrors{{
    {400, "bad-request", "Bad request"},
    {400, "invalid-json", "Request body is not valid JSON"},
    {401, "unauthenticated", "Missing or invalid API key"},
    {403, "forbidden", "Not allowed for this role"},
    {404, "not-found", "Not found"},
    {405, "method-not-allowed", "Method not allowed"},
    {409, "conflict", "Conflict"},
    {411, "length-required", "Content-Length required (chunked bodies are refused)"},
    {413, "payload-too-large", "Request too large"},
    {414, "uri-too-long", "URI too long"},
    {415, "unsupported-media-type", "Unsupported media type"},
    {422, "validation", "Invalid fields"},
    {422, "idempotency-key-reused", "Idempotency-Key reused with a different request"},
    {429, "rate-limited", "Too many requests"},
    {431, "headers-too-large", "Request header fields too large"},
    {500, "internal", "Internal error"},
    {503, "unavailable", "Service unavailable"},
    {408, "request-timeout", "Request not received in time"},
}};
static_assert(kErrors.size() == static_cast<std::size_t>(ErrorCode::kRequestTimeout) + 1);

// At most kMaxProblemBytes of `text`, cut on a character boundary, with "…" when cut.
std::string Cut(const std::string& text) {
  if (text.size() <= kMaxProblemBytes) return text;
  std::size_t end = kMaxProblemBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) --end;
  return text.substr(0, end) + "…";
}

}  // namespace

const ErrorInfo& Info(ErrorCode code) { return kErrors[static_cast<std::size_t>(code)]; }

std::string ProblemType(ErrorCode code) { return "urn:clausematch:problem:" + std::string(Info(code).slug); }

std::string ProblemBody(ErrorCode code, std::string_view detail, const model::Problems& problems,
                        std::string_view request_id) {
  const auto& info = Info(code);
  nlohmann::json body{{"type", ProblemType(code)},
                      {"title", info.title},
                      {"status", info.status},
                      {"detail", detail},
                      {"instance", "urn:clausematch:request:" + std::string(request_id)},
                      {"request_id", request_id}};
  if (!problems.empty()) {
    auto& errors = body["errors"] = nlohmann::json::array();
    // A body field is named by a JSON pointer ("/criteria/1/proof_date"); a query parameter by its name.
    // The first kMaxProblemsShown only, each cut to kMaxProblemBytes: a bad upload never makes a
    // body larger than a few hundred KB ("errors_total" says how many there were).
    const std::size_t shown = std::min(problems.size(), kMaxProblemsShown);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& p = problems[i];
      const bool pointer = p.field.empty() || p.field.front() == '/';
      errors.push_back(
          {{pointer ? "pointer" : "parameter", Cut(p.field)}, {"code", p.code}, {"detail", Cut(p.message)}});
    }
    body["errors_total"] = problems.size();
  }
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ErrorCode ErrorCodeOf(service::ErrorKind kind) {
  switch (kind) {
    case service::ErrorKind::kInvalid:
      return ErrorCode::kValidation;
    case service::ErrorKind::kNotFound:
      return ErrorCode::kNotFound;
    case service::ErrorKind::kConflict:
      return ErrorCode::kConflict;
    case service::ErrorKind::kUnavailable:
      return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

}  // namespace clausematch::api::http
