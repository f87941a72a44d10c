#include "lifecycle/placements.hpp"

#include <gtest/gtest.h>

#include "lifecycle/hours.hpp"

namespace clausematch::lifecycle {
namespace {

using model::Date;

// One contract held by "Peinture SA" (SIRET 12345678900011), three openings:
//
// opening  status  positions  type          dates                     weekly
//   1      open    2          cdd           2025-03-17..2025-06-30    35
//   2      open    1          interim_etti  2025-04-01..2025-05-30    24
//   3      draft   1          cdd           2025-03-17..2025-06-30    35
//   4      open    1          cdd           2025-09-01..2025-10-31    35   (after opening 1)
//
// participants 1-3 and 5 active, 4 withdrawn.
model::Dataset AcceptData() {
  model::Dataset d;
  model::Contract c;
  c.id = model::ContractId(1);
  c.holder = "Peinture SA";
  c.holder_siret = "12345678900011";
  c.start = Date::FromYmd(2025, 1, 1);
  c.end = Date::FromYmd(2025, 12, 31);
  c.worksite_insee = "59350";
  d.contracts.push_back(c);
  auto opening = [&](std::uint32_t id, model::OpeningStatus status, int positions, model::ContractType type, Date start,
                     Date end, double weekly) {
    model::Opening o;
    o.id = model::OpeningId(id);
    o.contract = c.id;
    o.status = status;
    o.positions = positions;
    o.contract_type = type;
    o.start = start;
    o.end = end;
    o.weekly_hours = weekly;
    o.worksite_insee = "59350";
    d.openings.push_back(o);
  };
  using model::ContractType;
  using model::OpeningStatus;
  opening(1, OpeningStatus::kOpen, 2, ContractType::kCdd, Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  opening(2, OpeningStatus::kOpen, 1, ContractType::kInterimEtti, Date::FromYmd(2025, 4, 1), Date::FromYmd(2025, 5, 30),
          24);
  opening(3, OpeningStatus::kDraft, 1, ContractType::kCdd, Date::FromYmd(2025, 3, 17), Date::FromYmd(2025, 6, 30), 35);
  opening(4, OpeningStatus::kOpen, 1, ContractType::kCdd, Date::FromYmd(2025, 9, 1), Date::FromYmd(2025, 10, 31), 35);
  for (std::uint32_t i = 1; i <= 5; ++i) {
    model::Participant p;
    p.id = model::ParticipantId(i);
    p.status = i == 4 ? model::ParticipantStatus::kWithdrawn : model::ParticipantStatus::kActive;
    d.participants.push_back(p);
  }
  d.Index();
  return d;
}

lifecycle::Acceptance Accept(std::uint32_t opening, std::uint32_t participant) {
  lifecycle::Acceptance a;
  a.opening = model::OpeningId(opening);
  a.participant = model::ParticipantId(participant);
  return a;
}

TEST(Placements, DefaultRoutesFollowTheContractType) {
  using model::ContractType;
  using model::FulfilmentRoute;
  EXPECT_EQ(DefaultRoute(ContractType::kCdd), FulfilmentRoute::kEmbaucheDirecte);
  EXPECT_EQ(DefaultRoute(ContractType::kApprentissage), FulfilmentRoute::kEmbaucheDirecte);
  EXPECT_EQ(DefaultRoute(ContractType::kInterimEtti), FulfilmentRoute::kEtti);
  EXPECT_EQ(DefaultRoute(ContractType::kGeiq), FulfilmentRoute::kGeiq);
  EXPECT_EQ(DefaultRoute(ContractType::kMiseADispositionAi), FulfilmentRoute::kAi);
  EXPECT_EQ(DefaultRoute(ContractType::kCddi), FulfilmentRoute::kSousTraitanceSiae);
  for (const auto& e : model::Entries(ContractType{}))
    EXPECT_TRUE(ContractTypeFitsRoute(e.value, DefaultRoute(e.value))) << e.code;
}

TEST(Placements, AcceptedProposalsBecomeHiresOnTheOpeningsTerms) {
  auto d = AcceptData();
  d.placements.push_back({});  // an unrelated existing placement with id 7: new ids follow it
  d.placements.back().id = model::PlacementId(7);
  d.placements.back().participant = model::ParticipantId(5);
  d.placements.back().opening = model::OpeningId(4);
  d.placements.back().status = model::PlacementStatus::kDeclined;
  auto etti = Accept(2, 3);
  etti.employer = "ETTI Nord";
  const std::vector<Acceptance> items{Accept(1, 1), Accept(1, 2), etti};
  const auto report = AcceptProposals(d, items);
  ASSERT_TRUE(report.problems.empty()) << report.problems[0].problem.message;
  ASSERT_EQ(report.created.size(), 3u);
  EXPECT_EQ(report.created[0], model::PlacementId(8));
  EXPECT_EQ(report.created[2], model::PlacementId(10));
  ASSERT_EQ(d.placements.size(), 4u);
  const auto& first = d.placements[1];
  EXPECT_EQ(first.status, model::PlacementStatus::kHired);
  EXPECT_EQ(first.participant, model::ParticipantId(1));
  EXPECT_EQ(first.contract, model::ContractId(1));
  EXPECT_EQ(first.contract_type, model::ContractType::kCdd);
  EXPECT_EQ(first.route, model::FulfilmentRoute::kEmbaucheDirecte);
  EXPECT_EQ(first.employer, "Peinture SA");  // the holder, for a direct hire
  EXPECT_EQ(first.employer_siret, "12345678900011");
  EXPECT_EQ(first.start, Date::FromYmd(2025, 3, 17));
  EXPECT_EQ(first.end, Date::FromYmd(2025, 6, 30));
  EXPECT_EQ(first.weekly_hours, 35);
  const auto& third = d.placements[3];
  EXPECT_EQ(third.contract_type, model::ContractType::kInterimEtti);
  EXPECT_EQ(third.route, model::FulfilmentRoute::kEtti);
  EXPECT_EQ(third.employer, "ETTI Nord");
  EXPECT_EQ(third.weekly_hours, 24);
  // Opening 1 (2 positions) and opening 2 (1 position) are now full; 4 is untouched.
  EXPECT_EQ(report.openings_filled, 2);
  EXPECT_EQ(d.openings[0].status, model::OpeningStatus::kFilled);
  EXPECT_EQ(d.openings[1].status, model::OpeningStatus::kFilled);
  EXPECT_EQ(d.openings[3].status, model::OpeningStatus::kOpen);
  EXPECT_EQ(PositionsTaken(d.placements, model::OpeningId(1)), 2);
  // Hours can be reported on the new hire: April 2025 has 22 working days, 24 h a week = 105.6 h.
  auto hire = d.placements[3];
  EXPECT_TRUE(RecordHours(hire, {2025, 4, 105.6, Date::FromYmd(2025, 5, 2), {}}).empty());
}

TEST(Placements, EveryRefusalNamesItsFieldAndNothingIsWritten) {
  auto d = AcceptData();
  auto wrong_contract = Accept(4, 5);
  wrong_contract.contract = model::ContractId(2);
  auto wrong_route = Accept(4, 5);
  wrong_route.route = model::FulfilmentRoute::kEtti;  // a cdd through an ETTI
  wrong_route.employer = "ETTI Nord";
  const std::vector<Acceptance> items{
      Accept(1, 1),    // 0 fine
      Accept(1, 2),    // 1 fine: opening 1 is now full
      Accept(1, 5),    // 2 no position left
      Accept(3, 5),    // 3 a draft opening
      Accept(4, 4),    // 4 withdrawn participant
      Accept(2, 1),    // 5 participant 1 already placed over overlapping dates (and no ETTI named)
      Accept(9, 99),   // 6 unknown opening and participant
      wrong_contract,  // 7
      wrong_route,     // 8
  };
  const auto before = d.placements.size();
  const auto report = AcceptProposals(d, items);
  EXPECT_TRUE(report.created.empty());
  EXPECT_EQ(d.placements.size(), before);
  EXPECT_EQ(d.openings[0].status, model::OpeningStatus::kOpen);
  std::vector<std::string> seen;
  for (const auto& item : report.problems)
    seen.push_back(std::to_string(item.index) + item.problem.field + ":" + item.problem.code);
  const std::vector<std::string> expected{
      "2/opening_id:no_position_left",   "3/opening_id:not_open",      "4/participant_id:not_active",
      "5/participant_id:already_placed", "5/employer:required",        "6/opening_id:not_found",
      "6/participant_id:not_found",      "7/contract_id:inconsistent", "8/contract_type:inconsistent",
  };
  EXPECT_EQ(seen, expected);
}

TEST(Placements, APersonMayHoldSuccessiveHires) {
  auto d = AcceptData();
  // Opening 4 starts after opening 1 ends: the same person can take both.
  const std::vector<Acceptance> items{Accept(1, 1), Accept(4, 1)};
  const auto report = AcceptProposals(d, items);
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(report.created.size(), 2u);
}

TEST(Placements, OutcomesAreRecordedFromTheirHorizonWithHistory) {
  auto d = AcceptData();
  const std::vector<Acceptance> items{Accept(1, 1)};
  ASSERT_TRUE(AcceptProposals(d, items).problems.empty());
  auto& hire = d.placements.back();  // entered on 17 March 2025: 6 months on 17 September 2025
  using model::Outcome;
  EXPECT_EQ(RecordOutcome(hire, {6, Outcome::kEmploiTransition, Date::FromYmd(2025, 9, 16)})[0].field, "/recorded_on");
  EXPECT_EQ(RecordOutcome(hire, {9, Outcome::kEmploiTransition, Date::FromYmd(2025, 12, 1)})[0].field,
            "/months_after_entry");
  EXPECT_TRUE(RecordOutcome(hire, {6, Outcome::kEmploiTransition, Date::FromYmd(2025, 9, 17)}).empty());
  EXPECT_TRUE(RecordOutcome(hire, {6, Outcome::kEmploiDurable, Date::FromYmd(2025, 10, 1)}).empty());  // corrected
  EXPECT_EQ(RecordOutcome(hire, {12, Outcome::kAutre, Date::FromYmd(2026, 3, 16)})[0].field, "/recorded_on");
  ASSERT_EQ(hire.outcomes.size(), 2u);
  EXPECT_EQ(hire.outcomes.back().outcome, Outcome::kEmploiDurable);
  model::Placement proposed;
  proposed.start = Date::FromYmd(2025, 1, 1);
  EXPECT_EQ(RecordOutcome(proposed, {6, Outcome::kAutre, Date::FromYmd(2025, 8, 1)})[0].code, "not_hired");
}

// Routes and contracts of issue 15: PEC and CDI de chantier are direct hires; an ESAT worker's
// support contract means the ESAT route and fits no other; an EA employs on ordinary contracts.
TEST(Placements, PecCdiDeChantierAndEsatContractsTakeTheirRoutes) {
  using model::ContractType;
  using model::FulfilmentRoute;
  EXPECT_EQ(DefaultRoute(ContractType::kPec), FulfilmentRoute::kEmbaucheDirecte);
  EXPECT_EQ(DefaultRoute(ContractType::kCdiChantier), FulfilmentRoute::kEmbaucheDirecte);
  EXPECT_EQ(DefaultRoute(ContractType::kEsatSoutien), FulfilmentRoute::kEsat);
  EXPECT_EQ(DefaultRoute(ContractType::kCdi), FulfilmentRoute::kEmbaucheDirecte);  // an EA names its route
  EXPECT_TRUE(ContractTypeFitsRoute(ContractType::kCdi, FulfilmentRoute::kEa));
  EXPECT_TRUE(ContractTypeFitsRoute(ContractType::kApprentissage, FulfilmentRoute::kEa));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kCddi, FulfilmentRoute::kEa));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kEsatSoutien, FulfilmentRoute::kEa));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kCdi, FulfilmentRoute::kEsat));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kEsatSoutien, FulfilmentRoute::kEmbaucheDirecte));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kPec, FulfilmentRoute::kEtti));
  EXPECT_FALSE(ContractTypeFitsRoute(ContractType::kCdiChantier, FulfilmentRoute::kSousTraitanceSiae));
  EXPECT_EQ(EmployerKinds(FulfilmentRoute::kEa), std::vector<model::SiaeKind>{model::SiaeKind::kEa});
  EXPECT_TRUE(EmployerKinds(FulfilmentRoute::kEsat).empty());
}

