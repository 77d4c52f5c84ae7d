"""The 后备与推荐 page in a real browser on the demo: pick a post with no
ready successor (flagged), compare three candidates, recommend one with a
reason, close the recommendation, download the 推荐名单 and the 任免审批表
(each download audited); then the board, the comparison and the matrix on
the projector at 1280×720 without text cut off."""
from __future__ import annotations

import json

from cadre import audit, store
from cadre.succession import recommend

from .conftest import open_page, running_app, screenshot, wait_idle
from .test_appraisal_layout_browser import _context, _select_in

# Text cut off: an element whose text needs more room than its box (not a grid, which scrolls).
CUT_TEXT = """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p, '
        + '[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p, h1, h2, h3')]
    .filter(e => e.offsetParent !== null && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.innerText.slice(0, 40) + ': ' + e.scrollWidth + ' > ' + e.clientWidth)"""

# The board's columns run past the grid's right edge (it scrolls sideways, and
# a projector shows the cut): the grid's scroll width against its width.
BOARD_SCROLLER = '[data-testid="stDataFrame"] .dvn-scroller'
BOARD_WIDER = f"""() => {{ const s = document.querySelector('{BOARD_SCROLLER}');
    return s.scrollWidth > s.clientWidth + 1 ? s.scrollWidth + ' > ' + s.clientWidth : null; }}"""


FIND = "查找其他人选（姓名或编号）"


def _box(page, label: str):
    return page.locator('[data-testid="stMultiSelect"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True)).first


def _multi(page, label: str, texts: list[str], find: str | None = None) -> None:
    """Add ``texts`` to a multiselect, each until it shows (a rerun that
    lands while typing can drop an entry); with ``find``, the label of a
    search box that first brings each into the multiselect's choices."""
    wait_idle(page)
    for text in texts:
        if find:
            field = page.locator(f'input[aria-label="{find}"]')
            field.fill(text)
            field.press("Enter")
            wait_idle(page)
            page.get_by_text("已加入「比较的人选」的选项").first.wait_for()
            wait_idle(page)
        for _attempt in range(3):
            box = _box(page, label)
            box.locator("input").click()
            box.locator("input").fill(text)
            page.keyboard.press("Enter")
            wait_idle(page)
            page.wait_for_timeout(300)
            wait_idle(page)
            if text in _box(page, label).inner_text():
                break
    page.keyboard.press("Escape")
    wait_idle(page)


def test_walk_the_board_compare_recommend_close_and_download(demo_store_template, tmp_path, browser):
    db = tmp_path / "cadre.duckdb"
    with running_app(demo_store_template, tmp_path) as url:
        context, page = _context(browser, 1440, 900)
        open_page(page, url)
        open_page(page, url, "succession")
        page.get_by_text("个职务没有现可接任的人选").first.wait_for()
        _select_in(page, page, "职务", "秘书一科科长")
        page.get_by_text("秘书一科科长的接替人选").wait_for()
        _multi(page, "比较的人选", ["YZ0041", "YZ0015"], find=FIND)
        page.get_by_text("各人不同的项目以底色标出").wait_for()
        chosen = _box(page, "比较的人选").inner_text()
        assert all(pid in chosen for pid in ("YZ0063", "YZ0041", "YZ0015")), chosen   # three compared
        page.get_by_role("button", name="下载比较表（PDF）").wait_for()
        _select_in(page, page, "推荐人选", "YZ0063")
        page.get_by_label("推荐理由").fill("文字功底扎实，统筹协调能力强")
        page.get_by_role("button", name="记录推荐").click()
        wait_idle(page)
        page.get_by_text("已记录推荐 1").wait_for()
        page.get_by_role("button", name="定案", exact=True).click()
        wait_idle(page)
        names = []
        for label in ("推荐名单（XLSX）", "推荐名单（PDF）", "任免审批表（.lrmx）", "任免审批表（PDF）"):
            with page.expect_download(timeout=120_000) as dl:
                page.get_by_role("button", name=label).click()
            names.append(dl.value.suggested_filename)
            wait_idle(page)
            if label == "任免审批表（.lrmx）":
                data = open(dl.value.path(), "rb").read()
                assert "<NiRenZhiWu>秘书一科科长</NiRenZhiWu>" in data.decode("utf-8")
        assert names == ["推荐名单.xlsx", "推荐名单.pdf", "彭荣_YZ0063.lrmx", "彭荣_YZ0063.pdf"]
        assert page.locator('[data-testid="stException"]').count() == 0
        context.close()

        context, page = _context(browser, 1280, 720)
        open_page(page, url)
        open_page(page, url, "succession", "lang=en")   # the widest labels, beside the sidebar
        page.get_by_text("posts have no successor ready now").first.wait_for()
        # The caption arrives before the grid has drawn its scroller: wait for the scroller.
        page.locator(BOARD_SCROLLER).first.wait_for()
        page.wait_for_timeout(1000)
        wider = page.evaluate(BOARD_WIDER)
        open_page(page, url, "succession", "mode=projector&lang=zh")
        page.get_by_text("个职务没有现可接任的人选").first.wait_for()
        page.wait_for_timeout(1000)
        screenshot(page, "succession-board-1280")
        board_cut = page.evaluate(CUT_TEXT)
        _select_in(page, page, "职务", "秘书一科科长")
        page.get_by_text("秘书一科科长的接替人选").wait_for()
        wait_idle(page)
        _multi(page, "比较的人选", ["YZ0041", "YZ0015"], find=FIND)
        page.get_by_text("各人不同的项目以底色标出").wait_for()
        chosen = _box(page, "比较的人选").inner_text()
        assert all(pid in chosen for pid in ("YZ0063", "YZ0041", "YZ0015")), chosen
        page.wait_for_timeout(1500)
        cut = page.evaluate(CUT_TEXT)
        page.screenshot(path=str(screenshot(page, "succession-projector-1280-full")).replace("-full", "-top"))
        for name, anchor in (("compare", page.get_by_text("各人不同的项目以底色标出")),
                             ("matrix", page.locator('[data-testid="stPlotlyChart"]').first)):
            anchor.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            page.screenshot(path=str(screenshot(page, f"succession-{name}-1280")).replace(".png", "-view.png"))
        context.close()
    assert (board_cut, cut, wider) == ([], [], None), (board_cut, cut, wider)
    con = store.connect(db, read_only=True)
    try:
        rec = recommend.get(con, 1)
        exports = [json.loads(d) for d in audit.entries(con, kinds=["export"])["detail"]]
    finally:
        con.close()
    assert rec["status"] == "closed" and rec["person_id"] == "YZ0063"
    assert sorted(e["file"] for e in exports if e.get("recommendations") == [1]) == sorted(names)
