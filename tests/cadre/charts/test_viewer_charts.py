"""Issue 21.6: a role that may not see people gets no per-person mark on a
chart either (a point, a hover name, a value that is one person's): the
boxes of the distribution page and the pipeline's time in rank are drawn
from their quartiles alone; a leader still gets every point."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cadre.charts import assessment
from cadre.charts import structure

# Values no quartile or fence of the set can equal: finding one in a figure
# means a person's own value was sent.
VALUES = [71.123, 72.377, 75.911, 80.457, 83.613, 88.249, 90.731, 93.007]
NAMES = [f"人员{i}号" for i in range(len(VALUES))]


def _text(fig) -> str:
    return json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)


def _people() -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"P{i:03d}" for i in range(len(VALUES))], "name": NAMES,
                         "composite": VALUES})


def _sent_numbers(fig) -> list[float]:
    """Every number the figure's traces carry (plotly sends arrays as typed
    binary, so they are read from the traces, not searched in the JSON)."""
    out = []
    for trace in fig.data:
        for attr in ("x", "y", "q1", "median", "q3", "lowerfence", "upperfence", "mean"):
            values = getattr(trace, attr, None)
            if values is None:
                continue
            for v in np.atleast_1d(np.asarray(values, dtype=object)):
                try:
                    out.append(float(v))
                except (TypeError, ValueError):
                    pass
    return out


def _own_values_in(fig, values=VALUES) -> list[float]:
    """The people's own values (not the set's quartiles, mean or extremes)
    that the figure carries."""
    q = np.quantile(values, [0.25, 0.5, 0.75])
    inner = [v for v in values if v not in (min(values), max(values)) and not np.isclose(q, v).any()]
    sent = _sent_numbers(fig)
    return [v for v in inner if any(np.isclose(v, s) for s in sent)]


def test_the_score_box_without_points_carries_no_person():
    people = _people()
    leader = assessment.box(people, "zh", mask=False, previous=people, previous_label="上期", current_label="本期")
    assert all(n in _text(leader) for n in NAMES) and _own_values_in(leader)     # the search can see them
    viewer = assessment.box(people, "zh", mask=False, previous=people, previous_label="上期", current_label="本期",
                            points=False)
    assert not any(n in _text(viewer) for n in NAMES)
    assert not _own_values_in(viewer)
    assert all(t.boxpoints is False for t in viewer.data) and len(viewer.data) == 2


def test_the_dimension_boxes_without_points_carry_no_person():
    rows = []
    for dim in ("德", "能", "勤", "绩"):
        rows += [{"person_id": f"P{i:03d}", "name": n, "dimension": dim, "pct": v} for i, (n, v) in
                 enumerate(zip(NAMES, VALUES))]
    long = pd.DataFrame(rows)
    leader = assessment.dimensions(long, "zh", mask=False)
    assert all(n in _text(leader) for n in NAMES) and _own_values_in(leader)
    viewer = assessment.dimensions(long, "zh", mask=False, points=False)
    assert not any(n in _text(viewer) for n in NAMES) and not _own_values_in(viewer)


def test_time_in_rank_without_points_carries_no_promotion():
    rows = pd.DataFrame({"step": ["科员→副科"] * len(VALUES), "years": [v / 20 for v in VALUES], "name": NAMES,
                         "date": pd.to_datetime(["2001-03-01"] * len(VALUES))})
    years = [v / 20 for v in VALUES]
    leader = structure.time_in_rank(rows, "zh")
    assert all(n in _text(leader) for n in NAMES) and "2001-03-01" in _text(leader)
    assert _own_values_in(leader, years)
    viewer = structure.time_in_rank(rows, "zh", points=False)
    assert not any(n in _text(viewer) for n in NAMES) and "2001-03-01" not in _text(viewer)
    assert not _own_values_in(viewer, years)
    assert len(viewer.data) == 1 and viewer.data[0].median is not None     # the step's box is still drawn
