#include "matcher/assignment/cost_scaling.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "matcher/assignment/path_solver.hpp"

namespace clausematch::matcher::assignment {
namespace {

constexpr std::int64_t kMinPrice = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kScaledLimit = std::int64_t{1} << 56;
constexpr std::int64_t kPriceGuard = std::int64_t{1} << 61;
constexpr std::uint64_t kNullArc = kNoEdge - 1;  // a left node's unit on its arc to t

std::int64_t ScaleFor(const TransportProblem& p) {
  std::int64_t k = 1;
  const std::uint64_t need = 8 * (std::uint64_t{p.num_left} + 1);
  while (static_cast<std::uint64_t>(k) <= need) k *= 2;
  return k;
}

std::int64_t MaxAbsValue(const TransportProblem& p) {
  std::int64_t m = 0;
  for (auto v : p.values) m = std::max(m, v < 0 ? (v == std::numeric_limits<std::int64_t>::min() ? m : -v) : v);
  return m;
}

class Refiner {
  struct HeapEntry {
    std::int64_t key;
    std::uint32_t node;
  };

 public:
  Refiner(const TransportProblem& p, std::int64_t scale) : p_(p), L_(p.num_left), R_(p.num_right), K_(scale) {
    // A right node with more capacity than candidates is never full: capacity in-degree + 1 keeps
    // that and bounds the units a refine's saturation moves.
    cap_.assign(R_, 0);
    std::vector<std::int64_t> indegree(R_, 0);
    for (auto j : p.targets) ++indegree[j];
    for (std::uint32_t j = 0; j < R_; ++j) cap_[j] = std::min(p.capacity[j], indegree[j] + 1);
    price_left_.assign(L_, 0);
    price_right_.assign(R_, 0);
    arc_.assign(L_, kNoEdge);
    next_.assign(L_, kNone);
    prev_.assign(L_, kNone);
    head_.assign(R_, kNone);
    held_.assign(R_, 0);
    flow_.assign(R_, 0);
    queued_.assign(std::size_t{L_} + 1, 0);
    queue_.assign(std::size_t{L_} + 2, 0);
    // Candidates of each right node (for the global price update).
    rev_offsets_.assign(std::size_t{R_} + 1, 0);
    for (auto j : p.targets) ++rev_offsets_[j + 1];
    for (std::uint32_t j = 0; j < R_; ++j) rev_offsets_[j + 1] += rev_offsets_[j];
    rev_.resize(p.num_edges());
    std::vector<std::uint64_t> at(rev_offsets_.begin(), rev_offsets_.end() - 1);
    for (std::uint32_t i = 0; i < L_; ++i)
      for (auto e = p.offsets[i]; e < p.offsets[i + 1]; ++e)
        rev_[at[p.targets[e]]++] = {i, static_cast<std::uint32_t>(e)};
    dist_.assign(std::size_t{L_} + R_ + 1, 0);
    update_period_ = 4 * (std::uint64_t{L_} + R_ + 1);
  }

  // Runs the refines; false when prices ran beyond the guard (the caller falls back).
  bool Run(std::int64_t alpha, std::uint64_t& phases, std::uint64_t& pushes, std::uint64_t& updates) {
    std::int64_t eps = std::max<std::int64_t>(1, K_ * MaxAbsValue(p_));
    do {
      eps = std::max<std::int64_t>(1, eps / alpha);
      if (!Refine(eps)) return false;
      ++phases;
    } while (eps > 1);
    pushes = pushes_;
    updates = updates_;
    return true;
  }

  void Extract(TransportSolution& out) const {
    out.scale = K_;
    out.assigned_edge.assign(L_, kNoEdge);
    out.value = 0;
    for (std::uint32_t i = 0; i < L_; ++i) {
      if (arc_[i] == kNullArc || arc_[i] == kNoEdge) continue;
      out.assigned_edge[i] = arc_[i];
      out.value += p_.values[arc_[i]];
    }
    // Potentials for the certificate (cost_scaling.hpp): a right node with room left at least t's
    // price, every left node its best response, q(s) = q(t).
    const std::int64_t pt = price_t_;
    out.right_potential.assign(R_, 0);
    for (std::uint32_t j = 0; j < R_; ++j)
      out.right_potential[j] = held_[j] < p_.capacity[j] ? std::max(price_right_[j], pt) : price_right_[j];
    out.left_potential.assign(L_, 0);
    for (std::uint32_t i = 0; i < L_; ++i) {
      Int128 best = pt;
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e)
        best = std::max(best, out.right_potential[p_.targets[e]] + Int128{K_} * p_.values[e]);
      out.left_potential[i] = best;
    }
    out.source_potential = pt;
    out.sink_potential = pt;
  }

