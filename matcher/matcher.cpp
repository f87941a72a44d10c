#include "matcher/matcher.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

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

// Per-participant data of the hot loop: the eligibility rules compiled to day numbers and bits
// (the same answers as CheckEligibility, which stays the reference; the tests compare them).
struct Hot {
  std::int32_t available_from = 0;
  std::int32_t jeune_until = 0;  // first day aged 26: jeune while day < jeune_until
  std::int32_t senior_from = 0;  // first day aged 50
  std::int32_t derogation_from = std::numeric_limits<std::int32_t>::max();  // none: empty interval
  std::int32_t derogation_to = std::numeric_limits<std::int32_t>::min();
  std::int32_t waiting_since = 0;
  std::uint32_t intervals_begin = 0;
  std::uint32_t intervals_end = 0;
  std::uint32_t age_today = 0;  // age criteria bits as of today (for kAgeAtHire)
  std::uint16_t licences = 0;
  std::uint8_t static_refusal = kNoRefusal;  // withdrawn / suspended / status placed
  std::uint8_t consent = 0;
  std::uint8_t has_placements = 0;
  static constexpr std::uint8_t kNoRefusal = 0xff;
};

// A document proof as an interval of days [from, to] during which its criterion holds.
struct Interval {
  std::int32_t from = 0;
  std::int32_t to = 0;
  std::uint32_t bit = 0;
};

struct Matcher::Prepared {
  std::vector<model::GeoPoint> home;  // per participant, meaningful when has_home
  std::vector<std::uint8_t> has_home;
  std::vector<std::uint32_t> commune;  // folded commune index or kNoCommune
  std::vector<std::uint32_t> located;  // grid point -> participant index
  SpatialGrid grid;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> residents;  // commune -> participants
  std::uint32_t no_location = 0;
  double max_radius_km = 0.0;

  std::vector<Hot> hot;
  std::vector<Interval> intervals;
  std::vector<std::uint64_t> skill_offsets;  // CSR: referential skill indices, by increasing skill code
  std::vector<std::uint32_t> skill_items;
  std::vector<std::uint32_t> wanted_offsets;  // CSR: wanted fiche indices per participant
  std::vector<std::uint32_t> wanted_items;
  std::vector<float> embeddings;  // participants × dims
  std::size_t dims = 0;
  std::vector<std::uint32_t> placement_offsets;  // CSR: placement indices per participant
  std::vector<std::uint32_t> placement_items;
  std::unordered_map<model::ContractId, std::uint32_t> contract_index;
  std::unordered_map<model::OpeningId, std::uint32_t> opening_index;
  std::unordered_map<model::ParticipantId, std::uint32_t> participant_index;

