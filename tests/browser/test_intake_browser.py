"""The data page with the office's own files: 任免审批表 reviewed before
loading (an unsure cell corrected and remembered), and a foreign export
mapped column by column, after which the next one maps itself."""
from __future__ import annotations

import re
import subprocess
import sys

from tests.cadre.ingest import lrmx_samples as L
from tests.browser.conftest import (GRID_ROW_PX, ROOT, click_grid_row, open_page, screenshot, sign_in_if_asked,
                                    wait_idle)
from tests.cadre.ingest.test_mapping import FIRST, foreign_csv

# the same system's next export, in codes the saved mapping knows
SECOND = [["A03", "郑三", "2", "1990-01-01", "大学", "综合科", "正科", ""]]

UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
SUCCESS = '[data-testid="stAlertContentSuccess"]'
REVIEW = ".st-key-data_review_box"


def _upload(page, paths, last_name):
    page.locator(UPLOAD).set_input_files([str(p) for p in paths])
    page.get_by_text(last_name).first.wait_for()
    page.get_by_role("button", name=re.compile("校验并载入")).click()


# The grid draws on a canvas, and keeps beside it a table for screen readers:
# its header titles, and for each row on screen its index and its cells'
# text and selection.
GRID_TABLE = """(grid) => ({
  heads: [...grid.querySelectorAll('th[role="columnheader"]')].map(h => h.innerText.trim()),
  rows: [...grid.querySelectorAll('tbody tr[role="row"]')].map(r => ({
    index: Number(r.getAttribute('aria-rowindex')) - 2,
    cells: [...r.querySelectorAll('td[role="gridcell"]')].map(c => ({
      text: c.innerText.trim(), selected: c.getAttribute('aria-selected') === 'true'}))}))})"""


def _grid_table(grid) -> dict:
    return grid.evaluate(GRID_TABLE)


def _cell_of(grid, row_text: str, column: str) -> tuple[int, int]:
    """(row, columns right of the first) of the cell in ``column`` on the row
    that shows ``row_text``: found by content, never by where a row was."""
    table = _grid_table(grid)
    rows = [r["index"] for r in table["rows"] if any(c["text"] == row_text for c in r["cells"])]
    assert len(rows) == 1 and column in table["heads"], (row_text, column, table)
    return rows[0], table["heads"].index(column)


def _cell(grid, row: int, rights: int) -> dict | None:
    for r in _grid_table(grid)["rows"]:
        if r["index"] == row and rights < len(r["cells"]):
            return r["cells"][rights]
    return None


def _edit(page, grid, row: int, rights: int | None, text: str) -> None:
    """Type ``text`` into a data-editor cell: row (0-based) and columns right
    of the first; with ``rights``, only once that very cell is the one selected
    (a click that lands while a rerun redraws the grid can select another)."""
    editor = page.locator("#portal textarea, #portal input").first
    for attempt in range(4):
        # a click that lands while the previous edit's rerun redraws the grid
        # selects nothing, and once (fresh run 21) a selected cell took three
        # Enters without opening its editor: a user would try again, the
        # second time with a double click on the cell, and so does the test
        if rights is None:  # a two-column grid: the right-hand cell
            click_grid_row(page, grid, row, x=-1)
        else:
            click_grid_row(page, grid, row, x=20)
            for _ in range(rights):
                page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)   # the screen readers' table follows the canvas
            if not (_cell(grid, row, rights) or {}).get("selected"):
                if attempt == 3:
                    raise AssertionError(f"cell {row},{rights} never selected: {_grid_table(grid)}")
                page.keyboard.press("Escape")
                wait_idle(page)
                continue
        if attempt % 2:
            box = grid.bounding_box()
            cell_x = box["x"] + (box["width"] * 0.75 if rights is None else 20)
            if rights is None:
                page.mouse.dblclick(cell_x, box["y"] + GRID_ROW_PX * (row + 1.5))
            else:
                page.keyboard.press("F2")   # the grid's other key that opens a cell's editor
        else:
            page.keyboard.press("Enter")
        try:
            editor.wait_for(state="visible", timeout=8_000)
            break
        except Exception:
            if attempt == 3:
                screenshot(page, "intake-edit-fail")
                raise
            page.keyboard.press("Escape")
            wait_idle(page)
    editor.fill(text)
    page.keyboard.press("Enter")
    editor.wait_for(state="hidden")
    # the edit reruns the script: wait for that run to start (if it has not
    # already come and gone) and to end, so the next edit meets a still grid
    try:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=5_000)
    except Exception:  # noqa: BLE001 - the run was over before we looked
        pass
    wait_idle(page)


def _write(tmp_path, files):
    paths = []
    for name, data in files:
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    return paths


