"""What a leader sees (issue 10, part B): labels, raw values, scope, unknowns,
languages, data shown as text. Pages run under AppTest through the router."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _open(db, monkeypatch, page: str, user=None, **query) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if user is not None:  # an office's store asks for sign-in: this session is signed in
        from cadre.ui import session
        at.session_state[session.USER_KEY] = user
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _headers(at) -> list[list[str]]:
    return [list(df.value.columns) for df in at.dataframe]


def test_places_in_an_order_are_not_called_ranks(demo_db, monkeypatch):
    """名次 (a place in the order) is not 职级 (a step of the rank ladder)."""
    at = _open(demo_db, monkeypatch, "pages/distribution.py")
    at.session_state["dist_tab"] = "等次与名额"   # the mismatches' table
    at.run()
    mismatch = [h for h in _headers(at) if "计算等次" in h and "评定等次" in h and "全办名次" in h]
    assert mismatch, _headers(at)
    assert not [h for h in _headers(at) if "职级" in h]
    at = _open(demo_db, monkeypatch, "pages/whatif.py")
    at.slider(key="whatif_w_3").set_value(60.0).run()  # 绩 up: people move
    for view in ("grades", "table", "stability"):
        at.segmented_control(key="whatif_view").set_value(view).run()
        heads = _headers(at)
        assert heads and not [h for h in heads if "职级" in h], (view, heads)
        assert [h for h in heads if "名次" in h], (view, heads)
    en = _open(demo_db, monkeypatch, "pages/whatif.py", lang="en")
    en.segmented_control(key="whatif_view").set_value("table").run()
    assert [h for h in _headers(en) if "Place" in h and "Rank" not in h]


ROSTER = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
          "9001,测试甲,男,1980-01-01,大学本科,信息科,科员,科员\n"
          "9002,测试乙,女,1985年3月,研究生,信息科,科员,办事员\n").encode("gbk")


def test_undo_asks_once_naming_what_it_removes(demo_db, monkeypatch):
    from cadre import batches, store
    con = store.connect(demo_db)
    assert batches.ingest(con, [("名册*新*.csv", ROSTER)]).ok
    from cadre import users
    from cadre.access import User
    admin = User(name="tester", role="admin")
    users.add(con, "tester", "admin", "office-password", User(name="setup", role="admin"))
    con.close()
    at = _open(demo_db, monkeypatch, "pages/data.py", user=admin)
    question = [w.value for w in at.warning if "将撤销第 2 批" in w.value]
    assert question, [w.value for w in at.warning]
    from cadre.display import md_text
    assert md_text("名册*新*.csv") in question[0] and "人员名册 2 行" in question[0] and "恢复演示数据" in question[0]
    # Nothing is removed until the confirmation is pressed.
    con = store.connect(demo_db)
    assert not batches.history(con)["undone"].any()
    con.close()
    at.button(key="data_undo").click().run()
    assert not at.exception
    con = store.connect(demo_db)
    assert batches.history(con)["undone"].tolist() == [True, False]
    con.close()


def _chart_bars(at) -> list[list]:
    import json
    charts = at.get("plotly_chart")
    return [[trace.get("y") for trace in json.loads(c.proto.spec)["data"]] for c in charts]


def test_overview_figures_follow_the_section_scope(demo_db, monkeypatch):
    from cadre import store, timeline
    con = store.connect(demo_db)
    sections = store.query(con, "frame_sections", leadership_section="主任室")["section"].tolist()
    section = sections[0]
    period = store.query(con, "frame_periods")
    con.close()
    office = _open(demo_db, monkeypatch, "pages/overview.py")
    scoped = _open(demo_db, monkeypatch, "pages/overview.py", section=section)
    m_office = {m.label: m.value for m in office.metric}
    m_scope = {m.label: m.value for m in scoped.metric}
    assert m_scope["在职人数"] != m_office["在职人数"]
    con = store.connect(demo_db)
    date = timeline.reference_date(con)
    figures_date = min(date, __import__("datetime").date(int(period["period"].iloc[0][:4]), 12, 31))
    in_section = timeline.structure_tables(con, store.get_settings(con), figures_date, ("headline",), section=section)["headline"]
    con.close()
    assert m_scope["在职人数"] == str(int(in_section["headcount"].iloc[0]))
    computed = _chart_bars(scoped)[0][0]
    assert sum(computed) == int(m_scope["参评人数"])        # the grade chart counts the section only
    assert sum(_chart_bars(office)[0][0]) == int(m_office["参评人数"])
    assert any("全办" in c.value for c in scoped.caption)   # the movements say they are office-wide


def test_section_names_are_the_offices_data_and_show_as_written_in_english(demo_db, monkeypatch):
    from cadre import i18n
    for section in ("信息科", "综合科", "主任室", "接待科"):
        assert i18n.value_label(section, "en") == section
    assert i18n.value_label("优秀", "en") != "优秀"          # the contract's vocabulary is translated
    at = _open(demo_db, monkeypatch, "pages/sections.py", lang="en")
    text = " ".join(str(df.value.to_numpy().tolist()) for df in at.dataframe)
    assert "信息科" in text and "Information" not in text


def test_the_pack_period_follows_the_frame_and_an_unset_office_name_is_said(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch, "pages/overview.py")
    assert at.selectbox(key="pack_period").value == at.selectbox(key="frame_period").value
    from cadre import store
    con = store.connect(demo_db)
    periods = store.query(con, "frame_periods")["period"].tolist()
    con.close()
    other = [p for p in periods if p != at.selectbox(key="frame_period").value][-1]
    at.selectbox(key="frame_period").set_value(other).run()
    assert at.selectbox(key="pack_period").value == other
    data = _open(demo_db, monkeypatch, "pages/data.py")
    assert any("尚未设置单位名称" in i.value for i in data.info)


def test_the_person_page_opens_on_the_people_of_the_scope(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch, "pages/person.py", section="信息科")
    listed = next(df.value for df in at.dataframe if "综合得分" in df.value.columns)
    assert len(listed) and set(listed["科室"]) == {"信息科"}
    assert {"职级", "计算等次"} <= set(listed.columns)
