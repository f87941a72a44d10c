#pragma once
// Prometheus text exposition (format 0.0.4) of the HTTP traffic: a request counter by method,
// route template and status, and a latency histogram by route. Routes are templates
// ("/v1/participants/{id}"), never raw paths, so labels stay few and carry no identifiers.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace clausematch::api::http {

class Metrics {
 public:
  // `route` is a route template or "-"; `method` is labelled from a closed set (MethodLabel).
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // The method's label: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, else "other" (a client sends
  // any token as a method: labels must not grow with them).
  static std::string_view MethodLabel(std::string_view method);
  // `extra` appends more samples (gauges) after the HTTP ones.
  [[nodiscard]] std::string Render(const std::function<void(std::string&)>& extra = {}) const;

  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // non-cumulative
    std::uint64_t count = 0;
    double sum = 0.0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace clausematch::api::http
