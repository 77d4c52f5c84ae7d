"""The projection page (队伍预测) under AppTest on the demo office: the
scenarios compared, read from and written to the URL, and the settings
page's preset picker."""
from __future__ import annotations

from cadre import i18n, store


def test_projection_page_compares_scenarios_and_keeps_them_in_the_url(app):
    at = app
    at.switch_page("pages/projection.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == i18n.t("nav.projection")
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # headcount, mean age, echelon
    assert at.query_params["fs"] == "hire0,hire3,hire6" and at.query_params["fy"] == "5"
    gaps = at.dataframe[0].value
    assert i18n.t("foresight.scenario.hire3") in gaps.columns
    at.multiselect(key="projection_scenarios").set_value(["hire0", "later"]).run()
    at.slider(key="projection_years").set_value(3).run()
    assert not at.exception
    assert at.query_params["fs"] == "hire0,later" and at.query_params["fy"] == "3"


def test_settings_preset_picker_switches_to_the_2019_rules(app, demo_db):
    at = app
    at.switch_page("pages/settings.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.selectbox(key="settings_rank_preset").set_value("rank-2019").run()
    at.button(key="settings_rank_preset_use").click().run()
    assert not at.exception, [e.message for e in at.exception]
    con = store.connect(demo_db)
    try:
        s = store.get_settings(con)
    finally:
        con.close()
    assert s["rank_preset"] == "rank-2019" and s["ladder"][1] == "一级科员" and s["rank_whole_months"]