  [[nodiscard]] std::span<const std::uint32_t> Skills(std::uint32_t i) const {
    return {skill_items.data() + skill_offsets[i], skill_items.data() + skill_offsets[i + 1]};
  }
  [[nodiscard]] std::span<const std::uint32_t> Wanted(std::uint32_t i) const {
    return {wanted_items.data() + wanted_offsets[i], wanted_items.data() + wanted_offsets[i + 1]};
  }
  [[nodiscard]] std::span<const float> Embedding(std::uint32_t i) const {
    return {embeddings.data() + static_cast<std::size_t>(i) * dims, dims};
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
};

// The opening's skill profile spread over the referential's skills, so that a participant's
// overlap costs one lookup per skill. One per thread, cleared after each opening.
struct Matcher::DenseProfile {
  std::vector<double> weight;      // by referential skill index
  std::vector<std::uint8_t> mark;  // 0 absent, 1 present, 2 present and core or required
  std::vector<std::uint32_t> filled;
};

struct Matcher::OpeningPrep {
  std::uint32_t index = 0;
  const model::Opening* opening = nullptr;
  const model::Contract* contract = nullptr;
  model::GeoPoint worksite;
  std::uint32_t commune = kNoCommune;
  model::Date hire;
  std::uint32_t fiche = Referential::kNoIndex;
  SkillProfile profile;
  std::span<const float> fiche_vector;
  model::CriterionSet priority;
  double query_radius_km = 0.0;
};

Matcher::Matcher(const Referential& ref, const model::Dataset& data, MatcherOptions options,
                 std::shared_ptr<const SkillSpace> skills)
    : ref_(ref),
      data_(data),
      options_(std::move(options)),
      skills_(std::move(skills)),
      prep_(std::make_unique<Prepared>()) {
  if (auto errors = options_.weights.Validate(); !errors.empty())
    throw std::invalid_argument("invalid score weights: " + errors.front());
  if (!skills_) skills_ = std::make_shared<const SkillSpace>(ref_);
  if (data_.participants.size() >= 0xffffffffu || data_.openings.size() >= 0xffffffffu)
    throw std::length_error("Matcher: too many participants or openings");
  Prepared& p = *prep_;
  const auto n = static_cast<std::uint32_t>(data_.participants.size());
  p.home.resize(n);
  p.has_home.assign(n, 0);
  p.commune.assign(n, kNoCommune);
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
    p.located.push_back(i);
    points.push_back(p.home[i]);
    if (p.commune[i] != kNoCommune) p.residents[p.commune[i]].push_back(i);
    if (std::isfinite(person.mobility_radius_km))
      p.max_radius_km = std::max(p.max_radius_km, person.mobility_radius_km);
  }
  p.grid = SpatialGrid(points);