def test_appointment_forms_reviewed_corrected_and_remembered(app_url, page, tmp_path):
    paths = _write(tmp_path, L.office_files() + [("坏.lrmx", L.BROKEN)])
    open_page(page, app_url, "data")
    _upload(page, paths, "坏.lrmx")
    review = page.locator(REVIEW)
    review.get_by_text("载入前核对").wait_for()
    wait_idle(page)
    page.locator(".st-key-data_review_gaps").get_by_text("赵敏.lrmx：缺少XingBie（性别）").wait_for()
    text = review.inner_text()
    assert "有 3 处未能确定或未能读取" in text
    assert "坏.lrmx：XML 格式损坏，第 5 行" in text
    assert "赵敏.lrmx：缺少XingBie（性别）" in text
    # nothing is loaded before the user accepts
    assert page.locator(SUCCESS).count() == 0
    grid = review.locator('[data-testid="stDataFrameResizable"]').first
    screenshot(page, "intake-review")
    row, rights = _cell_of(grid, "赵敏", "性别")
    _edit(page, grid, row, rights, text="女")
    # what the user sees in the cell before accepting: her 性别, nobody else's
    page.wait_for_function(f"(grid) => ({GRID_TABLE})(grid).rows.some(r => r.index === {row}"
                           f" && r.cells[{rights}] && r.cells[{rights}].text === '女')",
                           arg=grid.element_handle(), polling=100, timeout=10_000)
    page.get_by_role("button", name=re.compile("确认并载入")).click()
    page.wait_for_selector(SUCCESS, timeout=60_000)
    wait_idle(page)
    message = page.locator(SUCCESS).first.inner_text()
    assert "人员名册 5" in message and "考核成绩 11" in message and "任免记录 14" in message
    assert page.locator(REVIEW).count() == 0

    # the same person again: the correction is remembered, nothing is unsure
    _upload(page, [paths[2]], "赵敏.lrmx")
    review.get_by_text("载入前核对").wait_for()
    wait_idle(page)
    assert "所有项均已确定" in review.inner_text()

    # the photo shows on the person page, and not with names masked
    # the store now holds an office's own data, so a new session signs in:
    # make its first administrator from the shell, as an office would
    subprocess.run([sys.executable, "-m", "cadre", "user", "add", "tester", "--role", "admin",
                    "--password-stdin", "--db", str(tmp_path / "cadre.duckdb")],
                   input="office-password\n", text=True, check=True, cwd=ROOT, timeout=120)
    open_page(page, app_url, "person", "person=410102196507011234")
    sign_in_if_asked(page, "tester", "office-password")
    page.wait_for_selector('[data-testid="stImage"] img')
    open_page(page, app_url, "person", "person=410102196507011234&mask=1")
    sign_in_if_asked(page, "tester", "office-password")
    page.get_by_text("410102196507011234").first.wait_for()
    assert page.locator('[data-testid="stImage"]').count() == 0


def test_a_foreign_export_mapped_then_the_next_maps_itself(app_url, page, tmp_path):
    first = tmp_path / "hr.csv"
    first.write_bytes(foreign_csv(FIRST))
    second = tmp_path / "hr-2.csv"
    second.write_bytes(foreign_csv(SECOND))
    open_page(page, app_url, "data")
    _upload(page, [first], "hr.csv")
    review = page.locator(REVIEW)
    review.get_by_text("表头不是模板的表头").wait_for()
    wait_idle(page)
    assert review.get_by_role("button", name=re.compile("确认并载入")).is_disabled()
    grids = review.locator('[data-testid="stDataFrameResizable"]')
    # the value maps, one table: 性别 1, 2; 学历 大学; 职级 正科 (bottom row first:
    # committing a cell moves the selection down)
    for row, value in ((3, "正科级"), (2, "大学本科"), (1, "女"), (0, "男")):
        _edit(page, grids.nth(1), row, None, value)
    screenshot(page, "intake-mapping")
    review.get_by_role("button", name=re.compile("保存列对应")).click()
    wait_idle(page)
    accept = page.get_by_role("button", name=re.compile("确认并载入"))
    accept.wait_for()
    page.wait_for_function("() => { const b = [...document.querySelectorAll('button')].find("
                           "x => x.innerText.includes('确认并载入')); return b && !b.disabled; }", polling=100)
    wait_idle(page)
    # a rerun can leave the previous run's (disabled) button on screen a moment: press the live one
    page.get_by_role("button", name=re.compile("确认并载入"), disabled=False).first.click()
    page.wait_for_selector(SUCCESS, timeout=60_000)
    wait_idle(page)
    assert "人员名册 2" in page.locator(SUCCESS).first.inner_text()
    # the next export of the same system loads at once
    _upload(page, [second], "hr-2.csv")
    page.get_by_text("批次 3").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert "人员名册 1" in page.locator(SUCCESS).first.inner_text()
