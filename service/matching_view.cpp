#include "service/matching_view.hpp"

namespace clausematch::service {

std::shared_ptr<const std::vector<std::uint8_t>> MatchingView::Current::Mask(
    const std::string& key, const std::function<std::vector<std::uint8_t>()>& compute) const {
  {
    std::lock_guard lock(masks_mutex_);
    for (const auto& [k, mask] : masks_)
      if (k == key) return mask;
  }
  auto mask = std::make_shared<const std::vector<std::uint8_t>>(compute());  // outside the lock
  std::lock_guard lock(masks_mutex_);
  if (masks_.size() >= kMaxMasks) masks_.pop_front();
  masks_.emplace_back(key, mask);
  return mask;
}

std::shared_ptr<const MatchingView::Current> MatchingView::Get(model::Date today) {
  std::lock_guard lock(mutex_);
  const auto version = snapshot_.version();
  if (current_ && current_->version == version && current_->today == today) return current_;
  if (!skills_) skills_ = std::make_shared<const matcher::SkillSpace>(*referential_);
  auto next = std::make_shared<Current>();
  next->version = snapshot_.version();  // read before copying: a write meanwhile forces the next rebuild
  next->data = snapshot_.Copy();
  next->today = today;
  matcher::MatcherOptions options;
  options.today = today;
  next->matcher = std::make_unique<const matcher::Matcher>(*referential_, *next->data, options, skills_);
  current_ = std::move(next);
  ++rebuilds_;
  return current_;
}

}  // namespace clausematch::service
