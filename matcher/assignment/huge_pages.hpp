#pragma once
// Transparent huge pages for large arrays about to be filled (a vector just reserved): on the
// virtual machines measured, a first touch of a 4 kB page costs about 9 us, so writing 300 MB of
// fresh 4 kB pages (the compiled network's targets and gains on the region) took ~0.7 s of page
// faults. Only the whole 2 MB pages inside the range are advised; advice only (without THP, or
// with THP off, nothing changes). path_solver.cpp's row allocator does the same for its rows.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace clausematch::matcher::assignment {

inline void AdviseHugePages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHuge - 1) / kHuge * kHuge;
  const std::uintptr_t last = (begin + bytes) / kHuge * kHuge;
  if (data == nullptr || last <= first) return;
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // NOLINT(performance-no-int-to-ptr)
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace clausematch::matcher::assignment
