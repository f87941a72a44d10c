#pragma once
// The real server on an ephemeral loopback port against a real database file: started in SetUp,
// stopped and joined in TearDown (as cpp-httplib's own tests do).
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "api/http/server.hpp"
#include "data/referential_loader.hpp"
#include "store/keys.hpp"

namespace clausematch::api::http::testing {

using nlohmann::json;

inline std::shared_ptr<const model::Referential> Referential() {
  static auto ref = data::LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  return ref;
}

inline model::Date Today() {
  return model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

struct Reply {
  int status = 0;
  json body;
  std::string text;
  httplib::Headers headers;
  [[nodiscard]] std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class ApiTest : public ::testing::Test {
 public:
  // A valid participant as a prescriber sends it (dates relative to today so proofs are valid).
  static json Person(const std::string& ref, const std::string& first = "Inès", const std::string& last = "Durand");

 protected:
  void SetUp() override { Start(ServerOptions{}); }
  void TearDown() override { StopServer(); }

  // `prepare` runs on the database path before the server opens it (e.g. `clausematch import --db`).
  void Start(ServerOptions options, const std::function<void(const std::string&)>& prepare = {}) {
    dir_ = std::filesystem::temp_directory_path() / ("clausematch_api_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "api.db").string();
    if (prepare) prepare(db_path_);
    store_ = std::make_unique<store::Store>(db_path_);
    options.host = "127.0.0.1";
    options.port = 0;
    options.log = &log_;
    if (options.rate_per_second == ServerOptions{}.rate_per_second) options.rate_per_second = 0;  // off unless asked
    server_ = std::make_unique<Server>(*store_, Referential(), options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Run(); });
    prescriber_a_ = store::CreateApiKey(*store_, "ML-LILLE", store::Role::kPrescriber).token;
    prescriber_b_ = store::CreateApiKey(*store_, "FT-59", store::Role::kPrescriber).token;
    facilitator_a_ = store::CreateApiKey(*store_, "PLIE-LILLE", store::Role::kFacilitator).token;
    facilitator_b_ = store::CreateApiKey(*store_, "PLIE-ROUBAIX", store::Role::kFacilitator).token;
    admin_ = store::CreateApiKey(*store_, "ADMIN", store::Role::kAdmin).token;
    // Every département, as the migration gives organisations that predate territories; the
    // territory tests narrow them (tests/api/territory_test.cpp).
    store_->Write([](store::Session& s) {
      for (const char* org : {"ML-LILLE", "FT-59", "PLIE-LILLE", "PLIE-ROUBAIX"}) s.SetTerritory(org, {"*"});
    });
  }

  // Stops the server and opens the same database file again in a new one (a restart).
  void Restart(ServerOptions options = {}) {
    server_->Stop();
    thread_.join();
    server_.reset();
    store_.reset();
    store_ = std::make_unique<store::Store>(db_path_);
    options.host = "127.0.0.1";
    options.port = 0;
    options.log = &log_;
    options.rate_per_second = 0;
    server_ = std::make_unique<Server>(*store_, Referential(), options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  [[nodiscard]] httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }

  static Reply From(const httplib::Result& r) {
    Reply out;
    if (!r) {
      ADD_FAILURE() << "no HTTP response: " << httplib::to_string(r.error());
      return out;
    }
    out.status = r->status;
    out.text = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  static httplib::Headers Auth(const std::string& token, httplib::Headers extra = {}) {
    if (!token.empty()) extra.emplace("Authorization", "Bearer " + token);
    return extra;
  }

  Reply Get(const std::string& path, const std::string& token) { return From(Client().Get(path, Auth(token))); }
  Reply Post(const std::string& path, const json& body, const std::string& token, httplib::Headers extra = {}) {
    return From(Client().Post(path, Auth(token, std::move(extra)), body.dump(), "application/json"));
  }
  Reply PostRaw(const std::string& path, const std::string& body, const std::string& type, const std::string& token,
                httplib::Headers extra = {}) {
    return From(Client().Post(path, Auth(token, std::move(extra)), body, type));
  }
  Reply Put(const std::string& path, const json& body, const std::string& token) {
    return From(Client().Put(path, Auth(token), body.dump(), "application/json"));
  }

  // Polls a batch run until it ends (succeeded or failed, else the last state after ~10 s).
  json WaitForRun(std::int64_t batch, const std::string& token) {
    json state;
    for (int i = 0; i < 400; ++i) {
      state = Get("/v1/batches/" + std::to_string(batch), token).body;
      if (state["state"] == "succeeded" || state["state"] == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return state;
  }

  static json ContractBody(const std::string& reference = "2026-LILLE-001") {
    const auto today = Today();
    return {{"reference", reference},
            {"title", "Réhabilitation groupe scolaire"},
            {"buyer", "Ville de Lille"},
            {"amount_excl_vat_eur", 1000000},
            {"start", today.AddDays(30).ToString()},
            {"end", today.AddDays(400).ToString()},
            {"worksite_insee", "59350"},
            {"clause_type", "condition_execution"},
            {"accepted_publics", json::array({"rsa", "jeune", "deld"})},
            {"priority_publics", json::array({"rsa"})},
            {"insertion_hours", 833}};
  }

  static json OpeningBody() {
    const auto today = Today();
    return {{"appellation", 16250},
            {"positions", 2},
            {"weekly_hours", 35},
            {"start", today.AddDays(45).ToString()},
            {"end", today.AddDays(200).ToString()},
            {"worksite_insee", "59350"},
            {"contract_type", "cdd"},
            {"max_distance_km", 30}};
  }

  std::filesystem::path dir_;
  std::string db_path_;
  std::ostringstream log_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string prescriber_a_, prescriber_b_, facilitator_a_, facilitator_b_, admin_;
};

inline json ApiTest::Person(const std::string& ref, const std::string& first, const std::string& last) {
  const auto today = Today();
  return {{"external_ref", ref},
          {"prescriber_kind", "mission_locale"},
          {"first_name", first},
          {"last_name", last},
          {"birth_date", "2003-04-02"},
          {"email", "ines.durand@example.org"},
          {"criteria",
           json::array(
               {{{"criterion", "rsa"}, {"proof_date", today.AddDays(-30).ToString()}, {"validated_by", "ML-LILLE"}}})},
          {"commune_insee", "59350"},
          {"mobility_radius_km", 20},
          {"mobility_mode", "transports_en_commun"},
          {"licences", json::array({"B"})},
          {"wanted_appellations", json::array({16250})},
          {"available_from", today.ToString()},
          {"weekly_hours_wanted", 35},
          {"consent", true},
          {"consent_date", today.AddDays(-30).ToString()},
          {"registration_date", today.AddDays(-60).ToString()}};
}

}  // namespace clausematch::api::http::testing
