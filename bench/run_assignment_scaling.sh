#!/usr/bin/env bash
# Scaling series for the assignment solvers: one JSON line per (size, solver) in OUT.jsonl, a check
# that every exact solver reached the same optimum on each instance, a table on stdout and, with
# gnuplot, OUT.png (solve time against edges, log-log).
#
#   bench/run_assignment_scaling.sh [OUT] [SIZES...]       (a size is PARTICIPANTS:OPENINGS:DEGREE)
#   bench/run_assignment_scaling.sh build/assignment "30000:3000:40 300000:30000:84"
#
# Each run is capped at 20 minutes (timeout 1200); the auction is skipped above 30M edges, LEMON
# above 120M, Boost SSP above 200k (it is the small-instance oracle). Expects
# build/release/bench/bench_assignment. Records `uptime` before each run (the machine's load).
#
# SOLVERS (default "ours auction lemon greedy boost"; also "cost-scaling", cost_scaling.hpp) picks the solvers, REPEAT (default 1) runs
# each that many times, interleaved; the table keeps each solver's least processor time
# (solve_cpu_s: user + system of the process during the solve), the figure to compare on a
# machine other processes load. The balanced shapes of bench/README.md ("Harder shapes"):
#
#   SOLVERS="ours lemon" REPEAT=3 bench/run_assignment_scaling.sh build/balanced \
#     "30000:12000:40 30000:14000:40 30000:16000:40 30000:18000:40 30000:20000:40 30000:30000:40 ..."
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/assignment_scaling}
sizes=${2:-"3000:300:20 30000:3000:40 100000:10000:60 300000:30000:88 600000:60000:84 1200000:120000:84"}
bench=build/release/bench/bench_assignment
solvers=${SOLVERS:-"ours auction lemon greedy boost"}
repeat=${REPEAT:-1}
mkdir -p "$(dirname "$out")"
: > "$out.jsonl"
for size in $sizes; do
  IFS=: read -r p o d <<< "$size"
  edges=$((p * ${d%.*}))
  for _ in $(seq "$repeat"); do
  for solver in $solvers; do
    if [[ $solver == boost && $edges -gt 200000 ]]; then continue; fi
    if [[ $solver == auction && $edges -gt 30000000 ]]; then continue; fi
    if [[ $solver == lemon && $edges -gt 120000000 ]]; then continue; fi
    echo "participants=$p openings=$o degree=$d solver=$solver load: $(uptime | sed 's/.*load average: //')" >&2
    timeout 1200 "$bench" --participants "$p" --openings "$o" --degree "$d" --solver "$solver" >> "$out.jsonl" \
      || echo "  $solver did not finish within 20 minutes (or failed)" >&2
  done
  done
done
python3 - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
runs = [json.loads(l) for l in open(out + ".jsonl") if l.strip()]
by = collections.defaultdict(dict)
costs = collections.defaultdict(set)
for r in runs:
    key = (r["participants"], r["openings"], r["edges"])
    if r["solver"] in ("ours", "auction", "lemon", "boost", "cost-scaling"):
        costs[key].add(r["cost"])
    kept = by[key].get(r["solver"])
    if kept is None or r.get("solve_cpu_s", 0) < kept.get("solve_cpu_s", 0):
        by[key][r["solver"]] = r  # the least processor time of the repeats
print("| participants | openings | positions | edges | ours s (solve + check) | certified | LEMON NS solve s | LEMON / ours | ours solve CPU s | LEMON solve CPU s | LEMON / ours (CPU) | cost-scaling solve CPU s | auction s | greedy s | greedy gap | Boost SSP s | ours peak B/edge | LEMON peak B/edge |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
ok = True
for key in sorted(by):
    r = by[key]
    exact = list(costs[key])
    if len(set(exact)) > 1:
        ok = False
        print(f"MISMATCH at {key}: {[(s, x['cost']) for s, x in r.items()]}", file=sys.stderr)
    o, l, g, b, a = r.get("ours"), r.get("lemon"), r.get("greedy"), r.get("boost"), r.get("auction")
    cs = r.get("cost-scaling")
    f = lambda x, k, fmt="{:.2f}": fmt.format(x[k]) if x else "-"
    ours_t = o["solve_s"] + o["check_s"] if o else None
    ratio = "{:.2f}".format(l["solve_s"] / ours_t) if (o and l and ours_t > 0) else "-"
    gap = str(g["cost"] - o["cost"]) if (g and o) else "-"
    cpu_ratio = "{:.1f}".format(l["solve_cpu_s"] / o["solve_cpu_s"]) if (o and l and o.get("solve_cpu_s", 0) > 0) else "-"
    print(f"| {key[0]} | {key[1]} | {(o or l or g)['positions']} | {key[2]} | {('%.2f' % ours_t) if o else '-'} | {o['certified'] if o else '-'} | {f(l,'solve_s')} | {ratio} | {f(o,'solve_cpu_s','{:.3f}')} | {f(l,'solve_cpu_s','{:.3f}')} | {cpu_ratio} | {f(cs,'solve_cpu_s','{:.3f}')} | {('%.2f' % (a['solve_s'] + a['check_s'])) if a else '-'} | {f(g,'solve_s')} | {gap} | {f(b,'solve_s')} | {f(o,'peak_bytes_per_edge','{:.1f}')} | {f(l,'peak_bytes_per_edge','{:.1f}')} |")
with open(out + ".dat", "w") as d:
    for key in sorted(by):
        r = by[key]
        d.write(f"{key[2]} " + " ".join(str(r[s]['solve_s'] + r[s].get('check_s', 0)) if s in r else "nan" for s in ("ours", "lemon", "greedy", "boost", "auction")) + "\n")
print("all exact solvers agree" if ok else "exact solvers DISAGREE (see stderr)")
sys.exit(0 if ok else 1)
PY
if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal png size 900,600
set output "$out.png"
set logscale xy
set xlabel "candidate edges"
set ylabel "solve time (s)"
set key left top
plot "$out.dat" using 1:2 with linespoints title "ours (augmenting paths + certificate)", \
     "$out.dat" using 1:6 with linespoints title "our auction (second backend)", \
     "$out.dat" using 1:3 with linespoints title "LEMON NetworkSimplex", \
     "$out.dat" using 1:4 with linespoints title "greedy", \
     "$out.dat" using 1:5 with linespoints title "Boost SSP"
GP
  echo "plot: $out.png" >&2
fi