  p.skill_offsets.assign(n + 1, 0);
  p.wanted_offsets.assign(n + 1, 0);
  p.dims = static_cast<std::size_t>(skills_->dims());
  p.embeddings.assign(static_cast<std::size_t>(n) * p.dims, 0.0f);
  const model::Skill* const skill_base = ref_.skills().data();
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto& person = data_.participants[i];
    std::vector<model::SkillCode> s = person.skills;
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    for (auto code : s)
      if (const auto* skill = ref_.FindSkill(code))
        p.skill_items.push_back(static_cast<std::uint32_t>(skill - skill_base));
    p.skill_offsets[i + 1] = p.skill_items.size();
    const auto w = WantedFicheIndices(ref_, person);
    p.wanted_items.insert(p.wanted_items.end(), w.begin(), w.end());
    p.wanted_offsets[i + 1] = static_cast<std::uint32_t>(p.wanted_items.size());
  }
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 512), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i)
      skills_->EmbedSkills(data_.participants[i].skills,
                           {p.embeddings.data() + static_cast<std::size_t>(i) * p.dims, p.dims});
  });

  auto& index_of = p.participant_index;
  index_of.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) index_of.emplace(data_.participants[i].id, i);
  for (std::uint32_t c = 0; c < data_.contracts.size(); ++c) p.contract_index.emplace(data_.contracts[c].id, c);
  for (std::uint32_t j = 0; j < data_.openings.size(); ++j) p.opening_index.emplace(data_.openings[j].id, j);
  p.placement_offsets.assign(n + 1, 0);
  std::vector<std::uint32_t> owner(data_.placements.size(), Referential::kNoIndex);
  for (std::size_t k = 0; k < data_.placements.size(); ++k)
    if (auto it = index_of.find(data_.placements[k].participant); it != index_of.end()) {
      owner[k] = it->second;
      ++p.placement_offsets[it->second + 1];
    }
  for (std::uint32_t i = 0; i < n; ++i) p.placement_offsets[i + 1] += p.placement_offsets[i];
  p.placement_items.resize(p.placement_offsets[n]);
  std::vector<std::uint32_t> cursor(p.placement_offsets.begin(), p.placement_offsets.end() - 1);
  for (std::size_t k = 0; k < owner.size(); ++k)
    if (owner[k] != Referential::kNoIndex) p.placement_items[cursor[owner[k]]++] = static_cast<std::uint32_t>(k);

  // Eligibility compiled to days and bits.
  p.hot.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto& person = data_.participants[i];
    Hot& h = p.hot[i];
    h.available_from = person.available_from.days();
    h.jeune_until = NthBirthday(person.birth_date, model::kJeuneMaxAgeExclusive).days();
    h.senior_from = NthBirthday(person.birth_date, model::kSeniorMinAge).days();
    if (person.derogation) {
      h.derogation_from = person.derogation->granted_on.days();
      h.derogation_to = person.derogation->granted_on.AddMonths(model::kDiagnosisValidityMonths).days();
    }
    h.waiting_since = options_.today.days() - WaitingDays(person, options_.today);
    h.intervals_begin = static_cast<std::uint32_t>(p.intervals.size());
    for (const auto& proof : person.criteria) {
      const auto& info = model::Info(proof.criterion);
      if (info.proof != model::ProofKind::kDocument || !proof.proof_date) continue;
      p.intervals.push_back({proof.proof_date->days(), proof.proof_date->AddMonths(info.validity_months).days(),
                             model::CriterionSet{proof.criterion}.bits()});
    }
    h.intervals_end = static_cast<std::uint32_t>(p.intervals.size());
    h.age_today = Prepared::Ages(h, options_.today.days());
    h.licences = person.licences.bits();
    using S = model::ParticipantStatus;
    if (person.status == S::kWithdrawn) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kWithdrawn);
    if (person.status == S::kSuspended) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kSuspended);
    if (person.status == S::kPlaced) h.static_refusal = static_cast<std::uint8_t>(ExclusionReason::kAlreadyPlaced);
    h.consent = person.consent ? 1 : 0;
    h.has_placements = p.placement_offsets[i] != p.placement_offsets[i + 1] ? 1 : 0;
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
  const std::uint32_t raw =
      ref_.CommuneIndex(o.worksite_insee.empty() ? op.contract->worksite_insee : o.worksite_insee);
  op.commune = CityCommune(ref_, raw);
  if (o.worksite_location) {
    op.worksite = *o.worksite_location;
  } else if (raw != Referential::kNoIndex) {
    op.worksite = ref_.communes()[raw].centre;
  } else if (o.worksite_insee.empty() && op.contract->worksite_location) {
    op.worksite = *op.contract->worksite_location;
  } else {
    return std::nullopt;
  }
  op.hire = HireDate(o, options_.today);
  op.fiche = ref_.FicheIndex(o.fiche);
  if (op.fiche == Referential::kNoIndex)
    if (const auto* app = ref_.FindAppellation(o.appellation)) op.fiche = ref_.FicheIndex(app->fiche);
  op.profile = MakeSkillProfile(ref_, op.fiche, o.required_skills, options_.weights);
  if (op.fiche != Referential::kNoIndex) op.fiche_vector = skills_->FicheVector(op.fiche);
  op.priority = PriorityPublics(*op.contract, options_.weights);
  op.query_radius_km =
      o.max_distance_km > 0.0 ? std::min(o.max_distance_km, prep_->max_radius_km) : prep_->max_radius_km;
  return op;
}

template <typename Visit>
void Matcher::ForEachInReach(const OpeningPrep& op, Visit&& visit) const {
  const Prepared& p = *prep_;
  const double max_distance = op.opening->max_distance_km;
  p.grid.ForEachWithin(op.worksite, op.query_radius_km, [&](std::uint32_t k, double d) {
    const std::uint32_t i = p.located[k];
    const double limit = ReachLimitKm(data_.participants[i].mobility_radius_km, max_distance);
    if (d <= limit) visit(i, ReachResult{true, p.commune[i] == op.commune && op.commune != kNoCommune, d, limit});
  });
  if (op.commune == kNoCommune) return;
  auto it = p.residents.find(op.commune);
  if (it == p.residents.end()) return;
  for (std::uint32_t i : it->second) {
    const double d = model::HaversineKm(p.home[i], op.worksite);
    const double limit = ReachLimitKm(data_.participants[i].mobility_radius_km, max_distance);
    if (!(d <= limit)) visit(i, ReachResult{true, true, d, limit});  // not already visited by the grid
  }
}

