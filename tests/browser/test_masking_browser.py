"""Masking on (projector mode turns it on): no full name from the demo
roster in any page's text."""
from __future__ import annotations

import pytest

from cadre import store
from cadre.ui.nav import PAGES

from .test_projector_browser import _open, _page_exists, server  # noqa: F401 - module-scoped app fixture

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
    if not _page_exists(key):
        pytest.skip(f"page {key} not written yet")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        _open(page, server, key)
        assert page.locator('[data-testid="stSidebar"] input[type="checkbox"]').last.is_checked(), \
            "masking is not on in projector mode"
        text = page.evaluate("() => document.body.innerText")
        leaks = [n for n in full_names if n in text]
        assert not leaks, f"{key}: full names shown with masking on: {leaks[:5]}"
    finally:
        context.close()
