#include "api/http/server.hpp"

#include <chrono>
#include <iostream>
#include <random>

#include "api/http/batch_runner.hpp"
#include "data/json_codec.hpp"
#include "store/types.hpp"

namespace clausematch::api::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto j = path.find('/', i);
    out.emplace_back(path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j;
  }
  return out;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// A client-provided X-Request-Id is kept when it is short and plain.
std::string RequestIdOf(const httplib::Request& req) {
  auto given = req.get_header_value("X-Request-Id");
  if (given.empty() || given.size() > 64) return NewRequestId();
  for (char c : given)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return NewRequestId();
  return given;
}

std::string MediaType(const std::string& content_type) {
  std::string out = content_type.substr(0, content_type.find(';'));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void SetProblem(httplib::Response& res, ErrorCode code, std::string_view detail, const model::Problems& problems,
                const std::string& request_id) {
  res.status = Info(code).status;
  res.set_content(ProblemBody(code, detail, problems, request_id), "application/problem+json");
}

}  // namespace

std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// ---- Call ----

store::Actor Call::actor() const {
  store::Actor a;
  if (key) {
    a.api_key = key->id;
    a.org = key->org;
    a.role = key->role;
  }
  a.request_id = request_id;
  return a;
}

const std::string& Call::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  throw std::logic_error("no path parameter " + std::string(name));
}

std::uint32_t Call::PathId(std::string_view name) const {
  const auto& text = PathParam(name);
  if (text.empty() || text.size() > 10) throw ApiError(ErrorCode::kNotFound, "no such object");
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw ApiError(ErrorCode::kNotFound, "no such object");
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v == 0 || v >= 0xffffffffULL) throw ApiError(ErrorCode::kNotFound, "no such object");
  return static_cast<std::uint32_t>(v);
}

std::optional<std::string> Call::Query(const std::string& name) const {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

nlohmann::json Call::JsonBody() const {
  // Before parsing: a deeper document is never built (copying one would overflow the stack).
  if (const auto at = data::JsonNestingBeyond(req.body))
    throw ApiError(ErrorCode::kInvalidJson, "the request body " + data::JsonNestingMessage(req.body, *at));
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) throw ApiError(ErrorCode::kInvalidJson, "the request body is not valid JSON");
  return j;
}

void Call::Reply(int status, const nlohmann::json& body) { Reply(status, Dump(body), "application/json"); }

void Call::Reply(int status, const std::string& body, const std::string& content_type) {
  res.status = status;
  res.set_content(body, content_type);
}

void Call::Audit(store::Session& session, std::string_view action, std::int64_t participant) const {
  session.Audit(actor(), action, "participant", participant, route);
}

void Call::Audit(store::Session& session, std::string_view action, std::span<const std::int64_t> participants) const {
  session.Audit(actor(), action, "participant", participants, route);
}

// ---- Router ----

Route& Router::Add(std::string method, std::string pattern, std::vector<store::Role> roles, Handler handler) {
  Route r;
  r.segments = Split(pattern);
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.roles = std::move(roles);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
  return routes_.back();
}

Route& Router::AddPublic(std::string method, std::string pattern, Handler handler) {
  auto& r = Add(std::move(method), std::move(pattern), {}, std::move(handler));
  r.authenticated = false;
  return r;
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const auto segments = Split(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& s = r.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}')
        params.emplace_back(s.substr(1, s.size() - 2), segments[i]);
      else
        ok = s == segments[i];
    }
    if (!ok) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      m.allowed.clear();
      return m;
    }
    m.allowed.push_back(r.method);
  }
  return m;
}

// ---- Server ----

