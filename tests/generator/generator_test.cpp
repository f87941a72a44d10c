#include "generator/generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "data/binary_io.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "lifecycle/sizing.hpp"
#include "model/validation.hpp"
#include "model/validity.hpp"

namespace clausematch::generator {
namespace {

using data::EncodeBinaryDataset;
using data::LoadDataset;
using data::LoadReferential;

using model::Criterion;

const model::Referential& Ref() {
  static const auto kRef = LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  return *kRef;
}

GeneratorConfig SmallConfig(std::size_t participants = 1500, std::size_t contracts = 40) {
  GeneratorConfig c;
  c.departements = {"80"};
  c.participants = participants;
  c.contracts = contracts;
  c.seed = 7;
  return c;
}

// One generated dataset shared by the property tests (generation is deterministic).
const model::Dataset& Shared() {
  static const model::Dataset kDataset = [] {
    auto c = SmallConfig(4000, 120);
    c.departements = {"59", "62"};
    return Generate(c, Ref());
  }();
  return kDataset;
}

double Share(const model::Dataset& ds, Criterion c) {
  std::size_t n = 0;
  for (const auto& p : ds.participants) n += p.HasCriterion(c) ? 1 : 0;
  return static_cast<double>(n) / static_cast<double>(ds.participants.size());
}

TEST(Generator, SameSeedGivesIdenticalBytesAndAnotherSeedDiffers) {
  const auto config = SmallConfig();
  const std::string a = EncodeBinaryDataset(Generate(config, Ref()));
  const std::string b = EncodeBinaryDataset(Generate(config, Ref()));
  EXPECT_EQ(a, b);
  auto other = config;
  other.seed = 8;
  EXPECT_NE(a, EncodeBinaryDataset(Generate(other, Ref())));
}

TEST(Generator, EachRecordDependsOnlyOnSeedAndIndex) {
  // Per-record streams: the first 300 participants of a 600-participant run are those of a
  // 300-participant run, so thread scheduling or the requested size cannot change a record.
  const auto small = Generate(SmallConfig(300, 5), Ref());
  const auto big = Generate(SmallConfig(600, 10), Ref());
  model::Dataset prefix = big;
  prefix.participants.resize(300);
  prefix.contracts.resize(5);
  prefix.openings.erase(std::remove_if(prefix.openings.begin(), prefix.openings.end(),
                                       [](const model::Opening& o) { return o.contract.value() > 5; }),
                        prefix.openings.end());
  EXPECT_EQ(EncodeBinaryDataset(small), EncodeBinaryDataset(prefix));
}

TEST(Generator, CriterionSharesAreWithinToleranceOfTheConfiguredOnes) {
  const auto& ds = Shared();
  const auto& s = GeneratorConfig{}.shares;
  // 4,000 participants: one standard deviation of a share near 0.3 is ~0.007.
  constexpr double kTol = 0.03;
  EXPECT_NEAR(Share(ds, Criterion::kRsa), s.rsa, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kJeune), s.jeune, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kSenior), s.senior, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kDeld), s.deld, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kDetld), s.detld, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kRqth), s.rqth, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kQpv), s.qpv, kTol);
  EXPECT_NEAR(Share(ds, Criterion::kAse) / Share(ds, Criterion::kJeune), s.ase_among_jeunes, kTol);

  // Age criteria agree with the birth dates at as_of; ASE leavers are young.
  for (const auto& p : ds.participants) {
    const int age = model::AgeAt(p.birth_date, *ds.as_of);
    EXPECT_EQ(p.HasCriterion(Criterion::kJeune), age < model::kJeuneMaxAgeExclusive) << p.id.value();
    EXPECT_EQ(p.HasCriterion(Criterion::kSenior), age >= model::kSeniorMinAge) << p.id.value();
    if (p.HasCriterion(Criterion::kAse)) {
      EXPECT_TRUE(age >= 18 && age <= 22) << p.id.value();
    }
  }

  // Low qualification is shared by most (55-70%); of the other situations, RSA recipients are the
  // largest group, the under-26s the next one.
  EXPECT_GT(Share(ds, Criterion::kNiveauFormation), Share(ds, Criterion::kRsa));
  std::vector<std::pair<double, Criterion>> shares;
  for (const auto& info : model::AllCriteria())
    if (info.criterion != Criterion::kNiveauFormation) shares.emplace_back(Share(ds, info.criterion), info.criterion);
  std::sort(shares.rbegin(), shares.rend());
  EXPECT_EQ(shares[0].second, Criterion::kRsa);
  EXPECT_EQ(shares[1].second, Criterion::kJeune);
  // Then long-term job seekers (12+ months, both levels), seniors and disabled workers.
  const double long_term = Share(ds, Criterion::kDeld) + Share(ds, Criterion::kDetld);
  EXPECT_LT(long_term, Share(ds, Criterion::kJeune));
  EXPECT_GT(long_term, Share(ds, Criterion::kSenior));
  EXPECT_GT(Share(ds, Criterion::kSenior), Share(ds, Criterion::kRqth));
}

