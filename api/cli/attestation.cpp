// `clausematch attestation --db FILE --contract ID [--month YYYY-MM] [--named] --out FILE`: the
// signed attestation of a contract's insertion hours, as PDF or JSON (service/attestation.hpp, the
// rule of GET /v1/contracts/{id}/attestation; docs/attestations.md).
// `clausematch attestation verify FILE [--db FILE | --public-key B64] [--format json]`: checks a PDF's or JSON's
// signature (and that a PDF's pages are those of the signed figures).
// `clausematch attestation rotate-key --db FILE --org ORG`, `attestation keys --db FILE --org ORG`.
#include "service/attestation.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/cli/attestation.hpp"
#include "api/cli/lifecycle_support.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/json/attestation_json.hpp"
#include "api/pdf/attestation_pdf.hpp"
#include "data/csv_reader.hpp"
#include "service/error.hpp"
#include "store/store.hpp"

namespace clausematch::api::cli {
namespace {

struct IssueArgs {
  std::string db, month, org, format = "pdf", out, date;
  std::uint32_t contract = 0;
  bool named = false;
};

// The operator at the command line acts as an admin, or as a facilitator of --org.
service::Caller Operator(const std::string& org) {
  service::Caller caller;
  caller.actor.org = org.empty() ? "cli" : org;
  caller.actor.role = org.empty() ? store::Role::kAdmin : store::Role::kFacilitator;
  caller.actor.request_id = "cli";
  caller.purpose = "clausematch attestation";
  return caller;
}

model::Date Today() { return model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())); }

