#pragma once
// dataset.bin: a versioned binary image of a model::Dataset, for benchmarks and large datasets
// (a regional dataset of ~300k participants loads in well under a second; figures in
// docs/generator.md). CSV and JSON carry the same data for people and other tools.
//
// Layout (every integer little-endian, doubles as their IEEE-754 bits in a little-endian u64):
//
//   header   8 bytes  magic "CMDS" 0x89 '\r' '\n' 0x1a (a text-mode transfer breaks it visibly)
//            u32      format version (kBinaryFormatVersion)
//            u32      flags (0)
//            u64      payload size in bytes
//            u64      payload checksum (Checksum64 below)
//   payload  u64      offset of the string table from the start of the payload
//            as_of (i32 days since 1970-01-01, INT32_MIN when absent), territory (string)
//            u32 counts of participants, contracts, openings, placements
//            the records, field by field in declaration order (binary_io.cpp is the reference)
//            the string table: u32 n, n+1 u32 offsets, then the bytes; entry 0 is "". Every
//            string field is a u32 index into it, 0xffffffff for an absent optional string.
//            (The table comes last so that the writer needs a single buffer.)
//
// A reader refuses a version outside [kOldestReadableBinaryVersion, kBinaryFormatVersion], a bad magic, a wrong size or
// checksum, an out-of-range enum value or string index, naming the record ("/participants/12/criteria/0/criterion").
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/dataset.hpp"
#include "model/referential.hpp"

namespace clausematch::data {

// 2: string table after the records; 3: a proof's valid_until, a contract's accepts_iae_eligibility;
// 4: a placement's eligibility snapshot; 5: a participant's sex; 6: a monthly report's subcontracting
// amount (and the contract types, routes and outcomes added with it).
inline constexpr std::uint32_t kBinaryFormatVersion = 6;
// Version 3 files (no placement snapshots) are still read: their placements have none.
inline constexpr std::uint32_t kOldestReadableBinaryVersion = 3;
inline constexpr std::string_view kBinaryDatasetFile = "dataset.bin";

class BinaryFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string EncodeBinaryDataset(const model::Dataset& dataset);
// `ref` (when given) also checks that every commune and appellation exists; the dataset comes
// back indexed (Dataset::Index()). Throws BinaryFormatError.
model::Dataset DecodeBinaryDataset(std::string_view bytes, const model::Referential* ref = nullptr);

// File helpers: the write goes to a temporary file renamed into place (never a partial file).
void SaveBinaryDataset(const model::Dataset& dataset, const std::string& path);
model::Dataset LoadBinaryDataset(const std::string& path, const model::Referential* ref = nullptr);

// The payload checksum: 64-bit multiply-xorshift over 8-byte little-endian words (the tail
// zero-padded), seeded with the length. Detects corruption, not tampering.
std::uint64_t Checksum64(std::string_view bytes);

}  // namespace clausematch::data
