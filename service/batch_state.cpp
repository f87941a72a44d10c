#include "service/batch_state.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <type_traits>

#include "data/binary_io.hpp"
#include "service/batch.hpp"

namespace clausematch::service {
namespace {

namespace as = matcher::assignment;

static_assert(std::endian::native == std::endian::little, "state.bin is written as the machine's memory");
static_assert(sizeof(matcher::CutEdge) == 16 && std::is_trivially_copyable_v<matcher::CutEdge>);

constexpr std::array<char, 8> kMagic = {'C', 'M', 'B', 'S', '\x89', '\r', '\n', '\x1a'};

// Appends fixed-width little-endian values to a text buffer (what the small fingerprints hash).
struct Bytes {
  std::string out;
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void Text(std::string_view s) {
    Put(static_cast<std::uint64_t>(s.size()));
    out.append(s);
  }
};

std::uint64_t Fold(std::uint64_t h, std::uint64_t block) {
  h ^= block + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t ReferentialFingerprint(const model::Referential& ref) {
  Bytes b;
  for (const auto& f : ref.fiches()) {
    b.Text(f.code.str());
    b.Text(f.parent.str());
    for (const auto& s : ref.SkillsOf(f.code)) {
      b.Put(s.skill);
      b.Put(static_cast<std::uint8_t>(s.core));
      b.Put(static_cast<std::uint8_t>(s.emerging));
    }
    for (const auto& l : ref.MobilityFrom(f.code)) {
      b.Text(l.target.str());
      b.Put(static_cast<std::int32_t>(l.rank));
    }
  }
  for (const auto& a : ref.appellations()) {
    b.Put(a.code);
    b.Text(a.fiche.str());
  }
  for (const auto& s : ref.skills()) {
    b.Put(s.code);
    b.Put(static_cast<std::uint8_t>(s.kind));
  }
  for (const auto& c : ref.communes()) {
    b.Text(c.insee);
    b.Text(c.parent_insee);
    b.Put(static_cast<std::uint8_t>(c.arrondissement));
    b.Put(c.centre.lat);
    b.Put(c.centre.lon);
  }
  return data::Checksum64(b.out);
}

std::uint64_t WeightsFingerprint(const matcher::ScoreWeights& w) {
  // Every field: a field added to ScoreWeights must be added here (the size check says so).
  static_assert(
      sizeof(matcher::ScoreWeights) == 19 * sizeof(double) + sizeof(double) + model::kCriterionCount * sizeof(double),
      "a field was added to ScoreWeights: add it to its fingerprint");
  Bytes b;
  for (double v : {w.skill, w.distance, w.priority, w.waiting, w.hours, w.exposure, w.skill_relation, w.skill_overlap,
                   w.skill_embedding, w.same_appellation, w.same_fiche, w.same_parent, w.mobility_first_rank,
                   w.mobility_rank_decay, w.required_skill_weight, w.core_skill_weight, w.other_skill_weight,
                   w.waiting_horizon_days, w.exposure_saturation})
    b.Put(v);
  b.Put(w.default_priority_publics.bits());
  for (double v : w.priority_weights) b.Put(v);
  return data::Checksum64(b.out);
}

// A writer that folds each block's checksum into a running one.
class Writer {
 public:
  explicit Writer(std::ofstream& out) : out_(out) {}
  void Block(const void* data, std::size_t size) {
    if (size == 0) return;
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    sum_ = Fold(sum_, data::Checksum64({static_cast<const char*>(data), size}));
  }
  void Block(const Bytes& b) { Block(b.out.data(), b.out.size()); }
  [[nodiscard]] std::uint64_t sum() const { return sum_; }

 private:
  std::ofstream& out_;
  std::uint64_t sum_ = 0;
};

class Reader {
 public:
  Reader(std::ifstream& in, std::uint64_t size, std::string path) : in_(in), left_(size), path_(std::move(path)) {}
  void Block(void* data, std::size_t size) {
    if (size == 0) return;
    if (size > left_) throw BatchStateError(path_ + ": truncated");
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (!in_) throw BatchStateError(path_ + ": truncated");
    left_ -= size;
    sum_ = Fold(sum_, data::Checksum64({static_cast<const char*>(data), size}));
  }
  template <typename T>
  T Get(std::string& block) {
    T v;
    std::memcpy(&v, block.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  // Reads a block of `size` bytes into `block` and starts taking values from it.
  void Start(std::string& block, std::size_t size) {
    block.resize(size);
    Block(block.data(), size);
    at_ = 0;
  }
  [[nodiscard]] std::uint64_t sum() const { return sum_; }
  [[nodiscard]] std::uint64_t left() const { return left_; }

 private:
  std::ifstream& in_;
  std::uint64_t left_;
  std::string path_;
  std::uint64_t sum_ = 0;
  std::size_t at_ = 0;
};

constexpr std::size_t kHeaderBytes = 8 + 4 + 4;
constexpr std::size_t kInputsBytes = 8 + 8 + 8 + 4 + 4 + 8 + 4 + 4 + 8;
constexpr std::size_t kOpeningBytes = 4 + 4 + 8 + 3 * 8 + 8;
constexpr std::size_t kSolutionBytes = 1 + 1 + 2 + 4;

}  // namespace

std::uint64_t BatchState::num_edges() const {
  std::uint64_t n = 0;
  for (const auto& o : openings) n += o.cut.edges.size();
  return n;
}

BatchState::Inputs FingerprintInputs(const model::Referential& ref, const model::Dataset& data,
                                     const BatchParams& params) {
  BatchState::Inputs in;
  // The participants' side (people, then placements, in their order), encoded and hashed a slice
  // at a time, so that a national dataset is never copied whole for its hash.
  constexpr std::size_t kSlice = 65536;
  std::uint64_t h = 0;
  model::Dataset slice;
  for (std::size_t i = 0; i < data.participants.size(); i += kSlice) {
    const auto end = std::min(data.participants.size(), i + kSlice);
    slice.participants.assign(data.participants.begin() + static_cast<std::ptrdiff_t>(i),
                              data.participants.begin() + static_cast<std::ptrdiff_t>(end));
    h = Fold(h, data::Checksum64(data::EncodeBinaryDataset(slice)));
  }
  slice.participants.clear();
  for (std::size_t i = 0; i < data.placements.size(); i += kSlice) {
    const auto end = std::min(data.placements.size(), i + kSlice);
    slice.placements.assign(data.placements.begin() + static_cast<std::ptrdiff_t>(i),
                            data.placements.begin() + static_cast<std::ptrdiff_t>(end));
    h = Fold(h, data::Checksum64(data::EncodeBinaryDataset(slice)));
  }
  in.participants = h;
  in.referential = ReferentialFingerprint(ref);
  in.weights = WeightsFingerprint(params.weights);
  in.as_of = params.as_of.days();
  in.max_candidates = params.max_candidates;
  in.participant_count = static_cast<std::uint32_t>(data.participants.size());
  return in;
}

std::uint64_t FingerprintOpening(const model::Contract& contract, const model::Opening& opening) {
  model::Dataset one;
  one.contracts.push_back(contract);
  one.openings.push_back(opening);
  return data::Checksum64(data::EncodeBinaryDataset(one));
}

std::string Incompatibility(const BatchState::Inputs& before, const BatchState::Inputs& now) {
  if (before.participant_count != now.participant_count)
    return "the participants changed (" + std::to_string(before.participant_count) + " then, " +
           std::to_string(now.participant_count) + " now)";
  if (before.participants != now.participants) return "the participants or their placements changed";
  if (before.as_of != now.as_of)
    return "the reference date changed (" + model::Date::FromDays(before.as_of).ToString() + " then, " +
           model::Date::FromDays(now.as_of).ToString() + " now)";
  if (before.weights != now.weights) return "the score weights changed";
  if (before.max_candidates != now.max_candidates)
    return "max_candidates changed (" + std::to_string(before.max_candidates) + " then, " +
           std::to_string(now.max_candidates) + " now)";
  if (before.referential != now.referential) return "the reference data changed";
  return "";
}

void SaveBatchState(const BatchState& state, const std::string& path) {
  const std::filesystem::path target(path);
  const std::filesystem::path tmp = target.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) throw std::runtime_error("cannot write " + tmp.string());
    Writer w(file);
    Bytes head;
    head.out.append(kMagic.data(), kMagic.size());
    head.Put(kBatchStateVersion);
    head.Put(std::uint32_t{0});
    const auto& in = state.inputs;
    head.Put(in.participants);
    head.Put(in.referential);
    head.Put(in.weights);
    head.Put(in.as_of);
    head.Put(std::uint32_t{0});
    head.Put(in.max_candidates);
    head.Put(in.participant_count);
    head.Put(static_cast<std::uint32_t>(state.openings.size()));
    head.Put(state.num_edges());
    w.Block(head);
    for (const auto& o : state.openings) {
      Bytes b;
      b.Put(o.id.value());
      b.Put(std::uint32_t{0});
      b.Put(o.fingerprint);
      b.Put(o.cut.counts.pairs_in_reach);
      b.Put(o.cut.counts.pairs_eligible);
      b.Put(o.cut.counts.pairs_conditional);
      b.Put(static_cast<std::uint64_t>(o.cut.edges.size()));
      w.Block(b);
      w.Block(o.cut.edges.data(), o.cut.edges.size() * sizeof(matcher::CutEdge));
    }
    if (state.opening_of.size() != in.participant_count)
      throw std::invalid_argument("batch state: one assignment per participant expected");
    const bool prices = !state.participant_price.empty();
    if (prices &&
        (state.participant_price.size() != in.participant_count || state.in_quota_class.size() != in.participant_count))
      throw std::invalid_argument("batch state: one price per participant expected");
    Bytes s;
    s.Put(static_cast<std::uint8_t>(state.mode));
    s.Put(static_cast<std::uint8_t>(state.solver));
    s.Put(std::uint16_t{0});
    s.Put(static_cast<std::uint32_t>(prices ? 1 : 0));
    w.Block(s);
    w.Block(state.opening_of.data(), state.opening_of.size() * 4);
    if (prices) {
      w.Block(state.participant_price.data(), state.participant_price.size() * 8);
      w.Block(state.in_quota_class.data(), state.in_quota_class.size());
    }
    const std::uint64_t sum = w.sum();
    file.write(reinterpret_cast<const char*>(&sum), sizeof sum);
    file.flush();
    if (!file) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, target);
}

BatchState LoadBatchState(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size < kHeaderBytes + kInputsBytes + kSolutionBytes + 8) throw BatchStateError(path + ": too short");
  Reader r(file, size - 8, path);
  std::string block;
  r.Start(block, kHeaderBytes + kInputsBytes);
  if (std::memcmp(block.data(), kMagic.data(), kMagic.size()) != 0)
    throw BatchStateError(path + ": not a batch state file");
  for (std::size_t i = 0; i < kMagic.size(); ++i) r.Get<char>(block);
  if (const auto version = r.Get<std::uint32_t>(block); version != kBatchStateVersion)
    throw BatchStateError(path + ": version " + std::to_string(version) + ", this build reads " +
                          std::to_string(kBatchStateVersion));
  r.Get<std::uint32_t>(block);
  BatchState state;
  auto& in = state.inputs;
  in.participants = r.Get<std::uint64_t>(block);
  in.referential = r.Get<std::uint64_t>(block);
  in.weights = r.Get<std::uint64_t>(block);
  in.as_of = r.Get<std::int32_t>(block);
  r.Get<std::uint32_t>(block);
  in.max_candidates = r.Get<std::uint64_t>(block);
  in.participant_count = r.Get<std::uint32_t>(block);
  const auto openings = r.Get<std::uint32_t>(block);
  const auto edges = r.Get<std::uint64_t>(block);
  // Every size is checked against the bytes left before anything is allocated.
  if (openings > r.left() / kOpeningBytes || edges > r.left() / sizeof(matcher::CutEdge))
    throw BatchStateError(path + ": sizes beyond the file");
  state.openings.resize(openings);
  std::uint64_t seen = 0;
  for (auto& o : state.openings) {
    r.Start(block, kOpeningBytes);
    o.id = model::OpeningId(r.Get<std::uint32_t>(block));
    r.Get<std::uint32_t>(block);
    o.fingerprint = r.Get<std::uint64_t>(block);
    o.cut.counts.pairs_in_reach = r.Get<std::uint64_t>(block);
    o.cut.counts.pairs_eligible = r.Get<std::uint64_t>(block);
    o.cut.counts.pairs_conditional = r.Get<std::uint64_t>(block);
    const auto count = r.Get<std::uint64_t>(block);
    if (count > edges - seen) throw BatchStateError(path + ": more edges than announced");
    seen += count;
    o.cut.edges.resize(count);
    r.Block(o.cut.edges.data(), count * sizeof(matcher::CutEdge));
    for (const auto& e : o.cut.edges)
      if (e.participant >= in.participant_count) throw BatchStateError(path + ": participant out of range");
  }
  if (seen != edges) throw BatchStateError(path + ": fewer edges than announced");
  r.Start(block, kSolutionBytes);
  const auto mode = r.Get<std::uint8_t>(block);
  const auto solver = r.Get<std::uint8_t>(block);
  r.Get<std::uint16_t>(block);
  const auto prices = r.Get<std::uint32_t>(block);
  if (mode > static_cast<std::uint8_t>(as::ObjectiveMode::kScore) ||
      solver > static_cast<std::uint8_t>(as::SolverKind::kGreedy) || prices > 1)
    throw BatchStateError(path + ": bad solution header");
  state.mode = static_cast<as::ObjectiveMode>(mode);
  state.solver = static_cast<as::SolverKind>(solver);
  const std::uint64_t n = in.participant_count;
  if (r.left() != n * 4 + (prices != 0 ? n * 9 : 0)) throw BatchStateError(path + ": wrong size");
  state.opening_of.resize(n);
  r.Block(state.opening_of.data(), n * 4);
  for (auto o : state.opening_of)
    if (o != as::kNone && o >= openings) throw BatchStateError(path + ": opening out of range");
  if (prices != 0) {
    state.participant_price.resize(n);
    state.in_quota_class.resize(n);
    r.Block(state.participant_price.data(), n * 8);
    r.Block(state.in_quota_class.data(), n);
  }
  std::uint64_t sum = 0;
  file.read(reinterpret_cast<char*>(&sum), sizeof sum);
  if (!file || sum != r.sum()) throw BatchStateError(path + ": checksum mismatch");
  return state;
}

}  // namespace clausematch::service
