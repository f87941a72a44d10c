#include "data/csv_codec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <unordered_map>

#include "data/csv_reader.hpp"
#include "data/json_codec.hpp"

namespace clausematch::data {
namespace {

// How a cell maps to a JSON value. Multi-valued cells separate items with '|'; structured items
// separate their parts with ':' (see docs/formats.md).
enum class Cell {
  kString,      // as is (not trimmed)
  kInsee,       // string; 4 digits get their leading zero back (spreadsheets drop it)
  kInt,         // integer
  kNumber,      // decimal, '.' or ',' as the decimal separator
  kBool,        // true/false, 1/0, oui/non, yes/no
  kIntList,     // 10200|10201
  kStringList,  // F1703|F1704 or B|CACES
  kCriteria,    // rsa:2026-10-01:CD59|jeune|rqth:2025-01-10/2030-01-09:MDPH80
                //   criterion[:proof_date[/valid_until][:validated_by]] (an ISO 8601 interval)
  kQuotas,      // rsa:2:0.3                  (public:min_positions[:min_share])
  kHours,       // 2026-03:120.5:2026-04-02[:4000:0.6:30] (year-month:hours:reported_on[:subcontracting amount])
  kOutcomes,    // 6:emploi_durable:2026-09-01 (months_after_entry:outcome:recorded_on)
  kConditions,  // proof_to_renew:rsa:2027-03-05 (code:criterion:renew_by)
};

struct Column {
  std::string_view name;
  std::string_view pointer;  // JSON pointer of the field in the object's JSON shape
  Cell cell;
  bool required = false;  // the header must have it
};

constexpr Column kParticipantColumns[] = {
    {"id", "/id", Cell::kInt},
    {"external_ref", "/external_ref", Cell::kString},
    {"prescriber_org", "/prescriber_org", Cell::kString, true},
    {"prescriber_kind", "/prescriber_kind", Cell::kString},
    {"first_name", "/first_name", Cell::kString, true},
    {"last_name", "/last_name", Cell::kString, true},
    {"birth_date", "/birth_date", Cell::kString, true},
    {"sex", "/sex", Cell::kString},
    {"email", "/email", Cell::kString},
    {"phone", "/phone", Cell::kString},
    {"criteria", "/criteria", Cell::kCriteria, true},
    {"diagnosis_date", "/diagnosis_date", Cell::kString},
    {"derogation_granted_on", "/derogation/granted_on", Cell::kString},
    {"derogation_granted_by", "/derogation/granted_by", Cell::kString},
    {"derogation_reason", "/derogation/reason", Cell::kString},
    {"commune_insee", "/commune_insee", Cell::kInsee, true},
    {"latitude", "/location/lat", Cell::kNumber},
    {"longitude", "/location/lon", Cell::kNumber},
    {"mobility_radius_km", "/mobility_radius_km", Cell::kNumber},
    {"mobility_mode", "/mobility_mode", Cell::kString},
    {"licences", "/licences", Cell::kStringList},
    {"wanted_appellations", "/wanted_appellations", Cell::kIntList},
    {"wanted_fiches", "/wanted_fiches", Cell::kStringList},
    {"skills", "/skills", Cell::kIntList},
    {"available_from", "/available_from", Cell::kString, true},
    {"weekly_hours_wanted", "/weekly_hours_wanted", Cell::kNumber},
    {"status", "/status", Cell::kString},
    {"consent", "/consent", Cell::kBool},
    {"consent_date", "/consent_date", Cell::kString},
    {"registration_date", "/registration_date", Cell::kString, true},
    {"last_proposal_date", "/last_proposal_date", Cell::kString},
    {"open_proposals", "/open_proposals", Cell::kInt},
};

constexpr Column kContractColumns[] = {
    {"id", "/id", Cell::kInt},
    {"reference", "/reference", Cell::kString, true},
    {"title", "/title", Cell::kString},
    {"buyer", "/buyer", Cell::kString, true},
    {"facilitator_org", "/facilitator_org", Cell::kString, true},
    {"holder", "/holder", Cell::kString},
    {"holder_siret", "/holder_siret", Cell::kString},
    {"cpv_code", "/cpv_code", Cell::kString},
    {"amount_excl_vat_eur", "/amount_excl_vat_eur", Cell::kNumber},
    {"start", "/start", Cell::kString, true},
    {"end", "/end", Cell::kString, true},
    {"worksite_insee", "/worksite_insee", Cell::kInsee, true},
    {"worksite_latitude", "/worksite_location/lat", Cell::kNumber},
    {"worksite_longitude", "/worksite_location/lon", Cell::kNumber},
    {"clause_type", "/clause_type", Cell::kString},
    {"accepted_publics", "/accepted_publics", Cell::kStringList, true},
    {"accepts_derogation", "/accepts_derogation", Cell::kBool},
    {"accepts_iae_eligibility", "/accepts_iae_eligibility", Cell::kBool},
    {"priority_publics", "/priority_publics", Cell::kStringList},
    {"qpv_only", "/qpv_only", Cell::kBool},
    {"iae_level2_required", "/iae_level2_required", Cell::kInt},
    {"labour_share", "/sizing/labour_share", Cell::kNumber},
    {"insertion_rate", "/sizing/insertion_rate", Cell::kNumber},
    {"hourly_cost_eur", "/sizing/hourly_cost_eur", Cell::kNumber},
    {"insertion_hours", "/insertion_hours", Cell::kNumber},
    {"quotas", "/quotas", Cell::kQuotas},
    {"status", "/status", Cell::kString},
};

constexpr Column kOpeningColumns[] = {
    {"id", "/id", Cell::kInt},
    {"contract", "/contract", Cell::kInt, true},
    {"appellation", "/appellation", Cell::kInt, true},
    {"fiche", "/fiche", Cell::kString},
    {"positions", "/positions", Cell::kInt},
    {"weekly_hours", "/weekly_hours", Cell::kNumber},
    {"start", "/start", Cell::kString, true},
    {"end", "/end", Cell::kString, true},
    {"worksite_insee", "/worksite_insee", Cell::kInsee, true},
    {"worksite_latitude", "/worksite_location/lat", Cell::kNumber},
    {"worksite_longitude", "/worksite_location/lon", Cell::kNumber},
    {"contract_type", "/contract_type", Cell::kString},
    {"required_licences", "/required_licences", Cell::kStringList},
    {"required_skills", "/required_skills", Cell::kIntList},
    {"max_distance_km", "/max_distance_km", Cell::kNumber},
    {"status", "/status", Cell::kString},
};

constexpr Column kPlacementColumns[] = {
    {"id", "/id", Cell::kInt},
    {"participant", "/participant", Cell::kInt, true},
    {"opening", "/opening", Cell::kInt, true},
    {"contract", "/contract", Cell::kInt},
    {"status", "/status", Cell::kString},
    {"contract_type", "/contract_type", Cell::kString},
    {"route", "/route", Cell::kString},
    {"employer", "/employer", Cell::kString},
    {"employer_siret", "/employer_siret", Cell::kString},
    {"start", "/start", Cell::kString, true},
    {"end", "/end", Cell::kString, true},
    {"weekly_hours", "/weekly_hours", Cell::kNumber},
    {"hours", "/hours", Cell::kHours},
    {"outcomes", "/outcomes", Cell::kOutcomes},
    // The eligibility snapshot (model::EligibilitySnapshot), one column per member; empty when the
    // placement has none.
    {"eligibility_judged_on", "/eligibility/judged_on", Cell::kString},
    {"eligibility_hire_date", "/eligibility/hire_date", Cell::kString},
    {"eligibility_basis", "/eligibility/basis", Cell::kString},
    {"eligibility_eligible_by", "/eligibility/eligible_by", Cell::kStringList},
    {"eligibility_criteria", "/eligibility/criteria", Cell::kCriteria},
    {"eligibility_provisional", "/eligibility/provisional", Cell::kStringList},
    {"eligibility_diagnosis_date", "/eligibility/diagnosis_date", Cell::kString},
    {"eligibility_diagnosed_by", "/eligibility/diagnosed_by", Cell::kString},
    {"eligibility_by_diagnosis", "/eligibility/by_diagnosis", Cell::kStringList},
    {"eligibility_derogation_granted_on", "/eligibility/derogation/granted_on", Cell::kString},
    {"eligibility_derogation_granted_by", "/eligibility/derogation/granted_by", Cell::kString},
    {"eligibility_conditions", "/eligibility/conditions", Cell::kConditions},
};

// ---------------------------------------------------------------------------------------------
// Cells -> JSON

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep, std::size_t max_parts = 0) {
  std::vector<std::string_view> out;
  while (true) {
    const auto pos = (max_parts && out.size() + 1 == max_parts) ? std::string_view::npos : s.find(sep);
    out.push_back(Trim(s.substr(0, pos)));
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

// A cell that cannot become a JSON value: the message says what was expected.
struct CellError {
  std::string message;
};

Json ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || res.ec != std::errc{} || res.ptr != s.data() + s.size())
    throw CellError{"'" + std::string(s) + "' is not an integer"};
  return v;
}

Json ParseNumber(std::string_view s) {
  std::string text(s);
  // French spreadsheets write 12,5: accept a decimal comma when there is no dot.
  if (text.find('.') == std::string::npos && std::count(text.begin(), text.end(), ',') == 1)
    std::replace(text.begin(), text.end(), ',', '.');
  double v = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || res.ec != std::errc{} || res.ptr != text.data() + text.size() || !std::isfinite(v))
    throw CellError{"'" + std::string(s) + "' is not a number"};
  return v;
}

