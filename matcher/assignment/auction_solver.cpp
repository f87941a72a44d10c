#include "matcher/assignment/auction_solver.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace clausematch::matcher::assignment {
namespace {

constexpr std::uint32_t kEmpty = kNone;
constexpr std::uint32_t kFiller = kNone - 1;

template <typename Value>
struct Limits;
template <>
struct Limits<std::int64_t> {
  static constexpr std::int64_t kInf = std::int64_t{1} << 61;  // sentinel: "no copy"
  static constexpr std::int64_t kPriceLimit = std::int64_t{1} << 60;
};
template <>
struct Limits<Int128> {
  static constexpr Int128 kInf = Int128{1} << 124;
  static constexpr Int128 kPriceLimit = Int128{1} << 122;
};

// Min-heap of object ids keyed by an external array, with positions for updates.
template <typename Value>
class IndexedHeap {
 public:
  void Build(const std::vector<Value>* key, const std::vector<std::int64_t>& cap) {
    key_ = key;
    heap_.clear();
    pos_.assign(cap.size(), kNone);
    for (std::uint32_t j = 0; j < cap.size(); ++j) {
      if (cap[j] == 0) continue;
      pos_[j] = static_cast<std::uint32_t>(heap_.size());
      heap_.push_back(j);
    }
    for (auto k = heap_.size(); k-- > 0;) Down(static_cast<std::uint32_t>(k));
  }
  void Update(std::uint32_t j) {
    Up(pos_[j]);
    Down(pos_[j]);
  }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  [[nodiscard]] std::uint32_t operator[](std::size_t k) const { return heap_[k]; }

 private:
  void Down(std::uint32_t k) {
    const auto n = static_cast<std::uint32_t>(heap_.size());
    const auto j = heap_[k];
    const Value key = (*key_)[j];
    for (;;) {
      auto l = 2 * k + 1;
      if (l >= n) break;
      if (l + 1 < n && (*key_)[heap_[l + 1]] < (*key_)[heap_[l]]) ++l;
      if (!((*key_)[heap_[l]] < key)) break;
      heap_[k] = heap_[l];
      pos_[heap_[k]] = k;
      k = l;
    }
    heap_[k] = j;
    pos_[j] = k;
  }
  void Up(std::uint32_t k) {
    const auto j = heap_[k];
    const Value key = (*key_)[j];
    while (k > 0) {
      const auto parent = (k - 1) / 2;
      if (!(key < (*key_)[heap_[parent]])) break;
      heap_[k] = heap_[parent];
      pos_[heap_[k]] = k;
      k = parent;
    }
    heap_[k] = j;
    pos_[j] = k;
  }

  const std::vector<Value>* key_ = nullptr;
  std::vector<std::uint32_t> heap_;
  std::vector<std::uint32_t> pos_;
};

// The scaled auction on the symmetric completion; Value is the price type.
template <typename Value>
class Auction {
 public:
  Auction(const TransportProblem& p, std::int64_t scale, Value unassigned_value, const std::vector<std::int64_t>& cap)
      : p_(p), scale_(scale), u_value_(unassigned_value), cap_(cap) {
    num_objects_ = p.num_right + p.num_left;
    cap_.resize(num_objects_, 1);  // U_i: participant i's own "unassigned" copy
    slot_begin_.assign(num_objects_ + 1, 0);
    for (std::uint32_t j = 0; j < num_objects_; ++j)
      slot_begin_[j + 1] = slot_begin_[j] + static_cast<std::uint64_t>(cap_[j]);
    fillers_ = slot_begin_[p.num_right];
    slot_price_.assign(slot_begin_.back(), 0);
    slot_holder_.assign(slot_begin_.back(), kEmpty);
    root_price_.assign(num_objects_, Limits<Value>::kInf);
    open_price_.assign(num_objects_, Limits<Value>::kInf);
    holder_obj_.assign(p.num_left, kNone);
    holder_edge_.assign(p.num_left, kNoEdge);
    paid_.assign(p.num_left, 0);
    queue_.assign(std::max<std::uint32_t>(p.num_left, 1), 0);
  }

