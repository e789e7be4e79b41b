#!/usr/bin/python3
"""Reference values for taeval's linear-hypothesis tests on a fitted
regression (models/contrast.hpp: t_test and wald_test, the shape of
statsmodels' results.t_test and results.wald_test), computed once with
statsmodels on mtcars (datasets/reference/robust_mtcars/data.csv):
OLS of mpg on an intercept, wt, hp and carb, classical covariance. Writes
datasets/reference/contrasts_mtcars/expected.json. Run from the repository
root:
    /usr/bin/python3 datasets/reference/scripts/contrasts_statsmodels.py
"""
import json
import sys

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm

DATA = "datasets/reference/robust_mtcars/data.csv"
OUT = "datasets/reference/contrasts_mtcars/expected.json"

d = np.genfromtxt(DATA, delimiter=",", names=True)
x = sm.add_constant(np.column_stack([d["wt"], d["hp"], d["carb"]]))
res = sm.OLS(d["mpg"], x).fit()

# Restrictions: single coefficients, a combination (the pipeline's "average
# effect" shape: b_j + c b_k), a difference, with and without q.
t_cases = {
    "single": {"r": [[0, 1, 0, 0], [0, 0, 1, 0]], "q": [0, 0]},
    "combination": {"r": [[0, 1, 5.5, 0], [0, 0, 1, -1]], "q": [0, 0]},
    "with_q": {"r": [[0, 1, 0, 0], [1, 0, 0, 0]], "q": [-3, 35]},
}
wald_cases = {
    "two_slopes": {"r": [[0, 0, 1, 0], [0, 0, 0, 1]], "q": [0, 0]},
    "three_with_q": {"r": [[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 1]], "q": [-3, 0, -3.5]},
    "one": {"r": [[0, 0, 0, 1]], "q": [0.5]},
}

out = {
    "script": "datasets/reference/scripts/contrasts_statsmodels.py",
    "software": {"python": sys.version.split()[0], "statsmodels": statsmodels.__version__,
                 "numpy": np.__version__, "scipy": scipy.__version__},
    "model": "OLS(mpg ~ 1 + wt + hp + carb, mtcars), classical covariance; "
             "results.t_test((R, q)), results.wald_test((R, q), use_f=True and use_f=False)",
    "names": ["intercept", "wt", "hp", "carb"],
    "params": list(res.params),
    "cov": res.cov_params().tolist(),
    "df_resid": res.df_resid,
    "alpha": 0.05,
    "t_test": {},
    "wald_test": {},
}
for name, c in t_cases.items():
    r, q = np.array(c["r"], float), np.array(c["q"], float)
    t = res.t_test((r, q))
    ci = t.conf_int(alpha=0.05)
    out["t_test"][name] = {
        "r": c["r"], "q": c["q"],
        "effect": list(np.ravel(t.effect)), "se": list(np.ravel(t.sd)),
        "stat": list(np.ravel(t.tvalue)), "p": list(np.ravel(t.pvalue)),
        "ci_low": list(ci[:, 0]), "ci_high": list(ci[:, 1]), "df": float(t.df_denom),
    }
for name, c in wald_cases.items():
    r, q = np.array(c["r"], float), np.array(c["q"], float)
    f = res.wald_test((r, q), use_f=True)
    chi = res.wald_test((r, q), use_f=False)
    out["wald_test"][name] = {
        "r": c["r"], "q": c["q"],
        "f": {"statistic": float(np.squeeze(f.statistic)), "df_num": float(f.df_num),
              "df_denom": float(f.df_denom), "p": float(f.pvalue)},
        "chi2": {"statistic": float(np.squeeze(chi.statistic)), "df": float(chi.df_denom),
                 "p": float(chi.pvalue)},
    }
with open(OUT, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
