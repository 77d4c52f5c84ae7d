"""Hand-made stores for the timeline and pipeline tests: a store on disk
holding the given roster, movement and assessment rows, every column not
given filled from the test module's defaults."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from cadre import store

D = dt.date

MOVEMENT_DEFAULTS = dict(
    seq=1, from_section=None, to_section=None, from_position=None, to_position=None,
    from_rank=None, to_rank=None, destination=None, note=None, batch_id=1,
)
ASSESSMENT_DEFAULTS = dict(
    period_kind="annual", source="综合", de=18.0, neng=18.0, qin=18.0, ji=36.0,
    max_de=None, max_neng=None, max_qin=None, max_ji=None, grade=None, section=None,
    batch_id=1,
)
INSERTS = {
    "roster": "insert into roster by name select * from incoming",
    "movements": "insert into movements by name select * from incoming",
    "assessments": "insert into assessments by name select * from incoming",
}


def _insert(con, table: str, rows: list[dict], defaults: dict) -> None:
    """Insert hand-made rows (defaults filled in) through a registered DataFrame."""
    if not rows:
        return
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    cur = con.cursor()
    cur.register("incoming", frame)
    cur.execute(INSERTS[table])
    cur.unregister("incoming")


def make_store(tmp_path, roster_defaults: dict, roster, movements=(), assessments=()):
    """A store on disk (``tmp_path/t.duckdb``) holding the given hand-made rows;
    a roster row without a name is named by its person_id."""
    con = store.connect(tmp_path / "t.duckdb")
    roster = [{**row, "name": row.get("name") or row["person_id"]} for row in roster]
    _insert(con, "roster", roster, roster_defaults)
    _insert(con, "movements", list(movements), MOVEMENT_DEFAULTS)
    _insert(con, "assessments", list(assessments), ASSESSMENT_DEFAULTS)
    return con


def annual(person_id, year, grade=None):
    """An annual assessment row of ``year`` (default scores), with ``grade``."""
    return dict(person_id=person_id, period=str(year), period_end=D(year, 12, 31), grade=grade)