Server::Server(store::Store& store, std::shared_ptr<const model::Referential> referential, const ServerOptions& options)
    : app_(std::make_unique<App>(store, std::move(referential), options)) {
  batch_runner_ = std::make_unique<BatchRunner>(*app_, options.batch_solve ? options.batch_solve : SolveBatch);
  app_->batches = batch_runner_.get();
  try {
    app_->siae = service::SiaeDirectory::Load(app_->options.reference_dir, "", app_->referential.get());
  } catch (const service::Error& e) {  // SIAE sourcing answers 503; indicators take kinds from routes
    app_->siae_error = e.what();
    Log({{"ts", store::NowTimestamp()}, {"event", "siae_directory_unavailable"}, {"detail", app_->siae_error}});
  }
  AddSystemRoutes(router_, *app_);
  AddParticipantRoutes(router_, *app_);
  AddContractRoutes(router_, *app_);
  AddBatchRoutes(router_, *app_);
  AddShortlistRoutes(router_, *app_);
  AddPlanRoutes(router_, *app_);
  AddPlacementRoutes(router_, *app_);
  AddReportRoutes(router_, *app_);
  AddSiaeRoutes(router_, *app_);
  AddOrganisationRoutes(router_, *app_);
  AddKeyRoutes(router_, *app_);
  AddSessionRoutes(router_, *app_);
  AddReferentialRoutes(router_, *app_);

  transport_ = std::make_unique<Transport>(
      options.connection, [this](const httplib::Request& req, httplib::Response& res) { Dispatch(req, res); },
      [this](const httplib::Request& req, httplib::Response& res, const Refusal& refusal) {
        Refuse(req, res, refusal);
      });
}

Server::~Server() {
  Stop();
  transport_.reset();     // joins the request workers before what their handlers use goes away
  batch_runner_.reset();  // joins the worker before App goes away
}

int Server::Bind() {
  const int port = transport_->Bind(app_->options.host, app_->options.port);
  app_->ready = true;
  Log({{"msg", "listening"}, {"host", app_->options.host}, {"port", port}});
  return port;
}

void Server::Run() { transport_->Run(); }

void Server::Stop() {
  app_->ready = false;
  transport_->Stop();
}

// What the connection layer refused before routing (limits, deadlines, malformed HTTP): the same
// problem+json, request id and log line as any other error; the connection then closes.
void Server::Refuse(const httplib::Request& req, httplib::Response& res, const Refusal& refusal) {
  const auto request_id = RequestIdOf(req);
  SetProblem(res, refusal.code, refusal.detail, {}, request_id);
  res.set_header("X-Request-Id", request_id);
  Call call(*app_, req, res, request_id);
  Finish(call, "-", 0.0);
}

