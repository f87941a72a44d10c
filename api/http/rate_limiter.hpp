#pragma once
// A token bucket per API key: `rate` requests per second on average, bursts up to `burst`.
// A rate of 0 turns limiting off.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace clausematch::api::http {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // True when the key may make a request now; else false and `retry_after` (seconds, >= 1).
  bool Allow(std::int64_t key, int& retry_after) {
    if (rate_ <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
    auto& b = it->second;
    if (!inserted) {
      const double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
      b.last = now;
    }
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return true;
    }
    retry_after = static_cast<int>((1.0 - b.tokens) / rate_) + 1;
    return false;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Bucket> buckets_;
};

}  // namespace clausematch::api::http
