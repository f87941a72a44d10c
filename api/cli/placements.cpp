// `clausematch placements accept`: the facilitator's accepted proposals become hires (placements),
// written to a new dataset folder, all or nothing. Thin door: the rules are lifecycle::AcceptProposals.
//
// Proposals file: the batch's assignments.csv as it is (every row accepted), or the same file with
// a `decision` column (only rows marked accept/accepted are hired; declined, pending or empty rows
// are skipped). Required columns opening_id, participant_id; optional contract_id (cross-checked),
// contract_type, route, employer, employer_siret (override the defaults for that row) and
// hire_date (the actual hire date; default max(decision day, opening start)). The decision day is
// --today, by default the dataset's as_of (the batch's reference date). Each hire is judged at its
// hire date (service::EligibilityAtHire) and keeps the snapshot of why the person counted.
#include "lifecycle/placements.hpp"

#include <cmath>
#include <iostream>
#include <map>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "service/placements.hpp"
#include "service/siae.hpp"

namespace clausematch::api::cli {
namespace {

struct AcceptArgs {
  DatasetArgs data;
  std::string proposals;
  std::string out;
  std::string format;
  std::string contract_type;
  std::string route;
  std::string employer;
  std::string employer_siret;
  std::string today;
  bool nearest_siae = false;
  double km = 30;
  std::string siae_file;
};

struct Row {
  std::size_t line = 0;
  lifecycle::Acceptance acceptance;
};

// Columns of the proposals file, by field name ("opening_id" for "/opening_id").
using ColumnMap = std::map<std::string, std::size_t>;

template <typename E>
std::optional<E> ParseEnumFlag(std::string_view flag, const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto v = model::ParseEnum<E>(text);
  if (!v) {
    std::string codes;
    for (const auto& e : model::Entries(E{})) codes += (codes.empty() ? "" : ", ") + std::string(e.code);
    throw InputError(std::string(flag) + ": '" + text + "' is not one of " + codes);
  }
  return v;
}

// For a placement through an insertion structure without a named employer: the nearest structure of
// the route's kind whose sector fits the opening's trade (ETTI, AI and GEIQ fit every trade).
void NameNearestStructures(std::vector<Row>& rows, const model::Dataset& dataset, const model::Referential& ref,
                           const AcceptArgs& a) {
  const auto directory = service::SiaeDirectory::Load(a.data.reference, a.siae_file, &ref);
  for (auto& row : rows) {
    auto& acc = row.acceptance;
    if (!acc.employer.empty() || !acc.employer_siret.empty()) continue;
    const auto* opening = dataset.FindOpening(acc.opening);
    const auto* contract = opening ? dataset.FindContract(opening->contract) : nullptr;
    if (contract == nullptr) continue;
    const auto route = acc.route.value_or(lifecycle::DefaultRoute(acc.contract_type.value_or(opening->contract_type)));
    const auto* best = service::NearestStructure(*directory, *contract, *opening, route, ref, a.km);
    if (best == nullptr) continue;  // Hire then reports the missing employer
    acc.employer = best->enseigne.empty() ? best->name : best->enseigne;
    acc.employer_siret = best->siret;
  }
}

int Run(const AcceptArgs& a) {
  if (a.proposals.empty()) throw InputError("--proposals FILE is required");
  if (a.out.empty()) throw InputError("--out DIR is required");
  if (!(a.km > 0)) throw InputError("--km must be positive");
  const auto type_flag = ParseEnumFlag<model::ContractType>("--contract-type", a.contract_type);
  const auto route_flag = ParseEnumFlag<model::FulfilmentRoute>("--route", a.route);
  auto loaded = LoadDatasetArgs(a.data);
  model::Date decided_on;
  if (!a.today.empty()) {
    const auto d = model::Date::Parse(a.today);
    if (!d) throw InputError("--today '" + a.today + "' is not a date (YYYY-MM-DD)");
    decided_on = *d;
  } else if (loaded.dataset.as_of) {
    decided_on = *loaded.dataset.as_of;
  } else {
    throw InputError("the dataset has no as_of date; give --today YYYY-MM-DD (the day of the decisions)");
  }
  auto format = data::DetectDatasetFormat(loaded.dir);
  if (!a.format.empty()) {
    format = data::ParseDatasetFormat(a.format);
    if (!format) throw InputError("--format must be csv, json or bin");
  }

  std::vector<Row> rows;
  std::vector<std::string> errors;
  ColumnMap col;
  std::vector<std::string> header;
  std::optional<std::size_t> c_decision;
  int skipped = 0;
  bool missing_employer = false;
  data::CsvReader::ParseFile(a.proposals, [&](const data::CsvRow& row) {
    const auto& h = row.header();
    if (col.empty()) {
      header = h;
      col["opening_id"] = data::CsvReader::Column(h, "opening_id");
      col["participant_id"] = data::CsvReader::Column(h, "participant_id");
      for (const char* name : {"contract_id", "contract_type", "route", "employer", "employer_siret", "hire_date"})
        if (auto c = data::CsvReader::FindColumn(h, name); c != std::string::npos) col[name] = c;
      if (auto c = data::CsvReader::FindColumn(h, "decision"); c != std::string::npos) c_decision = c;
    }
    auto error = [&](std::size_t c, const std::string& message) { errors.push_back(CellError(row, c, message)); };
    auto cell = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it == col.end() ? std::string() : std::string(row.Get(it->second));
    };
    if (c_decision) {
      const std::string d(row.Get(*c_decision));
      if (d == "decline" || d == "declined" || d == "pending" || d.empty()) {
        ++skipped;
        return;
      }
      if (d != "accept" && d != "accepted") {
        error(*c_decision, "'" + d + "' is not a decision (accepted, declined, pending)");
        return;
      }
    }
    Row r;
    r.line = row.line();
    auto id = [&](const char* name) -> std::optional<std::uint32_t> {
      const auto v = ParseDecimal(cell(name));
      if (!v || *v < 1 || *v >= 4294967295.0 || std::floor(*v) != *v) {
        error(col.at(name), "'" + cell(name) + "' is not an id");
        return std::nullopt;
      }
      return static_cast<std::uint32_t>(*v);
    };
    const auto opening = id("opening_id");
    const auto participant = id("participant_id");
    if (opening) r.acceptance.opening = model::OpeningId(*opening);
    if (participant) r.acceptance.participant = model::ParticipantId(*participant);
    if (!cell("contract_id").empty())
      if (const auto c = id("contract_id")) r.acceptance.contract = model::ContractId(*c);
    r.acceptance.contract_type = type_flag;
    if (const auto t = cell("contract_type"); !t.empty()) {
      r.acceptance.contract_type = model::ParseEnum<model::ContractType>(t);
      if (!r.acceptance.contract_type) error(col.at("contract_type"), "'" + t + "' is not a contract type");
    }
    r.acceptance.route = route_flag;
    if (const auto t = cell("route"); !t.empty()) {
      r.acceptance.route = model::ParseEnum<model::FulfilmentRoute>(t);
      if (!r.acceptance.route) error(col.at("route"), "'" + t + "' is not a fulfilment route");
    }
    r.acceptance.employer = cell("employer");
    r.acceptance.employer_siret = cell("employer_siret");
    r.acceptance.decided_on = decided_on;
    if (const auto t = cell("hire_date"); !t.empty()) {
      r.acceptance.hire_date = model::Date::Parse(t);
      if (!r.acceptance.hire_date) error(col.at("hire_date"), "'" + t + "' is not a date (YYYY-MM-DD)");
    }
    rows.push_back(std::move(r));
  });
  auto fail = [&](const std::string& what) {
    std::string message =
        std::to_string(errors.size()) + " invalid row(s) in " + a.proposals + ", " + what + ", nothing written:";
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < errors.size() && i < kShown; ++i) message += "\n  " + errors[i];
    if (errors.size() > kShown) message += "\n  ... and " + std::to_string(errors.size() - kShown) + " more";
    if (missing_employer && !col.contains("employer"))
      message +=
          "\nAn employer is needed for hires through an ETTI, GEIQ, AI or SIAE subcontracting, and for direct "
          "hires on contracts without a holder: add employer/employer_siret columns, or give --employer or "
          "--nearest-siae.";
    throw InputError(message);
  };
  if (!errors.empty()) fail("malformed");

