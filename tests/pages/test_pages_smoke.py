"""Every page runs under AppTest, through the router, in both languages and
in projector mode, without an exception."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cadre.ui.nav import PAGES

from ..conftest import ROOT

APP = str(ROOT / "app.py")


def _title(key):
    from cadre import i18n
    return i18n.t(f"nav.{key}", "en")


PAGE_TITLES_EN = {spec.key: _title(spec.key) for spec in PAGES}


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_runs(app, spec):
    app.switch_page(spec.file)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.title, f"{spec.key} shows no title"


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_runs_in_english_on_the_projector(demo_db, monkeypatch, spec):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["mode"] = "projector"
    at.run()
    at.switch_page(spec.file)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="frame_lang").value == "en"
    assert at.toggle(key="frame_mask").value is True  # names masked by default on the projector
    assert at.title[0].value == PAGE_TITLES_EN[spec.key]


def test_a_page_file_runs_on_its_own(demo_db, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox  # the frame rendered itself
