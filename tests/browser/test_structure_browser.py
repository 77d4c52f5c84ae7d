"""The structure and pipeline pages in Chromium: open them, change the date,
see the figures change; screenshots for a look (tests/artifacts/)."""
from __future__ import annotations

from playwright.sync_api import expect

from cadre import i18n

from .conftest import open_page, screenshot, wait_idle


def _metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def _wait_for_change(page, before: list[str]) -> None:
    """Wait until the metrics show other values than ``before`` (the rerun done)."""
    page.wait_for_function(
        """(before) => {
            const now = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.innerText.trim());
            return now.length === before.length && JSON.stringify(now) !== JSON.stringify(before);
        }""", arg=[v.strip() for v in before], timeout=60_000, polling=100)
    wait_idle(page)


def _pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def test_structure_page_changes_with_the_date(page, app_url):
    open_page(page, app_url, "structure")
    page.wait_for_selector('[data-testid="stMetricValue"]')
    # plotly draws after the run: the pyramid (the first tab) has its title drawn
    expect(page.locator(".js-plotly-plot").first).to_contain_text(i18n.t("structure.chart.pyramid"),
                                                                  timeout=60_000)
    latest = _metric_values(page)
    screenshot(page, "structure_latest")
    _pick(page, "统计日期", "1998年12月31日")
    _wait_for_change(page, latest)
    earlier = _metric_values(page)
    assert earlier != latest
    assert float(earlier[1]) > float(latest[1])  # mean age: younger after 1999
    screenshot(page, "structure_1998")


def test_pipeline_page_changes_with_the_date(page, app_url):
    open_page(page, app_url, "pipeline")
    page.wait_for_selector('[data-testid="stMetricValue"]')
    latest = _metric_values(page)
    assert int(latest[1]) > 0  # eligible people
    page.get_by_role("tab", name="晋升资格").click()  # lazy tabs: the click reruns the page
    expect(page.get_by_text("未满足的条件").first).to_be_visible(timeout=60_000)
    screenshot(page, "pipeline_latest")
    _pick(page, "统计日期", "1997年12月31日")
    _wait_for_change(page, latest)
    assert _metric_values(page) != latest
    page.get_by_role("tab", name="年度任免").click()  # lazy tabs: wait for the rerun's content
    # (a read-only dataframe carries no key class: its download button does)
    page.locator(".st-key-pipeline_moves_xlsx").wait_for(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_role("combobox", name="年度")).to_have_value("2001")  # the span's last year
    assert page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]').count() == 1
    screenshot(page, "pipeline_1997")
    page.get_by_role("tab", name="科室交流").click()
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_idle(page)
    # the note on which sections are shown
    expect(page.get_by_text("只列出所选时段内").first).to_be_visible(timeout=60_000)
    screenshot(page, "pipeline_exchange")


def test_structure_page_on_the_projector_in_english(page, app_url):
    open_page(page, app_url, "", "lang=en&mode=projector")  # through the router first
    open_page(page, app_url, "structure", "lang=en&mode=projector")
    page.wait_for_selector('[data-testid="stMetricValue"]')
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="Mean age")).to_have_count(1, timeout=60_000)
    screenshot(page, "structure_projector_en")
    open_page(page, app_url, "pipeline", "lang=en&mode=projector")
    page.wait_for_selector('[data-testid="stMetricValue"]')
    screenshot(page, "pipeline_projector_en")
