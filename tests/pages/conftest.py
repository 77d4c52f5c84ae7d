"""Shared fixtures of the page tests."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ..conftest import ROOT


@pytest.fixture
def app(demo_db, monkeypatch):
    """The app (app.py) run once under AppTest on a private copy of the demo store."""
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at
