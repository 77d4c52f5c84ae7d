"""In the what-if lab a rank change picked on the slope chart opens its
explanation: a click on a line's end point (the browser's own selection
event, carrying the line's row) fills the person and draws the waterfall."""
from __future__ import annotations

from .conftest import open_page, wait_idle

SLOPE = ".st-key-whatif_slope_chart"


def test_a_click_on_the_slope_chart_explains_that_rank_change(app_url, page):
    page.set_default_timeout(90_000)
    open_page(page, app_url, "whatif", "period=2001&w=50,0,0,50")
    page.locator(f"{SLOPE} .main-svg").first.wait_for()
    page.wait_for_function(f"""() => [...document.querySelectorAll('{SLOPE} g.points path.point')]
        .some(p => p.getBoundingClientRect().width > 0)""", polling=100)
    point = page.locator(f"{SLOPE} g.points path.point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    page.locator(".st-key-whatif_explain_waterfall_chart .main-svg").first.wait_for()
    # the clicked line's person: the rank change the metric shows is that line's (its ends' labels)
    rank = page.locator('[data-testid="stMetric"]').filter(has_text="全办名次").inner_text()
    before, after = (int(x) for x in rank.split("\n")[-1].split("→"))
    assert before != after
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="解释某人的名次变化")
    assert "YZ" in box.inner_text() + box.locator("input").input_value()
    assert not page.locator('[data-testid="stException"]').count()
