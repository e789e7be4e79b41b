"""Peer of bench/its_bench.cpp: the same ITS fits with statsmodels OLS and HAC
(Newey-West) errors on the sample CSV it writes.

Usage: /usr/bin/python3 bench/its_peer.py SAMPLE.csv [--breaks B] [--season P] [--se-only]

The design is that of models::its_design: intercept, time, a level and a
slope change for each of the B breaks (break j of B in a series of T points
at row floor(j T / (B + 1)), as its_bench places them) and, with a season
period P (4 or 12), dummies for seasons 1 .. P - 1 of t mod P.

statsmodels computes p-values and confidence intervals lazily; by default
this peer asks each fit for its standard errors, t statistics, p-values and
95% intervals, as taeval's fit_its returns them. --se-only stops at the HAC
covariance and standard errors (the earlier, lighter peer).
"""
import math
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm


def design(t: np.ndarray, n_breaks: int, season: int) -> np.ndarray:
    points = len(t)
    cols = [np.ones_like(t), t]
    for j in range(1, n_breaks + 1):
        b = j * points // (n_breaks + 1)
        cols += [(t >= b).astype(float), np.where(t >= b, t - b, 0.0)]
    for s in range(1, season):
        cols.append((t.astype(int) % season == s).astype(float))
    return np.column_stack(cols)


def main() -> None:
    args = sys.argv[1:]
    se_only = "--se-only" in args
    path = args[0]
    n_breaks = int(args[args.index("--breaks") + 1]) if "--breaks" in args else 1
    season = int(args[args.index("--season") + 1]) if "--season" in args else 0
    d = pd.read_csv(path)
    # The series as numpy arrays before the clock starts: taeval's driver
    # times the fits of series already in memory, not reading them.
    groups = [(g["t"].to_numpy(dtype=float), g["y"].to_numpy(dtype=float)) for _, g in d.groupby("series", sort=True)]
    start = time.perf_counter()
    cpu0 = time.process_time()  # CPU time, as the C++ driver measures
    total = 0.0
    p_total = 0.0
    ci_total = 0.0
    for t, y in groups:
        X = design(t, n_breaks, season)
        keep = ~np.isnan(y)
        n = int(keep.sum())
        lags = math.floor(4 * (n / 100) ** (2 / 9))
        # Rows are taken as consecutive (statsmodels' HAC has no gap handling).
        # use_t: p-values and intervals from t(n - k), as taeval and R (the
        # default for HAC is the normal).
        res = sm.OLS(y[keep], X[keep]).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False},
                                           use_t=True)
        if not se_only:
            out = (res.bse, res.tvalues, res.pvalues, res.conf_int(alpha=0.05))
            if n == len(y):
                p_total += float(out[2][2])
                ci_total += float(out[3][2, 1])
        if n == len(y):
            total += float(res.bse[2])
    wall = time.perf_counter() - start
    secs = time.process_time() - cpu0
    what = " (SE only)" if se_only else " with t, p-values and intervals"
    print(f"statsmodels {statsmodels.__version__}{what}: {len(groups)} series: wall {wall:.3f} s, cpu {secs:.3f} s, "
          f"{len(groups) / secs:.1f} series/s")
    print(f"statsmodels checksum (sum of level SE, complete series): {total:.10g}")
    if not se_only:
        print(f"statsmodels inference checksum (level p-values, 95% upper bounds): {p_total:.10g} {ci_total:.10g}")


if __name__ == "__main__":
    main()
