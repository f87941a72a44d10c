#include "matcher/matcher.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>

#include "model/validity.hpp"
#include "model/worksite.hpp"

namespace clausematch::matcher {

using model::Referential;

std::uint32_t CityCommune(const Referential& ref, std::uint32_t commune_index) {
  if (commune_index == Referential::kNoIndex) return kNoCommune;
  const auto& c = ref.communes()[commune_index];
  if (c.arrondissement && !c.parent_insee.empty())
    if (auto parent = ref.CommuneIndex(c.parent_insee); parent != Referential::kNoIndex) return parent;
  return commune_index;
}

std::uint32_t CityCommune(const Referential& ref, std::string_view insee) {
  return CityCommune(ref, ref.CommuneIndex(insee));
}

// Per-participant data of the hot loop, in grid slot order (a query reads it sequentially): the
// eligibility rules compiled to day numbers and bits. CheckEligibility stays the reference; the
// tests compare both on random instances.
struct Hot {
  std::int32_t available_from = 0;
  std::int32_t jeune_until = 0;  // first day aged 26: jeune while day < jeune_until
  std::int32_t senior_from = 0;  // first day aged 50
  std::int32_t derogation_from = std::numeric_limits<std::int32_t>::max();  // none: empty interval
  std::int32_t derogation_to = std::numeric_limits<std::int32_t>::min();
  std::int32_t diagnosis_from = std::numeric_limits<std::int32_t>::max();  // none: empty interval
  std::int32_t diagnosis_to = std::numeric_limits<std::int32_t>::min();
  std::uint32_t diagnosed = 0;  // DiagnosedCriteria bits
  std::int32_t waiting_since = 0;
  std::uint32_t intervals_begin = 0;
  std::uint32_t intervals_end = 0;
  std::uint32_t age_today = 0;  // age criteria bits as of today (for kAgeAtHire)
  std::int32_t open_proposals = 0;
  double hours_wanted = 0.0;
  std::uint16_t licences = 0;
  std::uint8_t static_refusal = kNoRefusal;  // withdrawn / suspended / status placed
  std::uint8_t consent = 0;
  std::uint8_t has_placements = 0;
  static constexpr std::uint8_t kNoRefusal = 0xff;
};

// A document proof as an interval of days [from, to] during which its criterion holds
// (model::ProofValidity, both ends inclusive).
struct Interval {
  std::int32_t from = 0;
  std::int32_t to = 0;
  std::uint32_t bit = 0;
};

// Compressed rows: items of row r are items[offsets[r] .. offsets[r + 1]).
template <typename T>
struct Rows {
  std::vector<std::uint64_t> offsets{0};
  std::vector<T> items;
  void Close() { offsets.push_back(items.size()); }
  [[nodiscard]] std::span<const T> operator[](std::size_t r) const {
    return {items.data() + offsets[r], items.data() + offsets[r + 1]};
  }
  [[nodiscard]] std::uint64_t Bytes() const { return offsets.capacity() * 8 + items.capacity() * sizeof(T); }
};

struct Matcher::Prepared {
  // By participant index.
  std::vector<model::GeoPoint> home;  // meaningful when has_home
  std::vector<std::uint8_t> has_home;
  std::vector<std::uint32_t> commune;  // folded commune index or kNoCommune
  Rows<std::uint32_t> placements;      // placement indices
  std::uint32_t no_location = 0;
  double max_radius_km = 0.0;

  // By grid slot (participants with a location).
  SpatialGrid grid;
  std::vector<std::uint32_t> participant;  // slot -> participant index
  std::vector<std::uint32_t> slot_of;      // participant index -> slot, kNoSlot without location
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;
  std::vector<std::uint32_t> slot_commune;
  std::vector<double> radius;
  std::vector<double> chord2;  // SpatialGrid::ChordSquared(radius)
  std::vector<Hot> hot;
  Rows<std::uint32_t> skills;                 // referential skill indices, by increasing skill code
  Rows<std::uint32_t> wanted;                 // wanted fiche indices, increasing
  Rows<model::AppellationCode> appellations;  // wanted appellations
  std::vector<float> embeddings;              // slots × dims
  std::size_t dims = 0;
  std::vector<Interval> intervals;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> residents;  // commune -> slots

  // ROME: fiches sharing a parent, and mobility links by target fiche.
  std::vector<std::uint32_t> parent_group;         // fiche -> group (kNoIndex without a parent)
  Rows<std::uint32_t> groups;                      // group -> fiche indices
  Rows<std::pair<std::uint32_t, int>> links_into;  // target fiche -> (source fiche, rank)

  std::unordered_map<model::ContractId, std::uint32_t> contract_index;
  std::unordered_map<model::OpeningId, std::uint32_t> opening_index;
  std::unordered_map<model::ParticipantId, std::uint32_t> participant_index;

  [[nodiscard]] std::span<const float> Embedding(std::uint32_t k) const {
    return {embeddings.data() + static_cast<std::size_t>(k) * dims, dims};
  }
  // Document criteria valid at `day`; with `ignore_expiry`, every proof dated on or before it.
  [[nodiscard]] std::uint32_t Documents(const Hot& h, std::int32_t day, bool ignore_expiry) const {
    std::uint32_t bits = 0;
    for (std::uint32_t k = h.intervals_begin; k < h.intervals_end; ++k)
      if (intervals[k].from <= day && (ignore_expiry || day <= intervals[k].to)) bits |= intervals[k].bit;
    return bits;
  }
  static std::uint32_t Ages(const Hot& h, std::int32_t day) {
    std::uint32_t bits = 0;
    if (day < h.jeune_until) bits |= model::CriterionSet{model::Criterion::kJeune}.bits();
    if (day >= h.senior_from) bits |= model::CriterionSet{model::Criterion::kSenior}.bits();
    return bits;
  }
  // The criteria a pair counts at its hire date, the one rule FastVerdict, PublicsOf and the
  // graph's per-pair loop share: documents valid at the hire, the ages then, the IAE diagnosis
  // valid then on an IAE route (`valid`); and the documents valid today but not at the hire
  // (`renewable`: counted provisionally, a proof to renew). `documents_today` is
  // Documents(h, today, false), which the graph computes once per person.
  struct AtHire {
    std::uint32_t documents = 0;
    std::uint32_t ages = 0;
    std::uint32_t diagnosed = 0;
    std::uint32_t valid = 0;
    std::uint32_t renewable = 0;
  };
  [[nodiscard]] AtHire CountedAt(const Hot& h, std::int32_t hire, bool iae_route, std::uint32_t documents_today) const {
    AtHire c;
    c.documents = Documents(h, hire, false);
    c.ages = Ages(h, hire);
    c.diagnosed = iae_route && h.diagnosis_from <= hire && hire <= h.diagnosis_to ? h.diagnosed : 0u;
    c.valid = c.documents | c.ages | c.diagnosed;
    c.renewable = documents_today & ~c.valid;
    return c;
  }
};

struct Matcher::OpeningPrep {
  std::uint32_t index = 0;
  const model::Opening* opening = nullptr;
  const model::Contract* contract = nullptr;
  model::GeoPoint worksite;
  SpatialGrid::Centre centre;
  std::uint32_t commune = kNoCommune;
  model::Date hire;
  std::uint32_t fiche = Referential::kNoIndex;
  SkillProfile profile;
  std::span<const float> fiche_vector;
  model::CriterionSet priority;
  PublicsRules rules;  // RulesFor(contract, opening): the route's threshold, the IAE path
  double query_radius_km = 0.0;
  double max_chord2 = 0.0;  // SpatialGrid::ChordSquared(opening max distance)
};

// What one opening spreads over dense arrays so that each participant costs a few lookups: its
// skill profile by referential skill, and its ROME relation by wanted fiche. One per thread,
// cleared after each opening.
struct Matcher::OpeningScratch {
  std::vector<double> weight;      // by referential skill index
  std::vector<std::uint8_t> mark;  // 0 absent, 1 present, 2 present and core or required
  std::vector<std::uint32_t> filled_skills;
  struct Rome {
    RomeRelation relation = RomeRelation::kNone;  // kSameFiche, kSameParent or kMobility
    int rank = 0;
  };
  std::vector<Rome> rome;  // by fiche index
  std::vector<std::uint32_t> filled_fiches;
};

namespace {

// The batch's openings to scan (`scan` non-zero) by worksite (same point and commune): ranges
// [first, last) of `openings` (positions in the batch's opening list, increasing within a range).
struct Worksites {
  std::vector<std::uint32_t> openings;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
};

Worksites GroupByWorksite(const std::vector<Matcher::OpeningPrep>& ops, const std::vector<std::uint8_t>& scan) {
  auto key = [](const Matcher::OpeningPrep& op) {
    return std::tuple(std::bit_cast<std::uint64_t>(op.worksite.lat), std::bit_cast<std::uint64_t>(op.worksite.lon),
                      op.commune);
  };
  Worksites g;
  g.openings.reserve(ops.size());
  for (std::uint32_t r = 0; r < ops.size(); ++r)
    if (scan[r] != 0) g.openings.push_back(r);
  std::stable_sort(g.openings.begin(), g.openings.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return key(ops[a]) < key(ops[b]); });
  for (std::uint32_t q = 0; q < g.openings.size(); ++q) {
    if (q == 0 || key(ops[g.openings[q - 1]]) != key(ops[g.openings[q]]))
      g.ranges.emplace_back(q, q + 1);
    else
      g.ranges.back().second = q + 1;
  }
  return g;
}

}  // namespace

