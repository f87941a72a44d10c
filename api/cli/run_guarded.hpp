#pragma once
#include <functional>
#include <stdexcept>
#include <string>

namespace clausematch::api::cli {

// Bad input from the user (a file, a flag value): exit code 2 with the message as is.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs a subcommand body and maps exceptions to exit codes in one place: InputError,
// data::CsvError and service::Error (but kUnavailable) -> 2, anything else -> 1. Messages go to
// stderr prefixed with "clausematch: ".
int RunGuarded(const std::function<int()>& body);

}  // namespace clausematch::api::cli
