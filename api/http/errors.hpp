#pragma once
// Every error the HTTP API can answer, mapped in ONE table (errors.cpp) to an HTTP status and a
// stable problem type, rendered as RFC 9457 application/problem+json. Handlers throw ApiError;
// the server catches it (and anything else, as a generic 500) in one place.
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/validation.hpp"
#include "service/error.hpp"

namespace clausematch::api::http {

enum class ErrorCode {
  kBadRequest,            // 400 malformed request (query parameter, header)
  kInvalidJson,           // 400 body is not JSON
  kUnauthenticated,       // 401 no or bad bearer token
  kForbidden,             // 403 the role may not use this endpoint
  kNotFound,              // 404 no such object, or one of another organisation
  kMethodNotAllowed,      // 405
  kConflict,              // 409 duplicate or state conflict
  kLengthRequired,        // 411 chunked (or length-less) request body
  kPayloadTooLarge,       // 413
  kUriTooLong,            // 414
  kUnsupportedMediaType,  // 415
  kValidation,            // 422 body well-formed but invalid (every field as a JSON pointer)
  kIdempotencyKeyReused,  // 422 same Idempotency-Key, different request
  kRateLimited,           // 429
  kHeadersTooLarge,       // 431
  kInternal,              // 500, leaks nothing
  kUnavailable,           // 503 not ready, or at the connection limit
  kRequestTimeout,        // 408 the header or body did not arrive within its deadline
};

struct ErrorInfo {
  int status;
  std::string_view slug;   // problem type is "urn:clausematch:problem:<slug>"
  std::string_view title;  // short, constant per type (RFC 9457 section 3.1.3)
};

const ErrorInfo& Info(ErrorCode code);
std::string ProblemType(ErrorCode code);

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, std::string detail, model::Problems problems = {})
      : std::runtime_error(detail), code_(code), detail_(std::move(detail)), problems_(std::move(problems)) {}
  [[nodiscard]] ErrorCode code() const { return code_; }
  [[nodiscard]] const std::string& detail() const { return detail_; }
  [[nodiscard]] const model::Problems& problems() const { return problems_; }

 private:
  ErrorCode code_;
  std::string detail_;
  model::Problems problems_;
};

// How a service refusal answers: kInvalid 422, kNotFound 404, kConflict 409, kUnavailable 503.
ErrorCode ErrorCodeOf(service::ErrorKind kind);

// The problem+json body: type, title, status, detail, instance (urn of the request id),
// request_id, and `errors` [{pointer, code, detail}] when there are field problems.
// A problem body lists at most this many errors (and "errors_total", the count of all), each
// field name and detail cut to kMaxProblemBytes.
inline constexpr std::size_t kMaxProblemsShown = 100;
inline constexpr std::size_t kMaxProblemBytes = 512;
std::string ProblemBody(ErrorCode code, std::string_view detail, const model::Problems& problems,
                        std::string_view request_id);

}  // namespace clausematch::api::http
