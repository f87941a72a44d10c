#include "model/date.hpp"

#include <charconv>
#include <cstdio>

namespace clausematch::model {

using std::chrono::day;
using std::chrono::month;
using Year = std::chrono::year;
using std::chrono::year_month_day;

Date Date::FromYmd(int y, unsigned m, unsigned d) {
  return Date(std::chrono::sys_days(year_month_day(Year(y), month(m), day(d))));
}

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len, int& out) {
    for (std::size_t i = pos; i < pos + len; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    auto res = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return res.ec == std::errc{};
  };
  int y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
  year_month_day ymd{Year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return Date(std::chrono::sys_days(ymd));
}

year_month_day Date::ymd() const { return year_month_day(std::chrono::sys_days(std::chrono::days(days_))); }

int Date::year() const { return static_cast<int>(ymd().year()); }

std::string Date::ToString() const {
  auto v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                static_cast<unsigned>(v.day()));
  return buf;
}

Date Date::AddMonths(int months) const {
  auto v = ymd();
  auto ym = std::chrono::year_month(v.year(), v.month()) + std::chrono::months(months);
  auto last = std::chrono::year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month())).day();
  auto d = v.day() > last ? last : v.day();
  return Date(std::chrono::sys_days(year_month_day(ym.year(), ym.month(), d)));
}

int AgeAt(Date birth, Date at) {
  auto b = birth.ymd();
  auto a = at.ymd();
  int age = static_cast<int>(a.year()) - static_cast<int>(b.year());
  unsigned bm = static_cast<unsigned>(b.month()), bd = static_cast<unsigned>(b.day());
  unsigned am = static_cast<unsigned>(a.month()), ad = static_cast<unsigned>(a.day());
  if (am < bm || (am == bm && ad < bd)) --age;
  return age;
}

}  // namespace clausematch::model
