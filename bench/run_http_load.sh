#!/usr/bin/env bash
# The HTTP load figure of bench/README.md ("HTTP"): seeds a database with a generated region
# (bench_http_seed: generator + store::ImportDataset + an admin key), serves it on loopback, warms
# the matching view up with one shortlist, then runs wrk with bench/http_shortlist.lua
# (GET /v1/openings/{id}/shortlist?k=20 on random open openings, each read audited) and prints
# wrk's report, the server's RSS and the load average before and after.
#
#   bench/run_http_load.sh                                   # region preset, -t2 -c8 -d30s
#   PRESET=departement CONNECTIONS=4 DURATION=10s bench/run_http_load.sh
#
# CPU-heavy (seeding 300,000 participants, then 30 s of load): run on a quiet machine; the seed,
# the server and wrk run under `nice -n ${NICE:-5}`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
work=${WORK:-/tmp/cm-http-bench}
port=${PORT:-18080}
preset=${PRESET:-region}
threads=${THREADS:-2}
connections=${CONNECTIONS:-8}
duration=${DURATION:-30s}
niceness=${NICE:-5}
bin=$build/api/clausematch

if [ ! -x "$bin" ] || [ ! -x "$build/bench/bench_http_seed" ]; then
  scripts/build-release --target clausematch bench_http_seed
fi
command -v wrk >/dev/null || scripts/install-deps

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "load before seeding: $(uptime)"
rm -rf "$work"
mkdir -p "$work"
nice -n "$niceness" "$build/bench/bench_http_seed" --preset "$preset" --db "$work/bench.db" --out "$work"

as_of=$(cat "$work/as_of")
nice -n "$niceness" "$bin" serve --db "$work/bench.db" --listen "127.0.0.1:$port" --rate-limit 0 \
  ${as_of:+--today "$as_of"} >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
# The first shortlist builds the matching view (spatial grid, skill embeddings) once: not timed.
first=$(sed -n 's/^return {\([0-9]*\).*/\1/p' "$work/openings.lua")
start=$(date +%s.%N)
curl -sf -o /dev/null -H "Authorization: Bearer $(cat "$work/token")" \
  "http://127.0.0.1:$port/v1/openings/$first/shortlist?k=20"
echo "warm-up (matching view build + first shortlist): $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}") s"

echo "load before wrk: $(uptime)"
echo "command: BENCH_OUT=$work wrk -t$threads -c$connections -d$duration --latency -s bench/http_shortlist.lua http://127.0.0.1:$port"
BENCH_OUT="$work" nice -n "$niceness" wrk -t"$threads" -c"$connections" -d"$duration" --latency \
  -s bench/http_shortlist.lua "http://127.0.0.1:$port"
echo "load after wrk: $(uptime)"
echo "server RSS: $(sed -n 's/^VmHWM:\s*//p' "/proc/$server/status") peak, $(sed -n 's/^VmRSS:\s*//p' "/proc/$server/status") now"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^clausematch_audit_group_commits_total'
echo "responses by status: $(grep -o '"status":[0-9]*' "$work/serve.log" | sort | uniq -c | tr '\n' ' ')"
