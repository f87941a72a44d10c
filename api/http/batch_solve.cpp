// The batch solve step. The engine's candidate graph and assignment solver are wired here.
#include <stdexcept>

#include "api/http/batch_runner.hpp"

namespace clausematch::api::http {

BatchOutcome SolveBatch(const model::Dataset&, const model::Referential&, const nlohmann::json&,
                        const std::function<void(double)>&) {
  // The matcher's candidate graph and the assignment solver are not on main yet: a run fails
  // with this message rather than pretending to propose anyone.
  throw std::runtime_error("batch assignment is not available in this build (solver not integrated yet)");
}

}  // namespace clausematch::api::http
