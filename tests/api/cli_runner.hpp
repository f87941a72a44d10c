#pragma once
// Runs the real `clausematch` binary (CLAUSEMATCH_BINARY) and captures its exit code and output.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace clausematch::api::http::testing {

struct Command {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

inline Command Clausematch(const std::string& args, const std::filesystem::path& dir) {
  const auto out = dir / "cli_out.txt";
  const int status =
      std::system((std::string(CLAUSEMATCH_BINARY) + " " + args + " >" + out.string() + " 2>&1").c_str());
  std::ifstream in(out);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

}  // namespace clausematch::api::http::testing
