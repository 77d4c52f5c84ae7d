"""Issue 10: the person history chart plots quarters, so its axis names the
quarters (it labelled only years)."""
from __future__ import annotations

import pandas as pd

from cadre.charts import assessment as charts


def test_every_plotted_quarter_has_a_tick():
    periods = ["1998Q1", "1998Q2", "1998Q3", "1998Q4", "1999Q1", "1999Q2", "1999Q3", "1999Q4"]
    ends = pd.to_datetime(["1998-03-31", "1998-06-30", "1998-09-30", "1998-12-31",
                           "1999-03-31", "1999-06-30", "1999-09-30", "1999-12-31"])
    h = pd.DataFrame({"period": periods + ["1998", "1999"], "period_kind": ["quarter"] * 8 + ["annual"] * 2,
                      "period_end": list(ends) + [ends[3], ends[7]], "composite": [80.0 + i for i in range(10)]})
    fig = charts.person_history(h, "zh")
    ticks = fig.layout.xaxis.ticktext
    assert len(fig.layout.xaxis.tickvals) == 8
    assert ticks[1] == "二季度" and "四季度" in ticks[3] and "1998" in ticks[3]
    fig = charts.person_history(h, "en")
    assert fig.layout.xaxis.ticktext[2] == "Q3"


def test_an_annual_assessment_of_a_year_without_quarters_has_its_year_tick():
    """Years assessed only annually sat on the axis without a label when a
    later year had quarters."""
    h = pd.DataFrame({"period": ["1997", "1998", "1999Q4", "1999"],
                      "period_kind": ["annual", "annual", "quarter", "annual"],
                      "period_end": pd.to_datetime(["1997-12-31", "1998-12-31", "1999-12-31", "1999-12-31"]),
                      "composite": [60.0, 61.0, 62.0, 63.0]})
    fig = charts.person_history(h, "zh")
    ticks = dict(zip(pd.to_datetime(list(fig.layout.xaxis.tickvals)), fig.layout.xaxis.ticktext))
    assert len(ticks) == 3
    assert "1997" in ticks[pd.Timestamp("1997-12-31")] and "1998" in ticks[pd.Timestamp("1998-12-31")]
    assert "四季度" in ticks[pd.Timestamp("1999-12-31")]
