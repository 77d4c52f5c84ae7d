"""The app loads nothing from outside its own server: an office intranet has
no internet. Every page is opened with every request watched; one to
another host fails the test (it was the tab icon, a Material Symbols SVG
fetched from fonts.gstatic.com). Projector mode: every page's request hosts
are checked by test_projector_browser's text-size test, which opens them all.
The same loads check that every page opens: a title, no exception, no error."""
from __future__ import annotations

from urllib.parse import urlparse

from cadre.ui.nav import PAGES

from .conftest import open_page, screenshot


def test_no_page_requests_another_host(module_app_url, browser):
    own = urlparse(module_app_url).netloc
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")

    def watch(route):
        url = route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != own:
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", watch)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        for spec in PAGES:
            open_page(page, module_app_url, spec.key)
            page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                .every(c => c.querySelector('.main-svg'))""", timeout=60_000, polling=100)
            page.wait_for_function("() => document.querySelector(\"link[rel='shortcut icon']\")", polling=100)
            assert not outside, f"{spec.key}: requests to other hosts: {outside[:5]}"
            # every page opens: its title, and nothing failed on it
            assert page.locator("h1").first.inner_text().strip(), f"{spec.key}: no title"
            assert page.locator('[data-testid="stException"]').count() == 0, f"{spec.key}: an exception"
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, f"{spec.key}: an error"
            if spec.key == "overview":
                screenshot(page, "overview")
    finally:
        context.close()
