"""Issue 10: the distribution histogram shows the previous period as an
outline over this period's bars, never as a second filled bar set that reads
as stacked on the first."""
from __future__ import annotations

import pandas as pd

from cadre.charts import assessment as charts


def test_previous_period_is_an_outline():
    now = pd.DataFrame({"composite": [80.2, 84.5, 84.7, 90.1]})
    before = pd.DataFrame({"composite": [81.0, 84.2, 88.8]})
    fig = charts.histogram(now, [("优秀", 85.0, 100.5)], "zh", previous=before, previous_label="2000年度", current_label="2001年度")
    bars = [tr for tr in fig.data if tr.type == "histogram"]
    current = next(tr for tr in bars if tr.name == "2001年度")
    previous = next(tr for tr in bars if tr.name == "2000年度")
    assert fig.layout.barmode in ("overlay", "group")
    fill = str(previous.marker.color).replace(" ", "")
    assert fill.endswith(",0)") or fill == "rgba(0,0,0,0)", f"previous bars are filled: {fill}"
    assert previous.marker.line.width and previous.marker.line.width >= 2
    assert bars.index(previous) > bars.index(current), "the outline must be drawn over the filled bars"


def test_the_caption_names_the_previous_period_as_the_chart_draws_it():
    """Issue 20.18: the caption said 「灰色为上期」 under black outlines."""
    from cadre import i18n
    from cadre.charts import palette
    now = pd.DataFrame({"composite": [80.2, 84.5]})
    fig = charts.histogram(now, [("优秀", 85.0, 100.5)], "zh", previous=pd.DataFrame({"composite": [81.0]}),
                           previous_label="2000年度", current_label="2001年度")
    previous = next(tr for tr in fig.data if tr.name == "2000年度")
    line = previous.marker.line.color
    assert line == palette.PREVIOUS_OUTLINE
    assert sum(int(line[i:i + 2], 16) for i in (1, 3, 5)) / 3 < 0x60, "the outline is black, not grey"
    zh = i18n.t("assessment.previous_line", "zh", period="2000年度", n=3, mean="80", std="1")
    en = i18n.t("assessment.previous_line", "en", period="2000", n=3, mean="80", std="1")
    assert "灰" not in zh and "黑" in zh and "框" in zh
    assert "grey" not in en.lower() and "black outline" in en.lower()