 private:
  // Value of left node i's arc e: p(j) - c(i,j) = p(j) + K a_e.
  [[nodiscard]] std::int64_t ArcValue(std::uint64_t e) const { return price_right_[p_.targets[e]] + K_ * p_.values[e]; }

  void Enqueue(std::uint32_t node) {  // node L_ is t
    if (queued_[node]) return;
    queued_[node] = 1;
    queue_[tail_] = node;
    tail_ = tail_ + 1 == queue_.size() ? 0 : tail_ + 1;
  }

  void Attach(std::uint32_t i, std::uint32_t j) {
    prev_[i] = kNone;
    next_[i] = head_[j];
    if (head_[j] != kNone) prev_[head_[j]] = i;
    head_[j] = i;
    ++held_[j];
  }
  void Detach(std::uint32_t i, std::uint32_t j) {
    if (prev_[i] != kNone)
      next_[prev_[i]] = next_[i];
    else
      head_[j] = next_[i];
    if (next_[i] != kNone) prev_[next_[i]] = prev_[i];
    --held_[j];
  }

  void HeapPush(std::int64_t key, std::uint32_t node) {  // node < L_: left node; else right L_ + j
    heap_.push_back({key, node});
    std::push_heap(heap_.begin(), heap_.end(), [](const HeapEntry& a, const HeapEntry& b) { return a.key < b.key; });
  }
  HeapEntry HeapPop() {
    std::pop_heap(heap_.begin(), heap_.end(), [](const HeapEntry& a, const HeapEntry& b) { return a.key < b.key; });
    const HeapEntry top = heap_.back();
    heap_.pop_back();
    return top;
  }

  bool Refine(std::int64_t eps) {
    eps_ = eps;
    std::fill(head_.begin(), head_.end(), kNone);
    std::fill(held_.begin(), held_.end(), 0);
    heap_.clear();
    head_q_ = tail_ = 0;
    std::int64_t into_t = 0;
    for (std::uint32_t j = 0; j < R_; ++j) {
      flow_[j] = price_right_[j] < price_t_ ? cap_[j] : 0;
      into_t += flow_[j];
      if (flow_[j] > 0) HeapPush(price_right_[j], L_ + j);
    }
    for (std::uint32_t i = 0; i < L_; ++i) {
      arc_[i] = kNoEdge;
      Enqueue(i);
    }
    excess_t_ = into_t - static_cast<std::int64_t>(L_);
    if (excess_t_ > 0) Enqueue(L_);
    std::uint64_t next_update = pushes_ + update_period_;
    while (head_q_ != tail_) {
      if (pushes_ >= next_update) {
        GlobalUpdate();
        next_update = pushes_ + update_period_;
      }
      const std::uint32_t node = queue_[head_q_];
      head_q_ = head_q_ + 1 == queue_.size() ? 0 : head_q_ + 1;
      queued_[node] = 0;
      if (node == L_)
        DischargeT();
      else if (arc_[node] == kNoEdge)
        DoublePush(node);
      if (runaway_) return false;
    }
    return true;
  }

