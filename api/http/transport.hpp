#pragma once
// The connection layer under Server: an event loop (Boost.Asio) that accepts connections and reads
// requests with Boost.Beast's HTTP/1.1 parser, hands each complete request to a fixed pool of
// worker threads, and writes the answer back. A slow or idle client costs a socket and a small
// buffer, never a worker, so it cannot stop the others (cpp-httplib 0.11 gave each connection a
// pooled thread and had per-recv timeouts only: 8 dripping connections stopped the server).
//
// Bounds, all enforced WHILE reading:
//   - a whole-header deadline (from the connection's accept, or from the end of the previous
//     response) and a whole-body deadline; past them the request is answered 408 and closed;
//   - a keep-alive connection that sends nothing for the idle timeout is closed;
//   - the request line, the header bytes and the header field count are counted as bytes arrive
//     (414 / 431 before the rest is read: memory stays bounded by the limits);
//   - connections per client address and in all (429 / 503, then closed).
// Strict HTTP/1.1: conflicting Content-Length, whitespace before a field's colon, obs-fold, a
// missing or repeated Host (HTTP/1.1) answer 400; any Transfer-Encoding 411; pipelined requests are
// answered one after the other, in order.
//
// The requests and responses are cpp-httplib's plain structs (httplib::Request / Response), so the
// route handlers are unchanged; no cpp-httplib server code runs.
#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/http/errors.hpp"

namespace clausematch::api::http {

// Open connections allowed from one client address (IP); the next ones are answered 429 and
// closed. Behind the shipped reverse proxy (deploy/) every connection comes from the proxy's
// address: its upstream cap (deploy/nginx.conf.in, max_conns=48) stays below this.
inline constexpr std::size_t kMaxConnectionsPerAddress = 64;

struct TransportLimits {
  std::chrono::milliseconds header_timeout{10'000};  // the whole request line and header fields
  std::chrono::milliseconds body_timeout{30'000};    // the whole body, from the end of the header
  std::chrono::milliseconds idle_timeout{5'000};     // a connection waiting for its next request
  std::chrono::milliseconds write_timeout{30'000};   // the whole response
  std::size_t max_path_bytes = 2048;
  std::size_t max_header_count = 64;
  std::size_t max_header_bytes = 16u << 10;      // header fields, without the request line
  std::size_t max_body_bytes = 8u << 20;         // Content-Length above it: 413 before reading
  std::size_t max_connections = 1024;            // in all (lowered to what RLIMIT_NOFILE allows)
  std::size_t max_connections_per_address = 64;  // per client IP address
  std::size_t io_threads = 2;                    // the event loop
  std::size_t worker_threads = 8;                // run the handlers
};

// Why the transport answered a request by itself (then closed the connection).
struct Refusal {
  ErrorCode code;
  std::string detail;
};

class Transport {
 public:
  // Runs on a worker thread: fills the response of a complete, accepted request.
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Runs on the event loop: fills the answer to a refused request (the request may be partial:
  // method and headers as far as they were read).
  using Refuser = std::function<void(const httplib::Request&, httplib::Response&, const Refusal&)>;

  Transport(TransportLimits limits, Handler handler, Refuser refuser);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Listens on host:port (0: any free port); returns the port. Throws std::runtime_error.
  int Bind(const std::string& host, int port);
  // Serves until Stop() (returns at once when Stop() came first).
  void Run();
  // Thread-safe; may be called before, during or after Run().
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace clausematch::api::http
