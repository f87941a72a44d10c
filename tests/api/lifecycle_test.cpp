// The clause lifecycle over HTTP: plan, placements, monthly hours, fulfilment, indicators, with the
// organisation boundary, the roles, audit and the error cases. Hand-checked figures: a contract of
// 1 M EUR in 2025 with 833 insertion hours; an opening from Monday 17 March to 30 June 2025 at 35 h a
// week (March: 11 working days, 77 h planned, at most 35 x 4/3 x 11 / 5 = 102.67 h; April: 22
// working days, 154 h).
#include <map>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class LifecycleApiTest : public ApiTest {
 protected:
  // Decisions and hires are made on 10 March 2025, a week before the opening starts: the hire date
  // is its start (17 March), never before the decision (docs/lifecycle.md).
  void SetUp() override { Start(On(model::Date::FromYmd(2025, 3, 10))); }
  // The server's today (`serve --today`): decisions, hires, and the default and latest dates of
  // hours reports and outcomes.
  static ServerOptions On(model::Date today) {
    ServerOptions options;
    options.today = today;
    return options;
  }
  static json Contract2025() {
    auto c = ContractBody("2025-LILLE-PEINTURE");
    c["start"] = "2025-01-01";
    c["end"] = "2025-12-31";
    c["holder"] = "Bâti Nord";
    c["holder_siret"] = "12345678900011";
    c["cpv_code"] = "45262500-6";  // masonry: 50% labour in the default table
    return c;
  }
  static json Opening2025(int positions) {
    auto o = OpeningBody();
    o["positions"] = positions;
    o["start"] = "2025-03-17";
    o["end"] = "2025-06-30";
    return o;
  }
  std::string NewContract(const std::string& token) {
    auto r = Post("/v1/contracts", Contract2025(), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return std::to_string(r.body.value("id", 0));
  }
  int NewOpening(const std::string& contract, int positions) {
    auto r = Post("/v1/contracts/" + contract + "/openings", Opening2025(positions), facilitator_a_);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0);
  }
  // An RSA recipient born in 2003 whose attestation (1 February 2025) is valid at the hire date,
  // registered before the server's today (participant dates are checked against it).
  int NewPerson(const std::string& ref) {
    auto body = Person(ref);
    body["criteria"][0]["proof_date"] = "2025-02-01";
    body["registration_date"] = "2025-01-15";
    auto r = Post("/v1/participants", body, prescriber_a_);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0);
  }
  // A batch run of PLIE-LILLE proposing `person` on `opening`, written through the store as the batch
  // worker writes it: the facilitator has been shown the person. Returns (batch, proposal).
  std::pair<std::int64_t, std::int64_t> Propose(int opening, int person) {
    store::Batch b;
    b.org = "PLIE-LILLE";
    b.state = store::BatchState::kSucceeded;
    store::Proposal proposal;
    store_->Write([&](store::Session& s) {
      s.InsertBatch(b);
      s.UpdateBatch(b);
      proposal.batch = b.id;
      proposal.participant = model::ParticipantId(static_cast<std::uint32_t>(person));
      proposal.opening = model::OpeningId(static_cast<std::uint32_t>(opening));
      proposal.score = 0.8;
      proposal.details = {{"eligible_by", {"rsa"}}, {"reasons", {"same job title"}}};
      s.InsertProposal(proposal);
    });
    return {b.id, proposal.id};
  }
  Reply Hire(int opening, int person, const std::string& token, json extra = json::object(),
             httplib::Headers headers = {}) {
    extra["opening_id"] = opening;
    extra["participant_id"] = person;
    return Post("/v1/placements", extra, token, std::move(headers));
  }
  static std::vector<std::string> Pointers(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& e : r.body["errors"])
      out.push_back(e["pointer"].get<std::string>() + ":" + e["code"].get<std::string>());
    return out;
  }
};

