#include "data/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clausematch::data {
namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
};

Parsed ParseAll(std::string_view text, CsvOptions options = {}) {
  Parsed p;
  CsvReader::Parse(
      text,
      [&](const CsvRow& row) {
        std::vector<std::string> fields;
        for (std::size_t i = 0; i < row.size(); ++i) fields.push_back(row[i]);
        p.rows.push_back(std::move(fields));
        p.lines.push_back(row.line());
      },
      &p.header, options);
  return p;
}

using Row = std::vector<std::string>;

TEST(CsvReader, CommaSeparatedWithQuotedSeparatorsAndNewlines) {
  const auto p = ParseAll(
      "a,b,c\n"
      "1,\"x, y\",3\n"
      "\"multi\nline\",\"say \"\"hi\"\"\",\n"
      "4,5,6\n");
  EXPECT_EQ(p.header, (Row{"a", "b", "c"}));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (Row{"1", "x, y", "3"}));
  EXPECT_EQ(p.rows[1], (Row{"multi\nline", "say \"hi\"", ""}));
  EXPECT_EQ(p.rows[2], (Row{"4", "5", "6"}));
  // Physical lines where each record starts: the quoted newline shifts the next record to line 5.
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{2, 3, 5}));
}

TEST(CsvReader, BomSemicolonAndCrlf) {
  const auto p = ParseAll(
      "\xEF\xBB\xBF"
      "nom;montant\r\nÉcole;12,5\r\n\"a;b\";3\r\n");
  EXPECT_EQ(p.header, (Row{"nom", "montant"}));  // no BOM glued to the first name
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0], (Row{"École", "12,5"}));
  EXPECT_EQ(p.rows[1], (Row{"a;b", "3"}));
}

TEST(CsvReader, DetectsDelimiterFromHeaderOnly) {
  EXPECT_EQ(CsvReader::DetectDelimiter("a;b;c\n1,2,3,4,5\n"), ';');
  EXPECT_EQ(CsvReader::DetectDelimiter("a,b\n"), ',');
  EXPECT_EQ(CsvReader::DetectDelimiter("\"x;y;z\",b\n"), ',');  // separators inside quotes do not count
}

TEST(CsvReader, BlankLinesAreSkippedAndLinesStillCounted) {
  const auto p = ParseAll("a,b\n\n1,2\n\n3,4");  // no final newline either
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1], (Row{"3", "4"}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{3, 5}));
}

TEST(CsvReader, MalformedQuoteNamesLineAndColumn) {
  try {
    ParseAll("a,b,c\n1,2,3\n4,\"5\"oops,6\n");
    FAIL() << "expected a CsvError";
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), 2u);
    EXPECT_EQ(e.column_name(), "b");
  }
}

TEST(CsvReader, UnterminatedQuoteAtEndOfFile) {
  try {
    ParseAll("a,b\n1,\"never closed\n");
    FAIL() << "expected a CsvError";
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 2u);
  }
}

TEST(CsvReader, WrongWidthIsAnErrorUnlessRelaxed) {
  try {
    ParseAll("a,b,c\n1,2,3\n4,5\n");
    FAIL() << "expected a CsvError";
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), 0u);
    EXPECT_STREQ(e.what(), "line 3: expected 3 fields, found 2");
  }
  const auto p = ParseAll("a,b,c\n4,5\n", CsvOptions{0, false});
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].size(), 2u);
}

TEST(CsvReader, HeaderLookupAndEscape) {
  const std::vector<std::string> header{"id", "nom"};
  EXPECT_EQ(CsvReader::Column(header, "nom"), 1u);
  EXPECT_EQ(CsvReader::FindColumn(header, "x"), std::string::npos);
  EXPECT_THROW(CsvReader::Column(header, "x"), CsvError);
  EXPECT_THROW(ParseAll(""), CsvError);
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("a;b"), "a;b");
  EXPECT_EQ(CsvEscape("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace clausematch::data
