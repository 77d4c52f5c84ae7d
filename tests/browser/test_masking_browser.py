"""Masking on (projector mode turns it on): no full name from the demo
roster in any page's text."""
from __future__ import annotations

import pytest

from cadre import store
from cadre.ui.nav import PAGES

from .test_projector_browser import _new_page, _open, server  # noqa: F401 - module-scoped app fixture

PAGE_KEYS = [p.key for p in PAGES]


@pytest.fixture(scope="module")
def full_names(demo_store_template):
    con = store.connect(demo_store_template, read_only=True)
    try:
        names = store.query(con, "store_roster")["name"].dropna().astype(str).str.strip()
    finally:
        con.close()
    return sorted({n for n in names if len(n) >= 2})


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_no_full_name_with_masking_on(server, browser, full_names, key):  # noqa: F811
    context, page = _new_page(browser, key, 1920, 1080)
    try:
        _open(page, server, key)
        assert page.locator('[data-testid="stSidebar"] input[type="checkbox"]').last.is_checked(), \
            "masking is not on in projector mode"
        text = page.evaluate("() => document.body.innerText")
        leaks = [n for n in full_names if n in text]
        assert not leaks, f"{key}: full names shown with masking on: {leaks[:5]}"
    finally:
        context.close()
