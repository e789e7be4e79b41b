#!/usr/bin/python3
"""Reference values for taeval's two-stage adaptive false discovery rate
procedure (Benjamini, Krieger and Yekutieli 2006), computed once with
statsmodels' multipletests(method="fdr_tsbky"). Writes
datasets/reference/fdr_bky/{data.csv, expected.json}. Run from the repository
root:
    /usr/bin/python3 datasets/reference/scripts/fdr_statsmodels.py
"""
import json
import sys

import numpy as np
import statsmodels
from statsmodels.stats.multitest import multipletests

OUT = "datasets/reference/fdr_bky"

# The 15 p-values of Benjamini and Hochberg (1995), as in fdr_bh1995.
bh1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
          0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0]
# A family with many true effects (the case the adaptive procedure is for),
# drawn once: 40 p-values of one-sided z tests, 25 under shifts of 1.5 to 4
# SDs and 15 null.
rng = np.random.default_rng(20261128)
from scipy.stats import norm
shifted = rng.uniform(1.5, 4.0, 25) + rng.standard_normal(25)
null = rng.standard_normal(15)
many = list(2 * norm.sf(np.abs(np.concatenate([shifted, null]))))
# No rejection at the first stage, and every p-value rejected.
none = [0.2, 0.5, 0.03, 0.9, 0.06]
every = [0.001, 0.002, 0.0005, 0.01]

cases = {"bh1995": bh1995, "many": many, "none": none, "every": every}
expected = {
    "script": "datasets/reference/scripts/fdr_statsmodels.py",
    "software": {"python": sys.version.split()[0], "statsmodels": statsmodels.__version__,
                 "numpy": np.__version__},
    "model": "multipletests(p, alpha, method='fdr_tsbky'): adjusted p-values (q) and rejections",
    "cases": {},
}
for name, p in cases.items():
    for alpha in (0.05, 0.10):
        rej, q, _, _ = multipletests(np.array(p), alpha=alpha, method="fdr_tsbky")
        expected["cases"][f"{name}_{alpha}"] = {
            "p": [float(v) for v in p], "alpha": alpha,
            "q": [float(v) for v in q], "rejected": [bool(v) for v in rej]}

with open(f"{OUT}/expected.json", "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