TEST(Generator, OtherConfiguredSharesAreHonoured) {
  auto c = SmallConfig(3000, 5);
  c.shares.rsa = 0.20;
  c.shares.jeune = 0.40;
  c.shares.qpv = 0.10;
  const auto ds = Generate(c, Ref());
  EXPECT_NEAR(Share(ds, Criterion::kRsa), 0.20, 0.03);
  EXPECT_NEAR(Share(ds, Criterion::kJeune), 0.40, 0.03);
  EXPECT_NEAR(Share(ds, Criterion::kQpv), 0.10, 0.03);
}

TEST(Generator, QpvResidentsLiveInLargerTowns) {
  const auto& ds = Shared();
  std::size_t small_n = 0, small_qpv = 0, big_n = 0, big_qpv = 0;
  for (const auto& p : ds.participants) {
    const auto pop = Ref().FindCommune(p.commune_insee)->population;
    const bool qpv = p.HasCriterion(Criterion::kQpv);
    if (pop < 5000) {
      ++small_n;
      small_qpv += qpv;
    } else if (pop >= 50000) {
      ++big_n;
      big_qpv += qpv;
    }
  }
  ASSERT_GT(small_n, 100u);
  ASSERT_GT(big_n, 100u);
  EXPECT_EQ(small_qpv, 0u);
  EXPECT_GT(static_cast<double>(big_qpv) / big_n, 0.3);
}

TEST(Generator, SomeProofsAreExpiredAtAsOfAsConfigured) {
  const auto& ds = Shared();
  std::size_t documents = 0, expired = 0;
  for (const auto& p : ds.participants)
    for (const auto& c : p.criteria) {
      const auto& info = model::Info(c.criterion);
      if (info.proof != model::ProofKind::kDocument) {
        EXPECT_FALSE(c.proof_date.has_value());
        continue;
      }
      ASSERT_TRUE(c.proof_date.has_value());
      ++documents;
      const auto validity = model::ProofValidity(c);
      ASSERT_TRUE(validity.has_value());
      expired += validity->last < *ds.as_of ? 1 : 0;
    }
  EXPECT_NEAR(static_cast<double>(expired) / documents, GeneratorConfig{}.shares.expired_proof, 0.02);
}

