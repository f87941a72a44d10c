#include "matcher/assignment/path_solver.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>
#include <variant>
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

// Allocator of the per-edge arrays (the sorted rows). Large blocks are 2 MB aligned and advised
// as transparent huge pages: on the virtual machines we measure on, a first touch of a 4 kB page
// costs about 9 us (10 MB: 22 ms of page faults, 4 ms with huge pages), which was a third of the
// solve of a 1.1M-edge instance. Elements are default-initialised (no zero fill: every entry is
// written before it is read).
template <typename T>
struct RowAllocator {
  using value_type = T;
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  RowAllocator() = default;
  template <typename U>
  explicit RowAllocator(const RowAllocator<U>& /*other*/) {}
  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < 2 * kHuge) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, rounded);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without it the pages are 4 kB
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < 2 * kHuge)
      ::operator delete(p);
    else
      std::free(p);  // NOLINT(cppcoreguidelines-no-malloc): matches aligned_alloc
  }
  template <typename U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;  // default-initialised
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const RowAllocator<U>& /*other*/) const {
    return true;
  }
};

// An entry of a sorted row: the node at the other end and the edge (the forward rows of
// ParticipantPaths).
struct RowEntry {
  std::uint32_t node;
  std::uint32_t edge;
};
using Rows = std::vector<RowEntry, RowAllocator<RowEntry>>;

// An entry of a reverse row that holds the edge alone, 4 bytes per edge: its left node is read off
// the forward CSR (Paths::NodeAt), only for the entries a scan gets past the early break. Taken at
// and above PathSolver's inline_gain_edges (regional networks), where the rows were 8 bytes per
// edge, a third of the solver's own memory, a sixth of a regional batch's peak.
struct EdgeEntry {
  std::uint32_t edge;
};

// An entry of a reverse row (a right node's candidates) with its gain inline: a scan reads a row
// entry by entry down to the first gain that cannot matter, and reading each gain through its
// edge index was a cache miss per entry (half of a search's time under perf). 16 bytes per edge
// instead of 8: taken below PathSolver's inline_gain_edges (path_solver.hpp).
struct GainEntry {
  std::int64_t gain;
  std::uint32_t node;
  std::uint32_t edge;
};

// The tie-break of two entries of one row with equal gains: the lower node. Within a reverse row
// the edges come by increasing left node (the forward CSR's order), so the edge index orders them
// the same way, and it is all an EdgeEntry holds.
inline std::uint32_t TieKey(const RowEntry& r) { return r.node; }
inline std::uint32_t TieKey(const GainEntry& r) { return r.node; }
inline std::uint32_t TieKey(const EdgeEntry& r) { return r.edge; }

// Sorts the next chunk of row [begin, end) past sorted_end by decreasing gain (ties: node), the
// chunk doubling with each call; nth_element leaves the rest of the row unsorted. `gain_of` reads
// an entry's gain (inline, or through its edge index).
template <typename Entry, typename GainOf>
void SortNextChunk(std::vector<Entry, RowAllocator<Entry>>& rows, std::uint64_t begin, std::uint64_t end,
                   std::uint64_t& sorted_end, GainOf gain_of) {
  const auto to = std::min(end, sorted_end + std::max<std::uint64_t>(16, 2 * (sorted_end - begin)));
  const auto by_gain = [&gain_of](const Entry& a, const Entry& b) {
    const std::int64_t va = gain_of(a), vb = gain_of(b);
    return va != vb ? va > vb : TieKey(a) < TieKey(b);
  };
  const auto first = rows.begin() + static_cast<std::ptrdiff_t>(sorted_end);
  const auto middle = rows.begin() + static_cast<std::ptrdiff_t>(to);
  const auto last = rows.begin() + static_cast<std::ptrdiff_t>(end);
  if (middle < last) std::nth_element(first, middle, last, by_gain);
  std::sort(first, middle, by_gain);
  sorted_end = to;
}

// Per-search scratch of both sides: tentative distances, stamps (a node is seen / settled in the
// current search when its stamp equals `stamp`), the settled nodes and the heap.
struct SearchScratch {
  // A node's tentative distance and stamps side by side: one cache line per node reached (three
  // arrays were three misses).
  struct Mark {
    std::int64_t dist = 0;
    std::uint32_t seen = 0;
    std::uint32_t done = 0;
  };
  std::vector<Mark> left, right;
  std::vector<std::uint32_t> settled;
  LazyHeap heap;
  std::uint32_t stamp = 0;

  void Init(std::uint32_t L, std::uint32_t R) {
    left.assign(L, Mark{});
    right.assign(R, Mark{});
  }
  void Begin() {
    ++stamp;
    heap.Clear();
    settled.clear();
  }
  // Settles a popped left node (id i) or right node (id L + j, `right`) at distance d; false when
  // the entry is stale or the node already settled.
  bool SettleLeft(std::uint32_t i, std::int64_t d) {
    if (left[i].done == stamp || d > left[i].dist) return false;
    left[i].done = stamp;
    settled.push_back(i);
    return true;
  }
  bool SettleRight(std::uint32_t j, std::uint32_t id, std::int64_t d) {
    if (right[j].done == stamp || d > right[j].dist) return false;
    right[j].done = stamp;
    settled.push_back(id);
    return true;
  }
  // After a search that reached t at distance D: pi(v) += d(v) - D on the settled nodes (all have
  // d(v) <= D); the others keep theirs (see the header). Left ids are < L, right ids L + j.
  template <typename LeftPotential, typename RightPotential>
  void ShiftSettled(std::int64_t D, std::uint32_t L, LeftPotential&& left_potential,
                    RightPotential&& right_potential) const {
    for (auto u : settled) {
      if (u < L)
        left_potential(u) += left[u].dist - D;
      else
        right_potential(u - L) += right[u - L].dist - D;
    }
  }
};

