#include "api/http/fields.hpp"

#include "api/http/errors.hpp"

namespace clausematch::api::http {

using nlohmann::json;

void RequireObject(const json& body) {
  if (!body.is_object()) throw ApiError(ErrorCode::kValidation, "expected a JSON object", {{"", "type", "an object"}});
}

std::optional<double> NumberField(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    problems.push_back({std::string("/") + field, "type", "a number"});
    return std::nullopt;
  }
  return it->get<double>();
}

std::optional<std::uint32_t> IdField(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() >= 0xffffffffULL) {
    problems.push_back({std::string("/") + field, "type", "a positive integer id"});
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

std::string TextField(const json& body, const char* field, model::Problems& problems, std::size_t max) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string() || it->get<std::string>().size() > max) {
    problems.push_back({std::string("/") + field, "type", "a text of at most " + std::to_string(max) + " bytes"});
    return {};
  }
  if (it->get_ref<const std::string&>().find('\0') != std::string::npos) {  // as data/json_codec's text members
    problems.push_back({std::string("/") + field, "invalid_character", "must not contain a NUL character"});
    return {};
  }
  return it->get<std::string>();
}

std::optional<model::Date> DateField(const std::string& pointer, const json* value, model::Problems& problems) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  const auto d = value->is_string() ? model::Date::Parse(value->get<std::string>()) : std::nullopt;
  if (!d) problems.push_back({pointer, "invalid_format", "a date YYYY-MM-DD"});
  return d;
}

std::optional<bool> BoolField(const json& body, const char* field, model::Problems& problems) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    problems.push_back({std::string("/") + field, "type", "true or false"});
    return std::nullopt;
  }
  return it->get<bool>();
}

lifecycle::Acceptance TermsField(const json& body, model::Problems& problems) {
  lifecycle::Acceptance a;
  a.contract_type = EnumField<model::ContractType>(body, "contract_type", problems);
  a.route = EnumField<model::FulfilmentRoute>(body, "route", problems);
  a.employer = TextField(body, "employer", problems);
  a.employer_siret = TextField(body, "employer_siret", problems, 14);
  if (auto it = body.find("hire_date"); it != body.end()) a.hire_date = DateField("/hire_date", &*it, problems);
  return a;
}

}  // namespace clausematch::api::http
