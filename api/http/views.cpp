#include "api/http/views.hpp"

#include "api/http/server.hpp"
#include "service/display_name.hpp"

namespace clausematch::api::http {

nlohmann::json CandidateView(const model::Participant& p, model::CriterionSet eligible_by,
                             const model::Referential& ref) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const auto& info : model::AllCriteria())
    if (eligible_by.contains(info.criterion)) criteria.push_back(info.code);
  nlohmann::json licences = nlohmann::json::array();
  for (const auto& l : model::Entries(model::Licence{}))
    if (p.licences.contains(l.value)) licences.push_back(l.code);
  const std::string display = service::DisplayName(p);
  const auto* commune = ref.FindCommune(p.commune_insee);
  return {{"participant_id", p.id.value()},
          {"display_name", display},
          {"prescriber_org", p.prescriber_org},
          {"prescriber_kind", model::Code(p.prescriber_kind)},
          {"commune_insee", p.commune_insee},
          {"commune_name", commune ? commune->name : ""},
          {"eligible_by", std::move(criteria)},
          {"licences", std::move(licences)},
          {"mobility_mode", model::Code(p.mobility_mode)},
          {"available_from", p.available_from.ToString()},
          {"weekly_hours_wanted", p.weekly_hours_wanted}};
}

PageRequest ParsePage(const Call& call) {
  PageRequest page;
  if (auto limit = call.Query("limit")) {
    int v = 0;
    const bool digits =
        !limit->empty() && limit->size() <= 3 && limit->find_first_not_of("0123456789") == std::string::npos;
    if (digits) v = std::stoi(*limit);
    if (!digits || v < 1 || v > 500)
      throw ApiError(ErrorCode::kBadRequest, "limit must be an integer from 1 to 500",
                     {{"limit", "out_of_range", "limit must be an integer from 1 to 500"}});
    page.limit = v;
  }
  if (auto cursor = call.Query("cursor")) {
    const bool digits =
        !cursor->empty() && cursor->size() <= 10 && cursor->find_first_not_of("0123456789") == std::string::npos;
    const auto v = digits ? std::stoull(*cursor) : 0ULL;
    if (!digits || v >= 0xffffffffULL)
      throw ApiError(ErrorCode::kBadRequest, "cursor is not one this server gave",
                     {{"cursor", "invalid_format", "use the next_cursor of the previous page"}});
    page.after = static_cast<std::uint32_t>(v);
  }
  return page;
}

nlohmann::json PageOf(nlohmann::json items, std::optional<std::int64_t> last_id, int limit) {
  const bool full = static_cast<int>(items.size()) == limit;
  nlohmann::json page{{"items", std::move(items)}};
  page["next_cursor"] = full && last_id ? nlohmann::json(std::to_string(*last_id)) : nlohmann::json(nullptr);
  return page;
}

}  // namespace clausematch::api::http
