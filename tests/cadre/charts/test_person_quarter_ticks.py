"""Issue 10: the person history chart plots quarters, so its axis names the
quarters (it labelled only years)."""
from __future__ import annotations

import pandas as pd

from cadre import i18n
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
    assert ticks[1] == "Q2" and "Q4" in ticks[3] and "1998" in ticks[3]
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
    assert "Q4" in ticks[pd.Timestamp("1999-12-31")]


def _quarters(years: range) -> pd.DataFrame:
    periods = [f"{y}Q{q}" for y in years for q in range(1, 5)]
    ends = [pd.Period(p, "Q").end_time.normalize() for p in periods]
    return pd.DataFrame({"period": periods, "period_kind": "quarterly", "period_end": ends,
                         "composite": [70.0 + i % 7 for i in range(len(periods))]})


def test_quarter_ticks_do_not_run_together():
    """Issue 20.14: ten years of quarters wrote 「一季度二季度三季度…」 in one
    run. A quarter is named short (Q1-Q4) with its year under it, and an axis
    with more quarters than fit names years only (the hover names quarters)."""
    few = charts.person_history(_quarters(range(1999, 2002)), "zh")
    lines = [line for t in few.layout.xaxis.ticktext for line in t.split("<br>")]
    assert {"Q1", "Q2", "Q3", "Q4"} <= set(lines) and all(len(line) <= 6 for line in lines)
    assert "1999" in few.layout.xaxis.ticktext[0] and "2000" in few.layout.xaxis.ticktext[4]
    many = charts.person_history(_quarters(range(1992, 2002)), "zh")
    assert len(many.layout.xaxis.tickvals) == 10
    assert list(many.layout.xaxis.ticktext) == [i18n.format_period(str(y), "zh") for y in range(1992, 2002)]
    assert "Q" not in "".join(many.layout.xaxis.ticktext)
    # the projector's larger text fits half as many
    assert len(charts.person_history(_quarters(range(1998, 2002)), "zh", projector=True).layout.xaxis.tickvals) == 4
