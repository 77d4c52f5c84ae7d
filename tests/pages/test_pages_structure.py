"""The structure, pipeline and settings pages under AppTest, on the demo
office: drive their widgets and check the figures they show."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cadre import access, cadre_views, i18n, store, timeline

from ..conftest import ROOT


def _open(at, page):
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _tab(at, key: str, label_key: str, lang: str = "zh"):
    """Open the tab ``label_key`` of the page's lazy tabs (``key``): only the
    open tab's content runs, as when the user clicks it."""
    label = i18n.t(label_key, lang)
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(tab.label == label for tab in at.tabs)
    return at


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_structure_page_changes_with_the_date(app, demo_db):
    at = _open(app, "pages/structure.py")
    latest = _metrics(at)
    assert latest["在职人数"] and latest["平均年龄"]
    assert at.tabs and len(at.tabs) >= 8
    date = at.selectbox(key="structure_date")
    assert date.value == "2001-12-31" and "最新" in date.options[0]  # the reference date is the default
    date.set_value("1998-12-31").run()
    assert not at.exception
    earlier = _metrics(at)
    assert earlier != latest
    assert float(earlier["平均年龄"]) > float(latest["平均年龄"])  # younger after 1999


def test_structure_page_middle_cadres_and_section_scope(app, demo_db):
    at = _open(app, "pages/structure.py")
    office = _metrics(at)
    at.segmented_control(key="structure_group").set_value("middle").run()
    assert not at.exception
    middle = _metrics(at)
    assert middle["在职人数"] == office["中层干部"] == middle["中层干部"]
    con = store.connect(demo_db)
    try:
        section = cadre_views.structure_tables(con, store.get_settings(con))["by_section"]["section"].iloc[-1]
        expected = cadre_views.structure_tables(con, store.get_settings(con), None, section)["headline"]["headcount"].iloc[0]
    finally:
        con.close()
    # the page file on its own renders the frame's sidebar itself: pick the scope there
    alone = AppTest.from_file(str(ROOT / "pages/structure.py"), default_timeout=120)
    alone.run()
    alone.selectbox(key="frame_section").set_value(section).run()
    assert not alone.exception
    assert _metrics(alone)["在职人数"] == str(expected)


