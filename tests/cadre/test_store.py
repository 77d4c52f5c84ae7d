"""The store: migration, atomic batches, replace-not-double, undo, the demo."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cadre import batches, store

ROOT = Path(__file__).resolve().parents[2]
ROSTER = "编号,姓名,性别,出生日期,学历,科室,职务,职级\n" \
         "1001,张三,男,1970-01-01,大学本科,信息科,科长,正股级\n" \
         "1002,李四,女,1975/3/1,研究生,信息科,科员,科员\n" \
         "1003,王五,男,1980年5月,大学专科,法制科,科员,办事员\n"
ASSESS = "编号,考核期,考核主体,德,能,勤,绩\n" \
         "1001,1999,实绩考核,18,17,18,35\n" \
         "1002,1999,实绩考核,15,15,16,30\n" \
         "1003,1999,实绩考核,16,16,16,31\n"


def _snapshot(con) -> dict:
    """Every row of every data table, for before/after comparisons."""
    return {t: con.execute(f"select * from {t} order by all").fetchall()  # noqa: S608 - fixed table names
            for t in ("roster", "assessments", "movements", "batches", "settings", "meta")}


def _files(**named: str) -> list[tuple[str, bytes]]:
    return [(name, text.encode("gb18030")) for name, text in named.items()]


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "s.duckdb")
    yield c
    c.close()


def test_a_new_file_is_migrated_with_the_default_settings(tmp_path):
    path = tmp_path / "new.duckdb"
    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION >= 1
    assert store.get_settings(con)["ladder"][-1] == "正科级"
    con.close()
    # Opening again does not migrate twice or lose settings changes.
    con = store.connect(path)
    store.put_settings(con, {"rotation_years": 6})
    con.close()
    con = store.connect(path)
    assert store.get_settings(con)["rotation_years"] == 6
    assert con.execute("select count(*) from meta where key = 'schema_version'").fetchone()[0] == 1


def test_an_empty_file_from_an_older_tool_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()  # an empty DuckDB file, no schema at all
    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert con.execute("select count(*) from roster").fetchone()[0] == 0


def test_queries_bind_only_their_parameters(con):
    assert store.sql_params("store_get_meta") == {"key"}
    with pytest.raises(KeyError):
        store.query(con, "store_get_meta")


def test_every_dataframe_of_a_query_has_the_one_date_rule(demo_con):
    """store.frame (Arrow) and store.query (.df()) give DATE and TIMESTAMP
    columns as datetime64[us], and so do the services that read through
    Arrow (Arrow's own DATE would be datetime64[ms])."""
    import pyarrow as pa

    from cadre import timeline

    for fetch in (store.frame, store.query):
        got = fetch(demo_con, "timeline_reference_date")
        assert {str(t) for t in got.dtypes} == {"datetime64[us]"}, fetch
    assert store.frame(demo_con, "timeline_reference_date").equals(store.query(demo_con, "timeline_reference_date"))
    table = pa.table({"d": pa.array([None, 0], pa.date32()), "t": pa.array([0, 1], pa.timestamp("us")),
                      "n": pa.array([1.5, None])})
    df = store.frame_of(table)
    assert [str(t) for t in df.dtypes] == ["datetime64[us]", "datetime64[us]", "float64"]
    assert df["d"].isna().tolist() == [True, False]
    state = timeline.state_at(demo_con, store.get_settings(demo_con))
    assert str(state["as_of"].dtype) == "datetime64[us]" and str(state["birth_date"].dtype) == "datetime64[us]"


def test_upload_lands_and_reloading_replaces_instead_of_doubling(con):
    first = batches.ingest(con, _files(**{"roster.csv": ROSTER, "a.csv": ASSESS}))
    assert first.ok and first.loaded == {"roster": 3, "assessments": 3, "movements": 0}
    again = batches.ingest(con, _files(**{"a.csv": ASSESS.replace("18,17,18,35", "19,17,18,36")}))
    assert again.ok
    assert con.execute("select count(*) from assessments").fetchone()[0] == 3
    assert con.execute("select ji from assessments where person_id = '1001'").fetchone()[0] == 36
    hist = batches.history(con)
    assert list(hist["batch_id"]) == [2, 1]
    files = json.loads(hist.iloc[0]["files"])
    assert files[0]["name"] == "a.csv" and len(files[0]["sha256"]) == 64


def test_a_rejected_upload_changes_nothing(con):
    assert batches.ingest(con, _files(**{"roster.csv": ROSTER, "a.csv": ASSESS})).ok
    before = _snapshot(con)
    bad_assess = ASSESS + "1004,1999,实绩考核,16,16,16,31\n"  # 1004 is in no roster
    good_roster = ROSTER + "1005,赵六,女,1985-01-01,大学本科,法制科,科员,科员\n"
    result = batches.ingest(con, _files(**{"r.csv": good_roster, "a.csv": bad_assess}))
    assert not result.ok
    assert any(p.column and p.value == "1004" for p in result.upload.problems)
    assert _snapshot(con) == before  # all or nothing: the good roster did not land either


def test_undo_restores_what_the_last_batch_replaced(con):
    batches.ingest(con, _files(**{"roster.csv": ROSTER, "a.csv": ASSESS}))
    before = con.execute("select * exclude (batch_id) from assessments order by all").fetchall()
    batches.ingest(con, _files(**{"a.csv": ASSESS.replace("18,17,18,35", "10,10,10,10")}))
    assert batches.undo_last(con) == 2
    assert con.execute("select * exclude (batch_id) from assessments order by all").fetchall() == before
    assert batches.undo_last(con) == 1
    assert con.execute("select count(*) from roster").fetchone()[0] == 0
    assert batches.undo_last(con) is None


def test_the_demo_loads_once_and_the_first_own_upload_replaces_it(con):
    assert batches.ensure_demo(con)
    assert batches.holds_demo(con)
    demo_people = con.execute("select count(*) from roster").fetchone()[0]
    assert 60 <= demo_people <= 120
    assert not batches.ensure_demo(con)  # never twice
    result = batches.ingest(con, _files(**{"roster.csv": ROSTER}))
    assert result.ok
    assert not batches.holds_demo(con)
    assert con.execute("select count(*) from roster").fetchone()[0] == 3
    assert con.execute("select count(*) from assessments").fetchone()[0] == 0  # no demo rows left
    # Undoing the office's first upload brings the demo back, flag included.
    batches.undo_last(con)
    assert batches.holds_demo(con)
    assert con.execute("select count(*) from roster").fetchone()[0] == demo_people


TEN_PROBLEMS = (
    "编号,姓名,性别,出生日期,学历,科室,职级,状态\n"
    "2001,甲,男,1970-01-01,大学本科,信息科,科员,在职\n"
    "2001,乙,男,1971-01-01,大学本科,信息科,科员,在职\n"      # 1 duplicate person_id
    "2003,丙,X,1972-01-01,大学本科,信息科,科员,在职\n"        # 2 unknown gender
    "2004,丁,女,1972-13-45,大学本科,信息科,科员,在职\n"      # 3 unparseable date
    "2005,戊,女,1972-01-01,博士后,信息科,科员,在职\n"        # 4 unknown education
    "2006,己,女,1972-01-01,大学本科,信息科,处长级,在职\n"    # 5 rank not on the ladder
    "2007,,女,1972-01-01,大学本科,信息科,科员,在职\n"        # 6 required cell empty
    "2008,庚,女,1972-01-01,大学本科,信息科,科员,请假\n"      # 7 unknown status
)
TEN_ASSESS = (
    "编号,考核期,考核主体,德,能,勤,绩,总分\n"
    "2001,1999,实绩考核,25,10,10,30,75\n"                     # 8 score above the maximum
    "2003,1999,实绩考核,10,10,10,30,99\n"                     # 9 total not the sum
    "2004,19x9,实绩考核,10,10,10,30,60\n"                     # 10 unparseable period
)


def test_ten_problems_are_all_reported_and_the_store_is_untouched(demo_db, tmp_path):
    (tmp_path / "roster.csv").write_bytes(TEN_PROBLEMS.encode("gbk"))
    (tmp_path / "assess.csv").write_bytes(TEN_ASSESS.encode("utf-8-sig"))
    con = store.connect(demo_db)
    before = _snapshot(con)
    con.close()
    proc = subprocess.run([sys.executable, "-m", "cadre", "ingest", "--db", str(demo_db), "--json",
                           str(tmp_path / "roster.csv"), str(tmp_path / "assess.csv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    errors = json.loads(proc.stdout)["errors"]
    assert len(errors) >= 10
    assert all(e["row"] and e["column"] and e["message"] for e in errors)
    assert {e["file"] for e in errors} == {"roster.csv", "assess.csv"}
    rows = {(e["file"], e["row"]) for e in errors}
    for row in range(3, 10):
        assert ("roster.csv", row) in rows
    for row in (2, 3, 4):
        assert ("assess.csv", row) in rows
    con = store.connect(demo_db)
    assert _snapshot(con) == before
    con.close()



def _person(pid: str) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [pid], "name": ["张三"], "gender": ["男"], "birth_date": [pd.Timestamp("1970-01-01")],
                         "education": ["大学本科"], "section": ["信息科"], "rank": ["科员"], "batch_id": [1]})


def test_a_statement_reading_a_frame_lets_it_go_before_the_commit(con):
    """store.execute_reading inserts the frame's rows and holds nothing once
    the statement ends, with the transaction still open; a frame registered
    in a transaction stays referenced until the commit, unregistered or not
    (that held an upload's rows and the scores' under a city's scoring)."""
    import gc
    import weakref

    registered, read = _person("1001"), _person("1002")
    held, let_go = weakref.ref(registered), weakref.ref(read)
    with store.transaction(con) as cur:
        cur.register("staged_roster", registered)
        store.execute(cur, "store_insert_roster")
        cur.unregister("staged_roster")
        store.execute_reading(cur, "store_insert_roster", "staged_roster", read)
        del registered, read
        gc.collect()
        assert held() is not None and let_go() is None
    assert con.execute("select person_id from roster order by 1").fetchall() == [("1001",), ("1002",)]
    with pytest.raises(ValueError, match="binds parameters"), store.transaction(con) as cur:
        store.execute_reading(cur, "store_get_meta", "staged", _person("1003"))


def test_the_result_of_an_upload_keeps_none_of_its_landed_rows(con):
    """The rows are in the store once landed: the result keeps the upload's
    problems, notes and files, and its frames are empty copies, not empty
    slices of the landed frames (a slice keeps all their memory, and the
    scores are written next)."""
    import numpy as np

    result = batches.ingest(con, _files(**{"roster.csv": ROSTER, "a.csv": ASSESS}))
    assert result.ok and result.loaded == {"roster": 3, "assessments": 3, "movements": 0}
    for frame in (result.upload.roster, result.upload.assessments):
        assert len(frame) == 0 and len(frame.columns) > 5
        for block in frame._mgr.blocks:
            values = block.values
            while isinstance(values, np.ndarray) and isinstance(values.base, np.ndarray):
                values = values.base
            assert not isinstance(values, np.ndarray) or values.nbytes == 0, frame.columns


def test_the_store_gives_memory_back_after_a_large_query(con):
    """DuckDB's default keeps up to 512 MB a query freed; the store's
    connections hand it back past a few MB (store.DUCKDB_CONFIG)."""
    setting = "select current_setting('allocator_bulk_deallocation_flush_threshold')"
    number, unit = con.execute(setting).fetchone()[0].split()
    assert unit == "MiB" and float(number) <= 4, (number, unit)
    assert duckdb.connect().execute(setting).fetchone()[0] == "512.0 MiB"  # DuckDB's own default
