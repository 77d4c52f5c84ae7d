"""cadre.cli_scores: ``scores`` writes the stored scores again and says how long."""
from __future__ import annotations

import json
from contextlib import closing

from cadre import store
from cadre.assessment import stored
from tests.cadre.test_cli import cadre


def test_scores_rewrites_the_stored_scores_and_says_how_long(demo_db):
    with closing(store.connect(demo_db)) as con:
        con.execute("delete from scores")
        con.execute("delete from meta where key = 'scores_key'")  # as after an upgrade
        settings = store.get_settings(con)
    out = json.loads(cadre("--json", "scores", db=demo_db).stdout)
    assert out["rows"] > 0 and out["seconds"] >= 0 and out["scores_key"] == stored.scores_key(settings)
    with closing(store.connect(demo_db)) as con:
        assert stored.current(con, settings)
        assert con.execute("select count(*) from scores").fetchone()[0] == out["rows"]
    text = cadre("--lang", "en", "scores", db=demo_db).stdout
    assert f"Scores of {out['rows']} person-periods written in" in text
