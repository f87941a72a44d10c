#pragma once
// A ROME fiche code ("F1703"): one letter, four digits. Stored inline in 5 bytes so that
// participants and openings carry fiches without heap strings.
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace clausematch::model {

class RomeCode {
 public:
  constexpr RomeCode() = default;

  static constexpr std::optional<RomeCode> Parse(std::string_view text) {
    if (text.size() != 5 || text[0] < 'A' || text[0] > 'Z') return std::nullopt;
    for (std::size_t i = 1; i < 5; ++i)
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    RomeCode c;
    for (std::size_t i = 0; i < 5; ++i) c.chars_[i] = text[i];
    return c;
  }

  [[nodiscard]] constexpr bool valid() const { return chars_[0] != '\0'; }
  [[nodiscard]] std::string str() const { return valid() ? std::string(chars_.data(), 5) : std::string(); }
  [[nodiscard]] std::string_view view() const {
    return valid() ? std::string_view(chars_.data(), 5) : std::string_view();
  }
  // Grand domaine letter (A..N).
  [[nodiscard]] constexpr char domain() const { return chars_[0]; }
  // A dense integer key (letter * 10000 + number), handy for hashing and arrays.
  [[nodiscard]] constexpr std::uint32_t key() const {
    if (!valid()) return 0;
    std::uint32_t n = 0;
    for (std::size_t i = 1; i < 5; ++i) n = n * 10 + static_cast<std::uint32_t>(chars_[i] - '0');
    return static_cast<std::uint32_t>(chars_[0] - 'A' + 1) * 10000u + n;
  }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>'s literal 0
  friend constexpr auto operator<=>(const RomeCode&, const RomeCode&) = default;

 private:
  std::array<char, 5> chars_{};
};

}  // namespace clausematch::model

template <>
struct std::hash<clausematch::model::RomeCode> {
  std::size_t operator()(const clausematch::model::RomeCode& c) const noexcept { return c.key(); }
};
