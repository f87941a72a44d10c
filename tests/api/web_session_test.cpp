// The web console's door through the real server: browser sessions (cookie flags, CSRF refusal,
// expiry, logout, a restart keeps them), scoping identical to the key's, the console's files and
// the headers every answer carries, and the reference-data search behind the autocompletion.
#include <thread>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class WebSessionTest : public ApiTest {
 protected:
  struct Login {
    Reply reply;
    std::string cookie;  // "cm_session=…", as the browser sends it back
    std::string csrf;
  };

  Login LogIn(const std::string& key, const httplib::Headers& extra = {}) {
    Login out;
    out.reply = From(Client().Post("/v1/session", extra, json{{"key", key}}.dump(), "application/json"));
    const auto set_cookie = out.reply.Header("Set-Cookie");
    out.cookie = set_cookie.substr(0, set_cookie.find(';'));
    out.csrf = out.reply.body.value("csrf_token", "");
    return out;
  }

  static httplib::Headers With(const Login& login, bool csrf) {
    httplib::Headers h{{"Cookie", "theme=dark; " + login.cookie}};
    if (csrf) h.emplace("X-CSRF-Token", login.csrf);
    return h;
  }

  Reply GetAs(const Login& login, const std::string& path) { return From(Client().Get(path, With(login, false))); }
  Reply PostAs(const Login& login, const std::string& path, const json& body, bool csrf) {
    return From(Client().Post(path, With(login, csrf), body.dump(), "application/json"));
  }
};