Json ParseBool(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true" || lower == "1" || lower == "oui" || lower == "yes" || lower == "vrai") return true;
  if (lower == "false" || lower == "0" || lower == "non" || lower == "no" || lower == "faux") return false;
  throw CellError{"'" + std::string(s) + "' is not a yes/no value (true/false, oui/non, 1/0)"};
}

Json ParseCell(Cell cell, std::string_view raw) {
  const std::string_view s = Trim(raw);
  switch (cell) {
    case Cell::kString:
      return std::string(raw);
    case Cell::kInsee:
      if (s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return "0" + std::string(s);
      return std::string(s);
    case Cell::kInt:
      return ParseInt(s);
    case Cell::kNumber:
      return ParseNumber(s);
    case Cell::kBool:
      return ParseBool(s);
    case Cell::kIntList: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) a.push_back(ParseInt(item));
      return a;
    }
    case Cell::kStringList: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) a.push_back(std::string(item));
      return a;
    }
    case Cell::kCriteria: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) {
        auto parts = Split(item, ':', 3);
        Json e{{"criterion", std::string(parts[0])}};
        if (parts.size() > 1 && !parts[1].empty()) {
          // proof_date, or proof_date/valid_until (the document's validity as an ISO 8601 interval).
          const auto dates = Split(parts[1], '/');
          if (dates.size() > 2 || (dates.size() == 2 && dates[1].empty()))
            throw CellError{"criterion '" + std::string(item) +
                            "': the dates are proof_date or proof_date/valid_until (2025-01-10/2030-01-09)"};
          if (!dates[0].empty()) e["proof_date"] = std::string(dates[0]);
          if (dates.size() == 2) e["valid_until"] = std::string(dates[1]);
        }
        if (parts.size() > 2 && !parts[2].empty()) e["validated_by"] = std::string(parts[2]);
        a.push_back(std::move(e));
      }
      return a;
    }
    case Cell::kQuotas: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) {
        auto parts = Split(item, ':');
        if (parts.size() < 2 || parts.size() > 3)
          throw CellError{"quota '" + std::string(item) + "' is not public:min_positions[:min_share]"};
        Json e{{"public", std::string(parts[0])}, {"min_positions", ParseInt(parts[1])}};
        if (parts.size() == 3) e["min_share"] = ParseNumber(parts[2]);
        a.push_back(std::move(e));
      }
      return a;
    }
    case Cell::kHours: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) {
        auto parts = Split(item, ':');
        auto ym = parts.empty() ? std::vector<std::string_view>{} : Split(parts[0], '-');
        if ((parts.size() != 3 && parts.size() != 6) || ym.size() != 2)
          throw CellError{"hours report '" + std::string(item) +
                          "' is not YYYY-MM:hours:reported_on[:amount_eur:labour_share:hourly_cost_eur]"};
        Json report{{"year", ParseInt(ym[0])},
                    {"month", ParseInt(ym[1])},
                    {"hours", ParseNumber(parts[1])},
                    {"reported_on", std::string(parts[2])}};
        if (parts.size() == 6)  // hours converted from a subcontracting amount
          report["amount"] = Json{{"amount_eur", ParseNumber(parts[3])},
                                  {"labour_share", ParseNumber(parts[4])},
                                  {"hourly_cost_eur", ParseNumber(parts[5])}};
        a.push_back(std::move(report));
      }
      return a;
    }
    case Cell::kOutcomes: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) {
        auto parts = Split(item, ':');
        if (parts.size() != 3)
          throw CellError{"outcome '" + std::string(item) + "' is not months_after_entry:outcome:recorded_on"};
        a.push_back(Json{{"months_after_entry", ParseInt(parts[0])},
                         {"outcome", std::string(parts[1])},
                         {"recorded_on", std::string(parts[2])}});
      }
      return a;
    }
    case Cell::kConditions: {
      Json a = Json::array();
      for (auto item : Split(s, '|')) {
        auto parts = Split(item, ':');
        if (parts.size() != 3) throw CellError{"condition '" + std::string(item) + "' is not code:criterion:renew_by"};
        a.push_back(Json{{"code", std::string(parts[0])},
                         {"criterion", std::string(parts[1])},
                         {"renew_by", std::string(parts[2])}});
      }
      return a;
    }
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// JSON -> cells