PlacementFacts Matcher::FactsFor(std::uint32_t i, const OpeningPrep& op) const {
  PlacementFacts facts;
  const Prepared& p = *prep_;
  const model::Opening& o = *op.opening;
  const bool opening_open_ended = o.end < o.start;
  for (std::uint32_t k = p.placement_offsets[i]; k < p.placement_offsets[i + 1]; ++k) {
    const model::Placement& pl = data_.placements[p.placement_items[k]];
    if (pl.opening == o.id) {
      facts.on_this_opening = true;
      continue;
    }
    if (pl.status != model::PlacementStatus::kAccepted && pl.status != model::PlacementStatus::kHired) continue;
    const bool placement_open_ended = pl.end < pl.start;
    const bool starts_before_opening_ends = opening_open_ended || pl.start <= o.end;
    const bool ends_after_hire = placement_open_ended || pl.end >= op.hire;
    if (starts_before_opening_ends && ends_after_hire) facts.placed_during_opening = true;
  }
  return facts;
}

bool Matcher::FastVerdict(std::uint32_t i, const OpeningPrep& op, bool need_reason, EligibilityVerdict& v) const {
  const Prepared& p = *prep_;
  const Hot& h = p.hot[i];
  const std::int32_t hire = op.hire.days();
  v.hire_date = op.hire;
  v.basis = EligibilityBasis::kNone;
  v.matched = {};
  v.refusal.reset();
  const std::uint32_t documents = p.Documents(h, hire, false);
  v.valid = model::CriterionSet::FromBits(documents | Prepared::Ages(h, hire));
  auto refuse = [&](ExclusionReason r) {
    v.refusal = r;
    return false;
  };
  using R = ExclusionReason;
  if (h.static_refusal != Hot::kNoRefusal) return refuse(static_cast<R>(h.static_refusal));
  if (h.has_placements) {
    const auto facts = FactsFor(i, op);
    if (facts.placed_during_opening) return refuse(R::kAlreadyPlaced);
    if (facts.on_this_opening) return refuse(R::kAlreadyOnOpening);
  }
  if (!h.consent) return refuse(R::kNoConsent);
  if (h.available_from > hire) return refuse(R::kNotAvailable);
  const bool derogation = h.derogation_from <= hire && hire <= h.derogation_to;
  v.basis = PublicsBasis(v.valid, derogation, *op.contract, &v.matched);
  if (v.basis == EligibilityBasis::kNone) {
    if (!need_reason) return refuse(R::kNoAcceptedPublic);
    using model::CriterionSet;
    if (hire != options_.today.days() && PublicsBasis(CriterionSet::FromBits(documents | h.age_today), derogation,
                                                      *op.contract) != EligibilityBasis::kNone)
      return refuse(R::kAgeAtHire);
    if (PublicsBasis(CriterionSet::FromBits(p.Documents(h, hire, true) | Prepared::Ages(h, hire)),
                     h.derogation_from <= hire, *op.contract) != EligibilityBasis::kNone)
      return refuse(R::kProofExpired);
    return refuse(R::kNoAcceptedPublic);
  }
  if (op.contract->qpv_only && !v.valid.contains(model::Criterion::kQpv)) return refuse(R::kNotQpvResident);
  if (!model::LicenceSet::FromBits(h.licences).covers(op.opening->required_licences)) return refuse(R::kMissingLicence);
  return true;
}

void Matcher::Spread(const OpeningPrep& op, DenseProfile& dense) const {
  const std::size_t skills = ref_.skills().size();
  if (dense.weight.size() != skills) {
    dense.weight.assign(skills, 0.0);
    dense.mark.assign(skills, 0);
    dense.filled.clear();
  }
  const model::Skill* const base = ref_.skills().data();
  for (std::size_t k = 0; k < op.profile.weights.size(); ++k) {
    const auto* skill = ref_.FindSkill(op.profile.weights[k].first);  // never null: MakeSkillProfile filters
    const auto idx = static_cast<std::uint32_t>(skill - base);
    dense.weight[idx] = op.profile.weights[k].second;
    dense.mark[idx] = op.profile.core[k] ? 2 : 1;
    dense.filled.push_back(idx);
  }
}

