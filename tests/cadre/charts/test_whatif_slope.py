"""Issue 10, item 3: the what-if slope chart's names never overlap, however
close the ranks (ranks 1–2, 11–14 and 24–25 printed on top of each other)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cadre.charts import whatif as charts


def _moved(before, after):
    n = len(before)
    return pd.DataFrame({"person_id": [f"P{i}" for i in range(n)], "name": [f"人员{i}" for i in range(n)],
                         "baseline_rank": before, "rank": after,
                         "rank_change": np.asarray(before) - np.asarray(after)})


def _label_rows(fig, side):
    return [tr for tr in fig.data if tr.mode == "text" and (tr.meta or {}).get("labels") == side]


@pytest.mark.parametrize("projector", [False, True])
def test_names_stand_at_least_a_line_apart(projector):
    before = [3, 1, 13, 11, 14, 12, 25, 24, 2, 22]
    after = [1, 2, 11, 12, 13, 14, 24, 25, 3, 23]
    fig = charts.rank_slope(_moved(before, after), "zh", projector=projector)
    size = 18 if projector else 13
    lo, hi = sorted(fig.layout.yaxis.range)
    px_per_rank = (fig.layout.height - 170) / (hi - lo)
    for side in ("left", "right"):
        (labels,) = _label_rows(fig, side)
        assert len(labels.y) == len(before)
        ys = np.sort(np.asarray(labels.y, dtype=float))
        assert np.diff(ys).min() * px_per_rank >= size * 1.3, f"{side}: labels overlap"
        assert lo <= ys.min() and ys.max() <= hi, f"{side}: a label is off the chart"


def test_labels_stay_near_their_ranks_when_there_is_room():
    fig = charts.rank_slope(_moved([1, 10, 20], [20, 10, 1]), "en")
    (left,) = _label_rows(fig, "left")
    assert np.allclose(left.y, [1, 10, 20], atol=0.5)


def test_spread_keeps_order_and_gap():
    out = charts.spread([5, 5, 5, 1], 1.0)
    assert out[3] < min(out[:3])
    assert np.diff(np.sort(out)).min() >= 1.0 - 1e-9