// RQTH decisions, residence titles and PASS IAE carry the end date their document gives
// (docs/generator.md "Proofs"): always after the proof date, on the durations the generator draws.
TEST(Generator, DocumentsWithAnEndDateCarryIt) {
  const auto& ds = Shared();
  std::map<model::Criterion, std::set<int>> years;  // whole years from proof date to end, per criterion
  std::size_t titles = 0, short_titles = 0;
  for (const auto& p : ds.participants)
    for (const auto& c : p.criteria) {
      const auto kind = model::Info(c.criterion).validity;
      if (kind == model::ValidityKind::kMonths || kind == model::ValidityKind::kAge) {
        EXPECT_FALSE(c.valid_until.has_value()) << model::Code(c.criterion);
        continue;
      }
      ASSERT_TRUE(c.valid_until.has_value()) << p.id.value() << " " << model::Code(c.criterion);
      ASSERT_TRUE(c.proof_date.has_value());
      EXPECT_GT(*c.valid_until, *c.proof_date);
      // Every duration is a whole number of months: the end is the day before an anniversary.
      const int days = *c.valid_until - *c.proof_date + 1;
      years[c.criterion].insert(days / 365);
      if (c.criterion == model::Criterion::kRefugie) {
        ++titles;
        short_titles += days < 200 ? 1 : 0;  // a temporary protection's 6-month authorisation
      }
      if (c.criterion == model::Criterion::kSalarieSiae) {
        EXPECT_EQ(*c.valid_until, model::LastDayOfPeriod(*c.proof_date, 24));
      }
    }
  EXPECT_EQ(years[model::Criterion::kRqth], (std::set<int>{1, 3, 5, 10}));
  EXPECT_EQ(years[model::Criterion::kRefugie], (std::set<int>{0, 4, 10}));
  EXPECT_EQ(years[model::Criterion::kSalarieSiae], (std::set<int>{2}));
  ASSERT_GT(titles, 50u);
  EXPECT_NEAR(static_cast<double>(short_titles) / titles, 0.25, 0.1);
}

TEST(Generator, EveryParticipantLivesInAnExistingCommuneOfTheRequestedDepartements) {
  const auto& ds = Shared();
  std::set<std::string> departements;
  for (const auto& p : ds.participants) {
    const auto* c = Ref().FindCommune(p.commune_insee);
    ASSERT_NE(c, nullptr) << p.commune_insee;
    EXPECT_TRUE(c->departement == "59" || c->departement == "62") << p.commune_insee;
    departements.insert(c->departement);
    ASSERT_TRUE(p.location.has_value());
    EXPECT_LT(model::HaversineKm(*p.location, c->centre), 2.6) << p.id.value();
  }
  EXPECT_EQ(departements.size(), 2u);
  for (const auto& k : ds.contracts) {
    const auto* c = Ref().FindCommune(k.worksite_insee);
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->departement == "59" || c->departement == "62");
  }
}

TEST(Generator, PopulousCommunesGetMoreParticipants) {
  const auto& ds = Shared();
  std::map<std::string, int> by_commune;
  for (const auto& p : ds.participants) ++by_commune[p.commune_insee];
  // Lille (59350, ~238k inhabitants) holds ~4% of the two départements' 4.1M inhabitants.
  const double lille = by_commune["59350"] / static_cast<double>(ds.participants.size());
  EXPECT_GT(lille, 0.035);
  EXPECT_LT(lille, 0.085);
}

TEST(Generator, AppellationsSkillsAndFichesExistAndAgree) {
  const auto& ds = Shared();
  for (const auto& p : ds.participants) {
    ASSERT_FALSE(p.wanted_appellations.empty());
    for (auto a : p.wanted_appellations) {
      const auto* app = Ref().FindAppellation(a);
      ASSERT_NE(app, nullptr) << a;
      EXPECT_NE(std::find(p.wanted_fiches.begin(), p.wanted_fiches.end(), app->fiche), p.wanted_fiches.end());
    }
    for (auto s : p.skills) EXPECT_NE(Ref().FindSkill(s), nullptr) << s;
    EXPECT_TRUE(std::is_sorted(p.skills.begin(), p.skills.end()));
  }
  for (const auto& o : ds.openings) {
    const auto* app = Ref().FindAppellation(o.appellation);
    ASSERT_NE(app, nullptr) << o.appellation;
    EXPECT_EQ(app->fiche, o.fiche);
    for (auto s : o.required_skills) EXPECT_NE(Ref().FindSkill(s), nullptr);
  }
}

