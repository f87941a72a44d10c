#include "api/http/transport.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace clausematch::api::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

// Room for the method, the query string and the version around the path on the request line.
constexpr std::size_t kRequestLineSlack = 8u << 10;
// After a refusal or a `Connection: close` answer: how long unread input is drained before the
// socket closes (closing with unread input would reset the connection and lose the answer).
constexpr std::chrono::seconds kLinger{2};
constexpr std::size_t kMaxDrainBytes = 1u << 20;
// File descriptors kept for the database, logs and the listening socket.
constexpr std::size_t kReservedDescriptors = 128;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Beast's HTTP/1.1 parser filling an httplib::Request: fields counted as they are parsed, any
// Transfer-Encoding refused, the body appended (its length is checked against the limit first).
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  RequestParser(httplib::Request& request, std::size_t max_fields) : req_(request), max_fields_(max_fields) {}

  bool too_many_fields = false;
  bool transfer_encoding = false;
  int version = 11;
  std::size_t host_fields = 0;

 private:
  void on_request_impl(bhttp::verb /*method*/, beast::string_view method, beast::string_view target, int v,
                       error_code& /*ec*/) override {
    req_.method.assign(method.data(), method.size());
    req_.target.assign(target.data(), target.size());
    version = v;
  }
  void on_response_impl(int /*code*/, beast::string_view /*reason*/, int /*version*/, error_code& ec) override {
    ec = bhttp::error::bad_version;
  }
  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     error_code& ec) override {
    if (++fields_ > max_fields_) {
      too_many_fields = true;
      ec = bhttp::error::header_limit;
      return;
    }
    if (name == bhttp::field::transfer_encoding) {
      transfer_encoding = true;
      ec = bhttp::error::bad_transfer_encoding;
      return;
    }
    if (name == bhttp::field::host) ++host_fields;
    req_.headers.emplace(std::string(name_string.data(), name_string.size()), std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code& /*ec*/) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& /*ec*/) override {
    if (length) req_.body.reserve(static_cast<std::size_t>(*length));  // at most the body limit
  }
  std::size_t on_body_impl(beast::string_view body, error_code& /*ec*/) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t /*size*/, beast::string_view /*extensions*/, error_code& ec) override {
    ec = bhttp::error::bad_transfer_encoding;
  }
  std::size_t on_chunk_body_impl(std::uint64_t /*remain*/, beast::string_view /*body*/, error_code& ec) override {
    ec = bhttp::error::bad_transfer_encoding;
    return 0;
  }
  void on_finish_impl(error_code& /*ec*/) override {}

  httplib::Request& req_;
  std::size_t max_fields_;
  std::size_t fields_ = 0;
};

class Connection;

}  // namespace

struct Transport::Impl {
  Impl(TransportLimits l, Handler h, Refuser r)
      : limits(l), handler(std::move(h)), refuser(std::move(r)), workers(std::max<std::size_t>(1, l.worker_threads)) {}
  ~Impl() {
    Stop();
    workers.stop();  // requests not started yet are dropped with their connections
    workers.join();
  }

  void Stop() {
    stopped = true;
    ioc.stop();
  }
  void Accept();
  void OnAccepted(tcp::socket socket);
  void Release(const std::string& address) {
    std::lock_guard lock(mutex);
    --open;
    if (const auto it = per_address.find(address); it != per_address.end() && --it->second == 0) per_address.erase(it);
  }

