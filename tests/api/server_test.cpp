// The server's shared path: health, metrics, OpenAPI, authentication, roles, limits and errors.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

// Sends raw bytes and returns the raw response (for what httplib::Client will not send).
std::string RawExchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos) {
      // Read the announced body, then stop.
      std::string lower = out;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto at = lower.find("content-length: ");
      if (at != std::string::npos) {
        const auto header_end = out.find("\r\n\r\n") + 4;
        if (out.size() >= header_end + std::stoul(out.substr(at + 16))) break;
      }
    }
  }
  ::close(fd);
  return out;
}

int StatusOf(const std::string& raw) { return raw.size() > 12 ? std::stoi(raw.substr(9, 3)) : 0; }

TEST_F(ApiTest, HealthEndpointsAnswerWithoutAKey) {
  EXPECT_EQ(Get("/livez", "").status, 200);
  auto ready = Get("/readyz", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body["database"], "ok");
}

TEST_F(ApiTest, MetricsCountRequestsByRouteAndStatus) {
  Get("/v1/participants", prescriber_a_);
  Get("/v1/participants", "");
  auto m = Client().Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  EXPECT_NE(m->body.find("clausematch_http_requests_total{method=\"GET\",route=\"/v1/participants\",status=\"200\"} 1"),
            std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("clausematch_http_requests_total{method=\"GET\",route=\"/v1/participants\",status=\"401\"} 1"),
            std::string::npos);
  EXPECT_NE(m->body.find("clausematch_http_request_duration_seconds_bucket{route=\"/v1/participants\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(m->body.find("clausematch_snapshot_participants 0"), std::string::npos);
}

TEST_F(ApiTest, OpenApiDocumentsEveryRoute) {
  auto doc = Get("/v1/openapi.json", "");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.1.0");
  for (const auto& route : server_->router().routes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& paths = doc.body["paths"];
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    ASSERT_TRUE(paths[route.pattern].contains(method)) << route.method << " " << route.pattern;
    const auto& op = paths[route.pattern][method];
    EXPECT_TRUE(op.contains("responses")) << route.pattern;
    EXPECT_TRUE(op.contains("operationId")) << route.pattern;
    if (route.authenticated) {
      EXPECT_FALSE(op.contains("security") && op["security"].empty()) << route.pattern;
    }
  }
  // And nothing documented that the server does not serve.
  std::size_t operations = 0;
  for (const auto& [path, item] : doc.body["paths"].items())
    for (const auto& [method, op] : item.items())
      if (method != "parameters") ++operations;
  EXPECT_EQ(operations, server_->router().routes().size());
}

TEST_F(ApiTest, MissingOrBadKeyIs401) {
  for (const std::string& auth : {std::string(), std::string("Bearer nope"), std::string("Basic abc"),
                                  std::string("Bearer ") + prescriber_a_ + "x"}) {
    httplib::Headers h;
    if (!auth.empty()) h.emplace("Authorization", auth);
    auto r = From(Client().Get("/v1/participants", h));
    EXPECT_EQ(r.status, 401) << auth;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.body["type"], "urn:clausematch:problem:unauthenticated");
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"clausematch\"");
  }
}

TEST_F(ApiTest, RolesAreEnforced403) {
  auto r = Get("/v1/contracts", prescriber_a_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["type"], "urn:clausematch:problem:forbidden");
  EXPECT_EQ(Get("/v1/batches", prescriber_a_).status, 403);
  EXPECT_EQ(Get("/v1/participants", facilitator_a_).status, 403);
  EXPECT_EQ(Get("/v1/contracts", admin_).status, 200);
}

TEST_F(ApiTest, UnknownPathIs404AndWrongMethodIs405) {
  auto r = Get("/v1/nothing", prescriber_a_);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["type"], "urn:clausematch:problem:not-found");
  auto m = From(Client().Delete("/v1/participants", Auth(prescriber_a_)));
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.Header("Allow"), "POST, GET");
  EXPECT_EQ(m.body["type"], "urn:clausematch:problem:method-not-allowed");
}

TEST_F(ApiTest, WrongMediaTypeIs415AndBadJsonIs400) {
  auto r = PostRaw("/v1/participants", "{}", "text/plain", prescriber_a_);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.body["type"], "urn:clausematch:problem:unsupported-media-type");
  auto bad = PostRaw("/v1/participants", "{\"first_name\": ", "application/json", prescriber_a_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["type"], "urn:clausematch:problem:invalid-json");
}

TEST_F(ApiTest, ProblemDocumentsFollowRfc9457) {
  auto r = Get("/v1/participants/12", prescriber_a_);
  ASSERT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  for (const char* member : {"type", "title", "status", "detail", "instance"})
    EXPECT_TRUE(r.body.contains(member)) << member;
  EXPECT_EQ(r.body["status"], 404);
  EXPECT_EQ(r.body["instance"], "urn:clausematch:request:" + r.Header("X-Request-Id"));
}

TEST_F(ApiTest, OversizedRequestsAreRefusedBeforeTheBodyIsRead) {
  // 413: a Content-Length above the limit (8 MiB by default) is refused without reading the body.
  auto big = RawExchange(port_, "POST /v1/participants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + prescriber_a_ +
                                    "\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{");
  EXPECT_EQ(StatusOf(big), 413) << big;
  EXPECT_NE(big.find("urn:clausematch:problem:payload-too-large"), std::string::npos);
  // 411: chunked bodies are refused (cpp-httplib 0.11 would read them without bound).
  auto chunked = RawExchange(
      port_, "POST /v1/participants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + prescriber_a_ +
                 "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(chunked), 411) << chunked;
  EXPECT_NE(chunked.find("urn:clausematch:problem:length-required"), std::string::npos);
  // 414: a path over 2048 bytes.
  auto long_path = Get("/v1/participants/" + std::string(3000, '1'), prescriber_a_);
  EXPECT_EQ(long_path.status, 414);
  // 431: too many header fields.
  httplib::Headers many = Auth(prescriber_a_);
  for (int i = 0; i < 80; ++i) many.emplace("X-Filler-" + std::to_string(i), "x");
  EXPECT_EQ(From(Client().Get("/v1/participants", many)).status, 431);
  // The server still serves normally afterwards.
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).status, 200);
}

TEST_F(ApiTest, RequestIdIsEchoedOrMinted) {
  auto given = From(Client().Get("/livez", {{"X-Request-Id", "trace-123"}}));
  EXPECT_EQ(given.Header("X-Request-Id"), "trace-123");
  auto minted = From(Client().Get("/livez", {{"X-Request-Id", "bad id with spaces"}}));
  EXPECT_EQ(minted.Header("X-Request-Id").size(), 16u);
}

class RateLimitedTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.rate_per_second = 0.5;
    o.rate_burst = 3;
    Start(o);
  }
};

TEST_F(RateLimitedTest, ATokenBucketPerKeyAnswers429) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/v1/participants", prescriber_a_).status, 200) << i;
  auto limited = Get("/v1/participants", prescriber_a_);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body["type"], "urn:clausematch:problem:rate-limited");
  EXPECT_GE(std::stoi(limited.Header("Retry-After")), 1);
  // Another key has its own bucket.
  EXPECT_EQ(Get("/v1/participants", prescriber_b_).status, 200);
}

}  // namespace
}  // namespace clausematch::api::http::testing