// The assignment and its exact LP duals (see the header): v_j >= 0 per right node, u_i = a(e_i) - v_j
// for an assigned left node, 0 for a free one; potentials in the certificate's convention.
void WriteSolution(const TransportProblem& p, const std::vector<std::uint32_t>& edge_of,
                   const std::vector<std::int64_t>& v, TransportSolution& out) {
  out.assigned_edge.assign(p.num_left, kNoEdge);
  out.left_potential.assign(p.num_left, 0);
  out.right_potential.assign(p.num_right, 0);
  for (std::uint32_t j = 0; j < p.num_right; ++j) out.right_potential[j] = -Int128{v[j]};
  out.value = 0;
  for (std::uint32_t i = 0; i < p.num_left; ++i) {
    const auto e = edge_of[i];
    if (e == kNone) continue;
    out.assigned_edge[i] = e;
    out.value += p.values[e];
    out.left_potential[i] = Int128{p.values[e]} - v[p.targets[e]];
  }
  out.scale = 1;
  out.source_potential = 0;
  out.sink_potential = 0;
}

// Searches from the positions' side. Node ids in the heap: left i as i, right j as L + j.
// `Entry`: EdgeEntry (4 bytes per edge, gains read through the edge index, left nodes off the
// forward CSR) or GainEntry (16 bytes, gains and left nodes inline).
template <typename Entry>
class Paths {
  static constexpr bool kInline = std::is_same_v<Entry, GainEntry>;
  static_assert(kInline || std::is_same_v<Entry, EdgeEntry>);

 public:
  explicit Paths(const TransportProblem& p) : p_(p), L_(p.num_left), R_(p.num_right) {}

  // `indegree`: edges per right node (counted once by the caller, which also used it to pick the side).
  void Build(const std::vector<std::uint64_t>& indegree) {
    rev_offsets_.assign(R_ + 1, 0);
    for (std::uint32_t j = 0; j < R_; ++j) rev_offsets_[j + 1] = rev_offsets_[j] + indegree[j];
    rev_.resize(p_.num_edges());
    if constexpr (kInline) {
      FillInline();
    } else {
      IndexEdgeOwners();
      FillWithHeads();
    }
    // Effective capacity: units beyond the in-degree always stay empty.
    eff_.resize(R_);
    for (std::uint32_t j = 0; j < R_; ++j)
      eff_[j] =
          std::min<std::int64_t>(p_.capacity[j], static_cast<std::int64_t>(rev_offsets_[j + 1] - rev_offsets_[j]));
    left_.assign(L_, Left{});
    first_held_.assign(R_, kNone);
    next_held_.assign(L_, kNone);
    prev_held_.assign(L_, kNone);
    empty_.assign(R_, 0);
    supply_ = eff_;
    s_.Init(L_, R_);
    pred_left_.assign(L_, 0);
    pred_edge_.assign(L_, 0);
    pred_right_.assign(R_, 0);
    rev_edge_.assign(R_, 0);
    deficit_.assign(L_, 0);
  }

