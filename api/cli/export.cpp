// clausematch export --data DIR --out DIR --format csv|json [--pseudonymise --key-file F]
//
// Writes the dataset in another format; with --pseudonymise, personal data is removed or replaced
// so that the files can leave the organisation (docs/formats.md, "Pseudonymised export"):
//   - participant ids and external refs become keyed BLAKE2b hashes (service/pseudonym.hpp, the same
//     scheme as `indicators --participants`, with the secret key from --key-file): stable across
//     exports made with the same key, so funders can follow a person over time, but not reversible without the key;
//   - names become the pseudonymous reference; e-mail and phone are dropped;
//   - the birth date keeps its year only (set to 1 July of that year);
//   - precise coordinates are dropped (the commune stays); the free-text derogation reason and
//     the agent part of who validated a proof are redacted.

#include <iostream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/referential_loader.hpp"
#include "service/pseudonym.hpp"

namespace clausematch::api::cli {
namespace {

struct ExportOptions {
  std::string data;
  std::string out;
  std::string format = "csv";
  bool pseudonymise = false;
  std::string key_file;
  std::string reference = data::DefaultReferenceDir();
};

void Pseudonymise(model::Dataset& d, const service::Pseudonymiser& hash) {
  std::unordered_map<model::ParticipantId, model::ParticipantId> new_id;
  std::unordered_set<std::uint32_t> taken;
  for (auto& p : d.participants) {
    // The pseudonym rests on what identifies the person for the prescriber, else on our id
    // (service/pseudonym.hpp: the same scheme as `indicators --participants`).
    const std::string pseudonym = hash.Of(p.id, &p);
    // A 32-bit id from the same hash; the rare collision moves to the next free value.
    std::uint32_t id = hash.Number(p.id, &p);
    while (id == model::ParticipantId::kInvalid || !taken.insert(id).second) ++id;
    new_id.emplace(p.id, model::ParticipantId(id));
    p.id = model::ParticipantId(id);
    p.external_ref = pseudonym;
    p.first_name = "-";
    p.last_name = pseudonym;
    p.email.reset();
    p.phone.reset();
    p.birth_date = model::Date::FromYmd(p.birth_date.year(), 7, 1);
    p.location.reset();
    for (auto& c : p.criteria) c.validated_by = c.validated_by.substr(0, c.validated_by.find(':'));
    if (p.derogation) p.derogation->reason = "(redacted)";
  }
  for (auto& pl : d.placements)
    if (auto it = new_id.find(pl.participant); it != new_id.end()) pl.participant = it->second;
}

int RunExport(const ExportOptions& o) {
  const auto format = data::ParseDatasetFormat(o.format);
  if (!format || *format == data::DatasetFormat::kBinary) throw InputError("--format must be csv or json");
  if (o.pseudonymise && o.key_file.empty()) throw InputError("--pseudonymise needs --key-file");
  std::optional<service::Pseudonymiser> hash;
  if (o.pseudonymise) hash.emplace(service::Pseudonymiser::FromKeyFile(o.key_file));
  const auto ref = data::LoadReferential(o.reference);
  model::Dataset d = data::LoadDataset(o.data, *ref);
  if (hash) Pseudonymise(d, *hash);
  data::SaveDataset(d, o.out, *format);
  std::cout << "exported " << d.participants.size() << " participants, " << d.contracts.size() << " contracts, "
            << d.openings.size() << " openings, " << d.placements.size() << " placements to " << o.out << " ("
            << o.format << (hash ? ", pseudonymised" : "") << ")\n";
  return kExitOk;
}

}  // namespace

void AddExport(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("export", "Write a dataset as CSV or JSON, optionally pseudonymised");
  auto o = std::make_shared<ExportOptions>();
  cmd->add_option("--data", o->data, "Dataset folder to read")->required();
  cmd->add_option("--out", o->out, "Folder to write (created if needed)")->required();
  cmd->add_option("--format", o->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  cmd->add_flag("--pseudonymise", o->pseudonymise, "Replace ids by keyed hashes, drop names and contact details");
  cmd->add_option("--key-file", o->key_file, "Secret key for the keyed hash (16 to 64 bytes)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--reference", o->reference, "Reference data folder (rome/, geo/)");
  cmd->callback([&ctx, o] { ctx.exit_code = RunGuarded([&] { return RunExport(*o); }); });
}

}  // namespace clausematch::api::cli
