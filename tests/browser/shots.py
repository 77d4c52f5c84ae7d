"""The README's screenshots, written by one explicit command (test runs
write theirs under tests/artifacts/ only):

    python -m tests.browser.shots

Runs the app on a fresh copy of the demo office and saves, with Debian's
Chromium, docs/screenshots/overview.png (the overview at 1600×1000) and
docs/screenshots/projector-<page>.png (every page in projector mode at
1920×1080, as the projector test opens them) and docs/screenshots/
appraisal.png (the appraisal meeting under way, at 1280×720: guides and
grade bins, names masked)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cadre import batches, store
from cadre.ui.nav import PAGES
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, ROOT, open_page, running_app, wait_idle
from tests.browser.test_projector_browser import _open as open_projector

DOCS = ROOT / "docs" / "screenshots"


def main() -> int:
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "demo.duckdb"
        con = store.connect(template)
        batches.ensure_demo(con)
        con.close()
        (work / "app").mkdir()
        with running_app(template, work / "app") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(90_000)
            open_page(page, url, "overview")
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
            page.screenshot(path=str(DOCS / "overview.png"))
            context.close()
            for spec in PAGES:
                context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
                page = context.new_page()
                page.set_default_timeout(90_000)
                open_projector(page, url, spec.key)
                page.screenshot(path=str(DOCS / f"projector-{spec.key}.png"))
                context.close()
                print(f"docs/screenshots/projector-{spec.key}.png", file=sys.stderr)
            context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(90_000)
            open_projector(page, url, "appraisal")
            page.get_by_role("button", name="开始评定会").click()
            page.locator(".st-key-appraisal_guides").wait_for()
            page.locator(".st-key-appraisal_bin_0").wait_for()
            wait_idle(page)
            page.screenshot(path=str(DOCS / "appraisal.png"))
            context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
