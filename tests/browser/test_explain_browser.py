"""Why a score moved, in the browser: the person page's explanation in
projector mode at 1280×720 — the waterfall drawn with its text at projector
size (≥ 18 px), no sideways scrolling, and a picture of it under
tests/artifacts/explain-person-projector.png for a person to look at."""
from __future__ import annotations

from .conftest import ARTIFACTS
from .sweep import open_settled
from .test_projector_browser import CHART_MIN, MEASURE, WIDTHS

PERSON = "YZ0003"
CHART = ".st-key-explain_waterfall_chart"


def test_the_person_explanation_on_the_projector_at_1280(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        open_settled(page, app_url, "person", f"person={PERSON}&mode=projector")
        page.get_by_role("tab", name="为何变化").click()
        page.locator(f"{CHART} .main-svg").first.wait_for()
        assert not page.locator('[data-testid="stException"]').count()
        chart = page.locator(CHART)
        chart.scroll_into_view_if_needed()
        # one bar per dimension between the two composites, each with its value
        ticks = page.evaluate(f"""() => [...document.querySelectorAll('{CHART} .xtick text')]
            .map(t => t.textContent.trim())""")
        assert ticks[1:5] == ["德", "能", "勤", "绩"], ticks
        assert len(page.locator(f"{CHART} g.point").all()) == 6
        sizes = [c for c in page.evaluate(MEASURE)["chart"] if c["size"] < CHART_MIN]
        assert not sizes, f"chart text under {CHART_MIN}px: {sizes[:8]}"
        box = chart.bounding_box()
        assert box["width"] <= 1280 and box["height"] <= 720   # the whole chart fits the screen
        wide = [w for w in page.evaluate(WIDTHS) if w["scroll"] > w["client"] + 1]
        assert not wide, f"horizontal scrolling at 1280×720: {wide}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # the chart's top (its title) below Streamlit's fixed header
        page.evaluate(f"""() => {{ const main = document.querySelector('[data-testid="stMain"]');
            const top = document.querySelector('{CHART}').getBoundingClientRect().top;
            (main.scrollHeight > main.clientHeight ? main : document.scrollingElement).scrollBy(0, top - 64); }}""")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "explain-person-projector.png"))
    finally:
        context.close()
