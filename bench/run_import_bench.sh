#!/usr/bin/env bash
# Import benchmark: taeval's validated import of a generated portfolio of
# over 2 million observations, side by side in the same run with the sqlite3
# shell's raw `.import` of the same observations.csv (no validation, no
# keys). Reports rows per second, the ratio, and peak memory at two file
# sizes (memory must stay flat: the import streams).
#   bench/run_import_bench.sh [RUNS]      (default 3 runs each; median shown)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=bench/results/import
mkdir -p "$out"

. bench/common.sh
taeval_binary  # TAEVAL=path/to/taeval uses an existing optimised build

gen() {  # gen NAME YEARS
    [ -f "$out/$1/observations.csv" ] || \
        "$taeval" generate --seed 20261128 --out "$out/$1" --states 200 --indicators 60 --years "$2" \
            --frequency month >/dev/null
}
gen big 20
gen half 10

measure() {  # measure LABEL COMMAND... -> prints "seconds peak_kb"
    shift  # the label is for the reader of this script
    local best=()
    for _ in $(seq "$runs"); do
        rm -f "$out"/t.db "$out"/t.db-wal "$out"/t.db-shm
        /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null
        best+=("$(cat "$out/time.txt")")
    done
    printf '%s\n' "${best[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

rows=$(( $(wc -l < "$out/big/observations.csv") - 1 ))
half_rows=$(( $(wc -l < "$out/half/observations.csv") - 1 ))
read -r t_taeval m_taeval < <(measure taeval "$taeval" --db "$out/t.db" import "$out/big")
read -r t_sqlite m_sqlite < <(measure sqlite3 sqlite3 "$out/t.db" ".import --csv $out/big/observations.csv observations")
read -r t_half m_half < <(measure taeval-half "$taeval" --db "$out/t.db" import "$out/half")
rm -f "$out"/t.db "$out"/t.db-wal "$out"/t.db-shm "$out/time.txt"

awk -v rows="$rows" -v half="$half_rows" -v tt="$t_taeval" -v ts="$t_sqlite" -v th="$t_half" \
    -v mt="$m_taeval" -v ms="$m_sqlite" -v mh="$m_half" 'BEGIN {
    printf "observations: %d (half-size file: %d)\n", rows, half
    printf "%-34s %9s %12s %10s\n", "", "seconds", "rows/s", "peak MiB"
    printf "%-34s %9.2f %12.0f %10.1f\n", "taeval import (whole bundle)", tt, rows / tt, mt / 1024
    printf "%-34s %9.2f %12.0f %10.1f\n", "sqlite3 .import observations.csv", ts, rows / ts, ms / 1024
    printf "%-34s %9.2f %12.0f %10.1f\n", "taeval import, half-size bundle", th, half / th, mh / 1024
    printf "ratio taeval / sqlite3 time: %.2f\n", tt / ts
}'