TEST(Generator, ParticipantsHaveCoreSkillsOfTheirFirstWishMoreOftenThanOtherSkills) {
  const auto& ds = Shared();
  std::size_t core_have = 0, core_total = 0, other_have = 0, other_total = 0;
  for (const auto& p : ds.participants) {
    for (const auto& fs : Ref().SkillsOf(p.wanted_fiches[0])) {
      const bool has = std::binary_search(p.skills.begin(), p.skills.end(), fs.skill);
      (fs.core ? core_have : other_have) += has;
      (fs.core ? core_total : other_total) += 1;
    }
  }
  EXPECT_GT(static_cast<double>(core_have) / core_total, 2.0 * other_have / other_total);
}

TEST(Generator, OpeningsLieWithinTheirContractAndUseTheClauseHours) {
  const auto& ds = Shared();
  std::map<std::uint32_t, double> allocated;
  std::map<std::uint32_t, int> count;
  for (const auto& o : ds.openings) {
    const auto* k = ds.FindContract(o.contract);
    ASSERT_NE(k, nullptr);
    EXPECT_GE(o.start, k->start) << o.id.value();
    EXPECT_LE(o.end, k->end) << o.id.value();
    EXPECT_LE(o.start, o.end);
    EXPECT_GE(o.positions, 1);
    EXPECT_LE(o.positions, 5);
    EXPECT_EQ(o.worksite_insee, k->worksite_insee);
    const int whole_weeks = (o.end - o.start + 1) / 7;
    allocated[o.contract.value()] += o.positions * o.weekly_hours * whole_weeks;
    ++count[o.contract.value()];
  }
  for (const auto& k : ds.contracts) {
    ASSERT_TRUE(k.sizing.has_value());
    // hours = amount × labour share × insertion rate ÷ hourly cost (docs/domain.md), to the hour.
    EXPECT_EQ(k.insertion_hours, std::round(k.amount_excl_vat_eur * k.sizing->labour_share * k.sizing->insertion_rate /
                                            k.sizing->hourly_cost_eur));
    ASSERT_GE(count[k.id.value()], 1) << k.reference;
    // Openings use the clause hours to within one working week.
    EXPECT_LT(allocated[k.id.value()], k.insertion_hours + 35.0) << k.reference;
    if (count[k.id.value()] < 60) {
      EXPECT_GT(allocated[k.id.value()], k.insertion_hours - 35.0) << k.reference;
    }
  }
}

// The clause lifecycle's rules size the contracts, as the doors would size them: the labour share is
// the default table's for the contract's CPV code, else for the family's principal (first) fiche,
// and the hours are lifecycle::SizeClause's for that sizing.
TEST(Generator, ContractsAreSizedByTheLifecycleRules) {
  const auto shares = lifecycle::LabourShareTable::Defaults();
  std::map<std::string_view, double> by_cpv;  // each family has its own CPV code
  for (const auto& fam : TradeFamilies()) {
    const auto* entry = shares.ForCpv(fam.cpv);
    if (entry == nullptr) entry = shares.ForFiche(*model::RomeCode::Parse(fam.fiches.front().fiche));
    ASSERT_NE(entry, nullptr) << fam.code;
    by_cpv[fam.cpv] = entry->share;
  }
  ASSERT_EQ(by_cpv.size(), TradeFamilies().size());
  EXPECT_EQ(by_cpv["45210000-2"], 0.40);  // gros œuvre: CPV division 45, travaux de construction
  EXPECT_EQ(by_cpv["90910000-9"], 0.80);  // nettoyage: CPV 909
  EXPECT_EQ(by_cpv["85312000-9"], 0.80);  // services à la personne: no CPV entry, K1302's domaine K13

  const auto& ds = Shared();
  std::set<std::string> families_seen;
  for (const auto& k : ds.contracts) {
    ASSERT_TRUE(k.sizing.has_value());
    ASSERT_EQ(by_cpv.count(k.cpv_code), 1u) << k.cpv_code;
    families_seen.insert(k.cpv_code);
    EXPECT_EQ(k.sizing->labour_share, by_cpv[k.cpv_code]) << k.reference;
    EXPECT_EQ(k.sizing->hourly_cost_eur, 30.0);
    model::Problems problems;
    const auto sizing = lifecycle::SizeClause(
        {k.amount_excl_vat_eur, k.sizing->labour_share, k.sizing->insertion_rate, k.sizing->hourly_cost_eur}, problems);
    ASSERT_TRUE(sizing.has_value()) << k.reference;
    EXPECT_EQ(k.insertion_hours, sizing->hours) << k.reference;
  }
  // Every family but home care, which is not procured (contract weight 0).
  EXPECT_EQ(families_seen.size(), TradeFamilies().size() - 1);
  EXPECT_FALSE(families_seen.contains("85312000-9"));
}

