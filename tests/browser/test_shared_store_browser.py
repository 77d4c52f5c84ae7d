"""The store shared by the app and the command line, in a real browser: an
ingest from the shell while the app serves pages, two uploads at once from
two browsers, the page of a store that cannot be opened, and the backup
download on the data page."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

from cadre import store

from .conftest import ROOT, open_page, running_app, screenshot, sign_in_if_asked, wait_idle

DEMO = ROOT / "data" / "demo"
ROSTER = "编号,姓名,性别,出生日期,学历,科室,职务,职级\n{pid},{name},男,1980-01-01,大学本科,信息科,科员,科员\n"


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_an_ingest_from_the_shell_while_the_app_serves_pages(app_url, page, tmp_path):
    db = tmp_path / "cadre.duckdb"  # the app's store (see running_app)
    open_page(page, app_url)
    page.get_by_text("演示数据").first.wait_for()
    files = [str(DEMO / f"{n}.csv") for n in ("roster", "assessments", "movements")]
    cli = subprocess.Popen([sys.executable, "-m", "cadre", "ingest", *files, "--json", "--wait", "300",
                            "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for key in ("structure", "sections", "data", "overview"):  # the app keeps serving
            open_page(page, app_url, key)
            page.wait_for_selector("h1")
            _no_exception(page)
    finally:
        out, err = cli.communicate(timeout=600)
    assert cli.returncode == 0, err
    assert "Traceback" not in err
    assert json.loads(out)["loaded"]["roster"] > 0
    # the app reads what the command stored: the office's own data replaced
    # the demo, so a new session signs in (its first administrator is made
    # from the shell, as an office would)
    subprocess.run([sys.executable, "-m", "cadre", "user", "add", "tester", "--role", "admin",
                    "--password-stdin", "--db", str(db)],
                   input="office-password\n", text=True, check=True, cwd=ROOT, timeout=120)
    open_page(page, app_url)
    sign_in_if_asked(page, "tester", "office-password")
    page.wait_for_selector('[data-testid="stMetric"]')
    assert "演示数据" not in page.locator('[data-testid="stMain"]').inner_text()


def test_two_uploads_at_once_from_two_browsers(app_url, browser, tmp_path):
    pages = []
    for i, lang in enumerate(("zh", "en")):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        path = tmp_path / f"roster{i}.csv"
        path.write_text(ROSTER.format(pid=f"900{i}", name=f"同时{i}"), encoding="utf-8")
        open_page(pg, app_url, "data", f"lang={lang}")
        pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        pg.get_by_text(path.name).first.wait_for()
        pages.append(pg)
    buttons = [pages[0].get_by_role("button", name=re.compile("校验并载入")),
               pages[1].get_by_role("button", name=re.compile("Validate and load"))]
    for b in buttons:  # both submitted at once
        b.click(no_wait_after=True)
    for pg in pages:
        pg.wait_for_selector('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentError"]',
                             timeout=120_000)
        wait_idle(pg)
        _no_exception(pg)
    zh = pages[0].locator('[data-testid="stMain"]').inner_text()
    en = pages[1].locator('[data-testid="stMain"]').inner_text()
    assert "已载入" in zh or "另一项上传" in zh
    assert "Loaded" in en or "Another upload" in en
    assert "TransactionException" not in zh + en
    screenshot(pages[0], "two-uploads-zh")
    for pg in pages:
        pg.context.close()


def test_a_store_that_cannot_be_opened_gets_a_clear_page(browser, tmp_path):
    bad = tmp_path / "garbage.duckdb"
    bad.write_bytes(b"this is not a database\n" * 100)
    before = bad.read_bytes()
    work = tmp_path / "app"
    work.mkdir()
    with running_app(bad, work) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        open_page(pg, url)
        alert = pg.locator('[data-testid="stAlertContentError"]')
        alert.first.wait_for()
        assert "无法打开数据库" in alert.first.inner_text()
        assert "不是可用的 DuckDB 数据库文件" in pg.locator('[data-testid="stMain"]').inner_text()
        _no_exception(pg)
        screenshot(pg, "store-unusable")
        context.close()
    assert (work / "cadre.duckdb").read_bytes() == before


def test_a_store_damaged_inside_gets_the_same_clear_page(browser, tmp_path, demo_store_template):
    from tests.cadre.store.helpers import zeroed_blocks
    template = tmp_path / "zeroed.duckdb"
    zeroed_blocks(template, demo_store_template)  # opens; its roster and users blocks fail their checksum
    work = tmp_path / "app"
    work.mkdir()
    with running_app(template, work) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        for _ in range(2):  # and on the next visit, once DuckDB has invalidated the file
            open_page(pg, url)
            pg.locator('[data-testid="stAlertContentError"]').first.wait_for()
            main = pg.locator('[data-testid="stMain"]').inner_text()
            assert "无法打开数据库" in main and "不是可用的 DuckDB 数据库文件" in main, main
            _no_exception(pg)
        context.close()


def test_the_data_page_offers_admins_a_backup(app_url, page):
    open_page(page, app_url, "data")
    button = page.get_by_role("button", name=re.compile("下载备份"))
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    data = open(info.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert {"roster", "batches", "settings"} <= {t["name"] for t in manifest["tables"]}
    wait_idle(page)
    screenshot(page, "data-backup")