std::string Scalar(const Json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  // Numbers: the shortest text that reads back to the same double, without a spreadsheet-unfriendly
  // trailing ".0" (28.0 -> 28).
  std::string text = v.dump();
  if (v.is_number_float() && text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
    text.resize(text.size() - 2);
  return text;
}

std::string Join(const Json& array, const std::function<std::string(const Json&)>& item) {
  std::string out;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i) out.push_back('|');
    out += item(array[i]);
  }
  return out;
}

std::string Member(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? std::string() : Scalar(*it);
}

std::string FormatCell(Cell cell, const Json& v) {
  if (v.is_null()) return {};
  switch (cell) {
    case Cell::kIntList:
    case Cell::kStringList:
      return Join(v, Scalar);
    case Cell::kCriteria:
      return Join(v, [](const Json& e) {
        std::string s = Member(e, "criterion");
        std::string date = Member(e, "proof_date");
        const std::string until = Member(e, "valid_until"), by = Member(e, "validated_by");
        if (!until.empty()) date += "/" + until;
        if (!date.empty() || !by.empty()) s += ":" + date;
        if (!by.empty()) s += ":" + by;
        return s;
      });
    case Cell::kQuotas:
      return Join(v, [](const Json& e) {
        return Member(e, "public") + ":" + Member(e, "min_positions") + ":" + Member(e, "min_share");
      });
    case Cell::kHours:
      return Join(v, [](const Json& e) {
        char ym[32];
        std::snprintf(ym, sizeof ym, "%04d-%02d", e.at("year").get<int>(), e.at("month").get<int>());
        std::string text = std::string(ym) + ":" + Member(e, "hours") + ":" + Member(e, "reported_on");
        if (const auto a = e.find("amount"); a != e.end())
          text +=
              ":" + Member(*a, "amount_eur") + ":" + Member(*a, "labour_share") + ":" + Member(*a, "hourly_cost_eur");
        return text;
      });
    case Cell::kOutcomes:
      return Join(v, [](const Json& e) {
        return Member(e, "months_after_entry") + ":" + Member(e, "outcome") + ":" + Member(e, "recorded_on");
      });
    case Cell::kConditions:
      return Join(v, [](const Json& e) {
        return Member(e, "code") + ":" + Member(e, "criterion") + ":" + Member(e, "renew_by");
      });
    default:
      return Scalar(v);
  }
}