// The population the field sees (docs/generator.md): under-26s mostly 18-25, low qualification
// for most, long-term job seekers more frequent among RSA recipients, building openings full-time
// and cleaning ones mostly part-time.
TEST(Generator, ThePopulationLooksLikeTheField) {
  const auto& ds = Shared();
  std::size_t jeunes = 0, minors = 0, rsa = 0, rsa_detld = 0, others = 0, others_detld = 0, low = 0;
  for (const auto& p : ds.participants) {
    const int age = model::AgeAt(p.birth_date, *ds.as_of);
    if (age < model::kJeuneMaxAgeExclusive) {
      ++jeunes;
      minors += age < 18 ? 1 : 0;
    }
    const bool detld = p.HasCriterion(Criterion::kDetld);
    if (p.HasCriterion(Criterion::kRsa)) {
      ++rsa;
      rsa_detld += detld ? 1 : 0;
    } else {
      ++others;
      others_detld += detld ? 1 : 0;
    }
    low += p.HasCriterion(Criterion::kNiveauFormation) ? 1 : 0;
  }
  EXPECT_LT(static_cast<double>(minors) / jeunes, 0.06);
  EXPECT_GT(static_cast<double>(rsa_detld) / rsa, 1.5 * static_cast<double>(others_detld) / others);
  const double low_share = static_cast<double>(low) / static_cast<double>(ds.participants.size());
  EXPECT_GT(low_share, 0.55);
  EXPECT_LT(low_share, 0.70);
  std::size_t building = 0, building_full = 0, cleaning = 0, cleaning_part = 0;
  for (const auto& o : ds.openings) {
    if (o.fiche.domain() == 'F') {
      ++building;
      building_full += o.weekly_hours == 35 ? 1 : 0;
    }
    if (o.fiche.str().starts_with("K22")) {
      ++cleaning;
      cleaning_part += o.weekly_hours < 35 ? 1 : 0;
    }
  }
  ASSERT_GT(building, 50u);
  ASSERT_GT(cleaning, 20u);
  EXPECT_GT(static_cast<double>(building_full) / building, 0.9);
  EXPECT_GT(static_cast<double>(cleaning_part) / cleaning, 0.6);
}

