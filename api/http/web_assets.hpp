#pragma once
// The web console's files (web/), compiled into the binary by api/CMakeLists.txt so that the
// console works with no file beside the binary and no Internet access.
#include <string>
#include <vector>

namespace clausematch::api::http {

struct WebAsset {
  std::string path;  // "/" for web/index.html, else "/assets/<path under web/>"
  std::string content_type;
  std::string body;
};

const std::vector<WebAsset>& WebAssets();

}  // namespace clausematch::api::http