Matcher::Matcher(const Referential& ref, const model::Dataset& data, MatcherOptions options,
                 std::shared_ptr<const SkillSpace> skills, const IndexProgress& progress)
    : ref_(ref), data_(data), options_(options), skills_(std::move(skills)), prep_(std::make_unique<Prepared>()) {
  if (auto errors = options_.weights.Validate(); !errors.empty())
    throw std::invalid_argument("invalid score weights: " + errors.front());
  if (!skills_) skills_ = std::make_shared<const SkillSpace>(ref_);
  if (data_.participants.size() >= 0xffffffffu || data_.openings.size() >= 0xffffffffu)
    throw std::length_error("Matcher: too many participants or openings");
  Prepared& p = *prep_;
  const auto n = static_cast<std::uint32_t>(data_.participants.size());

  p.participant_index.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) p.participant_index.emplace(data_.participants[i].id, i);
  for (std::uint32_t c = 0; c < data_.contracts.size(); ++c) p.contract_index.emplace(data_.contracts[c].id, c);
  for (std::uint32_t j = 0; j < data_.openings.size(); ++j) p.opening_index.emplace(data_.openings[j].id, j);

  // Locations and the grid.
  p.home.resize(n);
  p.has_home.assign(n, 0);
  p.commune.assign(n, kNoCommune);
  std::vector<std::uint32_t> located;
  std::vector<model::GeoPoint> points;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto& person = data_.participants[i];
    const std::uint32_t raw = ref_.CommuneIndex(person.commune_insee);
    p.commune[i] = CityCommune(ref_, raw);
    if (person.location) {
      p.home[i] = *person.location;
    } else if (raw != Referential::kNoIndex) {
      p.home[i] = ref_.communes()[raw].centre;
    } else {
      ++p.no_location;
      continue;
    }
    p.has_home[i] = 1;
    located.push_back(i);
    points.push_back(p.home[i]);
    if (std::isfinite(person.mobility_radius_km))
      p.max_radius_km = std::max(p.max_radius_km, person.mobility_radius_km);
  }
  p.grid = SpatialGrid(points);
  const auto slots = static_cast<std::uint32_t>(located.size());
  p.participant.resize(slots);
  p.slot_of.assign(n, Prepared::kNoSlot);
  for (std::uint32_t k = 0; k < slots; ++k) {
    p.participant[k] = located[p.grid.IdOf(k)];
    p.slot_of[p.participant[k]] = k;
  }

  // Placements by participant.
  std::vector<std::vector<std::uint32_t>> placements_of(n);
  for (std::uint32_t k = 0; k < data_.placements.size(); ++k)
    if (auto it = p.participant_index.find(data_.placements[k].participant); it != p.participant_index.end())
      placements_of[it->second].push_back(k);
  for (const auto& list : placements_of) {
    p.placements.items.insert(p.placements.items.end(), list.begin(), list.end());
    p.placements.Close();
  }

  // Per-slot data, in parallel by blocks of slots: each block fills its own rows, then the blocks'
  // rows are laid end to end (the same rows, in slot order, as one pass would give).
  p.slot_commune.resize(slots);
  p.radius.resize(slots);
  p.chord2.resize(slots);
  p.hot.resize(slots);
  p.dims = static_cast<std::size_t>(skills_->dims());
  p.embeddings.assign(static_cast<std::size_t>(slots) * p.dims, 0.0f);
  const model::Skill* const skill_base = ref_.skills().data();
  const std::int32_t today = options_.today.days();
  struct Block {
    std::vector<std::uint32_t> skills, wanted;
    std::vector<model::AppellationCode> appellations;
    std::vector<Interval> intervals;
  };
  constexpr std::uint32_t kBlock = 4096;
  const std::uint32_t block_count = (slots + kBlock - 1) / kBlock;
  std::vector<Block> blocks(block_count);
  std::vector<std::uint32_t> skill_count(slots), wanted_count(slots), appellation_count(slots);
  std::mutex progress_mutex;
  std::size_t indexed = 0;
  if (progress && slots > 0) progress(0, slots);
  tbb::parallel_for(std::uint32_t{0}, block_count, [&](std::uint32_t b) {
    Block& block = blocks[b];
    const std::uint32_t first = b * kBlock, last = std::min(slots, first + kBlock);
    std::vector<model::SkillCode> sorted;
    for (std::uint32_t k = first; k < last; ++k) {
      const std::uint32_t i = p.participant[k];
      const auto& person = data_.participants[i];
      p.slot_commune[k] = p.commune[i];
      p.radius[k] = person.mobility_radius_km;
      p.chord2[k] = SpatialGrid::ChordSquared(person.mobility_radius_km);

      sorted.assign(person.skills.begin(), person.skills.end());
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      const std::size_t skills_before = block.skills.size();
      for (auto code : sorted)
        if (const auto* skill = ref_.FindSkill(code))
          block.skills.push_back(static_cast<std::uint32_t>(skill - skill_base));
      skill_count[k] = static_cast<std::uint32_t>(block.skills.size() - skills_before);
      const auto w = WantedFicheIndices(ref_, person);
      block.wanted.insert(block.wanted.end(), w.begin(), w.end());
      wanted_count[k] = static_cast<std::uint32_t>(w.size());
      block.appellations.insert(block.appellations.end(), person.wanted_appellations.begin(),
                                person.wanted_appellations.end());
      appellation_count[k] = static_cast<std::uint32_t>(person.wanted_appellations.size());

      Hot& h = p.hot[k];
      h.available_from = person.available_from.days();
      h.jeune_until = NthBirthday(person.birth_date, model::kJeuneMaxAgeExclusive).days();
      h.senior_from = NthBirthday(person.birth_date, model::kSeniorMinAge).days();
      if (const auto days = model::DerogationValidity(person)) {
        h.derogation_from = days->first.days();
        h.derogation_to = days->last.days();
      }
      if (const auto days = model::DiagnosisValidity(person)) {
        h.diagnosis_from = days->first.days();
        h.diagnosis_to = days->last.days();
        h.diagnosed = DiagnosedCriteria(person).bits();
      }
      h.waiting_since = today - WaitingDays(person, options_.today);
      h.intervals_begin = static_cast<std::uint32_t>(block.intervals.size());  // within the block, until laid out
      for (const auto& proof : person.criteria) {
        if (model::Info(proof.criterion).proof != model::ProofKind::kDocument) continue;
        if (const auto days = model::ProofValidity(proof))
          block.intervals.push_back(
              {days->first.days(), days->last.days(), model::CriterionSet{proof.criterion}.bits()});
      }
      h.intervals_end = static_cast<std::uint32_t>(block.intervals.size());
      h.age_today = Prepared::Ages(h, today);
      h.open_proposals = person.open_proposals;
      h.hours_wanted = person.weekly_hours_wanted;
      h.licences = person.licences.bits();
      using S = model::ParticipantStatus;
      if (person.status == S::kWithdrawn) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kWithdrawn);
      if (person.status == S::kSuspended) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kSuspended);
      if (person.status == S::kPlaced) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kAlreadyPlaced);
      h.consent = person.consent ? 1 : 0;
      h.has_placements = p.placements[i].empty() ? 0 : 1;
      skills_->EmbedSkills(person.skills, {p.embeddings.data() + static_cast<std::size_t>(k) * p.dims, p.dims});
    }
    if (progress) {
      const std::lock_guard lock(progress_mutex);  // one call at a time, counts in order
      indexed += last - first;
      progress(indexed, slots);
    }
  });
  // The blocks' rows end to end: offsets by slot, then each block's items copied in place.
  auto lay_out = [&](auto& rows, const std::vector<std::uint32_t>& count, auto items_of) {
    rows.offsets.resize(static_cast<std::size_t>(slots) + 1);
    rows.offsets[0] = 0;
    for (std::uint32_t k = 0; k < slots; ++k) rows.offsets[k + 1] = rows.offsets[k] + count[k];
    rows.items.resize(rows.offsets[slots]);
    tbb::parallel_for(std::uint32_t{0}, block_count, [&](std::uint32_t b) {
      const auto& items = items_of(blocks[b]);
      std::copy(items.begin(), items.end(), rows.items.begin() + static_cast<std::ptrdiff_t>(rows.offsets[b * kBlock]));
    });
  };
  lay_out(
      p.skills, skill_count, [](const Block& b) -> const auto& { return b.skills; });
  lay_out(
      p.wanted, wanted_count, [](const Block& b) -> const auto& { return b.wanted; });
  lay_out(
      p.appellations, appellation_count, [](const Block& b) -> const auto& { return b.appellations; });
  std::vector<std::uint32_t> interval_base(block_count + 1, 0);
  for (std::uint32_t b = 0; b < block_count; ++b)
    interval_base[b + 1] = interval_base[b] + static_cast<std::uint32_t>(blocks[b].intervals.size());
  p.intervals.resize(interval_base[block_count]);
  tbb::parallel_for(std::uint32_t{0}, block_count, [&](std::uint32_t b) {
    std::copy(blocks[b].intervals.begin(), blocks[b].intervals.end(),
              p.intervals.begin() + static_cast<std::ptrdiff_t>(interval_base[b]));
    const std::uint32_t first = b * kBlock, last = std::min(slots, first + kBlock);
    for (std::uint32_t k = first; k < last; ++k) {
      p.hot[k].intervals_begin += interval_base[b];
      p.hot[k].intervals_end += interval_base[b];
    }
    Block().intervals.swap(blocks[b].intervals);
  });
  std::vector<Block>().swap(blocks);
  for (std::uint32_t k = 0; k < slots; ++k)
    if (p.slot_commune[k] != kNoCommune) p.residents[p.slot_commune[k]].push_back(k);

  // ROME structure: parent groups and mobility links by target.
  const auto fiches = ref_.fiches();
  p.parent_group.assign(fiches.size(), Referential::kNoIndex);
  std::unordered_map<model::RomeCode, std::uint32_t> group_of_parent;
  std::vector<std::vector<std::uint32_t>> groups;
  for (std::uint32_t f = 0; f < fiches.size(); ++f) {
    if (!fiches[f].parent.valid()) continue;
    auto [it, inserted] = group_of_parent.emplace(fiches[f].parent, static_cast<std::uint32_t>(groups.size()));
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(f);
    p.parent_group[f] = it->second;
  }
  for (const auto& g : groups) {
    p.groups.items.insert(p.groups.items.end(), g.begin(), g.end());
    p.groups.Close();
  }
  std::vector<std::vector<std::pair<std::uint32_t, int>>> into(fiches.size());
  for (std::uint32_t w = 0; w < fiches.size(); ++w)
    for (const auto& link : ref_.MobilityFrom(fiches[w].code))
      if (auto t = ref_.FicheIndex(link.target); t != Referential::kNoIndex) into[t].emplace_back(w, link.rank);
  for (const auto& list : into) {
    p.links_into.items.insert(p.links_into.items.end(), list.begin(), list.end());
    p.links_into.Close();
  }
}

