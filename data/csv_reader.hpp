#pragma once
// Reading CSV as French spreadsheets export it: UTF-8 with or without a BOM, ',' or ';'
// separators (detected from the header line), RFC 4180 quoting, CRLF or LF line ends.
// Parsing is done by libcsv (Debian libcsv-dev); this wrapper adds header lookup and the
// physical line number of every record so errors can name "line 12, column 'birth_date'".
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clausematch::data {

class CsvError : public std::runtime_error {
 public:
  CsvError(std::size_t line, std::size_t column, std::string column_name, const std::string& message);
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] std::size_t column() const { return column_; }  // 1-based, 0 = whole line
  [[nodiscard]] const std::string& column_name() const { return column_name_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::size_t line_;
  std::size_t column_;
  std::string column_name_;
  std::string reason_;
};

// One record, with the header to look fields up by name.
class CsvRow {
 public:
  CsvRow(const std::vector<std::string>& header, const std::vector<std::string>& fields, std::size_t line)
      : header_(header), fields_(fields), line_(line) {}
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] const std::string& operator[](std::size_t i) const { return fields_[i]; }
  // Field by column index; "" when the row is shorter.
  [[nodiscard]] std::string_view Get(std::size_t i) const {
    return i < fields_.size() ? std::string_view(fields_[i]) : std::string_view();
  }
  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }

 private:
  const std::vector<std::string>& header_;
  const std::vector<std::string>& fields_;
  std::size_t line_;
};

struct CsvOptions {
  char delimiter = 0;        // 0 = detect ',' or ';' from the header line
  bool strict_width = true;  // a row with a different number of fields than the header is an error
};

class CsvReader {
 public:
  // Parses `text`; calls `on_row` for each record after the header. Throws CsvError for malformed
  // quoting or a row of the wrong width.
  static void Parse(std::string_view text, const std::function<void(const CsvRow&)>& on_row,
                    std::vector<std::string>* header_out = nullptr, CsvOptions options = {});
  static void ParseFile(const std::string& path, const std::function<void(const CsvRow&)>& on_row,
                        std::vector<std::string>* header_out = nullptr, CsvOptions options = {});
  // Index of a header column, throwing a CsvError (line 1) naming the missing column.
  static std::size_t Column(const std::vector<std::string>& header, std::string_view name);
  // Index or npos when absent (optional columns).
  static std::size_t FindColumn(const std::vector<std::string>& header, std::string_view name);
  static char DetectDelimiter(std::string_view header_line);
};

// Writing, the one function every CSV export uses: a cell a spreadsheet would run as a formula
// (its first character after any leading single quotes is = + - @, a tab or a CR, and it is not
// a plain number such as -1.5) gets one more leading single quote; then RFC 4180 quoting when the
// field holds the separator, a quote or a line break.
std::string CsvEscape(std::string_view field, char delimiter = ',');
// Reading: undoes CsvEscape's single quote (drops one leading quote from such a cell), so that
// exports read back unchanged.
std::string_view CsvUnneutralise(std::string_view cell);
std::string ReadWholeFile(const std::string& path);
// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points past U+10FFFF included), nullopt when `text` is UTF-8. CsvReader
// refuses a cell that is not (CsvError naming its line and column).
std::optional<std::size_t> InvalidUtf8At(std::string_view text);

}  // namespace clausematch::data
