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


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("before,after", [([1, 2, 3], [3, 1, 2]), ([3, 1, 13, 11, 14, 12, 25, 24, 2, 22],
                                                                    [1, 2, 11, 12, 13, 14, 24, 25, 3, 23]),
                                          ([40, 41], [60, 38])])
def test_the_rank_axis_holds_every_point_and_names_no_rank_0(projector, before, after):
    """Issue 20.18: the axis ran from rank 0 and cut its bottom point off."""
    fig = charts.rank_slope(_moved(before, after), "zh", projector=projector)
    bottom, top = fig.layout.yaxis.range                          # reversed: rank 1 on top
    px_per_rank = (fig.layout.height - 170) / (bottom - top)
    points = np.asarray(before + after, dtype=float)
    marker_px = 10 / 2
    assert (bottom - points.max()) * px_per_rank >= marker_px, "the bottom point is cut off"
    assert (points.min() - top) * px_per_rank >= marker_px, "the top point is cut off"
    ticks = list(fig.layout.yaxis.tickvals)
    assert ticks and min(ticks) >= 1 and min(ticks) <= points.min() and max(ticks) <= points.max()
    assert all(float(t).is_integer() for t in ticks)


def test_rank_ticks_are_round_and_few():
    assert charts.rank_ticks(1, 3) == [1, 2, 3]
    assert charts.rank_ticks(1, 25) == [1, 5, 10, 15, 20, 25]
    assert len(charts.rank_ticks(1, 10_000)) <= 9
