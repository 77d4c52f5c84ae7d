"""The appraisal page under AppTest: start a session, move one person with a
reason, the guides follow, undo, and a tick; every change is in the store."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cadre import store

from tests.conftest import ROOT


def _page(demo_db, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/appraisal.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _grades(demo_db) -> dict:
    con = store.connect(demo_db)      # the app's instance of the same file (same process)
    people = store.query(con, "appraisal_people", period="2001")
    return dict(zip(people["person_id"], people["grade"]))


def test_start_move_undo_and_tick(demo_db, monkeypatch):
    at = _page(demo_db, monkeypatch)
    at.button(key="appraisal_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    metric = next(m for m in at.metric if "名额" in m.label)
    assert metric.value == "9 / 11"
    at.selectbox(key="appraisal_person").set_value("YZ0064").run()
    at.button_group(key="appraisal_to").set_value("优秀").run()
    at.button(key="appraisal_do_move").click().run()
    assert any("理由" in e.value for e in at.error)            # no reason: nothing moved
    at.selectbox(key="appraisal_reason").set_value(at.selectbox(key="appraisal_reason").options[0]).run()
    at.button_group(key="appraisal_to").set_value("优秀").run()
    at.button(key="appraisal_do_move").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert next(m for m in at.metric if "名额" in m.label).value == "10 / 11"
    assert _grades(demo_db)["YZ0064"] == "优秀"              # saved as it goes
    at.button(key="appraisal_undo").click().run()
    assert next(m for m in at.metric if "名额" in m.label).value == "9 / 11"
    assert _grades(demo_db)["YZ0064"] == "称职"
    assert not at.exception


def _texts(at) -> str:
    return "\n".join(t.value for t in at.text)


def test_projector_masks_names_and_unmasks_one_at_a_time(demo_db, monkeypatch):
    at = _page(demo_db, monkeypatch, mode="projector")
    at.button(key="appraisal_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "赵*娜" in _texts(at) and "赵英娜" not in _texts(at)       # masked by default on the projector
    at.selectbox(key="appraisal_person").set_value("YZ0064").run()
    at.toggle(key="appraisal_unmask_toggle").set_value(True).run()
    texts = _texts(at)
    assert "赵英娜" in texts and "任*国" in texts and "任刚国" not in texts   # only the one picked
    at.selectbox(key="appraisal_person").set_value("YZ0059").run()
    texts = _texts(at)
    assert "赵英娜" not in texts and "任刚国" not in texts               # another pick masks again
