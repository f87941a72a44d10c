#pragma once
// A dense embedding of ROME 4.0 skills, for transferable skills: two people or jobs that share
// few skill codes can still be close when their skills co-occur across the referential.
//
// Problem. Let X be the fiche × skill TF-IDF matrix of the referential,
//     X[f, s] = tf(f, s) · idf(s),  tf = 2 for a core skill (coeur de métier), 1 otherwise,
//     idf(s) = ln(F / df(s)) + 1,   F fiches, df(s) fiches listing s,
// each row scaled to unit length. The rank-d truncated SVD X ≈ U_d Σ_d V_dᵀ gives every skill
// a d-vector (the rows of V_d, the latent "skill topics"). A fiche is embedded as its row of
// X V_d (= U_d Σ_d), a participant's skill list as x_p V_d where x_p[s] = idf(s) for each listed
// skill; their similarity is the cosine, clamped to [0, 1].
//
// Algorithm. Randomized SVD (Halko, Martinsson, Tropp, "Finding structure with randomness",
// SIAM Review 53(2), 2011, algorithms 4.4 and 5.1): a Gaussian test matrix Ω (S × l,
// l = d + 10), Y = XΩ, two steps of subspace iteration Y <- X Xᵀ orth(Y) (orthonormalised by
// modified Gram-Schmidt run twice, on the short F × l side only), Q = orth(Y), Bᵀ = XᵀQ, then
// the small l × l eigenproblem of B Bᵀ = Qᵀ(X Bᵀ) with Eigen's SelfAdjointEigenSolver:
// B Bᵀ = W Λ Wᵀ gives Σ = Λ^½, V = Bᵀ W Σ⁻¹ and X V = (X Bᵀ) W Σ⁻¹.
// Cost O(nnz(X) · l · 7 + F l² + S l d): about 90k non-zeros × 42 × 7 and 30k × 42 × 32 here, a
// fraction of a second even in a Debug build, done once per referential. The big products are
// plain loops over CSR rather than Eigen expressions so that Debug and sanitizer builds (where
// Eigen's templates are not inlined) stay fast. Deterministic for a given seed (our own normal
// deviates, not std::normal_distribution).
//
// Caveat: the embedding sees only co-occurrence within fiches; it says nothing of a skill
// absent from every fiche (such skills are ignored).
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "model/ids.hpp"
#include "model/referential.hpp"

namespace clausematch::matcher {

class SkillSpace {
 public:
  static constexpr int kDefaultDims = 32;

  explicit SkillSpace(const model::Referential& ref, int dims = kDefaultDims, std::uint64_t seed = 20260401);

  // Effective dimension (at most the requested one, less for a tiny referential).
  [[nodiscard]] int dims() const { return dims_; }
  // Unit-length embedding of a skill list into `out` (size dims()); all zeros when none of the
  // skills is known. Duplicates count once.
  void EmbedSkills(std::span<const model::SkillCode> skills, std::span<float> out) const;
  // Unit-length embedding of a fiche (by Referential::FicheIndex), zeros for a fiche without skills.
  [[nodiscard]] std::span<const float> FicheVector(std::uint32_t fiche_index) const;
  // Cosine of two unit (or zero) vectors, clamped to [0, 1].
  static double Similarity(std::span<const float> a, std::span<const float> b);

  [[nodiscard]] double Idf(model::SkillCode skill) const;
  [[nodiscard]] std::uint64_t MemoryBytes() const;

 private:
  int dims_ = 0;
  std::unordered_map<model::SkillCode, std::uint32_t> column_;  // skill -> column of X
  std::vector<double> idf_;                                     // per column
  std::vector<float> skill_vectors_;                            // columns × dims_ (rows of V_d)
  std::vector<float> fiche_vectors_;                            // fiches × dims_, unit rows
};

}  // namespace clausematch::matcher