def test_structure_page_in_english_on_the_projector(demo_db, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "pages/structure.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["mode"] = "projector"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Mean age" in _metrics(at)
    assert not any(c.key == "structure_trend_metric" for c in at.segmented_control)  # a closed tab does not run
    _tab(at, "structure_tab", "structure.tab.trend", "en")
    at.segmented_control(key="structure_trend_metric").set_value("middle_under_40_share").run()
    assert not at.exception


def test_pipeline_page_lists_eligibility_and_changes_with_the_date(app, demo_db):
    at = _open(app, "pages/pipeline.py")
    latest = _metrics(at)
    assert int(latest["符合晋升条件"]) > 0
    _tab(at, "pipeline_tab", "pipeline.tab.movements")
    assert not at.code  # a table, not a monospace block (issue 10)
    shown = next(df.value for df in at.dataframe if "项目" in df.value.columns)
    con = store.connect(demo_db)
    try:
        year = cadre_views.span_options(con)[1]
        table = cadre_views.movement_table(timeline.movements_summary(con, store.get_settings(con), year), "zh")
        assert shown.to_numpy().tolist() == table.to_numpy().tolist()
    finally:
        con.close()
    _tab(at, "pipeline_tab", "pipeline.tab.eligibility")
    frames = [df.value for df in at.dataframe]
    elig = next(f for f in frames if "未满足的条件" in f.columns)
    assert len(elig) == int(latest["符合晋升条件"])
    at.segmented_control(key="pipeline_elig_show").set_value("blocked").run()
    blocked = next(df.value for df in at.dataframe if "未满足的条件" in df.value.columns)
    assert len(blocked) and (blocked["未满足的条件"].str.len() > 0).all()
    at.selectbox(key="pipeline_date").set_value("1997-12-31").run()
    assert not at.exception
    assert _metrics(at) != latest
    _tab(at, "pipeline_tab", "pipeline.tab.movements")
    at.selectbox(key="pipeline_year").set_value(1999).run()
    moves = next(df.value for df in at.dataframe if "项目" in df.value.columns)
    assert moves.set_index("项目").loc["新任中层干部", "人次 / 个数"] == "16"


def test_pipeline_page_span_and_flows(app):
    at = _open(app, "pages/pipeline.py")
    at.select_slider(key="pipeline_span").set_value((1997, 2001)).run()
    assert not at.exception
    _tab(at, "pipeline_tab", "pipeline.tab.flows")
    at.segmented_control(key="pipeline_flow_kind").set_value("promotions").run()
    assert not at.exception


def _settings_widget(at, label):
    return next(w for w in at.number_input if w.label == label)


def test_settings_page_saves_a_rule_that_the_pipeline_then_uses(app, demo_db):
    at = _open(app, "pages/pipeline.py")
    before = _metrics(at)
    due_label = next(k for k in before if "同岗位满" in k)
    assert due_label == "同岗位满 5 年"
    _open(at, "pages/settings.py")
    _settings_widget(at, "轮岗年限（同一岗位满几年）").set_value(7.0)
    next(b for b in at.button if b.label == "保存" and "cadres" in str(b.form_id)).click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    con = store.connect(demo_db)
    try:
        assert store.get_settings(con)["rotation_years"] == 7.0
    finally:
        con.close()
    # a new session (under AppTest, switch_page runs the page without app.py,
    # on the frame context of the previous run)
    fresh = AppTest.from_file(str(ROOT / "pages/pipeline.py"), default_timeout=120)
    fresh.run()
    assert not fresh.exception
    after = _metrics(fresh)
    assert "同岗位满 7 年" in after, after
    assert after["同岗位满 7 年"] < before[due_label]


def test_settings_page_rejects_a_bad_value_and_restores_defaults(app, demo_db):
    at = _open(app, "pages/settings.py")
    _settings_widget(at, "40岁以下中层干部占比目标（0–1）").set_value(1.5)
    next(b for b in at.button if b.label == "保存" and "cadres" in str(b.form_id)).click().run()
    assert any("必须在 0 到 1 之间" in e.value for e in at.error)
    con = store.connect(demo_db)
    try:
        assert store.get_settings(con)["structure_targets"]["middle_under_40_share"] == 0.30
        store.put_settings(con, {"retirement_age": {"男": 63, "女": 58}})
    finally:
        con.close()
    at.button(key="settings_restore_cadres").click().run()
    assert not at.exception
    con = store.connect(demo_db)
    try:
        assert store.get_settings(con)["retirement_age"] == {"男": 60, "女": 55}
    finally:
        con.close()


def test_settings_page_edits_the_talent_matrix_cut_points(app, demo_db):
    """Issue 22: the matrix's cut points are a setting the office edits (low
    below high, both within 0..1), and the matrix follows them."""
    from cadre.succession import review
    at = _open(app, "pages/settings.py")
    _settings_widget(at, "低于此为业绩待提高（0–1）").set_value(0.8)
    next(b for b in at.button if b.label == "保存" and "cadres" in str(b.form_id)).click().run()
    assert any("下限必须小于上限" in e.value for e in at.error)
    _settings_widget(at, "低于此为业绩待提高（0–1）").set_value(0.5)
    _settings_widget(at, "高于此为业绩突出（0–1）").set_value(0.9)
    next(b for b in at.button if b.label == "保存" and "cadres" in str(b.form_id)).click().run()
    assert not at.exception and any("已保存" in s.value for s in at.success)
    con = store.connect(demo_db)
    try:
        settings = store.get_settings(con)
        assert settings["talent_cut_points"] == {"low": 0.5, "high": 0.9}
        assert review.cut_points(settings) == (0.5, 0.9)
        assert review.cut_points({"talent_cut_points": [0.2, 0.6]}) == (0.2, 0.6)  # the first stored form
    finally:
        con.close()


def test_settings_page_is_for_administrators_only(demo_db, monkeypatch):
    from cadre import users
    from cadre.ui import session
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    con = store.connect(demo_db)
    users.add(con, "v", "viewer", "viewer-password", access.User(name="setup", role="admin"))
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[session.USER_KEY] = access.User(name="v", role="viewer")  # signed in as a viewer
    at.run()
    _open(at, "pages/settings.py")
    assert not at.main.button
    assert at.title[0].value == "无权查看" and "查看者" in at.error[0].value
