"""The ITS model shapes of a generated bundle, for the grid of
run_its_bench.sh (bench/README.md): per indicator@state, the periods from
its first to its last report (T) and the breaks of the models evaluate fits
on it: the declared links' distinct start periods inside the grid, and, for
every distinct start of a suggested link (an intervention of the same state
and project area, not declared), those plus that start. An approximation of
engine/evaluation/pipeline.cpp: it leaves out the estimator's dropping of a
break with fewer than two reported periods on either side.

Usage: python3 bench/its_shapes.py BUNDLE_DIR
Prints: frequency, T, breaks, declared|suggested, number of fits.
"""
import collections
import csv
import sys


def main() -> None:
    d = sys.argv[1]
    rows = lambda name: csv.DictReader(open(f"{d}/{name}", newline=""))
    ind = {r["code"]: r for r in rows("indicators.csv")}
    proj = {r["code"]: r for r in rows("projects.csv")}
    ivs = {r["code"]: r for r in rows("interventions.csv")}
    per_year = {"year": 1, "quarter": 4, "month": 12}

    def of_date(freq: str, date: str) -> int:
        y, m = int(date[:4]), int(date[5:7])
        return y * per_year[freq] + (m - 1) * per_year[freq] // 12

    def of_label(freq: str, s: str) -> int:
        y = int(s[:4])
        if freq == "year":
            return y
        if freq == "quarter":
            return y * 4 + int(s[-1]) - 1
        return y * 12 + int(s[5:7]) - 1

    span = {}
    for r in rows("observations.csv"):
        key = (r["indicator"], r["state"])
        p = of_label(ind[r["indicator"]]["frequency"], r["period"])
        lo, hi = span.get(key, (p, p))
        span[key] = (min(lo, p), max(hi, p))
    declared = collections.defaultdict(list)
    declared_links = set()
    for r in rows("links.csv"):
        if "@" not in r["to"]:
            continue
        i, s = r["to"].split("@")
        declared[(i, s)].append(r["from"])
        declared_links.add((r["from"], i, s))
    by_state_area = collections.defaultdict(list)
    for c, iv in ivs.items():
        by_state_area[(iv["state"], proj[iv["project"]]["area"])].append(c)

    shapes = collections.Counter()
    for (i, s), (lo, hi) in span.items():
        f = ind[i]["frequency"]
        t = hi - lo + 1
        starts = lambda codes: {of_date(f, ivs[c]["start"]) - lo for c in codes} & set(range(1, t))
        dec = starts(declared.get((i, s), []))
        sug = starts(c for c in by_state_area.get((s, ind[i]["area"]), []) if (c, i, s) not in declared_links)
        if dec:
            shapes[(f, t, len(dec), "declared")] += 1
        for p in sug:
            shapes[(f, t, len(dec | {p}), "suggested")] += 1
    for k in sorted(shapes):
        print(*k, shapes[k])


if __name__ == "__main__":
    main()
