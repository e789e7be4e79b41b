"""Peer of bench/its_bench.cpp: the same ITS fits with statsmodels OLS and HAC
(Newey-West) errors on the sample CSV it writes.

Usage: /usr/bin/python3 bench/its_peer.py SAMPLE.csv [BREAK]
"""
import math
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm


def main() -> None:
    path = sys.argv[1]
    brk = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    d = pd.read_csv(path)
    groups = [g for _, g in d.groupby("series", sort=True)]
    start = time.perf_counter()
    cpu0 = time.process_time()  # CPU time, as the C++ driver measures
    total = 0.0
    for g in groups:
        t = g["t"].to_numpy(dtype=float)
        y = g["y"].to_numpy(dtype=float)
        X = np.column_stack([np.ones_like(t), t, (t >= brk).astype(float), np.where(t >= brk, t - brk, 0.0)])
        keep = ~np.isnan(y)
        n = int(keep.sum())
        lags = math.floor(4 * (n / 100) ** (2 / 9))
        # Rows are taken as consecutive (statsmodels' HAC has no gap handling).
        res = sm.OLS(y[keep], X[keep]).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False})
        if n == len(y):
            total += float(res.bse[2])
    wall = time.perf_counter() - start
    secs = time.process_time() - cpu0
    print(f"statsmodels {statsmodels.__version__}: {len(groups)} series: wall {wall:.3f} s, cpu {secs:.3f} s, "
          f"{len(groups) / secs:.1f} series/s")
    print(f"statsmodels checksum (sum of level SE, complete series): {total:.10g}")


if __name__ == "__main__":
    main()
