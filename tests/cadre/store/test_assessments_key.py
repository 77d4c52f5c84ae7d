"""The assessments table has no primary key index since schema 007 (DuckDB
holds one in memory: 173 MB at a city, through every upload): its key
(person_id, period, source) stays unique because an upload with duplicate
rows is refused and landing replaces the stored rows of each staged key.
Checked after each way rows land: a first upload over the demo, a
restating upload, an undo, and a re-landing as the appraisal meeting's
close does."""
from __future__ import annotations

import io
from contextlib import closing

import pandas as pd

from cadre import batches, store
from tests.generated import generated_files


def duplicate_keys(con) -> int:
    return con.execute("""select count(*) from (
        select person_id, period, source from assessments group by all having count(*) > 1)""").fetchone()[0]


def csv(rows) -> bytes:
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def test_the_key_stays_unique_through_every_landing(tmp_path):
    files = generated_files(tmp_path / "files", people=60, years=2, seed=3)
    with closing(store.connect(tmp_path / "s.duckdb")) as con:
        constraints = con.execute("""select constraint_type from duckdb_constraints()
                                     where table_name = 'assessments'""").fetchall()
        assert ("PRIMARY KEY",) not in constraints
        assert batches.ingest(con, files, is_demo=True).ok        # the demo
        n = con.execute("select count(*) from assessments").fetchone()[0]
        assert duplicate_keys(con) == 0 and n > 0
        assert batches.ingest(con, files).batch_id is not None     # an office's first upload replaces it
        assert duplicate_keys(con) == 0
        assert con.execute("select count(*) from assessments").fetchone()[0] == n
        person, period, source = con.execute(
            "select person_id, period, source from assessments where de is not null limit 1").fetchone()
        again = [{"person_id": person, "period": period, "source": source,
                  "de": 1.0, "neng": 2.0, "qin": 3.0, "ji": 4.0}]
        assert batches.ingest(con, [("assessments.csv", csv(again))]).batch_id is not None  # restating
        assert duplicate_keys(con) == 0
        assert con.execute("select count(*) from assessments").fetchone()[0] == n
        assert batches.undo_last(con) is not None
        assert duplicate_keys(con) == 0
        staged = con.execute("select * exclude (batch_id) from assessments where period = ?", [period]).df()
        batches.land_assessments(con, staged, "test", "0" * 64)    # as the appraisal meeting's close
        assert duplicate_keys(con) == 0
        assert con.execute("select count(*) from assessments").fetchone()[0] == n


def test_an_upload_with_a_duplicate_row_is_refused_and_lands_nothing(tmp_path):
    files = generated_files(tmp_path / "files", people=30, years=1, seed=5)
    with closing(store.connect(tmp_path / "s.duckdb")) as con:
        assert batches.ingest(con, files).ok
        n = con.execute("select count(*) from assessments").fetchone()[0]
        row = con.execute("""select person_id, period, source, de, neng, qin, ji from assessments
                             where de is not null limit 1""").df().to_dict("records")[0]
        result = batches.ingest(con, [("assessments.csv", csv([row, row]))])
        assert not result.ok
        assert duplicate_keys(con) == 0
        assert con.execute("select count(*) from assessments").fetchone()[0] == n
