#pragma once
// The one way a service operation refuses: a kind both doors map in one place (HTTP: a status and
// an RFC 9457 problem, api/http/errors.cpp; CLI: exit code 2 for input the user can fix, 1
// otherwise, api/cli/run_guarded.cpp), a sentence, and the fields at fault as JSON pointers
// ("/hourly_cost_eur") or flag/column names the caller gave.
#include <stdexcept>
#include <string>

#include "model/validation.hpp"

namespace clausematch::service {

enum class ErrorKind {
  kInvalid,      // the request names bad values (HTTP 422, CLI 2)
  kNotFound,     // no such object, or one the caller may not see (HTTP 404, CLI 2)
  kConflict,     // the objects' state forbids it now (HTTP 409, CLI 2)
  kUnavailable,  // something the server needs is missing (HTTP 503, CLI 1)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, model::Problems problems = {})
      : std::runtime_error(message), kind_(kind), problems_(std::move(problems)) {}
  [[nodiscard]] ErrorKind kind() const { return kind_; }
  [[nodiscard]] const model::Problems& problems() const { return problems_; }

 private:
  ErrorKind kind_;
  model::Problems problems_;
};

}  // namespace clausematch::service
