// The store against a real database file in a temp folder: migrations, record round trips,
// queries and cursors, uniqueness, the append-only audit log, the snapshot, API keys.
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <thread>

#include "store/batch_states.hpp"
#include "store/import.hpp"
#include "store/keys.hpp"
#include "store/migrations.hpp"
#include "store/records.hpp"

namespace clausematch::store {
namespace {

namespace fs = std::filesystem;
using model::Date;

// Runs the sqlite3 shell (scripts/install-deps installs it) on the file; returns its exit code and
// output, so tests can look at the database with a tool independent of the store.
std::pair<int, std::string> Sqlite(const std::string& db, const std::string& sql) {
  const std::string cmd = "sqlite3 '" + db + "' \"" + sql + "\" 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("clausematch_store_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static model::Participant Person(const std::string& org, const std::string& ref) {
    model::Participant p;
    p.external_ref = ref;
    p.prescriber_org = org;
    p.prescriber_kind = model::PrescriberKind::kMissionLocale;
    p.first_name = "Inès";
    p.last_name = "Durand";
    p.birth_date = Date::FromYmd(2001, 5, 17);
    p.sex = model::Sex::kFemme;
    p.email = "ines@example.org";
    p.criteria.push_back({model::Criterion::kRsa, Date::FromYmd(2026, 9, 1), "FT-59"});
    p.criteria.push_back({model::Criterion::kJeune, std::nullopt, "ML-LILLE"});
    p.criteria.push_back({model::Criterion::kRqth, Date::FromYmd(2025, 3, 1), "MDPH-59", Date::FromYmd(2030, 2, 28)});
    p.derogation = model::Derogation{Date::FromYmd(2026, 10, 1), "PLIE-LILLE", "avis motivé"};
    p.commune_insee = "59350";
    p.location = model::GeoPoint{50.63, 3.06};
    p.mobility_radius_km = 20;
    p.licences.insert(model::Licence::kB);
    p.wanted_appellations = {10200, 11573};
    p.wanted_fiches = {*model::RomeCode::Parse("F1703")};
    p.skills = {100001, 100002};
    p.available_from = Date::FromYmd(2026, 12, 1);
    p.consent = true;
    p.consent_date = Date::FromYmd(2026, 9, 2);
    p.registration_date = Date::FromYmd(2026, 9, 2);
    return p;
  }

  static model::Contract Contract(const std::string& org) {
    model::Contract c;
    c.reference = "2026-LILLE-001";
    c.title = "Réhabilitation groupe scolaire";
    c.buyer = "Ville de Lille";
    c.facilitator_org = org;
    c.amount_excl_vat_eur = 1'000'000;
    c.start = Date::FromYmd(2027, 1, 1);
    c.end = Date::FromYmd(2027, 12, 31);
    c.worksite_insee = "59350";
    c.accepted_publics = {model::Criterion::kRsa, model::Criterion::kJeune};
    c.priority_publics = {model::Criterion::kRsa};
    c.sizing = model::ClauseSizing{0.5, 0.05, 30};
    c.insertion_hours = 833;
    c.quotas.push_back({model::Criterion::kRsa, 1, 0.3});
    return c;
  }
  // A mason's opening in Lille, February to June 2027 (its contract set by the caller).
  static model::Opening Opening() {
    model::Opening o;
    o.appellation = 10200;
    o.fiche = *model::RomeCode::Parse("F1703");
    o.start = Date::FromYmd(2027, 2, 1);
    o.end = Date::FromYmd(2027, 6, 30);
    o.worksite_insee = "59350";
    return o;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(StoreTest, AppliesEveryMigrationOnceAndReopens) {
  {
    Store store(path_);
    EXPECT_EQ(store.schema_version(), Migrations().back().version);
  }
  Store again(path_);  // a second open applies nothing and fails on nothing
  EXPECT_EQ(again.schema_version(), Migrations().back().version);
  EXPECT_EQ(Sqlite(path_, "SELECT COUNT(*) FROM schema_version").second, std::to_string(Migrations().size()) + "\n");
  EXPECT_EQ(Sqlite(path_, "PRAGMA journal_mode").second, "wal\n");
  EXPECT_EQ(again.IntegrityCheck(), "ok");
}

TEST_F(StoreTest, ParticipantRoundTripsExactly) {
  Store store(path_);
  auto p = Person("ML-LILLE", "A-1");
  const auto id = store.Write([&](Session& s) { return s.InsertParticipant(p); });
  ASSERT_TRUE(id.valid());
  auto back = store.Read([&](Session& s) { return s.FindParticipant(id); });
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(ToRecord(*back), ToRecord(p));
  EXPECT_EQ(back->criteria, p.criteria);
  EXPECT_EQ(back->criteria[2].valid_until, Date::FromYmd(2030, 2, 28));
  EXPECT_EQ(back->derogation, p.derogation);
  EXPECT_EQ(back->licences, p.licences);
  EXPECT_EQ(back->sex, model::Sex::kFemme);
  EXPECT_FALSE(store.Read([&](Session& s) { return s.FindParticipant(model::ParticipantId(id.value() + 1)); }));
}

TEST_F(StoreTest, ContractOpeningAndPlacementRoundTrip) {
  Store store(path_);
  auto c = Contract("PLIE-LILLE");
  c.accepts_iae_eligibility = false;  // not the default: the record must keep it
  model::Opening o;
  o.appellation = 10200;
  o.fiche = *model::RomeCode::Parse("F1703");
  o.positions = 2;
  o.start = Date::FromYmd(2027, 2, 1);
  o.end = Date::FromYmd(2027, 6, 30);
  o.worksite_insee = "59350";
  o.required_licences.insert(model::Licence::kB);
  o.required_skills = {100001};
  auto p = Person("ML-LILLE", "A-1");
  store.Write([&](Session& s) {
    s.InsertContract(c);
    o.contract = c.id;
    s.InsertOpening(o);
    s.InsertParticipant(p);
  });
  model::Placement placement;
  placement.participant = p.id;
  placement.opening = o.id;
  placement.contract = c.id;
  placement.status = model::PlacementStatus::kAccepted;
  placement.start = o.start;
  placement.end = o.end;
  placement.hours.push_back({2027, 2, 120.5, Date::FromYmd(2027, 3, 2), {}});
  placement.hours.push_back({2027, 3, 80, Date::FromYmd(2027, 4, 2), model::SubcontractAmount{4000, 0.6, 30}});
  store.Write([&](Session& s) { s.InsertPlacement(placement, 0); });
  store.Read([&](Session& s) {
    EXPECT_EQ(ToRecord(*s.FindContract(c.id)), ToRecord(c));
    EXPECT_FALSE(s.FindContract(c.id)->accepts_iae_eligibility);
    EXPECT_EQ(ToRecord(*s.FindOpening(o.id)), ToRecord(o));
    auto placements = s.ListPlacements(p.id);
    ASSERT_EQ(placements.size(), 1u);
    EXPECT_EQ(ToRecord(placements[0]), ToRecord(placement));
    EXPECT_EQ(placements[0].hours, placement.hours);  // the subcontracting amount too
    // Each object's owner, read without decoding it; nothing for a missing id.
    using Owned = Session::Owned;
    EXPECT_EQ(s.OwnerOf(Owned::kParticipant, p.id.value()), "ML-LILLE");
    EXPECT_EQ(s.OwnerOf(Owned::kContract, c.id.value()), "PLIE-LILLE");
    EXPECT_EQ(s.OwnerOf(Owned::kOpening, o.id.value()), "PLIE-LILLE");
    EXPECT_EQ(s.OwnerOf(Owned::kPlacement, placement.id.value()), "PLIE-LILLE");
    for (auto kind : {Owned::kParticipant, Owned::kContract, Owned::kOpening, Owned::kPlacement, Owned::kBatch})
      EXPECT_EQ(s.OwnerOf(kind, 999), std::nullopt);
  });
}

// Records written before valid_until and accepts_iae_eligibility existed read back with no end
// date and the IAE path open.
TEST_F(StoreTest, RecordsWithoutTheNewerFieldsReadWithTheirDefaults) {
  auto person = ToRecord(Person("ML-LILLE", "A-1"));
  person["id"] = 1;
  for (auto& e : person["criteria"]) e.erase("valid_until");
  const auto p = ParticipantFromRecord(person);
  ASSERT_EQ(p.criteria.size(), 3u);
  EXPECT_FALSE(p.criteria[2].valid_until);
  auto contract = ToRecord(Contract("PLIE-LILLE"));
  contract["id"] = 1;
  contract.erase("accepts_iae_eligibility");
  EXPECT_TRUE(ContractFromRecord(contract).accepts_iae_eligibility);
}

// Migration 005: a participant stored before the sex field existed gets "non_renseigne" in its
// record, and reads back so.
TEST_F(StoreTest, MigrationGivesParticipantsStoredBeforeTheSexFieldNonRenseigne) {
  model::ParticipantId id;
  {
    Store store(path_);
    auto person = Person("ML-LILLE", "A-1");
    id = store.Write([&](Session& s) { return s.InsertParticipant(person); });
  }
  // The database as it was before migration 005: no sex in the record, the migration not applied.
  ASSERT_EQ(Sqlite(path_,
                   "UPDATE participants SET doc = json_remove(doc, '$.sex'); "
                   "DELETE FROM schema_version WHERE version = 5; "
                   "SELECT json_type(doc, '$.sex') IS NULL FROM participants")
                .second,
            "1\n");
  Store store(path_);
  EXPECT_EQ(Sqlite(path_, "SELECT json_extract(doc, '$.sex') FROM participants").second, "non_renseigne\n");
  const auto back = store.Read([&](Session& s) { return s.FindParticipant(id); });
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->sex, model::Sex::kNonRenseigne);
}

TEST_F(StoreTest, ListFiltersAndCursor) {
  Store store(path_);
  store.Write([&](Session& s) {
    for (int i = 0; i < 5; ++i) {
      auto p = Person(i % 2 == 0 ? "ML-LILLE" : "FT-59", "R" + std::to_string(i));
      if (i == 4) p.criteria.erase(p.criteria.begin());  // no RSA
      if (i == 3) p.status = model::ParticipantStatus::kWithdrawn;
      s.InsertParticipant(p);
    }
  });
  auto ids = [&](ParticipantQuery q) {
    std::vector<std::uint32_t> out;
    for (const auto& p : store.Read([&](Session& s) { return s.ListParticipants(q); })) out.push_back(p.id.value());
    return out;
  };
  // ids 1..5; orgs ML, FT, ML, FT, ML; #4 withdrawn; #5 without RSA.
  ParticipantQuery by_org;
  by_org.org = "ML-LILLE";
  EXPECT_EQ(ids(by_org), (std::vector<std::uint32_t>{1, 3, 5}));
  by_org.after = 1;
  by_org.limit = 1;
  EXPECT_EQ(ids(by_org), (std::vector<std::uint32_t>{3}));
  ParticipantQuery withdrawn;
  withdrawn.status = model::ParticipantStatus::kWithdrawn;
  EXPECT_EQ(ids(withdrawn), (std::vector<std::uint32_t>{4}));
  ParticipantQuery rsa;
  rsa.criterion = model::Criterion::kRsa;
  EXPECT_EQ(ids(rsa), (std::vector<std::uint32_t>{1, 2, 3, 4}));
  ParticipantQuery by_ref;
  by_ref.external_ref = "R2";
  EXPECT_EQ(ids(by_ref), (std::vector<std::uint32_t>{3}));
}

TEST_F(StoreTest, SameExternalRefInOneOrgIsAConflictAndRollsBack) {
  Store store(path_);
  auto a = Person("ML-LILLE", "DUP");
  store.Write([&](Session& s) { s.InsertParticipant(a); });
  auto b = Person("ML-LILLE", "NEW");
  auto c = Person("ML-LILLE", "DUP");
  EXPECT_THROW(store.Write([&](Session& s) {
    s.InsertParticipant(b);
    s.InsertParticipant(c);
  }),
               ConflictError);
  // Nothing of the failed transaction remains, neither in the file nor in the snapshot.
  EXPECT_EQ(store.Read([](Session& s) { return s.ListParticipants({}); }).size(), 1u);
  EXPECT_EQ(store.snapshot().Read([](const model::Dataset& d) { return d.participants.size(); }), 1u);
  auto other_org = Person("FT-59", "DUP");  // another organisation may use the same reference
  EXPECT_NO_THROW(store.Write([&](Session& s) { s.InsertParticipant(other_org); }));
}

// JSON cannot hold an infinity: written, it became null and the row no longer read back (issue 17).
TEST_F(StoreTest, ANonFiniteNumberIsRefusedAndNothingIsWritten) {
  Store store(path_);
  auto good = Contract("PLIE-LILLE");
  auto bad = Contract("PLIE-LILLE");
  bad.reference = "2026-LILLE-002";
  bad.insertion_hours = std::numeric_limits<double>::infinity();
  try {
    store.Write([&](Session& s) {
      s.InsertContract(good);
      s.InsertContract(bad);
    });
    ADD_FAILURE() << "the infinite insertion_hours was written";
  } catch (const NonFiniteError& e) {
    EXPECT_EQ(e.field(), "/insertion_hours");
  }
  EXPECT_TRUE(store.Read([](Session& s) { return s.ListContracts({}); }).empty());
  EXPECT_EQ(store.snapshot().Read([](const model::Dataset& d) { return d.contracts.size(); }), 0u);
  bad.insertion_hours = 833;
  bad.sizing->hourly_cost_eur = std::nan("");
  EXPECT_THROW(store.Write([&](Session& s) { s.InsertContract(bad); }), NonFiniteError);
}

// A row changed behind the store's back (hand-written SQL) is skipped and reported, by table and id
// only, when the store opens and when a list meets it; everything else is served, and a page stays
// full when rows around it are skipped.
TEST_F(StoreTest, AnUndecodableRowIsSkippedAndReported) {
  {
    Store store(path_);
    for (int i = 1; i <= 4; ++i) {
      auto c = Contract("PLIE-LILLE");
      c.reference = "REF-" + std::to_string(i);
      store.Write([&](Session& s) { s.InsertContract(c); });
    }
  }
  ASSERT_EQ(Sqlite(path_, "UPDATE contracts SET doc = json_set(doc, '$.insertion_hours', NULL) WHERE id = 2").first, 0);
  ASSERT_EQ(
      Sqlite(path_, "PRAGMA ignore_check_constraints = ON; UPDATE contracts SET doc = '{not json' WHERE id = 3").first,
      0);
  ::testing::internal::CaptureStderr();
  std::unique_ptr<Store> store;
  ASSERT_NO_THROW(store = std::make_unique<Store>(path_));
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("contracts row 2 "), std::string::npos) << err;
  EXPECT_NE(err.find("contracts row 3 "), std::string::npos) << err;
  EXPECT_EQ(err.find("REF-"), std::string::npos) << err;  // ids only, never the content
  EXPECT_EQ(store->bad_records().count(), 2u);
  EXPECT_EQ(store->snapshot().Read([](const model::Dataset& d) { return d.contracts.size(); }), 2u);

  ContractQuery q;
  q.limit = 2;
  const auto page = store->Read([&](Session& s) { return s.ListContracts(q); });
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].reference, "REF-1");
  EXPECT_EQ(page[1].reference, "REF-4");
  EXPECT_TRUE(store->Read([](Session& s) { return s.FindContract(model::ContractId(4)); }));
  EXPECT_ANY_THROW(store->Read([](Session& s) { return s.FindContract(model::ContractId(2)); }));
  EXPECT_EQ(store->bad_records().count(), 2u);  // each reported once
}