void Server::Dispatch(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  Call call(*app_, req, res, RequestIdOf(req));
  res.set_header("X-Request-Id", call.request_id);
  SetSecurityHeaders(res);
  std::string label = "-";
  try {
    if (ServeConsole(req, res)) {
      Finish(call, "/console", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      return;
    }
    auto match = router_.Find(req.method, req.path);
    if (match.route == nullptr) {
      if (!match.allowed.empty()) {
        std::string allow;
        for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
        res.set_header("Allow", allow);
        throw ApiError(ErrorCode::kMethodNotAllowed, req.method + " is not allowed here; allowed: " + allow);
      }
      throw ApiError(ErrorCode::kNotFound, "no such endpoint");
    }
    const auto& route = *match.route;
    label = route.pattern;
    call.route = route.method + " " + route.pattern;
    call.path_params = std::move(match.params);
    if (route.authenticated) {
      // An address over its budget of failed authentications is served only on a key already
      // verified: nothing is looked up for it (api/http/rate_limiter.hpp).
      int wait = 1;
      const bool blocked = app_->auth_failures.Blocked(req.remote_addr, wait);
      const auto auth = req.get_header_value("Authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (auth.size() > kBearer.size() && std::string_view(auth).substr(0, kBearer.size()) == kBearer) {
        call.key = app_->keys.Authenticate(std::string_view(auth).substr(kBearer.size()), !blocked);
      } else if (auth.empty() && !blocked) {
        // A browser session (web_routes.cpp) acts as its key. The cookie goes with every request
        // the browser makes, so a state-changing one must also carry the session's CSRF token in a
        // header, which only the console's own script can read and send.
        if (const auto token = SessionCookieOf(req); !token.empty())
          if ((call.web_session = app_->sessions.Find(token))) call.key = call.web_session->key;
      }
      if (!call.key && blocked) {
        res.set_header("Retry-After", std::to_string(wait));
        throw ApiError(ErrorCode::kRateLimited, "too many failed authentications from this address");
      }
      if (!call.key) {
        app_->auth_failures.Failed(req.remote_addr);
        res.set_header("WWW-Authenticate", "Bearer realm=\"clausematch\"");
        throw ApiError(ErrorCode::kUnauthenticated, "send a valid API key as 'Authorization: Bearer <key>'");
      }
      if (call.web_session && req.method != "GET" && req.method != "HEAD" &&
          !store::SameSecret(req.get_header_value(std::string(kCsrfHeader)), call.web_session->csrf_token))
        throw ApiError(ErrorCode::kForbidden,
                       "a browser session's request that changes something must carry its "
                       "CSRF token in the X-CSRF-Token header");
      if (!route.roles.empty() &&
          std::find(route.roles.begin(), route.roles.end(), call.key->role) == route.roles.end()) {
        app_->auth_failures.Failed(req.remote_addr);
        if (blocked) {  // a refusal counts as a failure: a blocked address is not told more
          res.set_header("Retry-After", std::to_string(wait));
          throw ApiError(ErrorCode::kRateLimited, "too many failed authentications from this address");
        }
        throw ApiError(ErrorCode::kForbidden,
                       "the " + std::string(store::RoleCode(call.key->role)) + " role may not use this endpoint");
      }
      int retry_after = 1;
      if (!app_->limiter.Allow(call.key->id, retry_after)) {
        res.set_header("Retry-After", std::to_string(retry_after));
        throw ApiError(ErrorCode::kRateLimited, "request rate limit of this API key exceeded");
      }
    }
    if (!route.consumes.empty()) {
      const auto type = MediaType(req.get_header_value("Content-Type"));
      if (std::find(route.consumes.begin(), route.consumes.end(), type) == route.consumes.end()) {
        std::string accepted;
        for (const auto& c : route.consumes) accepted += (accepted.empty() ? "" : ", ") + c;
        res.set_header("Accept-Post", accepted);
        throw ApiError(ErrorCode::kUnsupportedMediaType, "send the body as " + accepted);
      }
    }
    route.handler(call);
  } catch (const ApiError& e) {
    SetProblem(res, e.code(), e.detail(), e.problems(), call.request_id);
  } catch (const service::Error& e) {
    SetProblem(res, ErrorCodeOf(e.kind()), e.what(), e.problems(), call.request_id);
  } catch (const store::ConflictError&) {
    SetProblem(res, ErrorCode::kConflict, "an object with the same identifying fields already exists", {},
               call.request_id);
  } catch (const store::NonFiniteError& e) {  // nothing was stored: the transaction rolled back
    SetProblem(res, ErrorCode::kValidation, "a value this request leads to is not a finite number",
               {{e.field(), "not_finite", "not a finite number; nothing was stored"}}, call.request_id);
  } catch (const std::exception&) {
    // Nothing of the exception reaches the client or the log (it may quote data).
    SetProblem(res, ErrorCode::kInternal, "internal error; quote the request id to the operator", {}, call.request_id);
  }
  Finish(call, label, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

void Server::Finish(Call& call, const std::string& route_label, double seconds) {
  app_->metrics.Record(call.req.method, route_label, call.res.status, seconds);
  nlohmann::json line{{"ts", store::NowTimestamp()}, {"request_id", call.request_id}, {"method", call.req.method},
                      {"route", route_label},        {"status", call.res.status},     {"ms", seconds * 1000.0}};
  if (call.key) {
    line["key"] = call.key->key_id;
    line["org"] = call.key->org;
  }
  if (call.res.status >= 500) line["level"] = "error";
  Log(line);
}

void Server::Log(const nlohmann::json& line) {
  std::ostream& out = app_->options.log ? *app_->options.log : std::cout;
  const auto text = Dump(line);
  std::lock_guard lock(log_mutex_);
  out << text << '\n' << std::flush;
}

}  // namespace clausematch::api::http
