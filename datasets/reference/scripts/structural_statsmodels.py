#!/usr/bin/python3
"""Reference values for taeval's structural time-series models, computed once
with statsmodels' UnobservedComponents (exact diffuse initialisation) on public
datasets shipped with statsmodels. Writes datasets/reference/structural_sm/
{data.csv, expected.json}. Run from the repository root:
    /usr/bin/python3 datasets/reference/scripts/structural_statsmodels.py
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

OUT = "datasets/reference/structural_sm"

macro = sm.datasets.macrodata.load_pandas().data
co2 = sm.datasets.co2.load_pandas().data["co2"]             # weekly, Mauna Loa 1958-2001
co2m = co2.resample("M").mean().interpolate()

# Case series (same length is not needed; the CSV pads with empty cells).
gdp = 100 * np.log(macro["realgdp"].to_numpy())            # quarterly 1959Q1-2009Q3, 203
cons = 100 * np.log(macro["realcons"].to_numpy())
inc = 100 * np.log(macro["realdpi"].to_numpy())
co2_12 = co2m.to_numpy()[-120:].copy()                     # monthly means 1992-01 .. 2001-12
co2_12[[5, 6, 40, 41, 42, 100, 119]] = np.nan              # missing months, one at the end
co2_4 = co2m.resample("Q").mean().to_numpy()[-80:].copy()  # quarterly means, 80 quarters
co2_4[[0, 9, 10, 33, 60]] = np.nan

cases = {
    "gdp_trend": dict(y=gdp, kw=dict(level="lltrend"), exog=None),
    "co2_trend_season12": dict(y=co2_12, kw=dict(level="lltrend", seasonal=12), exog=None),
    "co2_level_season4": dict(y=co2_4, kw=dict(level="llevel", seasonal=4), exog=None),
    "cons_level_exog": dict(y=cons, kw=dict(level="llevel", mle_regression=False), exog=inc),
}

H = 8
expected = {
    "software": {"python": sys.version.split()[0], "statsmodels": statsmodels.__version__,
                 "numpy": np.__version__},
    "conventions": "UnobservedComponents(..., use_exact_diffuse=True); llf is the exact diffuse "
                   "log-likelihood (D&K 2012 eq. 7.2); regression coefficients as diffuse states "
                   "(mle_regression=False). 'fixed' entries are evaluated at the rounded (floored) variances "
                   "given there (smooth/filter/forecast), 'mle' at statsmodels' own optimum.",
    "cases": {},
}
for name, c in cases.items():
    y, exog = c["y"], c["exog"]
    mod = sm.tsa.UnobservedComponents(y, exog=exog, use_exact_diffuse=True, **c["kw"])
    res = mod.fit(method="lbfgs", maxiter=2000, disp=False)
    res = mod.fit(start_params=res.params, method="nm", maxiter=20000, disp=False)
    res = mod.fit(start_params=res.params, method="bfgs", maxiter=2000, disp=False, gtol=1e-10)
    names = list(mod.param_names)
    mle = {n: float(v) for n, v in zip(names, res.params)}
    # Fixed variances: the optimum rounded to 4 significant digits and kept
    # at least 1% of the largest (ML often puts a variance on the boundary
    # 0), so the comparison exercises every component and does not depend
    # on either optimiser.
    floor = 0.01 * res.params.max()
    fixed_params = np.array([float(f"{max(v, floor):.4g}") for v in res.params])
    fr = mod.smooth(fixed_params)
    ss = fr.smoothed_state
    sv = fr.smoothed_state_cov
    entry = {
        "model": c["kw"], "n": int(len(y)), "param_names": names,
        "mle": {"params": mle, "llf": float(res.llf)},
        "fixed": {"params": {n: float(v) for n, v in zip(names, fixed_params)},
                  "llf": float(fr.llf),
                  "smoothed_level": ss[0].tolist(), "smoothed_level_var": sv[0, 0].tolist()},
    }
    if c["kw"]["level"] == "lltrend":
        entry["fixed"]["smoothed_slope"] = ss[1].tolist()
        entry["fixed"]["smoothed_slope_var"] = sv[1, 1].tolist()
    if "seasonal" in c["kw"]:
        i = 2 if c["kw"]["level"] == "lltrend" else 1
        entry["fixed"]["smoothed_seasonal"] = ss[i].tolist()
        entry["fixed"]["smoothed_seasonal_var"] = sv[i, i].tolist()
    if exog is None:
        fc = fr.get_forecast(H)
        entry["fixed"]["forecast_mean"] = np.asarray(fc.predicted_mean).tolist()
        entry["fixed"]["forecast_obs_var"] = np.asarray(fc.var_pred_mean).tolist()
    else:
        entry["fixed"]["beta"] = float(ss[-1][-1])
        entry["fixed"]["beta_var"] = float(sv[-1, -1][-1])
    entry["fixed"]["std_resid"] = [None if not np.isfinite(v) else float(v)
                                   for v in fr.standardized_forecasts_error[0]]
    entry["nobs_diffuse"] = int(fr.nobs_diffuse)
    expected["cases"][name] = entry

n = max(len(c["y"]) for c in cases.values())
df = pd.DataFrame({k: pd.Series(c["y"]) for k, c in cases.items()}).reindex(range(n))
df["inc"] = pd.Series(inc)
df.to_csv(f"{OUT}/data.csv", index=False, float_format="%.17g", na_rep="")
with open(f"{OUT}/expected.json", "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", OUT)