template <typename T>
void WriteCsv(std::ostream& out, std::span<const T> items, std::span<const Column> columns, char delimiter) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out << delimiter;
    out << columns[c].name;
  }
  out << '\n';
  for (const auto& item : items) {
    const Json j = ToJson(item);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) out << delimiter;
      const Json::json_pointer ptr{std::string(columns[c].pointer)};
      if (j.contains(ptr)) out << CsvEscape(FormatCell(columns[c].cell, j.at(ptr)), delimiter);
    }
    out << '\n';
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

bool PointerWithin(std::string_view inner, std::string_view outer) {
  return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer && inner[outer.size()] == '/';
}

// The file column (index into the header) a problem's JSON pointer comes from, or npos when the
// problem concerns the whole row.
std::size_t ColumnOfPointer(std::string_view field, const std::vector<int>& spec_of_column,
                            std::span<const Column> columns) {
  if (field.empty()) return std::string::npos;
  std::size_t fallback = std::string::npos;
  for (std::size_t i = 0; i < spec_of_column.size(); ++i) {
    if (spec_of_column[i] < 0) continue;
    const auto ptr = columns[static_cast<std::size_t>(spec_of_column[i])].pointer;
    if (ptr == field || PointerWithin(field, ptr)) return i;
    if (PointerWithin(ptr, field) && fallback == std::string::npos) fallback = i;  // "/location" -> latitude
  }
  return fallback;
}

