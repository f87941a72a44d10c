// A seeded random mutator over everything a client sends (issue 17: "no request may crash"), built
// with the project's compiler (no libFuzzer needed): valid seeds — the bundled sample's records as
// JSON and as CSV, and whole HTTP requests — are mutated (bit flips, random bytes, deletions,
// repeats, splices, tokens that matter to JSON, CSV, dates, numbers, UTF-8 and HTTP) and fed to
//
//   json   the nesting check, nlohmann::json::parse and the record decoders (participant, contract,
//          opening, placement), as the server reads request bodies;
//   csv    the CSV reader and the participants, contracts, openings and placements CSV decoders;
//   http   the real server on loopback, through a raw socket: request line, headers, body and
//          routes (request parser, limits, authentication, handlers), then /livez must answer.
//
// Under AddressSanitizer and UndefinedBehaviorSanitizer a memory error or undefined behaviour
// aborts the run; a decoder that throws instead of reporting problems is counted as a failure too
// (the server would answer 500). Deterministic for a seed and a number of iterations; bounded by
// time: `fuzz_inputs --seconds 60 --seed 1` (ctest runs it as Fuzz.Inputs, scripts/test).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/http/server.hpp"
#include "data/csv_codec.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_io.hpp"
#include "data/json_codec.hpp"
#include "data/referential_loader.hpp"
#include "store/keys.hpp"

