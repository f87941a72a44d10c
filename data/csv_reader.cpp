#include "data/csv_reader.hpp"

#include <csv.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <memory>
#include <sstream>

namespace clausematch::data {

CsvError::CsvError(std::size_t line, std::size_t column, std::string column_name, const std::string& message)
    : std::runtime_error(
          "line " + std::to_string(line) +
          (column ? ", column " + std::to_string(column) + (column_name.empty() ? "" : " (" + column_name + ")") : "") +
          ": " + message),
      line_(line),
      column_(column),
      column_name_(std::move(column_name)),
      reason_(message) {}

namespace {

struct ParseState {
  std::vector<std::string> header;
  std::vector<std::string> fields;
  bool have_header = false;
  std::size_t current_line = 1;  // physical line being fed
  std::size_t record_line = 0;   // line where the current record started
  const std::function<void(const CsvRow&)>* on_row = nullptr;
  bool strict_width = true;
  // Exceptions must not unwind through libcsv's C frames: the first one is kept here and
  // rethrown once csv_parse returns; later records are ignored.
  std::exception_ptr error;
};

void OnField(void* s, std::size_t len, void* data) {
  auto* st = static_cast<ParseState*>(data);
  if (st->error) return;
  if (s == nullptr) len = 0;
  st->fields.emplace_back(len ? static_cast<const char*>(s) : "", len);
  // libcsv reports a field when it ends; a quoted first field may span lines, so the record
  // started as many lines earlier as the field holds line breaks.
  if (st->fields.size() == 1 && st->record_line == 0) {
    const auto& f = st->fields.front();
    st->record_line = st->current_line - static_cast<std::size_t>(std::count(f.begin(), f.end(), '\n'));
  }
}

void HandleRow(ParseState* st) {
  const std::size_t line = st->record_line ? st->record_line : st->current_line;
  st->record_line = 0;
  // A blank line yields a single empty field: skip it.
  if (st->fields.size() == 1 && st->fields[0].empty()) return;
  // Text must be UTF-8 (a file saved as Latin-1 or Windows-1252 is refused where it first shows).
  for (std::size_t i = 0; i < st->fields.size(); ++i)
    if (const auto at = InvalidUtf8At(st->fields[i]))
      throw CsvError(line, i + 1, st->have_header && i < st->header.size() ? st->header[i] : "",
                     "not valid UTF-8 text (byte " + std::to_string(*at + 1) + " of the cell): save the file as UTF-8");
  if (!st->have_header) {
    st->header = std::move(st->fields);
    st->have_header = true;
    return;
  }
  if (st->strict_width && st->fields.size() != st->header.size())
    throw CsvError(
        line, 0, "",
        "expected " + std::to_string(st->header.size()) + " fields, found " + std::to_string(st->fields.size()));
  CsvRow row(st->header, st->fields, line);
  (*st->on_row)(row);
}

void OnRow(int, void* data) noexcept {
  auto* st = static_cast<ParseState*>(data);
  if (!st->error) {
    try {
      HandleRow(st);
    } catch (...) {
      st->error = std::current_exception();
    }
  }
  st->fields.clear();
}

}  // namespace

std::optional<std::size_t> InvalidUtf8At(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    std::size_t len = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;  // overlong, too big, surrogate
    i += len;
  }
  return std::nullopt;
}

char CsvReader::DetectDelimiter(std::string_view header_line) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char ch : header_line) {
    if (ch == '"') quoted = !quoted;
    if (ch == '\n') break;
    if (quoted) continue;
    if (ch == ',') ++commas;
    if (ch == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

void CsvReader::Parse(std::string_view text, const std::function<void(const CsvRow&)>& on_row,
                      std::vector<std::string>* header_out, CsvOptions options) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    text.remove_prefix(3);
  const char delimiter = options.delimiter ? options.delimiter : DetectDelimiter(text);

  csv_parser parser{};  // csv_init sets every field; zeroed first all the same
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    throw std::runtime_error("libcsv: cannot initialise parser");
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, [](csv_parser* p) { csv_free(p); });

  ParseState st;
  st.on_row = &on_row;
  st.strict_width = options.strict_width;

  // Feed one physical line at a time so every record knows the line it started on.
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view chunk = text.substr(pos, end - pos);
    const std::size_t parsed = csv_parse(&parser, chunk.data(), chunk.size(), OnField, OnRow, &st);
    if (st.error) std::rethrow_exception(st.error);
    if (parsed != chunk.size()) {
      throw CsvError(st.current_line, st.fields.size() + 1,
                     st.fields.size() < st.header.size() ? st.header[st.fields.size()] : "",
                     std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)));
    }
    pos = end;
    if (nl != std::string_view::npos) ++st.current_line;
  }
  const int fini = csv_fini(&parser, OnField, OnRow, &st);
  if (st.error) std::rethrow_exception(st.error);
  if (fini != 0)
    throw CsvError(st.record_line ? st.record_line : st.current_line, st.fields.size() + 1, "",
                   std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)));
  if (!st.have_header) throw CsvError(1, 0, "", "empty file: a header line is required");
  if (header_out) *header_out = st.header;
}

void CsvReader::ParseFile(const std::string& path, const std::function<void(const CsvRow&)>& on_row,
                          std::vector<std::string>* header_out, CsvOptions options) {
  const std::string text = ReadWholeFile(path);
  try {
    Parse(text, on_row, header_out, options);
  } catch (const CsvError& e) {
    throw CsvError(e.line(), e.column(), e.column_name(), e.reason() + " [" + path + "]");
  }
}

std::size_t CsvReader::FindColumn(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::string::npos;
}

std::size_t CsvReader::Column(const std::vector<std::string>& header, std::string_view name) {
  auto i = FindColumn(header, name);
  if (i == std::string::npos) throw CsvError(1, 0, std::string(name), "missing column '" + std::string(name) + "'");
  return i;
}

namespace {

// A plain decimal number (sign, digits, one '.' or ',' at most): a spreadsheet reads it as a
// number, never as a formula, so a negative coordinate or amount stays as it is.
bool PlainNumber(std::string_view s) {
  std::size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  bool digits = false, separator = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits = true;
    } else if ((s[i] == '.' || s[i] == ',') && !separator) {
      separator = true;
    } else {
      return false;
    }
  }
  return digits;
}

// True when `field` would start a formula once its leading single quotes are gone.
bool FormulaLike(std::string_view field) {
  const std::size_t i = field.find_first_not_of('\'');
  if (i == std::string_view::npos) return false;
  const char c = field[i];
  return (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') && !PlainNumber(field.substr(i));
}

}  // namespace

std::string_view CsvUnneutralise(std::string_view cell) {
  if (!cell.empty() && cell[0] == '\'' && FormulaLike(cell.substr(1))) cell.remove_prefix(1);
  return cell;
}

std::string CsvEscape(std::string_view field, char delimiter) {
  std::string neutral;
  if (FormulaLike(field)) {
    neutral.reserve(field.size() + 1);
    neutral.push_back('\'');
    neutral.append(field);
    field = neutral;
  }
  if (field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char ch : field) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

}  // namespace clausematch::data
