// `clausematch renewals`: the proofs prescribers' participants must renew before a hire, for the
// proposals of a batch (its assignments.csv, or the same file with a decision column) and the
// dataset's accepted placements not yet hired. Thin door: the rule is service::ComputeRenewals,
// the one GET /v1/participants/renewals applies to the server's proposals and shortlists.
#include "service/renewals.hpp"

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/json/batch_json.hpp"
#include "data/csv_reader.hpp"

namespace clausematch::api::cli {
namespace {

struct RenewalsArgs {
  DatasetArgs data;
  std::string proposals;
  std::string prescriber;
  std::string today;
  std::string format = "table";
  std::string out;
};

// The proposals file's rows as candidates: decision accepted -> accepted, declined -> skipped,
// anything else (no decision column, pending, empty) -> a pending proposal.
std::vector<service::RenewalCandidate> ReadProposals(const std::string& path) {
  std::vector<service::RenewalCandidate> out;
  std::vector<std::string> errors;
  std::size_t c_opening = 0, c_participant = 0, c_decision = std::string::npos;
  bool header = false;
  data::CsvReader::ParseFile(path, [&](const data::CsvRow& row) {
    if (!header) {
      c_opening = data::CsvReader::Column(row.header(), "opening_id");
      c_participant = data::CsvReader::Column(row.header(), "participant_id");
      c_decision = data::CsvReader::FindColumn(row.header(), "decision");
      header = true;
    }
    auto id = [&](std::size_t c) -> std::optional<std::uint32_t> {
      const auto v = ParseDecimal(row.Get(c));
      if (!v || *v < 1 || *v >= 4294967295.0 || std::floor(*v) != *v) {
        errors.push_back(CellError(row, c, "'" + std::string(row.Get(c)) + "' is not an id"));
        return std::nullopt;
      }
      return static_cast<std::uint32_t>(*v);
    };
    auto source = service::RenewalSource::kProposal;
    if (c_decision != std::string::npos) {
      const std::string d(row.Get(c_decision));
      if (d == "decline" || d == "declined") return;
      if (d == "accept" || d == "accepted") source = service::RenewalSource::kAccepted;
    }
    const auto opening = id(c_opening);
    const auto participant = id(c_participant);
    if (opening && participant)
      out.push_back({model::ParticipantId(*participant), model::OpeningId(*opening), source, 0});
  });
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) + " invalid row(s) in " + path + ":";
    for (std::size_t i = 0; i < errors.size() && i < 20; ++i) message += "\n  " + errors[i];
    throw InputError(message);
  }
  return out;
}

int Run(const RenewalsArgs& a) {
  if (a.format != "table" && a.format != "json" && a.format != "csv")
    throw InputError("renewals: --format must be table, json or csv, not '" + a.format + "'");
  const auto loaded = LoadDatasetArgs(a.data);
  const auto& data = loaded.dataset;
  model::Date today;
  if (!a.today.empty())
    today = ParseDateFlag("--today", a.today);
  else if (data.as_of)
    today = *data.as_of;
  else
    throw InputError("renewals: the dataset has no as_of date; give --today YYYY-MM-DD");
  std::vector<service::RenewalCandidate> candidates;
  if (!a.proposals.empty()) candidates = ReadProposals(a.proposals);
  for (auto& c : service::AcceptedCandidates(data)) candidates.push_back(c);
  const auto renewals = service::ComputeRenewals(data, candidates, today, [&](const model::Participant& p) {
    return a.prescriber.empty() || p.prescriber_org == a.prescriber;
  });

  WriteOutput(a.out, [&](std::ostream& os) {
    if (a.format == "json") {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& r : renewals) items.push_back(json::RenewalJson(r));
      os << nlohmann::json{{"today", today.ToString()}, {"items", std::move(items)}}.dump(2) << '\n';
      return;
    }
    if (a.format == "csv") {
      os << "prescriber_org,participant_id,external_ref,criterion,renew_by,opening_id,source\n";
      for (const auto& r : renewals)
        os << data::CsvEscape(r.prescriber_org) << ',' << r.participant.value() << ','
           << data::CsvEscape(r.external_ref) << ',' << model::Code(r.condition.criterion) << ','
           << r.condition.renew_by.ToString() << ',' << r.opening.value() << ',' << service::Code(r.source) << '\n';
      return;
    }
    os << "Justificatifs à actualiser avant l'embauche (au " << today.ToString() << ") : " << renewals.size() << '\n';
    for (const auto& r : renewals)
      os << "  " << Fit(r.prescriber_org, 12) << ' '
         << Fit(r.external_ref.empty() ? std::to_string(r.participant.value()) : r.external_ref, 14) << ' '
         << matcher::Text(r.condition) << " (offre " << r.opening.value() << ", " << service::Code(r.source) << ")\n";
  });
  return kExitOk;
}

}  // namespace

void AddRenewals(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RenewalsArgs>();
  auto* cmd = app.add_subcommand(
      "renewals", "Proofs participants must renew before a hire (a batch's proposals, accepted placements)");
  cmd->add_option("--data", a->data.data_dir, "Dataset folder");
  cmd->add_flag("--sample", a->data.sample, "Use the bundled sample");
  cmd->add_option("--reference", a->data.reference, "Reference data folder");
  cmd->add_option("--proposals", a->proposals,
                  "A batch's assignments.csv (opening_id, participant_id[, decision]); declined rows skipped");
  cmd->add_option("--prescriber", a->prescriber, "Only this prescriber organisation's participants");
  cmd->add_option("--today", a->today, "Reference date YYYY-MM-DD (default: the dataset's as_of)");
  cmd->add_option("--format", a->format, "table (default), json or csv");
  cmd->add_option("--out", a->out, "Output file (default: stdout)");
  cmd->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a); }); });
}

}  // namespace clausematch::api::cli
