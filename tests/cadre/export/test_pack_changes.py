"""The pack's change slide (issue 10 item 7): a finding needs the data it
speaks of. With one period of history the slide says what is missing and
draws nothing; with a previous period it names that period and the chart
shows exactly the two periods compared."""
from __future__ import annotations

import io

import pandas as pd

from cadre import batches, store
from cadre.export import pack


def _demo_with_periods(periods: list[str]) -> bytes:
    sheets = pd.read_excel(batches.DEMO_WORKBOOK, sheet_name=None, dtype=object)
    sheets["考核成绩"] = sheets["考核成绩"][sheets["考核成绩"]["考核期"].astype(str).isin(periods)]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    return buf.getvalue()


def _changes_slide(tmp_path, periods: list[str], period: str, lang: str = "zh"):
    con = store.connect(tmp_path / "office.duckdb")
    assert batches.ingest(con, [("office.xlsx", _demo_with_periods(periods))]).ok
    _, slides = pack.collect(con, store.get_settings(con), period, lang=lang)
    con.close()
    return next(s for s in slides if s.key == "changes")


def test_one_quarter_of_history_claims_no_change(tmp_path):
    slide = _changes_slide(tmp_path, ["2001Q4"], "2001Q4")
    assert slide.fig is None and slide.table is None
    assert "2001年第四季度之前没有可比较的季度考核数据" in slide.finding
    assert "上升" not in slide.finding and "下降" not in slide.finding


def test_the_change_names_the_period_compared_and_the_chart_shows_both(tmp_path):
    slide = _changes_slide(tmp_path, ["2001Q2", "2001Q4"], "2001Q4")   # 2001Q3 is missing
    assert "较2001年第二季度" in slide.finding and "上季度" not in slide.finding
    assert [t.name for t in slide.fig.data] == ["2001年第二季度", "2001年第四季度"]
    assert len(slide.fig.data[0].y) == len(slide.fig.data[1].y) > 1
