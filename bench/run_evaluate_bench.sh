#!/usr/bin/env bash
# Evaluate benchmark (issue 6): `taeval evaluate` on a generated portfolio of
# over a million monthly observations, as a whole process: wall time, series
# per second, peak memory and the time of each stage (load, models, FDR,
# store, from the command's own report).
#   bench/run_evaluate_bench.sh [THREADS] [large]     (default 2)
# `large` uses the issue's 10.7M-observation portfolio (400 indicators, 600
# projects, 15,000 interventions) in bench/results/evaluate-large: about
# 0.5 GB of database, and minutes of both cores per run.
# TAEVAL=path/to/taeval uses an existing optimised build. The bundle and its
# database are kept in bench/results/evaluate (the import is not timed here;
# bench/run_import_bench.sh times imports).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
size=${2:-}
out=bench/results/evaluate
indicators=40 projects=60 interventions=1500
if [ "$size" = large ]; then
    out=bench/results/evaluate-large
    indicators=400 projects=600 interventions=15000
fi
mkdir -p "$out"

. bench/common.sh
taeval_binary  # TAEVAL=path/to/taeval uses an existing optimised build

if [ ! -f "$out/bundle/observations.csv" ]; then
    "$taeval" generate --seed 7 --out "$out/bundle" --states 120 --indicators "$indicators" --years 20 \
        --frequency month --projects "$projects" --interventions "$interventions" >/dev/null
fi
if [ ! -f "$out/e.db" ]; then
    "$taeval" --db "$out/e.db" import "$out/bundle" >/dev/null
fi

rows=$(( $(wc -l < "$out/bundle/observations.csv") - 1 ))
links=$(( $(wc -l < "$out/bundle/links.csv") - 1 ))
/usr/bin/time -f "%e %M" -o "$out/time.txt" \
    "$taeval" --db "$out/e.db" evaluate --threads "$threads" --format json > "$out/report.json"
read -r wall peak_kb < "$out/time.txt"
field() { sed -n "s/.*\"$1\": *\([0-9.e+-]*\).*/\1/p" "$out/report.json" | head -1; }

awk -v rows="$rows" -v links="$links" -v threads="$threads" -v wall="$wall" -v kb="$peak_kb" \
    -v series="$(field series)" -v effects="$(field effects)" -v tried="$(field suggested_tried)" \
    -v load="$(field load)" -v model="$(field model)" -v fdr="$(field fdr)" -v store="$(field store)" 'BEGIN {
    printf "observations: %d, declared links: %d, threads: %d\n", rows, links, threads
    printf "series modelled: %d, declared effects: %d, suggested links tried: %d\n", series, effects, tried
    printf "wall time: %.2f s (%.0f series/s), peak memory: %.1f MiB\n", wall, series / wall, kb / 1024
    printf "stages: load %.2f s, models %.2f s, FDR %.3f s, store %.2f s\n", load, model, fdr, store
}'