Matcher::~Matcher() = default;

std::optional<model::GeoPoint> Matcher::HomeOf(std::uint32_t i) const {
  if (i >= prep_->home.size() || !prep_->has_home[i]) return std::nullopt;
  return prep_->home[i];
}

std::uint32_t Matcher::HomeCommuneOf(std::uint32_t i) const {
  return i < prep_->commune.size() ? prep_->commune[i] : kNoCommune;
}

std::optional<Matcher::OpeningPrep> Matcher::PrepareOpening(std::uint32_t opening_index) const {
  OpeningPrep op;
  op.index = opening_index;
  op.opening = &data_.openings[opening_index];
  const model::Opening& o = *op.opening;
  const auto contract = prep_->contract_index.find(o.contract);
  if (contract == prep_->contract_index.end()) return std::nullopt;
  op.contract = &data_.contracts[contract->second];
  const std::uint32_t raw = ref_.CommuneIndex(model::WorksiteCommune(*op.contract, o));
  op.commune = CityCommune(ref_, raw);
  const auto worksite = model::WorksiteOf(*op.contract, o, ref_);
  if (!worksite) return std::nullopt;
  op.worksite = *worksite;
  op.centre = SpatialGrid::MakeCentre(op.worksite);
  op.max_chord2 = SpatialGrid::ChordSquared(o.max_distance_km);
  op.hire = HireDate(o, options_.today);
  op.fiche = ref_.FicheIndex(o.fiche);
  if (op.fiche == Referential::kNoIndex)
    if (const auto* app = ref_.FindAppellation(o.appellation)) op.fiche = ref_.FicheIndex(app->fiche);
  op.profile = MakeSkillProfile(ref_, op.fiche, o.required_skills, options_.weights);
  if (op.fiche != Referential::kNoIndex) op.fiche_vector = skills_->FicheVector(op.fiche);
  op.priority = PriorityPublics(*op.contract, options_.weights);
  op.rules = RulesFor(*op.contract, o);
  op.query_radius_km =
      o.max_distance_km > 0.0 ? std::min(o.max_distance_km, prep_->max_radius_km) : prep_->max_radius_km;
  return op;
}

template <typename Visit>
void Matcher::ForEachInReach(const OpeningPrep& op, Visit&& visit) const {
  const Prepared& p = *prep_;
  const double max_distance = op.opening->max_distance_km;
  // limit = ReachLimitKm(radius, max distance), and its squared chord by the same branches.
  auto in_reach = [&](std::uint32_t k) {
    const bool own = max_distance <= 0.0 || p.radius[k] < max_distance;
    return p.grid.Within(k, op.centre, own ? p.radius[k] : max_distance, own ? p.chord2[k] : op.max_chord2);
  };
  p.grid.ForEachSlotInBox(op.worksite, op.query_radius_km, [&](std::uint32_t k) {
    if (in_reach(k)) visit(k, op.commune != kNoCommune && p.slot_commune[k] == op.commune);
  });
  if (op.commune == kNoCommune) return;
  auto it = p.residents.find(op.commune);
  if (it == p.residents.end()) return;
  for (std::uint32_t k : it->second)
    if (!in_reach(k)) visit(k, true);  // the worksite's commune, beyond the limit: not visited above
}

ReachResult Matcher::ReachOf(std::uint32_t k, const OpeningPrep& op, bool same_commune) const {
  const Prepared& p = *prep_;
  return {true, same_commune, p.grid.DistanceKm(k, op.centre), ReachLimitKm(p.radius[k], op.opening->max_distance_km)};
}

PlacementFacts Matcher::FactsFor(std::uint32_t i, const OpeningPrep& op) const {
  PlacementFacts facts;
  const model::Opening& o = *op.opening;
  const bool opening_open_ended = o.end < o.start;
  for (std::uint32_t k : prep_->placements[i]) {
    const model::Placement& pl = data_.placements[k];
    if (pl.opening == o.id) {
      facts.on_this_opening = true;
      continue;
    }
    if (!model::TakesAPosition(pl)) continue;
    const bool placement_open_ended = pl.end < pl.start;
    const bool starts_before_opening_ends = opening_open_ended || pl.start <= o.end;
    const bool ends_after_hire = placement_open_ended || pl.end >= op.hire;
    if (starts_before_opening_ends && ends_after_hire) facts.placed_during_opening = true;
  }
  return facts;
}

