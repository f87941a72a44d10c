#!/usr/bin/env bash
# The batch end to end on the generator's presets, with the peer column: one line per preset with
# the phases of `clausematch batch` (its summary.json), the process's wall time, CPU time and peak
# memory (/usr/bin/time -v), and the same candidate network solved from its DIMACS file by ours
# and by LEMON's NetworkSimplex (bench_assignment --dimacs). Writes OUT.jsonl, prints a Markdown
# table and, with gnuplot, plots OUT.png (batch time against participants, log-log).
#
#   bench/run_presets.sh [OUT] [PRESETS...]
#   bench/run_presets.sh build/presets "departement region"
#   PEER=0 bench/run_presets.sh build/presets national      # no network file, no LEMON
#
# PEER (default 1) writes the network with a second batch run (`--write-network`, not timed) and
# solves it with both solvers; above 120M candidate pairs LEMON is skipped (108 bytes per edge
# measured in bench/README.md: it would not fit in memory). WORK (default /tmp/clausematch-presets)
# holds the datasets and outputs. Expects build/release/api/clausematch and
# build/release/bench/bench_assignment (`cmake --preset release -DCLAUSEMATCH_BUILD_BENCH=ON`).
# Records `uptime` before and after each batch (the machine's load).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/presets}
presets=${2:-"departement region"}
bin=${CLAUSEMATCH:-build/release/api/clausematch}
bench=${BENCH_ASSIGNMENT:-build/release/bench/bench_assignment}
work=${WORK:-/tmp/clausematch-presets}
peer=${PEER:-1}
mkdir -p "$(dirname "$out")" "$work"
: > "$out.jsonl"
for preset in $presets; do
  data=$work/d_$preset
  [[ -d $data ]] || "$bin" generate --preset "$preset" --format bin --out "$data" > "$work/generate_$preset.log" 2>&1
  rm -rf "$work/o_$preset"
  load_before=$(uptime | sed 's/.*load average: //')
  echo "batch --preset $preset, load: $load_before" >&2
  /usr/bin/time -v -o "$work/time_$preset.txt" "$bin" batch --data "$data" --out "$work/o_$preset" \
    > "$work/batch_$preset.out" 2> "$work/batch_$preset.err"
  load_after=$(uptime | sed 's/.*load average: //')
  peer_lines=""
  if [[ $peer == 1 ]]; then
    "$bin" batch --data "$data" --out "$work/net_$preset" --no-state --write-network "$work/$preset.dimacs" \
      > /dev/null 2>&1
    edges=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['candidate_pairs'])" \
      "$work/net_$preset/summary.json")
    for solver in ours lemon; do
      if [[ $solver == lemon && $edges -gt 120000000 ]]; then continue; fi
      peer_lines+=$("$bench" --dimacs "$work/$preset.dimacs" --solver "$solver")$'\n'
    done
    rm -f "$work/$preset.dimacs"
  fi
  python3 - "$preset" "$work" "$load_before" "$load_after" "$peer_lines" >> "$out.jsonl" <<'PY'
import json, re, sys
preset, work, load_before, load_after, peer = sys.argv[1:6]
summary = json.load(open(f"{work}/o_{preset}/summary.json"))
timing = open(f"{work}/time_{preset}.txt").read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", timing).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall_s = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
line = {
    "preset": preset, "participants": summary["participants"], "openings": summary["openings"],
    "positions": summary["positions"], "candidate_pairs": summary["candidate_pairs"],
    "pairs_in_reach": summary.get("pairs_in_reach"), "wall_s": wall_s,
    "cpu_s": float(field("User time (seconds)")) + float(field("System time (seconds)")),
    "peak_rss_bytes": int(field("Maximum resident set size (kbytes)")) * 1024,
    "phases_s": summary["seconds"], "certificate": summary.get("certificate"),
    "load_before": load_before, "load_after": load_after,
}
for l in peer.splitlines():
    if l.strip():
        r = json.loads(l)
        line["peer_" + r["solver"]] = {k: r[k] for k in ("solve_s", "solve_cpu_s", "check_s", "cost", "certified",
                                                         "peak_bytes_per_edge", "edges")}
print(json.dumps(line))
PY
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = [json.loads(l) for l in open(out + ".jsonl") if l.strip()]
print("| preset | participants | openings | candidate pairs | load s | index s | graph s | solve + certificate s | outputs, state s | batch wall s | batch CPU s | peak RSS GB | bytes / pair | ours solve s (network file) | LEMON solve s | LEMON / ours | load average |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in runs:
    p = r["phases_s"]
    known = sum(p.get(k, 0) for k in ("load", "matcher_index", "candidate_graph", "solve_and_certify"))
    ours, lemon = r.get("peer_ours"), r.get("peer_lemon")
    same = ours and lemon and ours["cost"] == lemon["cost"]
    ratio = f"{lemon['solve_s'] / ours['solve_s']:.1f}" if same and ours["solve_s"] > 0 else "-"
    cells = [r["preset"], f"{r['participants']:,}", f"{r['openings']:,}", f"{r['candidate_pairs']:,}",
             f"{p.get('load', 0):.2f}", f"{p.get('matcher_index', 0):.2f}", f"{p.get('candidate_graph', 0):.2f}",
             f"{p.get('solve_and_certify', 0):.2f}", f"{r['wall_s'] - known:.2f}", f"{r['wall_s']:.1f}",
             f"{r['cpu_s']:.1f}", f"{r['peak_rss_bytes'] / 1e9:.2f}",
             f"{r['peak_rss_bytes'] / max(r['candidate_pairs'], 1):.0f}",
             f"{ours['solve_s'] + ours['check_s']:.2f}" if ours else "-",
             f"{lemon['solve_s']:.2f}" if lemon else "-", ratio,
             f"{r['load_before']} → {r['load_after']}"]
    print("| " + " | ".join(cells) + " |")
    if ours and lemon and not same:
        print(f"MISMATCH: ours {ours['cost']} LEMON {lemon['cost']} on {r['preset']}", file=sys.stderr)
        sys.exit(1)
PY
if command -v gnuplot > /dev/null; then
  python3 -c "
import json, sys
for l in open(sys.argv[1] + '.jsonl'):
    r = json.loads(l)
    print(r['participants'], r['wall_s'], r['cpu_s'], r['phases_s'].get('candidate_graph', 0), r['preset'])
" "$out" > "$out.dat"
  gnuplot <<EOF
set terminal pngcairo size 900,560 font "DejaVu Sans,11"
set output "$out.png"
set title "clausematch batch end to end against participants (2 cores)"
set xlabel "participants"
set ylabel "seconds"
set logscale xy
set grid
set key top left
plot "$out.dat" using 1:2 with linespoints pt 7 title "batch wall", \
     "$out.dat" using 1:3 with linespoints pt 5 title "batch CPU (user + sys)", \
     "$out.dat" using 1:4 with linespoints pt 9 title "candidate graph (wall)", \
     "$out.dat" using 1:2:5 with labels offset 0,1 notitle
EOF
  echo "plot: $out.png" >&2
fi
