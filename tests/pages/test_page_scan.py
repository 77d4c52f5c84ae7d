"""Every page in both languages, scanned for raw values ("None", "nan", "NaT",
raw timestamps) and, in the Chinese UI, for Latin text outside an allow-list
(issue 10). Pages run under AppTest through the router on the demo office."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cadre.ui.nav import PAGES

from ..conftest import ROOT

RAW = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|<NA>|\d{2}:\d{2}:\d{2}")
# Latin words a Chinese page may show: file formats and units, codes, the
# app's name, person ids (YZ0001) and period codes (2001Q4).
# The language picker names itself and English in both languages on purpose,
# so that a reader of either finds it.
ALLOWED_LATIN = re.compile(
    r"^(?:PNG|PDF|PPTX|XLSX|CSV|Parquet|Excel|Windows|UTF|BOM|lrmx|lrm|pic|zip|MB|IQR|SD|SHA|YYYY|MM|DD|cadre|Language|English|Q[1-4]|"
    r"[A-Z]{1,4}\d+|\d{4}Q[1-4]|[A-Z]\d?)$")
FILE_NAME = re.compile(r"\S+\.(?:xlsx|csv)\b")    # uploaded files' names are data
COMMAND = re.compile(r"bash \S*scripts/cadre(?: [a-z-]+)*")  # a command the administrator types is code
TEXT_KINDS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error",
              "text", "code", "toast")


def _run(db, monkeypatch, spec, lang: str) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(spec.file)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _texts(at) -> list[str]:
    out = []
    for kind in TEXT_KINDS:
        for el in at.get(kind):
            value = getattr(el, "value", None)
            if isinstance(value, str):
                out.append(value)
    for m in at.metric:
        out += [str(m.label), str(m.value)]
    for w in list(at.selectbox) + list(at.multiselect) + list(at.radio):
        out.append(str(w.label))
        out += [str(o) for o in w.options]
        if getattr(w.proto, "placeholder", ""):
            out.append(w.proto.placeholder)
    for b in at.button:
        out.append(str(b.label))
    for tab in at.tabs:
        out.append(str(tab.label))
    return out


def _frame_problems(at) -> list[str]:
    bad = []
    for df in at.dataframe:
        frame: pd.DataFrame = df.value
        dash = df.proto.placeholder == "—"   # what the grid shows for a missing value
        for col in frame.columns:
            s = frame[col]
            if pd.api.types.is_datetime64_any_dtype(s):
                bad.append(f"{col}: a raw datetime column")
            elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
                if s.isna().any() and not dash:
                    bad.append(f"{col}: a number gap shown as None")
            else:
                if s.isna().any():
                    bad.append(f"{col}: a missing text shown as None")
                hits = s.dropna().astype(str).str.contains(RAW)
                if hits.any():
                    bad.append(f"{col}: {s.dropna().astype(str)[hits].iloc[0]!r}")
        bad += [f"header {c!r}" for c in frame.columns if RAW.search(str(c))]
    return bad


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_no_raw_values_on_any_page(demo_db, monkeypatch, spec, lang):
    at = _run(demo_db, monkeypatch, spec, lang)
    raw = [t for t in _texts(at) if RAW.search(t)]
    assert not raw, raw[:5]
    assert not _frame_problems(at), _frame_problems(at)[:5]


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_no_english_in_the_chinese_ui(demo_db, monkeypatch, spec):
    at = _run(demo_db, monkeypatch, spec, "zh")
    latin = []
    for text in _texts(at):
        text = COMMAND.sub("", FILE_NAME.sub("", html.unescape(text)))
        for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", text):
            if not ALLOWED_LATIN.match(word):
                latin.append(f"{word} in {text[:60]!r}")
    # (data editors show their headers through column_config labels)
    headers = [str(c) for df in at.dataframe if df.editing_mode == "read_only" for c in df.value.columns]
    latin += [h for h in headers for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", h) if not ALLOWED_LATIN.match(w)]
    assert not latin, latin[:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_meeting_in_progress_shows_no_raw_values(demo_db, monkeypatch, lang):
    """The appraisal page with a session open, a move and a tick (its bins,
    commendation tables, record and quota check), in both languages."""
    from cadre import access, store
    from cadre.appraisal import session
    con = store.connect(demo_db)
    session.start(con, store.get_settings(con), "2001", access.LOCAL_ADMIN)
    session.move(con, store.get_settings(con), "2001", "YZ0064", "优秀", "全年表现突出", access.LOCAL_ADMIN)
    session.commend(con, store.get_settings(con), "2001", "section", "法制科", True, "全年无差错", access.LOCAL_ADMIN)
    spec = next(p for p in PAGES if p.key == "appraisal")
    at = _run(demo_db, monkeypatch, spec, lang)
    texts = _texts(at)
    assert any("YZ0064" in t for t in texts)              # the session is on the page
    raw = [t for t in texts if RAW.search(t)]
    assert not raw, raw[:5]
    assert not _frame_problems(at), _frame_problems(at)[:5]
    if lang == "zh":                                    # and no English in the Chinese UI (local, cli:…)
        latin = [f"{w} in {t[:60]!r}" for t in texts
                 for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", COMMAND.sub("", FILE_NAME.sub("", html.unescape(t))))
                 if not ALLOWED_LATIN.match(w)]
        headers = [str(c) for df in at.dataframe for c in df.value.columns]
        latin += [h for h in headers for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", h) if not ALLOWED_LATIN.match(w)]
        cells = [str(v) for df in at.dataframe for col in df.value.columns if df.value[col].dtype == object
                 for v in df.value[col].dropna().unique()]
        latin += [c for c in cells for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", c) if not ALLOWED_LATIN.match(w)]
        assert not latin, latin[:10]