bool Matcher::FastVerdict(std::uint32_t k, const OpeningPrep& op, bool need_reason, EligibilityVerdict& v) const {
  using model::CriterionSet;
  const Prepared& p = *prep_;
  const Hot& h = p.hot[k];
  const std::int32_t hire = op.hire.days();
  const std::int32_t today = options_.today.days();
  v.hire_date = op.hire;
  v.basis = EligibilityBasis::kNone;
  v.matched = {};
  v.to_renew = {};
  v.refusal.reset();
  const auto at = p.CountedAt(h, hire, op.rules.iae_route, p.Documents(h, today, false));
  const std::uint32_t documents = at.documents, ages = at.ages, diagnosed = at.diagnosed;
  v.valid = CriterionSet::FromBits(at.valid);
  v.by_diagnosis = CriterionSet::FromBits(diagnosed & ~(documents | ages));
  v.provisional = CriterionSet::FromBits(at.renewable);
  auto refuse = [&](ExclusionReason r) {
    v.refusal = r;
    v.to_renew = {};
    return false;
  };
  using R = ExclusionReason;
  if (h.static_refusal != Hot::kNoRefusal) return refuse(static_cast<R>(h.static_refusal));
  if (h.has_placements) {
    const auto facts = FactsFor(p.participant[k], op);
    if (facts.placed_during_opening) return refuse(R::kAlreadyPlaced);
    if (facts.on_this_opening) return refuse(R::kAlreadyOnOpening);
  }
  if (!h.consent) return refuse(R::kNoConsent);
  if (h.available_from > hire) return refuse(R::kNotAvailable);
  const bool derogation = h.derogation_from <= hire && hire <= h.derogation_to;
  const PublicsDecision d = DecidePublics(v.valid, v.provisional, derogation, op.rules);
  v.basis = d.basis;
  v.matched = d.matched;
  v.to_renew = d.to_renew;
  if (v.basis == EligibilityBasis::kNone) {
    if (!need_reason) return refuse(R::kNoAcceptedPublic);
    const std::uint32_t non_age = documents | diagnosed | v.provisional.bits();
    if (hire != today &&
        PublicsBasis(CriterionSet::FromBits(non_age | h.age_today), derogation, op.rules) != EligibilityBasis::kNone)
      return refuse(R::kAgeAtHire);
    if (PublicsBasis(CriterionSet::FromBits(p.Documents(h, hire, true) | diagnosed | ages), h.derogation_from <= hire,
                     op.rules) != EligibilityBasis::kNone)
      return refuse(R::kProofExpired);
    return refuse(R::kNoAcceptedPublic);
  }
  if (d.not_qpv) return refuse(R::kNotQpvResident);
  if (!model::LicenceSet::FromBits(h.licences).covers(op.opening->required_licences)) return refuse(R::kMissingLicence);
  return true;
}

void Matcher::Spread(const OpeningPrep& op, OpeningScratch& s) const {
  const Prepared& p = *prep_;
  if (s.weight.size() != ref_.skills().size()) {
    s.weight.assign(ref_.skills().size(), 0.0);
    s.mark.assign(ref_.skills().size(), 0);
    s.rome.assign(ref_.fiches().size(), {});
  }
  const model::Skill* const base = ref_.skills().data();
  for (std::size_t k = 0; k < op.profile.weights.size(); ++k) {
    const auto* skill = ref_.FindSkill(op.profile.weights[k].first);  // never null: MakeSkillProfile filters
    const auto idx = static_cast<std::uint32_t>(skill - base);
    s.weight[idx] = op.profile.weights[k].second;
    s.mark[idx] = op.profile.core[k] ? 2 : 1;
    s.filled_skills.push_back(idx);
  }
  if (op.fiche == Referential::kNoIndex) return;
  // MatchRome's order: same fiche > same parent > mobility link (lowest rank).
  auto set = [&](std::uint32_t f, RomeRelation r, int rank) {
    if (s.rome[f].relation == RomeRelation::kNone) s.filled_fiches.push_back(f);
    s.rome[f] = {r, rank};
  };
  for (const auto& [w, rank] : p.links_into[op.fiche]) {
    const auto& cell = s.rome[w];
    if (cell.relation == RomeRelation::kNone || (cell.relation == RomeRelation::kMobility && rank < cell.rank))
      set(w, RomeRelation::kMobility, rank);
  }
  if (p.parent_group[op.fiche] != Referential::kNoIndex)
    for (std::uint32_t f : p.groups[p.parent_group[op.fiche]]) set(f, RomeRelation::kSameParent, 0);
  set(op.fiche, RomeRelation::kSameFiche, 0);
}

void Matcher::Clear(OpeningScratch& s) {
  for (auto idx : s.filled_skills) {
    s.weight[idx] = 0.0;
    s.mark[idx] = 0;
  }
  s.filled_skills.clear();
  for (auto f : s.filled_fiches) s.rome[f] = {};
  s.filled_fiches.clear();
}

RomeMatch Matcher::FastRome(std::uint32_t k, const OpeningPrep& op, const OpeningScratch& s) const {
  // The same answer as MatchRome, from the opening's table.
  const Prepared& p = *prep_;
  RomeMatch m;
  const auto apps = p.appellations[k];
  if (std::find(apps.begin(), apps.end(), op.opening->appellation) != apps.end()) {
    m.relation = RomeRelation::kSameAppellation;
    m.from_fiche = op.fiche;
    return m;
  }
  if (op.fiche == Referential::kNoIndex) return m;
  for (std::uint32_t w : p.wanted[k]) {
    const auto& cell = s.rome[w];
    if (cell.relation == RomeRelation::kSameFiche) return {RomeRelation::kSameFiche, 0, w};
    if (cell.relation == RomeRelation::kSameParent && m.relation != RomeRelation::kSameParent) {
      m = {RomeRelation::kSameParent, 0, w};
    } else if (cell.relation == RomeRelation::kMobility &&
               (m.relation == RomeRelation::kNone ||
                (m.relation == RomeRelation::kMobility && cell.rank < m.mobility_rank))) {
      m = {RomeRelation::kMobility, cell.rank, w};
    }
  }
  return m;
}

namespace {

// SkillOverlap on dense tables: the weights of the marked skills (mark 2: core or required) summed in
// the order of `skills`, which is the person's skills by skill code, as SkillOverlap sums them.
// `weight` is 0 wherever `mark` is 0, so the sum adds every entry without a branch: adding +0.0
// leaves a sum of non-negative weights unchanged, bit for bit.
Overlap DenseOverlap(std::span<const std::uint32_t> skills, const std::uint8_t* mark, const double* weight,
                     double total) {
  Overlap o;
  double shared = 0.0;
  for (auto idx : skills) {
    shared += weight[idx];
    o.matched += mark[idx] != 0 ? 1 : 0;
    o.matched_core += mark[idx] == 2 ? 1 : 0;
  }
  o.value = total > 0.0 ? std::clamp(shared / total, 0.0, 1.0) : 0.0;
  return o;
}

// A ROME relation as one number that orders as FastRome prefers them: same fiche > same parent >
// mobility link, a lower rank first (0: none). Ranks are clamped to [0, 0xffffff]; RelationValue
// gives every rank up to 1 the same value, and referential ranks are small.
std::uint32_t RomeKey(const Matcher::OpeningScratch::Rome& cell) {
  const auto rank = static_cast<std::uint32_t>(std::clamp(cell.rank, 0, 0xffffff));
  return cell.relation == RomeRelation::kNone ? 0u
                                              : (static_cast<std::uint32_t>(cell.relation) << 24) | (0xffffffu - rank);
}

// RelationValue of the relation a RomeKey stands for; `mobility` holds RelationValue of a mobility
// link by rank (computed once: it takes a power).
double RomeKeyValue(std::uint32_t key, std::span<const double> mobility, const ScoreWeights& w) {
  const auto relation = static_cast<RomeRelation>(key >> 24);
  if (relation != RomeRelation::kMobility) return RelationValue({relation, 0, 0}, w);
  const std::uint32_t rank = 0xffffffu - (key & 0xffffffu);
  return rank < mobility.size() ? mobility[rank] : RelationValue({relation, static_cast<int>(rank), 0}, w);
}

}  // namespace