// Turns each row into the object's JSON shape and hands it to `decode`, which returns the object
// or nullopt with its problems.
template <typename T, typename Decode>
CsvImport<T> ReadCsv(std::string_view text, std::span<const Column> columns, Decode decode) {
  CsvImport<T> result;
  std::vector<int> spec_of_column;  // header index -> index in `columns`, -1 for unknown
  bool header_ok = false;
  bool header_checked = false;
  std::vector<std::string> header;

  auto check_header = [&](const std::vector<std::string>& h) {
    header_checked = true;
    header = h;
    std::vector<bool> seen(columns.size(), false);
    for (std::size_t i = 0; i < h.size(); ++i) {
      const auto name = Trim(h[i]);
      int spec = -1;
      for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c].name == name) spec = static_cast<int>(c);
      if (spec < 0) {
        result.errors.push_back({1, i + 1, std::string(name), "", "unknown column"});
      } else if (seen[static_cast<std::size_t>(spec)]) {
        result.errors.push_back({1, i + 1, std::string(name), "", "column appears twice"});
        spec = -1;
      } else {
        seen[static_cast<std::size_t>(spec)] = true;
      }
      spec_of_column.push_back(spec);
    }
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].required && !seen[c])
        result.errors.push_back({1, 0, std::string(columns[c].name), "", "missing required column"});
    header_ok = result.errors.empty();
  };

  auto on_row = [&](const CsvRow& row) {
    if (!header_checked) check_header(row.header());
    if (!header_ok) return;
    if (row.size() != header.size()) {
      result.errors.push_back(
          {row.line(), 0, "", "",
           "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(row.size())});
      return;
    }
    Json j = Json::object();
    std::vector<bool> cell_failed(row.size(), false);
    bool any_failed = false;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (spec_of_column[i] < 0 || Trim(row[i]).empty()) continue;
      const Column& col = columns[static_cast<std::size_t>(spec_of_column[i])];
      try {
        j[Json::json_pointer(std::string(col.pointer))] = ParseCell(col.cell, CsvUnneutralise(row[i]));
      } catch (const CellError& e) {
        result.errors.push_back({row.line(), i + 1, header[i], row[i], e.message});
        cell_failed[i] = true;
        any_failed = true;
      }
    }
    model::Problems problems;
    std::optional<T> item = decode(j, problems);
    for (const auto& p : problems) {
      const std::size_t col = ColumnOfPointer(p.field, spec_of_column, columns);
      if (col != std::string::npos && cell_failed[col]) continue;  // already reported for that cell
      if (col == std::string::npos)
        result.errors.push_back({row.line(), 0, "", "", p.message + (p.field.empty() ? "" : " (" + p.field + ")")});
      else
        result.errors.push_back({row.line(), col + 1, header[col], row[col], p.message});
    }
    if (item && !any_failed) {
      result.items.push_back(std::move(*item));
      result.lines.push_back(row.line());
    }
  };

  try {
    CsvReader::Parse(text, on_row, &header, CsvOptions{0, false});
    if (!header_checked) check_header(header);  // a header without rows
  } catch (const CsvError& e) {
    result.errors.push_back({e.line(), e.column(), e.column_name(), "", e.reason()});
  }
  result.header = header;
  return result;
}

}  // namespace

