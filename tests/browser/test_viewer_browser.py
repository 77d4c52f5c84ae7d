"""Issue 21.6: a viewer never receives a person's number or full name, on
any page, tab or view, in Chinese or English, standard or projector mode;
the person-level pages (the 评定会 among them) are refused by address.

The office's own data (the demo workbook loaded as an upload, so the store
is not the demo, and four 任免审批表 people whose number is the 身份证号)
with known numbers and names; a viewer signs in, walks
every page of the menu (every tab, every view of the what-if lab) and types
the addresses of the refused pages. The page's text and every websocket
frame the server sent are searched for every number and name. A leader's
frames, searched the same way, do hold them: the search can find a leak.
"""
from __future__ import annotations

import json
import shutil

import pytest

from cadre.access import User
from cadre.ui.nav import PAGES
from tests.cadre.ingest import lrmx_samples

from .conftest import open_page, running_app, sign_in_if_asked, wait_idle

PASSWORD = "office-password"
# The contract's viewer pages (docs/contract.md, roles); every other page is refused.
VIEWER_PAGES = ["overview", "distribution", "sections", "whatif", "structure", "pipeline", "projection",
                "succession"]
REFUSED_PAGES = [p.key for p in PAGES if p.key not in VIEWER_PAGES]
REFUSED_TITLE = {"zh": "无权查看", "en": "Not permitted"}


@pytest.fixture(scope="module")
def office(demo_store_template, tmp_path_factory):
    """A running app on an office's store, and its people's numbers and names."""
    from cadre import batches, store, users

    base = tmp_path_factory.mktemp("viewer_app")
    template = base / "template.duckdb"
    shutil.copy(demo_store_template, template)
    con = store.connect(template)
    assert batches.ingest(con, [batches.file_entry(batches.DEMO_WORKBOOK)]).ok
    # 任免审批表 people too: their number is the 身份证号 (or derived from name and birth month).
    assert batches.ingest(con, lrmx_samples.office_files(), office="某县政府办公室", accept_derived=True).ok
    assert not batches.holds_demo(con)
    for name, role in (("viewer1", "viewer"), ("leader1", "leader")):
        users.add(con, name, role, PASSWORD, User("setup", "admin"))
    roster = store.query(con, "store_roster")
    con.close()
    ids = sorted(set(roster["person_id"].dropna().astype(str)))
    names = sorted({n for n in roster["name"].dropna().astype(str).str.strip() if len(n) >= 2})
    assert len(ids) > 50 and len(names) > 50 and "410102198001151111" in ids and "王磊" in names
    assert "appraisal" in REFUSED_PAGES and set(VIEWER_PAGES) < {p.key for p in PAGES}
    with running_app(template, base) as url:
        yield url, ids, names


def _needles(values: list[str]) -> dict[str, list[bytes]]:
    """Each value as the bytes a frame may carry it in: UTF-8 (Arrow tables,
    protobuf strings) and JSON's \\u escapes (a plotly figure's spec)."""
    out = {}
    for v in values:
        escaped = json.dumps(v)[1:-1]
        out[v] = [v.encode()] + ([escaped.encode(), escaped.upper().replace("\\U", "\\u").encode()]
                                 if escaped != v else [])
    return out


def _leaks(needles: dict[str, list[bytes]], blobs: list[bytes]) -> list[str]:
    return [v for v, forms in needles.items() if any(f in b for b in blobs for f in forms)]


def _record_frames(page) -> list[bytes]:
    frames: list[bytes] = []

    def on_ws(ws):
        ws.on("framereceived", lambda payload: frames.append(
            payload.encode() if isinstance(payload, str) else bytes(payload)))
    page.on("websocket", on_ws)
    return frames


def _settle(page) -> None:
    page.wait_for_timeout(400)  # let a click's rerun start before waiting for its end
    wait_idle(page)


def _walk(page) -> list[str]:
    """Open every tab of the page and every view of the what-if lab; the
    page's text after each step."""
    texts = [page.locator("body").inner_text()]
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        tabs.nth(i).click()
        _settle(page)
        texts.append(page.locator("body").inner_text())
    views = page.locator(".st-key-whatif_view button")
    for i in range(views.count()):
        views.nth(i).click()
        _settle(page)
        texts.append(page.locator("body").inner_text())
    return texts


# Both languages and both layouts, each once: the language changes only the
# labels around the data, the layout which elements are sent (the projector
# sends a subset of the standard page), so a leak in Chinese on the standard
# page or in English on the projector is a leak of every pairing. (All four
# pairings took 3.5 minutes of a 2-core run.)
MODES = {"zh": "", "en-projector": "lang=en&mode=projector"}


@pytest.mark.parametrize("mode", list(MODES))
def test_a_viewer_receives_no_number_or_name(office, browser, mode):
    url, ids, names = office
    lang = "en" if mode.startswith("en") else "zh"
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    frames = _record_frames(page)
    texts = []
    try:
        for key in VIEWER_PAGES + REFUSED_PAGES:
            open_page(page, url, key, MODES[mode])  # a typed address (a reload: the sign-in asks again)
            sign_in_if_asked(page, "viewer1", PASSWORD)
            title = page.locator('[data-testid="stMain"] h1').first.inner_text()
            if key in REFUSED_PAGES:
                assert title == REFUSED_TITLE[lang], f"{key} ({mode}) is not refused: {title}"
                texts.append(page.locator("body").inner_text())
            else:
                assert title != REFUSED_TITLE[lang], f"{key} ({mode}) refused to a viewer"
                texts += _walk(page)
        if "projector" not in mode:  # the menu offers the viewer's pages only
            menu = page.locator(".st-key-cadre_nav a")
            menu.first.wait_for()  # on a loaded machine the sidebar may come after the page's title
            wait_idle(page)
            assert menu.count() == len(VIEWER_PAGES)
    finally:
        context.close()
    assert len(frames) > 20, "no websocket frames recorded"
    shown = [t.encode() for t in texts]
    assert not _leaks(_needles(ids), shown), f"numbers on screen ({mode})"
    assert not _leaks(_needles(names), shown), f"full names on screen ({mode})"
    sent_ids = _leaks(_needles(ids), frames)
    assert not sent_ids, f"numbers sent to a viewer ({mode}): {sent_ids[:5]}"
    sent_names = _leaks(_needles(names), frames)
    assert not sent_names, f"full names sent to a viewer ({mode}): {sent_names[:5]}"


def test_the_search_finds_what_a_leader_is_sent(office, browser):
    """The control: the same search over a leader's frames of the
    distribution page finds the numbers and the names."""
    url, ids, names = office
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    frames = _record_frames(page)
    try:
        open_page(page, url, "distribution")
        sign_in_if_asked(page, "leader1", PASSWORD)  # names shown: masking is off by default
        page.get_by_role("tab", name="人员名单").click()   # lazy tabs: the list is sent when opened
        page.locator(".st-key-dist_people_table [data-testid='stDataFrameResizable']").wait_for()
        _settle(page)
    finally:
        context.close()
    assert len(_leaks(_needles(ids), frames)) > 50
    assert len(_leaks(_needles(names), frames)) > 50
