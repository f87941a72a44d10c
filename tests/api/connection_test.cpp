// The connection layer (api/http/transport.hpp) over raw sockets on loopback: HTTP strictness,
// pipelining, deadlines, early header limits, per-address connection limits, and slow or idle
// clients that must not delay anyone else. Correctness only: no assertion on timings (the
// figures are in bench/README.md); generous guards only keep a broken server from hanging a test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

constexpr int kGuardMs = 30'000;  // nothing here should come near it

// A raw TCP connection to the server, optionally from another loopback address (127.0.0.0/8 is
// all loopback on Linux: distinct client addresses for the per-address limit).
class Raw {
 public:
  explicit Raw(int port, const char* from = "127.0.0.1") : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Raw() { Close(); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  Raw(Raw&& other) noexcept : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_) {}

  [[nodiscard]] bool connected() const { return connected_; }
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // True when the server has sent something (or closed) within `ms`.
  bool Readable(int ms) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
  }
  // Everything until the server closes (or the guard passes).
  std::string ReadToClose() {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(kGuardMs);
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      if (!Readable(200)) continue;
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // One response (header and Content-Length body) from the stream.
  std::string ReadResponse() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(kGuardMs);
    char buf[4096];
    for (;;) {
      if (const auto end = pending_.find("\r\n\r\n"); end != std::string::npos) {
        const auto length = HeaderOf(pending_.substr(0, end), "Content-Length");
        const auto total = end + 4 + (length.empty() ? 0 : std::stoul(length));
        if (pending_.size() >= total) {
          auto one = pending_.substr(0, total);
          pending_.erase(0, total);
          return one;
        }
      }
      if (std::chrono::steady_clock::now() >= until) return {};
      if (!Readable(200)) continue;
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return {};
      }
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }
  // After an answer with Connection: close, the server closes (EOF, not a timeout).
  bool ClosedByServer() {
    ReadToClose();
    return closed_;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  static std::string HeaderOf(const std::string& head, const std::string& name) {
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n" + name + ":";
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find(key);
    if (at == std::string::npos) return {};
    auto value_at = at + key.size();
    while (value_at < head.size() && head[value_at] == ' ') ++value_at;
    return head.substr(value_at, head.find("\r\n", value_at) - value_at);
  }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string pending_;
};

int Status(const std::string& response) { return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0; }
std::string Head(const std::string& response) { return response.substr(0, response.find("\r\n\r\n") + 2); }
json Body(const std::string& response) {
  const auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? json() : json::parse(response.substr(at + 4), nullptr, false);
}

// ---- strictness (issue 17, item 9) ----

TEST_F(ApiTest, ConflictingContentLengthIs400) {
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("POST /v1/participants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + prescriber_a_ +
                       "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}"));
  const auto r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 400) << r;
  EXPECT_EQ(Body(r)["type"], "urn:clausematch:problem:bad-request");
  EXPECT_NE(Body(r)["detail"].get<std::string>().find("Content-Length"), std::string::npos);
  EXPECT_EQ(Raw::HeaderOf(Head(r), "Connection"), "close");
  EXPECT_TRUE(raw.ClosedByServer());
}

TEST_F(ApiTest, WhitespaceBeforeAColonIs400) {
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("GET /livez HTTP/1.1\r\nHost: x\r\nX-Trace : 1\r\n\r\n"));
  const auto r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 400) << r;
  EXPECT_EQ(Body(r)["type"], "urn:clausematch:problem:bad-request");
}

TEST_F(ApiTest, ObsFoldIs400) {
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("GET /livez HTTP/1.1\r\nHost: x\r\nX-Trace: a\r\n b\r\n\r\n"));
  const auto r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 400) << r;
  EXPECT_NE(Body(r)["detail"].get<std::string>().find("obs-fold"), std::string::npos);
}

