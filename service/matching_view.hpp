#pragma once
// The matcher over the store's snapshot. A matcher::Matcher prepares indices (spatial grid,
// skill embeddings) over a dataset it then requires unchanged, so this view keeps one immutable
// {dataset copy, matcher} pair and replaces it only when the snapshot has moved on (or the date
// changed): reads after reads reuse it; the first read after writes rebuilds it once (one thread
// builds, the others wait for it), never per request and never by reloading the database.
// Holders of a Current keep using it safely while a newer one is built (shared_ptr).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "matcher/matcher.hpp"
#include "store/snapshot.hpp"

namespace clausematch::service {

class MatchingView {
 public:
  struct Current {
    std::shared_ptr<const model::Dataset> data;
    std::unique_ptr<const matcher::Matcher> matcher;
    std::uint64_t version = 0;
    model::Date today;
    // Participant masks over `data` (service/territory.hpp, AudienceMask), computed once per key
    // for this dataset; at most kMaxMasks are kept (the oldest goes).
    [[nodiscard]] std::shared_ptr<const std::vector<std::uint8_t>> Mask(
        const std::string& key, const std::function<std::vector<std::uint8_t>()>& compute) const;
    static constexpr std::size_t kMaxMasks = 64;

   private:
    mutable std::mutex masks_mutex_;
    mutable std::deque<std::pair<std::string, std::shared_ptr<const std::vector<std::uint8_t>>>> masks_;
  };

  MatchingView(const store::Snapshot& snapshot, std::shared_ptr<const model::Referential> referential)
      : snapshot_(snapshot), referential_(std::move(referential)) {}

  // The matcher for the snapshot as it is now, judged at `today`.
  std::shared_ptr<const Current> Get(model::Date today);
  [[nodiscard]] std::uint64_t rebuilds() const { return rebuilds_; }

 private:
  const store::Snapshot& snapshot_;
  std::shared_ptr<const model::Referential> referential_;
  std::mutex mutex_;
  std::shared_ptr<const matcher::SkillSpace> skills_;
  std::shared_ptr<const Current> current_;
  std::uint64_t rebuilds_ = 0;
};

}  // namespace clausematch::service
