#pragma once
// Strong ids: a ParticipantId cannot be passed where an OpeningId is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace clausematch::model {

template <typename Tag, typename Rep = std::uint32_t>
class StrongId {
 public:
  using rep_type = Rep;
  static constexpr Rep kInvalid = std::numeric_limits<Rep>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(value) {}

  [[nodiscard]] constexpr Rep value() const { return value_; }
  [[nodiscard]] constexpr bool valid() const { return value_ != kInvalid; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>'s literal 0
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  Rep value_ = kInvalid;
};

struct ParticipantTag {};
struct ContractTag {};
struct OpeningTag {};
struct PlacementTag {};

using ParticipantId = StrongId<ParticipantTag>;
using ContractId = StrongId<ContractTag>;
using OpeningId = StrongId<OpeningTag>;
using PlacementId = StrongId<PlacementTag>;

// Organisations (prescribers, facilitators) are named by a stable code such as "FT-59" or
// "PLIE-LILLE": the code is what their own systems know.
using OrgCode = std::string;

// A ROME appellation is identified by its OGR code (e.g. 10200); a skill or knowledge item by its
// code_ogr as well. Both are plain integers in ROME 4.0.
using AppellationCode = std::uint32_t;
using SkillCode = std::uint32_t;

}  // namespace clausematch::model

template <typename Tag, typename Rep>
struct std::hash<clausematch::model::StrongId<Tag, Rep>> {
  std::size_t operator()(clausematch::model::StrongId<Tag, Rep> id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