PairInputs Matcher::FastInputs(std::uint32_t k, const OpeningPrep& op, const OpeningScratch& s,
                               const ReachResult& reach, const EligibilityVerdict& verdict, const double* embedding,
                               const Overlap* overlap) const {
  const Prepared& p = *prep_;
  const Hot& h = p.hot[k];
  PairInputs in;
  in.rome = FastRome(k, op, s);
  in.overlap =
      overlap != nullptr ? *overlap : DenseOverlap(p.skills[k], s.mark.data(), s.weight.data(), op.profile.total);

  if (embedding != nullptr)
    in.embedding = *embedding;
  else if (!op.fiche_vector.empty())
    in.embedding = SkillSpace::Similarity(p.Embedding(k), op.fiche_vector);
  in.reach = reach;
  in.priority_hits = verdict.counted() & op.priority;
  in.provisional_hits = verdict.provisional & op.priority;
  in.waiting_days = std::max(0, options_.today.days() - h.waiting_since);
  in.hours_wanted = h.hours_wanted;
  in.hours_offered = op.opening->weekly_hours;
  in.open_proposals = h.open_proposals;
  return in;
}

Shortlist Matcher::MakeShortlist(model::OpeningId opening_id, std::size_t k,
                                 std::span<const std::uint8_t> audience) const {
  const auto found = prep_->opening_index.find(opening_id);
  if (found == prep_->opening_index.end())
    throw std::out_of_range("unknown opening " + std::to_string(opening_id.value()));
  const auto op = PrepareOpening(found->second);
  if (!op)
    throw std::invalid_argument("opening " + std::to_string(opening_id.value()) +
                                ": its contract or worksite location cannot be resolved");
  const Prepared& p = *prep_;

  Shortlist s;
  s.opening = opening_id;
  s.hire_date = op->hire;
  const bool everyone = audience.empty();
  if (!everyone && audience.size() != data_.participants.size())
    throw std::invalid_argument("shortlist audience: one entry per participant expected");
  std::uint32_t no_location = p.no_location;
  if (everyone) {
    s.population = static_cast<std::uint32_t>(data_.participants.size());
  } else {
    no_location = 0;
    for (std::size_t i = 0; i < audience.size(); ++i)
      if (audience[i] != 0) {
        ++s.population;
        if (p.slot_of[i] == Prepared::kNoSlot) ++no_location;
      }
  }
  s.excluded[static_cast<std::size_t>(ExclusionReason::kNoLocation)] = no_location;

  struct Scored {
    std::uint32_t slot = 0;
    double score = 0.0;
    ReachResult reach;
  };
  std::vector<Scored> scored;
  OpeningScratch scratch;
  Spread(*op, scratch);
  EligibilityVerdict verdict;
  ForEachInReach(*op, [&](std::uint32_t slot, bool same_commune) {
    if (!everyone && audience[p.participant[slot]] == 0) return;
    ++s.in_reach;
    if (!FastVerdict(slot, *op, true, verdict)) {
      ++s.excluded[static_cast<std::size_t>(*verdict.refusal)];
      return;
    }
    const auto reach = ReachOf(slot, *op, same_commune);
    if (verdict.conditional()) ++s.conditional;
    scored.push_back({slot, Combine(FastInputs(slot, *op, scratch, reach, verdict), options_.weights).total, reach});
  });
  s.excluded[static_cast<std::size_t>(ExclusionReason::kOutOfReach)] = s.population - no_location - s.in_reach;
  s.eligible = static_cast<std::uint32_t>(scored.size());

  auto better = [&](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return data_.participants[p.participant[a.slot]].id < data_.participants[p.participant[b.slot]].id;
  };
  const std::size_t kept = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end(), better);
  scored.resize(kept);
  for (const auto& sc : scored) {
    const std::uint32_t i = p.participant[sc.slot];
    FastVerdict(sc.slot, *op, true, verdict);
    const auto in = FastInputs(sc.slot, *op, scratch, sc.reach, verdict);
    ShortlistEntry e;
    e.participant = data_.participants[i].id;
    e.participant_index = i;
    e.components = Combine(in, options_.weights);
    e.score = e.components.total;
    e.basis = verdict.basis;
    e.eligible_by = verdict.matched;
    e.conditions = verdict.conditions();
    e.provisional = verdict.provisional;
    e.distance_km = sc.reach.distance_km;
    e.same_commune = sc.reach.same_commune;
    e.reasons = BuildReasons(ref_, in, e.components, verdict, *op->opening);
    s.entries.push_back(std::move(e));
  }
  return s;
}

PairExplanation Matcher::Explain(std::uint32_t i, std::uint32_t j) const {
  if (i >= data_.participants.size() || j >= data_.openings.size())
    throw std::out_of_range("Explain: participant or opening index out of range");
  const auto op = PrepareOpening(j);
  if (!op) throw std::invalid_argument("opening: its contract or worksite location cannot be resolved");
  const model::Participant& person = data_.participants[i];
  PairExplanation x;
  x.verdict = CheckEligibility(person, *op->contract, *op->opening, options_.today, FactsFor(i, *op));
  if (!prep_->has_home[i]) {
    x.verdict.refusal = ExclusionReason::kNoLocation;
    x.verdict.to_renew = {};
    return x;
  }
  x.reach = Reach(prep_->home[i], prep_->commune[i], person.mobility_radius_km, op->worksite, op->commune,
                  op->opening->max_distance_km);
  if (!x.reach.in_reach) {
    x.verdict.refusal = ExclusionReason::kOutOfReach;
    x.verdict.to_renew = {};
    return x;
  }
  if (!x.verdict.eligible()) return x;
  x.conditions = x.verdict.conditions();
  // The reference path (model types only), independent of the compiled data of the hot loop.
  const auto in = PairInputsFor(ref_, *skills_, options_.weights, person, *op->contract, *op->opening, prep_->home[i],
                                prep_->commune[i], op->worksite, op->commune, x.verdict, options_.today);
  x.components = Combine(in, options_.weights);
  x.reasons = BuildReasons(ref_, in, x.components, x.verdict, *op->opening);
  return x;
}

Matcher::Publics Matcher::PublicsOf(std::uint32_t k, const OpeningPrep& op) const {
  const Prepared& p = *prep_;
  const Hot& h = p.hot[k];
  const auto at = p.CountedAt(h, op.hire.days(), op.rules.iae_route, p.Documents(h, options_.today.days(), false));
  return {at.valid | at.renewable, at.renewable};
}

std::optional<EligibilityVerdict> Matcher::CompiledVerdict(std::uint32_t i, std::uint32_t j) const {
  if (i >= data_.participants.size() || j >= data_.openings.size())
    throw std::out_of_range("CompiledVerdict: participant or opening index out of range");
  const auto op = PrepareOpening(j);
  if (!op) throw std::invalid_argument("opening: its contract or worksite location cannot be resolved");
  if (prep_->slot_of[i] == Prepared::kNoSlot) return std::nullopt;
  EligibilityVerdict v;
  FastVerdict(prep_->slot_of[i], *op, true, v);
  return v;
}

std::optional<PairExplanation> Matcher::Explain(model::ParticipantId participant, model::OpeningId opening) const {
  const auto i = prep_->participant_index.find(participant);
  const auto j = prep_->opening_index.find(opening);
  if (i == prep_->participant_index.end() || j == prep_->opening_index.end()) return std::nullopt;
  return Explain(i->second, j->second);
}

