#pragma once
// Versioned schema migrations, compiled into the binary from store/migrations/NNN_name.sql
// (see store/CMakeLists.txt). Applied in order at start, each in its own transaction, and
// recorded in the schema_version table.
#include <span>
#include <string_view>

namespace clausematch::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration, by increasing version.
std::span<const Migration> Migrations();

}  // namespace clausematch::store
