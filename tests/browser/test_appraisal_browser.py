"""The appraisal meeting in a real browser: start a session on the demo's
2001, move three people with reasons (one breaking the quota), see the quota
guide and the warnings change, close the browser, reopen and resume, close
the session; the official grades for 2001 then hold the moves, and undo of
that batch restores them."""
from __future__ import annotations

from cadre import batches, store

from .conftest import open_page, running_app, screenshot, wait_idle

QUOTA_LABEL = "优秀名额"


def _no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _quota(page) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=QUOTA_LABEL).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _wait_quota(page, value: str) -> None:
    page.wait_for_function(
        """(value) => [...document.querySelectorAll('[data-testid="stMetric"]')]
             .some(m => m.innerText.includes('优秀名额') &&
                        m.querySelector('[data-testid="stMetricValue"]').innerText.trim() === value)""",
        arg=value, timeout=60_000, polling=100)


def _guides(page) -> str:
    return page.locator(".st-key-appraisal_guides").inner_text()


def _wait_guides(page, text: str, times: int) -> None:
    """Until the guides name ``text`` exactly ``times`` times."""
    page.wait_for_function("""([text, times]) => (document.querySelector('.st-key-appraisal_guides')?.innerText
                                                   || '').split(text).length - 1 === times""",
                           arg=[text, times], timeout=60_000, polling=100)


def _select(page, label: str, text: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True)).first
    box.locator("input").click()
    box.locator("input").fill(text)
    page.keyboard.press("Enter")
    wait_idle(page)


def _move(page, person: str, grade: str, reason: str) -> None:
    _select(page, "调整对象", person)
    card = page.locator(".st-key-appraisal_move")
    card.get_by_role("button", name="调整等次").wait_for()
    card.locator('[data-testid="stButtonGroup"]').get_by_text(grade, exact=True).click()
    wait_idle(page)
    _select(page, "理由", reason)
    card.get_by_role("button", name="调整等次").click()
    wait_idle(page)
    _no_error(page)


def _official_2001(db) -> dict:
    con = store.connect(db)
    try:
        rows = store.query(con, "appraisal_period_rows", period="2001").dropna(subset=["grade"])
        return dict(zip(rows["person_id"], rows["grade"]))
    finally:
        con.close()


def test_meeting_moves_resume_close_and_undo(demo_store_template, tmp_path, browser):
    db = tmp_path / "cadre.duckdb"
    with running_app(demo_store_template, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_page(page, url)
        open_page(page, url, "appraisal")
        page.get_by_role("button", name="开始评定会").click()
        wait_idle(page)
        _wait_quota(page, "9 / 10")
        # the guides come in one by one: wait for the turn-taking one
        _wait_guides(page, "轮流坐庄", 1)                                  # the demo's planted YZ0041
        assert "未超出" in _guides(page)

        _move(page, "YZ0064", "优秀", "全年工作实绩突出")              # a common reason, picked
        _wait_quota(page, "10 / 10")
        _move(page, "YZ0039", "优秀", "牵头完成全市接待任务")          # typed; third of 接待科
        _wait_quota(page, "11 / 10")
        _wait_guides(page, "轮流坐庄", 2)
        _move(page, "YZ0096", "优秀", "承担急难险重任务表现突出")       # the 12th: breaks the quota
        _wait_quota(page, "12 / 10")
        guides = _guides(page)
        assert "超出名额" in guides and "未超出" not in guides
        assert page.get_by_text("此项调整突破名额").count() >= 1
        context.close()                                                 # the browser goes away

        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_page(page, url)
        open_page(page, url, "appraisal", "mode=projector")
        _wait_quota(page, "12 / 10")                                    # resumed as it was left
        page.get_by_text("已调整 3 人次").wait_for()
        page.locator(".st-key-appraisal_bin_0").get_by_text("赵*娜", exact=False).first.wait_for()
        assert page.locator(".st-key-appraisal_bin_0").get_by_text("赵英娜").count() == 0   # masked
        page.locator(".st-key-appraisal_guides").evaluate(
            """e => { e.scrollIntoView({block: 'start'});
                      for (let s = e.parentElement; s; s = s.parentElement)
                          if (s.scrollTop > 0) { s.scrollBy(0, -110); break; } }""")
        screenshot(page, "appraisal-meeting")                    # guides and bins at 1280×720
        page.get_by_role("tab", name="结束与公示").click()
        wait_idle(page)
        page.get_by_role("button", name="结束评定会并写入正式等次").click()
        wait_idle(page)
        page.get_by_text("评定会已结束，等次已写入批次").first.wait_for()
        _no_error(page)
        context.close()
    after = _official_2001(db)
    assert (after["YZ0064"], after["YZ0039"], after["YZ0096"]) == ("优秀", "优秀", "优秀")
    assert sum(g == "优秀" for g in after.values()) == 12
    con = store.connect(db)
    try:
        assert batches.undo_last(con) is not None
    finally:
        con.close()
    restored = _official_2001(db)
    assert (restored["YZ0064"], restored["YZ0039"], restored["YZ0096"]) == ("称职", "称职", "称职")
    assert sum(g == "优秀" for g in restored.values()) == 9
