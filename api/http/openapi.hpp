#pragma once
#include <string_view>

namespace clausematch::api::http {

// api/openapi.json, compiled into the binary (OpenAPI 3.1).
std::string_view OpenApiDocument();

}  // namespace clausematch::api::http
