// The batch queue through the real server (issue 17, "Batch queue flood"): one key queueing runs
// as fast as it can gets 429 with Retry-After beyond its organisation's bound, another
// organisation's run is still taken (round robin between organisations), the runs kept per
// organisation are capped, and every eligible pair (max_candidates 0) is an admin's call.
#include <atomic>
#include <mutex>

#include "api/http/batch_runner.hpp"
#include "tests/api/api_fixture.hpp"

namespace clausematch::api::http::testing {
namespace {

class BatchQueueTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    // A solve that records which contract's run started and holds until released (stopping at a
    // shutdown, through the progress callback).
    options.batch_solve = [this](const model::Dataset&, const model::Referential&, const json& params,
                                 const std::function<void(double)>& progress, service::PreviousRun*) -> BatchOutcome {
      {
        std::lock_guard lock(mutex_);
        started_.push_back(params["contracts"].empty() ? 0u : params["contracts"][0].get<std::uint32_t>());
      }
      while (!released_) {
        progress(0.5);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return {};
    };
    Start(options);
  }
  std::uint32_t NewContract(const std::string& token, const std::string& reference) {
    auto r = Post("/v1/contracts", ContractBody(reference), token);
    EXPECT_EQ(r.status, 201) << r.text;
    return r.body.value("id", 0u);
  }
  std::vector<std::uint32_t> Started() {
    std::lock_guard lock(mutex_);
    return started_;
  }
  std::mutex mutex_;
  std::vector<std::uint32_t> started_;
  std::atomic<bool> released_{false};
};

TEST_F(BatchQueueTest, OneKeyFloodingDoesNotStopAnotherOrganisationsRun) {
  const auto mine = NewContract(facilitator_a_, "2026-LILLE-001");
  const auto theirs = NewContract(facilitator_b_, "2026-ROUBAIX-001");
  // Runs of PLIE-LILLE finished long ago: only the last 50 are kept once a run ends.
  store_->Write([](store::Session& s) {
    for (int i = 0; i < 60; ++i) {
      store::Batch b;
      b.org = "PLIE-LILLE";
      s.InsertBatch(b);
      b.state = store::BatchState::kSucceeded;
      s.UpdateBatch(b);
    }
  });

  std::vector<std::int64_t> accepted;
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = Post("/v1/batches", json::object(), facilitator_a_);
    if (r.status == 202) {
      accepted.push_back(r.body["id"].get<std::int64_t>());
      // The first run is under way before the others arrive (as it is on a real server).
      for (int k = 0; k < 400 && Started().empty(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else {
      ++refused;
      EXPECT_EQ(r.status, 429) << r.text;
      EXPECT_EQ(r.Header("Retry-After"), std::to_string(BatchRunner::kRetryAfterSeconds));
      EXPECT_EQ(r.body["type"], "urn:clausematch:problem:rate-limited") << r.text;
    }
  }
  EXPECT_EQ(accepted.size(), BatchRunner::kMaxRunsPerOrganisation);
  EXPECT_EQ(refused, 40 - static_cast<int>(BatchRunner::kMaxRunsPerOrganisation));
  // Nothing was stored for a refused run.
  EXPECT_EQ(store_->Read([](store::Session& s) { return s.ListBatches("PLIE-LILLE", 60, 1000); }).size(),
            BatchRunner::kMaxRunsPerOrganisation);

  auto other = Post("/v1/batches", json::object(), facilitator_b_);
  ASSERT_EQ(other.status, 202) << other.text;
  released_ = true;
  EXPECT_EQ(WaitForRun(other.body["id"].get<std::int64_t>(), facilitator_b_)["state"], "succeeded");
  for (const auto id : accepted) EXPECT_EQ(WaitForRun(id, facilitator_a_)["state"], "succeeded");
  // Round robin: the first run of PLIE-LILLE was under way and its second had its turn, then
  // PLIE-ROUBAIX's run went before the rest of PLIE-LILLE's (in arrival order it would be last).
  EXPECT_EQ(Started(), (std::vector<std::uint32_t>{mine, mine, theirs, mine, mine}));

  // Once places are free again, the organisation may queue again; its old runs were cut to 50.
  EXPECT_EQ(Post("/v1/batches", json::object(), facilitator_a_).status, 202);
  const auto kept = store_->Read([](store::Session& s) { return s.ListBatches("PLIE-LILLE", 0, 1000); });
  EXPECT_LE(kept.size(), static_cast<std::size_t>(BatchRunner::kKeptRunsPerOrganisation) + 1);
  EXPECT_GE(kept.front().id, 11);  // the oldest went first
}

TEST_F(BatchQueueTest, TheQueueIsBoundedOverall) {
  auto& runner = *server_->app().batches;
  std::size_t reserved = 0;
  for (int org = 0; reserved < BatchRunner::kMaxQueuedRuns; ++org)
    for (std::size_t k = 0; k < BatchRunner::kMaxRunsPerOrganisation && reserved < BatchRunner::kMaxQueuedRuns; ++k) {
      ASSERT_TRUE(runner.Reserve("ORG-" + std::to_string(org)));
      ++reserved;
    }
  EXPECT_FALSE(runner.Reserve("ORG-LATE"));
  runner.Release("ORG-0");
  EXPECT_TRUE(runner.Reserve("ORG-LATE"));
}

}  // namespace
}  // namespace clausematch::api::http::testing
