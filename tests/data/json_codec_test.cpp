#include "data/json_codec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/data/fixtures.hpp"

namespace clausematch::data {
namespace {

using model::Problem;
using model::Problems;
using ::testing::AllOf;
using ::testing::Contains;
using testing::D;
using ::testing::Field;
using testing::SmallReferential;

const model::Date kToday = D("2026-10-01");

auto HasProblem(const std::string& field, const std::string& code) {
  return Contains(AllOf(Field(&Problem::field, field), Field(&Problem::code, code)));
}

std::string Dump(const Problems& ps) {
  std::string s;
  for (const auto& p : ps) s += p.field + " [" + p.code + "] " + p.message + "\n";
  return s;
}

TEST(JsonCodec, ParticipantRoundTripKeepsEveryField) {
  const auto p = testing::FullParticipant();
  Problems problems;
  auto back = ParticipantFromJson(ToJson(p), &SmallReferential(), kToday, problems);
  ASSERT_TRUE(back) << Dump(problems);
  testing::ExpectSame(p, *back);
}

TEST(JsonCodec, ParticipantShapeUsesStableCodes) {
  const Json j = ToJson(testing::FullParticipant());
  EXPECT_EQ(j["prescriber_kind"], "mission_locale");
  EXPECT_EQ(j["birth_date"], "2002-03-04");
  EXPECT_EQ(j["sex"], "femme");
  EXPECT_EQ(j["criteria"][0],
            (Json{{"criterion", "rsa"}, {"proof_date", "2026-09-01"}, {"validated_by", "CD59:agent:12"}}));
  EXPECT_EQ(j["criteria"][1], (Json{{"criterion", "jeune"}}));
  EXPECT_EQ(j["criteria"][3], (Json{{"criterion", "rqth"},
                                    {"proof_date", "2026-06-01"},
                                    {"validated_by", "MDPH-59"},
                                    {"valid_until", "2031-05-31"}}));
  EXPECT_EQ(j["licences"], (Json{"B", "CACES"}));
  EXPECT_EQ(j["wanted_fiches"], (Json{"F1703"}));
  EXPECT_EQ(j["commune_insee"], "59512");
  EXPECT_EQ(j["location"], (Json{{"lat", 50.69}, {"lon", 3.18}}));
  EXPECT_EQ(j["mobility_mode"], "velo");
  EXPECT_EQ(j["id"], 7);
}

TEST(JsonCodec, ContractOpeningPlacementRoundTrip) {
  Problems problems;
  const auto c = testing::FullContract();
  auto c2 = ContractFromJson(ToJson(c), &SmallReferential(), problems);
  ASSERT_TRUE(c2) << Dump(problems);
  testing::ExpectSame(c, *c2);

  const auto o = testing::FullOpening();
  auto o2 = OpeningFromJson(ToJson(o), &SmallReferential(), &c, problems);
  ASSERT_TRUE(o2) << Dump(problems);
  testing::ExpectSame(o, *o2);

  const auto pl = testing::FullPlacement();
  auto pl2 = PlacementFromJson(ToJson(pl), problems);
  ASSERT_TRUE(pl2) << Dump(problems);
  testing::ExpectSame(pl, *pl2);
}

TEST(JsonCodec, ContractShape) {
  const Json j = ToJson(testing::FullContract());
  EXPECT_EQ(j["clause_type"], "marche_reserve_siae");
  EXPECT_EQ(j["legal_basis"], "L2113-13");
  EXPECT_EQ(j["accepted_publics"], (Json{"rsa", "jeune", "deld"}));
  EXPECT_EQ(j["quotas"][0], (Json{{"public", "rsa"}, {"min_positions", 2}, {"min_share", 0.3}}));
  EXPECT_EQ(j["sizing"]["hourly_cost_eur"], 31.0);
}

TEST(JsonCodec, ReferentialFillsFicheAndLocations) {
  Json j = ToJson(testing::FullOpening());
  j.erase("fiche");
  j.erase("worksite_location");
  j["appellation"] = 10537;
  Problems problems;
  auto o = OpeningFromJson(j, &SmallReferential(), nullptr, problems);
  ASSERT_TRUE(o) << Dump(problems);
  EXPECT_EQ(o->fiche.str(), "K2204");
  ASSERT_TRUE(o->worksite_location);
  EXPECT_EQ(*o->worksite_location, (model::GeoPoint{50.6311, 3.0469}));  // Lille's centre

  Json pj = ToJson(testing::FullParticipant());
  pj.erase("location");
  auto p = ParticipantFromJson(pj, &SmallReferential(), kToday, problems);
  ASSERT_TRUE(p) << Dump(problems);
  EXPECT_EQ(*p->location, (model::GeoPoint{50.6887, 3.1843}));  // Roubaix's centre

  // Without a referential nothing is derived.
  auto bare = ParticipantFromJson(pj, nullptr, kToday, problems);
  ASSERT_TRUE(bare) << Dump(problems);
  EXPECT_FALSE(bare->location);
}

// Sex is optional: absent (or null) is "non renseigné"; a code outside femme, homme,
// non_renseigne is refused, naming the field.
TEST(JsonCodec, SexIsOptionalAndItsCodesAreChecked) {
  Json j = ToJson(testing::FullParticipant());
  for (const auto& [given, want] : {std::pair<Json, model::Sex>{"homme", model::Sex::kHomme},
                                    {"non_renseigne", model::Sex::kNonRenseigne},
                                    {nullptr, model::Sex::kNonRenseigne}}) {
    j["sex"] = given;
    Problems problems;
    const auto p = ParticipantFromJson(j, &SmallReferential(), kToday, problems);
    ASSERT_TRUE(p) << Dump(problems);
    EXPECT_EQ(p->sex, want) << given;
  }
  j.erase("sex");
  Problems problems;
  const auto absent = ParticipantFromJson(j, &SmallReferential(), kToday, problems);
  ASSERT_TRUE(absent) << Dump(problems);
  EXPECT_EQ(absent->sex, model::Sex::kNonRenseigne);
  j["sex"] = "F";
  EXPECT_FALSE(ParticipantFromJson(j, &SmallReferential(), kToday, problems));
  EXPECT_THAT(problems, HasProblem("/sex", "unknown_code"));
}

TEST(JsonCodec, CollectsEveryProblemWithItsPointer) {
  Json j = ToJson(testing::FullParticipant());
  j["birth_date"] = "2002-02-30";                 // not a calendar day
  j["mobility_radius_km"] = "25";                 // a string, not a number
  j["prescriber_kind"] = "pole_emploi";           // unknown code
  j["criteria"][1]["criterion"] = "rssa";         // unknown criterion
  j["criteria"][2]["proof_date"] = "2027-01-01";  // in the future (model validation)
  j["commune_insee"] = "59999";                   // no such commune
  j["wanted_appellations"][1] = 99999;            // no such appellation
  j["skills"][0] = 1;                             // no such skill
  j["licences"] = {"B", "Z"};                     // unknown licence
  j["location"] = {{"lat", 50.0}};                // lon missing
  j.erase("registration_date");                   // required
  j["favourite_colour"] = "blue";                 // unknown field
  j["weekly_hours_wanted"] = 60;                  // model: out of range
  Problems problems;
  auto p = ParticipantFromJson(j, &SmallReferential(), kToday, problems);
  EXPECT_FALSE(p);
  EXPECT_THAT(problems, HasProblem("/birth_date", "invalid_format"));
  EXPECT_THAT(problems, HasProblem("/mobility_radius_km", "wrong_type"));
  EXPECT_THAT(problems, HasProblem("/prescriber_kind", "unknown_code"));
  EXPECT_THAT(problems, HasProblem("/criteria/1/criterion", "unknown_code"));
  EXPECT_THAT(problems, HasProblem("/criteria/2/proof_date", "in_future"));
  EXPECT_THAT(problems, HasProblem("/commune_insee", "unknown_commune"));
  EXPECT_THAT(problems, HasProblem("/wanted_appellations/1", "unknown_appellation"));
  EXPECT_THAT(problems, HasProblem("/skills/0", "unknown_skill"));
  EXPECT_THAT(problems, HasProblem("/licences/1", "unknown_code"));
  EXPECT_THAT(problems, HasProblem("/location/lon", "required"));
  EXPECT_THAT(problems, HasProblem("/registration_date", "required"));
  EXPECT_THAT(problems, HasProblem("/favourite_colour", "unknown_field"));
  EXPECT_THAT(problems, HasProblem("/weekly_hours_wanted", "out_of_range"));
  EXPECT_EQ(problems.size(), 13u) << Dump(problems);  // each once: no echo from model validation
}

// valid_until: an end date of the document, refused before the proof date and on an age
// criterion, required on an RQTH decision or a residence title (refugie) unless reading legacy
// data; a PASS IAE (salarie_siae) may go without one (24 months).
TEST(JsonCodec, ValidUntilProblemsNameTheCriterionItem) {
  Json j = ToJson(testing::FullParticipant());
  j["criteria"][0]["valid_until"] = "2026-08-31";  // rsa dated 2026-09-01: before its proof date
  j["criteria"][1]["valid_until"] = "2030-01-01";  // jeune: an age criterion
  j["criteria"][3].erase("valid_until");           // rqth without its decision's end
  j["criteria"].push_back(Json{{"criterion", "refugie"}, {"proof_date", "2026-05-01"}, {"validated_by", "OFPRA"}});
  j["criteria"].push_back(
      Json{{"criterion", "salarie_siae"}, {"proof_date", "2026-05-01"}, {"validated_by", "EI-59"}});  // fine
  j["criteria"][2]["valid_until"] = "2026-13-01";                                                     // not a date
  Problems problems;
  EXPECT_FALSE(ParticipantFromJson(j, &SmallReferential(), kToday, problems));
  EXPECT_THAT(problems, HasProblem("/criteria/0/valid_until", "before_proof_date"));
  EXPECT_THAT(problems, HasProblem("/criteria/1/valid_until", "not_applicable"));
  EXPECT_THAT(problems, HasProblem("/criteria/2/valid_until", "invalid_format"));
  EXPECT_THAT(problems, HasProblem("/criteria/3/valid_until", "required"));
  EXPECT_THAT(problems, HasProblem("/criteria/4/valid_until", "required"));
  EXPECT_EQ(problems.size(), 5u) << Dump(problems);

  // Without the inconsistent end dates, only the missing ones are left.
  j["criteria"][0].erase("valid_until");
  j["criteria"][1].erase("valid_until");
  j["criteria"][2].erase("valid_until");
  problems.clear();
  EXPECT_FALSE(ParticipantFromJson(j, &SmallReferential(), kToday, problems));
  EXPECT_EQ(problems.size(), 2u) << Dump(problems);
  // Equal to the proof date is fine (a one-day document).
  j["criteria"][3]["valid_until"] = "2026-06-01";
  j["criteria"][4]["valid_until"] = "2031-04-30";
  problems.clear();
  EXPECT_TRUE(ParticipantFromJson(j, &SmallReferential(), kToday, problems)) << Dump(problems);
}

TEST(JsonCodec, ContractIaePathOptionDefaultsToOpen) {
  Json j = ToJson(testing::FullContract());
  EXPECT_EQ(j["accepts_iae_eligibility"], false);
  j.erase("accepts_iae_eligibility");
  Problems problems;
  auto c = ContractFromJson(j, &SmallReferential(), problems);
  ASSERT_TRUE(c) << Dump(problems);
  EXPECT_TRUE(c->accepts_iae_eligibility);
  j["accepts_iae_eligibility"] = "no";
  EXPECT_FALSE(ContractFromJson(j, &SmallReferential(), problems));
  EXPECT_THAT(problems, HasProblem("/accepts_iae_eligibility", "wrong_type"));
}

TEST(JsonCodec, WrongTopLevelTypesNeverThrow) {
  Problems problems;
  EXPECT_FALSE(ParticipantFromJson(Json::array(), nullptr, kToday, problems));
  EXPECT_FALSE(ContractFromJson("text", nullptr, problems));
  EXPECT_FALSE(OpeningFromJson(42, nullptr, nullptr, problems));
  EXPECT_FALSE(PlacementFromJson(nullptr, problems));
  ASSERT_EQ(problems.size(), 4u);
  for (const auto& p : problems) {
    EXPECT_EQ(p.field, "");
    EXPECT_EQ(p.code, "wrong_type");
  }
  problems.clear();
  Json j = ToJson(testing::FullPlacement());
  j["hours"] = {{{"year", 2026}, {"month", "11"}, {"hours", 3}, {"reported_on", "2026-12-01"}}, "x"};
  j["outcomes"] = 6;
  j["id"] = -1;
  EXPECT_FALSE(PlacementFromJson(j, problems));
  EXPECT_THAT(problems, HasProblem("/hours/0/month", "wrong_type"));
  EXPECT_THAT(problems, HasProblem("/hours/1", "wrong_type"));
  EXPECT_THAT(problems, HasProblem("/outcomes", "wrong_type"));
  EXPECT_THAT(problems, HasProblem("/id", "out_of_range"));
}

TEST(JsonCodec, OpeningProblemsAgainstReferentialAndContract) {
  const auto c = testing::FullContract();
  Json j = ToJson(testing::FullOpening());
  j["appellation"] = 1;
  j["start"] = "2026-09-01";  // before the contract's start
  j["worksite_insee"] = "2A004";
  j["required_skills"] = {103780, 2};
  Problems problems;
  EXPECT_FALSE(OpeningFromJson(j, &SmallReferential(), &c, problems));
  EXPECT_THAT(problems, HasProblem("/appellation", "unknown_appellation"));
  EXPECT_THAT(problems, HasProblem("/start", "out_of_range"));
  EXPECT_THAT(problems, HasProblem("/required_skills/1", "unknown_skill"));
  EXPECT_EQ(problems.size(), 3u) << Dump(problems);  // 2A004 is a known Corsican commune
}

TEST(JsonCodec, ContractQuotaAndSizingProblems) {
  Json j = ToJson(testing::FullContract());
  j["quotas"] = {{{"public", "senior"}, {"min_positions", 1}}, {{"min_share", 0.2}}};
  j["sizing"] = {{"labour_share", 0.5}};
  j["accepted_publics"] = {"rsa", "jeune", "deld", "nobody"};
  Problems problems;
  EXPECT_FALSE(ContractFromJson(j, &SmallReferential(), problems));
  EXPECT_THAT(problems, HasProblem("/quotas/0/public", "not_accepted"));
  EXPECT_THAT(problems, HasProblem("/quotas/1/public", "required"));
  EXPECT_THAT(problems, HasProblem("/sizing/insertion_rate", "required"));
  EXPECT_THAT(problems, HasProblem("/accepted_publics/3", "unknown_code"));
}

}  // namespace
}  // namespace clausematch::data