  TransportLimits limits;
  Handler handler;
  Refuser refuser;
  std::size_t max_connections = 0;  // limits.max_connections within RLIMIT_NOFILE
  std::mutex mutex;                 // guards open and per_address
  std::size_t open = 0;
  std::unordered_map<std::string, std::size_t> per_address;
  std::atomic<bool> stopped{false};
  // Destroyed in reverse: the workers first (the requests they dropped release their connections
  // while the event loop still exists), then the event loop with the connections its pending
  // handlers hold (they release their counts above).
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_retry{ioc};
  asio::thread_pool workers;
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Transport::Impl& owner, tcp::socket socket, std::string address, int port, std::optional<Refusal> refusal)
      : owner_(owner),
        limits_(owner.limits),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        address_(std::move(address)),
        port_(port),
        refusal_(std::move(refusal)),
        buffer_(limits_.max_path_bytes + kRequestLineSlack + limits_.max_header_bytes + (64u << 10)) {}

  ~Connection() {
    if (!refusal_) owner_.Release(address_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->refusal_)
        self->Refuse(*self->refusal_);
      else
        self->BeginRequest();
    });
  }

 private:
  enum class Phase { kIdle, kHeader, kBody, kHandling, kWriting, kClosing, kClosed };

  // ---- deadlines ----

  void ArmTimer(Clock::time_point at) {
    timed_out_ = false;
    timer_.expires_at(at);
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](error_code ec) {
      if (ec || generation != self->timer_generation_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);  // the pending read or write completes with operation_aborted
    });
  }
  void DisarmTimer() {
    ++timer_generation_;
    timer_.cancel();
  }

  // ---- reading ----

  void BeginRequest() {
    req_ = httplib::Request{};
    res_ = httplib::Response{};
    req_.remote_addr = address_;
    req_.remote_port = port_;
    parser_.emplace(req_, limits_.max_header_count);
    parser_->eager(false);
    parser_->header_limit(
        static_cast<std::uint32_t>(limits_.max_path_bytes + kRequestLineSlack + limits_.max_header_bytes + 8));
    parser_->body_limit(static_cast<std::uint64_t>(limits_.max_body_bytes));
    scan_ = line_start_ = 0;
    request_line_ = std::nullopt;
    header_end_ = 0;
    fields_ = 0;
    expect_continue_ = false;
    const auto now = Clock::now();
    header_deadline_ = now + limits_.header_timeout;
    phase_ = Phase::kIdle;
    ArmTimer(std::min(header_deadline_, now + limits_.idle_timeout));
    Process();
  }

  void Read() {
    const std::size_t room = buffer_.max_size() - buffer_.size();
    if (room == 0) return Refuse({ErrorCode::kHeadersTooLarge, "the request header is too large"});
    socket_.async_read_some(buffer_.prepare(std::min<std::size_t>(room, 16u << 10)),
                            [self = shared_from_this()](error_code ec, std::size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(error_code ec, std::size_t n) {
    if (phase_ == Phase::kClosed) return;
    if (timed_out_) {
      if (phase_ == Phase::kIdle) return Close();  // nothing was asked: close quietly
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
          phase_ == Phase::kHeader ? limits_.header_timeout : limits_.body_timeout);
      return Refuse({ErrorCode::kRequestTimeout,
                     std::string(phase_ == Phase::kHeader ? "the request header" : "the request body") +
                         " did not arrive within " + std::to_string(seconds.count()) + " s"});
    }
    if (ec) return Close();  // end of stream or reset: nobody to answer
    buffer_.commit(n);
    Process();
  }

  std::string_view Buffered() const {
    const auto data = buffer_.data();
    return {static_cast<const char*>(data.data()), data.size()};
  }

  void Process() {
    for (;;) {
      if (phase_ == Phase::kIdle) {
        // RFC 9112 2.2: empty lines before a request line are ignored.
        auto data = Buffered();
        std::size_t blank = 0;
        while (blank < data.size() && (data[blank] == '\r' || data[blank] == '\n')) ++blank;
        buffer_.consume(blank);
        if (buffer_.size() == 0) return Read();
        phase_ = Phase::kHeader;
        ArmTimer(header_deadline_);
      }
      if (phase_ == Phase::kHeader) {
        if (auto refusal = ScanHeader()) return Refuse(*refusal);
        if (header_end_ == 0) return Read();
        error_code ec;
        const auto used = parser_->put(asio::buffer(buffer_.data().data(), header_end_), ec);
        buffer_.consume(used);
        if (ec || !parser_->is_header_done()) return Refuse(RefusalOf(ec));
        if (auto refusal = CheckRequest()) return Refuse(*refusal);
        phase_ = Phase::kBody;
        ArmTimer(Clock::now() + limits_.body_timeout);
      }
      if (phase_ == Phase::kBody) {
        if (parser_->is_done()) return Handle();
        if (expect_continue_) {
          expect_continue_ = false;
          return WriteContinue();
        }
        if (buffer_.size() == 0) return Read();
        error_code ec;
        const auto used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec && ec != bhttp::error::need_more) return Refuse(RefusalOf(ec));
        if (ec && used == 0) return Read();
        continue;
      }
      return;
    }
  }

  // Finds the end of the header as bytes arrive, counting the request line, the field bytes and
  // the field lines on the way: a limit is refused as soon as it is passed. Sets header_end_.
  std::optional<Refusal> ScanHeader() {
    const auto data = Buffered();
    const std::size_t max_line = limits_.max_path_bytes + kRequestLineSlack;
    while (header_end_ == 0) {
      const auto at = data.find("\r\n", scan_);
      if (at == std::string_view::npos) {
        scan_ = std::max(line_start_, data.empty() ? std::size_t{0} : data.size() - 1);
        break;
      }
      if (!request_line_) {
        request_line_ = at;
        if (at > max_line) break;
      } else if (at == line_start_) {
        header_end_ = at + 2;
      } else {
        if (data[line_start_] == ' ' || data[line_start_] == '\t')
          return Refusal{ErrorCode::kBadRequest,
                         "a header line starts with whitespace (obs-fold or a field continuation): refused"};
        if (++fields_ > limits_.max_header_count)
          return Refusal{ErrorCode::kHeadersTooLarge,
                         "more than " + std::to_string(limits_.max_header_count) + " header fields"};
      }
      line_start_ = scan_ = at + 2;
    }
    if (request_line_ ? *request_line_ > max_line : data.size() > max_line)
      return Refusal{ErrorCode::kUriTooLong, "the request line is longer than " + std::to_string(max_line) + " bytes"};
    if (request_line_) {
      const std::size_t field_bytes = (header_end_ ? header_end_ : data.size()) - (*request_line_ + 2);
      if (field_bytes > limits_.max_header_bytes + 2)
        return Refusal{ErrorCode::kHeadersTooLarge,
                       "header fields exceed " + std::to_string(limits_.max_header_bytes) + " bytes"};
    }
    return std::nullopt;
  }

  Refusal RefusalOf(error_code ec) const {
    if (parser_->too_many_fields)
      return {ErrorCode::kHeadersTooLarge, "more than " + std::to_string(limits_.max_header_count) + " header fields"};
    if (parser_->transfer_encoding || ec == bhttp::error::bad_transfer_encoding)
      return {ErrorCode::kLengthRequired,
              "chunked or otherwise transfer-encoded request bodies are refused; send Content-Length"};
    if (ec == bhttp::error::bad_content_length)
      return {ErrorCode::kBadRequest, "Content-Length is malformed or given twice with different values"};
    if (ec == bhttp::error::body_limit)
      return {ErrorCode::kPayloadTooLarge,
              "the body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes"};
    if (ec == bhttp::error::header_limit) return {ErrorCode::kHeadersTooLarge, "the request header is too large"};
    if (ec == bhttp::error::bad_field || ec == bhttp::error::bad_value)
      return {ErrorCode::kBadRequest,
              "a header field is malformed (a field name is a token directly followed by ':', no whitespace "
              "before the colon)"};
    if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target || ec == bhttp::error::bad_version)
      return {ErrorCode::kBadRequest, "the request line is malformed"};
    return {ErrorCode::kBadRequest, "the request is not valid HTTP/1.1"};
  }

  // After the header: what the parser accepts but we do not, and the path and query decoded.
  std::optional<Refusal> CheckRequest() {
    const int version = parser_->version;
    if (version != 10 && version != 11) return Refusal{ErrorCode::kBadRequest, "only HTTP/1.0 and HTTP/1.1 are served"};
    req_.version = version == 10 ? "HTTP/1.0" : "HTTP/1.1";
    if (parser_->host_fields > 1 || (version == 11 && parser_->host_fields == 0))
      return Refusal{ErrorCode::kBadRequest, "an HTTP/1.1 request carries exactly one Host header"};
    std::string_view target = req_.target;
    for (std::string_view scheme : {"http://", "https://"}) {  // absolute-form (RFC 9112 3.2.2)
      if (target.size() >= scheme.size() && IEquals(target.substr(0, scheme.size()), scheme)) {
        const auto slash = target.find('/', scheme.size());
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      }
    }
    if (target.empty() || target.front() != '/')
      return Refusal{ErrorCode::kBadRequest, "the request target must be a path starting with '/'"};
    const auto question = target.find('?');
    req_.path = httplib::detail::decode_url(std::string(target.substr(0, question)), false);
    if (req_.path.size() > limits_.max_path_bytes)
      return Refusal{ErrorCode::kUriTooLong,
                     "the path is longer than " + std::to_string(limits_.max_path_bytes) + " bytes"};
    if (question != std::string_view::npos)
      httplib::detail::parse_query_text(std::string(target.substr(question + 1)), req_.params);
    if (version == 11 && !parser_->is_done())
      for (const auto& [name, value] : req_.headers)  // ci-compare map: equal_range would do too
        if (IEquals(name, "Expect") && IEquals(value, "100-continue")) expect_continue_ = true;
    return std::nullopt;
  }

  void WriteContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](error_code ec, std::size_t /*n*/) {
                        if (ec || self->timed_out_) return self->Close();
                        self->Process();
                      });
  }

  // ---- answering ----

  void Handle() {
    phase_ = Phase::kHandling;
    DisarmTimer();
    keep_alive_ = parser_->keep_alive();
    asio::post(owner_.workers, [self = shared_from_this()] {
      try {
        self->owner_.handler(self->req_, self->res_);
      } catch (...) {  // the handler maps its own errors; this is the last resort
        self->res_ = httplib::Response{};
        self->res_.status = 500;
      }
      asio::post(self->socket_.get_executor(), [self] { self->Write(); });
    });
  }

  void Refuse(const Refusal& refusal) {
    if (phase_ == Phase::kClosed) return;
    DisarmTimer();
    keep_alive_ = false;
    res_ = httplib::Response{};
    try {
      owner_.refuser(req_, res_, refusal);
    } catch (...) {
      res_ = httplib::Response{};
    }
    if (res_.status <= 0) res_.status = Info(refusal.code).status;
    if (refusal.code == ErrorCode::kRateLimited || refusal.code == ErrorCode::kUnavailable)
      res_.set_header("Retry-After", "1");
    Write();
  }

  void Write() {
    if (phase_ == Phase::kClosed) return;
    if (owner_.stopped) keep_alive_ = false;
    for (const auto& [name, value] : res_.headers)
      if (IEquals(name, "Connection") && value.find("close") != std::string::npos) keep_alive_ = false;
    const int status = res_.status > 0 ? res_.status : 200;  // as cpp-httplib: a routed answer is 200 unless set
    const bool no_body = status < 200 || status == 204 || status == 304;
    auto reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
    if (bhttp::int_to_status(static_cast<unsigned>(status)) == bhttp::status::unknown) reason = "Unknown";
    head_ = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason.data(), reason.size()) + "\r\n";
    for (const auto& [name, value] : res_.headers) {
      if (IEquals(name, "Content-Length") || IEquals(name, "Connection") || IEquals(name, "Keep-Alive") ||
          IEquals(name, "Transfer-Encoding") || HasControl(name) || HasControl(value))
        continue;
      head_.append(name).append(": ").append(value).append("\r\n");
    }
    if (!no_body) head_ += "Content-Length: " + std::to_string(res_.body.size()) + "\r\n";
    if (!keep_alive_)
      head_ += "Connection: close\r\n";
    else if (req_.version == "HTTP/1.0")
      head_ += "Connection: keep-alive\r\n";
    head_ += "\r\n";
    const bool send_body = !no_body && req_.method != "HEAD";
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                                    send_body ? asio::buffer(res_.body) : asio::const_buffer()};
    phase_ = Phase::kWriting;
    ArmTimer(Clock::now() + limits_.write_timeout);
    asio::async_write(socket_, buffers, [self = shared_from_this()](error_code ec, std::size_t /*n*/) {
      if (ec || self->timed_out_) return self->Close();
      if (!self->keep_alive_) return self->Linger();
      self->BeginRequest();  // the next request, maybe already buffered (pipelined)
    });
  }

  // Half-close, then drain what the client still sends for a short while before closing.
  void Linger() {
    phase_ = Phase::kClosing;
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    ArmTimer(Clock::now() + kLinger);
    drain_.resize(4096);
    Drain();
  }
  void Drain() {
    socket_.async_read_some(asio::buffer(drain_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->timed_out_ || self->drained_ > kMaxDrainBytes) return self->Close();
      self->Drain();
    });
  }

  void Close() {
    phase_ = Phase::kClosed;
    DisarmTimer();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  Transport::Impl& owner_;
  const TransportLimits& limits_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::uint64_t timer_generation_ = 0;
  bool timed_out_ = false;
  std::string address_;
  int port_;
  std::optional<Refusal> refusal_;  // refused at accept (not counted)

  Phase phase_ = Phase::kIdle;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  httplib::Request req_;
  httplib::Response res_;
  Clock::time_point header_deadline_;
  std::size_t scan_ = 0, line_start_ = 0, header_end_ = 0, fields_ = 0;
  std::optional<std::size_t> request_line_;
  bool expect_continue_ = false;
  bool keep_alive_ = false;
  std::string head_;
  std::vector<char> drain_;
  std::size_t drained_ = 0;
};

}  // namespace

