// The web console's door: its files, and browser sessions. A session is an API key exchanged for an
// HttpOnly, SameSite=Strict cookie (Secure behind TLS); the request then acts exactly as that key
// (Server::Dispatch), with a CSRF token required on every state-changing request. docs/console.md
// and docs/privacy.md ("Browser sessions") explain the rules.
#include <ctime>

#include "api/http/server.hpp"
#include "api/http/web_assets.hpp"

namespace clausematch::api::http {
namespace {

std::string UtcTimestamp(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Behind the shipped reverse proxy (deploy/), TLS ends at the proxy, which says so in
// X-Forwarded-Proto: the cookie is then marked Secure.
bool BehindTls(const httplib::Request& req) { return req.get_header_value("X-Forwarded-Proto") == "https"; }

std::string Cookie(const httplib::Request& req, std::string_view value, bool clear) {
  std::string out = std::string(kSessionCookie) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) out += "; Max-Age=0";
  if (BehindTls(req)) out += "; Secure";
  return out;
}

nlohmann::json SessionBody(const store::ApiKey& key, const std::string& csrf, std::int64_t expires_at) {
  return {{"org", key.org},
          {"role", std::string(store::RoleCode(key.role))},
          {"csrf_token", csrf},
          {"expires_at", UtcTimestamp(expires_at)}};
}

}  // namespace

std::string SessionCookieOf(const httplib::Request& req) {
  const auto header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    auto pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie) return std::string(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

void SetSecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                 "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

bool ServeConsole(const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  const std::string path = req.path == "/index.html" ? "/" : req.path;
  if (path != "/" && path.rfind("/assets/", 0) != 0) return false;
  for (const auto& asset : WebAssets()) {
    if (asset.path != path) continue;
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(asset.body, asset.content_type);
    return true;
  }
  return false;
}

void AddSessionRoutes(Router& router, App& app) {
  // Login: the key in the body (never in a URL), a cookie in exchange.
  router
      .AddPublic("POST", "/v1/session",
                 [&app](Call& call) {
                   const auto body = call.JsonBody();
                   if (!body.is_object() || !body.contains("key") || !body["key"].is_string())
                     throw ApiError(ErrorCode::kValidation, "send the API key as {\"key\": \"cm_…\"}",
                                    {{"/key", "required", "is required"}});
                   // Like a bearer key (Server::Dispatch): a failure counts against the address, and
                   // an address over its budget is served only on a key already verified.
                   int wait = 1;
                   const bool blocked = app.auth_failures.Blocked(call.req.remote_addr, wait);
                   call.key = app.keys.Authenticate(body["key"].get<std::string>(), !blocked);
                   if (!call.key) {
                     app.auth_failures.Failed(call.req.remote_addr);
                     if (blocked) {
                       call.res.set_header("Retry-After", std::to_string(wait));
                       throw ApiError(ErrorCode::kRateLimited, "too many failed authentications from this address");
                     }
                     throw ApiError(ErrorCode::kUnauthenticated, "this key is not valid",
                                    {{"/key", "invalid", "unknown, malformed or revoked key"}});
                   }
                   const auto opened = app.sessions.Open(*call.key);
                   call.res.set_header("Set-Cookie", Cookie(call.req, opened.token, false));
                   call.res.set_header("Cache-Control", "no-store");
                   call.Reply(201, SessionBody(opened.key, opened.csrf_token, opened.expires_at));
                 })
      .consumes = {"application/json"};
  // The current session (the console reads its CSRF token after a reload).
  router.Add("GET", "/v1/session", {}, [](Call& call) {
    if (!call.web_session)
      throw ApiError(ErrorCode::kNotFound, "no browser session: this request was authenticated by an API key");
    call.res.set_header("Cache-Control", "no-store");
    call.Reply(200, SessionBody(call.web_session->key, call.web_session->csrf_token, call.web_session->expires_at));
  });
  // Logout (the CSRF token is required, like any state-changing request of a session).
  router.Add("DELETE", "/v1/session", {}, [&app](Call& call) {
    if (!call.web_session)
      throw ApiError(ErrorCode::kNotFound, "no browser session: this request was authenticated by an API key");
    app.sessions.Close(SessionCookieOf(call.req));
    call.res.set_header("Set-Cookie", Cookie(call.req, "", true));
    call.res.status = 204;
  });
}

}  // namespace clausematch::api::http
