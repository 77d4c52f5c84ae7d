"""The README's screenshots, written by one explicit command (test runs
write theirs under tests/artifacts/ only):

    python -m tests.browser.shots

Runs the app on a fresh copy of the demo office and saves, with Debian's
Chromium, docs/screenshots/overview.png (the overview at 1600×1000) and
docs/screenshots/projector-<page>.png (every page in projector mode at
1920×1080, as the projector test opens them) and docs/screenshots/
appraisal.png (the appraisal meeting under way, at 1280×720: guides and
grade bins, names masked).

    python -m tests.browser.shots --review [--pages projection,person]

writes, for a person to look at before a release, every page in Chinese and
English, normal and projector, at 1280×720 and 1440×900 (what the screen
shows, not the whole page) under tests/artifacts/review/, and one contact
sheet per size, language and mode (review/sheet-<w>x<h>-<lang>-<mode>.png)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cadre import batches, store
from cadre.ui.nav import PAGES
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, ROOT, open_page, running_app, wait_idle
from tests.browser.sweep import open_settled as open_projector

DOCS = ROOT / "docs" / "screenshots"


REVIEW = ROOT / "tests" / "artifacts" / "review"
REVIEW_SIZES = ((1280, 720), (1440, 900))


def _demo_template(work: Path) -> Path:
    template = work / "demo.duckdb"
    con = store.connect(template)
    batches.ensure_demo(con)
    con.close()
    (work / "app").mkdir()
    return template


def _contact_sheet(shots: list[Path], target: Path, columns: int = 4) -> None:
    """The shots side by side at a third of their size, each under its name."""
    from PIL import Image, ImageDraw

    thumbs = []
    for path in shots:
        with Image.open(path) as im:
            thumbs.append((path.stem, im.convert("RGB").resize((im.width // 3, im.height // 3))))
    w, h = thumbs[0][1].size
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * (w + 8), rows * (h + 24)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (name, thumb) in enumerate(thumbs):
        x, y = (i % columns) * (w + 8), (i // columns) * (h + 24)
        draw.text((x + 2, y + 4), name, fill="black")
        sheet.paste(thumb, (x, y + 20))
    sheet.save(target)


def _new_page(browser, width: int, height: int):
    """A fresh context (no session, no cache) and its page at ``width`` × ``height``."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


def review(keys: list[str] | None = None) -> int:
    """Every page (or those of ``keys``) × language × mode × size, and
    contact sheets of them."""
    from playwright.sync_api import sync_playwright

    REVIEW.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = _demo_template(work)
        with running_app(template, work / "app") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            for width, height in REVIEW_SIZES:
                for lang in ("zh", "en"):
                    for mode in ("normal", "projector"):
                        shots = []
                        for spec in [p for p in PAGES if not keys or p.key in keys]:
                            context, page = _new_page(browser, width, height)
                            query = f"lang={lang}" + ("&mode=projector" if mode == "projector" else "")
                            open_projector(page, url, spec.key, query)
                            # a page's later parts (fragments) stand as grey skeletons until drawn
                            page.wait_for_function(
                                "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000, polling=100)
                            wait_idle(page)
                            path = REVIEW / f"{width}x{height}-{lang}-{mode}-{spec.key}.png"
                            page.screenshot(path=str(path))
                            context.close()
                            shots.append(path)
                        sheet = REVIEW / f"sheet-{width}x{height}-{lang}-{mode}.png"
                        _contact_sheet(shots, sheet)
                        print(sheet.relative_to(ROOT), file=sys.stderr)
            browser.close()
    return 0


def main() -> int:
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = _demo_template(work)
        with running_app(template, work / "app") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            context, page = _new_page(browser, 1600, 1000)
            open_page(page, url, "overview")
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
            page.screenshot(path=str(DOCS / "overview.png"))
            context.close()
            for spec in PAGES:
                context, page = _new_page(browser, 1920, 1080)
                open_projector(page, url, spec.key)
                page.screenshot(path=str(DOCS / f"projector-{spec.key}.png"))
                context.close()
                print(f"docs/screenshots/projector-{spec.key}.png", file=sys.stderr)
            context, page = _new_page(browser, 1280, 720)
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
    # --review [--pages a,b]: the review set, of every page or of the pages named
    args = sys.argv[1:]
    chosen = args[args.index("--pages") + 1].split(",") if "--pages" in args else None
    raise SystemExit(review(chosen) if "--review" in args else main())