TEST_F(StoreTest, AuditLogIsAppendOnly) {
  Store store(path_);
  Actor actor{0, "ML-LILLE", Role::kPrescriber, "req-1"};
  store.Write([&](Session& s) { s.Audit(actor, "read", "participant", 7, "GET /v1/participants/{id}"); });
  auto entries = store.Read([](Session& s) { return s.ListAudit("participant", 7); });
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].org, "ML-LILLE");
  EXPECT_EQ(entries[0].role, "prescriber");
  EXPECT_EQ(entries[0].purpose, "GET /v1/participants/{id}");
  auto [update_rc, update_out] = Sqlite(path_, "UPDATE audit_log SET org = 'X'");
  EXPECT_NE(update_rc, 0);
  EXPECT_NE(update_out.find("append-only"), std::string::npos);
  auto [delete_rc, delete_out] = Sqlite(path_, "DELETE FROM audit_log");
  EXPECT_NE(delete_rc, 0);
  EXPECT_EQ(store.Read([](Session& s) { return s.CountAudit(); }), 1);
}

TEST_F(StoreTest, ACandidateIsShownForAnOpeningByAProposalOrAnAuditedShortlist) {
  Store store(path_);
  auto c = Contract("PLIE-LILLE");
  c.accepts_iae_eligibility = false;  // not the default: the record must keep it
  auto o = Opening();
  auto other = o;
  auto a = Person("ML-LILLE", "A-1"), b = Person("ML-LILLE", "B-1");
  store.Write([&](Session& s) {
    s.InsertContract(c);
    o.contract = c.id;
    other.contract = c.id;
    s.InsertOpening(o);
    s.InsertOpening(other);
    s.InsertParticipant(a);
    s.InsertParticipant(b);
  });
  auto shown = [&](const model::Participant& p, const std::string& org, model::OpeningId opening) {
    return store.Read([&](Session& s) { return s.ShownAsCandidate(p.id, org, opening); });
  };
  EXPECT_FALSE(shown(a, "PLIE-LILLE", o.id));
  // A shortlist of `o` read by PLIE-LILLE (as GET /v1/openings/{id}/shortlist audits it).
  const std::int64_t ids[] = {a.id.value()};
  store.AuditDurably({0, "PLIE-LILLE", Role::kFacilitator, "req-1"}, "shortlist", "participant", ids,
                     "GET /v1/openings/{id}/shortlist", o.id.value());
  EXPECT_TRUE(shown(a, "PLIE-LILLE", o.id));
  EXPECT_FALSE(shown(a, "PLIE-LILLE", other.id));  // seen for `o`, not for the other opening
  EXPECT_FALSE(shown(a, "PLIE-ROUBAIX", o.id));
  EXPECT_FALSE(shown(b, "PLIE-LILLE", o.id));
  // Another kind of read (the prescriber's own) does not count.
  store.Write([&](Session& s) {
    s.Audit({0, "PLIE-ROUBAIX", Role::kPrescriber, "req-2"}, "read", "participant", b.id.value(), "GET");
  });
  EXPECT_FALSE(shown(b, "PLIE-ROUBAIX", o.id));
  // A proposal for `o` in one of PLIE-ROUBAIX's runs.
  store.Write([&](Session& s) {
    Batch batch;
    batch.org = "PLIE-ROUBAIX";
    s.InsertBatch(batch);
    Proposal p;
    p.batch = batch.id;
    p.participant = b.id;
    p.opening = o.id;
    s.InsertProposal(p);
  });
  EXPECT_TRUE(shown(b, "PLIE-ROUBAIX", o.id));
  EXPECT_FALSE(shown(b, "PLIE-ROUBAIX", other.id));
  EXPECT_FALSE(shown(b, "PLIE-LILLE", o.id));
}

