#include "service/batch_state.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "data/binary_io.hpp"
#include "matcher/spatial_index.hpp"
#include "model/worksite.hpp"
#include "service/batch.hpp"

namespace clausematch::service {
namespace {

namespace as = matcher::assignment;

static_assert(std::endian::native == std::endian::little, "state.bin is written as the machine's memory");
static_assert(sizeof(matcher::CutEdge) == 8 && std::is_trivially_copyable_v<matcher::CutEdge>);
static_assert(sizeof(model::ParticipantId) == 4);

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
  // A block whose checksum (data::Checksum64) is already known.
  void Block(const void* data, std::size_t size, std::uint64_t sum) {
    if (size == 0) return;
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    sum_ = Fold(sum_, sum);
  }
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
constexpr std::size_t kInputsBytes = 8 + 8 + 8 + 4 + 4 + 8 + 4 + 4 + 8 + 4 + 4;
constexpr std::size_t kParticipantBytes = 4 + 4 + 8 + 8 + 8 + 8;
constexpr std::size_t kOpeningBytes = 4 + 4 + 8 + 3 * 8 + 8 + 8;
constexpr std::size_t kSolutionBytes = 1 + 1 + 2 + 4 + 4 + 4;

// Varints (LEB128: 7 bits a byte, low first) and zigzag for signed values.
void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
std::uint64_t Zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t Unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

// Takes varints from a block; any read past its end, or a varint longer than 10 bytes, is a damaged file.
class VarintReader {
 public:
  VarintReader(std::string_view bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  std::uint64_t Next() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == bytes_.size()) throw BatchStateError(path_ + ": edges cut short");
      const auto byte = static_cast<std::uint8_t>(bytes_[at_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    throw BatchStateError(path_ + ": bad varint");
  }
  [[nodiscard]] bool done() const { return at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  const std::string& path_;
  std::size_t at_ = 0;
};

}  // namespace

std::uint64_t BatchState::num_edges() const {
  std::uint64_t n = 0;
  for (const auto& o : openings) n += o.cut.edges.size();
  return n;
}

BatchState BuildBatchState(BatchStateSource source) {
  BatchState state;
  state.inputs = source.inputs;
  state.participants = std::move(source.participants);
  state.mode = source.mode;
  state.solver = source.solver;
  const auto m = static_cast<std::uint32_t>(source.opening_ids.size());
  if (source.opening_fingerprints.size() != m || source.opening_counts.size() != m)
    throw std::invalid_argument("batch state: one fingerprint and counts per opening expected");
  const auto& offsets = source.offsets;
  const auto& targets = source.targets;
  const auto& weights = source.weights;
  const std::size_t n = offsets.empty() ? 0 : offsets.size() - 1;
  if (n != state.inputs.participant_count || targets.size() != weights.size() ||
      (n > 0 && offsets[n] != targets.size()))
    throw std::invalid_argument("batch state: the pairs do not match the participants");
  // The pairs by opening: each block of participants counts its pairs per opening, the counts
  // give each block its place in every cut, then the blocks fill the cuts in parallel, so that a
  // cut holds its participants in increasing order (as the one-thread transpose did).
  constexpr std::size_t kBlocks = 16;
  const std::size_t per_block = (n + kBlocks - 1) / kBlocks;
  std::vector<std::vector<std::uint32_t>> at(kBlocks);
  tbb::parallel_for(std::size_t{0}, kBlocks, [&](std::size_t b) {
    auto& count = at[b];
    count.assign(m, 0);
    const std::size_t last = std::min(n, (b + 1) * per_block);
    for (std::size_t i = std::min(n, b * per_block); i < last; ++i)
      for (auto e = offsets[i]; e < offsets[i + 1]; ++e) {
        if (targets[e] >= m) throw std::invalid_argument("batch state: a pair's opening out of range");
        ++count[targets[e]];
      }
  });
  state.openings.resize(m);
  tbb::parallel_for(std::uint32_t{0}, m, [&](std::uint32_t r) {
    std::uint32_t total = 0;
    for (auto& count : at) total += std::exchange(count[r], total);  // the block's first place
    auto& o = state.openings[r];
    o.id = source.opening_ids[r];
    o.fingerprint = source.opening_fingerprints[r];
    o.cut.counts = source.opening_counts[r];
    o.cut.edges.resize(total);
  });
  tbb::parallel_for(std::size_t{0}, kBlocks, [&](std::size_t b) {
    auto& place = at[b];
    const std::size_t last = std::min(n, (b + 1) * per_block);
    for (std::size_t i = std::min(n, b * per_block); i < last; ++i)
      for (auto e = offsets[i]; e < offsets[i + 1]; ++e)
        state.openings[targets[e]].cut.edges[place[targets[e]]++] = {static_cast<std::uint32_t>(i), weights[e]};
    std::vector<std::uint32_t>().swap(place);
  });
  std::vector<std::uint64_t>().swap(source.offsets);
  std::vector<std::uint32_t>().swap(source.targets);
  std::vector<std::int32_t>().swap(source.weights);
  state.opening_of = std::move(source.opening_of);
  state.participant_price = std::move(source.participant_price);
  state.in_quota_class = std::move(source.in_quota_class);
  state.multipliers = std::move(source.multipliers);
  return state;
}

BatchState::Inputs FingerprintInputs(const model::Referential& ref, const model::Dataset& data,
                                     const BatchParams& params) {
  BatchState::Inputs in;
  in.referential = ReferentialFingerprint(ref);
  in.weights = WeightsFingerprint(params.weights);
  in.as_of = params.as_of.days();
  in.max_candidates = params.max_candidates;
  in.participant_count = static_cast<std::uint32_t>(data.participants.size());
  return in;
}

std::uint64_t FingerprintParticipant(const model::Participant& person, std::span<const model::Placement> placements) {
  model::Dataset one;
  one.participants.push_back(person);
  one.placements.assign(placements.begin(), placements.end());
  return data::Checksum64(data::EncodeBinaryDataset(one));
}

std::vector<BatchState::Participant> FingerprintParticipants(const model::Dataset& data,
                                                             const matcher::Matcher& engine) {
  const auto n = static_cast<std::uint32_t>(data.participants.size());
  // Placements by participant position (those of unknown people read by no cut).
  std::vector<std::uint32_t> first(static_cast<std::size_t>(n) + 1, 0), order;
  std::vector<std::uint32_t> owner(data.placements.size(), ParticipantChanges::kNone);
  for (std::uint32_t k = 0; k < data.placements.size(); ++k)
    if (const auto it = data.participant_pos.find(data.placements[k].participant); it != data.participant_pos.end()) {
      owner[k] = static_cast<std::uint32_t>(it->second);
      ++first[owner[k] + 1];
    }
  for (std::uint32_t i = 0; i < n; ++i) first[i + 1] += first[i];
  order.resize(first[n]);
  {
    std::vector<std::uint32_t> cursor(first.begin(), first.end() - 1);
    for (std::uint32_t k = 0; k < data.placements.size(); ++k)
      if (owner[k] != ParticipantChanges::kNone) order[cursor[owner[k]]++] = k;
  }
  std::vector<BatchState::Participant> out(n);
  constexpr std::uint32_t kBlock = 1024;
  tbb::parallel_for(std::uint32_t{0}, (n + kBlock - 1) / kBlock, [&](std::uint32_t b) {
    std::vector<model::Placement> mine;
    for (std::uint32_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      mine.clear();
      for (auto k = first[i]; k < first[i + 1]; ++k) mine.push_back(data.placements[order[k]]);
      auto& x = out[i];
      x.id = data.participants[i].id;
      x.fingerprint = FingerprintParticipant(data.participants[i], mine);
      x.commune = engine.HomeCommuneOf(i);
      if (const auto home = engine.HomeOf(i)) {
        x.lat = home->lat;
        x.lon = home->lon;
      }
      x.radius_km = data.participants[i].mobility_radius_km;
    }
  });
  return out;
}

ParticipantChanges ChangedParticipants(const std::vector<BatchState::Participant>& before,
                                       const std::vector<BatchState::Participant>& now) {
  ParticipantChanges c;
  constexpr auto kNone = ParticipantChanges::kNone;
  c.now_of.assign(before.size(), kNone);
  c.before_of.assign(now.size(), kNone);
  auto compare = [&](std::uint32_t b, std::uint32_t i) {
    c.now_of[b] = i;
    c.before_of[i] = b;
    const auto& x = before[b];
    const auto& y = now[i];
    if (x == y) return;
    ++c.changed;
    c.origins.push_back(x);
    if (x.lat != y.lat || x.lon != y.lon || x.radius_km != y.radius_km || x.commune != y.commune)
      c.origins.push_back(y);
  };
  c.same_order = before.size() == now.size();
  for (std::size_t i = 0; c.same_order && i < now.size(); ++i) c.same_order = before[i].id == now[i].id;
  if (c.same_order) {
    for (std::uint32_t i = 0; i < now.size(); ++i) compare(i, i);
  } else {
    std::unordered_map<model::ParticipantId, std::uint32_t> position;
    position.reserve(before.size());
    for (std::uint32_t b = 0; b < before.size(); ++b)
      if (!position.emplace(before[b].id, b).second) c.unusable = "a participant id appears twice in the previous run";
    for (std::uint32_t i = 0; i < now.size() && c.unusable.empty(); ++i) {
      const auto it = position.find(now[i].id);
      if (it == position.end()) {
        ++c.added;
        c.origins.push_back(now[i]);
      } else if (c.now_of[it->second] != kNone) {
        c.unusable = "a participant id appears twice";
      } else {
        compare(it->second, i);
      }
    }
    for (std::uint32_t b = 0; b < before.size() && c.unusable.empty(); ++b)
      if (c.now_of[b] == kNone) {
        ++c.removed;
        c.origins.push_back(before[b]);
      }
  }
  return c;
}

std::vector<std::uint8_t> AffectedOpenings(const model::Referential& ref, const model::Dataset& data,
                                           const std::vector<BatchState::Participant>& origins) {
  std::vector<std::uint8_t> affected(data.openings.size(), 0);
  if (origins.empty()) return affected;
  // The open openings' worksites (the matcher's: model::WorksiteOf, the folded commune).
  std::vector<model::GeoPoint> points;
  std::vector<std::uint32_t> opening_of_point;
  std::vector<double> max_distance;  // by point: the opening's, 0 when none
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_commune;
  for (std::uint32_t j = 0; j < data.openings.size(); ++j) {
    const auto& o = data.openings[j];
    if (o.status != model::OpeningStatus::kOpen) continue;
    const auto* contract = data.FindContract(o.contract);
    if (contract == nullptr) continue;
    const auto worksite = model::WorksiteOf(*contract, o, ref);
    if (!worksite) continue;
    points.push_back(*worksite);
    opening_of_point.push_back(j);
    max_distance.push_back(o.max_distance_km);
    if (const auto commune = matcher::CityCommune(ref, model::WorksiteCommune(*contract, o));
        commune != matcher::kNoCommune)
      by_commune[commune].push_back(j);
  }
  const matcher::SpatialGrid grid(points);
  for (const auto& x : origins) {
    if (std::isnan(x.lat) || std::isnan(x.lon)) continue;  // no home: in nobody's reach
    if (!std::isfinite(x.radius_km)) {
      // The reach limit is then the openings' own max distance: every one, to stay simple.
      for (const auto j : opening_of_point) affected[j] = 1;
      return affected;
    }
    // Within min(radius, max distance) (matcher::ReachLimitKm), with a margin of 1 mm, far above
    // the rounding of the distance formulas (the matcher's test is exact).
    auto margin = [](double km) { return km * (1 + 1e-9) + 1e-6; };
    grid.ForEachWithin({x.lat, x.lon}, margin(x.radius_km), [&](std::uint32_t k, double km) {
      if (!(max_distance[k] > 0.0) || km <= margin(max_distance[k])) affected[opening_of_point[k]] = 1;
    });
    if (x.commune == matcher::kNoCommune) continue;
    if (const auto it = by_commune.find(x.commune); it != by_commune.end())
      for (const auto j : it->second) affected[j] = 1;
  }
  return affected;
}

std::uint64_t FingerprintOpening(const model::Contract& contract, const model::Opening& opening) {
  model::Dataset one;
  one.contracts.push_back(contract);
  one.openings.push_back(opening);
  return data::Checksum64(data::EncodeBinaryDataset(one));
}

std::string Incompatibility(const BatchState::Inputs& before, const BatchState::Inputs& now) {
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
    head.Put(std::uint64_t{0});
    head.Put(in.referential);
    head.Put(in.weights);
    head.Put(in.as_of);
    head.Put(std::uint32_t{0});
    head.Put(in.max_candidates);
    head.Put(in.participant_count);
    head.Put(static_cast<std::uint32_t>(state.openings.size()));
    head.Put(state.num_edges());
    head.Put(std::uint32_t{0});
    head.Put(std::uint32_t{0});
    w.Block(head);
    if (state.participants.size() != in.participant_count)
      throw std::invalid_argument("batch state: one fingerprint per participant expected");
    Bytes people;
    people.out.reserve(state.participants.size() * kParticipantBytes);
    for (const auto& x : state.participants) {
      people.Put(x.id.value());
      people.Put(x.commune);
      people.Put(x.fingerprint);
      people.Put(x.lat);
      people.Put(x.lon);
      people.Put(x.radius_km);
    }
    w.Block(people);
    // The openings' edges encoded (and their checksums taken) by chunks in parallel, written in order.
    constexpr std::size_t kChunk = 512;
    struct Encoded {
      std::string edges;
      std::uint64_t sum = 0;
    };
    std::vector<Encoded> encoded;
    for (std::size_t first = 0; first < state.openings.size(); first += kChunk) {
      const std::size_t last = std::min(state.openings.size(), first + kChunk);
      encoded.assign(last - first, {});
      tbb::parallel_for(first, last, [&](std::size_t r) {
        auto& out = encoded[r - first];
        std::int64_t previous = 0;
        for (const auto& e : state.openings[r].cut.edges) {
          PutVarint(out.edges, Zigzag(static_cast<std::int64_t>(e.participant) - previous));
          previous = e.participant;
          PutVarint(out.edges, Zigzag(e.weight));
        }
        out.sum = out.edges.empty() ? 0 : data::Checksum64(out.edges);
      });
      for (std::size_t r = first; r < last; ++r) {
        const auto& o = state.openings[r];
        const auto& edges = encoded[r - first];
        Bytes b;
        b.Put(o.id.value());
        b.Put(std::uint32_t{0});
        b.Put(o.fingerprint);
        b.Put(o.cut.counts.pairs_in_reach);
        b.Put(o.cut.counts.pairs_eligible);
        b.Put(o.cut.counts.pairs_conditional);
        b.Put(static_cast<std::uint64_t>(o.cut.edges.size()));
        b.Put(static_cast<std::uint64_t>(edges.edges.size()));
        w.Block(b);
        w.Block(edges.edges.data(), edges.edges.size(), edges.sum);
      }
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
    s.Put(static_cast<std::uint32_t>(state.multipliers.size()));
    s.Put(std::uint32_t{0});
    w.Block(s);
    w.Block(state.opening_of.data(), state.opening_of.size() * 4);
    if (prices) {
      w.Block(state.participant_price.data(), state.participant_price.size() * 8);
      w.Block(state.in_quota_class.data(), state.in_quota_class.size());
    }
    Bytes m;
    for (const auto& x : state.multipliers) {
      m.Put(x.contract.value());
      m.Put(x.public_bit);
      m.Put(x.lambda);
    }
    w.Block(m);
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
  r.Get<std::uint64_t>(block);
  in.referential = r.Get<std::uint64_t>(block);
  in.weights = r.Get<std::uint64_t>(block);
  in.as_of = r.Get<std::int32_t>(block);
  r.Get<std::uint32_t>(block);
  in.max_candidates = r.Get<std::uint64_t>(block);
  in.participant_count = r.Get<std::uint32_t>(block);
  const auto openings = r.Get<std::uint32_t>(block);
  const auto edges = r.Get<std::uint64_t>(block);
  r.Get<std::uint32_t>(block);
  r.Get<std::uint32_t>(block);
  // Every size is checked against the bytes left before anything is allocated (an edge takes at
  // least 2 bytes).
  if (in.participant_count > r.left() / kParticipantBytes) throw BatchStateError(path + ": sizes beyond the file");
  r.Start(block, std::size_t{in.participant_count} * kParticipantBytes);
  state.participants.resize(in.participant_count);
  for (auto& x : state.participants) {
    x.id = model::ParticipantId(r.Get<std::uint32_t>(block));
    x.commune = r.Get<std::uint32_t>(block);
    x.fingerprint = r.Get<std::uint64_t>(block);
    x.lat = r.Get<double>(block);
    x.lon = r.Get<double>(block);
    x.radius_km = r.Get<double>(block);
  }
  if (openings > r.left() / kOpeningBytes || edges > r.left() / 2)
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
    const auto bytes = r.Get<std::uint64_t>(block);
    if (count > edges - seen) throw BatchStateError(path + ": more edges than announced");
    if (bytes > r.left() || bytes < count * 2) throw BatchStateError(path + ": bad edge block size");
    seen += count;
    r.Start(block, bytes);
    VarintReader v(block, path);
    o.cut.edges.resize(count);
    std::int64_t previous = 0;
    for (auto& e : o.cut.edges) {
      const std::int64_t participant = previous + Unzigzag(v.Next());
      if (participant < 0 || participant >= std::int64_t{in.participant_count})
        throw BatchStateError(path + ": participant out of range");
      previous = participant;
      e.participant = static_cast<std::uint32_t>(participant);
      const std::int64_t weight = Unzigzag(v.Next());
      if (weight < std::numeric_limits<std::int32_t>::min() || weight > std::numeric_limits<std::int32_t>::max())
        throw BatchStateError(path + ": weight out of range");
      e.weight = static_cast<std::int32_t>(weight);
    }
    if (!v.done()) throw BatchStateError(path + ": edge block longer than its edges");
  }
  if (seen != edges) throw BatchStateError(path + ": fewer edges than announced");
  r.Start(block, kSolutionBytes);
  const auto mode = r.Get<std::uint8_t>(block);
  const auto solver = r.Get<std::uint8_t>(block);
  r.Get<std::uint16_t>(block);
  const auto prices = r.Get<std::uint32_t>(block);
  const std::uint64_t multipliers = r.Get<std::uint32_t>(block);
  r.Get<std::uint32_t>(block);
  if (mode > static_cast<std::uint8_t>(as::ObjectiveMode::kScore) ||
      solver > static_cast<std::uint8_t>(as::SolverKind::kGreedy) || prices > 1)
    throw BatchStateError(path + ": bad solution header");
  state.mode = static_cast<as::ObjectiveMode>(mode);
  state.solver = static_cast<as::SolverKind>(solver);
  const std::uint64_t n = in.participant_count;
  if (r.left() != n * 4 + (prices != 0 ? n * 9 : 0) + multipliers * 16) throw BatchStateError(path + ": wrong size");
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
  r.Start(block, multipliers * 16);
  state.multipliers.resize(multipliers);
  for (auto& x : state.multipliers) {
    x.contract = model::ContractId(r.Get<std::uint32_t>(block));
    x.public_bit = r.Get<std::uint32_t>(block);
    x.lambda = r.Get<std::int64_t>(block);
  }
  std::uint64_t sum = 0;
  file.read(reinterpret_cast<char*>(&sum), sizeof sum);
  if (!file || sum != r.sum()) throw BatchStateError(path + ": checksum mismatch");
  return state;
}

}  // namespace clausematch::service