CandidateGraph Matcher::BuildCandidateGraph(const GraphOptions& options) const {
  CandidateGraph g;
  const auto n = static_cast<std::uint32_t>(data_.participants.size());
  g.participant_ids.reserve(n);
  for (const auto& person : data_.participants) g.participant_ids.push_back(person.id);

  // Positions already taken by accepted or hired placements.
  std::unordered_map<model::OpeningId, std::int32_t> taken;
  for (const auto& pl : data_.placements)
    if (model::TakesAPosition(pl)) ++taken[pl.opening];

  std::vector<OpeningPrep> ops;
  for (std::uint32_t j = 0; j < data_.openings.size(); ++j) {
    const auto& o = data_.openings[j];
    if (o.status != model::OpeningStatus::kOpen) continue;
    auto op = PrepareOpening(j);
    if (!op) {
      g.skipped_openings.push_back(o.id);
      continue;
    }
    ops.push_back(std::move(*op));
    g.opening_ids.push_back(o.id);
    g.opening_index.push_back(j);
  }
  const auto m = static_cast<std::uint32_t>(ops.size());
  AssignmentProblem& pr = g.problem;
  pr.num_participants = n;
  pr.num_openings = m;
  pr.positions.resize(m);
  for (std::uint32_t r = 0; r < m; ++r) {
    const auto it = taken.find(g.opening_ids[r]);
    pr.positions[r] = std::max(0, ops[r].opening->positions - (it == taken.end() ? 0 : it->second));
  }

  struct Candidate {
    double score;
    std::uint32_t participant;
    std::uint32_t counted;      // criteria counted at this opening's hire date (valid or provisional)
    std::uint32_t provisional;  // of which provisionally (a proof to renew before the hire)
  };

  // Openings of one worksite share the work: one scan of the grid for all of them, then each person
  // of that scan is taken once, against every opening of the worksite in turn (person-major), so
  // that the person's rows (Hot, intervals, skills, wanted fiches, embedding) are read once per
  // worksite rather than once per opening, and the distance and the cosine per fiche are computed
  // once. Each opening sees exactly the pairs, verdicts and scores of its own scan
  // (ForEachInReach, FastVerdict, FastInputs).
  std::vector<std::vector<CutEdge>> edges(m);
  std::vector<std::uint32_t> publics(n, 0xffffffffu);
  std::vector<std::uint32_t> provisional(n, 0u);
  g.opening_counts.assign(m, {});
  // Cuts a previous run already knows (GraphOptions::known) are taken as they are; the publics
  // their pairs count are folded in participant by participant once the CSR is built.
  std::vector<std::uint8_t> scan(m, 1);
  if (options.known) {
    for (std::uint32_t r = 0; r < m; ++r) {
      auto cut = options.known(ops[r].index);
      if (!cut) continue;
      for (const auto& e : cut->edges) {
        if (e.participant >= n) throw std::invalid_argument("known cut: participant out of range");
        if (prep_->slot_of[e.participant] == Prepared::kNoSlot)
          throw std::invalid_argument("known cut: participant without a location");
      }
      edges[r] = std::move(cut->edges);
      g.opening_counts[r] = cut->counts;
      scan[r] = 0;
      ++g.openings_reused;
    }
  }
  const Worksites sites = GroupByWorksite(ops, scan);
  if (options.progress && g.openings_reused > 0) options.progress(g.openings_reused, m);

  std::atomic<std::size_t> done{g.openings_reused};
  std::mutex progress_mutex;
  const Prepared& p = *prep_;
  constexpr std::uint32_t kNone = 0xffffffffu;
  constexpr std::size_t kChunk = 64;  // openings taken together: one bit each in `in_box`
  // Per opening of the chunk being built.
  struct Open {
    const OpeningPrep* op = nullptr;
    std::uint32_t fiche = kNone;  // column in the person's cosines, kNone without a fiche vector
    double threshold = -1.0;
    std::uint64_t pairs = 0, eligible = 0, conditional = 0;
    std::vector<Candidate> candidates;
    OpeningScratch scratch;
    std::vector<double> weight;       // the scratch's skill weights by column of the chunk's skills
    std::vector<std::uint8_t> mark;   // idem, the scratch's marks
    std::vector<std::uint32_t> rome;  // RomeKey of the scratch's relation by column of the chunk's fiches
    // What the pairs read of the opening, copied once.
    std::int32_t hire = 0;
    double max_distance = 0.0;
    double max_chord2 = 0.0;
    CompiledPublicsRules rules;
    bool iae_route = false;
    std::uint16_t licences = 0;  // required
    std::uint32_t priority = 0;  // priority publics' bits
    double hours_offered = 0.0;
  };
  // One per thread. The worksite's list: every slot of its widest grid box, then its commune's
  // residents outside that box.
  struct Work {
    std::vector<std::uint32_t> position;  // by slot: position in the worksite's list, kNone outside
    std::vector<std::uint32_t> slot;
    std::vector<std::uint8_t> same_commune;
    std::vector<std::uint64_t> in_box;       // by position: bit o set when in opening o's grid box
    std::vector<std::uint32_t> fiches;       // distinct fiches of the chunk
    std::vector<std::uint32_t> column;       // by referential skill: column among the chunk's skills, kNone
    std::vector<std::uint32_t> skills;       // the chunk's skills (referential indices)
    std::vector<std::uint32_t> person;       // the person's skills among them, as columns, in skill order
    std::vector<std::uint32_t> rome_column;  // by fiche: column among the chunk's related fiches, kNone
    std::vector<std::uint32_t> rome_fiches;  // the chunk's related fiches (fiche indices)
    std::vector<std::uint32_t> person_rome;  // the person's wanted fiches among them, as columns
    std::vector<Open> open;
  };
  tbb::enumerable_thread_specific<Work> works;
  const std::size_t cap = options.max_candidates_per_opening;
  // RelationValue of a mobility link by rank, computed once (it takes a power).
  std::vector<double> mobility_value;
  {
    int max_rank = 0;
    for (const auto& [fiche, rank] : p.links_into.items) max_rank = std::max(max_rank, rank);
    for (int rank = 0; rank <= std::min(max_rank, 1024); ++rank)
      mobility_value.push_back(RelationValue({RomeRelation::kMobility, rank, 0}, options_.weights));
  }
  const auto site_count = static_cast<std::uint32_t>(sites.ranges.size());
  tbb::parallel_for(
      tbb::blocked_range<std::uint32_t>(0, site_count, 1), [&](const tbb::blocked_range<std::uint32_t>& range) {
        Work& w = works.local();
        if (w.position.size() != p.participant.size()) w.position.assign(p.participant.size(), kNone);
        if (w.open.size() < kChunk) w.open.resize(kChunk);
        if (w.column.size() != ref_.skills().size()) w.column.assign(ref_.skills().size(), kNone);
        if (w.rome_column.size() != ref_.fiches().size()) w.rome_column.assign(ref_.fiches().size(), kNone);
        // The shortlist order: score desc, then participant id asc.
        auto better = [&](const Candidate& a, const Candidate& b) {
          if (a.score != b.score) return a.score > b.score;
          return data_.participants[a.participant].id < data_.participants[b.participant].id;
        };
        auto keep_best = [&](std::vector<Candidate>& list) {
          std::nth_element(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(cap - 1), list.end(), better);
          list.resize(cap);
        };
        std::array<double, kChunk> cosine{};
        // The chunk's reach limits, side by side, for the person's reach mask.
        std::array<double, kChunk> max_distances{};
        std::array<double, kChunk> max_chords2{};
        for (std::uint32_t si = range.begin(); si != range.end(); ++si) {
          const auto [site_first, site_last] = sites.ranges[si];
          const OpeningPrep& sop = ops[sites.openings[site_first]];
          double radius = 0.0;
          for (std::uint32_t q = site_first; q < site_last; ++q)
            radius = std::max(radius, ops[sites.openings[q]].query_radius_km);
          w.slot.clear();
          w.same_commune.clear();
          auto add = [&](std::uint32_t k, bool same) {
            w.position[k] = static_cast<std::uint32_t>(w.slot.size());
            w.slot.push_back(k);
            w.same_commune.push_back(same ? 1 : 0);
          };
          p.grid.ForEachSlotInBox(sop.worksite, radius, [&](std::uint32_t k) {
            add(k, sop.commune != kNoCommune && p.slot_commune[k] == sop.commune);
          });
          const std::vector<std::uint32_t>* residents = nullptr;
          if (sop.commune != kNoCommune)
            if (auto it = p.residents.find(sop.commune); it != p.residents.end()) residents = &it->second;
          if (residents != nullptr)
            for (std::uint32_t k : *residents)
              if (w.position[k] == kNone) add(k, true);
          const auto size = static_cast<std::uint32_t>(w.slot.size());

          for (std::uint32_t chunk = site_first; chunk < site_last; chunk += kChunk) {
            const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(kChunk, site_last - chunk));
            w.fiches.clear();
            w.in_box.assign(size, 0);
            for (std::uint32_t o = 0; o < count; ++o) {
              Open& x = w.open[o];
              x.op = &ops[sites.openings[chunk + o]];
              x.threshold = -1.0;
              x.pairs = x.eligible = x.conditional = 0;
              x.candidates.clear();
              x.fiche = kNone;
              x.hire = x.op->hire.days();
              x.max_distance = x.op->opening->max_distance_km;
              x.max_chord2 = x.op->max_chord2;
              max_distances[o] = x.max_distance;
              max_chords2[o] = x.max_chord2;
              x.rules = CompiledPublicsRules::From(x.op->rules);
              x.iae_route = x.op->rules.iae_route;
              x.licences = x.op->opening->required_licences.bits();
              x.priority = x.op->priority.bits();
              x.hours_offered = x.op->opening->weekly_hours;
              if (!x.op->fiche_vector.empty()) {
                auto it = std::find(w.fiches.begin(), w.fiches.end(), x.op->fiche);
                x.fiche = static_cast<std::uint32_t>(it - w.fiches.begin());
                if (it == w.fiches.end()) w.fiches.push_back(x.op->fiche);
              }
              Spread(*x.op, x.scratch);
              const std::uint64_t bit = std::uint64_t{1} << o;
              p.grid.ForEachSlotInBox(x.op->worksite, x.op->query_radius_km,
                                      [&](std::uint32_t k) { w.in_box[w.position[k]] |= bit; });
              for (std::uint32_t idx : x.scratch.filled_skills)
                if (w.column[idx] == kNone) {
                  w.column[idx] = static_cast<std::uint32_t>(w.skills.size());
                  w.skills.push_back(idx);
                }
              for (std::uint32_t f : x.scratch.filled_fiches)
                if (w.rome_column[f] == kNone) {
                  w.rome_column[f] = static_cast<std::uint32_t>(w.rome_fiches.size());
                  w.rome_fiches.push_back(f);
                }
            }
            // Each opening's skill table on the chunk's skills only: a person's overlaps then read a
            // few entries of small arrays rather than one large table per opening.
            for (std::uint32_t o = 0; o < count; ++o) {
              Open& x = w.open[o];
              x.weight.assign(w.skills.size(), 0.0);
              x.mark.assign(w.skills.size(), 0);
              for (std::uint32_t idx : x.scratch.filled_skills) {
                x.weight[w.column[idx]] = x.scratch.weight[idx];
                x.mark[w.column[idx]] = x.scratch.mark[idx];
              }
              // The same for the ROME relation: each opening's relations on the chunk's related fiches.
              x.rome.assign(w.rome_fiches.size(), 0u);
              for (std::uint32_t f : x.scratch.filled_fiches) x.rome[w.rome_column[f]] = RomeKey(x.scratch.rome[f]);
            }
            for (std::uint32_t at = 0; at < size; ++at) {
              const std::uint32_t k = w.slot[at];
              const bool same = w.same_commune[at] != 0;
              const double chord2 = p.grid.ChordSquaredTo(k, sop.centre);
              double distance = -1.0;  // computed once, when needed
              auto distance_km = [&] {
                if (distance < 0.0) distance = p.grid.DistanceKm(k, sop.centre);
                return distance;
              };
              // The whole km the score and its bound take (ShownKm), rounded once per person.
              double shown_km = -1.0;
              double shown_lower_km = -1.0;
              std::fill_n(cosine.begin(), w.fiches.size(), -1.0);
              bool person_ready = false;       // w.person, built when the person is first scored
              bool person_rome_ready = false;  // w.person_rome and apps, idem
              std::span<const model::AppellationCode> apps;
              // Refusals that do not depend on the opening, and the availability date: FastVerdict
              // refuses these pairs whatever else holds, so they are counted in reach without it.
              const Hot& h = p.hot[k];
              const bool refused = h.static_refusal != Hot::kNoRefusal || h.consent == 0;
              const double own_radius = p.radius[k];
              const double own_chord2 = p.chord2[k];
              const std::uint64_t in_box = w.in_box[at];
              // What FastVerdict and FastInputs take from the person alone, once per worksite.
              bool person_facts = false;
              std::uint32_t documents_today = 0;
              double waiting = 0.0, exposure = 0.0;
              // ForEachInReach for every opening of the chunk at once, as a mask: the grid box's slots
              // within the limit (SpatialGrid::Within), and the worksite commune's residents beyond it.
              // Without a branch per opening; only the pairs at the limit's edge (within its rounding
              // band) take the exact distance.
              std::uint64_t inside = 0;  // surely within the limit
              std::uint64_t edge = 0;    // within the limit or at its edge
              for (std::uint32_t o = 0; o < count; ++o) {
                const double max_distance = max_distances[o];
                const bool own = max_distance <= 0.0 || own_radius < max_distance;
                const double limit2 = own ? own_chord2 : max_chords2[o];
                const double band = 1e-9 * limit2 + 1e-20;
                inside |= static_cast<std::uint64_t>(chord2 < limit2 - band) << o;
                edge |= static_cast<std::uint64_t>(chord2 <= limit2 + band) << o;
              }
              for (std::uint64_t bits = edge & ~inside; bits != 0; bits &= bits - 1) {
                const auto o = static_cast<std::uint32_t>(std::countr_zero(bits));
                if (distance_km() <= ReachLimitKm(own_radius, max_distances[o])) inside |= std::uint64_t{1} << o;
              }
              const std::uint64_t chunk_mask = count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
              const std::uint64_t reached = ((inside & in_box) | (same ? ~inside : 0u)) & chunk_mask;
              for (std::uint64_t left = reached; left != 0; left &= left - 1) {
                const auto o = static_cast<std::uint32_t>(std::countr_zero(left));
                Open& x = w.open[o];
                const double max_distance = x.max_distance;
                ++x.pairs;
                if (refused || h.available_from > x.hire) continue;
                // FastVerdict on bits, as far as the graph needs it (eligible, subject to renewal, the
                // criteria counted): the tests hold the graph against CheckEligibility's oracle.
                if (!person_facts) {
                  documents_today = p.Documents(h, options_.today.days(), false);
                  waiting = WaitingComponent(options_.weights, std::max(0, options_.today.days() - h.waiting_since));
                  exposure = ExposureComponent(options_.weights, h.open_proposals);
                  person_facts = true;
                }
                if ((x.licences & ~h.licences) != 0) continue;
                const std::int32_t hire = x.hire;
                const auto at_hire = p.CountedAt(h, hire, x.iae_route, documents_today);
                const std::uint32_t valid = at_hire.valid;
                const std::uint32_t renewable = at_hire.renewable;
                const bool derogation = h.derogation_from <= hire && hire <= h.derogation_to;
                const auto outcome = x.rules.Decide(valid, renewable, derogation);
                if (outcome == CompiledPublicsRules::kRefused) continue;
                if (h.has_placements) {
                  const auto facts = FactsFor(p.participant[k], *x.op);
                  if (facts.placed_during_opening || facts.on_this_opening) continue;
                }
                ++x.eligible;
                if (outcome == CompiledPublicsRules::kSubjectToRenewal) ++x.conditional;
                const std::uint32_t counted = valid | renewable;
                // Combine's priority: the largest weight among the hits, in criterion order.
                double priority = 0.0;
                for (std::uint32_t bits = counted & x.priority; bits != 0; bits &= bits - 1) {
                  const double weight =
                      options_.weights.PriorityWeight(static_cast<model::Criterion>(std::countr_zero(bits)));
                  if (weight > priority) priority = weight;
                }
                const double hours = HoursComponent(h.hours_wanted, x.hours_offered);
                const double reach_limit = ReachLimitKm(own_radius, max_distance);
                // Once 4 × `cap` candidates are known, a pair whose score bound is below the cap-th best
                // score so far cannot enter the final cut: it is counted but not scored. The bound:
                // overlap and cosine at 1, the distance at its chord lower bound (less a micrometre:
                // the component rounds to whole km, so a bound an ulp above the exact distance must
                // not round up past it).
                // FastRome's relation, from the chunk's tables: the best key among the person's wanted
                // fiches (same fiche > same parent > mobility by lowest rank).
                if (!person_rome_ready) {
                  w.person_rome.clear();
                  for (std::uint32_t f : p.wanted[k])
                    if (w.rome_column[f] != kNone) w.person_rome.push_back(w.rome_column[f]);
                  apps = p.appellations[k];
                  person_rome_ready = true;
                }
                double relation = 0.0;
                if (std::find(apps.begin(), apps.end(), x.op->opening->appellation) != apps.end()) {
                  relation = options_.weights.same_appellation;
                } else {
                  std::uint32_t key = 0;
                  for (std::uint32_t column : w.person_rome) key = std::max(key, x.rome[column]);
                  relation = RomeKeyValue(key, mobility_value, options_.weights);
                }
                if (x.threshold > 0.0) {
                  if (shown_lower_km < 0.0)
                    shown_lower_km = ShownKm(std::max(0.0, model::kEarthRadiusKm * std::sqrt(chord2) - 1e-9));
                  const double bound = TotalScore(options_.weights, SkillFit(options_.weights, relation, 1.0, 1.0),
                                                  DistanceComponentShown(same, shown_lower_km, reach_limit), priority,
                                                  waiting, hours, exposure);
                  if (bound < x.threshold - 1e-9) continue;
                }
                double cos = 0.0;
                if (x.fiche != kNone) {
                  if (cosine[x.fiche] < 0.0)
                    cosine[x.fiche] = SkillSpace::Similarity(p.Embedding(k), x.op->fiche_vector);
                  cos = cosine[x.fiche];
                }
                if (!person_ready) {
                  w.person.clear();
                  for (std::uint32_t idx : p.skills[k])
                    if (w.column[idx] != kNone) w.person.push_back(w.column[idx]);
                  person_ready = true;
                }
                const Overlap overlap = DenseOverlap(w.person, x.mark.data(), x.weight.data(), x.op->profile.total);
                if (shown_km < 0.0) shown_km = ShownKm(distance_km());
                const double score =
                    TotalScore(options_.weights, SkillFit(options_.weights, relation, overlap.value, cos),
                               DistanceComponentShown(same, shown_km, reach_limit), priority, waiting, hours, exposure);
                x.candidates.push_back({score, p.participant[k], counted, renewable});
                if (cap > 0 && x.candidates.size() >= 4 * cap) {
                  keep_best(x.candidates);
                  x.threshold = x.candidates[cap - 1].score;
                }
              }
            }
            for (std::uint32_t o = 0; o < count; ++o) {
              Open& x = w.open[o];
              Clear(x.scratch);
              if (o + 1 == count) {
                for (std::uint32_t idx : w.skills) w.column[idx] = kNone;
                w.skills.clear();
                for (std::uint32_t f : w.rome_fiches) w.rome_column[f] = kNone;
                w.rome_fiches.clear();
              }
              if (cap > 0 && x.candidates.size() > cap) keep_best(x.candidates);
              const std::uint32_t r = sites.openings[chunk + o];
              g.opening_counts[r] = {x.pairs, x.eligible, x.conditional};
              auto& out = edges[r];
              out.reserve(x.candidates.size());
              for (const auto& c : x.candidates) {
                out.push_back({c.participant, static_cast<std::int32_t>(std::lround(c.score * kWeightScale))});
                std::atomic_ref<std::uint32_t>(publics[c.participant]).fetch_and(c.counted, std::memory_order_relaxed);
                std::atomic_ref<std::uint32_t>(provisional[c.participant])
                    .fetch_or(c.provisional, std::memory_order_relaxed);
              }
              const std::size_t now = done.fetch_add(1) + 1;
              if (options.progress && (now % 64 == 0 || now == m)) {
                std::lock_guard lock(progress_mutex);
                options.progress(now, m);
              }
            }
          }
          for (std::uint32_t k : w.slot) w.position[k] = kNone;
        }
      });
  for (const auto& c : g.opening_counts) {
    g.pairs_in_reach += c.pairs_in_reach;
    g.pairs_eligible += c.pairs_eligible;
    g.pairs_conditional += c.pairs_conditional;
  }

  // Counting sort into CSR by participant; within a participant, edges by increasing opening.
  pr.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& list : edges)
    for (const auto& e : list) ++pr.offsets[e.participant + 1];
  for (std::uint32_t i = 0; i < n; ++i) pr.offsets[i + 1] += pr.offsets[i];
  pr.targets.resize(pr.offsets[n]);
  pr.weights.resize(pr.offsets[n]);
  std::vector<std::uint64_t> cursor(pr.offsets.begin(), pr.offsets.end() - 1);
  for (std::uint32_t r = 0; r < m; ++r) {
    for (const auto& e : edges[r]) {
      const std::uint64_t at = cursor[e.participant]++;
      pr.targets[at] = r;
      pr.weights[at] = e.weight;
    }
    std::vector<CutEdge>().swap(edges[r]);
  }
  std::vector<std::vector<CutEdge>>().swap(edges);

  // Publics: criteria counted at the hire date of every opening the participant is a candidate
  // for (so a quota never counts someone outside its public at their hire), renewable ones
  // provisionally; without candidates, criteria valid today.
  // The pairs of reused cuts are taken here, by participant: the person's rows are read once for
  // all of their pairs (by cut, each pair was a cache miss on them: seconds on the region).
  pr.participant_publics.resize(n);
  pr.participant_provisional.assign(n, 0u);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 1024), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i) {
      if (g.openings_reused > 0)
        for (auto e = pr.offsets[i]; e < pr.offsets[i + 1]; ++e) {
          const std::uint32_t o = pr.targets[e];
          if (scan[o] != 0) continue;
          const Publics pair = PublicsOf(prep_->slot_of[i], ops[o]);
          publics[i] &= pair.counted;
          provisional[i] |= pair.provisional;
        }
      const bool none = pr.offsets[i] == pr.offsets[i + 1];
      pr.participant_publics[i] = none ? ValidCriteriaAt(data_.participants[i], options_.today).bits() : publics[i];
      pr.participant_provisional[i] = none ? 0u : provisional[i] & publics[i];
    }
  });

  // Quotas: per contract, over its openings in the batch.
  std::unordered_map<model::ContractId, std::vector<std::uint32_t>> by_contract;
  for (std::uint32_t r = 0; r < m; ++r) by_contract[ops[r].contract->id].push_back(r);
  for (std::uint32_t ci = 0; ci < data_.contracts.size(); ++ci) {
    const auto& c = data_.contracts[ci];
    auto it = by_contract.find(c.id);
    if (c.quotas.empty() || it == by_contract.end()) continue;
    std::int64_t total = 0, remaining = 0;
    for (auto r : it->second) {
      total += ops[r].opening->positions;
      remaining += pr.positions[r];
    }
    for (const auto& q : c.quotas) {
      // Positions already given to this public (accepted/hired): the person counted for it at entry
      // (model::CriteriaAtEntry: the placement's snapshot, provisional criteria included as for the
      // proposals; without one, the criteria valid at its start).
      std::int64_t credited = 0;
      for (const auto& pl : data_.placements) {
        if (pl.contract != c.id) continue;
        if (!model::TakesAPosition(pl)) continue;
        const auto pi = prep_->participant_index.find(pl.participant);
        const model::Participant* person =
            pi != prep_->participant_index.end() ? &data_.participants[pi->second] : nullptr;
        if (model::CriteriaAtEntry(pl, person).contains(q.public_criterion)) ++credited;
      }
      const auto by_share = static_cast<std::int64_t>(std::ceil(q.min_share * static_cast<double>(total) - 1e-9));
      const std::int64_t need = std::max<std::int64_t>(q.min_positions, by_share) - credited;
      QuotaGroup group;
      group.openings = it->second;
      group.public_bit = static_cast<std::uint32_t>(q.public_criterion);
      group.min_count = static_cast<std::int32_t>(std::clamp<std::int64_t>(need, 0, remaining));
      group.contract_index = ci;
      pr.quotas.push_back(std::move(group));
    }
  }
  return g;
}

std::uint64_t Matcher::MemoryBytes() const {
  const Prepared& p = *prep_;
  std::uint64_t bytes = p.grid.MemoryBytes() + skills_->MemoryBytes();
  bytes += p.home.capacity() * sizeof(model::GeoPoint) + p.has_home.capacity() + p.commune.capacity() * 4 +
           p.placements.Bytes() + p.participant.capacity() * 4 + p.slot_commune.capacity() * 4 +
           p.slot_of.capacity() * 4 + p.radius.capacity() * 8 + p.chord2.capacity() * 8 +
           p.hot.capacity() * sizeof(Hot) + p.skills.Bytes() + p.wanted.Bytes() + p.appellations.Bytes() +
           p.embeddings.capacity() * 4 + p.intervals.capacity() * sizeof(Interval) + p.parent_group.capacity() * 4 +
           p.groups.Bytes() + p.links_into.Bytes();
  for (const auto& [commune, list] : p.residents) bytes += list.capacity() * 4 + 32;
  return bytes;
}

}  // namespace clausematch::matcher
