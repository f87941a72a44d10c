#pragma once
// The HTTP server: our connection layer (transport.hpp: Boost.Asio event loop, Boost.Beast request
// parser, a worker pool) under our own route table, so that every request goes through one path —
// limits, request id, authentication, role check, rate limit, handler, error mapping (errors.hpp),
// metrics and a JSON log line without personal data. Requests and responses are cpp-httplib's
// plain structs.
//
// Handlers are thin (STYLE.md "thin doors"): parse, check, call the store or the matcher, format.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/batch_runner.hpp"
#include "api/http/errors.hpp"
#include "api/http/metrics.hpp"
#include "api/http/rate_limiter.hpp"
#include "api/http/transport.hpp"
#include "model/referential.hpp"
#include "service/matching_view.hpp"
#include "service/siae.hpp"
#include "store/keys.hpp"
#include "store/store.hpp"
#include "store/web_sessions.hpp"

namespace clausematch::api::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::Bind)
  // The connection layer (transport.hpp): body, path and header limits, whole-header and
  // whole-body deadlines, idle close, connection caps (kMaxConnectionsPerAddress), threads.
  TransportLimits connection;
  double rate_per_second = 50;  // per API key; 0 = unlimited
  double rate_burst = 100;
  // Failed authentications (401, 403) per client address: a burst, then a rate per second; 0 = off.
  double auth_failure_rate = 1;
  double auth_failure_burst = 20;
  std::ostream* log = nullptr;  // JSON lines; null = std::cout
  // The date shortlists and batches are judged at; unset: the system date of each request.
  std::optional<model::Date> today;
  // Reference data folder (siae/, rome/) for SIAE sourcing and the indicators' SIAE kinds; empty:
  // data::DefaultReferenceDir().
  std::string reference_dir;
  // The batch runs' solve step; empty: SolveBatch (tests put a controllable one).
  BatchSolve batch_solve;
  // Browser sessions of the web console (store/web_sessions.hpp): absolute lifetime, idle limit.
  store::WebSessionPolicy sessions;
};

// Shared state of the handlers.
struct App {
  App(store::Store& s, std::shared_ptr<const model::Referential> ref, ServerOptions o)
      : store(s),
        referential(ref),
        keys(s),
        limiter(o.rate_per_second, o.rate_burst),
        auth_failures(o.auth_failure_rate, o.auth_failure_burst),
        options(std::move(o)),
        matching(s.snapshot(), std::move(ref)),
        sessions(s, options.sessions) {}
  store::Store& store;
  std::shared_ptr<const model::Referential> referential;
  store::KeyRing keys;
  Metrics metrics;
  RateLimiter limiter;
  FailureLimiter auth_failures;
  ServerOptions options;
  service::MatchingView matching;
  store::WebSessions sessions;
  // The SIAE directory of the reference folder, loaded once when the server starts; null (and the
  // reason in siae_error, logged at start) when it cannot be read.
  std::shared_ptr<const service::SiaeDirectory> siae;
  std::string siae_error;
  BatchRunner* batches = nullptr;
  std::atomic<bool> ready{false};
  [[nodiscard]] model::Date Today() const {
    return options.today.value_or(model::Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())));
  }
};

// One request being served.
class Call {
 public:
  Call(App& app_ref, const httplib::Request& request, httplib::Response& response, std::string id)
      : app(app_ref), req(request), res(response), request_id(std::move(id)) {}

  App& app;
  const httplib::Request& req;
  httplib::Response& res;
  std::string request_id;
  std::string route;  // "GET /v1/participants/{id}"
  std::vector<std::pair<std::string, std::string>> path_params;
  std::optional<store::ApiKey> key;
  // Set when the request was authenticated by a browser session's cookie (web_routes.cpp).
  std::optional<store::WebSessionState> web_session;

