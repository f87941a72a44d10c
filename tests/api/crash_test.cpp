// Durability under a crash: the real `clausematch serve` binary receives a stream of
// acknowledged writes, is killed with SIGKILL mid-stream, and every write it acknowledged (201)
// must be in the database afterwards, which must pass PRAGMA integrity_check; the restarted
// server must serve them. Three kill points at random times, bounded to a few seconds each.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

// Runs `args` and returns its stdout (for `keys create`).
std::string RunCapture(const std::vector<std::string>& args) {
  std::string cmd;
  for (const auto& a : args) cmd += "'" + a + "' ";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

struct Child {
  pid_t pid = -1;
  int port = 0;
};

// Starts `clausematch serve` on a free port and waits (bounded) for its "listening" log line.
Child StartServe(const std::string& db) {
  int out[2];
  if (pipe(out) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDERR_FILENO);
    execl(CLAUSEMATCH_BINARY, CLAUSEMATCH_BINARY, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0",
          "--rate-limit", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  Child child{pid, 0};
  FILE* lines = fdopen(out[0], "r");
  char buf[1024];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (child.port == 0 && std::chrono::steady_clock::now() < deadline &&
         std::fgets(buf, sizeof buf, lines) != nullptr) {
    auto line = json::parse(buf, nullptr, false);
    if (!line.is_discarded() && line.value("msg", "") == "listening") child.port = line["port"].get<int>();
  }
  // Keep draining the child's log in the background so it never blocks on a full pipe.
  std::thread([lines] {
    char sink[4096];
    while (std::fgets(sink, sizeof sink, lines) != nullptr) {
    }
    std::fclose(lines);
  }).detach();
  return child;
}

TEST(CrashTest, AcknowledgedWritesSurviveSigkill) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("clausematch_crash_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto db = (dir / "crash.db").string();
  const auto token =
      RunCapture({CLAUSEMATCH_BINARY, "keys", "create", "--db", db, "--org", "ML-LILLE", "--role", "prescriber"});
  ASSERT_EQ(token.rfind("cm_", 0), 0u) << token;

  std::map<std::uint32_t, std::string> acknowledged;  // id -> external_ref
  std::mt19937 rng(std::random_device{}());
  int sequence = 0;
  for (int round = 0; round < 3; ++round) {
    auto child = StartServe(db);
    ASSERT_GT(child.port, 0) << "server did not start";
    const auto kill_after = std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 600)(rng));
    std::thread killer([&] {
      std::this_thread::sleep_for(kill_after);
      kill(child.pid, SIGKILL);
    });
    httplib::Client client("127.0.0.1", child.port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(5, 0);
    const httplib::Headers auth{{"Authorization", "Bearer " + token}};
    int in_round = 0;
    for (int failures = 0; failures < 3;) {
      const auto ref = "crash-" + std::to_string(sequence++);
      auto r = client.Post("/v1/participants", auth, ApiTest::Person(ref).dump(), "application/json");
      if (r && r->status == 201) {
        acknowledged[json::parse(r->body)["id"].get<std::uint32_t>()] = ref;
        ++in_round;
      } else {
        ++failures;  // the server is gone: what was not acknowledged may or may not be there
      }
    }
    killer.join();
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    EXPECT_GT(in_round, 0) << "no write was acknowledged before the kill in round " << round;

    // Every acknowledged write is there, and the file is sound.
    store::Store store(db);
    EXPECT_EQ(store.IntegrityCheck(), "ok");
    for (const auto& [id, ref] : acknowledged) {
      auto p = store.Read([pid = id](store::Session& s) { return s.FindParticipant(model::ParticipantId(pid)); });
      ASSERT_TRUE(p.has_value()) << "acknowledged participant " << id << " lost";
      EXPECT_EQ(p->external_ref, ref);
      // Its audit entry was committed with it, before the 201.
      const auto audit = store.Read([pid = id](store::Session& s) { return s.ListAudit("participant", pid); });
      ASSERT_FALSE(audit.empty()) << "audit of acknowledged participant " << id << " lost";
      EXPECT_EQ(audit.front().action, "create");
    }
  }

  // The restarted binary serves what was acknowledged.
  auto child = StartServe(db);
  ASSERT_GT(child.port, 0);
  httplib::Client client("127.0.0.1", child.port);
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  for (const auto& [id, ref] : acknowledged) {
    auto r = client.Get("/v1/participants/" + std::to_string(id), auth);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(json::parse(r->body)["external_ref"], ref);
  }
  kill(child.pid, SIGTERM);
  int status = 0;
  waitpid(child.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM must stop the server cleanly";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clausematch::api::http::testing
