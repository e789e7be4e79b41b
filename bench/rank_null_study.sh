#!/usr/bin/env bash
# Do interventions with a planted zero effect rise in `graph rank`?
# For each seed: `taeval generate` (default size), import, evaluate, then
# `graph rank --format json`; counts the interventions of the generator's
# null kinds (truth.json "null_kinds") among the top tenth of the ranked
# interventions (rank >= 1, ordered by total), and where the first of them
# stands.
#   bench/rank_null_study.sh [SEEDS...]        (default 1..10)
# TAEVAL=path/to/taeval uses an existing optimised build.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
taeval_binary
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3 4 5 6 7 8 9 10)
out=bench/results/rank-null
mkdir -p "$out"
for seed in "${seeds[@]}"; do
    dir="$out/seed-$seed"
    rm -rf "$dir"
    "$taeval" generate --seed "$seed" --out "$dir/bundle" >/dev/null
    "$taeval" --db "$dir/e.db" import "$dir/bundle" >/dev/null
    "$taeval" --db "$dir/e.db" evaluate >/dev/null
    "$taeval" --db "$dir/e.db" graph rank --format json > "$dir/rank.json"
    python3 - "$seed" "$dir/bundle/truth.json" "$dir/rank.json" <<'PY'
import json, math, sys
seed, truth, rank = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
null_kinds = set(truth["null_kinds"])
ranked = sorted((r for r in rank if r["rank"] is not None), key=lambda r: r["rank"])
top = ranked[:max(1, math.ceil(len(ranked) / 10))]
nulls_top = [r["intervention"] for r in top if r["kind"] in null_kinds]
first = next((r["rank"] for r in ranked if r["kind"] in null_kinds and r["total"] != 0), None)
print(f"seed {seed}: {len(ranked)} ranked, top tenth {len(top)}, null-kind in top tenth: {len(nulls_top)} "
      f"{nulls_top}; first null-kind with a non-zero total at rank {first}")
PY
done
