#pragma once
// Synthetic regional datasets on real reference data: participants living where the population
// lives (COG communes weighted by population), contracts in towns, trades that insertion clauses
// actually generate (ROME 4.0 fiches and appellations), clause hours sized by the clause lifecycle's
// own rules (lifecycle::ResolveLabourShare and SizeClause, docs/lifecycle.md). No real person's
// data: names come from a small built-in list of common French first and last names, e-mails use
// example.org and phone numbers the range ARCEP keeps for fiction (06 39 98 xx xx).
//
// Deterministic: the output depends only on (config, referential). Every record draws from its own
// stream Prng::Stream(seed, kind, index) (generator/prng.hpp), so the result is the same whatever the
// number of threads, and the same seed gives byte-identical files. The shares, the trade table
// and the sizing formula are documented in docs/generator.md.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/criteria.hpp"
#include "model/dataset.hpp"
#include "model/enums.hpp"
#include "model/referential.hpp"

namespace clausematch::generator {

// Target shares of the participants (overall, at `as_of`). The generator derives conditional
// probabilities so that these overall shares hold in expectation (tests check them).
struct ParticipantShares {
  double rsa = 0.38;               // bénéficiaires du RSA: the largest group
  double jeune = 0.28;             // under 26
  double senior = 0.15;            // 50 and over
  double detld = 0.10;             // job seekers 24+ months
  double deld = 0.16;              // job seekers 12-24 months (exclusive with detld)
  double rqth = 0.09;              // recognised disabled workers (twice as frequent among seniors)
  double ase_among_jeunes = 0.12;  // ASE leavers, as a share of the under-26s (aged 18-22)
  double qpv = 0.22;               // QPV residents, concentrated in towns of 5,000+ inhabitants
  double ass = 0.04;
  double aah_among_rqth = 0.35;
  double parent_isole = 0.09;
  double sans_hebergement = 0.03;
  double refugie = 0.03;
  double sortant_detention = 0.02;
  double niveau_formation = 0.62;  // education level 3 (CAP, BEP) or below: most of the publics
  double francais_a1 = 0.04;
  double salarie_siae = 0.05;
  double zrr_among_rural = 0.30;  // residents of communes under 2,000 inhabitants
  double expired_proof = 0.15;    // document proofs already expired at as_of
  double licence_b = 0.55;
  double car_among_licensed = 0.75;  // mobility mode "voiture"
  double mobilite_among_carless = 0.25;
  double consent = 0.95;
};

struct GeneratorConfig {
  std::vector<std::string> departements;  // département codes ("59", "2A"); at least one
  std::string territory;                  // label; derived from the départements when empty
  std::size_t participants = 3000;
  std::size_t contracts = 120;
  std::uint64_t seed = 1;
  model::Date as_of = model::Date::FromYmd(2026, 11, 23);
  ParticipantShares shares;
};

// Named presets: "departement" (Somme, 20k participants, 700 contracts), "region" (Hauts-de-France,
// 300k participants, 11k contracts: ~30k openings, ~50k positions), "large" (Hauts-de-France +
// Île-de-France, 1M participants, 37k contracts), "national" (the 13 metropolitan regions, people
// and contracts in proportion to the population at the region's rates: about 3.3M participants
// and 121k contracts). Measured counts: docs/generator.md.
// Throws std::invalid_argument for an unknown name. Needs the referential to list a region's
// départements.
GeneratorConfig PresetConfig(std::string_view preset, const model::Referential& ref);
inline constexpr std::string_view kPresetNames[] = {"departement", "region", "large", "national"};
// The 13 regions of metropolitan France (INSEE codes; the overseas ones are 01-06).
inline constexpr const char* kMetropolitanRegions[] = {"11", "24", "27", "28", "32", "44", "52",
                                                       "53", "75", "76", "84", "93", "94"};
// Inhabitants of the départements' communes (each commune once).
double PopulationOf(const model::Referential& ref, const std::vector<std::string>& departements);

// Départements of a region, in referential order; empty when the region is unknown.
std::vector<std::string> DepartementsOfRegion(const model::Referential& ref, std::string_view region);

// A trade family that insertion clauses generate: the ROME fiches its openings draw from and the CPV
// code of its contracts. Its contracts are sized by the rule both doors apply
// (lifecycle::ResolveLabourShare with the default labour-share table): the CPV code's labour share,
// else that of the family's principal trade, its first fiche. The table is in docs/generator.md.
struct TradeFiche {
  std::string_view fiche;  // ROME 4.0 code
  double weight;
  model::LicenceSet required;  // licences every opening of this fiche requires
};
struct TradeFamily {
  std::string_view code;  // "btp_gros_oeuvre", "nettoyage"...
  std::string_view label;
  std::string_view cpv;       // CPV code of the contracts' lot
  std::string_view title;     // contract title prefix
  double contract_weight;     // share of contracts
  double participant_weight;  // share of participants whose first wish is in this family
  double median_amount_eur;   // log-normal amount: median and sigma of log
  double amount_sigma;
  std::span<const TradeFiche> fiches;
};
std::span<const TradeFamily> TradeFamilies();

// The trade family of a fiche in the table above; nullptr for a fiche outside it.
const TradeFamily* TradeFamilyOf(model::RomeCode fiche);

// Counts a person checks after a generation: by criterion, by département, positions by trade.
struct DatasetSummary {
  struct Row {
    std::string key;    // criterion code, département code, trade family code
    std::string label;  // French label
    std::size_t participants = 0;
    std::size_t positions = 0;
  };
  std::size_t participants = 0;
  std::size_t contracts = 0;
  std::size_t openings = 0;
  std::size_t positions = 0;
  double insertion_hours = 0;
  std::vector<Row> by_criterion;    // participants holding each criterion, in criterion order
  std::vector<Row> by_departement;  // participants living and positions located there, by code
  std::vector<Row> by_trade;        // positions per trade family, in table order ("autre" last)
};
DatasetSummary Summarize(const model::Dataset& dataset, const model::Referential& ref);

// Called from the generating thread with a stage name ("participants", "contracts") and progress.
using GeneratorProgress = std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

// Throws std::invalid_argument for an unknown département or an empty territory.
model::Dataset Generate(const GeneratorConfig& config, const model::Referential& ref,
                        const GeneratorProgress& progress = {});

}  // namespace clausematch::generator
