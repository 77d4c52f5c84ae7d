"""The spine in a real browser: the overview opens on the demo office, a GBK
CSV uploaded through the file input lands and is counted, a file over the
limit is refused. (That every page opens is checked by test_offline_browser,
which opens every page anyway.)"""
from __future__ import annotations

import re

from .conftest import open_page, wait_idle

GBK_ROSTER = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
              "9001,测试甲,男,1980-01-01,大学本科,信息科,科员,科员\n"
              "9002,测试乙,女,1985年3月,研究生,信息科,科员,办事员\n").encode("gbk")


def test_the_overview_opens_on_the_demo_office(app_url, page):
    open_page(page, app_url)
    page.wait_for_selector('[data-testid="stMetric"]')
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "演示数据" in text


def test_a_gbk_csv_uploaded_in_the_browser_lands(app_url, page, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(GBK_ROSTER)
    open_page(page, app_url, "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("名册.csv").first.wait_for()
    page.get_by_role("button", name=re.compile("校验并载入")).click()
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=60_000)
    wait_idle(page)
    message = page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    assert "人员名册 2" in message
    # The office's first own upload replaced the demo: the notice is gone.
    assert "演示数据" not in page.locator('[data-testid="stMain"]').inner_text()
    # Undo brings the demo back.
    page.get_by_role("button", name=re.compile("撤销最近一批")).click()
    page.get_by_text(re.compile("将撤销第 .* 批")).wait_for()  # asks once, naming the batch
    page.get_by_role("button", name=re.compile("确认撤销这一批")).click()
    page.get_by_text("演示数据").first.wait_for(timeout=60_000)


def test_a_file_over_the_limit_is_refused_in_chinese_and_audited(app_url, page, tmp_path):
    """A file over the upload limit (50 MB) reaches the app, which says so
    in the user's language and records it; one over the server's cap (twice
    the limit) is refused by the browser, in the app's words too."""
    import json

    from cadre import audit, store
    big = tmp_path / "大名册.csv"
    with open(big, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    open_page(page, app_url, "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
    page.get_by_text("大名册.csv").first.wait_for()
    page.get_by_role("button", name=re.compile("校验并载入")).click()
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "File must be" not in main and "请先选择" not in main, main
    table = page.locator('[data-testid="stDataFrame"]').first  # the problems table names file and limit
    assert table.count() == 1
    con = store.connect(tmp_path / "cadre.duckdb", wait=30)
    try:
        entries = audit.entries(con)
    finally:
        con.close()
    assert entries["kind"].tolist()[:1] == ["upload_rejected"]
    detail = json.loads(entries.iloc[0]["detail"])
    assert detail["reason"] == "too_large" and detail["files"] == ["大名册.csv"]
    # over the server's cap: the browser refuses it, and says so in Chinese
    huge = tmp_path / "巨大.csv"
    with open(huge, "wb") as fh:
        fh.truncate(101 * 1024 * 1024)
    open_page(page, app_url, "data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(huge))
    page.get_by_text("巨大.csv").first.wait_for()
    page.get_by_text(re.compile("文件超过服务器可接收的 100 MB")).first.wait_for()
    assert "File must be" not in page.locator('[data-testid="stFileUploader"]').inner_text()
