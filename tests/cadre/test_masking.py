"""Name masking (姓名脱敏): the rule, and no full name in the pack, the
XLSX downloads or the chart pictures' labels when masking is on."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from cadre import masking, store
from cadre.assessment.distribution import dimension_long, distribution
from cadre.assessment.runner import list_periods
from cadre.charts import assessment as assessment_charts
from cadre.export import pack
from cadre.export.tables import to_xlsx


def test_mask_name_rule():
    assert masking.mask_name("张三") == "张*"
    assert masking.mask_name("张小明") == "张*明"
    assert masking.mask_name("欧阳小明") == "欧**明"
    assert masking.mask_name("张") == "张"
    assert masking.mask_name(None) == ""
    assert masking.mask_name(float("nan")) == ""


def test_mask_series_agrees_with_mask_name():
    names = pd.Series(["张三", "张小明", "欧阳小明", " 李四 ", "王", None, np.nan, "司马相如其"], dtype=object)
    assert masking.mask_series(names).tolist() == [masking.mask_name(n) for n in names]


def test_apply_leaves_the_original_alone():
    frame = pd.DataFrame({"name": ["张小明"], "section": ["信息科"]})
    out = masking.apply(frame, True)
    assert out["name"].tolist() == ["张*明"] and frame["name"].tolist() == ["张小明"]
    assert masking.apply(frame, False) is frame


@pytest.fixture(scope="module")
def demo(demo_store_template, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("masking")
    db = tmp / "cadre.duckdb"
    shutil.copy(demo_store_template, db)
    con = store.connect(db)
    names = store.query(con, "store_roster")["name"].dropna().astype(str).str.strip()
    # Full names of two characters or more; a one-character name is its own mask.
    full = sorted({n for n in names if len(n) >= 2})
    periods = list_periods(con)
    period = str(periods[periods["period_kind"] == "quarterly"]["period"].iloc[-1])
    yield SimpleNamespace(con=con, names=full, period=period, tmp=tmp)
    con.close()


def _leaks(text: str, names: list[str]) -> list[str]:
    return [n for n in names if n in text]


def _fig_text(fig) -> str:
    """A figure's JSON with its Chinese as characters: plotly's JSON engine
    may write them as \\u escapes, in which no name would ever be found."""
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def _pptx_text(path) -> str:
    from pptx import Presentation
    out = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(out)


def _slides_text(slides) -> str:
    parts = []
    for s in slides:
        parts += [s.title, s.finding, *s.lines, *(f"{a} {b}" for a, b in s.metrics)]
        if s.table is not None:
            parts.append(s.table.to_csv())
        if s.fig is not None:
            parts.append(_fig_text(s.fig))
    return "\n".join(parts)


def test_the_unmasked_pack_does_show_names(demo):
    """The check below can fail: without masking, the lists carry names."""
    _, slides = pack.collect(demo.con, store.get_settings(demo.con), demo.period, mask=False)
    assert _leaks(_slides_text(slides), demo.names)


def test_masked_pack_has_no_full_name(demo):
    info, slides = pack.collect(demo.con, store.get_settings(demo.con), demo.period, mask=True)
    assert not _leaks(_slides_text(slides), demo.names)
    assert "*" in _slides_text(slides)
    pack.render(slides, demo.tmp)
    pptx = pack.write_pptx(info, slides, demo.tmp / "masked.pptx")
    assert not _leaks(_pptx_text(pptx), demo.names)
    html = pack.pack_html(info, slides)
    assert not _leaks(html, demo.names)
    pdf = pack.write_pdf(info, slides, demo.tmp / "masked.pdf", demo.tmp)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert text.strip() and not _leaks(text, demo.names)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)


def test_xlsx_download_of_a_masked_table_has_no_full_name(demo):
    from cadre.ui.widgets import labelled
    settings = store.get_settings(demo.con)
    people = distribution(demo.con, settings, demo.period).people
    ctx = SimpleNamespace(mask=True, lang="zh")
    masked = _xlsx_text(to_xlsx(labelled(ctx, people[["person_id", "name", "section", "composite"]])))
    assert not _leaks(masked, demo.names)
    assert re.search(r"\*", masked)
    ctx.mask = False
    assert _leaks(_xlsx_text(to_xlsx(labelled(ctx, people[["person_id", "name", "section"]]))), demo.names)


def test_chart_labels_are_masked(demo):
    """A PNG's text is its figure's: the figure JSON holds no full name."""
    settings = store.get_settings(demo.con)
    dist = distribution(demo.con, settings, demo.period)
    masked = _fig_text(assessment_charts.box(dist.people, "zh", mask=True, previous=dist.previous))
    assert not _leaks(masked, demo.names)
    long = dimension_long(dist.people)
    assert not _leaks(_fig_text(assessment_charts.dimensions(long, "zh", mask=True)), demo.names)
    assert _leaks(_fig_text(assessment_charts.box(dist.people, "zh", mask=False)), demo.names)


def test_a_section_head_is_masked_like_a_name():
    """The succession table is a row per section naming its head
    (head_name): masked with the names, so a viewer may see it."""
    import pandas as pd

    from cadre import cadre_views, masking

    succ = pd.DataFrame({"section": ["办公室"], "risk": ["high"], "head_name": ["欧阳小明"], "head_age": [58],
                         "head_rank": ["一级主任科员"], "years_to_retirement": [2], "deputies": [1],
                         "eligible_deputies": [0]})
    shown = cadre_views.succession_display(succ)
    assert "name" not in shown.columns  # not a list of people (widgets.table hides those from viewers)
    assert masking.apply(shown, True)["head_name"].tolist() == ["欧**明"]