  void SetPrices(const WarmStart& warm, std::int64_t multiply, std::int64_t divide) {
    for (std::uint32_t j = 0; j < num_objects_; ++j) {
      Int128 price = j < p_.num_right ? (j < warm.right_price.size() ? warm.right_price[j] : 0) : warm.unassigned_price;
      price = price * multiply / divide;
      if (price > Int128{Limits<Value>::kPriceLimit} / 2 || price < -Int128{Limits<Value>::kPriceLimit} / 2) price = 0;
      for (auto s = slot_begin_[j]; s < slot_begin_[j + 1]; ++s) slot_price_[s] = static_cast<Value>(price);
    }
  }

  // Runs the phases from eps0 down to 1; false when prices leave the representable range.
  bool Run(Value eps0, std::int64_t alpha, std::uint64_t& phases, std::uint64_t& bids) {
    BuildHeaps();
    for (Value eps = std::max<Value>(eps0, 1);; eps = std::max<Value>(eps / alpha, 1)) {
      if (!Phase(eps, phases++ == 0, bids)) return false;
      if (eps == 1) break;
    }
    return true;
  }

  void Extract(TransportSolution& out) const {
    const auto L = p_.num_left;
    const auto R = p_.num_right;
    out.assigned_edge.assign(L, kNoEdge);
    out.value = 0;
    for (std::uint32_t i = 0; i < L; ++i) {
      if (holder_obj_[i] != kNone && holder_obj_[i] < R) {
        out.assigned_edge[i] = holder_edge_[i];
        out.value += p_.values[holder_edge_[i]];
      }
    }
    Value g = Limits<Value>::kInf;
    for (auto price : slot_price_) g = std::min(g, Eff(price));
    if (slot_price_.empty()) g = 0;
    // y_j: cheapest copy above G, or 0 when the object keeps an empty position (a filler).
    std::vector<Int128> y(R, 0);
    std::vector<char> zero_cap(R, 0);
    for (std::uint32_t j = 0; j < R; ++j) {
      if (cap_[j] == 0) {
        zero_cap[j] = 1;
        continue;
      }
      bool has_empty = false;
      for (auto s = slot_begin_[j]; s < slot_begin_[j + 1] && !has_empty; ++s) has_empty = slot_holder_[s] == kFiller;
      y[j] = has_empty ? Int128{0} : Int128{Eff(root_price_[j])} - Int128{g};
    }
    const Int128 k = scale_;
    out.left_potential.assign(L, 0);
    Int128 min_pi = 0;
    for (std::uint32_t i = 0; i < L; ++i) {
      bool any = false;
      Int128 best = 0;
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
        const auto j = p_.targets[e];
        if (zero_cap[j]) continue;
        const Int128 profit = k * p_.values[e] - y[j];
        if (!any || profit > best) best = profit;
        any = true;
      }
      if (!p_.must_assign_all) best = any ? std::max<Int128>(best, 0) : 0;
      out.left_potential[i] = best;
      min_pi = std::min(min_pi, best);
    }
    // Objects without capacity: a potential that makes every arc into them non-negative.
    for (std::uint32_t i = 0; i < L; ++i) {
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
        const auto j = p_.targets[e];
        if (zero_cap[j]) y[j] = std::max<Int128>(y[j], k * p_.values[e] - out.left_potential[i]);
      }
    }
    out.scale = scale_;
    out.sink_potential = 0;
    out.source_potential = p_.must_assign_all ? min_pi : 0;
    out.right_potential.assign(R, 0);
    out.right_price.assign(R, Int128{g});
    for (std::uint32_t j = 0; j < R; ++j) {
      out.right_potential[j] = -y[j];
      if (!zero_cap[j]) out.right_price[j] = Eff(root_price_[j]);
    }
    out.unassigned_price =
        L == 0 ? Int128{g} : Int128{Eff(*std::min_element(root_price_.begin() + R, root_price_.end()))};
  }

  [[nodiscard]] bool AnyoneUnassigned() const {
    for (auto j : holder_obj_)
      if (j == kNone || j >= p_.num_right) return true;
    return false;
  }

 private:
  void SiftSlots(std::uint32_t j, std::uint64_t k = 0) {
    const auto b = slot_begin_[j];
    const auto c = slot_begin_[j + 1] - b;
    for (;;) {
      const auto l = 2 * k + 1;
      if (l >= c) break;
      auto m = l;
      if (l + 1 < c && slot_price_[b + l + 1] < slot_price_[b + l]) m = l + 1;
      if (!(slot_price_[b + m] < slot_price_[b + k])) break;
      std::swap(slot_price_[b + m], slot_price_[b + k]);
      std::swap(slot_holder_[b + m], slot_holder_[b + k]);
      k = m;
    }
    root_price_[j] = slot_price_[b];
  }

  // Cheapest copy but one of object j (kInf when it has one copy).
  Value SecondCopy(std::uint32_t j) const {
    const auto b = slot_begin_[j];
    const auto c = slot_begin_[j + 1] - b;
    if (c >= 3) return Eff(std::min(slot_price_[b + 1], slot_price_[b + 2]));
    if (c == 2) return Eff(slot_price_[b + 1]);
    return Limits<Value>::kInf;
  }

  void BuildHeaps() {
    for (std::uint32_t j = 0; j < num_objects_; ++j) {
      const auto b = slot_begin_[j];
      const auto c = slot_begin_[j + 1] - b;
      if (c == 0) continue;
      // Heapify the copies (prices may come from a warm start), keeping holders aligned.
      std::vector<std::pair<Value, std::uint32_t>> tmp;
      tmp.reserve(c);
      for (auto s = b; s < b + c; ++s) tmp.emplace_back(slot_price_[s], slot_holder_[s]);
      std::sort(tmp.begin(), tmp.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      for (std::uint64_t s = 0; s < c; ++s) {
        slot_price_[b + s] = tmp[s].first;
        slot_holder_[b + s] = tmp[s].second;
      }
      root_price_[j] = slot_price_[b];
    }
    RebuildHeaps();
  }

  void RebuildHeaps() {
    for (std::uint32_t j = 0; j < num_objects_; ++j) RefreshOpenKey(j);
    cheapest_.Build(&root_price_, cap_);
    cheapest_open_.Build(&open_price_, cap_);
  }

  // Cheapest copy of j that no filler holds (fillers never outbid fillers, see BidFiller).
  void RefreshOpenKey(std::uint32_t j) {
    Value best = Limits<Value>::kInf;
    for (auto s = slot_begin_[j]; s < slot_begin_[j + 1]; ++s)
      if (slot_holder_[s] != kFiller) best = std::min(best, slot_price_[s]);
    open_price_[j] = best;
  }

  // Gives copy `slot` of object j (its cheapest by default) to `who` at `price` (>= the copy's
  // price), evicting its holder.
  void Take(std::uint32_t j, std::uint32_t who, std::uint64_t edge, Value price, std::uint64_t slot = kNoEdge) {
    const auto root = slot == kNoEdge ? slot_begin_[j] : slot;
    const auto old = slot_holder_[root];
    slot_holder_[root] = who;
    slot_price_[root] = price;
    SiftSlots(j, root - slot_begin_[j]);
    RefreshOpenKey(j);
    cheapest_.Update(j);
    cheapest_open_.Update(j);
    if (who < p_.num_left) {
      holder_obj_[who] = j;
      holder_edge_[who] = edge;
      paid_[who] = price;
      if (j < p_.num_right) LowerPrivate(who);
    }
    if (old < p_.num_left) {
      holder_obj_[old] = kNone;
      Push(old);
    } else if (old == kFiller) {
      ++fillers_left_;
    }
  }

  // Person i holds an opening, so its private U_i is only wanted by fillers: bring U_i's price down
  // to the cheapest level G, never below what keeps i within epsilon (-p(U_i) <= profit_i + eps)
  // and never below G (fillers stay within epsilon of the cheapest copy). Without this, fillers
  // climb to a U_i that i had bid up, one epsilon at a time (measured: most filler bids).
  void LowerPrivate(std::uint32_t i) {
    const auto u = p_.num_right + i;
    const auto s = slot_begin_[u];
    const Value profit = static_cast<Value>(p_.values[holder_edge_[i]]) * static_cast<Value>(scale_) - paid_[i];
    const Value floor = std::max(Eff(root_price_[cheapest_[0]]), -profit - eps_);
    if (floor < Eff(slot_price_[s])) {
      slot_price_[s] = floor;
      root_price_[u] = floor;
      RefreshOpenKey(u);
      cheapest_.Update(u);
      cheapest_open_.Update(u);
    }
  }

  void Push(std::uint32_t i) {
    queue_[(q_head_ + q_size_) % queue_.size()] = i;
    ++q_size_;
  }
  std::uint32_t Pop() {
    const auto i = queue_[q_head_];
    q_head_ = (q_head_ + 1) % queue_.size();
    --q_size_;
    return i;
  }

  bool BidPerson(std::uint32_t i, Value eps) {
    constexpr Value kNegInf = -Limits<Value>::kInf;
    Value best = kNegInf;
    Value second = kNegInf;
    std::uint32_t best_j = kNone;
    std::uint64_t best_e = kNoEdge;
    const Value k = static_cast<Value>(scale_);
    for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
      const auto j = p_.targets[e];
      if (root_price_[j] == Limits<Value>::kInf) continue;  // no copy
      const Value price = Eff(root_price_[j]);
      const Value profit = static_cast<Value>(p_.values[e]) * k - price;
      if (profit > best) {
        second = best;
        best = profit;
        best_j = j;
        best_e = e;
      } else if (profit > second) {
        second = profit;
      }
    }
    const auto u = p_.num_right + i;
    const Value u_profit = u_value_ - Eff(root_price_[u]);
    if (u_profit > best) {
      second = best;
      best = u_profit;
      best_j = u;
      best_e = kNoEdge;
    } else if (u_profit > second) {
      second = u_profit;
    }
    const Value second_copy = SecondCopy(best_j);
    if (second_copy != Limits<Value>::kInf) second = std::max(second, best + Eff(root_price_[best_j]) - second_copy);
    if (second == kNegInf) second = best;
    const Value price = Eff(root_price_[best_j]) + (best - second) + eps;
    if (price > Limits<Value>::kPriceLimit) return false;
    Take(best_j, i, best_e, price);
    return true;
  }

  // Effective price: filler-held copies priced below floor_ are at floor_ (see BidFiller). Every
  // copy no filler holds is priced >= floor_, so heaps ordered by stored prices stay ordered.
  [[nodiscard]] Value Eff(Value stored) const { return stored < floor_ ? floor_ : stored; }

  // A free filler. Fillers are identical and value every copy at 0, so a filler outbidding
  // another filler only shifts prices: the chain of such bids raises every filler-held copy below
  // the cheapest copy no filler holds (price T) to about T, one epsilon-sized step at a time
  // (measured: most bids). We apply its outcome at once: raise those copies to T (a price
  // increase on a filler's own copy keeps every epsilon-CS: it stays the cheapest), then take the
  // cheapest filler-free copy at (cheapest other copy) + eps, evicting its holder if a person.
  bool BidFiller(Value eps) {
    const auto a = cheapest_open_[0];
    const Value level = open_price_[a];
    floor_ = std::max(floor_, level);  // every filler-held copy below T is now at T (lazily)
    std::uint64_t slot = slot_begin_[a];
    while (!(slot_holder_[slot] != kFiller && slot_price_[slot] == level)) ++slot;
    // Cheapest copy other than `slot`.
    Value other = Limits<Value>::kInf;
    for (auto s = slot_begin_[a]; s < slot_begin_[a + 1]; ++s)
      if (s != slot) other = std::min(other, Eff(slot_price_[s]));
    const auto n = cheapest_.size();
    for (std::size_t k = 0; k < std::min<std::size_t>(n, 3); ++k)
      if (cheapest_[k] != a) other = std::min(other, Eff(root_price_[cheapest_[k]]));
    if (other == Limits<Value>::kInf) other = level;
    const Value price = std::max(other, level) + eps;
    if (price > Limits<Value>::kPriceLimit) return false;
    Take(a, kFiller, kNoEdge, price, slot);
    return true;
  }

  // Starts a phase: the first one with everybody unassigned; later ones keep every holder that
  // still satisfies epsilon-complementary slackness for the new epsilon (Bertsekas: a phase may
  // start from any partial assignment that does), which saves most bids of the late phases.
  void StartPhase(Value eps, bool first) {
    eps_ = eps;
    for (auto& price : slot_price_) price = Eff(price);  // materialise the lazy floor
    for (std::uint32_t j = 0; j < num_objects_; ++j)
      if (cap_[j] > 0) root_price_[j] = slot_price_[slot_begin_[j]];
    q_head_ = 0;
    q_size_ = 0;
    if (first) {
      std::fill(slot_holder_.begin(), slot_holder_.end(), kEmpty);
      std::fill(holder_obj_.begin(), holder_obj_.end(), kNone);
      for (std::uint32_t i = 0; i < p_.num_left; ++i) Push(i);
      fillers_left_ = fillers_;
      RebuildHeaps();
      return;
    }
    const Value k = static_cast<Value>(scale_);
    for (std::uint32_t i = 0; i < p_.num_left; ++i)
      if (holder_obj_[i] < p_.num_right) LowerPrivate(i);
    std::vector<char> release(p_.num_left, 0);
    for (std::uint32_t i = 0; i < p_.num_left; ++i) {
      const auto u = p_.num_right + i;
      Value best = u_value_ - root_price_[u];
      for (auto e = p_.offsets[i]; e < p_.offsets[i + 1]; ++e) {
        const Value price = root_price_[p_.targets[e]];
        if (price != Limits<Value>::kInf) best = std::max(best, static_cast<Value>(p_.values[e]) * k - price);
      }
      const auto j = holder_obj_[i];
      const Value held = j == u ? u_value_ : static_cast<Value>(p_.values[holder_edge_[i]]) * k;
      if (j == kNone || held - paid_[i] < best - eps) {
        release[i] = 1;
        holder_obj_[i] = kNone;
        Push(i);
      }
    }
    const Value g = root_price_[cheapest_[0]];
    fillers_left_ = 0;
    for (std::uint64_t s = 0; s < slot_holder_.size(); ++s) {
      const auto h = slot_holder_[s];
      if ((h < p_.num_left && release[h]) || (h == kFiller && slot_price_[s] > g + eps)) {
        slot_holder_[s] = kEmpty;
        if (h == kFiller) ++fillers_left_;
      }
    }
    RebuildHeaps();
  }

  bool Phase(Value eps, bool first, std::uint64_t& bids) {
    StartPhase(eps, first);
    while (q_size_ > 0 || fillers_left_ > 0) {
      ++bids;
      if (q_size_ > 0) {
        if (!BidPerson(Pop(), eps)) return false;
      } else {
        --fillers_left_;
        if (!BidFiller(eps)) return false;
      }
    }
    return true;
  }

  const TransportProblem& p_;
  std::int64_t scale_;
  Value u_value_;
  std::vector<std::int64_t> cap_;  // effective capacity per object, U last
  std::uint32_t num_objects_ = 0;
  std::vector<std::uint64_t> slot_begin_;
  std::vector<Value> slot_price_;
  std::vector<std::uint32_t> slot_holder_;
  std::vector<Value> root_price_;
  std::vector<std::uint32_t> holder_obj_;
  std::vector<std::uint64_t> holder_edge_;
  std::vector<Value> paid_;  // price of the copy each person holds
  Value eps_ = 1;
  Value floor_ = -Limits<Value>::kInf;
  std::vector<Value> open_price_;     // per object: cheapest copy no filler holds
  IndexedHeap<Value> cheapest_;       // objects by cheapest copy
  IndexedHeap<Value> cheapest_open_;  // objects by cheapest copy no filler holds
  std::vector<std::uint32_t> queue_;
  std::uint64_t q_head_ = 0;
  std::uint64_t q_size_ = 0;
  std::uint64_t fillers_ = 0;
  std::uint64_t fillers_left_ = 0;
};

