"""Weight maths of the what-if lab: percentages that sum to exactly 100.00
(kept in hundredths of a point, split by largest remainder) and the rescaling
of the other weights when one moves. Pure; no store, no settings."""
from __future__ import annotations

from typing import Collection, Sequence

import numpy as np

TOTAL = 100.0
UNITS = 100                     # weights are kept in hundredths of a percentage point


def _largest_remainder(shares: np.ndarray, total_units: int) -> np.ndarray:
    """Integers proportional to ``shares`` (not negative) summing to ``total_units``."""
    shares = np.asarray(shares, dtype=float)
    if total_units <= 0 or shares.size == 0:
        return np.zeros(shares.size, dtype=np.int64)
    s = shares.sum()
    if not s > 0:
        shares = np.ones(shares.size)
        s = float(shares.size)
    exact = shares / s * total_units
    base = np.floor(exact + 1e-9).astype(np.int64)
    left = int(total_units - base.sum())
    if left > 0:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:left]] += 1
    return base


def normalise_percent(values: Sequence[float]) -> list[float] | None:
    """Weights (not negative) scaled to percentages that sum to exactly 100.00
    (hundredths by largest remainder). None when they sum to 0, or a value is
    negative or not finite."""
    v = np.asarray([float(x) for x in values], dtype=float)
    if v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0) or not v.sum() > 0:
        return None
    return (_largest_remainder(v, int(TOTAL * UNITS)) / UNITS).tolist()


def rescale(values: Sequence[float], index: int, new_value: float,
            locked: Collection[int] = ()) -> list[float]:
    """Set weight ``index`` to ``new_value`` (percent) and rescale the others
    so that all sum to 100.

    Locked weights keep their value; the unlocked others share what is left
    in proportion to their current values (equally when they are all 0).
    ``new_value`` is clipped to what the locks leave; with no unlocked other
    weight the value cannot move and the weights come back unchanged (scaled
    to 100). Pure; results in hundredths of a point, summing to exactly 100.
    """
    units = np.rint(np.asarray(values, dtype=float) * UNITS).astype(np.int64)
    units = np.clip(units, 0, None)
    n = units.size
    if not 0 <= index < n:
        raise IndexError(f"weight index {index} out of range 0..{n - 1}")
    total = int(TOTAL * UNITS)
    fixed = np.zeros(n, dtype=bool)
    for i in locked:
        if 0 <= i < n and i != index:
            fixed[i] = True
    free = ~fixed
    free[index] = False
    if not free.any():
        return (_largest_remainder(units, total) / UNITS).tolist() if units.sum() != total \
            else (units / UNITS).tolist()
    locked_sum = int(units[fixed].sum())
    if locked_sum > total:            # inconsistent input: scale the locks down
        units[fixed] = _largest_remainder(units[fixed], total)
        locked_sum = total
    room = total - locked_sum
    new_units = int(min(max(round(float(new_value) * UNITS), 0), room))
    out = units.copy()
    out[index] = new_units
    out[free] = _largest_remainder(units[free], room - new_units)
    return (out / UNITS).tolist()

