#pragma once
// A token bucket per API key: `rate` requests per second on average, bursts up to `burst`.
// A rate of 0 turns limiting off. And a budget of failed authentications per client address.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <string>
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

// Failed authentications (401, 403) per client address: `burst` failures at once, then `rate`
// per second. An address over its budget is refused (429) for whatever it cannot prove with a key
// already verified, without a database read. At most kMaxAddresses buckets are kept: when full,
// the buckets that have refilled go, and if none has, all. A rate of 0 turns it off.
class FailureLimiter {
 public:
  static constexpr std::size_t kMaxAddresses = 10000;
  FailureLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // True when `address` has no failure left to spend; `retry_after` (seconds, >= 1) then says when.
  bool Blocked(const std::string& address, int& retry_after) {
    if (rate_ <= 0) return false;
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(address);
    if (it == buckets_.end()) return false;
    const double tokens = Refill(it->second, std::chrono::steady_clock::now());
    if (tokens >= 1.0) return false;
    retry_after = static_cast<int>((1.0 - tokens) / rate_) + 1;
    return true;
  }
  void Failed(const std::string& address) {
    if (rate_ <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (buckets_.size() >= kMaxAddresses && !buckets_.count(address)) {
      for (auto it = buckets_.begin(); it != buckets_.end();)
        it = Refill(it->second, now) >= burst_ ? buckets_.erase(it) : std::next(it);
      if (buckets_.size() >= kMaxAddresses) buckets_.clear();
    }
    auto [it, inserted] = buckets_.try_emplace(address, Bucket{burst_, now});
    it->second.tokens = std::max(0.0, Refill(it->second, now) - 1.0);
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double Refill(Bucket& b, std::chrono::steady_clock::time_point now) const {
    b.tokens = std::min(burst_, b.tokens + std::chrono::duration<double>(now - b.last).count() * rate_);
    b.last = now;
    return b.tokens;
  }
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace clausematch::api::http