  // Global price update (Goldberg 1997, section on heuristics): a backward Dijkstra from the
  // nodes with a deficit (t while units are in flight; right nodes whose saturated arc to t is not
  // yet filled) over residual arcs of length floor(r / eps) + 1 (0 when admissible), then every
  // node's price drops by its distance times eps (nodes not reached: by the largest distance).
  // Keeps eps-optimality, only lowers prices, and leaves an admissible path from every node to a
  // deficit: what the relabels of a price war would reach eps by eps. Active left nodes (no
  // unit placed) are left out: their price is recomputed when they push. Node ids: right j as j,
  // left i as R + i, t as R + L.
  void GlobalUpdate() {
    ++updates_;
    constexpr std::uint32_t kUnreached = 0xffffffffu;
    const std::uint32_t t = R_ + L_;
    std::fill(dist_.begin(), dist_.end(), kUnreached);
    heap_dist_.clear();
    const auto relax = [&](std::uint32_t v, std::int64_t r, std::uint32_t d) {
      const std::int64_t steps = r < 0 ? 0 : r / eps_ + 1;
      if (steps + d >= kMaxLevel) return;
      const auto nd = static_cast<std::uint32_t>(d + steps);
      if (nd < dist_[v]) {
        dist_[v] = nd;
        heap_dist_.push_back({nd, v});
        std::push_heap(heap_dist_.begin(), heap_dist_.end(), DistGreater);
      }
    };
    const auto seed = [&](std::uint32_t v) {
      dist_[v] = 0;
      heap_dist_.push_back({0, v});
    };
    if (excess_t_ < 0) seed(t);
    for (std::uint32_t j = 0; j < R_; ++j)
      if (held_[j] < flow_[j]) seed(j);
    std::make_heap(heap_dist_.begin(), heap_dist_.end(), DistGreater);
    std::uint32_t level = 0;
    while (!heap_dist_.empty()) {
      std::pop_heap(heap_dist_.begin(), heap_dist_.end(), DistGreater);
      const auto [d, w] = heap_dist_.back();
      heap_dist_.pop_back();
      if (d != dist_[w]) continue;
      level = d;
      if (w == t) {
        // Residual arcs into t: j -> t with room, i -> t from left nodes holding a right node.
        for (std::uint32_t j = 0; j < R_; ++j)
          if (flow_[j] < cap_[j]) relax(j, price_right_[j] - price_t_, d);
        for (std::uint32_t i = 0; i < L_; ++i)
          if (arc_[i] != kNoEdge && arc_[i] != kNullArc) relax(R_ + i, price_left_[i] - price_t_, d);
      } else if (w < R_) {
        // Into right node j: i -> j from its candidates not holding it, t -> j when j has flow into t.
        const std::uint32_t j = w;
        for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) {
          const auto [i, e] = rev_[k];
          if (arc_[i] == kNoEdge || arc_[i] == e) continue;
          relax(R_ + i, -K_ * p_.values[e] + price_left_[i] - price_right_[j], d);
        }
        if (flow_[j] > 0) relax(t, price_t_ - price_right_[j], d);
      } else {
        // Into left node i: j -> i from the right node it holds, t -> i when it is unassigned.
        const std::uint32_t i = w - R_;
        if (arc_[i] == kNullArc)
          relax(t, price_t_ - price_left_[i], d);
        else if (arc_[i] != kNoEdge)
          relax(p_.targets[arc_[i]], K_ * p_.values[arc_[i]] + price_right_[p_.targets[arc_[i]]] - price_left_[i], d);
      }
    }
    // Lower the prices.
    const auto drop = [&](std::uint32_t v) -> std::int64_t {
      const std::uint32_t d = dist_[v] == kUnreached ? level : std::min(dist_[v], level);
      return static_cast<std::int64_t>(d) * eps_;
    };
    for (std::uint32_t j = 0; j < R_; ++j) price_right_[j] -= drop(j);
    for (std::uint32_t i = 0; i < L_; ++i)
      if (arc_[i] != kNoEdge) price_left_[i] -= drop(R_ + i);
    price_t_ -= drop(t);
    runaway_ |= price_t_ < -kPriceGuard;
  }

