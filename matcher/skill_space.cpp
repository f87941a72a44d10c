#include "matcher/skill_space.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <random>

namespace clausematch::matcher {

namespace {

// Row-major dense matrix, rows × cols, for the tall-and-thin factors (F × l, S × l).
struct Tall {
  std::size_t rows = 0, cols = 0;
  std::vector<double> a;
  Tall(std::size_t r, std::size_t c) : rows(r), cols(c), a(r * c, 0.0) {}
  double* Row(std::size_t i) { return a.data() + i * cols; }
  [[nodiscard]] const double* Row(std::size_t i) const { return a.data() + i * cols; }
};

// X in CSR (fiches × skill columns).
struct Csr {
  std::size_t rows = 0, cols = 0;
  std::vector<std::size_t> ptr{0};
  std::vector<std::uint32_t> col;
  std::vector<double> val;
};

// out = X · in   (in: cols × l, out: rows × l)
Tall Times(const Csr& x, const Tall& in) {
  Tall out(x.rows, in.cols);
  for (std::size_t f = 0; f < x.rows; ++f) {
    double* o = out.Row(f);
    for (std::size_t k = x.ptr[f]; k < x.ptr[f + 1]; ++k) {
      const double v = x.val[k];
      const double* r = in.Row(x.col[k]);
      for (std::size_t j = 0; j < in.cols; ++j) o[j] += v * r[j];
    }
  }
  return out;
}

// out = Xᵀ · in   (in: rows × l, out: cols × l)
Tall TransposeTimes(const Csr& x, const Tall& in) {
  Tall out(x.cols, in.cols);
  for (std::size_t f = 0; f < x.rows; ++f) {
    const double* r = in.Row(f);
    for (std::size_t k = x.ptr[f]; k < x.ptr[f + 1]; ++k) {
      const double v = x.val[k];
      double* o = out.Row(x.col[k]);
      for (std::size_t j = 0; j < in.cols; ++j) o[j] += v * r[j];
    }
  }
  return out;
}

// Orthonormal columns by modified Gram-Schmidt, run twice ("twice is enough", Giraud et al.
// 2005). A column that vanishes (rank deficiency) is left at zero.
void Orthonormalise(Tall& m) {
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t j = 0; j < m.cols; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        double dot = 0.0;
        for (std::size_t r = 0; r < m.rows; ++r) dot += m.a[r * m.cols + i] * m.a[r * m.cols + j];
        for (std::size_t r = 0; r < m.rows; ++r) m.a[r * m.cols + j] -= dot * m.a[r * m.cols + i];
      }
      double norm = 0.0;
      for (std::size_t r = 0; r < m.rows; ++r) norm += m.a[r * m.cols + j] * m.a[r * m.cols + j];
      norm = std::sqrt(norm);
      const double inv = norm > 1e-12 ? 1.0 / norm : 0.0;
      for (std::size_t r = 0; r < m.rows; ++r) m.a[r * m.cols + j] *= inv;
    }
  }
}

// Standard normal deviates by Box-Muller over a 64-bit generator: identical on every platform.
Tall Gaussian(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  auto uniform = [&] { return (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53; };
  Tall m(rows, cols);
  for (double& v : m.a) v = std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
  return m;
}

void Normalise(std::span<float> v) {
  double norm = 0.0;
  for (float x : v) norm += static_cast<double>(x) * x;
  if (norm <= 0.0) return;
  const double inv = 1.0 / std::sqrt(norm);
  for (float& x : v) x = static_cast<float>(x * inv);
}

}  // namespace

