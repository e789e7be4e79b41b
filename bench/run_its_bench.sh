#!/bin/sh
# Runs the ITS benchmark and its two peers in one go and prints the speed
# ratios. The headline ratios are against peers that produce what fit_its
# does for every parameter (estimate, SE, t, p-value, 95% interval); the
# peers are also run with --se-only (fit and Newey-West SEs only), and those
# ratios are printed alongside.
# Builds nothing: configure and build build/h3-rel first, e.g.
#   cmake -S . -B build/h3-rel -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O2 -DTAEVAL_BUILD_TESTS=OFF
#   cmake --build build/h3-rel -j2 --target its_bench
# Usage: bench/run_its_bench.sh [BUILD_DIR] [SERIES] [SAMPLE]
set -eu
build=${1:-build/h3-rel}
series=${2:-100000}
sample=${3:-500}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
csv="$out/sample.csv"

. "$here/common.sh"
one_core  # pin to CPU 0, no BLAS threads in the peers

$pin "$build/bench/its_bench" --series "$series" --sample "$sample" --sample-out "$csv" | tee "$out/taeval.txt"
$pin Rscript "$here/its_peer.R" "$csv" | tee "$out/r.txt"
$pin /usr/bin/python3 "$here/its_peer.py" "$csv" | tee "$out/py.txt"
$pin Rscript "$here/its_peer.R" "$csv" 24 --se-only | tee "$out/r_se.txt"
$pin /usr/bin/python3 "$here/its_peer.py" "$csv" 24 --se-only | tee "$out/py_se.txt"

rate() { sed -n 's/.* \([0-9.]*\) series\/s$/\1/p' "$1" | head -1; }
t=$(rate "$out/taeval.txt"); r=$(rate "$out/r.txt"); p=$(rate "$out/py.txt")
rs=$(rate "$out/r_se.txt"); ps=$(rate "$out/py_se.txt")
awk -v t="$t" -v r="$r" -v p="$p" -v rs="$rs" -v ps="$ps" 'BEGIN {
  printf "series/s: taeval %.0f, R %.1f, statsmodels %.1f (SE only: R %.1f, statsmodels %.1f)\n", t, r, p, rs, ps
  printf "ratio, same outputs: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / r, t / p
  printf "ratio, peers SE only: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / rs, t / ps
}'
