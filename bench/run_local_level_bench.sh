#!/bin/sh
# Runs the local-level benchmark and its statsmodels peer in one go and prints
# the speed ratio. Configures and builds build/h4-rel (Release, -O2) when the
# benchmark binary is missing.
# Usage: bench/run_local_level_bench.sh [BUILD_DIR] [SERIES] [SAMPLE]
set -eu
build=${1:-build/h4-rel}
series=${2:-10000}
sample=${3:-200}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ ! -x "$build/bench/local_level_bench" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O2 \
    -DTAEVAL_BUILD_TESTS=OFF -DTAEVAL_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target local_level_bench
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
csv="$out/sample.csv"

. "$here/common.sh"
one_core  # pin to CPU 0, no BLAS threads in the peers

$pin "$build/bench/local_level_bench" --series "$series" --sample "$sample" --sample-out "$csv" | tee "$out/taeval.txt"
$pin /usr/bin/python3 "$here/local_level_peer.py" "$csv" | tee "$out/py.txt"

rate() { sed -n 's/.* \([0-9.]*\) series\/s$/\1/p' "$1" | head -1; }
t=$(rate "$out/taeval.txt"); p=$(rate "$out/py.txt")
awk -v t="$t" -v p="$p" 'BEGIN {
  printf "series/s: taeval %.0f, statsmodels %.1f\n", t, p
  printf "ratio: taeval/statsmodels = %.0fx\n", t / p
}'
