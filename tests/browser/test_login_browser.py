"""Sign-in in a real browser, on an office's store (the demo files loaded as
the office's own upload, so the store no longer holds the demo): the login
wall, a viewer refused by address, a locked account that stays locked."""
from __future__ import annotations

import re
import shutil

import pytest

from .conftest import click_for_a_run, open_page, running_app, screenshot, wait_idle

PASSWORD = "office-password"


@pytest.fixture(scope="module")
def office_url(demo_store_template, tmp_path_factory):
    from cadre import batches, store, users
    from cadre.access import User

    base = tmp_path_factory.mktemp("office_app")
    template = base / "template.duckdb"
    shutil.copy(demo_store_template, template)
    con = store.connect(template)
    assert batches.ingest(con, [batches.file_entry(batches.DEMO_WORKBOOK)]).ok
    assert not batches.holds_demo(con)
    for name, role in (("admin1", "admin"), ("viewer1", "viewer"), ("leader1", "leader")):
        users.add(con, name, role, PASSWORD, User("setup", "admin"))
    con.close()
    with running_app(template, base) as url:
        yield url


@pytest.fixture(autouse=True)
def _patient(page):
    """Sign-in, then a cold page on a loaded machine: wait generously."""
    page.set_default_timeout(90_000)


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    """Fill and submit the sign-in form; wait for the run the submit starts
    to end. (The form clears itself on the click, before the server has
    the submit, and the last attempt's error still shows: waiting for either
    once let the next attempt be typed into a form being redrawn, and that
    submit was lost.)"""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码", exact=True).fill(password)
    click_for_a_run(page, page.get_by_role("button", name="登录"))


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_the_login_wall(office_url, page):
    open_page(page, office_url)
    page.get_by_label("密码", exact=True).wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('.st-key-cadre_nav').count() == 0  # no menu before sign-in
    screenshot(page, "login")
    sign_in(page, "admin1")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("admin1", exact=False).wait_for()
    screenshot(page, "signed-in-admin")
    # The admin's menu has the audit log, which holds this sign-in.
    sidebar.get_by_role("link", name=re.compile("审计日志")).click()
    page.get_by_role("heading", name="审计日志").wait_for()
    page.wait_for_selector('[data-testid="stDataFrame"]')
    wait_idle(page)
    screenshot(page, "audit")
    sidebar.get_by_role("link", name=re.compile("用户")).click()
    page.get_by_role("heading", name="添加用户").wait_for()
    wait_idle(page)
    screenshot(page, "users")
    sidebar.get_by_role("button", name=re.compile("退出登录")).click()
    page.get_by_text("已退出登录").wait_for()
    wait_idle(page)
    page.locator('input[autocomplete="current-password"]').wait_for()
    assert page.get_by_role("heading", name="添加用户").count() == 0
    assert page.locator('.st-key-cadre_nav').count() == 0


@pytest.mark.parametrize("path, query", [("person", "person=YZ0001"), ("data", "")])
def test_a_viewer_cannot_reach_a_profile_or_the_data_page_by_address(office_url, page, path, query):
    open_page(page, office_url, path, query)
    sign_in(page, "viewer1")
    page.get_by_text("无权查看").first.wait_for()
    text = main_text(page)
    assert "史建" not in text and "YZ0001" not in text
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    nav = page.locator('.st-key-cadre_nav')
    nav.get_by_role("link", name=re.compile("概览")).wait_for()
    assert nav.get_by_role("link", name=re.compile("个人档案|数据|审计日志|设置")).count() == 0
    screenshot(page, f"viewer-refused-{path}")


def test_a_locked_account_stays_locked(office_url, page):
    open_page(page, office_url)
    for _ in range(4):
        sign_in(page, "leader1", "wrong-password")
        page.get_by_text("用户名或密码不正确").wait_for()
    sign_in(page, "leader1", "wrong-password")
    page.get_by_text("账户已锁定").wait_for()
    # The right password, now and in a fresh session, does not open it.
    sign_in(page, "leader1")
    page.get_by_text("账户已锁定").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    open_page(page, office_url)
    sign_in(page, "leader1")
    page.get_by_text("账户已锁定").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    screenshot(page, "locked")