void Matcher::Clear(DenseProfile& dense) {
  for (auto idx : dense.filled) {
    dense.weight[idx] = 0.0;
    dense.mark[idx] = 0;
  }
  dense.filled.clear();
}

PairInputs Matcher::FastInputs(std::uint32_t i, const OpeningPrep& op, const DenseProfile& dense,
                               const ReachResult& reach, const EligibilityVerdict& verdict) const {
  const Prepared& p = *prep_;
  const model::Participant& person = data_.participants[i];
  PairInputs in;
  in.rome = MatchRome(ref_, person.wanted_appellations, p.Wanted(i), op.opening->appellation, op.fiche);
  // Same sum, in the same order (by skill code), as SkillOverlap on the sorted profile.
  double shared = 0.0;
  for (auto idx : p.Skills(i)) {
    if (!dense.mark[idx]) continue;
    shared += dense.weight[idx];
    ++in.overlap.matched;
    in.overlap.matched_core += dense.mark[idx] == 2 ? 1 : 0;
  }
  in.overlap.value = op.profile.total > 0.0 ? std::clamp(shared / op.profile.total, 0.0, 1.0) : 0.0;
  if (!op.fiche_vector.empty()) in.embedding = SkillSpace::Similarity(p.Embedding(i), op.fiche_vector);
  in.reach = reach;
  in.priority_hits = verdict.valid & op.priority;
  in.waiting_days = std::max(0, options_.today.days() - p.hot[i].waiting_since);
  in.hours_wanted = person.weekly_hours_wanted;
  in.hours_offered = op.opening->weekly_hours;
  in.open_proposals = person.open_proposals;
  return in;
}

