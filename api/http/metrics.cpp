#include "api/http/metrics.hpp"

#include <cstdio>

namespace clausematch::api::http {
namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string_view Metrics::MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return known;
  return "other";
}

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(MethodLabel(method)), route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::function<void(std::string&)>& extra) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP clausematch_http_requests_total HTTP requests by method, route template and status.\n";
    out += "# TYPE clausematch_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out.append("clausematch_http_requests_total{method=\"").append(method).append("\",route=\"").append(route);
      out.append("\",status=\"").append(std::to_string(status)).append("\"} ").append(std::to_string(n)).append("\n");
    }
    out += "# HELP clausematch_http_request_duration_seconds Time from routing to response, by route template.\n";
    out += "# TYPE clausematch_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        out += "clausematch_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + Number(kBuckets[i]) +
               "\"} " + std::to_string(cumulative) + "\n";
      }
      out += "clausematch_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      out += "clausematch_http_request_duration_seconds_sum{route=\"" + route + "\"} " + Number(h.sum) + "\n";
      out +=
          "clausematch_http_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(h.count) + "\n";
    }
  }
  if (extra) extra(out);
  return out;
}

}  // namespace clausematch::api::http