TEST_F(ApiTest, MissingHostIs400AndTransferEncodingWithLengthIs411) {
  {
    Raw raw(port_);
    ASSERT_TRUE(raw.Send("GET /livez HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(Status(raw.ReadResponse()), 400);
  }
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("POST /v1/participants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(Status(raw.ReadResponse()), 411);
}

TEST_F(ApiTest, PipelinedRequestsAreAnsweredInOrder) {
  Raw raw(port_);
  const std::string body = Person("PIPE-1").dump();
  // Four requests in one write: a GET, a POST with a body, a 404, and a last one closing.
  ASSERT_TRUE(
      raw.Send("GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: p1\r\n\r\n"
               "POST /v1/participants HTTP/1.1\r\nHost: x\r\nX-Request-Id: p2\r\nAuthorization: Bearer " +
               prescriber_a_ + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body +
               "GET /v1/nothing HTTP/1.1\r\nHost: x\r\nX-Request-Id: p3\r\n\r\n"
               "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p4\r\nConnection: close\r\n\r\n"));
  const std::vector<std::pair<int, std::string>> expected{{200, "p1"}, {201, "p2"}, {404, "p3"}, {200, "p4"}};
  for (const auto& [status, id] : expected) {
    const auto r = raw.ReadResponse();
    EXPECT_EQ(Status(r), status) << r;
    EXPECT_EQ(Raw::HeaderOf(Head(r), "X-Request-Id"), id);
  }
  EXPECT_TRUE(raw.ClosedByServer());
  // The POST really ran.
  EXPECT_EQ(Get("/v1/participants", prescriber_a_).body["items"].size(), 1u);
}

TEST_F(ApiTest, ConnectionCloseComesWithoutKeepAlive) {
  Raw closing(port_);
  ASSERT_TRUE(closing.Send("GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const auto r = closing.ReadResponse();
  EXPECT_EQ(Status(r), 200);
  EXPECT_EQ(Raw::HeaderOf(Head(r), "Connection"), "close");
  EXPECT_EQ(Raw::HeaderOf(Head(r), "Keep-Alive"), "");
  EXPECT_TRUE(closing.ClosedByServer());
  // A keep-alive connection serves a second request.
  Raw kept(port_);
  ASSERT_TRUE(kept.Send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto first = kept.ReadResponse();
  EXPECT_EQ(Status(first), 200);
  EXPECT_EQ(Raw::HeaderOf(Head(first), "Connection"), "");
  ASSERT_TRUE(kept.Send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(Status(kept.ReadResponse()), 200);
}

TEST_F(ApiTest, HeaderFieldsBeyondTheCountAre431BeforeTheHeaderEnds) {
  // The header never ends: the 431 can only come from counting fields while reading.
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("GET /livez HTTP/1.1\r\nHost: x\r\n"));
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "X-Filler: y\r\n";
  bool answered = false;
  for (int round = 0; round < 500 && !answered; ++round) {  // at most 100,000 lines
    if (!raw.Send(lines)) break;                            // the server closed after answering
    answered = raw.Readable(0);
  }
  const auto r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 431) << r;
  EXPECT_EQ(Body(r)["type"], "urn:clausematch:problem:headers-too-large");
}

// ---- deadlines ----

class ShortDeadlinesTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.connection.header_timeout = std::chrono::milliseconds(1000);
    o.connection.body_timeout = std::chrono::milliseconds(1000);
    o.connection.idle_timeout = std::chrono::milliseconds(500);
    Start(o);
  }
};

TEST_F(ShortDeadlinesTest, AHeaderDrippingPastItsDeadlineIs408) {
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  std::string r;
  for (int i = 0; i < 300 && !raw.Readable(100); ++i) raw.Send("a");  // one byte every 100 ms
  r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 408) << r;
  EXPECT_EQ(Body(r)["type"], "urn:clausematch:problem:request-timeout");
  EXPECT_TRUE(raw.ClosedByServer());
}

TEST_F(ShortDeadlinesTest, ABodyNotArrivingIs408) {
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("POST /v1/participants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: 100\r\n\r\n{"));
  const auto r = raw.ReadResponse();
  EXPECT_EQ(Status(r), 408) << r;
}

TEST_F(ShortDeadlinesTest, IdleConnectionsAreClosed) {
  Raw fresh(port_);  // never sends anything
  Raw kept(port_);   // goes idle after one answer
  ASSERT_TRUE(kept.Send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(Status(kept.ReadResponse()), 200);
  EXPECT_TRUE(fresh.ClosedByServer());
  EXPECT_TRUE(kept.ClosedByServer());
}

// ---- connection limits ----

class PerAddressLimitTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.connection.max_connections_per_address = 4;
    Start(o);
  }
};

TEST_F(PerAddressLimitTest, ConnectionsBeyondTheLimitOfOneAddressAre429) {
  std::vector<Raw> held;
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(port_, "127.0.0.7");
    ASSERT_TRUE(held.back().connected());
  }
  // The held ones were accepted: each answers.
  for (auto& c : held) {
    ASSERT_TRUE(c.Send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(Status(c.ReadResponse()), 200);
  }
  Raw fifth(port_, "127.0.0.7");
  const auto refused = fifth.ReadResponse();
  EXPECT_EQ(Status(refused), 429) << refused;
  EXPECT_EQ(Body(refused)["type"], "urn:clausematch:problem:rate-limited");
  EXPECT_FALSE(Raw::HeaderOf(Head(refused), "Retry-After").empty());
  // Other addresses are served meanwhile.
  EXPECT_EQ(Get("/livez", "").status, 200);
  // Once one closes, the address may connect again.
  held.pop_back();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    Raw again(port_, "127.0.0.7");
    if (again.Send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")) status = Status(again.ReadResponse());
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200);
}

// ---- slow and idle clients (issue 17, item 2) ----

TEST_F(ApiTest, TwoHundredDrippingOrIdleConnectionsDoNotDelayOthers) {
  // A shortlist to ask for, as in shortlist_test.cpp.
  auto c = Post("/v1/contracts", ContractBody(), facilitator_a_);
  ASSERT_EQ(c.status, 201) << c.text;
  auto o =
      Post("/v1/contracts/" + std::to_string(c.body["id"].get<int>()) + "/openings", OpeningBody(), facilitator_a_);
  ASSERT_EQ(o.status, 201) << o.text;
  ASSERT_EQ(Post("/v1/participants", Person("SLOW-1"), prescriber_a_).status, 201);
  const auto shortlist = "/v1/openings/" + std::to_string(o.body["id"].get<int>()) + "/shortlist?k=5";

  // 100 dripping a header byte at a time and 100 idle, from four addresses (50 each, under the
  // per-address limit).
  std::vector<Raw> dripping, idle;
  for (int i = 0; i < 200; ++i) {
    const std::string from = "127.0.0." + std::to_string(2 + i % 4);
    auto& group = i % 2 == 0 ? dripping : idle;
    group.emplace_back(port_, from.c_str());
    ASSERT_TRUE(group.back().connected()) << i;
  }
  for (auto& d : dripping) ASSERT_TRUE(d.Send("GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  std::atomic<bool> stop{false};
  std::thread drip([&] {
    while (!stop) {
      for (auto& d : dripping) d.Send("a");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });

  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Get("/livez", "").status, 200);
    auto r = Get(shortlist, facilitator_a_);
    EXPECT_EQ(r.status, 200) << r.text;
    EXPECT_EQ(r.body["eligible"], 1);
  }
  stop = true;
  drip.join();
}

}  // namespace
}  // namespace clausematch::api::http::testing
