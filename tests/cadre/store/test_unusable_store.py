"""A store that cannot be opened gets a clear message and exit 3 from every
command, the file untouched; a --db path that does not exist starts a new
store with the demo office, and every answer says so."""
from __future__ import annotations

import json

import duckdb
import pytest

from cadre import store

from .helpers import cadre, digest, zeroed_blocks

COMMANDS = [
    ("report", "--period", "1999"),
    ("whatif", "--period", "1999"),
    ("movements", "--year", "1999"),
    ("structure",),
    ("pack", "--period", "1999", "--out", "x.pptx"),
]


def _not_duckdb(path):
    path.write_bytes(b"\x00garbage, not a database\n" * 200)


def _damaged(path, template):
    data = bytearray(template.read_bytes())
    data[100:4196] = b"\xff" * 4096  # the header blocks overwritten
    path.write_bytes(bytes(data))


def _newer(path, template):
    path.write_bytes(template.read_bytes())
    con = duckdb.connect(str(path))
    con.execute("update meta set value = '999' where key = 'schema_version'")
    con.close()


def _foreign(path, template):
    con = duckdb.connect(str(path))
    con.execute("create table accounts (id integer)")
    con.close()


KINDS = {
    "not_duckdb": (lambda p, t: _not_duckdb(p), "不是可用的 DuckDB 数据库文件"),
    "empty_file": (lambda p, t: p.write_bytes(b""), "不是可用的 DuckDB 数据库文件"),
    "damaged": (_damaged, "不是可用的 DuckDB 数据库文件"),
    "newer": (_newer, "更新版本"),
    "foreign": (_foreign, "不是 cadre 的数据库"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_command_refuses_an_unusable_store(kind, tmp_path, demo_store_template):
    make, words = KINDS[kind]
    db = tmp_path / "bad.duckdb"
    make(db, demo_store_template)
    before = digest(db)
    roster = tmp_path / "r.csv"
    roster.write_text("编号,姓名,性别,出生日期,学历,科室,职务,职级\n9001,甲,男,1980-01-01,大学本科,信息科,科员,科员\n",
                      encoding="utf-8")
    for args in COMMANDS + [("ingest", str(roster))]:
        proc = cadre(*args, db=db)
        assert proc.returncode == 3, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert words in proc.stderr, proc.stderr
        assert str(db) in proc.stderr
    proc = cadre("structure", "--json", "--lang", "en", db=db)
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["kind"] == "unusable"
    assert digest(db) == before


def test_the_app_handle_raises_the_same_clear_error(tmp_path):
    db = tmp_path / "bad.duckdb"
    _not_duckdb(db)
    handle = store.Store(db, wait=0)
    with pytest.raises(store.StoreUnusable) as err:
        store.query(handle, "store_table_counts")
    assert "not a usable DuckDB database file" in err.value.message("en")


def test_a_missing_store_starts_with_the_demo_and_says_so(tmp_path):
    db = tmp_path / "typo" / "cadre.duckdb"
    proc = cadre("report", "--period", "1999", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "已新建" in proc.stderr and str(db) in proc.stderr
    assert json.loads(proc.stdout)["demo"] is True
    # every later answer from that store is flagged, in text and JSON alike
    for args in (("structure", "--json"), ("movements", "--year", "1999", "--json"),
                 ("whatif", "--period", "1999", "--json")):
        proc = cadre(*args, db=db)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["demo"] is True
        assert "演示办公室" in proc.stderr
    proc = cadre("structure", "--lang", "en", db=db)
    assert "demo office" in proc.stderr


def test_an_office_store_carries_no_demo_flag(tmp_path):
    db = tmp_path / "office.duckdb"
    roster = tmp_path / "r.csv"
    roster.write_text("编号,姓名,性别,出生日期,学历,科室,职务,职级\n9001,甲,男,1980-01-01,大学本科,信息科,科员,科员\n",
                      encoding="utf-8")
    proc = cadre("ingest", str(roster), "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    proc = cadre("structure", "--json", db=db)
    assert "demo" not in json.loads(proc.stdout)


@pytest.mark.parametrize("args", [
    ("ingest", "ROSTER"), ("backup", "--out", "OUT"), ("structure",), ("report", "--period", "1999"),
    ("user", "add", "乙", "--role", "viewer", "--password-stdin")])
def test_a_store_damaged_inside_exits_3_with_the_message(args, tmp_path, demo_store_template):
    db = tmp_path / "zeroed.duckdb"
    zeroed_blocks(db, demo_store_template)
    before = digest(db)
    roster = tmp_path / "r.csv"
    roster.write_text("编号,姓名,性别,出生日期,学历,科室,职务,职级\n9001,甲,男,1980-01-01,大学本科,信息科,科员,科员\n",
                      encoding="utf-8")
    out = tmp_path / "b.zip"
    args = [str(roster) if a == "ROSTER" else str(out) if a == "OUT" else a for a in args]
    proc = cadre(*args, db=db, input="a long enough password\n")
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-1500:])
    assert "Traceback" not in proc.stderr
    assert "不是可用的 DuckDB 数据库文件" in proc.stderr and str(db) in proc.stderr
    assert "Corrupt database file" in proc.stderr  # DuckDB's reason, as for a store that does not open
    assert digest(db) == before and not out.exists()
    proc = cadre(*args, "--json", "--lang", "en", db=db, input="a long enough password\n")
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["kind"] == "unusable"
    assert "not a usable DuckDB database file" in proc.stderr


def test_the_app_handle_says_the_same_of_a_store_damaged_inside(tmp_path, demo_store_template):
    db = tmp_path / "zeroed.duckdb"
    zeroed_blocks(db, demo_store_template)
    handle = store.Store(db, wait=0)
    try:
        for _ in range(2):  # and again once DuckDB has invalidated the database
            with pytest.raises(store.StoreUnusable) as err:
                store.query(handle, "store_roster")
            assert "not a usable DuckDB database file" in err.value.message("en")
    finally:
        handle.close()