// Old runs go with their proposals; a placement made from a decided proposal stays (without the
// link), runs still queued or running are never pruned, nor another organisation's.
TEST_F(StoreTest, PruningRunsKeepsTheNewestAndThePlacementsMadeFromThem) {
  Store store(path_);
  auto c = Contract("PLIE-LILLE");
  auto o = Opening();
  auto p = Person("ML-LILLE", "A-1");
  std::vector<std::int64_t> runs;
  model::Placement placement;
  store.Write([&](Session& s) {
    s.InsertContract(c);
    o.contract = c.id;
    s.InsertOpening(o);
    s.InsertParticipant(p);
    for (int i = 0; i < 6; ++i) {
      Batch b;
      b.org = i == 4 ? "PLIE-ROUBAIX" : "PLIE-LILLE";
      s.InsertBatch(b);
      b.state = i == 5 ? BatchState::kRunning : BatchState::kSucceeded;
      s.UpdateBatch(b);
      Proposal pr;
      pr.batch = b.id;
      pr.participant = p.id;
      pr.opening = o.id;
      s.InsertProposal(pr);
      if (i == 0) {  // the oldest run's proposal was accepted
        placement.participant = p.id;
        placement.opening = o.id;
        placement.contract = c.id;
        placement.status = model::PlacementStatus::kAccepted;
        placement.start = o.start;
        placement.end = o.end;
        s.InsertPlacement(placement, pr.id);
      }
      runs.push_back(b.id);
    }
  });
  EXPECT_EQ(store.Write([](Session& s) { return s.PruneBatches("PLIE-LILLE", 2); }), 2);
  store.Read([&](Session& s) {
    EXPECT_FALSE(s.FindBatch(runs[0]));
    EXPECT_FALSE(s.FindBatch(runs[1]));
    EXPECT_TRUE(s.ListProposals(runs[0], 0, 10).empty());
    for (int i : {2, 3, 4, 5}) EXPECT_TRUE(s.FindBatch(runs[i])) << i;
    EXPECT_TRUE(s.FindPlacement(placement.id));
  });
  EXPECT_EQ(std::get<0>(Sqlite(path_, "PRAGMA foreign_key_check")), 0);
  EXPECT_EQ(std::get<1>(Sqlite(path_, "PRAGMA foreign_key_check")), "");
}

