// Territories through the real server (issue 17, "Anyone anywhere"): an admin sets the départements
// an organisation covers; a facilitator's contracts and openings lie inside its own; its shortlists
// and batch runs see only participants of prescribers whose territory meets its own; and it records
// the hire of a person only on an opening it was shown that person for. Nothing outside is
// reachable by any route: shortlist, batch and proposals, hire, indicators.
#include <set>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class TerritoryTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    prescriber_far_ = store::CreateApiKey(*store_, "ML-AMIENS", store::Role::kPrescriber).token;
    newcomer_ = store::CreateApiKey(*store_, "PLIE-NEW", store::Role::kFacilitator).token;
    SetTerritory("PLIE-LILLE", {"59"});
    SetTerritory("ML-LILLE", {"59"});
    SetTerritory("FT-59", {"59"});
    SetTerritory("ML-AMIENS", {"80"});
    SetTerritory("PLIE-ROUBAIX", {"80"});
  }
  void SetTerritory(const std::string& org, const std::vector<std::string>& departements) {
    auto r = Put("/v1/organisations/" + org + "/territory", {{"departements", departements}}, admin_);
    ASSERT_EQ(r.status, 200) << r.text;
    EXPECT_EQ(r.body["departements"].get<std::vector<std::string>>().size(),
              std::set<std::string>(departements.begin(), departements.end()).size());
  }
  std::uint32_t NewPerson(const std::string& ref, const std::string& token) {
    auto r = Post("/v1/participants", Person(ref, "Inès", "Durand"), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  std::string NewContract(const std::string& token) {
    auto r = Post("/v1/contracts", ContractBody(), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return std::to_string(r.body.value("id", 0));
  }
  std::uint32_t NewOpening(const std::string& contract, const std::string& token) {
    auto r = Post("/v1/contracts/" + contract + "/openings", OpeningBody(), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  std::set<std::uint32_t> Shortlisted(std::uint32_t opening, const std::string& token, json* whole = nullptr) {
    auto r = Get("/v1/openings/" + std::to_string(opening) + "/shortlist?k=50", token);
    EXPECT_EQ(r.status, 200) << r.text;
    std::set<std::uint32_t> ids;
    for (const auto& e : r.body["entries"]) ids.insert(e["candidate"]["participant_id"].get<std::uint32_t>());
    if (whole) *whole = r.body;
    return ids;
  }
  static std::vector<std::string> Pointers(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& e : r.body["errors"])
      out.push_back(e["pointer"].get<std::string>() + ":" + e["code"].get<std::string>());
    return out;
  }
  Reply Hire(std::uint32_t opening, std::uint32_t person, const std::string& token) {
    return Post("/v1/placements", {{"opening_id", opening}, {"participant_id", person}, {"employer", "Entreprise"}},
                token);
  }
  std::string prescriber_far_, newcomer_;
};

TEST_F(TerritoryTest, AnAdminSetsTerritoriesAndAnOrganisationReadsItsOwn) {
  auto mine = Get("/v1/organisations/PLIE-LILLE/territory", facilitator_a_);
  ASSERT_EQ(mine.status, 200) << mine.text;
  EXPECT_EQ(mine.body["departements"], json::array({"59"}));
  EXPECT_EQ(Get("/v1/organisations/ML-AMIENS/territory", facilitator_a_).status, 404);  // another's
  EXPECT_EQ(Get("/v1/organisations/PLIE-NEW/territory", newcomer_).body["departements"], json::array());
  EXPECT_EQ(Put("/v1/organisations/PLIE-LILLE/territory", {{"departements", {"59", "62"}}}, facilitator_a_).status,
            403);

  auto bad = Put("/v1/organisations/PLIE-LILLE/territory", {{"departements", {"59", "99", 62}}}, admin_);
  EXPECT_EQ(bad.status, 422) << bad.text;
  EXPECT_EQ(Pointers(bad), (std::vector<std::string>{"/departements/2:type"}));
  bad = Put("/v1/organisations/PLIE-LILLE/territory", {{"departements", {"59", "99"}}}, admin_);
  EXPECT_EQ(Pointers(bad), (std::vector<std::string>{"/departements/1:unknown"}));
  bad = Put("/v1/organisations/PLIE-LILLE/territory", {{"departements", {"*", "59"}}}, admin_);
  EXPECT_EQ(Pointers(bad), (std::vector<std::string>{"/departements/0:invalid_value"}));
  bad = Put("/v1/organisations/PLIE-LILLE/territory", json::object(), admin_);
  EXPECT_EQ(Pointers(bad), (std::vector<std::string>{"/departements:required"}));
  EXPECT_EQ(Get("/v1/organisations/PLIE-LILLE/territory", admin_).body["departements"], json::array({"59"}));

  SetTerritory("PLIE-LILLE", {"62", "59", "2A"});
  EXPECT_EQ(Get("/v1/organisations/PLIE-LILLE/territory", admin_).body["departements"],
            json::array({"2A", "59", "62"}));
  auto all = Get("/v1/organisations", admin_);
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.body["items"].size(), 5u);  // the fixture's four and ML-AMIENS; PLIE-NEW has none
  EXPECT_EQ(Get("/v1/organisations", facilitator_a_).status, 403);
}

TEST_F(TerritoryTest, ContractsAndOpeningsLieInsideTheFacilitatorsTerritory) {
  auto amiens = ContractBody("2026-AMIENS-001");
  amiens["worksite_insee"] = "80021";
  auto r = Post("/v1/contracts", amiens, facilitator_a_);
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/worksite_insee:outside_territory"}));
  // An admin creating it for PLIE-LILLE is held to PLIE-LILLE's territory.
  amiens["facilitator_org"] = "PLIE-LILLE";
  EXPECT_EQ(Post("/v1/contracts", amiens, admin_).status, 422);
  // Coordinates are checked too: a Lille commune with a point in Amiens is outside.
  auto moved = ContractBody("2026-LILLE-002");
  moved["worksite_location"] = {{"lat", 49.894}, {"lon", 2.302}};
  r = Post("/v1/contracts", moved, facilitator_a_);
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/worksite_location:outside_territory"}));
  // An organisation without a territory reaches nowhere, and is told why.
  r = Post("/v1/contracts", ContractBody("2026-NEW-001"), newcomer_);
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_NE(r.text.find("no territory yet"), std::string::npos) << r.text;
  // Roubaix's PLIE covers the Somme: Amiens is fine for it, Lille is not.
  amiens.erase("facilitator_org");
  EXPECT_EQ(Post("/v1/contracts", amiens, facilitator_b_).status, 201);

  const auto c = NewContract(facilitator_a_);
  auto opening = OpeningBody();
  opening["worksite_insee"] = "80021";
  r = Post("/v1/contracts/" + c + "/openings", opening, facilitator_a_);
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/worksite_insee:outside_territory"}));
  opening["worksite_insee"] = "59350";  // Lille: inside
  r = Post("/v1/contracts/" + c + "/openings", opening, facilitator_a_);
  EXPECT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(Get("/v1/contracts", facilitator_a_).body["items"].size(), 1u);
}

TEST_F(TerritoryTest, NothingOutsideTheTerritoryIsReachableByAnyRoute) {
  // Two people alike, living in Lille: one followed by a Lille prescriber, one by a prescriber of
  // the Somme only. Both are in reach of, and eligible for, PLIE-LILLE's opening in Lille.
  const auto near = NewPerson("T-near", prescriber_a_);
  const auto far = NewPerson("T-far", prescriber_far_);
  const auto c = NewContract(facilitator_a_);
  const auto opening = NewOpening(c, facilitator_a_);
  const auto other_opening = NewOpening(c, facilitator_a_);

  json body;
  EXPECT_EQ(Shortlisted(opening, facilitator_a_, &body), std::set<std::uint32_t>{near});
  EXPECT_EQ(body["population"], 1) << body.dump();  // the other is not even counted
  // An admin sees both: the other is left out by the audience rule, not by reach or eligibility.
  EXPECT_EQ(Shortlisted(opening, admin_), (std::set<std::uint32_t>{near, far}));

  // A hire of someone never shown to it, or shown for another opening, is refused alike.
  auto r = Hire(opening, far, facilitator_a_);
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/participant_id:not_available"}));
  r = Hire(other_opening, near, facilitator_a_);  // `near` was shortlisted for `opening` only
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/participant_id:not_available"}));

  // A batch run of PLIE-LILLE proposes only the person in its audience.
  auto started = Post("/v1/batches", json::object(), facilitator_a_);
  ASSERT_EQ(started.status, 202) << started.text;
  const auto batch = std::to_string(started.body["id"].get<int>());
  const auto state = WaitForRun(started.body["id"].get<int>(), facilitator_a_);
  ASSERT_EQ(state["state"], "succeeded") << state.dump();
  EXPECT_EQ(state["summary"]["participants"], 1) << state.dump();
  auto proposals = Get("/v1/batches/" + batch + "/proposals", facilitator_a_);
  ASSERT_EQ(proposals.status, 200) << proposals.text;
  ASSERT_FALSE(proposals.body["items"].empty()) << proposals.text;
  for (const auto& p : proposals.body["items"]) EXPECT_EQ(p["participant_id"], near) << proposals.text;

  // The person shortlisted (and proposed) for the opening may be hired on it; the other still not.
  EXPECT_EQ(Hire(opening, far, facilitator_a_).status, 422);
  EXPECT_EQ(Hire(opening, near, facilitator_a_).status, 201);

  // Indicators count the hire made, and nothing of the person out of reach.
  auto indicators = Get("/v1/indicators", facilitator_a_);
  ASSERT_EQ(indicators.status, 200) << indicators.text;
  EXPECT_EQ(indicators.body["placements_in_scope"], 1) << indicators.text;

  // A facilitator of the Somme sees no one of the Lille prescriber, whatever it crafts: its
  // contracts cannot be put in Lille, and its audience leaves Lille's people out.
  EXPECT_EQ(Post("/v1/contracts", ContractBody("2026-ROUBAIX-001"), facilitator_b_).status, 422);

  // Once the Somme prescriber also covers the Nord, PLIE-LILLE sees its person.
  SetTerritory("ML-AMIENS", {"59", "80"});
  EXPECT_EQ(Shortlisted(other_opening, facilitator_a_), std::set<std::uint32_t>{far});  // `near` is hired now
  // And an organisation without any territory sees no one at all.
  SetTerritory("PLIE-LILLE", {});
  EXPECT_TRUE(Shortlisted(other_opening, facilitator_a_).empty());
}

}  // namespace
}  // namespace clausematch::api::http::testing