Shortlist Matcher::MakeShortlist(model::OpeningId opening_id, std::size_t k) const {
  const auto found = prep_->opening_index.find(opening_id);
  if (found == prep_->opening_index.end())
    throw std::out_of_range("unknown opening " + std::to_string(opening_id.value()));
  const auto op = PrepareOpening(found->second);
  if (!op)
    throw std::invalid_argument("opening " + std::to_string(opening_id.value()) +
                                ": its contract or worksite location cannot be resolved");

  Shortlist s;
  s.opening = opening_id;
  s.hire_date = op->hire;
  s.population = static_cast<std::uint32_t>(data_.participants.size());
  s.excluded[static_cast<std::size_t>(ExclusionReason::kNoLocation)] = prep_->no_location;

  struct Scored {
    std::uint32_t index;
    double score;
    ReachResult reach;
  };
  std::vector<Scored> scored;
  DenseProfile dense;
  Spread(*op, dense);
  EligibilityVerdict verdict;
  ForEachInReach(*op, [&](std::uint32_t i, const ReachResult& reach) {
    ++s.in_reach;
    if (!FastVerdict(i, *op, true, verdict)) {
      ++s.excluded[static_cast<std::size_t>(*verdict.refusal)];
      return;
    }
    scored.push_back({i, Combine(FastInputs(i, *op, dense, reach, verdict), options_.weights).total, reach});
  });
  s.excluded[static_cast<std::size_t>(ExclusionReason::kOutOfReach)] = s.population - prep_->no_location - s.in_reach;
  s.eligible = static_cast<std::uint32_t>(scored.size());

  auto better = [&](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return data_.participants[a.index].id < data_.participants[b.index].id;
  };
  const std::size_t kept = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end(), better);
  scored.resize(kept);
  for (const auto& sc : scored) {
    const model::Participant& person = data_.participants[sc.index];
    FastVerdict(sc.index, *op, true, verdict);
    const auto in = FastInputs(sc.index, *op, dense, sc.reach, verdict);
    ShortlistEntry e;
    e.participant = person.id;
    e.participant_index = sc.index;
    e.components = Combine(in, options_.weights);
    e.score = e.components.total;
    e.basis = verdict.basis;
    e.eligible_by = verdict.matched;
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
    return x;
  }
  x.reach = Reach(prep_->home[i], prep_->commune[i], person.mobility_radius_km, op->worksite, op->commune,
                  op->opening->max_distance_km);
  if (!x.reach.in_reach) {
    x.verdict.refusal = ExclusionReason::kOutOfReach;
    return x;
  }
  if (!x.verdict.eligible()) return x;
  // The reference path (model types only), independent of the compiled data of the hot loop.
  const auto in = PairInputsFor(ref_, *skills_, options_.weights, person, *op->contract, *op->opening, prep_->home[i],
                                prep_->commune[i], op->worksite, op->commune, x.verdict, options_.today);
  x.components = Combine(in, options_.weights);
  x.reasons = BuildReasons(ref_, in, x.components, x.verdict, *op->opening);
  return x;
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
    if (pl.status == model::PlacementStatus::kAccepted || pl.status == model::PlacementStatus::kHired)
      ++taken[pl.opening];

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

  struct Edge {
    std::uint32_t participant;
    std::int32_t weight;
  };
  std::vector<std::vector<Edge>> edges(m);
  std::vector<std::uint32_t> publics(n, 0xffffffffu);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  tbb::enumerable_thread_specific<DenseProfile> dense_profiles;
  std::atomic<std::uint64_t> pairs_in_reach{0};
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, m, 4), [&](const tbb::blocked_range<std::uint32_t>& range) {
    DenseProfile& dense = dense_profiles.local();
    EligibilityVerdict verdict;
    std::uint64_t pairs = 0;
    for (std::uint32_t r = range.begin(); r != range.end(); ++r) {
      const OpeningPrep& op = ops[r];
      auto& out = edges[r];
      Spread(op, dense);
      ForEachInReach(op, [&](std::uint32_t i, const ReachResult& reach) {
        ++pairs;
        if (!FastVerdict(i, op, false, verdict)) return;
        const double score = Combine(FastInputs(i, op, dense, reach, verdict), options_.weights).total;
        out.push_back({i, static_cast<std::int32_t>(std::lround(score * kWeightScale))});
        std::atomic_ref<std::uint32_t>(publics[i]).fetch_and(verdict.valid.bits(), std::memory_order_relaxed);
      });
      Clear(dense);
      const std::size_t now = done.fetch_add(1) + 1;
      if (options.progress && (now % 64 == 0 || now == m)) {
        std::lock_guard lock(progress_mutex);
        options.progress(now, m);
      }
    }
    pairs_in_reach += pairs;
  });
  g.pairs_in_reach = pairs_in_reach.load();

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
    std::vector<Edge>().swap(edges[r]);
  }

  // Publics: criteria valid at the hire date of every opening the participant is a candidate
  // for (so a quota never counts someone outside its public at their hire); without candidates,
  // criteria valid today.
  pr.participant_publics.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 1024), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i)
      pr.participant_publics[i] = pr.offsets[i] == pr.offsets[i + 1]
                                      ? ValidCriteriaAt(data_.participants[i], options_.today).bits()
                                      : publics[i];
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
      // Positions already given to this public (accepted/hired, public valid at the placement start).
      std::int64_t credited = 0;
      for (const auto& pl : data_.placements) {
        if (pl.contract != c.id) continue;
        if (pl.status != model::PlacementStatus::kAccepted && pl.status != model::PlacementStatus::kHired) continue;
        if (auto pi = prep_->participant_index.find(pl.participant); pi != prep_->participant_index.end())
          if (ValidCriteriaAt(data_.participants[pi->second], pl.start).contains(q.public_criterion)) ++credited;
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
           p.located.capacity() * 4 + p.skill_offsets.capacity() * 8 + p.skill_items.capacity() * 4 +
           p.wanted_offsets.capacity() * 4 + p.wanted_items.capacity() * 4 + p.embeddings.capacity() * 4 +
           p.placement_offsets.capacity() * 4 + p.placement_items.capacity() * 4;
  for (const auto& [commune, list] : p.residents) bytes += list.capacity() * 4 + 32;
  return bytes;
}

}  // namespace clausematch::matcher
