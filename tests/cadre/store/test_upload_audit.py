"""An upload and its audit entry are stored together or not at all: the
entry is written in the batch's own transaction (issue 21.7)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cadre import audit, batches, store

from .helpers import ROOT

ROSTER = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
          "9001,测试甲,男,1980-01-01,大学本科,信息科,科员,科员\n").encode("utf-8")

# ``python -m cadre ingest`` in a child that dies (SIGKILL-like: no cleanup,
# no commit) the moment it writes an audit entry: before the fix, that was
# after the batch's commit, and the batch stayed with no entry.
DIES_AT_AUDIT = """
import os, sys
from cadre import cli, store
real = store.execute
def execute(cur, name, **params):
    if name == "audit_record":
        os._exit(9)
    return real(cur, name, **params)
store.execute = execute
sys.exit(cli.main(sys.argv[1:]))
"""


def _state(db):
    con = store.connect(db)
    try:
        return (store.query(con, "store_batches")["batch_id"].tolist(),
                audit.entries(con)[["kind", "detail"]].values.tolist(),
                int(con.execute("select count(*) from roster where person_id = '9001'").fetchone()[0]))
    finally:
        con.close()


def test_killed_at_its_audit_entry_an_upload_leaves_no_batch(demo_db, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes(ROSTER)
    before = _state(demo_db)
    for _ in range(3):  # the 3 of 3
        proc = subprocess.run([sys.executable, "-c", DIES_AT_AUDIT, "ingest", str(roster), "--db", str(demo_db)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 9, proc.stderr[-2000:]
        assert _state(demo_db) == before  # no batch, no entry, no rows
    proc = subprocess.run([sys.executable, "-m", "cadre", "ingest", str(roster), "--db", str(demo_db), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    batch = json.loads(proc.stdout)["batch_id"]
    ids, entries, rows = _state(demo_db)
    assert batch in ids and rows == 1
    assert [k for k, _ in entries] == ["upload"] and json.loads(entries[0][1])["batch"] == batch


def _fail_the_audit_write(monkeypatch) -> None:
    """Every audit write fails from now on (a full disk, say)."""
    real = store.execute

    def execute(cur, name, **params):
        if name == "audit_record":
            raise OSError("disk full")
        return real(cur, name, **params)

    monkeypatch.setattr(store, "execute", execute)


def test_a_failing_audit_write_rolls_the_batch_back(demo_con, monkeypatch):
    before = batches.history(demo_con)["batch_id"].tolist()
    _fail_the_audit_write(monkeypatch)
    with pytest.raises(OSError):
        batches.ingest(demo_con, [("r.csv", ROSTER)], user="甲")
    monkeypatch.undo()
    assert batches.history(demo_con)["batch_id"].tolist() == before
    assert not len(store.query(demo_con, "store_roster").query("person_id == '9001'"))


def test_a_refused_upload_is_audited_without_a_batch(demo_con):
    result = batches.ingest(demo_con, [("r.csv", b"\xef\xbb\xbf")], user="甲")
    assert not result.ok
    entries = audit.entries(demo_con)
    assert entries["kind"].tolist() == ["upload_rejected"]
    detail = json.loads(entries.iloc[0]["detail"])
    assert detail["problems"] >= 1 and detail["files"][0]["name"] == "r.csv"


def test_an_undo_and_its_audit_entry_stand_or_fall_together(demo_con, monkeypatch):
    batch = batches.ingest(demo_con, [("r.csv", ROSTER)], user="甲").batch_id
    _fail_the_audit_write(monkeypatch)
    with pytest.raises(OSError):
        batches.undo_last(demo_con, user="甲")
    monkeypatch.undo()
    assert not store.query(demo_con, "store_last_live_batch").empty
    assert int(store.query(demo_con, "store_last_live_batch").iloc[0]["batch_id"]) == batch  # not undone
    assert batches.undo_last(demo_con, user="甲") == batch
    entries = audit.entries(demo_con)
    assert entries["kind"].tolist() == ["undo", "upload"]
    assert json.loads(entries.iloc[0]["detail"]) == {"batch": batch}
