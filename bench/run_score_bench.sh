#!/usr/bin/env bash
# Score benchmark: `taeval score` of the 1M-observation portfolio of
# bench/run_evaluate_bench.sh (seed 7, 120 states, 40 indicators, 20 years of
# months: 4,800 series), as a whole process, at the default as-of date and
# as of 2030-12-31 (six years before most targets: every series forecast).
#   bench/run_score_bench.sh [THREADS] [ROUNDS]      (default 1 thread, 3 rounds)
# TAEVAL=path/to/taeval uses an existing optimised build; BASE=path/to/taeval
# times another build in the same rounds, alternating with it (side by side
# on a shared machine). Prints per build and as-of date the best wall time of
# the rounds, the peak memory and the statuses.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
rounds=${2:-3}
out=bench/results/evaluate
mkdir -p "$out"

. bench/common.sh
taeval_binary  # TAEVAL=path/to/taeval uses an existing optimised build

if [ ! -f "$out/bundle/observations.csv" ]; then
    "$taeval" generate --seed 7 --out "$out/bundle" --states 120 --indicators 40 --years 20 \
        --frequency month --projects 60 --interventions 1500 >/dev/null
fi
if [ ! -f "$out/e.db" ]; then
    "$taeval" --db "$out/e.db" import "$out/bundle" >/dev/null
fi

builds=("$taeval")
[ -n "${BASE:-}" ] && builds+=("$BASE")
declare -A best peak statuses
for round in $(seq "$rounds"); do
    for b in "${builds[@]}"; do
        for asof in default 2030-12-31; do
            args=()
            [ "$asof" != default ] && args=(--as-of "$asof")
            /usr/bin/time -f "%e %M" -o "$out/score-time.txt" \
                "$b" --db "$out/e.db" score --threads "$threads" --format csv "${args[@]}" > "$out/score.csv"
            read -r wall kb < "$out/score-time.txt"
            key="$b|$asof"
            if [ -z "${best[$key]:-}" ] || awk -v a="$wall" -v b="${best[$key]}" 'BEGIN { exit !(a < b) }'; then
                best[$key]=$wall
            fi
            peak[$key]=$kb
            statuses[$key]=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i; next }
                                       { n[$c]++ } END { for (s in n) printf "%s %d, ", s, n[s] }' "$out/score.csv")
        done
    done
done
echo "rows: $(( $(wc -l < "$out/score.csv") - 1 )), threads: $threads, rounds: $rounds, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${builds[@]}"; do
    for asof in default 2030-12-31; do
        key="$b|$asof"
        printf '%s, as of %s: best %s s, peak %.1f MiB; %s\n' "$b" "$asof" "${best[$key]}" \
            "$(awk -v kb="${peak[$key]}" 'BEGIN { print kb / 1024 }')" "${statuses[$key]%, }"
    done
done