// Kept batch states (table batch_states): one per organisation, replaced whole (the file it named
// returned to be removed), forgotten on request, and gone with its run when the run is pruned.
TEST_F(StoreTest, OneKeptBatchStatePerOrganisationGoneWithItsRun) {
  Store store(path_);
  std::vector<std::int64_t> runs;
  store.Write([&](Session& s) {
    for (const char* org : {"PLIE-LILLE", "PLIE-LILLE", "PLIE-ROUBAIX", "PLIE-LILLE"}) {
      Batch b;
      b.org = org;
      s.InsertBatch(b);
      b.state = BatchState::kSucceeded;
      s.UpdateBatch(b);
      runs.push_back(b.id);
    }
  });
  BatchStates states(store);
  EXPECT_EQ(states.Dir(), path_ + ".batch-states");
  auto file = [](std::int64_t run) { return "batch-" + std::to_string(run) + ".state"; };
  auto keep = [&](const std::string& org, std::int64_t run) {
    KeptBatchState kept;
    kept.org = org;
    kept.batch = run;
    kept.file = file(run);
    kept.bytes = 100 + run;
    return states.Keep(kept);
  };
  EXPECT_EQ(keep("PLIE-LILLE", runs[0]), std::nullopt);
  EXPECT_EQ(keep("PLIE-ROUBAIX", runs[2]), std::nullopt);
  EXPECT_EQ(keep("PLIE-LILLE", runs[1]), file(runs[0]));  // replaced
  const auto lille = states.Find("PLIE-LILLE");
  ASSERT_TRUE(lille);
  EXPECT_EQ(lille->batch, runs[1]);
  EXPECT_EQ(lille->bytes, 100 + runs[1]);
  EXPECT_FALSE(lille->created_at.empty());
  EXPECT_EQ(states.Find("PLIE-ROUBAIX")->batch, runs[2]);
  EXPECT_FALSE(states.Find("ML-LILLE"));
  EXPECT_EQ(states.Files(), (std::vector<std::string>{file(runs[1]), file(runs[2])}));
  // A row names a run that exists.
  KeptBatchState orphan;
  orphan.org = "ML-LILLE";
  orphan.batch = 999999;
  orphan.file = file(999999);
  EXPECT_ANY_THROW(states.Keep(orphan));
  EXPECT_FALSE(states.Find("ML-LILLE"));
  // PLIE-LILLE's newest run only: the kept state's run goes, and its row with it.
  EXPECT_EQ(store.Write([](Session& s) { return s.PruneBatches("PLIE-LILLE", 1); }), 2);
  EXPECT_FALSE(states.Find("PLIE-LILLE"));
  EXPECT_TRUE(states.Find("PLIE-ROUBAIX"));
  EXPECT_EQ(states.Forget("PLIE-ROUBAIX"), file(runs[2]));
  EXPECT_EQ(states.Forget("PLIE-ROUBAIX"), std::nullopt);
  EXPECT_TRUE(states.Files().empty());
}