// EA and ESAT routes count only on a contract reserved to them (L2113-12): refused elsewhere with
// /route, accepted once the contract is reserved.
TEST(Placements, EaAndEsatRoutesOnlyOnAReservedContract) {
  auto ea = Accept(1, 1);
  ea.route = model::FulfilmentRoute::kEa;
  ea.contract_type = model::ContractType::kCdi;
  ea.employer = "EA Lille Métropole";
  auto esat = Accept(1, 2);
  esat.contract_type = model::ContractType::kEsatSoutien;  // route esat by default
  esat.employer = "ESAT Les Ateliers";
  const std::vector<Acceptance> items{ea, esat};

  auto d = AcceptData();
  ASSERT_EQ(d.contracts[0].clause_type, model::ClauseType::kConditionExecution);
  const auto refused = AcceptProposals(d, items);
  EXPECT_TRUE(refused.created.empty());
  ASSERT_EQ(refused.problems.size(), 2u);
  for (const auto& item : refused.problems) {
    EXPECT_EQ(item.problem.field, "/route");
    EXPECT_EQ(item.problem.code, "not_reserved");
    EXPECT_NE(item.problem.message.find("L2113-12"), std::string::npos) << item.problem.message;
  }
  EXPECT_EQ(CheckRouteFitsClause(model::FulfilmentRoute::kEmbaucheDirecte, d.contracts[0]).size(), 0u);

  auto reserved = AcceptData();
  reserved.contracts[0].clause_type = model::ClauseType::kMarcheReserveHandicap;
  const auto accepted = AcceptProposals(reserved, items);
  ASSERT_TRUE(accepted.problems.empty()) << accepted.problems[0].problem.message;
  ASSERT_EQ(accepted.created.size(), 2u);
  const auto& esat_hire = reserved.placements.back();
  EXPECT_EQ(esat_hire.route, model::FulfilmentRoute::kEsat);
  EXPECT_EQ(esat_hire.contract_type, model::ContractType::kEsatSoutien);
  EXPECT_EQ(esat_hire.employer, "ESAT Les Ateliers");
  EXPECT_EQ(reserved.placements[reserved.placements.size() - 2].route, model::FulfilmentRoute::kEa);
}

}  // namespace
}  // namespace clausematch::lifecycle
