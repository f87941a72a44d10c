// Incremental batch runs (service::RunBatch with a previous run, `clausematch batch --previous`):
// on seeded random instances to which contracts are added after a first run, the warm run's
// graph equals the cold run's opening by opening, and its optimum is the cold run's, certified;
// a previous run whose shared inputs changed, or whose file is missing or damaged, gives a cold
// run that says why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "data/binary_io.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "lifecycle/placements.hpp"
#include "matcher/matcher.hpp"
#include "model/geo.hpp"
#include "model/worksite.hpp"
#include "service/batch.hpp"
#include "tests/api/cli_runner.hpp"
#include "tests/matcher/instance_edits.hpp"
#include "tests/matcher/random_instance.hpp"

namespace clausematch::service {
namespace {

namespace fs = std::filesystem;
namespace as = matcher::assignment;
using matcher::testing::RandomInstance;
using matcher::testing::RandomInstanceOptions;
using matcher::testing::WithContractsOf;

const model::Referential& Ref() {
  static const auto kRef = data::LoadReferential(CLAUSEMATCH_SOURCE_DIR "/data/reference");
  return *kRef;
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("clausematch_incremental_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A run and the state it keeps, built from the run's source as the doors build it once they have
// answered.
struct Kept : BatchReport {
  std::optional<BatchState> state;
};
Kept RunKeeping(const model::Dataset& data, const BatchParams& params, PreviousRun* previous = nullptr) {
  Kept run{RunBatch(Ref(), data, params, {}, previous), std::nullopt};
  if (run.state_source) run.state = BuildBatchState(*std::exchange(run.state_source, std::nullopt));
  return run;
}

BatchParams Params(const RandomInstanceOptions& opt, std::size_t cap) {
  BatchParams params;
  params.as_of = opt.today;
  params.max_candidates = cap;
  params.keep_state = true;
  return params;
}

// A first run (keeping its state) on the seeded instance of `opt`.
struct FirstRun {
  explicit FirstRun(const RandomInstanceOptions& o, std::size_t cap = 1000)
      : opt(o), params(Params(o, cap)), data(RandomInstance(Ref(), o)), report(RunKeeping(data, params)) {}
  RandomInstanceOptions opt;
  BatchParams params;
  model::Dataset data;
  Kept report;
};

RandomInstanceOptions Seed(std::uint64_t seed, std::uint32_t openings_per_contract = 3) {
  RandomInstanceOptions opt;
  opt.seed = seed;
  opt.openings_per_contract = openings_per_contract;
  return opt;
}

// The state through its file, as a later run reads it.
PreviousRun ThroughTheFile(const BatchState& state, const fs::path& dir) {
  SaveBatchState(state, (dir / kBatchStateFile).string());
  return ReadPreviousRun(dir.string());
}

void ExpectSameCuts(const BatchState& a, const BatchState& b) {
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_TRUE(a.participants == b.participants);
  ASSERT_EQ(a.openings.size(), b.openings.size());
  for (std::size_t r = 0; r < a.openings.size(); ++r) {
    const auto& x = a.openings[r];
    const auto& y = b.openings[r];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.fingerprint, y.fingerprint) << "opening " << x.id.value();
    EXPECT_EQ(x.cut.counts, y.cut.counts) << "opening " << x.id.value();
    EXPECT_EQ(x.cut.edges, y.cut.edges) << "opening " << x.id.value();
  }
}

void ExpectSameOptimum(const BatchReport& warm, const BatchReport& cold) {
  EXPECT_TRUE(cold.result.certificate.optimal) << cold.result.certificate.Verdict();
  EXPECT_TRUE(warm.result.certificate.optimal) << warm.result.certificate.Verdict();
  EXPECT_EQ(warm.result.status, cold.result.status);
  EXPECT_EQ(warm.result.bound.objective, cold.result.bound.objective);
  EXPECT_EQ(warm.result.bound.proven, cold.result.bound.proven);
  EXPECT_EQ(warm.result.filled, cold.result.filled);
  EXPECT_EQ(warm.result.total_weight, cold.result.total_weight);
  EXPECT_EQ(warm.summary.candidate_pairs, cold.summary.candidate_pairs);
  EXPECT_EQ(warm.summary.pairs_in_reach, cold.summary.pairs_in_reach);
  EXPECT_EQ(warm.summary.pairs_eligible, cold.summary.pairs_eligible);
  EXPECT_EQ(warm.summary.optimality.shortfall, cold.summary.optimality.shortfall);
}

struct Case {
  std::uint64_t seed;
  std::uint32_t participants;
  std::uint32_t contracts;
  std::uint32_t openings_per_contract;
  std::size_t cap;
  as::ObjectiveMode mode;
};

class WarmRun : public ::testing::TestWithParam<Case> {};

TEST_P(WarmRun, EqualsTheColdRunOnTheGrownData) {
  const Case c = GetParam();
  RandomInstanceOptions opt;
  opt.seed = c.seed;
  opt.participants = c.participants;
  opt.contracts = c.contracts;
  opt.openings_per_contract = c.openings_per_contract;
  auto params = Params(opt, c.cap);
  params.mode = c.mode;
  const model::Dataset before = RandomInstance(Ref(), opt);
  const Kept first = RunKeeping(before, params);
  ASSERT_TRUE(first.state.has_value());
  ASSERT_GT(first.state->num_edges(), 0u);

  TempDir dir("warm" + std::to_string(c.seed));
  PreviousRun previous = ThroughTheFile(*first.state, dir.path());
  ASSERT_TRUE(previous.state.has_value()) << previous.unreadable;
  ExpectSameCuts(*previous.state, *first.state);
  EXPECT_EQ(previous.state->opening_of, first.state->opening_of);
  EXPECT_EQ(previous.state->participant_price, first.state->participant_price);
  EXPECT_EQ(previous.state->in_quota_class, first.state->in_quota_class);
  EXPECT_EQ(previous.state->multipliers, first.state->multipliers);
  for (const auto& m : first.state->multipliers) EXPECT_GT(m.lambda, 0);  // only the groups that need one

  // Contracts open (about 10 % more), and one opening of the first run changes.
  auto extra = opt;
  extra.seed = c.seed + 500;
  extra.contracts = std::max<std::uint32_t>(1, c.contracts / 10);
  model::Dataset after = WithContractsOf(before, RandomInstance(Ref(), extra));
  for (auto& o : after.openings)
    if (o.status == model::OpeningStatus::kOpen) {
      o.weekly_hours += 5;
      break;
    }
  const Kept cold = RunKeeping(after, params);
  const Kept warm = RunKeeping(after, params, &previous);
  const auto& inc = warm.summary.incremental;
  EXPECT_EQ(inc.previous, "used") << inc.reason;
  EXPECT_TRUE(inc.reason.empty());
  EXPECT_GT(inc.openings_reused, 0u);
  EXPECT_GT(inc.openings_new, 0u);
  EXPECT_EQ(inc.openings_changed, 1u);
  EXPECT_EQ(inc.openings_reused + inc.openings_new + inc.openings_changed, warm.summary.openings);
  EXPECT_EQ(cold.summary.incremental.previous, "none");
  ASSERT_TRUE(warm.state && cold.state);
  ExpectSameCuts(*warm.state, *cold.state);  // the graph, edge for edge
  ExpectSameOptimum(warm, cold);
  // The network method starts from the previous prices, the Lagrangian one from the previous
  // multipliers when the previous search needed any.
  if (warm.result.bound.method == "network" || !first.state->multipliers.empty()) {
    EXPECT_EQ(inc.solver_start, "warm") << inc.solver_note;
    EXPECT_TRUE(inc.solver_note.empty()) << inc.solver_note;
  } else {
    EXPECT_EQ(inc.solver_start, "cold");
    EXPECT_NE(inc.solver_note.find("no multiplier"), std::string::npos) << inc.solver_note;
  }
}

// Three openings per contract give side quota groups (the Lagrangian method, started from the
// previous multipliers); one per contract leaves network groups only, so the solver starts from
// the previous prices.
INSTANTIATE_TEST_SUITE_P(Seeded, WarmRun,
                         ::testing::Values(Case{11, 400, 30, 3, 1000, as::ObjectiveMode::kFillThenScore},
                                           Case{12, 500, 40, 1, 4, as::ObjectiveMode::kFillThenScore},
                                           Case{13, 300, 30, 1, 1000, as::ObjectiveMode::kScore},
                                           Case{14, 350, 20, 2, 2, as::ObjectiveMode::kScore}));

// Runs on `after` warm (from `before`'s state, through its file) and cold: the same graph, edge
// for edge, and the same certified optimum. Returns the warm run.
Kept ExpectWarmEqualsCold(const BatchParams& params, const BatchState& before, const model::Dataset& after,
                          const std::string& name) {
  TempDir dir(name);
  PreviousRun previous = ThroughTheFile(before, dir.path());
  EXPECT_TRUE(previous.state.has_value()) << previous.unreadable;
  Kept warm = RunKeeping(after, params, &previous);
  const Kept cold = RunKeeping(after, params);
  const auto& inc = warm.summary.incremental;
  EXPECT_EQ(inc.previous, "used") << inc.reason;
  EXPECT_EQ(inc.openings_reused + inc.openings_new + inc.openings_changed + inc.openings_near_changes,
            warm.summary.openings);
  EXPECT_TRUE(warm.state && cold.state);
  if (warm.state && cold.state) ExpectSameCuts(*warm.state, *cold.state);
  ExpectSameOptimum(warm, cold);
  EXPECT_EQ(warm.result.certificate.Verdict(), cold.result.certificate.Verdict());
  EXPECT_EQ(warm.summary.optimality.bound, cold.summary.optimality.bound);
  return warm;
}

// The facilitator accepts some of the first run's proposals (lifecycle::AcceptProposals: they
// become placements), those of people with a radius of at most `max_radius` km, at most `count`.
// One at a time: a hire the lifecycle refuses (e.g. a route the contract does not allow) is
// skipped, as a facilitator would move on to the next proposal.
std::vector<model::ParticipantId> AcceptSome(model::Dataset& data, const BatchReport& first, model::Date today,
                                             std::size_t count, double max_radius) {
  std::vector<model::ParticipantId> people;
  for (const auto& pr : first.proposals) {
    if (people.size() == count) break;
    const auto& person = data.participants[pr.participant];
    if (person.mobility_radius_km > max_radius) continue;
    lifecycle::Acceptance a;
    a.opening = data.openings[pr.opening].id;
    a.participant = person.id;
    a.decided_on = today;
    a.employer = "Employeur test";  // required for hires through an SIAE, a GEIQ, ... (the contract's type)
    const auto id = person.id;
    const auto report = lifecycle::AcceptProposals(data, std::span(&a, 1));
    if (!report.problems.empty()) continue;  // all or nothing: the data is unchanged
    EXPECT_EQ(report.created.size(), 1u);
    people.push_back(id);
  }
  data.Index();
  return people;
}

// Open openings of `after`, present and unchanged in `before`, whose worksite no version of the
// `people` can reach (farther than their radius plus 1 km, another commune): an incremental run
// must take their cuts. Counted here from the records (model::HaversineKm), not from the state.
std::uint32_t FarFromEveryone(const model::Dataset& before, const model::Dataset& after,
                              const std::vector<model::ParticipantId>& people) {
  struct Origin {
    model::GeoPoint home;
    double radius;
    std::uint32_t commune;
  };
  std::vector<Origin> origins;
  for (const auto* d : {&before, &after})
    for (const auto id : people) {
      const auto* p = d->FindParticipant(id);
      if (p == nullptr) continue;
      const auto commune = matcher::CityCommune(Ref(), p->commune_insee);
      const auto raw = Ref().CommuneIndex(p->commune_insee);
      if (p->location)
        origins.push_back({*p->location, p->mobility_radius_km, commune});
      else if (raw != model::Referential::kNoIndex)
        origins.push_back({Ref().communes()[raw].centre, p->mobility_radius_km, commune});
    }
  std::uint32_t far = 0;
  for (const auto& o : after.openings) {
    if (o.status != model::OpeningStatus::kOpen) continue;
    const auto* old = before.FindOpening(o.id);
    const auto* contract = after.FindContract(o.contract);
    const auto* old_contract = before.FindContract(o.contract);
    if (old == nullptr || contract == nullptr || old_contract == nullptr ||
        FingerprintOpening(*old_contract, *old) != FingerprintOpening(*contract, o))
      continue;
    const auto worksite = model::WorksiteOf(*contract, o, Ref());
    if (!worksite) continue;
    const auto commune = matcher::CityCommune(Ref(), model::WorksiteCommune(*contract, o));
    bool near = false;
    for (const auto& x : origins)
      near = near || model::HaversineKm(x.home, *worksite) <= x.radius + 1.0 ||
             (commune != matcher::kNoCommune && commune == x.commune);
    if (!near) ++far;
  }
  return far;
}

struct Decisions {
  std::uint64_t seed;
  std::size_t cap;
  as::ObjectiveMode mode;
  std::uint32_t openings_per_contract;
};

class WarmAfterDecisions : public ::testing::TestWithParam<Decisions> {
 protected:
  void SetUp() override {
    const auto c = GetParam();
    opt.seed = c.seed;
    opt.participants = 500;
    opt.contracts = 40;
    opt.openings_per_contract = c.openings_per_contract;
    params = Params(opt, c.cap);
    params.mode = c.mode;
    params.rescan_all_above = 1.0;  // the cuts far from the changes are reused whatever their share
    before = RandomInstance(Ref(), opt);
    first = RunKeeping(before, params);
    ASSERT_TRUE(first.state.has_value());
    ASSERT_GT(first.proposals.size(), 10u);
  }
  std::string Name(const char* what) const { return std::string(what) + std::to_string(GetParam().seed); }
  RandomInstanceOptions opt;
  BatchParams params;
  model::Dataset before;
  Kept first;
};

// (a) Proposals accepted: their people changed (their placements), the openings in their reach
// are scanned again, the far ones keep their cuts.
TEST_P(WarmAfterDecisions, AcceptedProposals) {
  model::Dataset after = before;
  const auto people = AcceptSome(after, first, opt.today, 3, 10.0);
  ASSERT_EQ(people.size(), 3u);
  const auto warm = ExpectWarmEqualsCold(params, *first.state, after, Name("accepted"));
  const auto& inc = warm.summary.incremental;
  EXPECT_EQ(inc.participants_changed, 3u);
  EXPECT_EQ(inc.participants_added + inc.participants_removed, 0u);
  EXPECT_GT(inc.openings_near_changes, 0u);
  EXPECT_LT(inc.openings_near_changes + inc.openings_changed, warm.summary.openings);
  const auto far = FarFromEveryone(before, after, people);
  EXPECT_GT(far, 0u);
  EXPECT_GE(inc.openings_reused, far);
  // The positions the placements took are out of the problem.
  EXPECT_LT(warm.summary.positions, first.summary.positions);
}

// (b) Profiles edited by a prescriber: one moves, one gains a criterion and loses another, one
// gains skills and a wanted trade, one gets a wider radius.
TEST_P(WarmAfterDecisions, EditedProfiles) {
  model::Dataset after = before;
  std::vector<model::ParticipantId> people;
  auto& moved = after.participants[7];
  moved.location = model::GeoPoint{50.63, 3.06};  // Lille
  moved.commune_insee = "59350";
  auto& criteria = after.participants[40];
  criteria.criteria.push_back({model::Criterion::kRsa, opt.today.AddDays(-30), "CAF-59"});
  if (after.participants[41].criteria.size() > 0) after.participants[41].criteria.pop_back();
  auto& skills = after.participants[90];
  for (const auto& other : after.participants)
    if (skills.skills.size() < 12)
      for (auto code : other.skills) skills.skills.push_back(code);
  if (!after.participants[3].wanted_appellations.empty())
    skills.wanted_appellations.push_back(after.participants[3].wanted_appellations.front());
  after.participants[120].mobility_radius_km += 15;
  for (const auto i : {7, 40, 41, 90, 120}) people.push_back(after.participants[i].id);
  const auto warm = ExpectWarmEqualsCold(params, *first.state, after, Name("edited"));
  const auto& inc = warm.summary.incremental;
  EXPECT_GE(inc.participants_changed, 4u);
  EXPECT_LE(inc.participants_changed, 5u);
  EXPECT_GT(inc.openings_near_changes, 0u);
  EXPECT_GE(inc.openings_reused, FarFromEveryone(before, after, people));
}

// (e) Most openings near a change (every third person edited; more than half of the openings, the
// share set here, is enough to let the cuts go): the run lets the previous cuts go
// and scans every opening, says so, and still gives the cold run's graph and optimum.
TEST_P(WarmAfterDecisions, MostOpeningsNearChangesScanThemAll) {
  model::Dataset after = before;
  for (std::size_t i = 0; i < after.participants.size(); i += 3) after.participants[i].mobility_radius_km += 5;
  params.rescan_all_above = 0.5;
  const auto warm = ExpectWarmEqualsCold(params, *first.state, after, Name("most"));
  const auto& inc = warm.summary.incremental;
  EXPECT_EQ(inc.openings_reused, 0u);
  EXPECT_EQ(inc.reason.rfind("cuts not reused: ", 0), 0u) << inc.reason;
  EXPECT_EQ(inc.openings_near_changes + inc.openings_changed + inc.openings_new, warm.summary.openings);
}

// (c) People arrive (at the front: every position moves) and leave: the reused cuts are renumbered
// by id, the solver's warm start follows the ids.
TEST_P(WarmAfterDecisions, AddedAndRemovedParticipants) {
  model::Dataset after = before;
  std::vector<model::ParticipantId> people;
  std::uint32_t next_id = 0;
  for (const auto& p : after.participants) next_id = std::max(next_id, p.id.value() + 1);
  // Two leave (one of them proposed by the first run), their placements stay in the data.
  const auto leaving_proposed = before.participants[first.proposals[1].participant].id;
  people.push_back(leaving_proposed);
  people.push_back(after.participants[200].id);
  std::erase_if(after.participants,
                [&](const model::Participant& p) { return p.id == people[0] || p.id == people[1]; });
  // Three arrive, copies of others moved a little, first in the list.
  for (const auto i : {5, 60, 310}) {
    model::Participant p = before.participants[i];
    p.id = model::ParticipantId(next_id++);
    p.location = model::GeoPoint{50.5 + 0.01 * i / 10, 3.1};
    after.participants.insert(after.participants.begin(), p);
    people.push_back(p.id);
  }
  after.Index();
  const auto warm = ExpectWarmEqualsCold(params, *first.state, after, Name("added"));
  const auto& inc = warm.summary.incremental;
  EXPECT_EQ(inc.participants_added, 3u);
  EXPECT_EQ(inc.participants_removed, 2u);
  EXPECT_EQ(inc.participants_changed, 0u);
  EXPECT_GT(inc.openings_reused, 0u);
  EXPECT_GE(inc.openings_reused, FarFromEveryone(before, after, people));
  if (warm.result.bound.method == "network") {
    EXPECT_EQ(inc.solver_start, "warm") << inc.solver_note;
  }
}

// (d) All of it at once, with new contracts and one opening changed.
TEST_P(WarmAfterDecisions, CombinedWithNewContracts) {
  model::Dataset after = before;
  ASSERT_EQ(AcceptSome(after, first, opt.today, 4, 1000.0).size(), 4u);
  after.participants[11].skills.clear();
  after.participants[12].location = model::GeoPoint{50.36, 3.52};  // Valenciennes
  after.participants.erase(after.participants.begin() + 13);
  model::Participant arriving = before.participants[14];
  arriving.id = model::ParticipantId(990000);
  after.participants.insert(after.participants.begin() + 2, arriving);
  after.Index();
  auto extra = opt;
  extra.seed = opt.seed + 700;
  extra.contracts = 4;
  after = WithContractsOf(after, RandomInstance(Ref(), extra));
  for (auto& o : after.openings)
    if (o.status == model::OpeningStatus::kOpen && o.id.value() < 1000000) {
      o.weekly_hours += 3;
      break;
    }
  const auto warm = ExpectWarmEqualsCold(params, *first.state, after, Name("combined"));
  const auto& inc = warm.summary.incremental;
  EXPECT_GT(inc.openings_new, 0u);
  EXPECT_GE(inc.openings_changed, 1u);
  EXPECT_EQ(inc.participants_added, 1u);
  EXPECT_EQ(inc.participants_removed, 1u);
  EXPECT_GE(inc.participants_changed, 5u);  // four accepted, two edited (an accepted one may be edited too)
}

INSTANTIATE_TEST_SUITE_P(Seeded, WarmAfterDecisions,
                         ::testing::Values(Decisions{41, 1000, as::ObjectiveMode::kFillThenScore, 1},
                                           Decisions{42, 5, as::ObjectiveMode::kFillThenScore, 3},
                                           Decisions{43, 3, as::ObjectiveMode::kScore, 2}));

// A state of another version (2: one fingerprint for all the participants) is refused: cold.
TEST(BatchStateFile, AnOlderVersionIsRefusedByName) {
  const FirstRun setup(Seed(33, 1));
  TempDir dir("version");
  const auto file = dir.path() / kBatchStateFile;
  SaveBatchState(*setup.report.state, file.string());
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8);
    const std::uint32_t two = 2;
    f.write(reinterpret_cast<const char*>(&two), sizeof two);
  }
  PreviousRun old = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(old.state.has_value());
  EXPECT_NE(old.unreadable.find("version 2, this build reads 3"), std::string::npos) << old.unreadable;
}

TEST(WarmRun, WithoutNewContractsTakesEveryCutAndTheSameOptimum) {
  const FirstRun setup(Seed(21, 1));
  const auto& [opt, params, d, first] = setup;
  PreviousRun previous{first.state, ""};
  const Kept again = RunKeeping(d, params, &previous);
  EXPECT_EQ(again.summary.incremental.openings_reused, again.summary.openings);
  EXPECT_EQ(again.summary.incremental.openings_new + again.summary.incremental.openings_changed, 0u);
  ExpectSameOptimum(again, first);
  EXPECT_EQ(again.summary.incremental.solver_start, "warm") << again.summary.incremental.solver_note;
}

// BuildBatchState (a transpose of the run's pairs by opening, in parallel blocks) against a plain
// one: each opening's cut holds the pairs whose target it is, participants in increasing order,
// with the run's weights, counts, fingerprints and assignment; for a cold run and a warm one (reused
// cuts renumbered: people added first in the list).
TEST(StateSource, BuildsThePlainTransposeOfTheRunsPairs) {
  for (const std::uint32_t openings_per_contract : {1u, 3u}) {
    SCOPED_TRACE(openings_per_contract);
    const FirstRun setup(Seed(24, openings_per_contract));
    const auto& [opt, first_params, before, first] = setup;
    auto params = first_params;
    params.rescan_all_above = 1.0;  // the cuts far from the people added are reused
    auto extra = opt;
    extra.seed = 524;
    extra.contracts = 3;
    model::Dataset after = WithContractsOf(before, RandomInstance(Ref(), extra));
    std::uint32_t next_id = 0;
    for (const auto& p : before.participants) next_id = std::max(next_id, p.id.value() + 1);
    for (const auto i : {5, 60}) {  // two people arrive, first in the list: the others renumbered
      model::Participant p = before.participants[i];
      p.id = model::ParticipantId(next_id++);
      after.participants.insert(after.participants.begin(), p);
    }
    after.Index();
    struct Variant {
      const model::Dataset* data;
      bool warm;
    };
    for (const Variant run : {Variant{&before, false}, Variant{&after, true}}) {
      SCOPED_TRACE(run.warm ? "warm" : "cold");
      PreviousRun kept{first.state, ""};
      const BatchReport report = RunBatch(Ref(), *run.data, params, {}, run.warm ? &kept : nullptr);
      if (run.warm) {
        EXPECT_EQ(report.summary.incremental.previous, "used") << report.summary.incremental.reason;
        EXPECT_GT(report.summary.incremental.openings_reused, 0u);
        EXPECT_EQ(report.summary.incremental.participants_added, 2u);
      }
      ASSERT_TRUE(report.state_source.has_value());
      const BatchStateSource& source = *report.state_source;
      ASSERT_FALSE(source.targets.empty());
      const BatchState state = BuildBatchState(source);
      EXPECT_EQ(state.inputs, source.inputs);
      EXPECT_TRUE(state.participants == source.participants);
      EXPECT_EQ(state.inputs.participant_count, run.data->participants.size());
      ASSERT_EQ(state.openings.size(), source.opening_ids.size());
      std::vector<std::vector<matcher::CutEdge>> plain(source.opening_ids.size());
      for (std::size_t i = 0; i + 1 < source.offsets.size(); ++i)
        for (auto e = source.offsets[i]; e < source.offsets[i + 1]; ++e)
          plain.at(source.targets[e]).push_back({static_cast<std::uint32_t>(i), source.weights[e]});
      std::uint64_t pairs = 0;
      for (std::size_t r = 0; r < state.openings.size(); ++r) {
        const auto& o = state.openings[r];
        EXPECT_EQ(o.id, source.opening_ids[r]);
        EXPECT_EQ(o.fingerprint, source.opening_fingerprints[r]);
        EXPECT_EQ(o.cut.counts, source.opening_counts[r]);
        EXPECT_EQ(o.cut.edges, plain[r]) << "opening " << o.id.value();
        pairs += o.cut.edges.size();
      }
      EXPECT_EQ(pairs, source.targets.size());
      EXPECT_EQ(state.opening_of, source.opening_of);
      EXPECT_EQ(state.participant_price, source.participant_price);
      EXPECT_EQ(state.in_quota_class, source.in_quota_class);
      EXPECT_EQ(state.multipliers, source.multipliers);
      // Through its file, the state a later run reads.
      TempDir dir("source");
      const PreviousRun read = ThroughTheFile(state, dir.path());
      ASSERT_TRUE(read.state.has_value()) << read.unreadable;
      ExpectSameCuts(*read.state, state);
    }
  }
}

// Pairs that do not match the participants or the openings are refused, not written.
TEST(StateSource, RefusesPairsThatDoNotMatch) {
  const FirstRun setup(Seed(25, 1));
  const BatchReport run = RunBatch(Ref(), setup.data, setup.params);
  ASSERT_TRUE(run.state_source.has_value());
  ASSERT_FALSE(run.state_source->targets.empty());
  EXPECT_NO_THROW(BuildBatchState(*run.state_source));
  auto wrong_opening = *run.state_source;
  wrong_opening.targets.back() = static_cast<std::uint32_t>(wrong_opening.opening_ids.size());
  EXPECT_THROW(BuildBatchState(std::move(wrong_opening)), std::invalid_argument);
  auto fewer_people = *run.state_source;
  fewer_people.offsets.pop_back();
  EXPECT_THROW(BuildBatchState(std::move(fewer_people)), std::invalid_argument);
  auto short_weights = *run.state_source;
  short_weights.weights.pop_back();
  EXPECT_THROW(BuildBatchState(std::move(short_weights)), std::invalid_argument);
}

TEST(WarmRun, AnOpeningGoneIsCountedAndLeftOut) {
  const FirstRun setup(Seed(22));
  const auto& [opt, params, before, first] = setup;
  model::Dataset after = before;
  int closed = 0;
  for (auto& o : after.openings)
    if (o.status == model::OpeningStatus::kOpen && closed < 2) {
      o.status = model::OpeningStatus::kClosed;
      ++closed;
    }
  PreviousRun previous{first.state, ""};
  const Kept warm = RunKeeping(after, params, &previous);
  const Kept cold = RunKeeping(after, params);
  EXPECT_EQ(warm.summary.incremental.openings_removed, 2u);
  EXPECT_EQ(warm.summary.incremental.openings_reused, warm.summary.openings);
  ExpectSameCuts(*warm.state, *cold.state);
  ExpectSameOptimum(warm, cold);
}

// A previous run on other shared inputs is not used: the run is cold and says why.
TEST(WarmRun, FallsBackToAColdRunWhenTheSharedInputsChanged) {
  const FirstRun setup(Seed(31));
  const auto& [opt, params, d, first] = setup;

  struct Change {
    std::string expected;  // in the reason
    model::Dataset data;
    BatchParams params;
  };
  std::vector<Change> changes;
  {
    Change c{"reference date changed", d, params};
    c.params.as_of = params.as_of.AddDays(1);
    changes.push_back(std::move(c));
  }
  {
    Change c{"score weights changed", d, params};
    c.params.weights.distance = 0.3;
    changes.push_back(std::move(c));
  }
  {
    Change c{"max_candidates changed", d, params};
    c.params.max_candidates = 2;
    changes.push_back(std::move(c));
  }
  for (auto& change : changes) {
    PreviousRun previous{first.state, ""};
    const Kept run = RunKeeping(change.data, change.params, &previous);
    const Kept cold = RunKeeping(change.data, change.params);
    const auto& inc = run.summary.incremental;
    EXPECT_EQ(inc.previous, "refused") << change.expected;
    EXPECT_NE(inc.reason.find(change.expected), std::string::npos) << inc.reason;
    EXPECT_EQ(inc.openings_reused, 0u);
    EXPECT_EQ(inc.solver_start, "cold");
    ASSERT_TRUE(run.state && cold.state);
    ExpectSameCuts(*run.state, *cold.state);
    ExpectSameOptimum(run, cold);
  }
}

TEST(WarmRun, AMissingOrDamagedFileGivesAColdRunThatSaysWhy) {
  const FirstRun setup(Seed(32));
  const auto& [opt, params, d, first] = setup;
  TempDir dir("damaged");

  PreviousRun missing = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(missing.state.has_value());
  EXPECT_NE(missing.unreadable.find("no state.bin"), std::string::npos) << missing.unreadable;
  const Kept run = RunKeeping(d, params, &missing);
  EXPECT_EQ(run.summary.incremental.previous, "refused");
  EXPECT_EQ(run.summary.incremental.reason, missing.unreadable);
  ExpectSameOptimum(run, first);

  const fs::path file = dir.path() / kBatchStateFile;
  SaveBatchState(*first.state, file.string());
  const auto size = fs::file_size(file);
  // One byte changed: in the middle of the cuts (the reader's range checks or the checksum catch
  // it), then in the last quota-class flag (only the checksum can).
  auto flip = [&](std::uintmax_t at) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    f.seekg(static_cast<std::streamoff>(at));
    f.get(byte);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(static_cast<char>(byte ^ 0x5a));
  };
  flip(size / 2);
  PreviousRun damaged = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(damaged.state.has_value());
  EXPECT_FALSE(damaged.unreadable.empty());
  SaveBatchState(*first.state, file.string());
  ASSERT_FALSE(first.state->in_quota_class.empty());
  flip(size - 9);  // the last byte before the checksum
  PreviousRun flag = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(flag.state.has_value());
  EXPECT_NE(flag.unreadable.find("checksum"), std::string::npos) << flag.unreadable;