void Transport::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (stopped || ec == asio::error::operation_aborted) return;
    if (ec) {  // out of descriptors or the like: try again shortly rather than spin
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](error_code e) {
        if (!e) Accept();
      });
      return;
    }
    OnAccepted(std::move(socket));
    Accept();
  });
}

void Transport::Impl::OnAccepted(tcp::socket socket) {
  error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  socket.set_option(tcp::no_delay(true), ec);
  auto address = peer.address().to_string();
  std::optional<Refusal> refusal;
  {
    std::lock_guard lock(mutex);
    auto& mine = per_address[address];
    if (open >= max_connections) {
      refusal = Refusal{ErrorCode::kUnavailable, "the server is at its connection limit; try again later"};
    } else if (mine >= limits.max_connections_per_address) {
      refusal = Refusal{ErrorCode::kRateLimited, "more than " + std::to_string(limits.max_connections_per_address) +
                                                     " open connections from this address"};
    } else {
      ++open;
      ++mine;
    }
    if (mine == 0) per_address.erase(address);
  }
  std::make_shared<Connection>(*this, std::move(socket), std::move(address), peer.port(), std::move(refusal))->Start();
}

Transport::Transport(TransportLimits limits, Handler handler, Refuser refuser)
    : impl_(std::make_unique<Impl>(limits, std::move(handler), std::move(refuser))) {}

