"""Small statistics of the assessment pages: the 95 % Student t quantile
(for confidence intervals of section means) and a Series' summary."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30; beyond, a
# Cornish-Fisher expansion around the normal quantile (error < 1e-4).
_T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
         2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]


def t975(df) -> np.ndarray:
    """t(0.975, df) elementwise; NaN where df < 1."""
    d = np.asarray(df, dtype=float)
    z = 1.959963984540054
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = (z + (z**3 + z) / (4 * d) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * d**2)
                  + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * d**3))
    table = np.asarray(_T975)
    idx = np.clip(np.nan_to_num(d, nan=1).astype(int), 1, 30) - 1
    out = np.where(d <= 30, table[idx], approx)
    return np.where(np.isfinite(d) & (d >= 1), out, np.nan)



def describe(values: pd.Series) -> dict:
    """n, mean, median, std (sample), iqr, range, min, max of a Series."""
    c = values.dropna().astype(float)
    n = int(c.size)
    if not n:
        return {"n": 0, "mean": None, "median": None, "std": None, "iqr": None, "range": None,
                "min": None, "max": None}
    return {"n": n, "mean": float(c.mean()), "median": float(c.median()),
            "std": float(c.std(ddof=1)) if n > 1 else None,
            "iqr": float(c.quantile(0.75) - c.quantile(0.25)),
            "range": float(c.max() - c.min()), "min": float(c.min()), "max": float(c.max())}