  fs::resize_file(file, size - 100);
  PreviousRun truncated = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(truncated.state.has_value());
  EXPECT_FALSE(truncated.unreadable.empty());

  {
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f << std::string(200, 'x');
  }
  PreviousRun other = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(other.state.has_value());
  EXPECT_NE(other.unreadable.find("not a batch state file"), std::string::npos) << other.unreadable;
}

// The file's compact edges (varint differences, weights) give back every field exactly: edges out
// of participant order, extreme weights, the first and last participant, an empty cut.
TEST(BatchStateFile, CompactEdgesGiveBackEveryField) {
  BatchState state;
  state.inputs.participant_count = 1000;
  state.inputs.as_of = -3;
  std::uint64_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(seed >> 33);
  };
  for (std::uint32_t r = 0; r < 40; ++r) {
    auto& o = state.openings.emplace_back();
    o.id = model::OpeningId(7 + r * 3);
    o.fingerprint = 0x8000000000000001ull * (r + 1);
    o.cut.counts = {r * 10ull, r * 5ull, r * 1ull};
    const std::uint32_t n = r == 5 ? 0 : next() % 60;
    for (std::uint32_t k = 0; k < n; ++k)
      o.cut.edges.push_back({next() % 1000, static_cast<std::int32_t>(next()) - (1 << 30)});
  }
  state.openings[1].cut.edges.push_back({999, std::numeric_limits<std::int32_t>::max()});
  state.openings[1].cut.edges.push_back({0, std::numeric_limits<std::int32_t>::min()});
  for (std::uint32_t i = 0; i < 1000; ++i) {
    auto& x = state.participants.emplace_back();
    x.id = model::ParticipantId(5 + i * 2);
    x.fingerprint = std::uint64_t{next()} << 32 | next();
    x.commune = i % 7 == 0 ? matcher::kNoCommune : next() % 30000;
    if (i % 5 != 0) {  // without a home: NaN
      x.lat = 42.0 + (next() % 1000) / 100.0;
      x.lon = -4.0 + (next() % 1000) / 100.0;
    }
    x.radius_km = i % 11 == 0 ? std::numeric_limits<double>::infinity() : (next() % 100);
  }
  state.opening_of.assign(1000, as::kNone);
  state.opening_of[3] = 39;
  state.participant_price.assign(1000, -5);
  state.in_quota_class.assign(1000, 1);
  TempDir dir("compact");
  PreviousRun back = ThroughTheFile(state, dir.path());
  ASSERT_TRUE(back.state.has_value()) << back.unreadable;
  ExpectSameCuts(*back.state, state);
  EXPECT_EQ(back.state->participants.size(), 1000u);
  EXPECT_EQ(back.state->opening_of, state.opening_of);
  EXPECT_EQ(back.state->participant_price, state.participant_price);
  EXPECT_EQ(back.state->in_quota_class, state.in_quota_class);
  // About 6 bytes an edge here (8 in memory): weights spread over the whole int32 range; 40 a
  // participant.
  EXPECT_LT(fs::file_size(dir.path() / kBatchStateFile),
            7 * state.num_edges() + std::size_t{64} * 40 + std::size_t{14 + 40} * 1000 + 4096);

  // A participant past the count is refused, not read.
  state.openings[2].cut.edges.push_back({1000, 0});
  SaveBatchState(state, (dir.path() / kBatchStateFile).string());
  PreviousRun bad = ReadPreviousRun(dir.path().string());
  EXPECT_FALSE(bad.state.has_value());
  EXPECT_NE(bad.unreadable.find("participant out of range"), std::string::npos) << bad.unreadable;
}

