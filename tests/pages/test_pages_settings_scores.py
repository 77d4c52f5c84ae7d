"""The settings page saves the settings that shape the scores with the
scores (cadre.assessment.stored.save_settings): after a save, the stored
scores are those of the saved settings and equal scoring.scored."""
from __future__ import annotations

from contextlib import closing

from streamlit.testing.v1 import AppTest

from cadre import store
from cadre.assessment import stored
from tests.cadre.assessment.test_stored import assert_stored_equal_scored

from ..conftest import ROOT


def test_restoring_the_default_weights_rewrites_the_stored_scores(demo_db, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    with closing(store.connect(demo_db)) as con:
        defaults = store.get_settings(con)["dimension_weights"]
        # other weights in force, with their scores
        assert stored.save_settings(con, {"dimension_weights": {"德": 0.1, "能": 0.1, "勤": 0.1, "绩": 0.7}})
        assert stored.current(con, store.get_settings(con))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/settings.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.button(key="settings_restore_weights").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with closing(store.connect(demo_db)) as con:
        assert store.get_settings(con)["dimension_weights"] == defaults
        assert_stored_equal_scored(con)