TEST_F(LifecycleApiTest, PlanSizesTheClauseAndCreatesDraftOpenings) {
  const auto c = NewContract(facilitator_a_);
  const std::string path = "/v1/contracts/" + c + "/plan";
  // 1 000 000 x 0.5 x 0.05 / 30 = 833.33 -> 833 h.
  auto r = Post(path, {{"labour_share", 0.5}, {"insertion_rate", 0.05}, {"hourly_cost_eur", 30}}, facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["sizing"]["hours"], 833);
  EXPECT_NEAR(r.body["sizing"]["exact_hours"].get<double>(), 833.333, 1e-3);
  EXPECT_EQ(r.body["applied"], false);
  EXPECT_TRUE(r.body["openings"].empty());
  // Without a share: the contract's CPV 45262500-6 (masonry, 50%) gives the same.
  r = Post(path, {{"insertion_rate", 0.05}}, facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["sizing"]["labour_share"], 0.5);
  EXPECT_EQ(r.body["sizing"]["hours"], 833);
  // Two trades, 60% / the rest: 833 -> 500 + 333 h over the contract's 2025.
  const json body{{"labour_share", 0.5},
                  {"insertion_rate", 0.05},
                  {"trades", json::array({{{"appellation", 17619}, {"share", 0.6}}, {{"appellation", 16250}}})}};
  r = Post(path, body, facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  ASSERT_EQ(r.body["openings"].size(), 2u);
  EXPECT_EQ(r.body["openings"][0]["planned_hours"], 500);
  EXPECT_EQ(r.body["openings"][1]["planned_hours"], 333);
  EXPECT_EQ(r.body["openings"][0]["status"], "draft");
  EXPECT_FALSE(r.body["openings"][0].contains("id"));
  EXPECT_TRUE(Get("/v1/contracts/" + c + "/openings", facilitator_a_).body["items"].empty());  // a preview

  auto applied = body;
  applied["apply"] = true;
  r = Post(path, applied, facilitator_a_, {{"Idempotency-Key", "plan-1"}});
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["applied"], true);
  EXPECT_TRUE(r.body["openings"][0].contains("id"));
  auto again = Post(path, applied, facilitator_a_, {{"Idempotency-Key", "plan-1"}});
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(Get("/v1/contracts/" + c + "/openings", facilitator_a_).body["items"].size(), 2u);
  const auto contract = Get("/v1/contracts/" + c, facilitator_a_).body;
  EXPECT_EQ(contract["insertion_hours"], 833);

  // A draft opens (POST /v1/openings/{id}/open): checked against the contract, then open; opening
  // an open one again changes nothing; a closed one cannot open; others are kept out.
  const auto draft = "/v1/openings/" + std::to_string(r.body["openings"][0]["id"].get<int>());
  EXPECT_EQ(Post(draft + "/open", json::object(), facilitator_b_).status, 404);
  EXPECT_EQ(Post(draft + "/open", json::object(), prescriber_a_).status, 403);
  EXPECT_EQ(Get(draft, facilitator_a_).body["status"], "draft");
  auto opened = Post(draft + "/open", json::object(), facilitator_a_);
  ASSERT_EQ(opened.status, 200) << opened.text;
  EXPECT_EQ(opened.body["status"], "open");
  EXPECT_EQ(Get(draft, facilitator_a_).body["status"], "open");
  EXPECT_EQ(Post(draft + "/open", json::object(), facilitator_a_).body["status"], "open");
  EXPECT_EQ(Get(draft + "/shortlist", facilitator_a_).status, 200);
  const auto other = "/v1/openings/" + std::to_string(r.body["openings"][1]["id"].get<int>());
  ASSERT_EQ(Post(other + "/close", json::object(), facilitator_a_).status, 200);
  EXPECT_EQ(Post(other + "/open", json::object(), facilitator_a_).status, 409);
  EXPECT_EQ(Post("/v1/openings/999/open", json::object(), facilitator_a_).status, 404);

  // Errors name their fields; other organisations and prescribers are kept out.
  r = Post(path, {{"labour_share", 1.5}}, facilitator_a_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Pointers(r), (std::vector<std::string>{"/insertion_rate:required"}));
  r = Post(path, {{"labour_share", 1.5}, {"insertion_rate", 0.05}}, facilitator_a_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/labour_share");
  r = Post(path, {{"insertion_rate", 0.05}, {"trades", json::array({{{"appellation", 1}}})}}, facilitator_a_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["errors"][0]["pointer"], "/trades/0/appellation");
  EXPECT_EQ(Post(path, {{"insertion_rate", 0.05}}, facilitator_b_).status, 404);
  EXPECT_EQ(Post(path, {{"insertion_rate", 0.05}}, prescriber_a_).status, 403);
  EXPECT_EQ(Post("/v1/contracts/999/plan", {{"insertion_rate", 0.05}}, facilitator_a_).status, 404);
}

TEST_F(LifecycleApiTest, HiresHoursCorrectionsAndFulfilment) {
  const auto c = NewContract(facilitator_a_);
  const int o = NewOpening(c, 2);
  const int p1 = NewPerson("P-1"), p2 = NewPerson("P-2"), p3 = NewPerson("P-3");
  // Only people the organisation was shown (proposed or shortlisted) can be hired by it.
  EXPECT_EQ(Pointers(Hire(o, p1, facilitator_a_)), (std::vector<std::string>{"/participant_id:not_available"}));
  for (int p : {p1, p2, p3}) Propose(o, p);

  // Role and organisation boundaries on create.
  EXPECT_EQ(Hire(o, p1, prescriber_a_).status, 403);
  auto other = Hire(o, p1, facilitator_b_);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(Pointers(other), (std::vector<std::string>{"/opening_id:not_found"}));
  auto bad = Post("/v1/placements", {{"opening_id", "x"}, {"route", "bus"}}, facilitator_a_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Pointers(bad),
            (std::vector<std::string>{"/opening_id:type", "/participant_id:required", "/route:invalid_value"}));
  auto wrong_route =
      Hire(o, p1, facilitator_a_, {{"route", "etti"}, {"employer", "ETTI Lille"}});  // a cdd is not an ETTI mission
  EXPECT_EQ(Pointers(wrong_route), (std::vector<std::string>{"/contract_type:inconsistent"}));

  // The hire takes the opening's terms and the contract's holder as employer; retried, it is replayed.
  const httplib::Headers key{{"Idempotency-Key", "hire-1"}};
  auto h1 = Hire(o, p1, facilitator_a_, json::object(), key);
  ASSERT_EQ(h1.status, 201) << h1.text;
  EXPECT_EQ(Hire(o, p1, facilitator_a_, json::object(), key).body, h1.body);
  const auto placement = std::to_string(h1.body["id"].get<int>());
  EXPECT_EQ(h1.Header("Location"), "/v1/placements/" + placement);
  EXPECT_EQ(h1.body["status"], "hired");
  EXPECT_EQ(h1.body["contract_type"], "cdd");
  EXPECT_EQ(h1.body["route"], "embauche_directe");
  EXPECT_EQ(h1.body["employer"], "Bâti Nord");
  EXPECT_EQ(h1.body["start"], "2025-03-17");
  EXPECT_EQ(h1.body["weekly_hours"], 35);
  // The same person again over the same dates, or someone unknown: not told apart for a facilitator.
  EXPECT_EQ(Pointers(Hire(o, p1, facilitator_a_)), (std::vector<std::string>{"/participant_id:not_available"}));
  EXPECT_EQ(Pointers(Hire(o, 99999, facilitator_a_)), (std::vector<std::string>{"/participant_id:not_available"}));
  ASSERT_EQ(Hire(o, p2, facilitator_a_).status, 201);
  EXPECT_EQ(Get("/v1/openings/" + std::to_string(o), facilitator_a_).body["status"], "filled");
  EXPECT_EQ(Pointers(Hire(o, p3, facilitator_a_)), (std::vector<std::string>{"/opening_id:not_open"}));

  // Reads: audited, 404 for another organisation, 403 for a prescriber.
  auto read = Get("/v1/placements/" + placement, facilitator_a_);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["participant"], p1);
  EXPECT_EQ(Get("/v1/placements/" + placement, facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/placements/" + placement, prescriber_a_).status, 403);
  EXPECT_EQ(Get("/v1/placements/424242", facilitator_a_).status, 404);
  auto audit = store_->Read([&](store::Session& s) { return s.ListAudit("participant", p1); });
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "read_placement");
  EXPECT_EQ(audit.back().org, "PLIE-LILLE");
  auto list = Get("/v1/contracts/" + c + "/placements", facilitator_a_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/placements", facilitator_b_).status, 404);

  // Hours are reported after the month: the server's today is now 10 May 2025.
  Restart(On(model::Date::FromYmd(2025, 5, 10)));
  // Monthly hours within the cap; over it, outside the dates, malformed: 422 naming the field.
  const std::string hours = "/v1/placements/" + placement + "/hours";
  auto march = Post(hours, {{"month", "2025-03"}, {"hours", 77}, {"reported_on", "2025-04-02"}}, facilitator_a_);
  ASSERT_EQ(march.status, 201) << march.text;
  EXPECT_EQ(march.body["report"]["working_days"], 11);
  EXPECT_EQ(march.body["report"]["planned_hours"], 77);
  EXPECT_NEAR(march.body["report"]["max_hours"].get<double>(), 102.6667, 1e-4);
  EXPECT_EQ(march.body["report"]["correction"], false);
  auto over = Post(hours, {{"month", "2025-03"}, {"hours", 103}, {"reported_on", "2025-04-02"}}, facilitator_a_);
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(Pointers(over), (std::vector<std::string>{"/hours:over_cap"}));
  EXPECT_NE(over.body["errors"][0]["detail"].get<std::string>().find("102.67"), std::string::npos) << over.text;
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-02"}, {"hours", 10}, {"reported_on", "2025-03-01"}}, facilitator_a_)),
            (std::vector<std::string>{"/month:out_of_range"}));
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-13"}}, facilitator_a_)),
            (std::vector<std::string>{"/month:invalid_format", "/hours:required"}));
  EXPECT_EQ(Post(hours, {{"month", "2025-03"}, {"hours", 1}}, facilitator_b_).status, 404);
  EXPECT_EQ(Post(hours, {{"month", "2025-03"}, {"hours", 1}}, prescriber_a_).status, 403);

  // A report dated after the server's today (plus the margin) is refused: it would have frozen the
  // month against corrections. The server's today, not the system's, draws that line.
  auto ahead = Post(hours, {{"month", "2025-03"}, {"hours", 1}, {"reported_on", "2025-06-10"}}, facilitator_a_);
  EXPECT_EQ(ahead.status, 422) << ahead.text;
  EXPECT_EQ(Pointers(ahead), (std::vector<std::string>{"/reported_on:in_future"}));

  // A correction keeps the history; the report recorded last counts.
  auto fix = Post(hours, {{"month", "2025-03"}, {"hours", 70.5}, {"reported_on", "2025-04-10"}}, facilitator_a_);
  ASSERT_EQ(fix.status, 201) << fix.text;
  EXPECT_EQ(fix.body["report"]["correction"], true);
  EXPECT_EQ(fix.body["hours"].size(), 2u);
  EXPECT_EQ(fix.body["hours_worked"], 70.5);
  // Without a date, a report is dated the server's today.
  auto april = Post(hours, {{"month", "2025-04"}, {"hours", 154}}, facilitator_a_);
  ASSERT_EQ(april.status, 201) << april.text;
  EXPECT_EQ(april.body["report"]["reported_on"], "2025-05-10");

  // Fulfilment: 833 forecast, 70.5 + 154 = 224.5 realised, 608.5 left.
  auto f = Get("/v1/contracts/" + c + "/fulfilment", facilitator_a_);
  ASSERT_EQ(f.status, 200) << f.text;
  EXPECT_EQ(f.body["forecast_hours"], 833);
  EXPECT_EQ(f.body["realised_hours"], 224.5);
  EXPECT_EQ(f.body["remaining_hours"], 608.5);
  EXPECT_EQ(f.body["placements"], 2);
  EXPECT_EQ(f.body["realised_by_route"]["embauche_directe"], 224.5);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/fulfilment?up_to=2025-03-31", facilitator_a_).body["realised_hours"], 70.5);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/fulfilment?up_to=March", facilitator_a_).status, 400);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/fulfilment", facilitator_b_).status, 404);
  EXPECT_EQ(Get("/v1/contracts/" + c + "/fulfilment", prescriber_a_).status, 403);
}

