#pragma once
// How a facilitator is shown a person, everywhere it is (the candidate view, a named attestation):
// the first name and the initial of the last name ("Inès D.", "Éric É."), never the full name
// (docs/privacy.md).
#include <string>

#include "model/participant.hpp"

namespace clausematch::service {

// The first UTF-8 character of `s` (its lead byte and continuation bytes), never a part of one: "É"
// of "Éric" is two bytes. Text reaching here was valid UTF-8 when it was decoded.
inline std::string FirstCharacter(const std::string& s) {
  std::size_t n = 1;
  while (n < s.size() && n < 4 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return s.substr(0, n);
}

inline std::string DisplayName(const model::Participant& p) {
  std::string display = p.first_name;
  if (!p.last_name.empty()) display += " " + FirstCharacter(p.last_name) + ".";
  return display;
}

}  // namespace clausematch::service
