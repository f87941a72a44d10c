#pragma once
// Calendar dates as days since 1970-01-01 (std::chrono::sys_days underneath). Eligibility is
// judged at an opening's start date, so dates and ages are computed exactly, never from "now".
#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clausematch::model {

class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(std::chrono::sys_days days)
      : days_(static_cast<std::int32_t>(days.time_since_epoch().count())) {}
  static constexpr Date FromDays(std::int32_t days_since_epoch) {
    Date d;
    d.days_ = days_since_epoch;
    return d;
  }
  static Date FromYmd(int year, unsigned month, unsigned day);

  // Strict ISO 8601 calendar date "YYYY-MM-DD"; nullopt for anything else or an impossible day.
  static std::optional<Date> Parse(std::string_view text);
  [[nodiscard]] std::string ToString() const;

  [[nodiscard]] constexpr std::int32_t days() const { return days_; }
  [[nodiscard]] std::chrono::year_month_day ymd() const;
  [[nodiscard]] int year() const;

  // Same day-of-month `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
  [[nodiscard]] Date AddMonths(int months) const;
  [[nodiscard]] Date AddYears(int years) const { return AddMonths(12 * years); }
  [[nodiscard]] constexpr Date AddDays(int days) const { return FromDays(days_ + days); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>'s literal 0
  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr std::int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  std::int32_t days_ = 0;
};

// Completed years between `birth` and `at`. Someone born on 29 February reaches a new age on
// 1 March in common years.
int AgeAt(Date birth, Date at);

}  // namespace clausematch::model
