// API keys over HTTP (admins): list them (never a secret or a hash) and revoke one. A revocation
// through this server is effective on the next request (the key ring forgets the key); one made by
// `clausematch keys revoke` in another process within a second (store/keys.hpp, KeyRing).
#include "api/http/server.hpp"

namespace clausematch::api::http {
namespace {

nlohmann::json KeyJson(const store::ApiKey& k) {
  return {{"key_id", k.key_id},
          {"org", k.org},
          {"role", store::RoleCode(k.role)},
          {"created_at", k.created_at},
          {"revoked_at", k.revoked_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(k.revoked_at)}};
}

}  // namespace

void AddKeyRoutes(Router& router, App& app) {
  router.Add("GET", "/v1/keys", {store::Role::kAdmin}, [&app](Call& call) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& k : app.store.Read([](store::Session& s) { return s.ListApiKeys(); })) items.push_back(KeyJson(k));
    call.Reply(200, {{"items", std::move(items)}});
  });

  router.Add("POST", "/v1/keys/{key_id}/revoke", {store::Role::kAdmin}, [&app](Call& call) {
    const auto& key_id = call.PathParam("key_id");
    if (key_id.empty() || key_id.size() > 64) throw ApiError(ErrorCode::kNotFound, "no such key");
    const auto key = app.store.Write([&](store::Session& s) -> std::optional<store::ApiKey> {
      if (!s.RevokeApiKey(key_id)) return std::nullopt;
      for (auto& k : s.ListApiKeys())
        if (k.key_id == key_id) return k;
      return std::nullopt;
    });
    if (!key) throw ApiError(ErrorCode::kNotFound, "no such key");
    app.keys.Forget(key_id);
    call.Reply(200, KeyJson(*key));
  });
}

}  // namespace clausematch::api::http