// `clausematch batch --previous` on the sample, then with a contract added: the same figures and
// optimum as a cold run on the grown data.
TEST(BatchCli, PreviousRunOnTheSampleWithANewContractEqualsAColdRun) {
  using api::http::testing::Clausematch;
  TempDir dir("cli");
  const auto& p = dir.path();
  model::Dataset sample = data::LoadDataset(CLAUSEMATCH_SOURCE_DIR "/data/sample", Ref());
  data::SaveDataset(sample, (p / "data1").string(), data::DatasetFormat::kBinary);

  // A new contract: the first one's copy, with its open openings, under new ids.
  model::Dataset grown = sample;
  std::uint32_t contract_id = 0, opening_id = 0;
  for (const auto& c : grown.contracts) contract_id = std::max(contract_id, c.id.value());
  for (const auto& o : grown.openings) opening_id = std::max(opening_id, o.id.value());
  model::Contract added = grown.contracts.front();
  added.id = model::ContractId(contract_id + 1);
  added.reference += "-bis";
  int added_openings = 0;
  for (const auto& o : sample.openings) {
    if (o.contract != sample.contracts.front().id || o.status != model::OpeningStatus::kOpen) continue;
    model::Opening copy = o;
    copy.id = model::OpeningId(++opening_id);
    copy.contract = added.id;
    grown.openings.push_back(copy);
    ++added_openings;
  }
  ASSERT_GT(added_openings, 0);
  grown.contracts.push_back(added);
  grown.Index();
  data::SaveDataset(grown, (p / "data2").string(), data::DatasetFormat::kBinary);

  const auto first = Clausematch("batch --data " + (p / "data1").string() + " --out " + (p / "run1").string(), p);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ASSERT_TRUE(fs::exists(p / "run1" / kBatchStateFile)) << first.out;
  const auto warm = Clausematch("batch --data " + (p / "data2").string() + " --previous " + (p / "run1").string() +
                                    " --out " + (p / "run2").string(),
                                p);
  ASSERT_EQ(warm.exit_code, 0) << warm.out;
  EXPECT_NE(warm.out.find("incremental: warm:"), std::string::npos) << warm.out;
  const auto cold =
      Clausematch("batch --data " + (p / "data2").string() + " --out " + (p / "run3").string() + " --no-state", p);
  ASSERT_EQ(cold.exit_code, 0) << cold.out;
  EXPECT_FALSE(fs::exists(p / "run3" / kBatchStateFile));

  auto summary = [&](const char* run) {
    std::ifstream in(p / run / "summary.json");
    return nlohmann::json::parse(in);
  };
  const auto w = summary("run2");
  const auto c = summary("run3");
  EXPECT_EQ(w["incremental"]["previous"], "used");
  EXPECT_EQ(w["incremental"]["openings_new"], added_openings);
  EXPECT_EQ(w["incremental"]["openings_changed"], 0);
  EXPECT_EQ(w["incremental"]["openings_removed"], 0);
  EXPECT_EQ(c["incremental"]["previous"], "none");
  for (const char* key : {"openings", "positions", "filled", "total_score", "candidate_pairs", "pairs_in_reach",
                          "pairs_eligible", "certificate", "status"})
    EXPECT_EQ(w[key], c[key]) << key;
  EXPECT_EQ(w["optimality"]["objective"], c["optimality"]["objective"]);
  EXPECT_EQ(w["optimality"]["proven_optimal"], c["optimality"]["proven_optimal"]);
  // assignments.json, rendered by blocks of proposals in parallel, is exactly what nlohmann's
  // dump(2) gives of its own content (the one-document rendering it replaced).
  auto text = [&](const char* run, const char* file) {
    std::ifstream in(p / run / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string proposals = text("run3", "assignments.json");
  ASSERT_FALSE(nlohmann::json::parse(proposals)["proposals"].empty());
  EXPECT_EQ(proposals, nlohmann::json::parse(proposals).dump(2) + "\n");
  const std::string csv = text("run3", "assignments.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), c["filled"].get<std::ptrdiff_t>() + 1);

  // A folder without state: a cold run that says why.
  const auto none = Clausematch("batch --data " + (p / "data2").string() + " --previous " + (p / "run3").string() +
                                    " --out " + (p / "run4").string(),
                                p);
  ASSERT_EQ(none.exit_code, 0) << none.out;
  EXPECT_NE(none.out.find("incremental: cold: previous run not used, no state.bin"), std::string::npos) << none.out;
  const auto n = summary("run4");
  EXPECT_EQ(n["incremental"]["previous"], "refused");
  EXPECT_EQ(n["optimality"]["objective"], c["optimality"]["objective"]);
}

}  // namespace
}  // namespace clausematch::service
