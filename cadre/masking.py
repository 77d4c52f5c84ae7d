"""Name masking (姓名脱敏): 张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明.

Vectorised over a Series, applied wherever a name is shown: pages, charts,
tables, downloads and the review pack.
"""
from __future__ import annotations

import pandas as pd


def mask_name(name) -> str:
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = str(name).strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def mask_series(names: pd.Series) -> pd.Series:
    """``mask_name`` over a Series, vectorised with string slicing."""
    s = names.astype("string").str.strip().fillna("")
    n = s.str.len()
    first, last = s.str[:1], s.str[-1:]
    stars = pd.Series("*", index=s.index, dtype="string").str.repeat((n - 2).clip(lower=0).fillna(0).astype(int).tolist())
    middle = first + stars + last
    out = middle.where(n > 2, first + "*")
    out = out.where(n > 1, s)
    return out.astype(object)


def apply(frame: pd.DataFrame, mask: bool, columns=("name", "head_name")) -> pd.DataFrame:
    """A copy of ``frame`` with its name columns masked when ``mask`` is on."""
    if not mask:
        return frame
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = mask_series(out[col])
    return out