  // Rows with inline gains: one pass over the edges; the rows are sorted on demand, the first
  // chunk on a row's first scan (an nth_element over contiguous entries). The cold start
  // potential of a right node is its best gain (or 0).
  void FillInline() {
    pot_right_.assign(R_, 0);
    std::vector<std::uint64_t> fill(rev_offsets_.begin(), rev_offsets_.end() - 1);
    for (std::uint32_t i = 0; i < L_; ++i) {
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
        const auto j = p_.targets[e];
        const auto value = p_.values[e];
        rev_[fill[j]++] = {value, i, static_cast<std::uint32_t>(e)};
        pot_right_[j] = std::max(pot_right_[j], value);
      }
    }
    sorted_end_.assign(rev_offsets_.begin(), rev_offsets_.end() - 1);
  }

  // Rows of 4 bytes (gains read through the edge index): each row starts with its kHead best
  // entries in order, kept in a small heap per row during the fill (which reads the gains
  // sequentially); the rest is sorted on demand, so most of a long row never is.
  void FillWithHeads() {
    std::vector<Head, RowAllocator<Head>> heads(std::size_t{R_} * kHead);
    std::vector<std::uint8_t> head_size(R_, 0);
    // Per row, the gain an entry must exceed to enter a full head (edges come by increasing left
    // node, so an equal gain never wins the tie): most edges are turned away without touching the heap.
    std::vector<std::int64_t> head_floor(R_, std::numeric_limits<std::int64_t>::min());
    {
      std::vector<std::uint64_t> fill(rev_offsets_.begin(), rev_offsets_.end() - 1);
      for (std::uint32_t i = 0; i < L_; ++i) {
        for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
          const auto j = p_.targets[e];
          const auto k = fill[j]++;
          const auto value = p_.values[e];
          rev_[k] = {static_cast<std::uint32_t>(e)};
          if (value <= head_floor[j]) continue;
          // Keep the kHead best of row j in a heap whose top is the worst kept (ties: the lower
          // edge, that is the lower left node, as TieKey).
          const Head h{value, static_cast<std::uint32_t>(e), static_cast<std::uint32_t>(k - rev_offsets_[j])};
          Head* row = heads.data() + std::size_t{j} * kHead;
          auto& n = head_size[j];
          if (n < kHead) {
            row[n++] = h;
            std::push_heap(row, row + n, Better);
          } else {
            std::pop_heap(row, row + kHead, Better);
            row[kHead - 1] = h;
            std::push_heap(row, row + kHead, Better);
          }
          if (n == kHead) head_floor[j] = row[0].value;
        }
      }
    }
    head_floor = {};
    pot_right_.assign(R_, 0);
    sorted_end_.resize(R_);
    // Row = its heads in order, then the others. Only O(kHead) entries move: the entries of the
    // first n slots that are not heads go to the slots the heads leave.
    for (std::uint32_t j = 0; j < R_; ++j) {
      Head* row = heads.data() + std::size_t{j} * kHead;
      const auto n = head_size[j];
      std::sort_heap(row, row + n, Better);  // best first
      const auto begin = rev_offsets_[j];
      sorted_end_[j] = begin + n;
      if (n == 0) continue;
      pot_right_[j] = std::max<std::int64_t>(0, row[0].value);  // cold start potential
      Entry head_entries[kHead];
      std::uint32_t in_front = 0;  // bit t: slot t (< n) holds a head
      for (std::uint8_t t = 0; t < n; ++t) {
        head_entries[t] = rev_[begin + row[t].offset];
        if (row[t].offset < n) in_front |= 1u << row[t].offset;
      }
      std::uint8_t slot = 0;
      for (std::uint8_t t = 0; t < n; ++t) {
        if (row[t].offset < n) continue;  // a hole behind the front: fill it with a non-head of the front
        while ((in_front & (1u << slot)) != 0) ++slot;
        rev_[begin + row[t].offset] = rev_[begin + slot];
        ++slot;
      }
      std::copy(head_entries, head_entries + n, rev_.begin() + static_cast<std::ptrdiff_t>(begin));
    }
  }

  // Cold start: pi(j) = max(0, max_i a_ij) prices out every edge (set by Build).

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
      Attach(i, j, static_cast<std::uint32_t>(best));
      ++used[j];
      --supply_[j];
      const std::int64_t price = i < warm.left_price.size() ? warm.left_price[i] : 0;
      left_[i].pot = -std::clamp<std::int64_t>(price, 0, kValueLimit);
    }
    std::vector<std::uint32_t> work(R_);
    for (std::uint32_t j = 0; j < R_; ++j) work[j] = j;
    Cascade(std::move(work), false);
  }

  // Incremental re-solve (PathResolver): the gains of the edges into `changed` moved. Their rows
  // are re-sorted lazily; each takes the least price that prices out its other candidates,
  // releases the pairs that no longer fit it (their participants keep their prices and owe their
  // units: Cascade), and sends its empty positions back to the supply when its price rose above 0
  // (the reverse of the empty arc would have a negative reduced cost).
  void Reprice(const std::vector<std::uint32_t>& changed) {
    std::vector<std::uint32_t> work;
    for (auto j : changed) {
      if (j >= R_) continue;
      sorted_end_[j] = rev_offsets_[j];
      work.push_back(j);
      // The gains copied from the edges into j: the row's and its holders'.
      if constexpr (kInline)
        for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) rev_[k].gain = p_.values[rev_[k].edge];
      for (auto h = first_held_[j]; h != kNone; h = next_held_[h])
        left_[h].holder_gain = p_.values[left_[h].holder_edge];
    }
    std::sort(work.begin(), work.end());
    work.erase(std::unique(work.begin(), work.end()), work.end());
    Cascade(std::move(work), true);
  }

  // Worklist (distinct right nodes): a right node takes the least price that prices out its other
  // candidates, and a pair that this price no longer fits is released. Positions a row left empty
  // go back to its supply when its price is above 0.
  //
  // What a released participant's price becomes. `keep_prices` (the re-solves): it keeps it, and
  // owes its unit (a deficit: its arc to t counted as used, with nothing coming in), so no other
  // row's price moves and nothing cascades; Run then routes the deficits (ReverseSearch). Else (the
  // warm start, whose prices come from another problem): its price drops to 0, which raises the
  // need of its other candidates' rows, queued in turn. Releases only raise prices there (a price
  // is the largest gain minus price among the row's non-holders, and a released price drops to 0),
  // so the set released is the least fixed point whatever the order rows are taken in.
  void Cascade(std::vector<std::uint32_t> work, bool keep_prices) {
    std::vector<char> queued(R_, 0);
    for (auto j : work) queued[j] = 1;
    auto queue = [&](std::uint32_t r) {
      if (!queued[r]) {
        queued[r] = 1;
        work.push_back(r);
      }
    };
    while (!work.empty()) {
      const auto j = work.back();
      work.pop_back();
      queued[j] = 0;
      const std::int64_t need = RightNeed(j);
      pot_right_[j] = need;
      if (need > 0 && empty_[j] > 0) {
        supply_[j] += empty_[j];
        empty_[j] = 0;
      }
      bool released = false;
      // The holders, from the row's list (the set released does not depend on the order: see above).
      for (auto i = first_held_[j]; i != kNone;) {
        const auto next = next_held_[i];
        if (left_[i].holder_gain + left_[i].pot >= need) {  // a - u_i >= v_j: the pair stays tight enough
          i = next;
          continue;
        }
        Detach(i);
        ++supply_[j];
        if (keep_prices) {
          if (left_[i].pot < 0) {
            deficit_[i] = 1;
            deficits_.push_back(i);
          }
          i = next;
          continue;
        }
        left_[i].pot = 0;
        released = true;
        // Its price drops to 0: only the rows it now outbids need a new price (the others still
        // price it out). Queuing every row of every released person read each whole row again
        // (81% of a departement batch's time under perf, Debug+ASan).
        for (auto f = p_.offsets[i]; f < p_.offsets[i + 1]; ++f)
          if (p_.values[f] > pot_right_[p_.targets[f]]) queue(p_.targets[f]);
        i = next;
      }
      if (released) queue(j);
    }
  }

  void Run(std::uint64_t& searches, std::uint64_t& scanned) {
    for (std::uint32_t j = 0; j < R_; ++j) {
      while (supply_[j] > 0) {
        Search(j);
        --supply_[j];
        ++searches;
      }
    }
    // The deficits the forward searches did not reach: each finds its cheapest way out, a place
    // (the unit of a position left empty, or one whose holder gives it up) or its price dropping.
    for (const auto i : deficits_) {
      if (!deficit_[i]) continue;
      ReverseSearch(i);
      ++searches;
    }
    deficits_.clear();
    scanned = scanned_;
  }

  // Into `out`, reusing its arrays (and this object's scratch) when they are large enough: a
  // re-solve of PathResolver allocated ~8 MB per solve on the region here, a fifth of the solve
  // phase's samples inside `batch` (allocator and fresh pages).
  void Extract(TransportSolution& out) {
    extract_v_.assign(R_, 0);
    for (std::uint32_t j = 0; j < R_; ++j)
      extract_v_[j] = p_.capacity[j] > eff_[j] ? 0 : std::max<std::int64_t>(0, pot_right_[j]);
    extract_edge_.assign(L_, kNone);
    for (std::uint32_t i = 0; i < L_; ++i)
      if (left_[i].holder != kNone) extract_edge_[i] = left_[i].holder_edge;
    WriteSolution(p_, extract_edge_, extract_v_, out);
  }

 private:
  // Least v_j with v_j >= 0 and v_j >= a_ij - u_i on every edge j does not hold. The row is read in
  // its sorted order (sorting more on demand, as a search does) down to the first gain that cannot
  // raise the need: every participant's potential is <= 0, so no later entry can. Reading whole
  // rows here was 99% of a regional batch's quota re-solves under perf.
  std::int64_t RightNeed(std::uint32_t j) {
    std::int64_t need = 0;
    for (auto k = rev_offsets_[j]; k < rev_offsets_[j + 1]; ++k) {
      if (k == sorted_end_[j]) SortMore(j);
      const auto e = rev_[k].edge;
      const auto gain = Gain(k);
      if (gain <= need) break;
      const auto i = NodeAt(k);
      if (left_[i].holder == j && left_[i].holder_edge == e) continue;
      need = std::max(need, gain + left_[i].pot);
    }
    return need;
  }

  // The left node of row entry k: inline, or the owner of its edge in the forward CSR.
  [[nodiscard]] std::uint32_t NodeAt(std::uint64_t k) const {
    if constexpr (kInline)
      return rev_[k].node;
    else
      return EdgeOwner(rev_[k].edge);
  }

  // Every (1 << kOwnerShift)-th edge's left node, so that EdgeOwner reads a few offsets (a left node's
  // row has tens of edges) instead of searching them all: 4 bytes per 64 edges.
  static constexpr unsigned kOwnerShift = 6;
  void IndexEdgeOwners() {
    const auto edges = p_.num_edges();
    owner_.clear();
    if (edges == 0) return;
    owner_.resize(((edges - 1) >> kOwnerShift) + 2);
    std::uint32_t i = 0;
    for (std::uint64_t b = 0; b < owner_.size(); ++b) {
      const auto e = std::min(b << kOwnerShift, edges - 1);
      while (p_.offsets[i + 1] <= e) ++i;
      owner_[b] = i;
    }
  }
  // The left node i with offsets[i] <= e < offsets[i + 1]: between the owners of the sampled edges
  // around e.
  [[nodiscard]] std::uint32_t EdgeOwner(std::uint32_t e) const {
    const auto b = e >> kOwnerShift;
    std::uint32_t lo = owner_[b], hi = owner_[b + 1];
    while (lo < hi) {
      const auto mid = lo + (hi - lo) / 2;
      if (p_.offsets[mid + 1] <= e)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }

  // The gain of row entry k: inline, or through its edge index.
  [[nodiscard]] std::int64_t Gain(std::uint64_t k) const {
    if constexpr (kInline)
      return rev_[k].gain;
    else
      return p_.values[rev_[k].edge];
  }

  // Rows are sorted lazily, by decreasing gain (ties: left node), in chunks that double: a search
  // reads a row only down to the first candidate that cannot beat the best path to t, which in a
  // regional batch is a few entries, so most of each row is never sorted.
  void SortMore(std::uint32_t j) {
    if constexpr (kInline) {
      SortNextChunk(rev_, rev_offsets_[j], rev_offsets_[j + 1], sorted_end_[j], [](const Entry& r) { return r.gain; });
    } else {
      const auto& values = p_.values;
      SortNextChunk(rev_, rev_offsets_[j], rev_offsets_[j + 1], sorted_end_[j],
                    [&values](const Entry& r) { return values[r.edge]; });
    }
  }

  // One Dijkstra from right node `root` to t, one unit augmented, potentials updated. A free
  // participant is never pushed: its only residual arc goes to t at reduced cost 0, so relaxing it
  // is relaxing t; the search stops when the heap's minimum reaches the best distance to t.
  void Search(std::uint32_t root) {
    s_.Begin();
    std::int64_t best_t = kInf;
    std::uint32_t t_pred = kNone;  // a free left node, or L + j for the empty arc of j
    s_.right[root].seen = s_.stamp;
    s_.right[root].dist = 0;
    s_.heap.Push(0, L_ + root);
    while (!s_.heap.Empty()) {
      const auto [d, v] = s_.heap.Pop();
      if (d >= best_t) break;
      if (v < L_) {
        const std::uint32_t i = v;
        if (!s_.SettleLeft(i, d)) continue;
        const auto& l = left_[i];
        const auto h = l.holder;
        if (s_.right[h].done == s_.stamp) continue;
        const std::int64_t nd = d + l.holder_gain + l.pot - pot_right_[h];
        if (nd < best_t && (s_.right[h].seen != s_.stamp || nd < s_.right[h].dist)) {
          s_.right[h].seen = s_.stamp;
          s_.right[h].dist = nd;
          pred_right_[h] = i;
          s_.heap.Push(nd, L_ + h);
        }
        continue;
      }
      const std::uint32_t j = v - L_;
      if (!s_.SettleRight(j, v, d)) continue;
      const std::int64_t base = d + pot_right_[j];
      if (empty_[j] < eff_[j] && base < best_t) {
        best_t = base;
        t_pred = v;
      }
      const auto k_end = rev_offsets_[j + 1];
      for (auto k = rev_offsets_[j]; k < k_end; ++k) {
        if (k == sorted_end_[j]) SortMore(j);
        const auto e = rev_[k].edge;
        const std::int64_t lower = base - Gain(k);  // pot <= 0, so nd >= lower
        if (lower >= best_t) break;                 // the row is sorted: no later candidate is closer
        const auto i = NodeAt(k);
        ++scanned_;
        const auto& l = left_[i];
        const std::int64_t nd = lower - l.pot;
        if (nd >= best_t) continue;
        if (l.holder == kNone) {  // free: t at the same distance
          best_t = nd;
          t_pred = i;
          pred_left_[i] = j;
          pred_edge_[i] = e;
          continue;
        }
        if ((l.holder == j && l.holder_edge == e) || s_.left[i].done == s_.stamp) continue;  // saturated, settled
        if (s_.left[i].seen != s_.stamp || nd < s_.left[i].dist) {
          s_.left[i].seen = s_.stamp;
          s_.left[i].dist = nd;
          pred_left_[i] = j;
          pred_edge_[i] = e;
          s_.heap.Push(nd, i);
        }
      }
    }
    // Augment one unit along the path, from its end back to the root.
    std::uint32_t x = t_pred;
    if (x >= L_) {
      ++empty_[x - L_];  // the path ends with a position left empty
      x = x - L_ == root ? kNone : pred_right_[x - L_];
    }
    if (x != kNone) deficit_[x] = 0;  // a free participant at the end of the path (it owed a unit, or none)
    while (x != kNone) {
      const auto j = pred_left_[x];
      if (left_[x].holder != kNone) Detach(x);
      Attach(x, j, pred_edge_[x]);
      x = j == root ? kNone : pred_right_[j];
    }
    s_.ShiftSettled(
        best_t, L_, [this](std::uint32_t i) -> std::int64_t& { return left_[i].pot; },
        [this](std::uint32_t r) -> std::int64_t& { return pot_right_[r]; });
  }

  // Shortest path INTO a deficit participant `root` (free, price u > 0, its unit owed; see
  // Cascade), searched backwards on the residual network with the same reduced costs: from a
  // participant, the right nodes of its row it does not hold (reduced cost v_j + u_x - a), and t
  // when it gives its unit up (u_x: the root itself, or a holder that becomes free); from a right
  // node, its holders (a - v_j - u_h: the holder moves on), and the end when it has supply left or
  // an empty position (v_j = 0 there). Participants' rows are short (tens of edges): read whole.
  // Then pi(v) += D - d(v) on the settled nodes (the others keep theirs; t is never settled before
  // D, so it stays at 0).
  void ReverseSearch(std::uint32_t root) {
    s_.Begin();
    std::int64_t best = kInf;
    std::uint32_t end = kNone;  // a participant giving its unit up (x), or a right node's unit (L + j)
    s_.left[root].seen = s_.stamp;
    s_.left[root].dist = 0;
    s_.heap.Push(0, root);
    while (!s_.heap.Empty()) {
      const auto [d, v] = s_.heap.Pop();
      if (d >= best) break;
      if (v < L_) {
        const std::uint32_t x = v;
        if (!s_.SettleLeft(x, d)) continue;
        const auto& l = left_[x];
        if (d - l.pot < best) {
          best = d - l.pot;
          end = x;
        }
        for (auto e = p_.offsets[x]; e < p_.offsets[x + 1]; ++e) {
          const auto j = p_.targets[e];
          if (l.holder == j && l.holder_edge == e) continue;
          ++scanned_;
          const std::int64_t nd = d + pot_right_[j] - l.pot - p_.values[e];
          if (nd >= best || s_.right[j].done == s_.stamp) continue;
          if (s_.right[j].seen != s_.stamp || nd < s_.right[j].dist) {
            s_.right[j].seen = s_.stamp;
            s_.right[j].dist = nd;
            pred_right_[j] = x;
            rev_edge_[j] = static_cast<std::uint32_t>(e);
            s_.heap.Push(nd, L_ + j);
          }
        }
        continue;
      }
      const std::uint32_t j = v - L_;
      if (!s_.SettleRight(j, v, d)) continue;
      if (supply_[j] > 0 || empty_[j] > 0) {  // v_j = 0 when a position is empty
        const std::int64_t at = supply_[j] > 0 ? d : d - pot_right_[j];
        if (at < best) {
          best = at;
          end = v;
        }
        continue;
      }
      for (auto h = first_held_[j]; h != kNone; h = next_held_[h]) {
        if (s_.left[h].done == s_.stamp) continue;
        const std::int64_t nd = d + left_[h].holder_gain + left_[h].pot - pot_right_[j];
        if (nd < best && (s_.left[h].seen != s_.stamp || nd < s_.left[h].dist)) {
          s_.left[h].seen = s_.stamp;
          s_.left[h].dist = nd;
          s_.heap.Push(nd, h);
        }
      }
    }
    // Augment from the end of the path towards the root.
    std::uint32_t j = kNone;
    if (end < L_) {
      if (end != root) {
        j = left_[end].holder;
        Detach(end);
      }
    } else {
      j = end - L_;
      if (supply_[j] > 0)
        --supply_[j];
      else
        --empty_[j];
    }
    while (j != kNone) {
      const auto x = pred_right_[j];
      const auto next = x == root ? kNone : left_[x].holder;
      if (left_[x].holder != kNone) Detach(x);
      Attach(x, j, rev_edge_[j]);
      j = next;
    }
    deficit_[root] = 0;
    for (auto u : s_.settled) {
      if (u < L_)
        left_[u].pot += best - s_.left[u].dist;
      else
        pot_right_[u - L_] += best - s_.right[u - L_].dist;
    }
  }

  // Holders of each right node, a doubly linked list through the left nodes (the cascade reads a
  // row's holders without reading the row).
  void Attach(std::uint32_t i, std::uint32_t j, std::uint32_t e) {
    left_[i].holder = j;
    left_[i].holder_edge = e;
    left_[i].holder_gain = p_.values[e];
    prev_held_[i] = kNone;
    next_held_[i] = first_held_[j];
    if (first_held_[j] != kNone) prev_held_[first_held_[j]] = i;
    first_held_[j] = i;
  }
  void Detach(std::uint32_t i) {
    const auto j = left_[i].holder;
    if (prev_held_[i] != kNone)
      next_held_[prev_held_[i]] = next_held_[i];
    else
      first_held_[j] = next_held_[i];
    if (next_held_[i] != kNone) prev_held_[next_held_[i]] = prev_held_[i];
    left_[i].holder = kNone;
  }

  const TransportProblem& p_;
  const std::uint32_t L_, R_;
  std::vector<std::uint64_t> rev_offsets_;
  std::vector<Entry, RowAllocator<Entry>> rev_;
  std::vector<std::uint64_t> sorted_end_;  // per right node: end of its sorted prefix
  std::vector<std::uint32_t> owner_;       // EdgeEntry rows: the left node of every 64th edge (IndexEdgeOwners)
  static constexpr std::uint8_t kHead = 16;
  struct Head {
    std::int64_t value;
    std::uint32_t tie;     // the entry's TieKey
    std::uint32_t offset;  // in the row, during the fill
  };
  // Row order: higher gain first, then lower TieKey (a strict total order).
  static bool Better(const Head& a, const Head& b) { return a.value != b.value ? a.value > b.value : a.tie < b.tie; }
  std::vector<std::int64_t> eff_, supply_, empty_;
  // Per left node, what every row scan reads: one cache line access per candidate.
  struct Left {
    std::int64_t pot = 0;          // pi(i) = -u_i
    std::int64_t holder_gain = 0;  // the gain of holder_edge (reading it from the edges was a cache miss per step)
    std::uint32_t holder = kNone;
    std::uint32_t holder_edge = 0;
  };
  std::vector<Left> left_;
  std::vector<std::uint32_t> first_held_, next_held_, prev_held_;
  std::vector<std::int64_t> pot_right_;
  std::vector<std::uint32_t> pred_left_, pred_edge_, pred_right_;
  std::vector<std::uint32_t> rev_edge_;  // ReverseSearch: per right node, the edge towards the root
  // Participants released by a re-solve that kept their price and owe their unit (Cascade).
  std::vector<char> deficit_;
  std::vector<std::uint32_t> deficits_;
  SearchScratch s_;
  std::uint64_t scanned_ = 0;
  std::vector<std::int64_t> extract_v_;      // Extract's scratch, kept across re-solves
  std::vector<std::uint32_t> extract_edge_;  // Extract's scratch, kept across re-solves
};