Transport::~Transport() = default;

int Transport::Bind(const std::string& host, int port) {
  auto& impl = *impl_;
  // One descriptor per connection: raise the soft limit when the hard one allows, and never
  // accept more connections than it leaves room for.
  rlimit fds{};
  std::size_t max = impl.limits.max_connections;
  if (::getrlimit(RLIMIT_NOFILE, &fds) == 0) {
    const rlim_t wanted = static_cast<rlim_t>(max + kReservedDescriptors);
    if (fds.rlim_cur != RLIM_INFINITY && fds.rlim_cur < wanted) {
      fds.rlim_cur = fds.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, fds.rlim_max);
      ::setrlimit(RLIMIT_NOFILE, &fds);
      ::getrlimit(RLIMIT_NOFILE, &fds);
    }
    if (fds.rlim_cur != RLIM_INFINITY)
      max = std::min<std::size_t>(max, fds.rlim_cur > kReservedDescriptors + 16
                                           ? static_cast<std::size_t>(fds.rlim_cur) - kReservedDescriptors
                                           : 16);
  }
  impl.max_connections = max;
  try {
    tcp::resolver resolver(impl.ioc);
    const tcp::endpoint endpoint =
        resolver.resolve(host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service)
            .begin()
            ->endpoint();
    impl.acceptor.open(endpoint.protocol());
    impl.acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl.acceptor.bind(endpoint);
    impl.acceptor.listen(asio::socket_base::max_listen_connections);
    return impl.acceptor.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + e.code().message());
  }
}

void Transport::Run() {
  auto& impl = *impl_;
  if (!impl.acceptor.is_open()) throw std::logic_error("Transport::Run before Bind");
  asio::post(impl.ioc, [&impl] { impl.Accept(); });
  const auto serve = [&impl] {
    for (;;) {
      try {
        impl.ioc.run();
        return;
      } catch (const std::exception&) {  // a handler threw: keep serving the other connections
      }
    }
  };
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < impl.limits.io_threads; ++i) others.emplace_back(serve);
  serve();
  for (auto& t : others) t.join();
}

void Transport::Stop() { impl_->Stop(); }

}  // namespace clausematch::api::http
