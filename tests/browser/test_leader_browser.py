"""What a leader sees, in a real browser (issue 10, part B): the uploader in
Chinese, and data holding Markdown or HTML shown as the literal text it is on
every page, with no request to any other host."""
from __future__ import annotations

import io
from urllib.parse import quote, urlparse

import pandas as pd
import pytest

from cadre import batches, store
from cadre.ui.nav import PAGES

from .conftest import open_page, running_app, screenshot, wait_idle

SECTION = "信息科"
EVIL_SECTION = "![x](http://evil.example/s.png)信息科"
EVIL_NAME = "[点我](http://evil.example/n):red[张]<img src=http://evil.example/i.png>"


def _evil_workbook() -> tuple[bytes, str]:
    sheets = pd.read_excel(batches.DEMO_WORKBOOK, sheet_name=None, dtype=object)
    for frame in sheets.values():
        frame.replace(SECTION, EVIL_SECTION, inplace=True)
    roster = sheets["人员名册"]
    in_section = roster[roster["科室"] == EVIL_SECTION].index[0]
    person = str(roster.loc[in_section, "编号"])
    roster.loc[in_section, "姓名"] = EVIL_NAME
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    return buf.getvalue(), person


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    path = folder / "template.duckdb"
    con = store.connect(path)
    data, person = _evil_workbook()
    # loaded as the store's demo office: these tests are about how data is
    # shown, and a demo store without users opens without sign-in
    assert batches.ingest(con, [("office.xlsx", data)], is_demo=True).ok
    con.close()
    with running_app(path, folder) as url:
        yield url, person


def test_the_uploader_speaks_chinese(evil_app, page):
    url, _ = evil_app
    open_page(page, url, "data")
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.get_by_role("button", name="选择文件").wait_for()
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"]')
                 .innerText.includes('每个文件不超过')""", polling=100)
    text = zone.inner_text()
    assert "Upload" not in text and "per file" not in text, text
    screenshot(page, "leader-data-uploader")


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_markdown_in_data_shows_as_written_and_loads_nothing_from_outside(evil_app, page, spec):
    url, person = evil_app
    host = urlparse(url).netloc
    outside = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (host, "") and
            not r.url.startswith(("data:", "blob:")) else None)
    query = f"section={quote(EVIL_SECTION)}" + (f"&person={person}" if spec.key == "person" else "")
    open_page(page, url, spec.key, query)
    page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('img[src*="evil.example"], a[href*="evil.example"]').count() == 0
    text = main.inner_text().replace("\u2060", "")  # the word joiner that stops bare links
    # settings and data show no section; users and audit log are not scoped (issue 20.19)
    assert EVIL_SECTION in text or spec.key in ("settings", "data", "users", "audit"), \
        f"{spec.key}: section not shown as written"
    if spec.key == "person":
        assert EVIL_NAME in text, "the name is not shown as written"
    assert not outside, outside
    if spec.key in ("overview", "person"):
        screenshot(page, f"leader-markdown-{spec.key}")