// Sex follows the trade of the first wish (docs/generator.md "Sex"): few women among people
// wishing building work, most among those wishing cleaning; about 3% not recorded.
TEST(Generator, SexFollowsTheTradeOfTheFirstWish) {
  const auto& ds = Shared();
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_family;  // women, recorded
  std::size_t not_recorded = 0;
  for (const auto& p : ds.participants) {
    if (p.sex == model::Sex::kNonRenseigne) {
      ++not_recorded;
      continue;
    }
    ASSERT_FALSE(p.wanted_fiches.empty());
    const auto* family = TradeFamilyOf(p.wanted_fiches[0]);
    ASSERT_NE(family, nullptr);
    auto& [women, recorded] = by_family[std::string(family->code)];
    women += p.sex == model::Sex::kFemme ? 1 : 0;
    ++recorded;
  }
  EXPECT_NEAR(static_cast<double>(not_recorded) / ds.participants.size(), 0.03, 0.01);
  auto share = [&](const std::string& code) {
    const auto& [women, recorded] = by_family.at(code);
    EXPECT_GT(recorded, 200u) << code;
    return static_cast<double>(women) / static_cast<double>(recorded);
  };
  EXPECT_NEAR(share("btp_gros_oeuvre"), 0.03, 0.03);
  EXPECT_NEAR(share("nettoyage"), 0.70, 0.05);
  EXPECT_NEAR(share("restauration"), 0.55, 0.07);
}

TEST(Generator, EveryRecordPassesModelValidation) {
  const auto& ds = Shared();
  for (const auto& p : ds.participants) {
    // The same rules as the HTTP API (valid_until on RQTH and refugie proofs included).
    const auto problems = model::Validate(p, *ds.as_of);
    EXPECT_TRUE(problems.empty()) << p.id.value() << ": "
                                  << (problems.empty() ? "" : problems[0].field + " " + problems[0].message);
  }
  for (const auto& k : ds.contracts) EXPECT_TRUE(model::Validate(k).empty()) << k.reference;
  for (const auto& o : ds.openings)
    EXPECT_TRUE(model::Validate(o, ds.FindContract(o.contract)).empty()) << o.id.value();
}

TEST(Generator, MobilityAndPrescribersAreConsistentWithTheSituation) {
  const auto& ds = Shared();
  std::size_t jeunes = 0, jeunes_ml = 0, no_car = 0;
  for (const auto& p : ds.participants) {
    EXPECT_GE(p.mobility_radius_km, 5);
    EXPECT_LE(p.mobility_radius_km, 50);
    if (p.mobility_mode == model::MobilityMode::kVoiture) {
      EXPECT_TRUE(p.licences.contains(model::Licence::kB));
    } else {
      ++no_car;
      EXPECT_LE(p.mobility_radius_km, 30);
    }
    if (p.HasCriterion(Criterion::kJeune) && !p.HasCriterion(Criterion::kAse) &&
        !p.HasCriterion(Criterion::kSortantDetention)) {
      ++jeunes;
      jeunes_ml += p.prescriber_kind == model::PrescriberKind::kMissionLocale;
      EXPECT_TRUE(p.prescriber_kind == model::PrescriberKind::kMissionLocale ||
                  p.prescriber_kind == model::PrescriberKind::kFranceTravail);
    }
  }
  EXPECT_GT(static_cast<double>(jeunes_ml) / jeunes, 0.75);
  EXPECT_GT(no_car, ds.participants.size() / 3);
}

TEST(Generator, ContractsCarryPublicsQuotasAndSomeAreQpvOnly) {
  const auto ds = Generate(SmallConfig(10, 400), Ref());
  std::size_t qpv_only = 0, quotas = 0;
  for (const auto& k : ds.contracts) {
    EXPECT_EQ(k.priority_publics & k.accepted_publics, k.priority_publics) << k.reference;
    if (k.qpv_only) {
      ++qpv_only;
      EXPECT_GE(Ref().FindCommune(k.worksite_insee)->population, 10000u);
    }
    for (const auto& q : k.quotas) {
      ++quotas;
      EXPECT_TRUE(k.priority_publics.contains(q.public_criterion));
    }
  }
  EXPECT_GT(qpv_only, 0u);
  EXPECT_GT(quotas, 20u);
}