namespace {

namespace cm = clausematch;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxInput = std::size_t{64} * 1024;

// Tokens that matter to JSON, CSV, dates, numbers, UTF-8 and HTTP.
// clang-format off
const std::vector<std::string> kTokens = {
    "[", "]", "{", "}", "\"", ":", ",", ";", "\n", "\r\n", "\r", "\t", " ", "\\", "\\u0000", "\\ud800", "\\u00e9",
    std::string(1, '\0'), "\xff", "\xc3", "\xe2\x82", "\xf4\x90\x80\x80", "\xc0\xaf", "é", "😀", "1e309", "-1e309",
    "5e-324", "-0", "0.0000001", "18446744073709551616", "-9223372036854775809", "4294967295", "NaN", "null", "true",
    "false", "9999-12-31", "0000-00-00", "2026-02-30", "2099-01-01", "-1", "'=1+1", "=cmd|' /C calc'!A0", "\"\"",
    "rsa:2026-01-01:X", "rqth::X|", "|", "2A004", "99999", "59350", "80021", "16250", "F1703", std::string(300, 'x'),
    std::string(70, '['), "Content-Length: ", "Content-Length: 0\r\n", "Content-Length: 99999999999\r\n",
    "Transfer-Encoding: chunked\r\n", "Host: x\r\n", "Connection: close\r\n", "Expect: 100-continue\r\n", "GET ",
    "POST ", "PUT ", "BREW ", "HTTP/1.1", "HTTP/1.0", "HTTP/2", ": ", " \t", "%00", "%2e%2e%2f", "%", "/../", "?k=",
    "?k=0", "?limit=-1&cursor=", "Authorization: Bearer cm_0123456789abcdef_AAAA\r\n", "Content-Type: text/csv\r\n",
    "Content-Type: application/json\r\n", "Idempotency-Key: k\r\n", "\r\n\r\n"};
// clang-format on

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }

  std::string Mutate(std::string s, const std::vector<std::string>& corpus) {
    const std::size_t rounds = 1 + Below(6);
    for (std::size_t r = 0; r < rounds; ++r) {
      const std::size_t at = Below(s.size() + 1);
      switch (Below(9)) {
        case 0:  // flip a bit
          if (!s.empty()) {
            const unsigned bit = 1u << Below(8);  // drawn before the position, as ^= evaluated them
            char& c = s[Below(s.size())];
            c = static_cast<char>(static_cast<unsigned char>(c) ^ bit);
          }
          break;
        case 1:  // a random byte
          if (!s.empty()) s[Below(s.size())] = static_cast<char>(Below(256));
          break;
        case 2:  // delete a range
          if (!s.empty()) s.erase(Below(s.size()), 1 + Below(16));
          break;
        case 3: {  // insert random bytes
          std::string bytes(1 + Below(8), '\0');
          for (auto& c : bytes) c = static_cast<char>(Below(256));
          s.insert(at, bytes);
          break;
        }
        case 4:
        case 5:  // insert a token
          s.insert(at, kTokens[Below(kTokens.size())]);
          break;
        case 6: {  // repeat a range
          if (s.empty()) break;
          const std::size_t from = Below(s.size());
          const std::string piece = s.substr(from, 1 + Below(64));
          for (std::size_t k = 1 + Below(8); k > 0; --k) s.insert(at, piece);
          break;
        }
        case 7: {  // splice the tail of another seed
          const auto& other = corpus[Below(corpus.size())];
          s = s.substr(0, at) + other.substr(Below(other.size() + 1));
          break;
        }
        default:  // truncate
          s.resize(at);
          break;
      }
      if (s.size() > kMaxInput) s.resize(kMaxInput);
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

struct Tally {
  std::uint64_t runs = 0;
  std::map<std::string, std::uint64_t> failures;  // "target: what" -> count
  void Fail(const std::string& target, const std::string& what) {
    if (failures[target + ": " + what]++ == 0) std::cerr << "fuzz: " << target << " threw: " << what << '\n';
  }
};

// Runs `f` and records an exception escaping it.
template <typename F>
void Guard(Tally& tally, const char* target, F&& f) {
  ++tally.runs;
  try {
    f();
  } catch (const std::exception& e) {
    tally.Fail(target, std::string(e.what()).substr(0, 120));
  }
}

void FeedJson(const std::string& text, const cm::model::Referential& ref, cm::model::Date today, Tally& tally) {
  Guard(tally, "json", [&] {
    if (cm::data::JsonNestingBeyond(text)) return;  // refused before parsing, as the server does
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return;
    cm::model::Problems problems;
    (void)cm::data::ParticipantFromJsonForOrg(j, "ORG", &ref, today, problems);
    (void)cm::data::ParticipantFromJson(j, &ref, today, problems);
    const auto contract = cm::data::ContractFromJson(j, &ref, problems);
    (void)cm::data::OpeningFromJson(j, &ref, contract ? &*contract : nullptr, problems);
    (void)cm::data::PlacementFromJson(j, problems);
  });
}

void FeedCsv(const std::string& text, const cm::model::Referential& ref, cm::model::Date today,
             std::span<const cm::model::Contract> contracts, Tally& tally) {
  Guard(tally, "csv", [&] {
    (void)cm::data::ReadParticipantsCsv(text, ref, today);
    (void)cm::data::ReadContractsCsv(text, ref);
    (void)cm::data::ReadOpeningsCsv(text, ref, contracts);
    (void)cm::data::ReadPlacementsCsv(text);
  });
  Guard(tally, "csv reader", [&] {
    try {
      cm::data::CsvReader::Parse(text, [](const cm::data::CsvRow&) {});
    } catch (const cm::data::CsvError&) {  // how the reader reports bad input
    }
  });
}

// Sends `bytes` on a new loopback connection, closes the sending side and reads the answer until
// the server closes (or `timeout`). Returns the first line of the answer.
std::string Exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      if (answer.size() < 256) answer.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

std::string Request(const std::string& head, const std::string& token, const std::string& type,
                    const std::string& body) {
  std::string r = head + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!type.empty()) r += "Content-Type: " + type + "\r\n";
  if (!body.empty() || head.rfind("POST", 0) == 0 || head.rfind("PUT", 0) == 0)
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "Connection: close\r\n\r\n" + body;
}

std::string HeadLines(const std::string& path, std::size_t lines) {
  std::ifstream in(path);
  std::string out, line;
  for (std::size_t i = 0; i < lines && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 60;
  std::uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--seed") seed = std::stoull(argv[i + 1]);
  }
  const auto ref = cm::data::LoadReferential(std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/reference");
  const std::string sample = std::string(CLAUSEMATCH_SOURCE_DIR) + "/data/sample";
  const auto dataset = cm::data::LoadDataset(sample, *ref);
  const cm::model::Date today = dataset.as_of.value_or(cm::model::Date::FromYmd(2026, 11, 23));

  // Seeds.
  std::vector<std::string> json_seeds, csv_seeds;
  for (std::size_t i = 0; i < 3; ++i) {
    json_seeds.push_back(cm::data::ToJson(dataset.participants.at(i * 7)).dump());
    json_seeds.push_back(cm::data::ToJson(dataset.contracts.at(i)).dump());
    json_seeds.push_back(cm::data::ToJson(dataset.openings.at(i * 3)).dump());
  }
  if (!dataset.placements.empty()) json_seeds.push_back(cm::data::ToJson(dataset.placements.front()).dump());
  json_seeds.push_back(R"({"participants": [{"external_ref": "A"}, {}], "contracts": [1, 2, 2], "k": 5})");
  for (const char* file : {"participants.csv", "contracts.csv", "openings.csv", "placements.csv"})
    csv_seeds.push_back(HeadLines(sample + "/" + file, 4));
  std::string semicolons = csv_seeds[0];
  for (auto& c : semicolons)
    if (c == ',') c = ';';
  csv_seeds.push_back(semicolons);

  // The server, on a database of its own.
  const auto dir = std::filesystem::temp_directory_path() / ("clausematch_fuzz_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ostringstream log;
  int exit_code = 0;
  {
    cm::store::Store store((dir / "fuzz.db").string());
    cm::api::http::ServerOptions options;
    options.port = 0;
    options.log = &log;
    options.rate_per_second = 0;
    options.auth_failure_rate = 0;
    options.today = today;
    cm::api::http::Server server(store, ref, options);
    const int port = server.Bind();
    std::thread serving([&] { server.Run(); });
    const auto prescriber = cm::store::CreateApiKey(store, "ML-FUZZ", cm::store::Role::kPrescriber).token;
    const auto facilitator = cm::store::CreateApiKey(store, "PLIE-FUZZ", cm::store::Role::kFacilitator).token;
    const auto admin = cm::store::CreateApiKey(store, "ADMIN", cm::store::Role::kAdmin).token;
    store.Write([](cm::store::Session& s) {
      s.SetTerritory("ML-FUZZ", {"*"});
      s.SetTerritory("PLIE-FUZZ", {"*"});
    });
    const auto contract_body = cm::data::ToJson(dataset.contracts.front());
    Exchange(port, Request("POST /v1/contracts", facilitator, "application/json", contract_body.dump()),
             std::chrono::seconds(5));
    std::vector<std::string> http_seeds = {
        Request("GET /livez", "", "", ""),
        Request("GET /v1/participants?limit=5", prescriber, "", ""),
        Request("POST /v1/participants", prescriber, "application/json", json_seeds[0]),
        Request("POST /v1/participants", prescriber, "text/csv", csv_seeds[0]),
        Request("PUT /v1/participants/1", prescriber, "application/json", json_seeds[0]),
        Request("POST /v1/contracts", facilitator, "application/json", json_seeds[1]),
        Request("POST /v1/contracts/1/openings", facilitator, "application/json", json_seeds[2]),
        Request("GET /v1/openings/1/shortlist?k=5", facilitator, "", ""),
        Request("POST /v1/contracts/1/plan", facilitator, "application/json",
                R"({"insertion_rate": 0.05, "hourly_cost_eur": 30})"),
        Request("POST /v1/placements", facilitator, "application/json", R"({"opening_id": 1, "participant_id": 1})"),
        Request("GET /v1/indicators?from=2026-01-01", admin, "", ""),
        Request("PUT /v1/organisations/PLIE-FUZZ/territory", admin, "application/json", R"({"departements": ["*"]})"),
    };

    Mutator mutator(seed);
    Tally json_tally, csv_tally;
    std::uint64_t http_runs = 0, http_silent = 0;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::string> all = json_seeds;
    all.insert(all.end(), csv_seeds.begin(), csv_seeds.end());
    for (std::uint64_t round = 0; Clock::now() < deadline; ++round) {
      switch (round % 4) {
        case 0:
        case 1:
          FeedJson(mutator.Mutate(json_seeds[mutator.Below(json_seeds.size())], all), *ref, today, json_tally);
          break;
        case 2:
          FeedCsv(mutator.Mutate(csv_seeds[mutator.Below(csv_seeds.size())], all), *ref, today, dataset.contracts,
                  csv_tally);
          break;
        default:
          if (round % 16 == 3) {  // the socket round trip is slower: one round in 16 goes to HTTP
            ++http_runs;
            const auto answer = Exchange(port, mutator.Mutate(http_seeds[mutator.Below(http_seeds.size())], http_seeds),
                                         std::chrono::seconds(15));
            if (answer.empty()) ++http_silent;
          }
          break;
      }
    }
    const auto livez = Exchange(port, Request("GET /livez", "", "", ""), std::chrono::seconds(5));
    server.Stop();
    serving.join();

    const auto elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << "fuzz: seed " << seed << ", " << elapsed << " s: " << json_tally.runs << " JSON inputs, "
              << csv_tally.runs << " CSV inputs, " << http_runs << " HTTP requests (" << http_silent
              << " closed without an answer); /livez after: " << livez << '\n';
    for (const auto* tally : {&json_tally, &csv_tally})
      for (const auto& [what, n] : tally->failures) {
        std::cout << "  exception x" << n << ": " << what << '\n';
        exit_code = 1;
      }
    if (livez.find(" 200 ") == std::string::npos) {
      std::cout << "  the server does not answer /livez after the run\n";
      exit_code = 1;
    }
    if (log.str().find("\"status\":500") != std::string::npos) {
      std::cout << "  the server answered 500 to some input: see its log lines with status 500\n";
      std::istringstream lines(log.str());
      int shown = 0;
      for (std::string line; std::getline(lines, line) && shown < 10;)
        if (line.find("\"status\":500") != std::string::npos) {
          std::cout << "    " << line << '\n';
          ++shown;
        }
      exit_code = 1;
    }
  }
  std::filesystem::remove_all(dir);
  return exit_code;
}