TEST_F(WebSessionTest, LoginSetsAnHttpOnlySameSiteStrictCookieSecureOnlyBehindTls) {
  const auto plain = LogIn(prescriber_a_);
  ASSERT_EQ(plain.reply.status, 201) << plain.reply.text;
  const auto cookie = plain.reply.Header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("cm_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Max-Age"), std::string::npos) << "a browser-session cookie: " << cookie;
  EXPECT_EQ(plain.cookie.size(), std::string("cm_session=").size() + 43);
  EXPECT_EQ(plain.reply.body["role"], "prescriber");
  EXPECT_EQ(plain.reply.body["org"], "ML-LILLE");
  EXPECT_EQ(plain.csrf.size(), 43u);
  EXPECT_EQ(plain.reply.Header("Cache-Control"), "no-store");
  // The token is never the key, nor stored as is.
  EXPECT_EQ(plain.cookie.find(prescriber_a_), std::string::npos);

  const auto tls = LogIn(prescriber_a_, {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(tls.reply.status, 201);
  EXPECT_NE(tls.reply.Header("Set-Cookie").find("; Secure"), std::string::npos) << tls.reply.Header("Set-Cookie");
  EXPECT_NE(tls.cookie, plain.cookie) << "each login is a new session";
}

TEST_F(WebSessionTest, ABadKeyOpensNoSession) {
  for (const std::string& key : {std::string("nope"), prescriber_a_ + "x", std::string()}) {
    const auto login = LogIn(key);
    EXPECT_EQ(login.reply.status, 401) << key;
    EXPECT_EQ(login.reply.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(login.reply.body["errors"][0]["pointer"], "/key");
    EXPECT_TRUE(login.reply.Header("Set-Cookie").empty());
  }
  const auto missing = From(Client().Post("/v1/session", "{}", "application/json"));
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.body["errors"][0]["pointer"], "/key");
  // A forged cookie is no session.
  const auto forged = From(Client().Get("/v1/participants", {{"Cookie", "cm_session=" + std::string(43, 'A')}}));
  EXPECT_EQ(forged.status, 401);
}

TEST_F(WebSessionTest, AStateChangingRequestWithoutTheCsrfTokenIs403AndChangesNothing) {
  const auto login = LogIn(prescriber_a_);
  ASSERT_EQ(login.reply.status, 201);
  for (const bool wrong : {false, true}) {
    auto h = With(login, false);
    if (wrong) h.emplace("X-CSRF-Token", std::string(43, 'x'));
    const auto refused = From(Client().Post("/v1/participants", h, Person("REF-1").dump(), "application/json"));
    EXPECT_EQ(refused.status, 403) << refused.text;
    EXPECT_EQ(refused.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(refused.body["type"], "urn:clausematch:problem:forbidden");
    EXPECT_NE(refused.body["detail"].get<std::string>().find("X-CSRF-Token"), std::string::npos);
  }
  EXPECT_EQ(GetAs(login, "/v1/participants").body["items"].size(), 0u) << "nothing was created";
  // Another session's token does not do either.
  const auto other = LogIn(prescriber_a_);
  auto crossed = With(login, false);
  crossed.emplace("X-CSRF-Token", other.csrf);
  EXPECT_EQ(From(Client().Post("/v1/participants", crossed, Person("REF-1").dump(), "application/json")).status, 403);

  const auto created = PostAs(login, "/v1/participants", Person("REF-1"), true);
  EXPECT_EQ(created.status, 201) << created.text;
  EXPECT_EQ(GetAs(login, "/v1/participants").body["items"].size(), 1u);
  // A key in the Authorization header needs no CSRF token (a browser never adds it by itself).
  EXPECT_EQ(Post("/v1/participants", Person("REF-2"), prescriber_a_).status, 201);
}

TEST_F(WebSessionTest, ASessionHasExactlyItsKeysRoleAndOrganisation) {
  const auto mine = Post("/v1/participants", Person("REF-1"), prescriber_a_);
  ASSERT_EQ(mine.status, 201);
  const auto path = "/v1/participants/" + std::to_string(mine.body["id"].get<int>());
  const auto a = LogIn(prescriber_a_);
  const auto b = LogIn(prescriber_b_);
  const auto facilitator = LogIn(facilitator_a_);
  for (const auto* route : {"/v1/participants", "/v1/contracts", "/v1/batches"}) {
    EXPECT_EQ(GetAs(a, route).status, Get(route, prescriber_a_).status) << route;
    EXPECT_EQ(GetAs(b, route).status, Get(route, prescriber_b_).status) << route;
    EXPECT_EQ(GetAs(facilitator, route).status, Get(route, facilitator_a_).status) << route;
  }
  EXPECT_EQ(GetAs(a, path).status, 200);
  EXPECT_EQ(GetAs(b, path).status, 404) << "another organisation's object is not found, as with the key";
  EXPECT_EQ(GetAs(b, path).text.find("Durand"), std::string::npos);
  EXPECT_EQ(GetAs(facilitator, path).status, 403);
  EXPECT_EQ(GetAs(facilitator, "/v1/participants").status, 403);
  EXPECT_EQ(GetAs(b, "/v1/participants").body["items"].size(), 0u);
  // The application log names the key behind the session.
  EXPECT_NE(log_.str().find("\"org\":\"FT-59\""), std::string::npos);
}

TEST_F(WebSessionTest, LogoutNeedsTheCsrfTokenThenEndsTheSession) {
  const auto login = LogIn(facilitator_a_);
  ASSERT_EQ(GetAs(login, "/v1/session").status, 200);
  EXPECT_EQ(GetAs(login, "/v1/session").body["csrf_token"], login.csrf);
  EXPECT_EQ(From(Client().Delete("/v1/session", With(login, false))).status, 403);
  EXPECT_EQ(GetAs(login, "/v1/contracts").status, 200);
  const auto out = From(Client().Delete("/v1/session", With(login, true)));
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos) << out.Header("Set-Cookie");
  EXPECT_EQ(GetAs(login, "/v1/contracts").status, 401);
  EXPECT_EQ(GetAs(login, "/v1/session").status, 401);
  // A key has no browser session to read or end.
  EXPECT_EQ(Get("/v1/session", facilitator_a_).status, 404);
}

TEST_F(WebSessionTest, SessionsEndAfterTheirLifetimeWhateverTheActivity) {
  ServerOptions options;
  options.sessions.lifetime = std::chrono::seconds(2);
  options.sessions.idle = std::chrono::seconds(600);
  Restart(options);
  const auto login = LogIn(prescriber_a_);
  ASSERT_EQ(GetAs(login, "/v1/participants").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  EXPECT_EQ(GetAs(login, "/v1/participants").status, 401);
  EXPECT_EQ(PostAs(login, "/v1/participants", Person("REF-1"), true).status, 401);
}

TEST_F(WebSessionTest, SessionsEndWhenIdleAndEachRequestKeepsThemAlive) {
  ServerOptions options;
  options.sessions.lifetime = std::chrono::seconds(600);
  options.sessions.idle = std::chrono::seconds(3);  // times are whole seconds: 3 s leaves 1.5 s of margin
  Restart(options);
  const auto login = LogIn(prescriber_a_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(GetAs(login, "/v1/participants").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(GetAs(login, "/v1/participants").status, 200) << "3 s after the login, 1.5 s after the last request";
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(GetAs(login, "/v1/participants").status, 401) << "idle for longer than the limit";
}

TEST_F(WebSessionTest, RevokingTheKeyEndsItsSessionsAndFailedLoginsCountAgainstTheAddress) {
  const auto login = LogIn(prescriber_a_);
  ASSERT_EQ(GetAs(login, "/v1/participants").status, 200);
  ASSERT_EQ(Post("/v1/keys/" + prescriber_a_.substr(3, 16) + "/revoke", json::object(), admin_).status, 200);
  EXPECT_EQ(GetAs(login, "/v1/participants").status, 401) << "at once";
  EXPECT_EQ(LogIn(prescriber_a_).reply.status, 401);

  // Guessing keys through the login form is limited like guessing them in the header.
  int limited = 0;
  for (int i = 0; i < 40 && limited == 0; ++i)
    if (LogIn("cm_0123456789abcdef_guess" + std::to_string(i)).reply.status == 429) limited = i;
  EXPECT_GT(limited, 0) << "failed logins end in 429";
  const auto refused = LogIn(facilitator_a_);  // a key not yet verified is not looked up from there
  EXPECT_EQ(refused.reply.status, 429);
  EXPECT_FALSE(refused.reply.Header("Retry-After").empty());
}

TEST_F(WebSessionTest, ARestartKeepsTheSessions) {
  const auto login = LogIn(prescriber_a_);
  ASSERT_EQ(GetAs(login, "/v1/participants").status, 200);
  Restart();
  EXPECT_EQ(GetAs(login, "/v1/participants").status, 200);
  EXPECT_EQ(PostAs(login, "/v1/participants", Person("REF-9"), true).status, 201);
}

TEST_F(WebSessionTest, TheConsoleIsServedWithAContentSecurityPolicyWithoutInlineScripts) {
  const auto page = From(Client().Get("/"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.text.find("lang=\"fr\""), std::string::npos);
  EXPECT_EQ(page.text.find("<script>"), std::string::npos) << "no inline script";
  EXPECT_EQ(page.text.find("http://"), std::string::npos) << "nothing from elsewhere";
  EXPECT_EQ(page.text.find("https://"), std::string::npos) << "nothing from elsewhere";
  for (const auto* path : {"/", "/v1/openapi.json", "/livez"}) {
    const auto r = From(Client().Get(path));
    const auto csp = r.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path << ": " << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << path;
  }
  const auto script = From(Client().Get("/assets/js/app.js"));
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(From(Client().Get("/assets/nothing.js")).status, 404);
  EXPECT_EQ(From(Client().Post("/", "", "text/plain")).status, 404);
}

TEST_F(WebSessionTest, CommunesAndAppellationsAreFoundForTheAutocompletion) {
  auto communes = Get("/v1/referential/communes?q=saint%20etienne", prescriber_a_);
  ASSERT_EQ(communes.status, 200) << communes.text;
  ASSERT_FALSE(communes.body["items"].empty());
  EXPECT_EQ(communes.body["items"][0]["name"], "Saint-Étienne") << "the largest first, accents folded";
  communes = Get("/v1/referential/communes?q=lille", prescriber_a_);
  EXPECT_EQ(communes.body["items"][0]["insee"], "59350");
  communes = Get("/v1/referential/communes?q=80021", facilitator_a_);
  EXPECT_EQ(communes.body["items"][0]["name"], "Amiens");
  auto appellations = Get("/v1/referential/appellations?q=macon&limit=5", prescriber_a_);
  ASSERT_EQ(appellations.status, 200);
  ASSERT_FALSE(appellations.body["items"].empty());
  EXPECT_LE(appellations.body["items"].size(), 5u);
  for (const auto& a : appellations.body["items"])
    EXPECT_NE(a["label"].get<std::string>().find("aç"), std::string::npos) << a["label"];
  EXPECT_EQ(Get("/v1/referential/appellations?q=", prescriber_a_).status, 400);
  EXPECT_EQ(Get("/v1/referential/appellations?q=a&limit=500", prescriber_a_).body["errors"][0]["parameter"], "limit");
  EXPECT_EQ(Get("/v1/referential/communes?q=lille", "").status, 401);
}

}  // namespace
}  // namespace clausematch::api::http::testing
