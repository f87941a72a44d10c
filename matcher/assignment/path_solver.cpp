#include "matcher/assignment/path_solver.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

constexpr std::int64_t kValueLimit = std::int64_t{1} << 60;
constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max();

// Min-heap of (key, node) with lazy deletion (stale entries are skipped when popped).
class LazyHeap {
 public:
  struct Entry {
    std::int64_t key;
    std::uint32_t node;
  };
  void Clear() { heap_.clear(); }
  [[nodiscard]] bool Empty() const { return heap_.empty(); }
  void Push(std::int64_t key, std::uint32_t node) {
    heap_.push_back({key, node});
    std::push_heap(heap_.begin(), heap_.end(), Greater);
  }
  Entry Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Greater);
    const Entry top = heap_.back();
    heap_.pop_back();
    return top;
  }

 private:
  static bool Greater(const Entry& a, const Entry& b) { return a.key > b.key; }
  std::vector<Entry> heap_;
};

// The search state. Node ids in the heap: left i as i, right j as L + j, t as L + R.
class Paths {
 public:
  explicit Paths(const TransportProblem& p) : p_(p), L_(p.num_left), R_(p.num_right), T_(L_ + R_) {}

  void Build() {
    // Reverse CSR: the edges of each right node, by left node.
    rev_offsets_.assign(R_ + 1, 0);
    for (auto j : p_.targets) ++rev_offsets_[j + 1];
    for (std::uint32_t j = 0; j < R_; ++j) rev_offsets_[j + 1] += rev_offsets_[j];
    rev_left_.resize(p_.num_edges());
    rev_edge_.resize(p_.num_edges());
    {
      std::vector<std::uint64_t> fill(rev_offsets_.begin(), rev_offsets_.end() - 1);
      for (std::uint32_t i = 0; i < L_; ++i) {
        for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
          const auto k = fill[p_.targets[e]]++;
          rev_left_[k] = i;
          rev_edge_[k] = static_cast<std::uint32_t>(e);
        }
      }
    }
    // Effective capacity: units beyond the in-degree always stay empty.
    eff_.resize(R_);
    for (std::uint32_t j = 0; j < R_; ++j)
      eff_[j] = std::min<std::int64_t>(p_.capacity[j], static_cast<std::int64_t>(rev_offsets_[j + 1] - rev_offsets_[j]));
    pot_left_.assign(L_, 0);
    pot_right_.assign(R_, 0);
    holder_.assign(L_, kNone);
    holder_edge_.assign(L_, 0);
    empty_.assign(R_, 0);
    supply_ = eff_;
    dist_left_.assign(L_, 0);
    dist_right_.assign(R_, 0);
    seen_left_.assign(L_, 0);
    seen_right_.assign(R_, 0);
    done_left_.assign(L_, 0);
    done_right_.assign(R_, 0);
    pred_left_.assign(L_, 0);
    pred_edge_.assign(L_, 0);
    pred_right_.assign(R_, 0);
  }

  // Cold start: pi(j) = max(0, max_i a_ij) prices out every edge.
  void ColdPotentials() {
    for (std::uint32_t j = 0; j < R_; ++j) pot_right_[j] = RightNeed(j);
  }

  // Warm start (see the header): keep the previous pairs that fit, then release until every
  // residual arc prices out.
  void WarmPotentials(const WarmStart& warm) {
    std::vector<std::int64_t> used(R_, 0);
    for (std::uint32_t i = 0; i < L_; ++i) {
      const auto j = i < warm.left_right.size() ? warm.left_right[i] : kNone;
      if (j >= R_ || used[j] >= eff_[j]) continue;
      std::uint64_t best = kNoEdge;
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e)
        if (p_.targets[e] == j && (best == kNoEdge || p_.values[e] > p_.values[best])) best = e;
      if (best == kNoEdge) continue;
      holder_[i] = j;
      holder_edge_[i] = static_cast<std::uint32_t>(best);
      ++used[j];
      --supply_[j];
      const std::int64_t price = i < warm.left_price.size() ? warm.left_price[i] : 0;
      pot_left_[i] = -std::clamp<std::int64_t>(price, 0, kValueLimit);
    }
    // Worklist: a right node whose need rose above what one of its pairs allows releases that pair;
    // the released participant (price 0) raises the need of its other candidates' right nodes.
    std::vector<std::uint32_t> work(R_);
    std::vector<char> queued(R_, 1);
    for (std::uint32_t j = 0; j < R_; ++j) work[j] = j;
    while (!work.empty()) {
      const auto j = work.back();
      work.pop_back();
      queued[j] = 0;
      const std::int64_t need = RightNeed(j);
      pot_right_[j] = need;
      bool released = false;
      for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) {
        const auto i = rev_left_[k];
        const auto e = rev_edge_[k];
        if (holder_[i] != j || holder_edge_[i] != e) continue;
        if (p_.values[e] + pot_left_[i] >= need) continue;  // a - u_i >= v_j: the pair stays tight enough
        holder_[i] = kNone;
        pot_left_[i] = 0;
        ++supply_[j];
        ++releases_;
        released = true;
        for (auto f = p_.offsets[i]; f < p_.offsets[i + 1]; ++f) {
          const auto r = p_.targets[f];
          if (!queued[r]) {
            queued[r] = 1;
            work.push_back(r);
          }
        }
      }
      if (released && !queued[j]) {
        queued[j] = 1;
        work.push_back(j);
      }
    }
  }

  void Run(std::uint64_t& searches, std::uint64_t& settled) {
    for (std::uint32_t j = 0; j < R_; ++j) {
      while (supply_[j] > 0) {
        Search(j);
        --supply_[j];
        ++searches;
      }
    }
    settled = settled_total_;
  }

  void Extract(TransportSolution& out) const {
    out.assigned_edge.assign(L_, kNoEdge);
    out.left_potential.assign(L_, 0);
    out.right_potential.assign(R_, 0);
    std::vector<std::int64_t> v(R_);
    for (std::uint32_t j = 0; j < R_; ++j) {
      v[j] = p_.capacity[j] > eff_[j] ? 0 : std::max<std::int64_t>(0, pot_right_[j]);
      out.right_potential[j] = -Int128{v[j]};
    }
    out.value = 0;
    for (std::uint32_t i = 0; i < L_; ++i) {
      if (holder_[i] == kNone) continue;
      const auto e = holder_edge_[i];
      out.assigned_edge[i] = e;
      out.value += p_.values[e];
      out.left_potential[i] = Int128{p_.values[e]} - v[holder_[i]];
    }
    out.scale = 1;
    out.source_potential = 0;
    out.sink_potential = 0;
  }

  [[nodiscard]] std::uint64_t releases() const { return releases_; }

 private:
  // Least v_j with v_j >= 0 and v_j >= a_ij - u_i on every edge j does not hold.
  std::int64_t RightNeed(std::uint32_t j) const {
    std::int64_t need = 0;
    for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) {
      const auto i = rev_left_[k];
      const auto e = rev_edge_[k];
      if (holder_[i] == j && holder_edge_[i] == e) continue;
      need = std::max(need, p_.values[e] + pot_left_[i]);
    }
    return need;
  }

  // One Dijkstra from right node `root` to t, one unit augmented, potentials updated.
  void Search(std::uint32_t root) {
    ++stamp_;
    heap_.Clear();
    settled_.clear();
    std::int64_t best_t = kInf;
    std::uint32_t t_pred = kNone;
    auto reach_t = [&](std::int64_t d, std::uint32_t from) {
      if (d < best_t) {
        best_t = d;
        t_pred = from;
        heap_.Push(d, T_);
      }
    };
    seen_right_[root] = stamp_;
    dist_right_[root] = 0;
    heap_.Push(0, L_ + root);
    while (!heap_.Empty()) {
      const auto [d, v] = heap_.Pop();
      if (v == T_) break;
      if (v < L_) {
        const std::uint32_t i = v;
        if (done_left_[i] == stamp_ || d > dist_left_[i]) continue;
        done_left_[i] = stamp_;
        settled_.push_back(v);
        const auto h = holder_[i];
        if (h == kNone) {
          reach_t(d + pot_left_[i], v);
          continue;
        }
        if (done_right_[h] == stamp_) continue;
        const std::int64_t nd = d + p_.values[holder_edge_[i]] + pot_left_[i] - pot_right_[h];
        if (nd < best_t && (seen_right_[h] != stamp_ || nd < dist_right_[h])) {
          seen_right_[h] = stamp_;
          dist_right_[h] = nd;
          pred_right_[h] = i;
          heap_.Push(nd, L_ + h);
        }
        continue;
      }
      const std::uint32_t j = v - L_;
      if (done_right_[j] == stamp_ || d > dist_right_[j]) continue;
      done_right_[j] = stamp_;
      settled_.push_back(v);
      if (empty_[j] < eff_[j]) reach_t(d + pot_right_[j], v);
      const std::int64_t base = d + pot_right_[j];
      for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) {
        const auto i = rev_left_[k];
        const auto e = rev_edge_[k];
        if (holder_[i] == j && holder_edge_[i] == e) continue;  // saturated
        const std::int64_t nd = base - p_.values[e] - pot_left_[i];
        if (nd >= best_t || done_left_[i] == stamp_) continue;
        if (seen_left_[i] != stamp_ || nd < dist_left_[i]) {
          seen_left_[i] = stamp_;
          dist_left_[i] = nd;
          pred_left_[i] = j;
          pred_edge_[i] = e;
          heap_.Push(nd, i);
        }
      }
      scanned_ += rev_offsets_[j + 1] - rev_offsets_[j];
    }
    // Augment one unit along the path, from its end back to the root.
    std::uint32_t x = t_pred;
    if (x >= L_) {
      ++empty_[x - L_];  // the path ends with a position left empty
      x = x - L_ == root ? kNone : pred_right_[x - L_];
    }
    while (x != kNone) {
      const auto j = pred_left_[x];
      holder_[x] = j;
      holder_edge_[x] = pred_edge_[x];
      x = j == root ? kNone : pred_right_[j];
    }
    // Potentials: pi(v) += d(v) - D on settled nodes.
    const std::int64_t D = best_t;
    for (auto u : settled_) {
      if (u < L_)
        pot_left_[u] += dist_left_[u] - D;
      else
        pot_right_[u - L_] += dist_right_[u - L_] - D;
    }
    settled_total_ += settled_.size();
  }

  const TransportProblem& p_;
  const std::uint32_t L_, R_, T_;
  std::vector<std::uint64_t> rev_offsets_;
  std::vector<std::uint32_t> rev_left_, rev_edge_;
  std::vector<std::int64_t> eff_, supply_, empty_;
  std::vector<std::int64_t> pot_left_, pot_right_;
  std::vector<std::uint32_t> holder_, holder_edge_;
  std::vector<std::int64_t> dist_left_, dist_right_;
  std::vector<std::uint32_t> seen_left_, seen_right_, done_left_, done_right_;
  std::vector<std::uint32_t> pred_left_, pred_edge_, pred_right_;
  std::vector<std::uint32_t> settled_;
  LazyHeap heap_;
  std::uint32_t stamp_ = 0;
  std::uint64_t settled_total_ = 0;
  std::uint64_t scanned_ = 0;
  std::uint64_t releases_ = 0;
};

}  // namespace

TransportSolution PathSolver::Solve(const TransportProblem& p, const WarmStart* warm) {
  TransportSolution out;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    out.message = defect;
    return out;
  }
  const bool in_range = std::all_of(p.values.begin(), p.values.end(),
                                    [](std::int64_t v) { return v >= -kValueLimit && v <= kValueLimit; });
  if (p.must_assign_all || !in_range || p.num_edges() >= kNone ||
      std::uint64_t{p.num_left} + p.num_right >= kNone) {
    const bool auction_warm = warm != nullptr && warm->scale > 1;
    return AuctionSolver(fallback_).Solve(p, auction_warm ? warm : nullptr);
  }
  Paths paths(p);
  paths.Build();
  if (warm != nullptr && !warm->left_right.empty())
    paths.WarmPotentials(*warm);
  else
    paths.ColdPotentials();
  paths.Run(out.phases, out.iterations);
  paths.Extract(out);
  out.status = Status::kOptimal;
  return out;
}

}  // namespace clausematch::matcher::assignment