TEST_F(StoreTest, TerritoriesAreSetWholeAndMeetOnADepartementOrTheWildcard) {
  Store store(path_);
  store.Write([](Session& s) {
    s.SetTerritory("PLIE-LILLE", {"59", "62"});
    s.SetTerritory("ML-LILLE", {"59"});
    s.SetTerritory("ML-AMIENS", {"80"});
    s.SetTerritory("FT-NATIONAL", {"*"});
  });
  store.Write([](Session& s) { s.SetTerritory("PLIE-LILLE", {"62", "59", "59"}); });  // replaced, repeats once
  store.Read([](Session& s) {
    EXPECT_EQ(s.Territory("PLIE-LILLE"), (std::vector<std::string>{"59", "62"}));
    EXPECT_TRUE(s.Territory("NOBODY").empty());
    EXPECT_EQ(s.OrgsMeetingTerritoryOf("PLIE-LILLE"),
              (std::vector<std::string>{"FT-NATIONAL", "ML-LILLE", "PLIE-LILLE"}));
    EXPECT_EQ(s.OrgsMeetingTerritoryOf("FT-NATIONAL"),
              (std::vector<std::string>{"FT-NATIONAL", "ML-AMIENS", "ML-LILLE", "PLIE-LILLE"}));
    EXPECT_TRUE(s.OrgsMeetingTerritoryOf("NOBODY").empty());
    EXPECT_EQ(s.ListTerritories().size(), 4u);
  });
  store.Write([](Session& s) { s.SetTerritory("ML-AMIENS", {}); });
  EXPECT_TRUE(store.Read([](Session& s) { return s.Territory("ML-AMIENS"); }).empty());
}

