"""Browser tests of the assessment pages: click a section's bar in the
comparison and land on its people; open a person profile from a table row.

Run over the small hand-computed office of tests/cadre/assessment/helpers.py (so the
people are known): this module's ``demo_store_template`` replaces the
session's demo store for the ``app_url`` fixture.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cadre import batches, store, users
from cadre.access import User
from tests.cadre.assessment.helpers import small_files
from .conftest import open_page as _open_page
from .conftest import click_grid_row, screenshot, sign_in_if_asked, wait_idle


@pytest.fixture
def app_url(module_app_url):
    """These tests only read the store (a click selects, navigates or picks a
    date in the session): one app serves the whole module."""
    return module_app_url

PASSWORD = "office-password"


@pytest.fixture(autouse=True)
def _patient(page):
    """A sign-in, then a cold page on a loaded machine: wait generously."""
    page.set_default_timeout(90_000)


def open_page(page, url: str, path: str = "", query: str = "") -> None:
    """Open a page; this office's store asks to sign in first."""
    _open_page(page, url, path, query)
    sign_in_if_asked(page, "tester", PASSWORD)



@pytest.fixture(scope="module")
def demo_store_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("assessment_store") / "small.duckdb"
    con = store.connect(path)
    assert batches.ingest(con, small_files()).ok
    users.add(con, "tester", "admin", PASSWORD, User("setup", "admin"))  # an office's store needs sign-in
    con.close()
    return path


def _grid_text(page, key: str) -> str:
    """The text of a dataframe (glide grid) found by its widget key."""
    grid = page.locator(f".st-key-{key}_table")
    grid.wait_for()
    return grid.inner_text()


def test_click_a_section_lands_on_its_people(page, app_url):
    open_page(page, app_url, "sections")
    bars = page.locator(".st-key-sections_means_chart g.point path")
    page.wait_for_function("""() => [...document.querySelectorAll('.st-key-sections_means_chart g.point path')]
        .some(p => p.getBoundingClientRect().height > 0)""", polling=100)
    assert bars.count() == 2  # 甲科 and 乙科 (the leadership is not compared)
    screenshot(page, "assessment_sections")
    # bars are sorted by mean: 甲科 81.0, then 乙科 78.75
    box = bars.nth(1).bounding_box()  # plotly's drag layer takes the events: click where the bar is
    # near the bar's top: its path runs down below the axis range, where the plot clips it
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 25)
    wait_idle(page)
    page.get_by_text("乙科 人员").wait_for()
    page.locator(".st-key-sections_people_table").wait_for()
    canvas = page.locator(".st-key-sections_people_table [data-testid='stDataFrameResizable']")
    assert canvas.count() == 1
    screenshot(page, "assessment_sections_people")


def test_open_a_person_profile_from_a_table_row(page, app_url):
    open_page(page, app_url, "sections", "section=甲科")
    grid = page.locator(".st-key-sections_people_table [data-testid='stDataFrameResizable']")
    grid.wait_for()
    screenshot(page, "assessment_sections_scoped")
    click_grid_row(page, grid, 0)  # the first data row's selection cell
    page.wait_for_function("() => location.pathname.endsWith('/person')", timeout=30_000, polling=100)
    wait_idle(page)
    assert "person=A3" in page.url  # 甲科's first by section rank (82)
    page.get_by_role("heading", name="甲三 · A3").wait_for()
    screenshot(page, "assessment_person")


def test_person_profile_by_link_in_english_on_the_projector(page, app_url):
    open_page(page, app_url, "person", "person=B4&lang=en&mode=projector")
    page.get_by_role("heading", name="Person profile").wait_for()
    page.get_by_role("heading", name="B4").wait_for()
    screenshot(page, "assessment_person_projector_en")


def test_distribution_page_renders(page, app_url):
    open_page(page, app_url, "distribution")
    # the histogram's bars are drawn (empty bins are zero-height paths, never
    # "visible" to Playwright, so wait for the bar layer and count its points)
    page.wait_for_function("""() => [...document.querySelectorAll('.st-key-dist_hist_chart g.trace.bars g.point path')]
        .some(p => p.getBoundingClientRect().height > 0)""", polling=100)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "assessment_distribution")


def test_the_person_page_opens_on_a_list_and_a_row_opens_a_profile(page, app_url):
    """Issue 10: the person page opens on the people of the scope, not on an
    empty picker, and a row of that list opens the profile."""
    open_page(page, app_url, "person")
    grid = page.locator(".st-key-person_list_table [data-testid='stDataFrameResizable']")
    grid.wait_for()
    assert "person=" not in page.url
    click_grid_row(page, grid, 0)  # the first data row's selection cell
    page.wait_for_function("() => new URLSearchParams(location.search).has('person')", timeout=60_000, polling=100)
    wait_idle(page)
    person = page.evaluate("() => new URLSearchParams(location.search).get('person')")
    assert person in {"A1", "A2", "A3", "B1", "B2", "B3", "B4", "L1"}, person
    page.get_by_role("heading", name=f"· {person}").wait_for()
    page.locator(".st-key-person_history_chart .main-svg").first.wait_for()   # the profile's own chart
    wait_idle(page)
    page.locator(".st-key-person_list_table").wait_for(state="detached")   # the list gave way to it
    screenshot(page, "person_from_list")