int Issue(const IssueArgs& a) {
  if (a.db.empty()) throw InputError("--db is required");
  if (a.contract == 0) throw InputError("--contract is required (a contract id)");
  if (a.format != "pdf" && a.format != "json") throw InputError("--format must be pdf or json");
  if (auto problems = service::CheckAttestationMonth(a.month); !problems.empty())
    throw InputError("--month: '" + a.month + "' is not " + problems.front().message);
  if (a.format == "pdf" && (a.out.empty() || a.out == "-")) throw InputError("--out FILE is required for a PDF");
  const auto today = a.date.empty() ? Today() : ParseDateFlag("--date", a.date);
  store::Store store(a.db);
  const auto signed_attestation =
      service::IssueAttestation(Operator(a.org), store, {model::ContractId(a.contract), a.month, a.named}, today);
  if (a.format == "json") {
    WriteOutput(a.out,
                [&](std::ostream& os) { os << json::SignedAttestationJson(signed_attestation).dump(2) << '\n'; });
  } else {
    const auto bytes =
        pdf::AttestationPdf(signed_attestation.canonical, signed_attestation.signature, signed_attestation.public_key);
    WriteOutput(a.out, [&](std::ostream& os) { os.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
  }
  const auto& f = signed_attestation.figures;
  std::cerr << "attestation of contract " << a.contract << " (" << (f.month ? f.month->ToString() : "whole contract")
            << "): " << f.lines.size() << " person(s), " << service::Hours(f.period_hours) << " h, "
            << service::Hours(f.to_date.realised) << " h of " << service::Hours(f.to_date.forecast)
            << " to date; signed by " << f.facilitator_org << " with " << signed_attestation.key_id << '\n';
  return kExitOk;
}

struct VerifyArgs {
  std::string file, db, public_key, format = "text";
};

// The verification itself is service::VerifySubmittedAttestation, as for POST /v1/attestations/verify.
int Verify(const VerifyArgs& a) {
  if (a.db.empty() == a.public_key.empty()) throw InputError("give --db FILE or --public-key BASE64 (one of them)");
  if (a.format != "text" && a.format != "json") throw InputError("--format must be text or json");
  const std::string bytes = data::ReadWholeFile(a.file);
  std::unique_ptr<store::Store> store;
  if (!a.db.empty()) store = std::make_unique<store::Store>(a.db);
  service::AttestationVerdict verdict;
  try {
    verdict = service::VerifySubmittedAttestation(store.get(), bytes, a.public_key, pdf::Codec());
  } catch (const service::Error& e) {
    if (e.kind() != service::ErrorKind::kInvalid) throw;
    throw service::Error(e.kind(), a.file + ": " + e.what(), e.problems());
  }
  const auto& v = verdict.verification;
  if (a.format == "json") {
    std::cout << json::AttestationVerdictJson(verdict).dump(2) << '\n';
    return v.valid ? kExitOk : kExitBadInput;
  }
  if (!v.valid) {
    std::cout << "INVALID: " << v.reason << '\n';
    return kExitBadInput;
  }
  std::cout << "valid: signed by " << v.org << " with key " << v.key_id << (v.key_retired ? " (since retired)" : "")
            << "; contract " << verdict.contract_reference << ", period " << verdict.period << ", "
            << verdict.to_date_hours << " h of " << verdict.target_hours << " h to date, issued on "
            << verdict.issued_on << '\n';
  return kExitOk;
}

}  // namespace

void AddAttestation(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<IssueArgs>();
  auto* cmd = app.add_subcommand(
      "attestation",
      "Signed attestation (PDF or JSON) of a contract's insertion hours, for a month or the whole contract");
  cmd->add_option("--db", a->db, "SQLite database of `serve`");
  cmd->add_option("--contract", a->contract, "Contract id");
  cmd->add_option("--month", a->month, "Month YYYY-MM (default: the whole contract)");
  cmd->add_flag("--named", a->named, "Show people by first name and initial instead of pseudonyms (audited)");
  cmd->add_option("--org", a->org, "Act as a facilitator of this organisation (default: as an admin)");
  cmd->add_option("--format", a->format, "pdf or json")->capture_default_str();
  cmd->add_option("--date", a->date, "Date of the attestation (default: today)");
  cmd->add_option("--out", a->out, "Output file (JSON: default stdout)");

  auto v = std::make_shared<VerifyArgs>();
  auto* verify = cmd->add_subcommand("verify", "Check the signature of an attestation (PDF or JSON)");
  verify->add_option("file", v->file, "The attestation's PDF or JSON file")->required();
  verify->add_option("--db", v->db, "SQLite database holding the organisation's keys");
  verify->add_option("--public-key", v->public_key, "The signer's public key (base64), without a database");
  verify->add_option("--format", v->format, "text, or json (the answer of POST /v1/attestations/verify)")
      ->capture_default_str();
  verify->callback([&ctx, v] { ctx.exit_code = RunGuarded([&] { return Verify(*v); }); });

  auto rotate_db = std::make_shared<std::string>();
  auto rotate_org = std::make_shared<std::string>();
  auto* rotate = cmd->add_subcommand("rotate-key",
                                     "Retire an organisation's signing key (the next attestation makes "
                                     "a new one; what the old one signed still verifies)");
  rotate->add_option("--db", *rotate_db, "SQLite database file")->required();
  rotate->add_option("--org", *rotate_org, "Organisation code")->required();
  rotate->callback([&ctx, rotate_db, rotate_org] {
    ctx.exit_code = RunGuarded([&] {
      store::Store store(*rotate_db);
      if (!service::RotateSigningKey(store, *rotate_org)) throw InputError(*rotate_org + " has no active signing key");
      std::cout << "retired the signing key of " << *rotate_org << "; the next attestation makes a new one\n";
      return kExitOk;
    });
  });

  auto keys_db = std::make_shared<std::string>();
  auto keys_org = std::make_shared<std::string>();
  auto* keys = cmd->add_subcommand("keys", "An organisation's signing keys (public parts)");
  keys->add_option("--db", *keys_db, "SQLite database file")->required();
  keys->add_option("--org", *keys_org, "Organisation code")->required();
  keys->callback([&ctx, keys_db, keys_org] {
    ctx.exit_code = RunGuarded([&] {
      store::Store store(*keys_db);
      for (const auto& k : service::SigningKeys(store, *keys_org))
        std::cout << k.key_id << ' ' << service::Base64(k.public_key) << " created " << k.created_at
                  << (k.retired_at.empty() ? " active" : " retired " + k.retired_at) << '\n';
      return kExitOk;
    });
  });

  cmd->callback([&ctx, a, verify, rotate, keys] {
    if (verify->parsed() || rotate->parsed() || keys->parsed()) return;
    ctx.exit_code = RunGuarded([&] { return Issue(*a); });
  });
}

}  // namespace clausematch::api::cli