TEST_F(StoreTest, GroupCommittedAuditIsDurableWhenTheCallReturns) {
  Store store(path_);
  constexpr int kThreads = 8, kCalls = 25, kIds = 3;
  std::atomic<int> missing{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c) {
        const std::int64_t base = 1000 * (t + 1) + 10 * c;
        const std::vector<std::int64_t> ids{base, base + 1, base + 2};
        const Actor actor{t + 1, "PLIE-LILLE", Role::kFacilitator, "req-" + std::to_string(base)};
        store.AuditDurably(actor, "shortlist", "participant", ids, "GET /v1/openings/{id}/shortlist");
        // Returned: committed, so a new read transaction on the other connection sees every entry.
        for (const auto id : ids) {
          const auto entries = store.Read([&](Session& s) { return s.ListAudit("participant", id); });
          if (entries.size() != 1 || entries[0].request_id != actor.request_id) ++missing;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(missing.load(), 0);
  EXPECT_EQ(store.Read([](Session& s) { return s.CountAudit(); }), kThreads * kCalls * kIds);
  EXPECT_GE(store.audit_commits(), 1u);
  EXPECT_LE(store.audit_commits(), static_cast<std::uint64_t>(kThreads * kCalls));
  // On its own, a call is one commit.
  const auto before = store.audit_commits();
  const std::int64_t one = 1;
  store.AuditDurably(Actor{}, "read", "participant", std::span<const std::int64_t>(&one, 1), "test");
  EXPECT_EQ(store.audit_commits(), before + 1);
}

TEST_F(StoreTest, SnapshotFollowsWritesWithoutReload) {
  Store store(path_);
  auto p = Person("ML-LILLE", "A");
  store.Write([&](Session& s) { s.InsertParticipant(p); });
  p.status = model::ParticipantStatus::kWithdrawn;
  store.Write([&](Session& s) { s.UpdateParticipant(p); });
  store.snapshot().Read([&](const model::Dataset& d) {
    ASSERT_EQ(d.participants.size(), 1u);
    ASSERT_NE(d.FindParticipant(p.id), nullptr);
    EXPECT_EQ(d.FindParticipant(p.id)->status, model::ParticipantStatus::kWithdrawn);
  });
  // A fresh open loads the same data from the file.
  Store again(path_);
  again.snapshot().Read([&](const model::Dataset& d) {
    ASSERT_NE(d.FindParticipant(p.id), nullptr);
    EXPECT_EQ(d.FindParticipant(p.id)->status, model::ParticipantStatus::kWithdrawn);
  });
}

TEST_F(StoreTest, ConcurrentReadersSeeConsistentSnapshot) {
  Store store(path_);
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      while (!done) {
        store.snapshot().Read([&](const model::Dataset& d) {
          for (const auto& p : d.participants)
            if (d.FindParticipant(p.id) != &p) ++bad;
        });
        // glibc's rwlock prefers readers: back-to-back readers with no pause would starve the writer.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
  for (int i = 0; i < 40; ++i) {
    auto p = Person("ML-LILLE", "C" + std::to_string(i));
    store.Write([&](Session& s) { s.InsertParticipant(p); });
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(store.snapshot().Read([](const model::Dataset& d) { return d.participants.size(); }), 40u);
}

TEST_F(StoreTest, ApiKeysAreStoredOnlyAsKeyedHashes) {
  Store store(path_);
  auto created = CreateApiKey(store, "ML-LILLE", Role::kPrescriber);
  ASSERT_EQ(created.token.rfind("cm_" + created.key.key_id + "_", 0), 0u);
  KeyRing ring(store);
  auto key = ring.Authenticate(created.token);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->org, "ML-LILLE");
  EXPECT_EQ(key->role, Role::kPrescriber);
  auto tampered = created.token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(ring.Authenticate(tampered));
  EXPECT_FALSE(ring.Authenticate("cm_0000000000000000_" + created.token.substr(20)));
  EXPECT_FALSE(ring.Authenticate(""));
  EXPECT_FALSE(ring.Authenticate("Bearer"));
  // The secret part of the token appears nowhere in the file.
  const auto secret_part = created.token.substr(20);
  auto [rc, dump] = Sqlite(path_, ".dump");
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(dump.find(secret_part), std::string::npos);
  EXPECT_EQ(dump.find(created.token), std::string::npos);
  // A second key of another organisation authenticates on its own.
  auto other = CreateApiKey(store, "PLIE-LILLE", Role::kFacilitator);
  EXPECT_EQ(ring.Authenticate(other.token)->org, "PLIE-LILLE");
}

TEST_F(StoreTest, IdempotentResponsesAreKeptPerKey) {
  Store store(path_);
  auto k = CreateApiKey(store, "ML-LILLE", Role::kPrescriber);
  store.Write([&](Session& s) { s.SaveIdempotent(k.key.id, "abc", {"h1", 201, "{\"id\":1}"}); });
  auto found = store.Read([&](Session& s) { return s.FindIdempotent(k.key.id, "abc"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, 201);
  EXPECT_EQ(found->body, "{\"id\":1}");
  EXPECT_THROW(store.Write([&](Session& s) { s.SaveIdempotent(k.key.id, "abc", {"h2", 201, "{}"}); }), ConflictError);
}

TEST_F(StoreTest, BatchesAndProposalDecisions) {
  Store store(path_);
  auto c = Contract("PLIE-LILLE");
  c.accepts_iae_eligibility = false;  // not the default: the record must keep it
  model::Opening o;
  o.appellation = 10200;
  o.start = Date::FromYmd(2027, 2, 1);
  o.end = Date::FromYmd(2027, 6, 30);
  o.worksite_insee = "59350";
  auto p = Person("ML-LILLE", "A");
  Batch b;
  b.org = "PLIE-LILLE";
  b.params = {{"contracts", {1}}};
  Proposal prop;
  store.Write([&](Session& s) {
    s.InsertContract(c);
    o.contract = c.id;
    s.InsertOpening(o);
    s.InsertParticipant(p);
    s.InsertBatch(b);
    prop.batch = b.id;
    prop.participant = p.id;
    prop.opening = o.id;
    prop.score = 0.75;
    prop.details = {{"reasons", {"same job title"}}};
    s.InsertProposal(prop);
  });
  b.state = BatchState::kSucceeded;
  b.progress = 1.0;
  b.summary = nlohmann::json{{"filled", 1}};
  b.finished_at = NowTimestamp();
  prop.decision = Decision::kDeclined;
  prop.decided_by = "PLIE-LILLE";
  prop.decided_at = NowTimestamp();
  prop.decision_reason = "candidate unavailable";
  store.Write([&](Session& s) {
    s.UpdateBatch(b);
    s.UpdateProposalDecision(prop);
  });
  store.Read([&](Session& s) {
    EXPECT_EQ(s.OwnerOf(Session::Owned::kBatch, b.id), "PLIE-LILLE");
    auto batch = s.FindBatch(b.id);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->state, BatchState::kSucceeded);
    EXPECT_EQ(batch->summary, b.summary);
    auto proposals = s.ListProposals(b.id, 0, 10);
    ASSERT_EQ(proposals.size(), 1u);
    EXPECT_EQ(proposals[0].decision, Decision::kDeclined);
    EXPECT_EQ(proposals[0].decision_reason, "candidate unavailable");
    EXPECT_EQ(proposals[0].details, prop.details);
    EXPECT_EQ(s.ListBatches(std::string("OTHER"), 0, 10).size(), 0u);
    EXPECT_EQ(s.ListBatches(std::nullopt, 0, 10).size(), 1u);
  });
}

TEST_F(StoreTest, ImportMapsIdsAndKeepsEverything) {
  // Dataset ids 10/20 (contracts), 7/8/9 (openings), 100/200 (participants): the store renumbers
  // them 1.. and the references follow.
  model::Dataset d;
  for (std::uint32_t id : {10u, 20u}) {
    auto c = Contract("PLIE-LILLE");
    c.id = model::ContractId(id);
    c.reference = "C" + std::to_string(id);
    d.contracts.push_back(c);
  }
  for (std::uint32_t id : {7u, 8u, 9u}) {
    model::Opening o;
    o.id = model::OpeningId(id);
    o.contract = model::ContractId(id == 9 ? 20 : 10);
    o.appellation = 16250;
    o.start = Date::FromYmd(2027, 2, 1);
    o.end = Date::FromYmd(2027, 6, 30);
    o.worksite_insee = "59350";
    d.openings.push_back(o);
  }
  for (std::uint32_t id : {100u, 200u}) {
    auto p = Person("ML-LILLE", "P" + std::to_string(id));
    p.id = model::ParticipantId(id);
    d.participants.push_back(p);
  }
  model::Placement pl;
  pl.id = model::PlacementId(5);
  pl.participant = model::ParticipantId(200);
  pl.opening = model::OpeningId(9);
  pl.contract = model::ContractId(20);
  pl.start = Date::FromYmd(2027, 2, 1);
  pl.end = Date::FromYmd(2027, 6, 30);
  d.placements.push_back(pl);

  Store store(path_);
  const auto counts = ImportDataset(store, d);
  EXPECT_EQ(counts.contracts, 2u);
  EXPECT_EQ(counts.openings, 3u);
  EXPECT_EQ(counts.participants, 2u);
  EXPECT_EQ(counts.placements, 1u);
  store.Read([&](Session& s) {
    auto third = s.FindOpening(model::OpeningId(3));
    ASSERT_TRUE(third);
    EXPECT_EQ(third->contract, model::ContractId(2));
    EXPECT_EQ(s.FindContract(model::ContractId(2))->reference, "C20");
    auto placements = s.ListPlacements(model::ParticipantId(2));
    ASSERT_EQ(placements.size(), 1u);
    EXPECT_EQ(placements[0].opening, model::OpeningId(3));
    EXPECT_EQ(s.FindParticipant(model::ParticipantId(2))->external_ref, "P200");
  });
  EXPECT_EQ(store.snapshot().Read([](const model::Dataset& x) { return x.openings.size(); }), 3u);
  // A dangling reference aborts the whole import.
  d.openings[0].contract = model::ContractId(99);
  EXPECT_THROW(ImportDataset(store, d), std::runtime_error);
  EXPECT_EQ(store.Read([](Session& s) { return s.ListContracts({}).size(); }), 2u);
}

}  // namespace
}  // namespace clausematch::store