// Subcontracting reported as an amount over HTTP (docs/lifecycle.md, "Subcontracting amounts"): the
// contract was sized at 0.5 labour share and 25 EUR/h; two people hired through an ACI (cddi).
TEST_F(LifecycleApiTest, SubcontractingAmountsAreConvertedIntoHours) {
  auto body = Contract2025();
  body["sizing"] = {{"labour_share", 0.5}, {"insertion_rate", 0.05}, {"hourly_cost_eur", 25}};
  auto created = Post("/v1/contracts", body, facilitator_a_);
  ASSERT_EQ(created.status, 201) << created.text;
  const auto c = std::to_string(created.body["id"].get<int>());
  const int o = NewOpening(c, 3);
  const int p1 = NewPerson("P-1"), p2 = NewPerson("P-2");
  for (int p : {p1, p2}) Propose(o, p);
  const json aci{{"contract_type", "cddi"}, {"employer", "ACI Lille Nord"}};  // route sous_traitance_siae
  auto h1 = Hire(o, p1, facilitator_a_, aci);
  ASSERT_EQ(h1.status, 201) << h1.text;
  EXPECT_EQ(h1.body["route"], "sous_traitance_siae");
  auto direct = Hire(o, p2, facilitator_a_);
  ASSERT_EQ(direct.status, 201) << direct.text;
  Restart(On(model::Date::FromYmd(2025, 5, 10)));
  const std::string hours = "/v1/placements/" + std::to_string(h1.body["id"].get<int>()) + "/hours";
  const std::string direct_hours = "/v1/placements/" + std::to_string(direct.body["id"].get<int>()) + "/hours";

  // Exactly one of hours and amount_eur; an amount only on a subcontracting placement; the figures
  // checked; an amount worth more hours than the month allows refused at the amount.
  using V = std::vector<std::string>;
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-04"}, {"hours", 80}, {"amount_eur", 4000}}, facilitator_a_)),
            V{"/amount_eur:conflict"});
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-04"}}, facilitator_a_)), V{"/hours:required"});
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-04"}, {"hours", 80}, {"labour_share", 0.6}}, facilitator_a_)),
            V{"/labour_share:unexpected"});
  const auto not_sub = Post(direct_hours, {{"month", "2025-04"}, {"amount_eur", 4000}}, facilitator_a_);
  EXPECT_EQ(not_sub.status, 422);
  EXPECT_EQ(Pointers(not_sub), V{"/amount_eur:not_subcontracting"});
  EXPECT_EQ(
      Pointers(Post(hours, {{"month", "2025-04"}, {"amount_eur", 4000}, {"hourly_cost_eur", 0.5}}, facilitator_a_)),
      V{"/hourly_cost_eur:out_of_range"});
  EXPECT_EQ(Pointers(Post(hours, {{"month", "2025-04"}, {"amount_eur", -1}}, facilitator_a_)),
            V{"/amount_eur:out_of_range"});
  const auto over = Post(hours, {{"month", "2025-04"}, {"amount_eur", 90000}}, facilitator_a_);  // 1 800 h
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(Pointers(over), V{"/amount_eur:over_cap"});

  // 4 000 x 0.6 / 30 = 80 h with the report's figures; then 3 000 x 0.5 / 25 = 60 h with the sizing's.
  auto april = Post(hours,
                    {{"month", "2025-04"},
                     {"amount_eur", 4000},
                     {"labour_share", 0.6},
                     {"hourly_cost_eur", 30},
                     {"reported_on", "2025-05-02"}},
                    facilitator_a_);
  ASSERT_EQ(april.status, 201) << april.text;
  EXPECT_EQ(april.body["report"]["hours"], 80);
  EXPECT_EQ(april.body["report"]["amount"],
            (json{{"amount_eur", 4000}, {"labour_share", 0.6}, {"hourly_cost_eur", 30}}));
  EXPECT_EQ(april.body["hours"][0]["amount"]["amount_eur"], 4000);
  auto march = Post(hours, {{"month", "2025-03"}, {"amount_eur", 3000}, {"reported_on", "2025-04-02"}}, facilitator_a_);
  ASSERT_EQ(march.status, 201) << march.text;
  EXPECT_EQ(march.body["report"]["hours"], 60);
  EXPECT_EQ(march.body["report"]["amount"]["hourly_cost_eur"], 25);
  EXPECT_EQ(march.body["hours_worked"], 140);
  ASSERT_EQ(Post(direct_hours, {{"month", "2025-04"}, {"hours", 154}}, facilitator_a_).status, 201);

  // Counted in fulfilment by route: 140 through the ACI, 154 directly.
  auto f = Get("/v1/contracts/" + c + "/fulfilment", facilitator_a_);
  ASSERT_EQ(f.status, 200) << f.text;
  EXPECT_EQ(f.body["realised_hours"], 294);
  EXPECT_EQ(f.body["realised_by_route"]["sous_traitance_siae"], 140);
  EXPECT_EQ(f.body["realised_by_route"]["embauche_directe"], 154);
}

