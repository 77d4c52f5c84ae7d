"""cadre.assessment.sections: compared sections side by side, and the capped charts."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from cadre import store
from cadre.assessment.sections import (
    CHART_ALL, CHART_SECTIONS, SectionComparison, chart_sections, only_sections, section_comparison, source_gaps,
)


def test_section_comparison_by_hand(small):
    c = section_comparison(small, store.get_settings(small), "1999")
    st = c.stats.set_index("section")
    half = 4.3027 / math.sqrt(3)  # t(0.975, 2) · s / sqrt(n), s = 1
    assert st.loc["甲科", "ci_low"] == pytest.approx(81 - half, abs=1e-3)
    assert st.loc["甲科", "ci_high"] == pytest.approx(81 + half, abs=1e-3)
    assert not st["small"].any()
    assert st.loc["甲科", "egalitarian"] and not st.loc["乙科", "egalitarian"]
    assert c.heatmap.loc["乙科", "绩"] == pytest.approx(78.75)
    assert c.trend[["section", "period", "n"]].values.tolist() == [["乙科", "1999Q4", 4], ["甲科", "1999Q4", 3]]
    tt = c.turn_taking.set_index("section")
    assert tt.loc["乙科", "flagged"] and tt.loc["乙科", "outside"] == 3
    detail = c.turn_detail[c.turn_detail["section"] == "乙科"]
    assert set(detail.loc[detail["awarded"], "person_id"]) == {"B2", "B4", "B3"}
    assert set(detail.loc[detail["in_top"], "person_id"]) == {"B1"}
    assert "name" in detail.columns
    assert "主任室" not in set(c.people["section"])


def test_small_section_is_marked(small):
    settings = dict(store.get_settings(small), min_section_n=4)
    c = section_comparison(small, settings, "1999")
    assert c.stats.set_index("section")["small"].to_dict() == {"甲科": True, "乙科": False}


def test_source_gaps_by_hand():
    people = pd.DataFrame({
        "section": ["甲", "甲", "乙"],
        "composite_科室自评": [90.0, 84.0, 70.0], "composite_主任室考评": [80.0, 80.0, 75.0],
        "composite_民主评议": [85.0, None, 80.0], "composite_实绩考核": [83.0, 82.0, 80.0],
    })
    gaps = source_gaps(people).set_index("section")
    assert gaps.loc["甲", "self_gap"] == pytest.approx(7.0)   # (10 + 4) / 2
    assert gaps.loc["甲", "peer_gap"] == pytest.approx(2.0)   # only the person with both
    assert gaps.loc["乙", "self_gap"] == pytest.approx(-5.0)
    assert gaps.loc["乙", "peer_gap"] == pytest.approx(0.0)


def _many_sections(n_sections=40, flagged=("S07", "S20")):
    """A comparison of ``n_sections`` sections with distinct means; two
    flagged (one egalitarian, one turn-taking) in the middle."""
    names = [f"S{i:02d}" for i in range(n_sections)]
    stats = pd.DataFrame({"section": names, "n": 5, "mean": [90.0 - i * 0.5 for i in range(n_sections)],
                          "ci_low": 80.0, "ci_high": 95.0, "median": 85.0, "std": 3.0, "iqr": 2.0,
                          "range": 8.0, "egalitarian": [s == flagged[0] for s in names], "small": False})
    tt = pd.DataFrame({"section": names, "index": 0.0, "awards": 0, "outside": 0,
                       "flagged": [s == flagged[1] for s in names]})
    quarters = ["1999Q1", "1999Q2"]
    trend = pd.DataFrame([{"section": s, "period": q, "period_end": pd.Timestamp("1999-03-31"),
                           "mean": 80.0, "n": 5} for s in names for q in quarters])
    office = pd.DataFrame({"period": quarters, "period_end": pd.Timestamp("1999-03-31"), "mean": 80.0, "n": 200})
    heat = pd.DataFrame(70.0, index=pd.Index(names, name="section"), columns=list("德能勤绩"))
    gaps = pd.DataFrame({"section": names, "self_gap": 1.0, "peer_gap": -1.0})
    return SectionComparison(period="1999", period_kind="annual", stats=stats, heatmap=heat,
                                        gaps=gaps, trend=trend, turn_taking=tt, turn_detail=pd.DataFrame(),
                                        people=pd.DataFrame(), office_trend=office)


def test_chart_sections_top_bottom_flagged_and_picked():
    c = _many_sections()
    n = CHART_SECTIONS
    shown = chart_sections(c, picked="S30")
    top = [f"S{i:02d}" for i in range(n)]
    bottom = [f"S{i:02d}" for i in range(40 - n, 40)]
    assert shown == top + ["S07", "S20", "S30"] + bottom  # highest mean first
    assert len(chart_sections(c)) == 2 * n + 2
    small_office = _many_sections(CHART_ALL, flagged=("S01", "S02"))
    assert chart_sections(small_office) is None  # few sections: every one is drawn


def test_capped_charts_draw_at_most_n_plus_flagged_sections():
    from cadre.charts import assessment as charts

    c = _many_sections()
    shown = chart_sections(c)
    n_lines = 2 * CHART_SECTIONS + 2  # top/bottom N plus the two flagged
    fig = charts.trend(c.trend, "en", office=c.office_trend, sections=shown)
    names = [tr.name for tr in fig.data]
    assert names[0] == "Office mean" and len(names) == n_lines + 1
    assert set(names[1:]) == set(shown)
    heat = charts.heatmap(only_sections(c.heatmap, shown), "en")
    assert list(heat.data[0].y) == shown
    gaps = charts.source_gaps(only_sections(c.gaps, shown), "en")
    assert all(list(tr.y) == shown for tr in gaps.data)
    assert charts.trend(c.trend, "en").data.__len__() == 40  # uncapped: one line per section
    # the means chart too (a city's 1,250 bars took 3 s to draw in the browser)
    means = charts.section_means(only_sections(c.stats, shown), "en")
    assert list(means.data[0].customdata) == shown


def _trends_both_ways(con, monkeypatch):
    """quarter_trends aggregated in the store, and from the scored rows."""
    from cadre.assessment import sections, stored
    from cadre.assessment.runner import list_periods
    from cadre.assessment.scorer import Scorer
    settings = store.get_settings(con)
    quarters = list_periods(con).query("period_kind == 'quarterly'")["period"].tolist()
    assert quarters
    leader = settings["leadership_section"]
    in_store = sections.quarter_trends(con, settings, Scorer(con, settings), quarters, leader)
    monkeypatch.setattr(stored, "current", lambda con, settings: False)
    scored = sections.quarter_trends(con, settings, Scorer(con, settings), quarters, leader)
    return in_store, scored


@pytest.mark.parametrize("office", ["demo", "generated"])
def test_the_trend_aggregated_in_the_store_equals_the_scored_rows(office, demo_con, tmp_path, monkeypatch):
    """The sections page's trend is summed where the scores are (a
    province's quarters are never read whole): the same figures as
    grouping the scored rows, on the demo and on a generated office."""
    from contextlib import closing

    from cadre import batches
    from tests.generated import generated_files
    if office == "demo":
        con = demo_con
    else:
        files = generated_files(tmp_path / "files", people=300, years=3, seed=11)
        con = store.connect(tmp_path / "gen.duckdb")
        assert batches.ingest(con, files).ok
    with closing(con):
        (trend, office_trend), (trend_s, office_s) = _trends_both_ways(con, monkeypatch)
    assert len(trend) > 4 and len(office_trend) >= 4
    assert list(trend.columns) == ["section", "period", "period_end", "mean", "n"]
    pd.testing.assert_frame_equal(trend.drop(columns="mean"), trend_s.drop(columns="mean"), check_dtype=True)
    pd.testing.assert_series_equal(trend["mean"], trend_s["mean"], rtol=1e-12)
    pd.testing.assert_frame_equal(office_trend.drop(columns="mean"), office_s.drop(columns="mean"))
    pd.testing.assert_series_equal(office_trend["mean"], office_s["mean"], rtol=1e-12)
