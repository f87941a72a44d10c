#pragma once
// A small, fully specified pseudo-random generator for reproducible synthetic data.
//
// The standard library's engines are specified, but its *distributions* (uniform_int_distribution,
// normal_distribution...) are not: libstdc++ and libc++ — or two versions of one — may turn the
// same engine output into different numbers. Generated datasets must be byte-identical for a seed
// everywhere, so every draw here is defined in a few lines of integer arithmetic:
//
//   - SplitMix64 (Steele, Lea, Flood 2014; Vigna's public-domain reference) seeds and derives
//     independent streams: Stream(seed, a, b) hashes (seed, a, b) into a fresh state, so the
//     i-th participant's draws depend on (seed, i) only, whatever the order of generation.
//   - xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
//     ACM TOMS 2021) produces the numbers.
//   - Uniform integers use Lemire's multiply-shift ("Fast random integer generation in an
//     interval", ACM TOMACS 2019) without the rejection step: the bias is below 2^-32 for the
//     ranges used here, which is irrelevant for synthetic data and keeps draws branch-free.
//   - Doubles take the top 53 bits. Normals use Box–Muller (one value per call, no cached pair,
//     so the number of draws per record does not depend on history).
//
// Floating-point transcendental functions (log, cos) come from libm; results are rounded by the
// callers (coordinates to 1e-5 degree, amounts to whole euros) before they reach a file.
#include <cmath>
#include <cstdint>
#include <span>

namespace clausematch::generator {

inline constexpr std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Prng {
 public:
  explicit constexpr Prng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = SplitMix64(sm);
  }
  // An independent stream for record `index` of kind `stream` (e.g. participants = 1).
  static constexpr Prng Stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    std::uint64_t h = seed;
    std::uint64_t mixed = SplitMix64(h) ^ (stream * 0xd1b54a32d192ed03ULL);
    h = mixed;
    mixed = SplitMix64(h) ^ (index * 0x8cb92ba72f3d8dd7ULL);
    return Prng(mixed);
  }

  constexpr std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0.
  constexpr std::uint32_t Below(std::uint32_t n) {
    const std::uint64_t x = Next() >> 32;
    return static_cast<std::uint32_t>((x * n) >> 32);
  }
  // Uniform in [lo, hi] (inclusive); lo <= hi.
  constexpr int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  constexpr double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  constexpr double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  constexpr bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box–Muller, one value per call).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Index drawn with probability proportional to weights[i] (linear scan: for short tables).
  std::size_t Pick(std::span<const double> weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static constexpr std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace clausematch::generator
