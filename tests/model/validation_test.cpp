// model::Validate: one row per rule. Each row breaks exactly one thing in an otherwise valid
// object and expects exactly one problem, at the given JSON pointer with the given code.
#include "model/validation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "tests/data/fixtures.hpp"

namespace clausematch::model {
namespace {

using testing::D;

const Date kToday = D("2026-10-01");

std::string Dump(const Problems& ps) {
  std::string s;
  for (const auto& p : ps) s += p.field + " [" + p.code + "] " + p.message + "\n";
  return s;
}

template <typename T>
struct Rule {
  const char* name;
  std::function<void(T&)> breaks;
  const char* field;
  const char* code;
};

template <typename T, typename V>
void CheckRules(const T& valid, const std::vector<Rule<T>>& rules, V validate) {
  ASSERT_TRUE(validate(valid).empty()) << Dump(validate(valid));
  for (const auto& rule : rules) {
    SCOPED_TRACE(rule.name);
    T broken = valid;
    rule.breaks(broken);
    const Problems problems = validate(broken);
    ASSERT_EQ(problems.size(), 1u) << Dump(problems);
    EXPECT_EQ(problems[0].field, rule.field);
    EXPECT_EQ(problems[0].code, rule.code);
    EXPECT_FALSE(problems[0].message.empty());
  }
}

TEST(Validate, ParticipantRules) {
  using P = Participant;
  const std::vector<Rule<P>> rules{
      {"prescriber", [](P& p) { p.prescriber_org.clear(); }, "/prescriber_org", "required"},
      {"first name", [](P& p) { p.first_name.clear(); }, "/first_name", "required"},
      {"last name", [](P& p) { p.last_name.clear(); }, "/last_name", "required"},
      {"too young", [](P& p) { p.birth_date = D("2011-10-02"); }, "/birth_date", "out_of_range"},  // 14 at today
      {"too old", [](P& p) { p.birth_date = D("1945-01-01"); }, "/birth_date", "out_of_range"},
      {"no criterion nor derogation",
       [](P& p) {
         p.criteria.clear();
         p.derogation.reset();
       },
       "/criteria", "required"},
      {"duplicate criterion", [](P& p) { p.criteria.push_back(p.criteria[0]); }, "/criteria/4/criterion", "duplicate"},
      {"valid_until before the proof date", [](P& p) { p.criteria[0].valid_until = D("2026-08-31"); },
       "/criteria/0/valid_until", "before_proof_date"},
      {"valid_until on an age criterion", [](P& p) { p.criteria[1].valid_until = D("2030-01-01"); },
       "/criteria/1/valid_until", "not_applicable"},
      {"RQTH decision without its end", [](P& p) { p.criteria[3].valid_until.reset(); }, "/criteria/3/valid_until",
       "required"},
      {"residence title without its end",
       [](P& p) {
         p.criteria[3].criterion = Criterion::kRefugie;
         p.criteria[3].valid_until.reset();
       },
       "/criteria/3/valid_until", "required"},
      {"document proof without date", [](P& p) { p.criteria[2].proof_date.reset(); }, "/criteria/2/proof_date",
       "required"},
      {"document proof without validator", [](P& p) { p.criteria[0].validated_by.clear(); }, "/criteria/0/validated_by",
       "required"},
      {"proof in the future", [](P& p) { p.criteria[0].proof_date = D("2026-10-02"); }, "/criteria/0/proof_date",
       "in_future"},
      {"derogation without author", [](P& p) { p.derogation->granted_by.clear(); }, "/derogation/granted_by",
       "required"},
      {"derogation without reason", [](P& p) { p.derogation->reason.clear(); }, "/derogation/reason", "required"},
      {"derogation in the future", [](P& p) { p.derogation->granted_on = D("2026-12-01"); }, "/derogation/granted_on",
       "in_future"},
      {"diagnosis in the future", [](P& p) { p.diagnosis_date = D("2027-01-01"); }, "/diagnosis_date", "in_future"},
      {"no commune nor location",
       [](P& p) {
         p.commune_insee.clear();
         p.location.reset();
       },
       "/commune_insee", "required"},
      {"bad INSEE code", [](P& p) { p.commune_insee = "2C004"; }, "/commune_insee", "invalid_format"},
      {"latitude out of range", [](P& p) { p.location->lat = 91; }, "/location", "out_of_range"},
      {"radius too small", [](P& p) { p.mobility_radius_km = 1.5; }, "/mobility_radius_km", "out_of_range"},
      {"radius too large", [](P& p) { p.mobility_radius_km = 101; }, "/mobility_radius_km", "out_of_range"},
      {"no wanted job",
       [](P& p) {
         p.wanted_appellations.clear();
         p.wanted_fiches.clear();
       },
       "/wanted_appellations", "required"},
      {"invalid fiche", [](P& p) { p.wanted_fiches.push_back(RomeCode{}); }, "/wanted_fiches/1", "invalid_format"},
      {"zero weekly hours", [](P& p) { p.weekly_hours_wanted = 0; }, "/weekly_hours_wanted", "out_of_range"},
      {"49 weekly hours", [](P& p) { p.weekly_hours_wanted = 49; }, "/weekly_hours_wanted", "out_of_range"},
      {"registration in the future", [](P& p) { p.registration_date = D("2026-10-02"); }, "/registration_date",
       "in_future"},
      {"available before birth", [](P& p) { p.available_from = D("2001-01-01"); }, "/available_from", "out_of_range"},
      {"consent without date", [](P& p) { p.consent_date.reset(); }, "/consent_date", "required"},
      {"e-mail without @", [](P& p) { p.email = "ines.example.org"; }, "/email", "invalid_format"},
      {"negative open proposals", [](P& p) { p.open_proposals = -1; }, "/open_proposals", "out_of_range"},
  };
  CheckRules(testing::FullParticipant(), rules, [](const P& p) { return Validate(p, kToday); });
}

TEST(Validate, ParticipantEdgesThatAreFine) {
  auto p = testing::FullParticipant();
  p.birth_date = D("2011-10-01");  // exactly 15 today
  p.mobility_radius_km = 2;
  p.weekly_hours_wanted = 48;
  p.criteria = {{Criterion::kJeune, std::nullopt, ""}};  // age-based: no proof date, no validator
  p.commune_insee = "2A004";
  p.location.reset();
  p.email.reset();
  p.consent = false;
  p.consent_date.reset();
  EXPECT_TRUE(Validate(p, kToday).empty()) << Dump(Validate(p, kToday));
  p.criteria.clear();  // a derogation alone is enough
  EXPECT_TRUE(Validate(p, kToday).empty()) << Dump(Validate(p, kToday));
  // A PASS IAE may go without an end date (24 months); a one-day document ends on its proof date;
  // an RQTH proof needs its decision's end, whatever the input.
  p.criteria = {{Criterion::kSalarieSiae, D("2026-05-01"), "EI-59"},
                {Criterion::kRsa, D("2026-09-01"), "CD59", D("2026-09-01")},
                {Criterion::kRqth, D("2026-06-01"), "MDPH-59"}};
  const Problems missing_end = Validate(p, kToday);
  ASSERT_EQ(missing_end.size(), 1u) << Dump(missing_end);
  EXPECT_EQ(missing_end[0].field, "/criteria/2/valid_until");
  EXPECT_EQ(missing_end[0].code, "required");
  p.criteria[2].valid_until = D("2031-05-31");
  EXPECT_TRUE(Validate(p, kToday).empty()) << Dump(Validate(p, kToday));
}

TEST(Validate, EveryProblemIsReturnedNotJustTheFirst) {
  auto p = testing::FullParticipant();
  p.first_name.clear();
  p.mobility_radius_km = 0;
  p.open_proposals = -3;
  const auto problems = Validate(p, kToday);
  ASSERT_EQ(problems.size(), 3u) << Dump(problems);
  EXPECT_EQ(problems[0].field, "/first_name");
  EXPECT_EQ(problems[1].field, "/mobility_radius_km");
  EXPECT_EQ(problems[2].field, "/open_proposals");
}

TEST(Validate, ContractRules) {
  using C = Contract;
  const std::vector<Rule<C>> rules{
      {"reference", [](C& c) { c.reference.clear(); }, "/reference", "required"},
      {"buyer", [](C& c) { c.buyer.clear(); }, "/buyer", "required"},
      {"facilitator", [](C& c) { c.facilitator_org.clear(); }, "/facilitator_org", "required"},
      {"negative amount", [](C& c) { c.amount_excl_vat_eur = -1; }, "/amount_excl_vat_eur", "out_of_range"},
      {"amount above 1e12", [](C& c) { c.amount_excl_vat_eur = 2e12; }, "/amount_excl_vat_eur", "out_of_range"},
      {"ends before start", [](C& c) { c.end = D("2026-09-30"); }, "/end", "out_of_range"},
      {"no worksite",
       [](C& c) {
         c.worksite_insee.clear();
         c.worksite_location.reset();
       },
       "/worksite_insee", "required"},
      {"bad INSEE code", [](C& c) { c.worksite_insee = "5935"; }, "/worksite_insee", "invalid_format"},
      {"longitude out of range", [](C& c) { c.worksite_location->lon = 181; }, "/worksite_location", "out_of_range"},
      {"accepts nobody",
       [](C& c) {
         c.accepted_publics = {};
         c.priority_publics = {};
         c.quotas.clear();
       },
       "/accepted_publics", "required"},
      {"level-2 count 0", [](C& c) { c.iae_level2_required = 0; }, "/iae_level2_required", "out_of_range"},
      {"level-2 count 6", [](C& c) { c.iae_level2_required = 6; }, "/iae_level2_required", "out_of_range"},
      {"labour share 0", [](C& c) { c.sizing->labour_share = 0; }, "/sizing/labour_share", "out_of_range"},
      {"insertion rate > 1", [](C& c) { c.sizing->insertion_rate = 1.5; }, "/sizing/insertion_rate", "out_of_range"},
      {"hourly cost 0", [](C& c) { c.sizing->hourly_cost_eur = 0; }, "/sizing/hourly_cost_eur", "out_of_range"},
      {"negative hours", [](C& c) { c.insertion_hours = -1; }, "/insertion_hours", "out_of_range"},
      {"hours above 1e8", [](C& c) { c.insertion_hours = 1.5e8; }, "/insertion_hours", "out_of_range"},
      {"infinite hours", [](C& c) { c.insertion_hours = HUGE_VAL; }, "/insertion_hours", "out_of_range"},
      {"negative quota positions", [](C& c) { c.quotas[0].min_positions = -1; }, "/quotas/0/min_positions",
       "out_of_range"},
      {"quota share > 1", [](C& c) { c.quotas[1].min_share = 1.2; }, "/quotas/1/min_share", "out_of_range"},
      {"empty quota",
       [](C& c) {
         c.quotas[1].min_positions = 0;
         c.quotas[1].min_share = 0;
       },
       "/quotas/1", "empty"},
      {"quota public outside the clause", [](C& c) { c.quotas[1].public_criterion = Criterion::kSenior; },
       "/quotas/1/public", "not_accepted"},
  };
  CheckRules(testing::FullContract(), rules, [](const C& c) { return Validate(c); });
  // With the derogation allowed, a clause may list no public of its own.
  auto c = testing::FullContract();
  c.accepted_publics = {};
  c.accepts_derogation = true;
  c.quotas.clear();
  c.priority_publics = {};
  EXPECT_TRUE(Validate(c).empty()) << Dump(Validate(c));
}

TEST(Validate, OpeningRules) {
  using O = Opening;
  const std::vector<Rule<O>> rules{
      {"contract", [](O& o) { o.contract = ContractId(); }, "/contract", "required"},
      {"appellation", [](O& o) { o.appellation = 0; }, "/appellation", "required"},
      {"no position", [](O& o) { o.positions = 0; }, "/positions", "out_of_range"},
      {"too many positions", [](O& o) { o.positions = 10001; }, "/positions", "out_of_range"},
      {"weekly hours", [](O& o) { o.weekly_hours = 50; }, "/weekly_hours", "out_of_range"},
      {"ends before start", [](O& o) { o.end = D("2026-11-01"); }, "/end", "out_of_range"},
      {"no worksite",
       [](O& o) {
         o.worksite_insee.clear();
         o.worksite_location.reset();
       },
       "/worksite_insee", "required"},
      {"bad INSEE code", [](O& o) { o.worksite_insee = "ABCDE"; }, "/worksite_insee", "invalid_format"},
      {"max distance 0", [](O& o) { o.max_distance_km = 0; }, "/max_distance_km", "out_of_range"},
      {"max distance 201", [](O& o) { o.max_distance_km = 201; }, "/max_distance_km", "out_of_range"},
  };
  CheckRules(testing::FullOpening(), rules, [](const O& o) { return Validate(o); });

  const Contract contract = testing::FullContract();  // 2026-10-01 .. 2027-09-30
  const std::vector<Rule<O>> against_contract{
      {"starts before its contract", [](O& o) { o.start = D("2026-09-30"); }, "/start", "out_of_range"},
      {"ends after its contract", [](O& o) { o.end = D("2027-10-01"); }, "/end", "out_of_range"},
  };
  CheckRules(testing::FullOpening(), against_contract, [&](const O& o) { return Validate(o, &contract); });
}

TEST(Validate, PlacementRules) {
  using P = Placement;
  const std::vector<Rule<P>> rules{
      {"participant", [](P& p) { p.participant = ParticipantId(); }, "/participant", "required"},
      {"opening", [](P& p) { p.opening = OpeningId(); }, "/opening", "required"},
      {"ends before start", [](P& p) { p.end = D("2026-11-01"); }, "/end", "out_of_range"},
      {"weekly hours", [](P& p) { p.weekly_hours = 0; }, "/weekly_hours", "out_of_range"},
      {"month 13", [](P& p) { p.hours[2].month = 13; }, "/hours/2/month", "out_of_range"},
      {"negative hours", [](P& p) { p.hours[0].hours = -1; }, "/hours/0/hours", "out_of_range"},
      {"hours not from their amount", [](P& p) { p.hours[3].hours = 81; }, "/hours/3/hours", "inconsistent"},
      {"amount of zero", [](P& p) { p.hours[3].amount->amount_eur = 0; }, "/hours/3/amount/amount_eur", "out_of_range"},
      {"labour share above 1", [](P& p) { p.hours[3].amount->labour_share = 1.5; }, "/hours/3/amount/labour_share",
       "out_of_range"},
      {"hourly cost under 1 EUR", [](P& p) { p.hours[3].amount->hourly_cost_eur = 0.5; },
       "/hours/3/amount/hourly_cost_eur", "out_of_range"},
      {"outcome at 9 months", [](P& p) { p.outcomes[0].months_after_entry = 9; }, "/outcomes/0/months_after_entry",
       "out_of_range"},
  };
  CheckRules(testing::FullPlacement(), rules, [](const P& p) { return Validate(p); });
}

TEST(Validate, InseeCodesAndPrefix) {
  EXPECT_TRUE(IsInseeCode("59350"));
  EXPECT_TRUE(IsInseeCode("2A004"));
  EXPECT_TRUE(IsInseeCode("2B033"));
  EXPECT_FALSE(IsInseeCode("3A004"));
  EXPECT_FALSE(IsInseeCode("5935"));
  EXPECT_FALSE(IsInseeCode("593500"));
  EXPECT_FALSE(IsInseeCode("5935x"));
  Problems ps{{"/birth_date", "required", "x"}, {"", "empty", "y"}};
  PrefixFields(ps, "/participants/3");
  EXPECT_EQ(ps[0].field, "/participants/3/birth_date");
  EXPECT_EQ(ps[1].field, "/participants/3");
}

}  // namespace
}  // namespace clausematch::model
