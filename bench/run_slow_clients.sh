#!/usr/bin/env bash
# The slow-client figures of bench/README.md ("Slow and idle clients"): a seeded database
# (bench_http_seed, as bench/run_http_load.sh), `clausematch serve` on loopback, the shipped proxy
# (deploy/setup-proxy.sh) in front of it, then bench/slow_clients.py against the server alone and
# behind the proxy: /livez and an authenticated shortlist timed (p50/p99) without and with
# DRIP + IDLE slow connections.
#
#   bench/run_slow_clients.sh                 # region preset; REUSE=1 keeps an existing seed
#   PRESET=departement DRIP=100 IDLE=100 SAMPLES=200 bench/run_slow_clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
work=${WORK:-/tmp/cm-slow-bench}
port=${PORT:-18080}
proxy_port=${PROXY_PORT:-18443}
preset=${PRESET:-region}
bin=$build/api/clausematch
drip=${DRIP:-100}
idle=${IDLE:-100}
samples=${SAMPLES:-200}

if [ ! -x "$bin" ] || [ ! -x "$build/bench/bench_http_seed" ]; then
  scripts/build-release --target clausematch bench_http_seed
fi
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD)"
if [ "${REUSE:-0}" != 1 ] || [ ! -s "$work/bench.db" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  "$build/bench/bench_http_seed" --preset "$preset" --db "$work/bench.db" --out "$work"
fi
as_of=$(cat "$work/as_of")
token=$(cat "$work/token")
"$bin" serve --db "$work/bench.db" --listen "127.0.0.1:$port" --rate-limit 0 ${as_of:+--today "$as_of"} \
  >"$work/serve.log" 2>&1 &
server=$!
cleanup() {
  [ -s "$work/proxy/nginx.pid" ] && kill "$(cat "$work/proxy/nginx.pid")" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
first=$(sed -n 's/^return {\([0-9]*\).*/\1/p' "$work/openings.lua")
path="/v1/openings/$first/shortlist?k=20"
curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path"  # builds the matching view

chmod 755 "$work"
deploy/setup-proxy.sh "$work/proxy" "127.0.0.1:$proxy_port" "127.0.0.1:$port" >/dev/null
nginx -p "$work/proxy" -c "$work/proxy/nginx.conf"
sleep 0.5

echo "== server alone (plain HTTP), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/slow_clients.py --port $port --token … --path $path --drip $drip --idle $idle --samples $samples"
bench/slow_clients.py --port "$port" --token "$token" --path "$path" --drip "$drip" --idle "$idle" --samples "$samples"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 12  # the server's deadlines close what is left of the attackers
echo "== behind the proxy (HTTPS, nginx), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/slow_clients.py --port $proxy_port --tls $work/proxy/tls/cert.pem --token … --path $path --drip $drip --idle $idle --samples $samples"
bench/slow_clients.py --port "$proxy_port" --tls "$work/proxy/tls/cert.pem" --token "$token" --path "$path" \
  --drip "$drip" --idle "$idle" --samples "$samples"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS: $(sed -n 's/^VmHWM:\s*//p' "/proc/$server/status") peak"
echo "responses by status: $(grep -o '"status":[0-9]*' "$work/serve.log" | sort | uniq -c | tr '\n' ' ')"
