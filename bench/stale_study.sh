#!/usr/bin/env bash
# How often does `stale` fire on the demo portfolio, inside and outside the
# reporting stops its generator planted (truth.json "reporting_gaps": a
# state stops reporting every indicator for six to fifteen months), for
# --stale-after 1, 2 and 3? Scores the portfolio as of every quarter's end
# from 2019 to 2024. Outside a stop only the random missing periods (about
# 10%) can make a series stale: those are false alarms.
#   bench/stale_study.sh
# TAEVAL=path/to/taeval uses an existing build.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
taeval_binary
out=bench/results/stale
mkdir -p "$out"
rm -f "$out/demo.db"
"$taeval" --db "$out/demo.db" import datasets/demo >/dev/null
python3 - "$taeval" "$out/demo.db" datasets/demo/truth.json <<'PY'
import collections, datetime, json, subprocess, sys
taeval, db, truth = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
stops = collections.defaultdict(list)
for g in truth["reporting_gaps"]:
    stops[g["state"]].append((datetime.date.fromisoformat(g["from"]), datetime.date.fromisoformat(g["to"])))
dates = [datetime.date(y, m, d) for y in range(2019, 2025) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
for k in (1, 2, 3):
    rows = inside = stale_inside = stale_outside = 0
    for day in dates:
        out = subprocess.run([taeval, "--db", db, "score", "--as-of", day.isoformat(), "--stale-after", str(k),
                              "--format", "json"], capture_output=True, text=True, check=True).stdout
        for r in json.loads(out):
            rows += 1
            stopped = any(a <= day <= b for a, b in stops.get(r["state"], []))
            inside += stopped
            if r["status"] == "stale":
                stale_inside += stopped
                stale_outside += not stopped
    print(f"k={k}: {rows} rows, {inside} inside a planted stop; stale inside {stale_inside} "
          f"({stale_inside / inside:.2f}), stale outside {stale_outside} ({stale_outside / (rows - inside):.3f})")
PY
