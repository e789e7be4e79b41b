#!/bin/sh
# Runs the ITS benchmark and its two peers over a grid of series shapes and
# prints the speed ratios. The headline ratios are against peers that
# produce what fit_its does for every parameter (estimate, SE, t, p-value,
# 95% interval); with SE_ONLY=1 the peers are also run with --se-only (fit
# and Newey-West SEs only), and those ratios are printed alongside.
#
# A shape is T:B:P[:C], T points, B breaks spread over the series, season
# period P (0, 4 or 12; P - 1 seasonal dummies), a fraction C of the series
# without gaps (its_bench --complete; default 0.5, so that long series have
# complete ones for the SE checksum). SHAPES (a space-separated list)
# defaults to the shapes evaluate fits on the series `taeval generate`
# makes (bench/README.md): yearly 8 points, quarterly 32, monthly 96 and 240,
# with one to three breaks, plus the 48-point, one-break series of the
# earlier tables (48:1:0:0, the same series) and 240 points with three
# breaks and no seasons (evaluate refits without seasonal dummies when they
# do not help).
#
# The machine is shared: any one run can fall in a busy moment and come out
# slow. ROUNDS rounds run one after another; each round times, shape by
# shape, taeval and then every peer on the same core. The summary gives, per
# shape and tool, its best rate over the rounds (the least disturbed run, as
# timeit and pyperf advise) and the ratios of those bests; and the lowest,
# median and highest of the ratios taken within each round.
#
# Builds nothing: configure and build build/h3-rel first, e.g.
#   cmake -S . -B build/h3-rel -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
#         -DTAEVAL_BUILD_TESTS=OFF -DTAEVAL_BUILD_BENCH=ON
#   cmake --build build/h3-rel -j2 --target its_bench
# Usage: [SHAPES="48:1:0 240:3:12"] [SE_ONLY=1] bench/run_its_bench.sh [BUILD_DIR] [SERIES] [SAMPLE] [ROUNDS]
set -eu
build=${1:-build/h3-rel}
series=${2:-20000}
sample=${3:-500}
rounds=${4:-5}
shapes=${SHAPES:-"48:1:0:0 8:1:0 8:2:0 32:1:4 32:2:4 32:3:4 96:1:12 96:2:12 96:3:12 240:1:12 240:2:12 240:3:12 240:3:0"}
se_only=${SE_ONLY:-0}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
csv="$out/sample.csv"

. "$here/common.sh"
one_core  # pin to CPU 0, no BLAS threads in the peers

rate() { sed -n 's/.* \([0-9.]*\) series\/s$/\1/p' "$1" | head -1; }
round=1
while [ "$round" -le "$rounds" ]; do
    for shape in $shapes; do
        IFS=: read -r points breaks season complete <<SHAPE
$shape
SHAPE
        shape_args="--breaks $breaks --season $season"
        echo "--- round $round of $rounds, $points points, $breaks break(s), season $season"
        $pin "$build/bench/its_bench" --series "$series" --sample "$sample" --sample-out "$csv" \
            --points "$points" --complete "${complete:-0.5}" $shape_args | tee "$out/taeval.txt"
        $pin Rscript "$here/its_peer.R" "$csv" $shape_args | tee "$out/r.txt"
        $pin /usr/bin/python3 "$here/its_peer.py" "$csv" $shape_args | tee "$out/py.txt"
        rs=0 ps=0
        if [ "$se_only" = 1 ]; then
            $pin Rscript "$here/its_peer.R" "$csv" $shape_args --se-only | tee "$out/r_se.txt"
            $pin /usr/bin/python3 "$here/its_peer.py" "$csv" $shape_args --se-only | tee "$out/py_se.txt"
            rs=$(rate "$out/r_se.txt"); ps=$(rate "$out/py_se.txt")
        fi
        t=$(rate "$out/taeval.txt"); r=$(rate "$out/r.txt"); p=$(rate "$out/py.txt")
        awk -v s="$shape" -v t="$t" -v r="$r" -v p="$p" -v rs="$rs" -v ps="$ps" 'BEGIN {
          printf "series/s: taeval %.0f, R %.1f, statsmodels %.1f\n", t, r, p
          printf "ratio, same outputs: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / r, t / p
          if (rs > 0) printf "ratio, peers SE only: taeval/R = %.0fx, taeval/statsmodels = %.0fx\n", t / rs, t / ps
          printf("%s %f %f %f %f %f %f %f %f %f\n", s, t, t / r, t / p, (rs > 0 ? t / rs : 0), (ps > 0 ? t / ps : 0),
                 r, p, rs, ps) > "/dev/stderr"
        }' 2>>"$out/rounds.txt"
    done
    round=$((round + 1))
done

# Lowest, median and highest of column $2 of the rounds of shape $1.
spread() {
    awk -v s="$1" '$1 == s' "$out/rounds.txt" | sort -g -k "$2" | awk -v c="$2" '{v[NR] = $c}
      END {printf "%.0fx %.0fx %.0fx", v[1], v[int((NR + 1) / 2)], v[NR]}'
}
echo "=== $rounds rounds; per shape (T:B:P[:C] = points, breaks, season period[, complete]; k parameters):"
echo "shape k | best series/s: taeval, R, statsmodels | ratio of bests: /R, /statsmodels | within a round, /statsmodels: lowest median highest | /R: lowest median highest"
for shape in $shapes; do
    best=$(awk -v s="$shape" '$1 == s {for (c = 2; c <= 10; ++c) if ($c > b[c]) b[c] = $c}
      END {split(s, f, ":"); k = 2 + 2 * f[2] + (f[3] > 0 ? f[3] - 1 : 0)
           printf "%s %d | %.0f %.1f %.1f | %.0fx %.0fx", s, k, b[2], b[7], b[8], b[2] / b[7], b[2] / b[8]
           if (b[9] > 0) printf " | SE-only peers: %.1f %.1f, %.0fx %.0fx", b[9], b[10], b[2] / b[9], b[2] / b[10]}' \
      "$out/rounds.txt")
    echo "$best | $(spread "$shape" 4) | $(spread "$shape" 3)"
done
