#!/usr/bin/python3
"""Peer of bench/local_level_bench.cpp: statsmodels' UnobservedComponents
('local level', exact diffuse initialisation, the same likelihood) on the
sample of series the C++ benchmark wrote. Prints series per second and how
far its optimum is from taeval's (log-likelihood and variances).

Usage: local_level_peer.py SAMPLE_CSV
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

warnings.simplefilter("ignore")
df = pd.read_csv(sys.argv[1])
groups = [g for _, g in df.groupby("series", sort=True)]
ours = [(g["sigma2_epsilon"].iloc[0], g["sigma2_level"].iloc[0], g["loglik"].iloc[0]) for g in groups]

start = time.perf_counter()
fits = []
for g in groups:
    mod = sm.tsa.UnobservedComponents(g["y"].to_numpy(), level="llevel", use_exact_diffuse=True)
    fits.append(mod.fit(disp=False))
seconds = time.perf_counter() - start

dll = np.array([f.llf - o[2] for f, o in zip(fits, ours)])
rel_eps = np.array([abs(f.params[0] - o[0]) / o[0] for f, o in zip(fits, ours)])
print(f"statsmodels {statsmodels.__version__}: loglik statsmodels - taeval: max {dll.max():.2e}, "
      f"min {dll.min():.2e}; sigma2_epsilon median relative difference {np.median(rel_eps):.1e}")
print(f"statsmodels local level: {len(groups)} series, {seconds:.3f} s, {len(groups) / seconds:.1f} series/s")