std::string CsvRowError::ToString() const {
  std::string s = "line " + std::to_string(line);
  if (column) s += ", column " + std::to_string(column);
  if (!column_name.empty()) s += " (" + column_name + ")";
  s += ": " + message;
  if (!value.empty() && message.find("'" + value + "'") == std::string::npos) s += ": '" + value + "'";
  return s;
}

CsvImport<model::Participant> ReadParticipantsCsv(std::string_view text, const model::Referential& ref,
                                                  model::Date today) {
  return ReadCsv<model::Participant>(text, kParticipantColumns, [&](const Json& j, model::Problems& problems) {
    return ParticipantFromJson(j, &ref, today, problems);
  });
}

CsvImport<model::Contract> ReadContractsCsv(std::string_view text, const model::Referential& ref) {
  return ReadCsv<model::Contract>(text, kContractColumns, [&](const Json& j, model::Problems& problems) {
    return ContractFromJson(j, &ref, problems);
  });
}

CsvImport<model::Opening> ReadOpeningsCsv(std::string_view text, const model::Referential& ref,
                                          std::span<const model::Contract> contracts) {
  std::unordered_map<model::ContractId, const model::Contract*> by_id;
  for (const auto& c : contracts) by_id.emplace(c.id, &c);
  const ContractLookup find = [&](model::ContractId id) -> const model::Contract* {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : it->second;
  };
  return ReadCsv<model::Opening>(text, kOpeningColumns, [&](const Json& j, model::Problems& problems) {
    return OpeningFromJsonWithLookup(j, &ref, find, problems);
  });
}

CsvImport<model::Placement> ReadPlacementsCsv(std::string_view text) {
  return ReadCsv<model::Placement>(
      text, kPlacementColumns, [](const Json& j, model::Problems& problems) { return PlacementFromJson(j, problems); });
}

void WriteParticipantsCsv(std::ostream& out, std::span<const model::Participant> items, char delimiter) {
  WriteCsv(out, items, kParticipantColumns, delimiter);
}
void WriteContractsCsv(std::ostream& out, std::span<const model::Contract> items, char delimiter) {
  WriteCsv(out, items, kContractColumns, delimiter);
}
void WriteOpeningsCsv(std::ostream& out, std::span<const model::Opening> items, char delimiter) {
  WriteCsv(out, items, kOpeningColumns, delimiter);
}
void WritePlacementsCsv(std::ostream& out, std::span<const model::Placement> items, char delimiter) {
  WriteCsv(out, items, kPlacementColumns, delimiter);
}

}  // namespace clausematch::data
