// `clausematch serve --db FILE --listen HOST:PORT`: the HTTP API until SIGINT/SIGTERM.
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "api/cli/commands.hpp"
#include "api/cli/run_guarded.hpp"
#include "api/http/server.hpp"
#include "data/referential_loader.hpp"

namespace clausematch::api::cli {
namespace {

struct ServeFlags {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string reference = data::DefaultReferenceDir();
  double rate = 50;
  double burst = 100;
  std::size_t max_body_mib = 8;
  std::string today;
};

std::pair<std::string, int> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) throw InputError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  const auto port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos)
    throw InputError("--listen: bad port '" + port_text + "'");
  const int port = std::stoi(port_text);
  if (port > 65535) throw InputError("--listen: port out of range");
  return {listen.substr(0, colon), port};
}

}  // namespace

void AddServe(CLI::App& app, Context& ctx) {
  auto flags = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API (/v1) on a SQLite database");
  cmd->add_option("--db", flags->db, "SQLite database file (created and migrated if needed)")->required();
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0 = any free port)")->capture_default_str();
  cmd->add_option("--reference", flags->reference, "Reference data folder (rome/, geo/)")->capture_default_str();
  cmd->add_option("--rate-limit", flags->rate, "Requests per second per API key (0 = unlimited)")
      ->capture_default_str();
  cmd->add_option("--burst", flags->burst, "Burst size of the per-key rate limit")->capture_default_str();
  cmd->add_option("--max-body-mib", flags->max_body_mib, "Largest request body accepted, MiB")->capture_default_str();
  cmd->add_option("--today", flags->today,
                  "Judge shortlists and batches at this date YYYY-MM-DD (default: the system date); for "
                  "a dataset described as of a date, such as the bundled sample");
  cmd->callback([&ctx, flags] {
    ctx.exit_code = RunGuarded([&] {
      const auto [host, port] = ParseListen(flags->listen);
      std::optional<model::Date> today;
      if (!flags->today.empty() && !(today = model::Date::Parse(flags->today)))
        throw InputError("serve: --today '" + flags->today + "' is not a date (YYYY-MM-DD)");
      // Block the stop signals in every thread; one thread waits for them and stops the server.
      sigset_t stop_signals;
      sigemptyset(&stop_signals);
      sigaddset(&stop_signals, SIGINT);
      sigaddset(&stop_signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

      auto referential = data::LoadReferential(flags->reference);
      store::Store store(flags->db);
      http::ServerOptions options;
      options.host = host;
      options.port = port;
      options.rate_per_second = flags->rate;
      options.rate_burst = flags->burst;
      options.connection.max_body_bytes = flags->max_body_mib << 20;
      options.today = today;
      options.reference_dir = flags->reference;
      http::Server server(store, referential, options);
      server.Bind();
      std::thread waiter([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        server.Stop();
      });
      server.Run();
      // Run returned: either a signal stopped it (waiter done) or listening failed; wake the waiter.
      // The signal is blocked in every thread and only sigwait-ed by the waiter, so this ends its
      // wait, not the thread: the waiter returns and is joined.
      pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
      waiter.join();
      return kExitOk;
    });
  });
}

}  // namespace clausematch::api::cli
