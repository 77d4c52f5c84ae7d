"""The what-if page under AppTest: sliders rescale with locks, presets, every
result view, the scenario in the URL, and saved scenarios (save, load,
compare, adopt)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cadre import store
from cadre.whatif.lab import load_lab
from cadre.whatif.results import VIEWS
from cadre.ui import whatif_lab

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/whatif.py"


def _open(demo_db, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _weights(at, keys) -> list[float]:
    return [at.slider(key=k).value for k in keys]


def _metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_opens_on_the_office_settings(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch)
    assert _weights(at, whatif_lab.DIM_KEYS) == [20.0, 20.0, 20.0, 40.0]
    assert _weights(at, whatif_lab.SRC_KEYS) == [40.0, 20.0, 30.0, 10.0]
    assert at.slider(key=whatif_lab.QUOTA_KEY).value == 15.0
    assert _metric(at, "名次变动") == "0" and _metric(at, "等次变动") == "0"
    assert at.query_params["w"] == "20,20,20,40"


def test_slider_rescales_the_others_and_locks_hold(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch)
    at.slider(key="whatif_w_3").set_value(60.0).run()
    assert not at.exception
    assert _weights(at, whatif_lab.DIM_KEYS) == [13.34, 13.33, 13.33, 60.0]
    assert int(_metric(at, "名次变动")) > 0
    assert at.query_params["w"] == "13.34,13.33,13.33,60"
    at.button(key="whatif_preset_current").click().run()
    at.pills(key=whatif_lab.LOCK_KEYS["w"]).set_value(["德"]).run()
    at.slider(key="whatif_w_1").set_value(50.0).run()
    assert _weights(at, whatif_lab.DIM_KEYS) == [20.0, 50.0, 10.0, 20.0]      # 德 locked at 20
    at.slider(key="whatif_s_0").set_value(100.0).run()
    assert _weights(at, whatif_lab.SRC_KEYS) == [100.0, 0.0, 0.0, 0.0]


def test_presets(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch)
    at.button(key="whatif_preset_equal").click().run()
    assert _weights(at, whatif_lab.DIM_KEYS) == [25.0] * 4 and _weights(at, whatif_lab.SRC_KEYS) == [25.0] * 4
    at.button(key="whatif_preset_performance").click().run()
    assert _weights(at, whatif_lab.DIM_KEYS) == [16.67, 16.67, 16.66, 50.0]
    at.button(key="whatif_preset_current").click().run()
    assert _weights(at, whatif_lab.DIM_KEYS) == [20.0, 20.0, 20.0, 40.0]


def test_a_link_reproduces_the_scenario(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch, w="10,10,10,70", s="25,25,25,25", q="30", f="84,70,60")
    assert _weights(at, whatif_lab.DIM_KEYS) == [10.0, 10.0, 10.0, 70.0]
    assert _weights(at, whatif_lab.SRC_KEYS) == [25.0] * 4
    assert at.slider(key=whatif_lab.QUOTA_KEY).value == 30.0
    assert at.slider(key="whatif_f_0").value == 84.0
    assert int(_metric(at, "优秀")) > 10                    # a 30 % quota: more 优秀 than the usual 10


def test_a_bad_link_warns_and_falls_back(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch, w="0,0,0,0", q="abc")
    assert _weights(at, whatif_lab.DIM_KEYS) == [20.0, 20.0, 20.0, 40.0]
    assert any("w, q" in w.value for w in at.warning)


@pytest.mark.parametrize("lang,mode", [("zh", "standard"), ("en", "projector")])
def test_every_view_runs(demo_db, monkeypatch, lang, mode):
    at = _open(demo_db, monkeypatch, lang=lang, mode=mode)
    at.slider(key="whatif_w_0").set_value(60.0).run()
    for view in VIEWS:
        at.segmented_control(key="whatif_view").set_value(view).run()
        assert not at.exception, (view, [e.message for e in at.exception])
    at.segmented_control(key="whatif_view").set_value("bonus").run()
    at.number_input(key=whatif_lab.POOL_KEY).set_value(5000.0).run()
    assert not at.exception
    assert at.query_params["b"] == "5000"


def test_quota_zero_and_full(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch, q="0")
    assert _metric(at, "优秀") == "0"
    at.slider(key=whatif_lab.QUOTA_KEY).set_value(100.0).run()
    assert int(_metric(at, "优秀")) >= 10


def test_save_load_compare_and_adopt(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch)
    at.slider(key="whatif_w_3").set_value(70.0).run()
    at.text_input(key="whatif_save_name").input("绩七成").run()
    at.button(key="whatif_save").click().run()
    assert not at.exception
    at.button(key="whatif_preset_equal").click().run()
    at.text_input(key="whatif_save_name").input("等权").run()
    at.button(key="whatif_save").click().run()
    assert at.selectbox(key="whatif_load_name").options == ["等权", "绩七成"] or \
        sorted(at.selectbox(key="whatif_load_name").options) == ["等权", "绩七成"]
    at.selectbox(key="whatif_load_name").set_value("绩七成").run()
    at.button(key="whatif_load").click().run()
    assert _weights(at, whatif_lab.DIM_KEYS) == [10.0, 10.0, 10.0, 70.0]
    # two saved: the comparison tables show
    assert at.selectbox(key="whatif_cmp_a") is not None and len(at.dataframe) >= 2
    at.button(key="whatif_adopt").click().run()
    assert not at.exception
    con = store.connect(demo_db)
    try:
        assert store.get_settings(con)["dimension_weights"] == {"德": 0.1, "能": 0.1, "勤": 0.1, "绩": 0.7}
    finally:
        con.close()
    lab = load_lab(con := store.connect(demo_db), store.get_settings(con := store.connect(demo_db)), at.session_state["frame_period"])
    con.close()
    assert lab.base_spec.dims == (10.0, 10.0, 10.0, 70.0)       # the scenario is now the baseline


def test_quarterly_period_and_a_section(demo_db, monkeypatch):
    at = _open(demo_db, monkeypatch)
    con = store.connect(demo_db)
    periods = store.query(con, "frame_periods")
    con.close()
    quarters = periods.loc[periods["period_kind"] == "quarterly", "period"].tolist()
    at.selectbox(key="frame_period").set_value(quarters[0]).run()
    assert not at.exception
    assert at.slider(key=whatif_lab.QUOTA_KEY).value == 40.0
    assert "好" in [m.label for m in at.metric]
    section = "秘书一科"
    at.selectbox(key="frame_section").set_value(section).run()
    at.segmented_control(key="whatif_view").set_value("table").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert set(shown[shown.columns[2]]) == {section}        # 科室 column: the section only
