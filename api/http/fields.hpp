#pragma once
// Reading a JSON request body's fields: a missing (or null) field is nullopt; a present one of the
// wrong type or value adds a problem naming it as a JSON pointer, so a handler reports every bad
// field at once (422) before it calls the service.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "lifecycle/placements.hpp"
#include "model/date.hpp"
#include "model/enums.hpp"
#include "model/validation.hpp"

namespace clausematch::api::http {

// 422 unless the body is a JSON object.
void RequireObject(const nlohmann::json& body);

std::optional<double> NumberField(const nlohmann::json& body, const char* field, model::Problems& problems);
// A positive 32-bit id.
std::optional<std::uint32_t> IdField(const nlohmann::json& body, const char* field, model::Problems& problems);
// A text of at most `max` bytes; empty when absent.
std::string TextField(const nlohmann::json& body, const char* field, model::Problems& problems, std::size_t max = 200);
// `value` may be null (absent); `pointer` names it in a problem.
std::optional<model::Date> DateField(const std::string& pointer, const nlohmann::json* value,
                                     model::Problems& problems);
std::optional<bool> BoolField(const nlohmann::json& body, const char* field, model::Problems& problems);

template <typename E>
std::optional<E> EnumField(const nlohmann::json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<E> v;
  if (it->is_string()) v = model::ParseEnum<E>(it->get<std::string>());
  if (!v) {
    std::string codes;
    for (const auto& e : model::Entries(E{})) codes += (codes.empty() ? "" : ", ") + std::string(e.code);
    problems.push_back({std::string("/") + field, "invalid_value", "one of " + codes});
  }
  return v;
}

// The terms a body gives for a hire or an acceptance (contract_type, route, employer,
// employer_siret); the opening and participant are left unset.
lifecycle::Acceptance TermsField(const nlohmann::json& body, model::Problems& problems);

}  // namespace clausematch::api::http