// The same method from the participants' side, for problems with more positions than people
// (B > L): every left node is a supply of one unit that goes to a right node with room or stays
// unassigned (cost 0); a full right node is passed through to one of its holders. Rows are the
// forward CSR, sorted lazily like the reverse rows above. Right-node potentials stay <= 0 (a right
// node with room is never settled before t, so it keeps potential 0), which gives the same early
// break on sorted rows.
class ParticipantPaths {
 public:
  explicit ParticipantPaths(const TransportProblem& p) : p_(p), L_(p.num_left), R_(p.num_right) {}

  void Build() {
    fwd_.resize(p_.num_edges());
    sorted_end_.resize(L_);
    pot_left_.assign(L_, 0);
    for (std::uint32_t i = 0; i < L_; ++i) {
      std::int64_t best = 0;
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
        fwd_[e] = {p_.targets[e], static_cast<std::uint32_t>(e)};
        best = std::max(best, p_.values[e]);
      }
      pot_left_[i] = best;  // cold start: prices out every edge of the row and "unassigned"
      sorted_end_[i] = p_.offsets[i];
    }
    right_.assign(R_, Right{});
    for (std::uint32_t j = 0; j < R_; ++j) right_[j].room = p_.capacity[j];
    head_.assign(R_, kNone);
    edge_of_.assign(L_, kNone);
    next_.assign(L_, kNone);
    prev_.assign(L_, kNone);
    s_.Init(L_, R_);
    pred_left_.assign(L_, 0);
    pred_right_.assign(R_, 0);
    pred_right_edge_.assign(R_, 0);
  }

  void Run(std::uint64_t& searches, std::uint64_t& scanned) {
    for (std::uint32_t i = 0; i < L_; ++i) {
      if (p_.offsets[i] == p_.offsets[i + 1]) continue;  // no candidate: stays unassigned
      Search(i);
      ++searches;
    }
    scanned = scanned_;
  }

  void Extract(TransportSolution& out) const {
    std::vector<std::int64_t> v(R_);
    for (std::uint32_t j = 0; j < R_; ++j) v[j] = std::max<std::int64_t>(0, -right_[j].pot);
    WriteSolution(p_, edge_of_, v, out);
  }

 private:
  void SortMore(std::uint32_t i) {
    const auto& values = p_.values;
    SortNextChunk(fwd_, p_.offsets[i], p_.offsets[i + 1], sorted_end_[i],
                  [&values](const RowEntry& r) { return values[r.edge]; });
  }

  void Attach(std::uint32_t i, std::uint32_t e) {
    const auto j = p_.targets[e];
    edge_of_[i] = e;
    prev_[i] = kNone;
    next_[i] = head_[j];
    if (head_[j] != kNone) prev_[head_[j]] = i;
    head_[j] = i;
    --right_[j].room;
  }
  void Detach(std::uint32_t i) {
    const auto j = p_.targets[edge_of_[i]];
    if (prev_[i] != kNone)
      next_[prev_[i]] = next_[i];
    else
      head_[j] = next_[i];
    if (next_[i] != kNone) prev_[next_[i]] = prev_[i];
    edge_of_[i] = kNone;
    ++right_[j].room;
  }

  // Dijkstra from left node `root` to t. Node ids: left i as i, right j as L + j.
  void Search(std::uint32_t root) {
    s_.Begin();
    std::int64_t best_t = kInf;
    std::uint32_t t_pred = kNone;  // a right node with room (L + j), or a left node left unassigned
    s_.left[root].seen = s_.stamp;
    s_.left[root].dist = 0;
    s_.heap.Push(0, root);
    while (!s_.heap.Empty()) {
      const auto [d, v] = s_.heap.Pop();
      if (d >= best_t) break;
      if (v >= L_) {  // a full right node: on to each of its holders
        const std::uint32_t j = v - L_;
        if (s_.right[j].done == s_.stamp || d > s_.right[j].dist) continue;
        s_.right[j].done = s_.stamp;
        s_.settled.push_back(v);
        for (auto h = head_[j]; h != kNone; h = next_[h]) {
          if (s_.left[h].done == s_.stamp) continue;
          const std::int64_t nd = d + p_.values[edge_of_[h]] + right_[j].pot - pot_left_[h];
          if (nd < best_t && (s_.left[h].seen != s_.stamp || nd < s_.left[h].dist)) {
            s_.left[h].seen = s_.stamp;
            s_.left[h].dist = nd;
            pred_left_[h] = j;
            s_.heap.Push(nd, h);
          }
        }
        continue;
      }
      const std::uint32_t i = v;
      if (s_.left[i].done == s_.stamp || d > s_.left[i].dist) continue;
      s_.left[i].done = s_.stamp;
      s_.settled.push_back(v);
      const std::int64_t base = d + pot_left_[i];
      if (base < best_t) {  // i unassigned (the root, or a holder giving up its place)
        best_t = base;
        t_pred = i;
      }
      const auto k_end = p_.offsets[i + 1];
      for (auto k = p_.offsets[i]; k < k_end; ++k) {
        if (k == sorted_end_[i]) SortMore(i);
        const auto j = fwd_[k].node;
        const auto e = fwd_[k].edge;
        const std::int64_t lower = base - p_.values[e];  // pot_right <= 0, so nd >= lower
        if (lower >= best_t) break;
        ++scanned_;
        if (e == edge_of_[i]) continue;  // saturated
        const auto& r = right_[j];
        const std::int64_t nd = lower - r.pot;
        if (nd >= best_t) continue;
        if (r.room > 0) {  // room: t at the same distance
          best_t = nd;
          t_pred = L_ + j;
          pred_right_[j] = i;
          pred_right_edge_[j] = e;
          continue;
        }
        if (s_.right[j].done == s_.stamp) continue;
        if (s_.right[j].seen != s_.stamp || nd < s_.right[j].dist) {
          s_.right[j].seen = s_.stamp;
          s_.right[j].dist = nd;
          pred_right_[j] = i;
          pred_right_edge_[j] = e;
          s_.heap.Push(nd, L_ + j);
        }
      }
    }
    // Augment: walk back from the end of the path to the root.
    std::uint32_t j;
    if (t_pred < L_) {
      if (t_pred == root)
        j = kNone;  // the root stays unassigned
      else {
        j = pred_left_[t_pred];
        Detach(t_pred);
      }
    } else {
      j = t_pred - L_;
    }
    while (j != kNone) {
      const auto i = pred_right_[j];
      const auto next_j = i == root ? kNone : pred_left_[i];
      if (edge_of_[i] != kNone) Detach(i);
      Attach(i, pred_right_edge_[j]);
      j = next_j;
    }
    s_.ShiftSettled(
        best_t, L_, [this](std::uint32_t i) -> std::int64_t& { return pot_left_[i]; },
        [this](std::uint32_t r) -> std::int64_t& { return right_[r].pot; });
  }

  const TransportProblem& p_;
  const std::uint32_t L_, R_;
  Rows fwd_;
  std::vector<std::uint64_t> sorted_end_;
  std::vector<std::int64_t> pot_left_;
  // Per right node, what a row scan reads: its potential and the positions left (one cache line).
  struct Right {
    std::int64_t pot = 0;
    std::int64_t room = 0;
  };
  std::vector<Right> right_;
  std::vector<std::uint32_t> head_, edge_of_, next_, prev_;  // holders of each right node
  std::vector<std::uint32_t> pred_left_, pred_right_, pred_right_edge_;
  SearchScratch s_;
  std::uint64_t scanned_ = 0;
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
  if (p.must_assign_all || !in_range || p.num_edges() >= kNone || std::uint64_t{p.num_left} + p.num_right >= kNone) {
    const bool auction_warm = warm != nullptr && warm->scale > 1;
    return AuctionSolver(fallback_).Solve(p, auction_warm ? warm : nullptr);
  }
  // Side: search from whichever side has fewer units to place.
  std::vector<std::uint64_t> indegree(p.num_right, 0);
  for (auto j : p.targets) ++indegree[j];
  std::uint64_t positions = 0;
  for (std::uint32_t j = 0; j < p.num_right; ++j)
    positions +=
        static_cast<std::uint64_t>(std::min<std::int64_t>(p.capacity[j], static_cast<std::int64_t>(indegree[j])));
  std::uint64_t people = 0;
  for (std::uint32_t i = 0; i < p.num_left; ++i) people += p.offsets[i + 1] > p.offsets[i] ? 1 : 0;
  const bool warm_pairs = warm != nullptr && !warm->left_right.empty();
  if (!warm_pairs && positions > people) {
    indegree = {};
    ParticipantPaths paths(p);
    paths.Build();
    paths.Run(out.phases, out.iterations);
    paths.Extract(out);
    out.status = Status::kOptimal;
    return out;
  }
  const auto solve = [&](auto&& paths) {
    paths.Build(indegree);
    indegree = {};
    if (warm_pairs) paths.WarmPotentials(*warm);
    paths.Run(out.phases, out.iterations);
    paths.Extract(out);
  };
  if (p.num_edges() < inline_gain_edges_)
    solve(Paths<GainEntry>(p));
  else
    solve(Paths<EdgeEntry>(p));
  out.status = Status::kOptimal;
  return out;
}