  if (a.nearest_siae) NameNearestStructures(rows, loaded.dataset, *loaded.ref, a);
  // --employer for the rows still without one, except direct hires on a contract with a holder.
  for (auto& r : rows) {
    auto& acc = r.acceptance;
    if (!acc.employer.empty() || !acc.employer_siret.empty()) continue;
    const auto* opening = loaded.dataset.FindOpening(acc.opening);
    const auto* contract = opening ? loaded.dataset.FindContract(opening->contract) : nullptr;
    const auto route =
        opening ? acc.route.value_or(lifecycle::DefaultRoute(acc.contract_type.value_or(opening->contract_type)))
                : model::FulfilmentRoute::kEmbaucheDirecte;
    if (route == model::FulfilmentRoute::kEmbaucheDirecte && contract &&
        !(contract->holder.empty() && contract->holder_siret.empty()))
      continue;
    acc.employer = a.employer;
    acc.employer_siret = a.employer_siret;
  }
  std::vector<lifecycle::Acceptance> acceptances;
  acceptances.reserve(rows.size());
  for (const auto& r : rows) acceptances.push_back(r.acceptance);
  auto& dataset = loaded.dataset;
  const auto report = lifecycle::AcceptProposals(dataset, acceptances, service::EligibilityAtHire);
  for (const auto& item : report.problems) {
    missing_employer = missing_employer || item.problem.field == "/employer";
    const std::string field = item.problem.field.empty() ? "opening_id" : item.problem.field.substr(1);
    const auto it = col.find(field);
    const auto c = it != col.end() ? it->second : col.at("opening_id");
    errors.push_back("line " + std::to_string(rows[item.index].line) + ", column " + std::to_string(c + 1) + " (" +
                     header[c] + "): " + item.problem.message);
  }
  if (!errors.empty()) fail("not accepted");