// EA and ESAT count only on a contract reserved to them (L2113-12): over HTTP the hire is refused
// at /route on an ordinary contract and recorded on a reserved one, the ESAT worker's support
// contract (not an employment contract) as esat_soutien.
TEST_F(LifecycleApiTest, EaAndEsatRoutesOnlyOnAReservedContract) {
  const auto ordinary = NewContract(facilitator_a_);
  const int o1 = NewOpening(ordinary, 2);
  auto body = Contract2025();
  body["reference"] = "2025-LILLE-RESERVE";
  body["clause_type"] = "marche_reserve_handicap";
  body["accepted_publics"] = json::array({"rsa", "rqth"});
  auto reserved = Post("/v1/contracts", body, facilitator_a_);
  ASSERT_EQ(reserved.status, 201) << reserved.text;
  const int o2 = NewOpening(std::to_string(reserved.body["id"].get<int>()), 2);
  const int p1 = NewPerson("P-1"), p2 = NewPerson("P-2");
  for (int o : {o1, o2})
    for (int p : {p1, p2}) Propose(o, p);
  const json esat{{"contract_type", "esat_soutien"}, {"employer", "ESAT Les Ateliers"}};
  const json ea{{"contract_type", "cdi"}, {"route", "ea"}, {"employer", "EA Lille Métropole"}};
  auto refused = Hire(o1, p1, facilitator_a_, esat);
  EXPECT_EQ(refused.status, 422) << refused.text;
  EXPECT_EQ(Pointers(refused), (std::vector<std::string>{"/route:not_reserved"}));
  EXPECT_EQ(Pointers(Hire(o1, p2, facilitator_a_, ea)), (std::vector<std::string>{"/route:not_reserved"}));
  auto worker = Hire(o2, p1, facilitator_a_, esat);
  ASSERT_EQ(worker.status, 201) << worker.text;
  EXPECT_EQ(worker.body["route"], "esat");
  EXPECT_EQ(worker.body["contract_type"], "esat_soutien");
  EXPECT_EQ(worker.body["employer"], "ESAT Les Ateliers");
  auto employee = Hire(o2, p2, facilitator_a_, ea);
  ASSERT_EQ(employee.status, 201) << employee.text;
  EXPECT_EQ(employee.body["route"], "ea");
}