Int128 Abs(Int128 x) { return x < 0 ? -x : x; }

template <typename Value>
bool RunAuction(const TransportProblem& p, const std::vector<std::int64_t>& cap, std::int64_t scale, Int128 u_value,
                Int128 eps0, std::int64_t alpha, const WarmStart* warm, TransportSolution& out) {
  Auction<Value> auction(p, scale, static_cast<Value>(u_value), cap);
  if (warm != nullptr) {
    const auto ws = warm->scale;
    auction.SetPrices(*warm, scale >= ws ? scale / ws : 1, scale >= ws ? 1 : ws / scale);
  }
  if (!auction.Run(static_cast<Value>(eps0), alpha, out.phases, out.iterations)) return false;
  auction.Extract(out);
  out.status = Status::kOptimal;
  if (p.must_assign_all && auction.AnyoneUnassigned()) {
    out.status = Status::kInfeasible;
    out.message = "some left nodes cannot be assigned";
  }
  return true;
}

}  // namespace

TransportSolution AuctionSolver::Solve(const TransportProblem& p, const WarmStart* warm) {
  TransportSolution out;
  if (auto defect = CheckWellFormed(p); !defect.empty()) {
    out.message = defect;
    return out;
  }
  const std::uint32_t L = p.num_left;
  // Effective capacity: more copies than in-edges + 1 never matter, and the spare copy keeps
  // the object's price at the empty-position level.
  std::vector<std::int64_t> indegree(p.num_right, 0);
  for (auto t : p.targets) ++indegree[t];
  std::vector<std::int64_t> cap(p.num_right);
  std::uint64_t fillers = 0;
  for (std::uint32_t j = 0; j < p.num_right; ++j) {
    cap[j] = std::min(p.capacity[j], indegree[j] + 1);
    fillers += static_cast<std::uint64_t>(cap[j]);
  }
  // Scale: a power of two above 2L + B (the epsilon-CS slack of the completion, see header).
  std::int64_t scale = 1;
  const std::uint64_t need = 2ull * L + fillers + 2;
  while (static_cast<std::uint64_t>(scale) < need) {
    if (scale > (std::int64_t{1} << 40)) {
      out.status = Status::kBadCostRange;
      out.message = "problem too large to scale";
      return out;
    }
    scale *= 2;
  }
  Int128 vmax = 0;
  Int128 vmin = 0;
  for (auto v : p.values) {
    vmax = std::max<Int128>(vmax, v);
    vmin = std::min<Int128>(vmin, v);
  }
  const Int128 span = vmax - vmin;
  // Under must_assign_all, "unassigned" costs more than any assignment can gain.
  const Int128 u_unscaled = p.must_assign_all ? vmin - (Int128{L} + 1) * (span + 1) : Int128{0};
  const Int128 magnitude = (Abs(vmax) + Abs(u_unscaled) + span + 1) * scale * 8;
  Int128 eps0 = std::max<Int128>(1, span * scale / options_.alpha);
  // A warm start skips the coarsest phases: its prices are already an equilibrium of a nearby
  // problem. (Starting at epsilon = 1 is not safe: a position its holder leaves keeps a high
  // price, and the fillers would climb to it one unit at a time.)
  if (warm != nullptr && warm->scale > 0) {
    for (int k = 0; k < options_.warm_skip_phases && eps0 > 1; ++k) eps0 /= options_.alpha;
    eps0 = std::max<Int128>(eps0, Int128{scale} / warm->scale);
  }
  const bool fits64 = magnitude < (Int128{1} << 58);
  const bool fits128 = magnitude < (Int128{1} << 118);
  const Int128 u_value = u_unscaled * scale;
  if (fits64 && RunAuction<std::int64_t>(p, cap, scale, u_value, eps0, options_.alpha, warm, out)) return out;
  if (!options_.allow_wide_arithmetic || !fits128) {
    out = TransportSolution{};
    out.status = Status::kBadCostRange;
    out.message = options_.allow_wide_arithmetic ? "gains too large for 128-bit scaled prices"
                                                 : "gains too large for 64-bit scaled prices";
    return out;
  }
  out = TransportSolution{};
  if (RunAuction<Int128>(p, cap, scale, u_value, eps0, options_.alpha, warm, out)) return out;
  out = TransportSolution{};
  out.status = Status::kBadCostRange;
  out.message = "prices left the 128-bit range";
  return out;
}

}  // namespace clausematch::matcher::assignment
