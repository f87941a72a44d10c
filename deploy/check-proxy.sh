#!/usr/bin/env bash
# Tests the shipped proxy for real: a `clausematch serve` on loopback, nginx started with
# deploy/nginx.conf.in rendered by deploy/setup-proxy.sh in a temporary folder on unprivileged
# ports, then requests through it over verified TLS. Exit 0 when every check passes, 1 on the
# first failure, 77 (skipped) when nginx, openssl or curl is missing. ctest runs it as
# Deploy.ProxyServesTheApi.
#
#   deploy/check-proxy.sh [PATH/TO/clausematch]      # default: build/release/api/clausematch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/release/api/clausematch}
for tool in nginx openssl curl python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (scripts/install-deps installs nginx and openssl)"
    exit 77
  fi
done
[ -x "$bin" ] || { echo "check-proxy: no clausematch binary at $bin" >&2; exit 1; }

work=$(mktemp -d /tmp/clausematch-proxy-check.XXXXXX)
chmod 755 "$work"  # nginx's workers (nobody when started as root) write request bodies below it
server=""
cleanup() {
  [ -s "$work/proxy/nginx.pid" ] && kill "$(cat "$work/proxy/nginx.pid")" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- nginx error.log"; cat "$work/proxy/logs/error.log" 2>/dev/null || true
  echo "--- server log (last lines)"; tail -5 "$work/serve.log" 2>/dev/null || true
  exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

token=$("$bin" keys create --db "$work/cm.db" --org ML-LILLE --role prescriber)
"$bin" serve --db "$work/cm.db" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the server did not start"

proxy_port=$(free_port)
"$here/setup-proxy.sh" "$work/proxy" "127.0.0.1:$proxy_port" "127.0.0.1:$port" >/dev/null
nginx -p "$work/proxy" -c "$work/proxy/nginx.conf" || fail "nginx did not start"
base="https://localhost:$proxy_port"
tls=(--cacert "$work/proxy/tls/cert.pem" --resolve "localhost:$proxy_port:127.0.0.1" -s)
for _ in $(seq 1 50); do
  curl "${tls[@]}" -o /dev/null "$base/livez" && break
  sleep 0.1
done

# status METHOD PATH [curl args...]: prints the status code, keeps headers and body in $work/out.*
status() {
  local method=$1 path=$2
  shift 2
  curl "${tls[@]}" -X "$method" -D "$work/out.head" -o "$work/out.body" -w '%{http_code}' "$@" "$base$path" || true
}
expect() {  # expect STATUS "what" METHOD PATH [curl args...]
  local want=$1 what=$2
  shift 2
  local got
  got=$(status "$@")
  [ "$got" = "$want" ] || fail "$what: $got, expected $want ($(head -c 300 "$work/out.body" 2>/dev/null))"
  echo "ok: $what ($got)"
}

expect 200 "liveness over verified TLS" GET /livez
expect 200 "readiness through the proxy" GET /readyz
expect 200 "an authenticated list" GET /v1/participants -H "Authorization: Bearer $token"
grep -q '"items"' "$work/out.body" || fail "the list is not the server's JSON"
expect 401 "no key: the server's 401 passes through" GET /v1/participants
grep -q 'urn:clausematch:problem:unauthenticated' "$work/out.body" || fail "401 without its problem document"
grep -qi '^x-request-id: ' "$work/out.head" || fail "no X-Request-Id through the proxy"
grep -qi '^strict-transport-security: ' "$work/out.head" || fail "no HSTS header"
ago() { date -u -d "$1 days ago" +%F; }
cat >"$work/person.json" <<JSON
{"external_ref": "PROXY-1", "prescriber_kind": "mission_locale", "first_name": "Inès", "last_name": "Durand",
 "birth_date": "2003-04-02", "criteria": [{"criterion": "rsa", "proof_date": "$(ago 30)", "validated_by": "ML-LILLE"}],
 "commune_insee": "59350", "mobility_radius_km": 20, "mobility_mode": "transports_en_commun", "licences": ["B"],
 "wanted_appellations": [16250], "available_from": "$(ago 0)", "weekly_hours_wanted": 35, "consent": true,
 "consent_date": "$(ago 30)", "registration_date": "$(ago 60)"}
JSON
expect 201 "a create with a body" POST /v1/participants -H "Authorization: Bearer $token" \
  -H "Content-Type: application/json" --data-binary @"$work/person.json"
head -c $((9 << 20)) /dev/zero | tr '\0' 'x' >"$work/big"
expect 413 "a 9 MiB body is refused by the proxy" POST /v1/participants -H "Authorization: Bearer $token" \
  -H "Content-Type: application/json" --data-binary @"$work/big"
grep -q 'urn:clausematch:problem:payload-too-large' "$work/out.body" || fail "413 without its problem document"
expect 431 "a 10 KiB header line is refused by the proxy" GET /livez -H "X-Filler: $(head -c 10240 /dev/zero | tr '\0' 'y')"
plain=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$proxy_port/livez" || true)
[ "$plain" = "400" ] || fail "plain HTTP on the TLS port: $plain, expected 400"
echo "ok: plain HTTP on the TLS port is refused (400)"
curl -s --max-time 5 -o /dev/null "https://localhost:$proxy_port/livez" --resolve "localhost:$proxy_port:127.0.0.1" \
  && fail "an unverified client accepted the self-signed certificate"
echo "ok: the certificate is the one made at setup"
echo "PASS: the shipped proxy serves the API"