  [[nodiscard]] store::Actor actor() const;
  [[nodiscard]] const std::string& PathParam(std::string_view name) const;
  // A path id: a positive 32-bit integer, else 404 (no object has that id).
  [[nodiscard]] std::uint32_t PathId(std::string_view name) const;
  [[nodiscard]] std::optional<std::string> Query(const std::string& name) const;
  // The body as JSON; 400 invalid-json when it does not parse or nests deeper than
  // data::kMaxJsonDepth arrays and objects (checked before parsing).
  [[nodiscard]] nlohmann::json JsonBody() const;
  void Reply(int status, const nlohmann::json& body);
  void Reply(int status, const std::string& body, const std::string& content_type);
  // Appends one audit entry (purpose = the route) for a read or write of personal data.
  void Audit(store::Session& session, std::string_view action, std::int64_t participant) const;
  // One entry per participant, written with the request's other rows in its one transaction.
  void Audit(store::Session& session, std::string_view action, std::span<const std::int64_t> participants) const;

  [[nodiscard]] bool IsAdmin() const { return key && key->role == store::Role::kAdmin; }
};

using Handler = std::function<void(Call&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/v1/participants/{id}"
  std::vector<std::string> segments;
  bool authenticated = true;
  std::vector<store::Role> roles;     // empty: every role
  std::vector<std::string> consumes;  // accepted body media types; empty: no body expected
  Handler handler;
};

class Router {
 public:
  Route& Add(std::string method, std::string pattern, std::vector<store::Role> roles, Handler handler);
  Route& AddPublic(std::string method, std::string pattern, Handler handler);
  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed;  // methods of the path when the method did not match
  };
  [[nodiscard]] Match Find(const std::string& method, const std::string& path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Route groups (one file each under api/http/).
void AddSystemRoutes(Router& router, App& app);
void AddParticipantRoutes(Router& router, App& app);
void AddContractRoutes(Router& router, App& app);
void AddBatchRoutes(Router& router, App& app);
void AddShortlistRoutes(Router& router, App& app);
void AddPlanRoutes(Router& router, App& app);          // clause sizing and openings plan
void AddPlacementRoutes(Router& router, App& app);     // hires, hours, outcomes
void AddReportRoutes(Router& router, App& app);        // fulfilment, indicators
void AddSiaeRoutes(Router& router, App& app);          // SIAE sourcing
void AddOrganisationRoutes(Router& router, App& app);  // territories
void AddKeyRoutes(Router& router, App& app);           // API keys: list, revoke
void AddSessionRoutes(Router& router, App& app);       // browser sessions of the web console
void AddReferentialRoutes(Router& router, App& app);   // commune and ROME appellation search

// The web console (web_routes.cpp): the browser session of a request (its cookie), the CSRF rule,
// the console's files (embedded at build time from web/) and the headers every answer carries.
inline constexpr std::string_view kSessionCookie = "cm_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// The session token in the request's Cookie header, or "".
std::string SessionCookieOf(const httplib::Request& req);
// Serves a console file when `req` asks for one (GET or HEAD of / or /assets/...); false otherwise.
bool ServeConsole(const httplib::Request& req, httplib::Response& res);
// Content-Security-Policy (no inline script), nosniff, no referrer, no framing: on every answer.
void SetSecurityHeaders(httplib::Response& res);

class Server {
 public:
  Server(store::Store& store, std::shared_ptr<const model::Referential> referential, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  int Bind();
  // Serves until Stop(); call after Bind().
  void Run();
  void Stop();
  [[nodiscard]] const Router& router() const { return router_; }
  [[nodiscard]] App& app() { return *app_; }

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void Refuse(const httplib::Request& req, httplib::Response& res, const Refusal& refusal);
  void Finish(Call& call, const std::string& route_label, double seconds);
  void Log(const nlohmann::json& line);

  std::unique_ptr<App> app_;
  std::unique_ptr<BatchRunner> batch_runner_;
  Router router_;
  std::unique_ptr<Transport> transport_;
  std::mutex log_mutex_;
};

// JSON with a stable error handler for invalid UTF-8 (replaced, never thrown).
std::string Dump(const nlohmann::json& j);

}  // namespace clausematch::api::http
