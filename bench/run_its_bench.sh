#!/bin/sh
# Runs the ITS benchmark and its two peers and prints the speed ratios. The
# headline ratios are against peers that produce what fit_its does for every
# parameter (estimate, SE, t, p-value, 95% interval); the peers are also run
# with --se-only (fit and Newey-West SEs only), and those ratios are printed
# alongside.
#
# The machine is shared: any one run can fall in a busy moment and come out
# slow. ROUNDS rounds run one after another, each round timing taeval and
# then every peer on the same core. The summary gives, per tool, its best
# rate over the rounds (the least disturbed run, as timeit and pyperf
# advise) and the ratios of those bests; and the lowest, median and highest
# of the ratios taken within each round.
#
# Builds nothing: configure and build build/h3-rel first, e.g.
#   cmake -S . -B build/h3-rel -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
#         -DTAEVAL_BUILD_TESTS=OFF -DTAEVAL_BUILD_BENCH=ON
#   cmake --build build/h3-rel -j2 --target its_bench
# Usage: bench/run_its_bench.sh [BUILD_DIR] [SERIES] [SAMPLE] [ROUNDS]
set -eu
build=${1:-build/h3-rel}
series=${2:-100000}
sample=${3:-2000}
rounds=${4:-5}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
csv="$out/sample.csv"

. "$here/common.sh"
one_core  # pin to CPU 0, no BLAS threads in the peers

rate() { sed -n 's/.* \([0-9.]*\) series\/s$/\1/p' "$1" | head -1; }
round=1
while [ "$round" -le "$rounds" ]; do
    echo "--- round $round of $rounds"
    $pin "$build/bench/its_bench" --series "$series" --sample "$sample" --sample-out "$csv" | tee "$out/taeval.txt"
    $pin Rscript "$here/its_peer.R" "$csv" | tee "$out/r.txt"
    $pin /usr/bin/python3 "$here/its_peer.py" "$csv" | tee "$out/py.txt"
    $pin Rscript "$here/its_peer.R" "$csv" 24 --se-only | tee "$out/r_se.txt"
    $pin /usr/bin/python3 "$here/its_peer.py" "$csv" 24 --se-only | tee "$out/py_se.txt"
    t=$(rate "$out/taeval.txt"); r=$(rate "$out/r.txt"); p=$(rate "$out/py.txt")
    rs=$(rate "$out/r_se.txt"); ps=$(rate "$out/py_se.txt")
    awk -v t="$t" -v r="$r" -v p="$p" -v rs="$rs" -v ps="$ps" 'BEGIN {
      printf "series/s: taeval %.0f, R %.1f, statsmodels %.1f (SE only: R %.1f, statsmodels %.1f)\n", t, r, p, rs, ps
      printf "ratio, same outputs: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / r, t / p
      printf "ratio, peers SE only: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / rs, t / ps
      printf "%f %f %f %f %f %f %f %f %f\n", t, t / r, t / p, t / rs, t / ps, r, p, rs, ps > "/dev/stderr"
    }' 2>>"$out/rounds.txt"
    round=$((round + 1))
done

# Lowest, median and highest of column $1 of the rounds.
spread() {
    sort -g -k "$1" "$out/rounds.txt" | awk -v c="$1" -v fmt="$2" '{v[NR] = $c}
      END {printf fmt, v[1], v[int((NR + 1) / 2)], v[NR]}'
}
echo "=== $rounds rounds"
awk '{for (c = 1; c <= 9; ++c) if ($c > best[c]) best[c] = $c}
  END {
    printf "best series/s: taeval %.0f, R %.1f, statsmodels %.1f (SE only: R %.1f, statsmodels %.1f)\n",
           best[1], best[6], best[7], best[8], best[9]
    printf "ratio of bests, same outputs: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", best[1] / best[6], best[1] / best[7]
    printf "ratio of bests, SE-only peers: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", best[1] / best[8], best[1] / best[9]
  }' "$out/rounds.txt"
echo "ratios within a round: lowest, median, highest"
spread 2 "same outputs, taeval/R: %.0fx, %.0fx, %.0fx\n"
spread 3 "same outputs, taeval/statsmodels: %.0fx, %.0fx, %.0fx\n"
spread 4 "SE-only peers, taeval/R: %.0fx, %.0fx, %.0fx\n"
spread 5 "SE-only peers, taeval/statsmodels: %.0fx, %.0fx, %.0fx\n"
