// `clausematch opening open --data DIR ID`: opens a draft opening of a dataset folder (one the clause
// plan proposed), checked against its contract by service::OpenDraftOpening, the rule of POST
// /v1/openings/{id}/open; the folder is written back in place (its format kept) when it opened.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/cli/commands.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/json_codec.hpp"
#include "service/plan.hpp"

namespace clausematch::api::cli {
namespace {

struct OpenArgs {
  DatasetArgs data;
  std::uint32_t id = 0;
  std::string format = "text";
};

int Open(const OpenArgs& a) {
  if (a.format != "text" && a.format != "json") throw InputError("--format must be text or json");
  auto loaded = LoadDatasetArgs(a.data);
  auto& dataset = loaded.dataset;
  const auto it = std::find_if(dataset.openings.begin(), dataset.openings.end(),
                               [&](const model::Opening& o) { return o.id.value() == a.id; });
  if (it == dataset.openings.end()) throw InputError("no such opening " + std::to_string(a.id));
  const auto* contract = dataset.FindContract(it->contract);
  if (contract == nullptr)
    throw InputError("opening " + std::to_string(a.id) + " names contract " + std::to_string(it->contract.value()) +
                     ", which the dataset does not hold");
  const bool opened = service::OpenDraftOpening(*it, *contract);
  if (opened) data::SaveDataset(dataset, loaded.dir, *data::DetectDatasetFormat(loaded.dir));
  if (a.format == "json") {
    std::cout << data::ToJson(*it).dump(2) << '\n';
  } else {
    std::cout << "opening " << a.id << " of contract " << contract->reference
              << (opened ? " opened" : " was already open") << '\n';
  }
  return kExitOk;
}

}  // namespace

void AddOpening(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("opening", "Openings of a dataset: open a draft (from the clause plan)");
  cmd->alias("openings");
  cmd->require_subcommand(1);
  auto a = std::make_shared<OpenArgs>();
  auto* open = cmd->add_subcommand(
      "open", "Open a draft opening, checked against its contract's dates (the dataset folder is updated in place)");
  open->add_option("--data", a->data.data_dir, "Dataset folder (updated in place)")->required();
  open->add_option("--reference", a->data.reference, "Reference data folder");
  open->add_option("id", a->id, "Opening id")->required();
  open->add_option("--format", a->format, "text or json (the opening as GET /v1/openings/{id} shows it)")
      ->capture_default_str();
  open->callback([&ctx, a] { ctx.exit_code = RunGuarded([&] { return Open(*a); }); });
}

}  // namespace clausematch::api::cli