class PathResolver::State {
 public:
  State(const TransportProblem& p, bool inline_gains) {
    if (inline_gains)
      paths.emplace<Paths<GainEntry>>(p);
    else
      paths.emplace<Paths<EdgeEntry>>(p);
  }
  std::variant<std::monostate, Paths<EdgeEntry>, Paths<GainEntry>> paths;
  bool built = false;
  std::uint64_t searches = 0, scanned = 0;
};

PathResolver::PathResolver(const TransportProblem& problem, std::uint64_t inline_gain_edges)
    : problem_(problem), inline_gain_edges_(inline_gain_edges) {}
PathResolver::~PathResolver() = default;

bool PathResolver::Supports(const TransportProblem& p, std::int64_t max_abs_value) {
  return !p.must_assign_all && max_abs_value <= kValueLimit && p.num_edges() < kNone &&
         std::uint64_t{p.num_left} + p.num_right < kNone && CheckWellFormed(p).empty();
}

TransportSolution PathResolver::Solve(const std::vector<std::uint32_t>& changed_right, const WarmStart* warm) {
  TransportSolution out;
  Solve(changed_right, out, warm);
  return out;
}

void PathResolver::Solve(const std::vector<std::uint32_t>& changed_right, TransportSolution& out,
                         const WarmStart* warm) {
  std::uint64_t searches = 0, scanned = 0;
  const bool first = !state_;
  if (first) state_ = std::make_unique<State>(problem_, problem_.num_edges() < inline_gain_edges_);
  std::visit(
      [&](auto& paths) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(paths)>, std::monostate>) {
          if (first) {
            std::vector<std::uint64_t> indegree(problem_.num_right, 0);
            for (auto j : problem_.targets) ++indegree[j];
            paths.Build(indegree);
            if (warm != nullptr && !warm->left_right.empty()) paths.WarmPotentials(*warm);
          } else {
            paths.Reprice(changed_right);
          }
          paths.Run(searches, scanned);
          paths.Extract(out);
        }
      },
      state_->paths);
  out.message.clear();
  out.right_price.clear();
  out.unassigned_price = 0;
  out.phases = searches;
  out.iterations = scanned;
  out.status = Status::kOptimal;
}

}  // namespace clausematch::matcher::assignment
