"""The assessment pages under AppTest: 成绩分布, 科室比较, 个人档案, driven
through their widgets on the small hand-computed office of tests/cadre/assessment
(甲科 egalitarian, 乙科 turn-taking), and through the router on the demo."""
from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cadre import batches, store, users
from cadre.access import User
from cadre.ui import session
from tests.cadre.assessment.helpers import count_scored
from tests.cadre.assessment.helpers import small_files as _files  # the small hand-computed office


ROOT = Path(__file__).resolve().parents[2]
PAGES = ["pages/distribution.py", "pages/sections.py", "pages/person.py"]


@pytest.fixture
def small_env(tmp_path, monkeypatch):
    path = tmp_path / "small.duckdb"
    con = store.connect(path)
    assert batches.ingest(con, _files()).ok
    users.add(con, "tester", "admin", "test-password", User("setup", "admin"))  # an office's store needs sign-in
    con.close()
    monkeypatch.setenv("CADRE_DB", str(path))
    return path


def _run(page: str, state: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.session_state[session.USER_KEY] = User("tester", "admin")  # signed in
    for k, v in (state or {}).items():
        at.query_params[k] = v  # the frame reads its first state from the URL
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_distribution_office(small_env):
    at = _run("pages/distribution.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["参评人数"] == "8" and metrics["平均分"] == "80.75" and metrics["极差"] == "35.00"
    assert "甲科" in _texts(at.warning) and "乙科" not in _texts(at.warning)
    assert "= 1 个" in _texts(at.caption)  # the quota allows one 优秀 of 8
    assert "1998年度" in _texts(at.caption)  # the previous period overlaid
    assert [t.label for t in at.tabs] == ["箱线图", "德能勤绩", "等次与名额", "人员名单"]
    assert not at.dataframe   # lazy tabs: the box plot is open, no table drawn
    # grade counts (4 grades) and mismatches (B1, A3, B3); then the people (8)
    at.session_state["dist_tab"] = "等次与名额"
    at.run()
    assert [len(d.value) for d in at.dataframe] == [4, 3]
    at.session_state["dist_tab"] = "人员名单"
    at.run()
    assert [len(d.value) for d in at.dataframe] == [8]


def test_distribution_section_and_quarter(small_env):
    at = _run("pages/distribution.py")
    at.sidebar.selectbox(key="frame_section").set_value("甲科").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["参评人数"] == "3"
    assert "平均主义预警" in _texts(at.warning) and "1.00" in _texts(at.warning)
    at.sidebar.selectbox(key="frame_section").set_value("乙科").run()
    assert not at.warning  # 乙科 is well spread
    at.session_state["dist_tab"] = "等次与名额"   # where a period without official grades says so
    at.sidebar.selectbox(key="frame_period").set_value("1999Q4").run()
    assert not at.exception
    assert "没有评定等次" in _texts(at.info)


def test_distribution_empty_scope_is_a_plain_message(small_env):
    at = _run("pages/distribution.py", section="丙科")  # nobody counted for 丙科 in 1999
    assert "没有考核数据" in _texts(at.info)
    assert not at.metric


def test_sections_page_picks_a_section(small_env):
    at = _run("pages/sections.py")
    assert "甲科" in _texts(at.warning)
    pick = at.selectbox(key="sections_pick")
    assert pick.value is None and set(pick.options) == {"甲科", "乙科"}
    pick.set_value("乙科").run()
    assert not at.exception
    assert any("乙科" in str(s.value) for s in at.subheader)
    people = at.dataframe[0].value
    assert len(people) == 4 and set(people["编号"]) == {"B1", "B2", "B3", "B4"}
    # turn-taking table (its tab opened): one row per compared section, 乙科 flagged
    at.session_state["sections_tab"] = "轮流坐庄"
    at.run()
    tt = next(d.value for d in at.dataframe if "指数" in d.value.columns)
    assert tt.set_index("科室")["预警"].to_dict() == {"丙科": False, "乙科": True, "甲科": False}


def test_sections_page_follows_the_frame_scope(small_env):
    at = _run("pages/sections.py", section="甲科")
    assert at.selectbox(key="sections_pick").value == "甲科"
    assert len(at.dataframe[0].value) == 3


def test_person_page_from_query_and_search(small_env):
    at = _run("pages/person.py", person="B4")
    assert any("B4" in str(h.value) and "乙四" in str(h.value) for h in at.header)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["科室"] == "丙科"
    periods = next(d.value for d in at.dataframe if "考核期" in d.value.columns)
    assert periods["全办名次"].tolist() == ["8 / 8"] * 4
    at.selectbox(key="person_pick").set_value("A3").run()
    assert not at.exception
    assert any("甲三" in str(h.value) for h in at.header)
    assert at.query_params["person"] in ("A3", ["A3"])  # the profile can be linked to


def test_person_page_masks_names_and_handles_nobody(small_env):
    at = _run("pages/person.py", {"mode": "projector"}, person="A3")
    assert at.session_state["frame_mask"] is True
    # names reach the header as literal text (Markdown characters as references: "*" is "&#42;")
    shown = [html.unescape(str(h.value)) for h in at.header]
    assert any("甲*" in h for h in shown) and not any("甲三" in h for h in shown)
    at = _run("pages/person.py")
    assert at.dataframe and not at.header  # opens on the list of the scope's people


def test_person_page_of_a_large_office_finds_people_by_a_search_box(small_env, monkeypatch):
    """Beyond PICKER_MAX people the page lists the scope and filters it with a
    search box instead of one select of everyone (a city's 10,000 options
    were a 0.7 MB message); a link still opens a profile."""
    from cadre import people_list

    monkeypatch.setattr(people_list, "PICKER_MAX", 3)  # the small office counts as large
    at = _run("pages/person.py")
    assert not [s for s in at.selectbox if s.key == "person_pick"]
    assert len(at.dataframe[0].value) == 8 and not at.header
    at.text_input(key="person_query").set_value("乙").run()
    assert not at.exception and not at.header
    assert set(at.dataframe[0].value["编号"]) == {"B1", "B2", "B3", "B4"}
    assert any("找到 4 人" in str(c.value) for c in at.caption)
    at.text_input(key="person_query").set_value("a3").run()  # ids too, in any case
    assert list(at.dataframe[0].value["编号"]) == ["A3"]
    at = _run("pages/person.py", person="B4")
    assert any("B4" in str(h.value) and "乙四" in str(h.value) for h in at.header)
    assert at.text_input(key="person_query").value == ""


@pytest.mark.parametrize("page", PAGES)
def test_pages_in_english_on_the_projector(small_env, page):
    at = _run(page, {"lang": "en", "mode": "projector"}, person="B1")
    assert at.session_state["frame_lang"] == "en" and at.session_state["frame_mask"] is True
    assert at.title[0].value in ("Score distributions", "Section comparisons", "Person profile")
    assert not any("\u4e00" <= ch <= "\u9fff" for t in at.tabs for ch in t.label)


@pytest.mark.parametrize("page", PAGES)
def test_pages_on_the_demo_through_the_router(demo_db, monkeypatch, page):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title


def test_sections_page_draws_a_large_office_capped(tmp_path, monkeypatch):
    """A generated office of many sections: the means chart draws the top and
    bottom ones, the flagged and the picked, and says so (every bar of a
    city's 1,250 sections took seconds to draw in the browser)."""
    import json

    from cadre import demo
    from cadre.assessment.sections import CHART_ALL, CHART_SECTIONS

    files = demo.write_files(tmp_path / "files", people=400, years=1)
    path = tmp_path / "big.duckdb"
    con = store.connect(path)
    assert batches.ingest(con, [batches.file_entry(f) for f in files if f.suffix == ".csv"], is_demo=True).ok
    total = con.execute("select count(distinct section) from roster").fetchone()[0]
    users.add(con, "tester", "admin", "test-password", User("setup", "admin"))
    con.close()
    assert total > CHART_ALL
    monkeypatch.setenv("CADRE_DB", str(path))
    at = _run("pages/sections.py")

    def bars() -> list:
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return spec["data"][0]["customdata"]

    drawn = bars()
    assert 2 * CHART_SECTIONS <= len(drawn) < len(at.selectbox(key="sections_pick").options)
    assert any(f"图中显示 {len(drawn)} 个" in str(c.value) for c in at.caption)
    pick = next(s for s in at.selectbox(key="sections_pick").options if s not in drawn)
    at.selectbox(key="sections_pick").set_value(pick).run()
    assert not at.exception and pick in bars()  # the picked section joins the chart


@pytest.mark.parametrize("page", PAGES)
def test_a_page_view_scores_nothing_when_the_store_holds_the_scores(small_env, page, monkeypatch):
    """The assessment pages read the scores the upload stored: no call of
    scoring.scored on a first view. With the stored scores forgotten (as in
    a store upgraded from schema 5 or earlier), the app writes them once when it opens
    the store, and the view is the same."""
    from cadre.assessment import stored
    calls = count_scored(monkeypatch)
    query = {"person": "B1"} if page == "pages/person.py" else {}
    _run(page, **query)
    assert calls == []
    import streamlit as st
    con = store.connect(small_env)
    con.execute("delete from meta where key = 'scores_key'")
    con.close()
    st.cache_data.clear()  # same data version: the first view's results would be served
    st.cache_resource.clear()
    at = _run(page, **query)
    assert calls
    con = store.connect(small_env)
    assert store.query(con, "store_get_meta", key="scores_key")["value"].tolist() == [
        stored.scores_key(store.get_settings(con))]
    con.close()
    assert not at.exception


def test_sections_tabs_run_only_the_open_one(small_env):
    """Lazy tabs: a visit draws the means chart and the open tab only (each
    visit drew every tab's charts and grids, most of them hidden)."""
    at = _run("pages/sections.py")
    assert len(at.get("plotly_chart")) == 1          # the means; the statistics table is the open tab
    assert [len(d.value) for d in at.dataframe] == [2]   # 甲科, 乙科
    for label, charts in (("维度热力图", 2), ("近 8 个季度趋势", 2), ("统计表", 1)):
        at.session_state["sections_tab"] = label
        at.run()
        assert not at.exception and len(at.get("plotly_chart")) == charts, label
