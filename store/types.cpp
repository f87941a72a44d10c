#include "store/types.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace clausematch::store {
namespace {

template <typename E, std::size_t N>
std::optional<E> ParseCode(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (std::size_t i = 0; i < N; ++i)
    if (codes[i] == code) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kRoles{"prescriber", "facilitator", "admin"};
constexpr std::array<std::string_view, 4> kBatchStates{"queued", "running", "succeeded", "failed"};
constexpr std::array<std::string_view, 3> kDecisions{"pending", "accepted", "declined"};

}  // namespace

std::string_view RoleCode(Role role) { return kRoles[static_cast<std::size_t>(role)]; }
std::optional<Role> ParseRole(std::string_view code) { return ParseCode<Role>(kRoles, code); }
std::string_view BatchStateCode(BatchState state) { return kBatchStates[static_cast<std::size_t>(state)]; }
std::string_view DecisionCode(Decision decision) { return kDecisions[static_cast<std::size_t>(decision)]; }
std::optional<Decision> ParseDecision(std::string_view code) { return ParseCode<Decision>(kDecisions, code); }

std::string NowTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace clausematch::store