SkillSpace::SkillSpace(const model::Referential& ref, int dims, std::uint64_t seed) {
  const auto fiches = ref.fiches();
  // Columns: skills listed by at least one fiche, in order of first appearance (deterministic).
  std::vector<std::uint32_t> df;
  for (const auto& fiche : fiches)
    for (const auto& fs : ref.SkillsOf(fiche.code)) {
      auto [it, inserted] = column_.emplace(fs.skill, static_cast<std::uint32_t>(df.size()));
      if (inserted) df.push_back(0);
      ++df[it->second];
    }
  idf_.resize(df.size());
  for (std::size_t s = 0; s < df.size(); ++s) idf_[s] = std::log(static_cast<double>(fiches.size()) / df[s]) + 1.0;

  Csr x;
  x.rows = fiches.size();
  x.cols = df.size();
  for (const auto& fiche : fiches) {
    // A skill listed twice on a fiche keeps its larger weight.
    std::vector<std::pair<std::uint32_t, double>> row;
    for (const auto& fs : ref.SkillsOf(fiche.code)) {
      const auto c = column_.at(fs.skill);
      row.emplace_back(c, (fs.core ? 2.0 : 1.0) * idf_[c]);
    }
    std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    row.erase(std::unique(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
              row.end());
    double norm = 0.0;
    for (const auto& [c, v] : row) norm += v * v;
    norm = std::sqrt(norm);
    for (const auto& [c, v] : row) {
      x.col.push_back(c);
      x.val.push_back(v / norm);
    }
    x.ptr.push_back(x.col.size());
  }

  const std::size_t l =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(dims, 0)) + 10, std::min(x.rows, x.cols));
  if (l == 0 || dims <= 0) return;  // dims_ stays 0: every similarity is 0
  // Range finder with subspace iteration on X Xᵀ: Q spans the top-l left singular subspace.
  Tall q = Times(x, Gaussian(x.cols, l, seed));
  for (int iteration = 0; iteration < 2; ++iteration) {
    Orthonormalise(q);
    q = Times(x, TransposeTimes(x, q));
  }
  Orthonormalise(q);
  const Tall bt = TransposeTimes(x, q);  // S × l: Bᵀ with B = Qᵀ X
  const Tall g = Times(x, bt);           // F × l: X Bᵀ, so that B Bᵀ = Qᵀ G
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(l));
  for (std::size_t f = 0; f < x.rows; ++f)
    for (std::size_t i = 0; i < l; ++i)
      for (std::size_t j = 0; j < l; ++j)
        c(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += q.Row(f)[i] * g.Row(f)[j];
  c = 0.5 * (c + c.transpose()).eval();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
  const Eigen::VectorXd& lambda = eig.eigenvalues();  // ascending
  const double top = std::max(lambda(static_cast<Eigen::Index>(l) - 1), 1e-300);
  std::vector<Eigen::Index> kept;
  for (auto i = static_cast<Eigen::Index>(l) - 1; i >= 0 && static_cast<int>(kept.size()) < dims; --i)
    if (lambda(i) > 1e-12 * top) kept.push_back(i);
  dims_ = static_cast<int>(kept.size());
  const auto d = static_cast<std::size_t>(dims_);
  // V_d = Bᵀ W_d Σ_d⁻¹ (right singular vectors), and X V_d = G W_d Σ_d⁻¹.
  Tall w(l, d);
  for (std::size_t k = 0; k < d; ++k) {
    const double inv_sigma = 1.0 / std::sqrt(lambda(kept[k]));
    for (std::size_t i = 0; i < l; ++i)
      w.Row(i)[k] = eig.eigenvectors()(static_cast<Eigen::Index>(i), kept[k]) * inv_sigma;
  }
  auto project = [&](const Tall& m, std::vector<float>& out) {
    out.assign(m.rows * d, 0.0f);
    std::vector<double> acc(d);
    for (std::size_t r = 0; r < m.rows; ++r) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (std::size_t i = 0; i < l; ++i) {
        const double v = m.Row(r)[i];
        const double* wi = w.Row(i);
        for (std::size_t k = 0; k < d; ++k) acc[k] += v * wi[k];
      }
      for (std::size_t k = 0; k < d; ++k) out[r * d + k] = static_cast<float>(acc[k]);
    }
  };
  project(bt, skill_vectors_);
  project(g, fiche_vectors_);
  for (std::size_t f = 0; f < x.rows; ++f) Normalise({fiche_vectors_.data() + f * d, d});
}

void SkillSpace::EmbedSkills(std::span<const model::SkillCode> skills, std::span<float> out) const {
  std::fill(out.begin(), out.end(), 0.0f);
  if (dims_ == 0) return;
  std::vector<std::uint32_t> cols;
  cols.reserve(skills.size());
  for (auto s : skills)
    if (auto it = column_.find(s); it != column_.end()) cols.push_back(it->second);
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  std::vector<double> acc(static_cast<std::size_t>(dims_), 0.0);
  for (auto c : cols) {
    const float* row = skill_vectors_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(dims_);
    for (std::size_t k = 0; k < acc.size(); ++k) acc[k] += idf_[c] * row[k];
  }
  for (std::size_t k = 0; k < acc.size() && k < out.size(); ++k) out[k] = static_cast<float>(acc[k]);
  Normalise(out);
}

std::span<const float> SkillSpace::FicheVector(std::uint32_t fiche_index) const {
  const auto d = static_cast<std::size_t>(dims_);
  if (d == 0 || (static_cast<std::size_t>(fiche_index) + 1) * d > fiche_vectors_.size()) return {};
  return {fiche_vectors_.data() + static_cast<std::size_t>(fiche_index) * d, d};
}

double SkillSpace::Similarity(std::span<const float> a, std::span<const float> b) {
  // Eight independent float lanes (vectorisable, and the same order on every call), then a double sum.
  const std::size_t n = std::min(a.size(), b.size());
  float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (std::size_t j = 0; j < 8; ++j) lane[j] += a[k + j] * b[k + j];
  double dot = 0.0;
  for (float v : lane) dot += v;
  for (; k < n; ++k) dot += static_cast<double>(a[k]) * b[k];
  return std::clamp(dot, 0.0, 1.0);
}

double SkillSpace::Idf(model::SkillCode skill) const {
  auto it = column_.find(skill);
  return it == column_.end() ? 0.0 : idf_[it->second];
}

std::uint64_t SkillSpace::MemoryBytes() const {
  return skill_vectors_.capacity() * sizeof(float) + fiche_vectors_.capacity() * sizeof(float) +
         idf_.capacity() * sizeof(double) + column_.size() * (sizeof(model::SkillCode) + sizeof(std::uint32_t) + 16);
}

}  // namespace clausematch::matcher