TEST(Generator, ReportsProgressUpToTheTotalOfEachStage) {
  std::vector<std::pair<std::string, std::size_t>> calls;
  const auto ds =
      Generate(SmallConfig(9000, 1100), Ref(), [&](std::string_view stage, std::size_t done, std::size_t total) {
        EXPECT_EQ(total, stage == "participants" ? 9000u : 1100u);
        calls.emplace_back(std::string(stage), done);
      });
  ASSERT_GE(calls.size(), 4u);
  EXPECT_EQ(calls.front().first, "participants");
  EXPECT_EQ(calls.back(), (std::pair<std::string, std::size_t>{"contracts", 1100}));
  for (std::size_t i = 1; i < calls.size(); ++i)
    if (calls[i].first == calls[i - 1].first) {
      EXPECT_GT(calls[i].second, calls[i - 1].second);
    }
  EXPECT_NE(std::find(calls.begin(), calls.end(), std::pair<std::string, std::size_t>{"participants", 9000}),
            calls.end());
}

TEST(Generator, RejectsUnknownDepartementsAndPresets) {
  auto c = SmallConfig();
  c.departements = {"99"};
  EXPECT_THROW(Generate(c, Ref()), std::invalid_argument);
  c.departements = {};
  EXPECT_THROW(Generate(c, Ref()), std::invalid_argument);
  EXPECT_THROW(PresetConfig("planet", Ref()), std::invalid_argument);
}

TEST(Generator, PresetsNameRealTerritories) {
  const auto region = PresetConfig("region", Ref());
  EXPECT_EQ(region.departements, (std::vector<std::string>{"02", "59", "60", "62", "80"}));
  EXPECT_EQ(region.participants, 300'000u);
  const auto dep = PresetConfig("departement", Ref());
  ASSERT_EQ(dep.departements.size(), 1u);
  EXPECT_NE(Ref().FindDepartement(dep.departements[0]), nullptr);
  EXPECT_EQ(PresetConfig("large", Ref()).participants, 1'000'000u);
  // National: the 96 metropolitan départements (Corsica's two included, no overseas one), people
  // and contracts at the region's rates per inhabitant.
  const auto national = PresetConfig("national", Ref());
  EXPECT_EQ(national.departements.size(), 96u);
  EXPECT_NE(std::find(national.departements.begin(), national.departements.end(), "2A"), national.departements.end());
  for (const auto& d : national.departements) EXPECT_NE(d.rfind("97", 0), 0u) << d;
  const double ratio = PopulationOf(Ref(), national.departements) / PopulationOf(Ref(), region.departements);
  EXPECT_GT(ratio, 10.0);
  EXPECT_LT(ratio, 12.0);
  EXPECT_NEAR(static_cast<double>(national.participants), 300'000 * ratio, 1'000);
  EXPECT_NEAR(static_cast<double>(national.contracts), 11'000 * ratio, 100);
}

TEST(Generator, TradeTableNamesRealFiches) {
  double contract_weight = 0, participant_weight = 0;
  for (const auto& fam : TradeFamilies()) {
    contract_weight += fam.contract_weight;
    participant_weight += fam.participant_weight;
    for (const auto& f : fam.fiches) {
      const auto code = model::RomeCode::Parse(f.fiche);
      ASSERT_TRUE(code.has_value()) << f.fiche;
      EXPECT_NE(Ref().FindFiche(*code), nullptr) << f.fiche;
    }
  }
  EXPECT_NEAR(contract_weight, 1.0, 1e-9);
  EXPECT_NEAR(participant_weight, 1.0, 1e-9);
}

// data/sample/README.md documents the command that produced the committed sample; this keeps the
// two in step (and proves the CSV files carry every field the generator sets).
TEST(Sample, IsWhatTheDocumentedCommandGenerates) {
  GeneratorConfig config;
  config.departements = {"80"};
  config.participants = 3000;
  config.contracts = 60;
  config.seed = 2026;
  config.as_of = model::Date::FromYmd(2026, 11, 23);
  const auto sample = LoadDataset(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/sample", Ref());
  EXPECT_EQ(EncodeBinaryDataset(sample), EncodeBinaryDataset(Generate(config, Ref())));
}

}  // namespace
}  // namespace clausematch::generator
