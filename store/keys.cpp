#include "store/keys.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace clausematch::store {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kKeyIdBytes = 8;

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::vector<unsigned char> Hash(std::string_view token, const unsigned char* secret, std::size_t secret_size) {
  std::vector<unsigned char> out(kHashBytes);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(), secret,
                     secret_size);
  return out;
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::vector<unsigned char> SecretOf(Session& s) {
  if (auto secret = s.ServerSecret()) return *secret;
  std::vector<unsigned char> secret(kSecretBytes);
  randombytes_buf(secret.data(), secret.size());
  s.InsertServerSecret(secret);
  return secret;
}

// "cm_<key_id>_<secret>" -> key_id, or "" when the shape is wrong.
std::string KeyIdOf(std::string_view token) {
  if (token.size() < 3 + 2 * kKeyIdBytes + 1 || token.substr(0, 3) != "cm_") return {};
  const auto key_id = token.substr(3, 2 * kKeyIdBytes);
  if (token[3 + 2 * kKeyIdBytes] != '_') return {};
  for (char c : key_id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  return std::string(key_id);
}

}  // namespace

NewApiKey CreateApiKey(Store& store, const model::OrgCode& org, Role role) {
  InitSodium();
  if (org.empty()) throw std::invalid_argument("organisation code is empty");
  return store.Write([&](Session& s) {
    const auto secret = SecretOf(s);
    unsigned char id_bytes[kKeyIdBytes];
    randombytes_buf(id_bytes, sizeof id_bytes);
    unsigned char token_bytes[kSecretBytes];
    randombytes_buf(token_bytes, sizeof token_bytes);
    std::string encoded(sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), token_bytes, kSecretBytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    sodium_memzero(token_bytes, sizeof token_bytes);

    NewApiKey created;
    created.key.key_id = Hex(id_bytes, kKeyIdBytes);
    created.key.org = org;
    created.key.role = role;
    created.token = "cm_" + created.key.key_id + "_" + encoded;
    s.InsertApiKey(created.key, Hash(created.token, secret.data(), secret.size()));
    return created;
  });
}

void KeyRing::Recheck(std::unique_lock<std::mutex>& lock, std::chrono::steady_clock::time_point now) {
  if (now < next_recheck_) return;
  next_recheck_ = now + recheck_;
  lock.unlock();
  const auto state = store_.Read([](Session& s) { return s.ApiKeysStateNow(); });
  lock.lock();
  if (state_ && state.revoked != state_->revoked) cache_.clear();
  if (state_ && (state.keys != state_->keys || state.max_id != state_->max_id)) unknown_.clear();
  state_ = state;
}

void KeyRing::Forget(const std::string& key_id) {
  std::lock_guard lock(mutex_);
  cache_.erase(key_id);
  unknown_.erase(key_id);
}

std::optional<ApiKey> KeyRing::Authenticate(std::string_view token, bool lookup) {
  const auto key_id = KeyIdOf(token);
  if (key_id.empty()) return std::nullopt;
  std::unique_lock lock(mutex_);
  if (secret_.empty()) {
    if (!lookup) return std::nullopt;
    InitSodium();
    lock.unlock();
    auto secret = store_.Read([](Session& s) { return s.ServerSecret(); });
    lock.lock();
    if (!secret) return std::nullopt;  // no key was ever created
    secret_.assign(secret->begin(), secret->end());
  }
  const auto now = std::chrono::steady_clock::now();
  Recheck(lock, now);
  auto it = cache_.find(key_id);
  if (it == cache_.end() || it->second.expires < now) {
    if (!lookup || unknown_.count(key_id)) return std::nullopt;
    lock.unlock();
    lookups_.fetch_add(1);
    auto found = store_.Read([&](Session& s) { return s.FindApiKey(key_id); });
    lock.lock();
    if (!found || found->second.size() != kHashBytes) {
      if (unknown_.size() >= kMaxUnknown) unknown_.clear();
      unknown_.insert(key_id);
      cache_.erase(key_id);
      return std::nullopt;
    }
    it = cache_
             .insert_or_assign(
                 key_id, Cached{found->first, std::string(found->second.begin(), found->second.end()), now + ttl_})
             .first;
  }
  const auto expected = Hash(token, reinterpret_cast<const unsigned char*>(secret_.data()), secret_.size());
  if (crypto_verify_32(expected.data(), reinterpret_cast<const unsigned char*>(it->second.hash.data())) != 0)
    return std::nullopt;
  if (it->second.key.revoked) return std::nullopt;
  return it->second.key;
}

}  // namespace clausematch::store