  SaveDatasetFolder(dataset, a.out, *format);
  std::map<std::string, int> by_type;
  int conditional = 0;
  for (const auto id : report.created)
    for (const auto& p : dataset.placements)
      if (p.id == id) {
        ++by_type[std::string(model::Code(p.contract_type))];
        if (p.eligibility && !p.eligibility->conditions.empty()) ++conditional;
      }
  std::cout << "accepted " << report.created.size() << " proposal(s) as placements";
  if (c_decision) std::cout << " (" << skipped << " row(s) declined or undecided, skipped)";
  std::cout << "; " << report.openings_filled << " opening(s) now filled\n  by contract type:";
  for (const auto& [type, n] : by_type) std::cout << ' ' << type << '=' << n;
  std::cout << "\n  subject to renewal: " << conditional
            << " (a proof to renew before the hire; clausematch renewals lists them)";
  std::cout << "\n  written " << a.out << " (" << data::FormatName(*format) << ", " << dataset.placements.size()
            << " placements in all)\n";
  return kExitOk;
}

}  // namespace

void AddPlacements(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("placements", "Placements: hires recorded from accepted proposals");
  cmd->require_subcommand(1);
  auto a = std::make_shared<AcceptArgs>();
  auto* accept = cmd->add_subcommand(
      "accept", "Record hires for accepted proposals (e.g. a batch's assignments.csv); writes a new dataset folder");
  accept->add_option("--data", a->data.data_dir, "Dataset folder");
  accept->add_flag("--sample", a->data.sample, "Use the bundled sample");
  accept->add_option("--reference", a->data.reference, "Reference data folder");
  accept
      ->add_option("--proposals", a->proposals,
                   "CSV with opening_id, participant_id[, contract_id, decision, contract_type, route, employer, "
                   "employer_siret]")
      ->required();
  accept->add_option("--out", a->out, "Dataset folder to write (created, or replaced if it holds a dataset)")
      ->required();
  accept->add_option("--format", a->format, "csv, json or bin (default: the input's)");
  accept->add_option("--today", a->today,
                     "Day of the decisions YYYY-MM-DD (default: the dataset's as_of); hires start no earlier");
  accept->add_option("--contract-type", a->contract_type, "Contract type for every row (default: the opening's)");
  accept->add_option("--route", a->route, "Fulfilment route for every row (default: implied by the contract type)");
  accept->add_option("--employer", a->employer,
                     "Employer name for rows that have none after the defaults "
                     "(the holder for direct hires, --nearest-siae)");
  accept->add_option("--employer-siret", a->employer_siret, "Employer SIRET for rows without one");
  accept->add_flag("--nearest-siae", a->nearest_siae,
                   "Name the nearest structure of the route's kind (SIAE directory) as employer where none is given");
  accept->add_option("--km", a->km, "Reach of --nearest-siae in km")->capture_default_str();
  accept->add_option("--siae-directory", a->siae_file, "SIAE directory CSV for --nearest-siae");
  accept->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Run(*a); }); });
}

}  // namespace clausematch::api::cli
