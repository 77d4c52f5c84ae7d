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
    assert metric.value == "9 / 10"
    at.selectbox(key="appraisal_person").set_value("YZ0064").run()
    at.button_group(key="appraisal_to").set_value("优秀").run()
    at.button(key="appraisal_do_move").click().run()
    assert any("理由" in e.value for e in at.error)            # no reason: nothing moved
    at.selectbox(key="appraisal_reason").set_value(at.selectbox(key="appraisal_reason").options[0]).run()
    at.button_group(key="appraisal_to").set_value("优秀").run()
    at.button(key="appraisal_do_move").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert next(m for m in at.metric if "名额" in m.label).value == "10 / 10"
    assert _grades(demo_db)["YZ0064"] == "优秀"              # saved as it goes
    at.button(key="appraisal_undo").click().run()
    assert next(m for m in at.metric if "名额" in m.label).value == "9 / 10"
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


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_quota_rule_is_said_on_both_pages_with_one_limit(demo_db, monkeypatch):
    """Issue 20.13: 成绩分布 and 评定会 give the same 优秀 limit for 2001 (the
    contract's floor(quota · n): 71 × 15% gives 10) and say how it is rounded."""
    from cadre import i18n
    rule = i18n.t("assessment.quota_rule", "zh", n=71, pct="15%", allowed=10)
    at = _page(demo_db, monkeypatch, period="2001")
    at.button(key="appraisal_start").click().run()
    assert next(m for m in at.metric if "名额" in m.label).value == "9 / 10"
    assert rule in _captions(at)
    at.switch_page("pages/distribution.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert rule in _captions(at)


def test_close_writes_one_audit_entry_and_names_the_local_session(demo_db, monkeypatch):
    """Issues 20.3 and 20.11: closing (it changes official grades) is logged
    once with user, time and what; the status line says 本机管理员, not ``local``."""
    from cadre import audit
    at = _page(demo_db, monkeypatch, period="2001")
    at.button(key="appraisal_start").click().run()
    status = next(c for c in _captions(at) if "评定会进行中" in c)
    assert "本机管理员" in status and "local" not in status
    con = store.connect(demo_db)
    before = len(audit.entries(con))
    at.button(key="appraisal_do_close").click().run()
    assert not at.exception, [e.message for e in at.exception]
    entries = audit.entries(con)
    assert len(entries) == before + 1                       # exactly one entry
    entry = entries.iloc[0]
    assert (entry["kind"], entry["user_name"]) == ("appraisal_close", "local")
    assert '"period": "2001"' in entry["detail"] and '"batch"' in entry["detail"]
    status = next(c for c in _captions(at) if "评定会已结束" in c)
    assert "本机管理员" in status and "local" not in status


HOSTILE = "[点我](http://evil.example) **粗** www.evil.example a@b.cn <b>x</b> &amp;"


def test_hostile_names_reach_markdown_only_through_the_one_escaper(demo_db, monkeypatch):
    """Issue 20.6: a user name on the appraisal page's status line and a file
    name on the data page's review go through ``display.md_text`` (links,
    ``&``, ``@`` and bare addresses made literal), not a weaker escaper."""
    from cadre import access
    from cadre.appraisal import session
    from cadre.display import md_text
    from tests.cadre.ingest.test_mapping import FIRST, foreign_csv
    con = store.connect(demo_db)
    session.start(con, store.get_settings(con), "2001", access.User(name=HOSTILE, role="admin"))
    at = _page(demo_db, monkeypatch, period="2001")
    status = next(c for c in _captions(at) if "评定会进行中" in c)
    assert md_text(HOSTILE) in status and "](http" not in status and "**" not in status

    at.session_state["data_review"] = {"files": [(HOSTILE + ".csv", foreign_csv(FIRST))], "office": None, "round": 0}
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    title = next(m.value for m in at.markdown if "表头不是模板的表头" in m.value)
    assert md_text(HOSTILE + ".csv") in title and "](http" not in title


def test_closing_keeps_every_other_cache(demo_db, monkeypatch):
    """Issue 20.12: closing lands a batch (a new data version, so the page's
    cached results follow by their keys); it no longer empties every
    session's caches with a global st.cache_data.clear()."""
    import streamlit as st
    calls = []

    @st.cache_data(show_spinner=False)
    def someone_elses(x):
        calls.append(x)
        return x

    at = _page(demo_db, monkeypatch, period="2001")
    at.button(key="appraisal_start").click().run()
    someone_elses(1)
    at.button(key="appraisal_do_close").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("评定会已结束" in c for c in _captions(at))
    someone_elses(1)
    assert calls == [1]                     # still cached: the close left it alone