TEST_F(LifecycleApiTest, AnAcceptedProposalIsHiredThroughItsPlacement) {
  const auto c = NewContract(facilitator_a_);
  const int o = NewOpening(c, 1), o2 = NewOpening(c, 1);  // same dates
  const int p = NewPerson("P-1");
  // Two runs proposing the same person on both openings, written through the store as the batch
  // worker writes them; the facilitator accepts the first. Accepting the second is refused like any
  // hire over overlapping dates (the rule of `placements accept`): the person holds the first.
  auto accept = [&](int opening) {
    const auto [batch, proposal] = Propose(opening, p);
    return Post("/v1/batches/" + std::to_string(batch) + "/proposals/" + std::to_string(proposal) + "/decision",
                {{"decision", "accepted"}}, facilitator_a_);
  };
  const auto first = accept(o);
  EXPECT_EQ(first.status, 200) << first.text;
  const auto second = accept(o2);
  EXPECT_EQ(second.status, 409) << second.text;
  EXPECT_EQ(Pointers(second), (std::vector<std::string>{"/participant_id:already_placed"}));
  auto list = Get("/v1/contracts/" + c + "/placements", facilitator_a_);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["status"], "accepted");
  const auto id = std::to_string(list.body["items"][0]["id"].get<int>());
  // No hours before the hire.
  EXPECT_EQ(Pointers(Post("/v1/placements/" + id + "/hours", {{"month", "2025-03"}, {"hours", 10}}, facilitator_a_)),
            (std::vector<std::string>{":not_hired"}));
  EXPECT_EQ(Post("/v1/placements/" + id + "/hire", json::object(), facilitator_b_).status, 404);
  auto hired = Post("/v1/placements/" + id + "/hire", {{"employer", "Bâti Nord Est"}}, facilitator_a_);
  ASSERT_EQ(hired.status, 200) << hired.text;
  EXPECT_EQ(hired.body["status"], "hired");
  EXPECT_EQ(hired.body["employer"], "Bâti Nord Est");
  EXPECT_EQ(hired.body["end"], "2025-06-30");
  EXPECT_EQ(Post("/v1/placements/" + id + "/hire", json::object(), facilitator_a_).status, 409);
}