  // Left node i holds its unit: push it on its best arc, take the second best's price - eps.
  void DoublePush(std::uint32_t i) {
    std::int64_t best = price_t_, second = kMinPrice;
    std::uint64_t best_arc = kNullArc;
    for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
      const std::int64_t v = ArcValue(e);
      if (v > best) {
        second = best;
        best = v;
        best_arc = e;
      } else if (v > second) {
        second = v;
      }
    }
    ++pushes_;
    price_left_[i] = (second == kMinPrice ? best : second) - eps_;
    arc_[i] = best_arc;
    if (best_arc == kNullArc) {
      ++excess_t_;
      HeapPush(price_left_[i], i);
      if (excess_t_ > 0) Enqueue(L_);
      return;
    }
    const auto j = p_.targets[best_arc];
    Attach(i, j);
    DischargeRight(j);
  }

  // Right node j: while it holds more units than its arc to t carries, push to t or back to a holder.
  void DischargeRight(std::uint32_t j) {
    while (held_[j] > flow_[j]) {
      // The most admissible residual arc out of j: to t (value p(t)) when it has room, or back to a
      // holder i (value p(i) - K a).
      std::int64_t best = kMinPrice;
      std::uint32_t best_holder = kNone;
      if (flow_[j] < cap_[j]) best = price_t_;
      for (auto h = head_[j]; h != kNone; h = next_[h]) {
        const std::int64_t v = price_left_[h] - K_ * p_.values[arc_[h]];
        if (v > best) {
          best = v;
          best_holder = h;
        }
      }
      if (best <= price_right_[j]) {  // relabel
        price_right_[j] = best - eps_;
        runaway_ |= price_right_[j] < -kPriceGuard;
      }
      ++pushes_;
      if (best_holder == kNone) {
        const std::int64_t amount = std::min(held_[j] - flow_[j], cap_[j] - flow_[j]);
        if (flow_[j] == 0) HeapPush(price_right_[j], L_ + j);
        flow_[j] += amount;
        excess_t_ += amount;
        if (excess_t_ > 0) Enqueue(L_);
      } else {
        Detach(best_holder, j);
        arc_[best_holder] = kNoEdge;
        Enqueue(best_holder);
      }
    }
  }

  // t holds more units than the left nodes sent: push back to the right node with flow into t, or
  // the unassigned left node, of highest price.
  void DischargeT() {
    while (excess_t_ > 0) {
      if (heap_.empty()) return;  // cannot happen: the units in t came over arcs still residual back
      const HeapEntry top = HeapPop();
      std::int64_t current = 0;
      if (top.node < L_) {
        if (arc_[top.node] != kNullArc) continue;
        current = price_left_[top.node];
      } else {
        if (flow_[top.node - L_] == 0) continue;
        current = price_right_[top.node - L_];
      }
      if (current != top.key) {
        HeapPush(current, top.node);
        continue;
      }
      if (current <= price_t_) {  // relabel
        price_t_ = current - eps_;
        runaway_ |= price_t_ < -kPriceGuard;
      }
      ++pushes_;
      if (top.node < L_) {
        arc_[top.node] = kNoEdge;
        --excess_t_;
        Enqueue(top.node);
      } else {
        const std::uint32_t j = top.node - L_;
        const std::int64_t amount = std::min(excess_t_, flow_[j]);
        flow_[j] -= amount;
        excess_t_ -= amount;
        DischargeRight(j);
        if (flow_[j] > 0) HeapPush(price_right_[j], top.node);
      }
    }
  }

  const TransportProblem& p_;
  const std::uint32_t L_, R_;
  const std::int64_t K_;
  std::int64_t eps_ = 1;
  std::vector<std::int64_t> cap_;
  std::vector<std::int64_t> price_left_, price_right_;
  std::int64_t price_t_ = 0;
  std::int64_t excess_t_ = 0;
  std::vector<std::uint64_t> arc_;          // per left node: its edge, kNullArc, or kNoEdge (active)
  std::vector<std::uint32_t> next_, prev_;  // holders of a right node (doubly linked)
  std::vector<std::uint32_t> head_;
  std::vector<std::int64_t> held_, flow_;  // per right node: holders, flow on its arc to t
  std::vector<char> queued_;
  std::vector<std::uint32_t> queue_;
  std::size_t head_q_ = 0, tail_ = 0;
  std::vector<HeapEntry> heap_;
  std::uint64_t pushes_ = 0;
  // Global update.
  struct DistEntry {
    std::uint32_t dist;
    std::uint32_t node;
  };
  static bool DistGreater(const DistEntry& a, const DistEntry& b) { return a.dist > b.dist; }
  static constexpr std::int64_t kMaxLevel = std::int64_t{1} << 30;
  struct RevEntry {
    std::uint32_t left;
    std::uint32_t edge;
  };
  std::vector<std::uint64_t> rev_offsets_;
  std::vector<RevEntry> rev_;
  std::vector<std::uint32_t> dist_;
  std::vector<DistEntry> heap_dist_;
  std::uint64_t update_period_ = 0;
  std::uint64_t updates_ = 0;
  bool runaway_ = false;  // a price fell below -2^61: stop (the caller falls back)
};

}  // namespace

bool CostScalingSolver::Supports(const TransportProblem& p) {
  if (p.must_assign_all || p.num_edges() >= kNone || std::uint64_t{p.num_left} + p.num_right >= kNone) return false;
  if (!CheckWellFormed(p).empty()) return false;
  const std::int64_t k = ScaleFor(p);
  const std::int64_t m = MaxAbsValue(p);
  if (std::any_of(p.values.begin(), p.values.end(),
                  [](std::int64_t v) { return v == std::numeric_limits<std::int64_t>::min(); }))
    return false;
  return m == 0 || m <= kScaledLimit / k;
}

TransportSolution CostScalingSolver::Solve(const TransportProblem& p, const WarmStart* /*warm*/) {
  TransportSolution out;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    out.message = defect;
    return out;
  }
  if (Supports(p)) {
    Refiner refiner(p, ScaleFor(p));
    std::uint64_t phases = 0, pushes = 0, updates = 0;
    if (refiner.Run(std::max<std::int64_t>(2, options_.alpha), phases, pushes, updates)) {
      refiner.Extract(out);
      out.phases = phases;
      out.iterations = pushes;
      out.status = Status::kOptimal;
      return out;
    }
  }
  return PathSolver().Solve(p, nullptr);
}

}  // namespace clausematch::matcher::assignment
