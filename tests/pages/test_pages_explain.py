"""Why a score moved, on the pages (AppTest, the demo office): the person
page's tab between two of the person's periods, and the what-if lab's
explanation of a rank change."""
from __future__ import annotations

import html
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cadre import explain, figures, store

from ..cadre.test_figures import _page as run_page
from . import test_page_scan as scan

ROOT = Path(__file__).resolve().parents[2]
PERSON = "YZ0003"


@pytest.fixture
def env(demo_db, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    return demo_db


def _run(page: str, **query) -> AppTest:
    return run_page(page, None, **query)   # the page run once, without an exception


def _expected(db, p_from, p_to):
    con = store.connect(db)
    try:
        return explain.person_periods(con, store.get_settings(con), PERSON, p_from, p_to)
    finally:
        con.close()


def test_the_person_page_explains_the_change_between_two_periods(env):
    at = _run("pages/person.py", person=PERSON)
    assert "为何变化" in [t.label for t in at.tabs]
    at.selectbox(key="explain_from").set_value("2000").run()
    at.selectbox(key="explain_to").set_value("2001").run()
    assert not at.exception
    want = _expected(env, "2000", "2001")
    metrics = {m.label: m for m in at.metric}
    assert metrics["综合分变化"].value == figures.value("composite_change", want.change)
    assert metrics["2000年度综合分"].value == figures.value("composite_at", want.value_from)
    assert metrics["全办名次"].value == f"{want.rank['from']} → {want.rank['to']}"
    assert metrics["综合分变化"].help == figures.definition("composite_change")
    cells = next(d.value for d in at.dataframe if "贡献" in d.value.columns)
    assert len(cells) == len(want.cells)
    assert math.isclose(cells["贡献"].sum(), want.change, abs_tol=0.005 * len(cells))
    people = next(d.value for d in at.dataframe if "变化" in d.value.columns)
    assert set(people["编号"]) == {*want.rank["passed_by"], *want.rank["passed"], *want.rank["entered_above"],
                                  *want.rank["left_above"]}
    assert "超过了此人" in set(people["变化"])
    assert [c for c in at.get("plotly_chart") if "waterfall" in c.proto.spec]
    # by source: one bar per source, and the same period twice is a plain message
    at.segmented_control(key="explain_view").set_value("source").run()
    assert not at.exception
    at.selectbox(key="explain_to").set_value("2000").run()
    assert any("两个不同的考核期" in str(i.value) for i in at.info)


def test_an_unknown_source_is_said_and_not_read_as_zero(env):
    """A person not assessed by 民主评议 in 2000: the page says the source
    is unknown there, and its bars carry no score effect."""
    con = store.connect(env)
    try:
        con.execute("delete from assessments where person_id = ? and period = '2000' and source = '民主评议'",
                    [PERSON])
    finally:
        con.close()
    at = _run("pages/person.py", person=PERSON)
    at.selectbox(key="explain_from").set_value("2000").run()
    at.selectbox(key="explain_to").set_value("2001").run()
    assert not at.exception
    notes = [str(c.value) for c in at.caption if "未评（未知，不按 0 计）" in str(c.value)]
    assert len(notes) == 1 and "民主评议" in notes[0] and "2000年度" in notes[0]
    cells = next(d.value for d in at.dataframe if "贡献" in d.value.columns)
    peer = cells[cells["考核主体"] == "民主评议"]
    assert len(peer) == 4 and peer["得分变化所致"].isna().all() and peer["前期得分率"].isna().all()
    assert cells.loc[cells["考核主体"] != "民主评议", "得分变化所致"].notna().all()
    raw = [t for t in scan._texts(at) if scan.RAW.search(t)]   # unknown shows as "—", never nan
    assert not raw and not scan._frame_problems(at), (raw, scan._frame_problems(at))


def test_in_english_on_the_projector_names_masked(env):
    at = _run("pages/person.py", person=PERSON, lang="en", mode="projector")
    assert at.session_state["frame_mask"] is True
    assert "Why it moved" in [t.label for t in at.tabs]
    assert "Change of composite" in {m.label for m in at.metric}
    people = next(d.value for d in at.dataframe if "Movement" in d.value.columns)
    want = _expected(env, *[s.value for s in (at.selectbox(key="explain_from"), at.selectbox(key="explain_to"))])
    if len(people):
        assert all("*" in html.unescape(str(n)) for n in people["Name"])
        assert not set(people["Name"]) & set(want.names.values())


def test_the_whatif_lab_explains_a_rank_change(env):
    at = _run("pages/whatif.py", period="2001", w="50,0,0,50")
    pick = at.selectbox(key="whatif_explain_pick")
    assert pick.value is None and pick.options
    pick.set_value(pick.options[0].split(" · ")[0]).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert "现行设置综合分" in metrics and "模拟方案综合分" in metrics and "综合分变化" in metrics
    cells = next(d.value for d in at.dataframe if "贡献" in d.value.columns)
    assert (cells["得分变化所致"].abs() < 0.005).all()   # one period: only the weights moved


def test_a_viewer_gets_no_explanation_of_a_person(env):
    """A viewer sees no list of people: no rank change to pick in the lab,
    and no person page at all."""
    from cadre import users
    from cadre.access import User
    from cadre.ui import session

    con = store.connect(env)
    try:
        users.add(con, "boss", "admin", "test-password", User("setup", "admin"))
    finally:
        con.close()
    for page, query in (("pages/whatif.py", {"period": "2001", "w": "50,0,0,50"}),
                        ("pages/person.py", {"person": PERSON})):
        at = AppTest.from_file(str(ROOT / page), default_timeout=180)
        at.session_state[session.USER_KEY] = User("look", "viewer")
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception
        assert not [s for s in at.selectbox if s.key in ("whatif_explain_pick", "explain_from")]
        assert not [m for m in at.metric if m.label == "综合分变化"]