TEST_F(LifecycleApiTest, IndicatorsOfTheOrganisationAsJsonAndFrenchCsv) {
  const auto c = NewContract(facilitator_a_);
  const int o = NewOpening(c, 6);
  std::vector<int> hired;
  for (int i = 1; i <= 6; ++i) {
    const int person = NewPerson("P-" + std::to_string(i));
    Propose(o, person);
    auto h = Hire(o, person, facilitator_a_);
    ASSERT_EQ(h.status, 201) << h.text;
    hired.push_back(h.body["id"].get<int>());
  }
  // Hours and outcomes come later: the server's today is now 15 October 2025.
  Restart(On(model::Date::FromYmd(2025, 10, 15)));
  for (int id : hired)
    ASSERT_EQ(Post("/v1/placements/" + std::to_string(id) + "/hours",
                   {{"month", "2025-03"}, {"hours", 77}, {"reported_on", "2025-04-02"}}, facilitator_a_)
                  .status,
              201);
  // Outcomes at 6 months (entry 17 March 2025: recorded from 17 September): six lasting jobs, one of
  // them first recorded as a transition job then corrected; a record too early is refused.
  auto list = Get("/v1/contracts/" + c + "/placements", facilitator_a_).body["items"];
  ASSERT_EQ(list.size(), 6u);
  auto outcome = [&](int i, const std::string& what, const std::string& on) {
    return Post("/v1/placements/" + std::to_string(list[i]["id"].get<int>()) + "/outcomes",
                {{"months_after_entry", 6}, {"outcome", what}, {"recorded_on", on}}, facilitator_a_);
  };
  auto early = outcome(0, "emploi_durable", "2025-09-16");
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(Pointers(early), (std::vector<std::string>{"/recorded_on:out_of_range"}));
  EXPECT_EQ(Pointers(Post("/v1/placements/" + std::to_string(list[0]["id"].get<int>()) + "/outcomes",
                          {{"months_after_entry", 9}, {"outcome", "bof"}}, facilitator_a_)),
            (std::vector<std::string>{"/outcome:invalid_value"}));
  EXPECT_EQ(Post("/v1/placements/" + std::to_string(list[0]["id"].get<int>()) + "/outcomes",
                 {{"months_after_entry", 6}, {"outcome", "autre"}}, facilitator_b_)
                .status,
            404);
  // A date after the server's today (plus the margin) is refused (it would have won over every
  // later correction).
  auto ahead = outcome(0, "emploi_transition", "2025-10-20");
  EXPECT_EQ(ahead.status, 422) << ahead.text;
  EXPECT_EQ(Pointers(ahead), (std::vector<std::string>{"/recorded_on:in_future"}));
  ASSERT_EQ(outcome(0, "emploi_transition", "2025-09-20").status, 201);
  for (int i = 0; i < 6; ++i) ASSERT_EQ(outcome(i, "emploi_durable", "2025-10-01").status, 201);
  EXPECT_EQ(Get("/v1/placements/" + std::to_string(list[0]["id"].get<int>()), facilitator_a_).body["outcomes"].size(),
            2u);  // the correction keeps the first record

  // Six people, all RSA recipients born in 2003 (under 26 at entry), six CDD hires, 6 x 77 = 462 h of
  // the 833 forecast (55.46%).
  auto r = Get("/v1/indicators?from=2025-01-01&to=2025-12-31&departement=59", facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["contracts_in_scope"], 1);
  const auto& people = r.body["sections"]["participants"];
  EXPECT_EQ(people[0]["value"], 6);
  EXPECT_EQ(people[1]["indicator"], "rsa");
  EXPECT_EQ(people[1]["value"], 6);
  EXPECT_EQ(people[2]["indicator"], "under_26");
  EXPECT_EQ(people[2]["value"], 6);
  EXPECT_EQ(r.body["sections"]["hours"][2]["indicator"], "hours_realised");
  EXPECT_EQ(r.body["sections"]["hours"][2]["value"], 462);
  EXPECT_EQ(r.text.find("Inès"), std::string::npos);
  // Outcomes: the latest record of each person, six lasting jobs (the correction counts).
  std::map<std::string, json> six;
  for (const auto& cell : r.body["sections"]["outcomes_6_months"])
    six[cell.value("category", cell["indicator"].get<std::string>())] = cell["value"];
  EXPECT_EQ(six["emploi_durable"], 6);
  EXPECT_EQ(six["emploi_transition"], 0);
  EXPECT_EQ(six["not_recorded"], 0);
  EXPECT_EQ(six["total"], 6);
  EXPECT_EQ(six["sorties_dynamiques"], 6);
  // The funders' breakdowns (docs/lifecycle.md): six first entries in 2025, none before it; six
  // people mobilised (proposed), all hired; by public at entry: RSA and under 26; the 462 hours by
  // route add up.
  std::map<std::string, json> by_indicator;
  for (const auto& cell : people) by_indicator[cell["indicator"].get<std::string>()] = cell["value"];
  EXPECT_EQ(by_indicator["entries"], 6);
  EXPECT_EQ(by_indicator["former_rsa"], 0);
  std::map<std::string, json> publics;
  for (const auto& cell : r.body["sections"]["participants_by_public"])
    publics[cell["category"].get<std::string>()] = cell["value"];
  EXPECT_EQ(publics.size(), 9u);
  EXPECT_EQ(publics["rsa"], 6);
  EXPECT_EQ(publics["jeune"], 6);
  EXPECT_EQ(publics["senior"], 0);
  const auto& mobilisation = r.body["sections"]["mobilisation"];
  EXPECT_EQ(mobilisation[0]["indicator"], "mobilised");
  EXPECT_EQ(mobilisation[0]["value"], 6);
  EXPECT_EQ(mobilisation[1]["indicator"], "hired");
  EXPECT_EQ(mobilisation[1]["value"], 6);
  double by_route = 0;
  for (const auto& cell : r.body["sections"]["hours_by_route"]) by_route += cell["value"].get<double>();
  EXPECT_EQ(by_route, 462);
  // By residence: the six live in Lille (59), nobody in the Pas-de-Calais.
  auto residents =
      Get("/v1/indicators?from=2025-01-01&to=2025-12-31&departement=59&territory_of=residence", facilitator_a_);
  ASSERT_EQ(residents.status, 200) << residents.text;
  EXPECT_EQ(residents.body["territory"]["of"], "residence");
  EXPECT_EQ(residents.body["sections"]["participants"][0]["value"], 6);
  // By sex: nobody's is recorded here, so the six are "non renseigné" and the others 0.
  EXPECT_EQ(residents.body["by_sex"]["non_renseigne"]["sections"]["participants"][0]["value"], 6);
  EXPECT_EQ(residents.body["by_sex"]["femme"]["sections"]["participants"][0]["value"], 0);
  EXPECT_EQ(residents.body["by_sex"]["homme"]["label"], "Homme");
  EXPECT_EQ(residents.body["contracts_in_scope"], 1);
  auto elsewhere = Get("/v1/indicators?departement=62&territory_of=residence", facilitator_a_);
  EXPECT_EQ(elsewhere.body["sections"]["participants"][0]["value"], 0);
  EXPECT_EQ(elsewhere.body["contracts_in_scope"], 0);
  auto bad_basis = Get("/v1/indicators?territory_of=home", facilitator_a_);
  EXPECT_EQ(bad_basis.status, 400);
  EXPECT_EQ(bad_basis.body["errors"][0]["parameter"], "territory_of") << bad_basis.text;

  auto csv = Client().Get("/v1/indicators?from=2025-01-01&to=2025-12-31&decimal_comma=true",
                          Auth(facilitator_a_, {{"Accept", "text/csv"}}));
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBFsection;libelle_section;indicateur;categorie;sexe;libelle;valeur\n", 0), 0u);
  EXPECT_NE(csv->body.find(";contract_type;cdd;ensemble;CDD;6\n"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(";contract_type;cdd;non_renseigne;CDD;6\n"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(";contract_type;cdd;femme;CDD;0\n"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(";fulfilment_rate;;ensemble;Taux de réalisation sur la période (%);55,46\n"),
            std::string::npos)
      << csv->body;

  // Another organisation sees only its own (nothing); a stricter threshold hides the six.
  auto theirs = Get("/v1/indicators", facilitator_b_);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.body["contracts_in_scope"], 0);
  EXPECT_EQ(theirs.body["sections"]["participants"][0]["value"], 0);
  auto strict = Get("/v1/indicators?threshold=10", facilitator_a_);
  EXPECT_EQ(strict.body["sections"]["participants"][0]["suppressed"], "<10");
  // The threshold cannot be lowered; bad dates and territories are 400 naming the parameter.
  auto low = Get("/v1/indicators?threshold=1", facilitator_a_);
  EXPECT_EQ(low.status, 400);
  EXPECT_EQ(low.body["errors"][0]["parameter"], "threshold");
  EXPECT_EQ(Get("/v1/indicators?from=2025-02-30", facilitator_a_).body["errors"][0]["parameter"], "from");
  EXPECT_EQ(Get("/v1/indicators?departement=999", facilitator_a_).body["errors"][0]["parameter"], "departement");
  EXPECT_EQ(Get("/v1/indicators", prescriber_a_).status, 403);
  EXPECT_EQ(Get("/v1/indicators?org=PLIE-LILLE", admin_).body["contracts_in_scope"], 1);
}

TEST_F(LifecycleApiTest, SiaeNearTheWorksiteForTheContractsTrades) {
  const auto c = NewContract(facilitator_a_);
  const std::string path = "/v1/contracts/" + c + "/siae";
  EXPECT_EQ(Get(path, facilitator_a_).status, 409);  // no opening, no trade yet
  auto painting = Opening2025(1);
  painting["appellation"] = 17619;  // peintre en bâtiment, F1606
  ASSERT_EQ(Post("/v1/contracts/" + c + "/openings", painting, facilitator_a_).status, 201);
  auto r = Get(path + "?km=5", facilitator_a_);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["trades"], json::array({"F1606"}));
  bool found = false;  // CLIPE APROBAT, an EI in Lille whose NAF fits painting (as the CLI test finds)
  for (const auto& s : r.body["by_kind"]["EI"]["structures"]) found |= s["siret"] == "38462320300039";
  EXPECT_TRUE(found) << r.text;
  for (const auto& [kind, group] : r.body["by_kind"].items())
    for (const auto& s : group["structures"]) EXPECT_LE(s["distance_km"].get<double>(), 5.0) << kind;
  auto bad = Get(path + "?km=0&limit=x", facilitator_a_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["errors"][0]["parameter"], "km");
  EXPECT_EQ(bad.body["errors"][1]["parameter"], "limit");
  EXPECT_EQ(Get(path, facilitator_b_).status, 404);
  EXPECT_EQ(Get(path, prescriber_a_).status, 403);
}

}  // namespace
}  // namespace clausematch::api::http::testing
