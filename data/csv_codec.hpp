#pragma once
// CSV codecs for participants, contracts and openings, as prescribers and facilitators exchange
// them with spreadsheets: UTF-8 with or without BOM, ',' or ';' separators, multi-valued fields
// separated by '|'. Columns are documented in docs/formats.md.
//
// Every row goes through the JSON decoder of data/json_codec (a row is turned into the object's
// JSON shape, column by column), so CSV and JSON accept exactly the same content and report the
// same problems; a problem's JSON pointer is mapped back to the column it came from.
//
// Reading collects every bad row (line, column, value, message) instead of stopping at the first,
// so an import can be all-or-nothing with a complete error report.
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/contract.hpp"
#include "model/participant.hpp"
#include "model/placement.hpp"
#include "model/referential.hpp"
#include "model/validation.hpp"

namespace clausematch::data {

struct CsvRowError {
  std::size_t line = 0;     // physical line in the file (header = 1)
  std::size_t column = 0;   // 1-based column, 0 when the whole row is at fault
  std::string column_name;  // header name of that column
  std::string value;        // offending value as read
  std::string message;
  [[nodiscard]] std::string ToString() const;  // "line 12, column 5 (birth_date): ... 'value'"
};

template <typename T>
struct CsvImport {
  std::vector<T> items;
  std::vector<std::size_t> lines;   // physical line of each item, for errors found later (duplicate ids...)
  std::vector<std::string> header;  // the file's column names, to name a column in such errors
  std::vector<CsvRowError> errors;
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

// Every row is checked by model::Validate (an RQTH or residence-title proof needs its valid_until).
CsvImport<model::Participant> ReadParticipantsCsv(std::string_view text, const model::Referential& ref,
                                                  model::Date today);
CsvImport<model::Contract> ReadContractsCsv(std::string_view text, const model::Referential& ref);
// Openings refer to contracts by id: an id absent from `contracts` is an error.
CsvImport<model::Opening> ReadOpeningsCsv(std::string_view text, const model::Referential& ref,
                                          std::span<const model::Contract> contracts);
CsvImport<model::Placement> ReadPlacementsCsv(std::string_view text);

void WriteParticipantsCsv(std::ostream& out, std::span<const model::Participant> items, char delimiter = ',');
void WriteContractsCsv(std::ostream& out, std::span<const model::Contract> items, char delimiter = ',');
void WriteOpeningsCsv(std::ostream& out, std::span<const model::Opening> items, char delimiter = ',');
void WritePlacementsCsv(std::ostream& out, std::span<const model::Placement> items, char delimiter = ',');

}  // namespace clausematch::data
