#pragma once
// Fulfilment of clauses: for each contract, and for each company holding contracts (titulaire),
// the hours forecast (the clause's insertion hours) against the hours realised (the effective
// monthly reports of its hired placements), what is left and the percentage done.
//
//     realised  = Σ over hired/ended placements of the contract of their effective hours
//     remaining = max(0, forecast - realised)     per contract; for a company or the total, the sum
//                 of its contracts' remaining hours (one contract's surplus does not make up for
//                 another's shortfall)
//     percent   = 100 × realised / forecast      (absent when nothing was forecast)
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/dataset.hpp"

namespace clausematch::lifecycle {

struct Fulfilment {
  double forecast = 0.0;
  double realised = 0.0;
  double remaining = 0.0;
  std::optional<double> percent;
  int placements = 0;  // hired or ended placements counted
};

struct ContractFulfilment {
  model::ContractId contract;
  std::string reference;
  std::string holder;
  Fulfilment fulfilment;
  std::map<model::FulfilmentRoute, double> realised_by_route;
};

struct CompanyFulfilment {
  std::string holder;  // company name; "(titulaire non renseigné)" when unknown
  std::string holder_siret;
  int contracts = 0;
  Fulfilment fulfilment;
};

struct FulfilmentReport {
  std::vector<ContractFulfilment> contracts;  // dataset order
  std::vector<CompanyFulfilment> companies;   // by holder SIRET (else name), sorted
  Fulfilment total;
};

// Hours of months beginning on or before `up_to` (all when absent). `dataset` must be indexed.
FulfilmentReport ComputeFulfilment(const model::Dataset& dataset, std::optional<model::Date> up_to = std::nullopt);

// Fills remaining and percent from forecast and realised (one contract).
void Finish(Fulfilment& f);
// Fills percent only (aggregates, whose remaining is a sum).
void FinishPercent(Fulfilment& f);

}  // namespace clausematch::lifecycle
