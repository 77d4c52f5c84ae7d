"""Backup and restore: every table of the store round-trips through one file;
a damaged or foreign backup, or a store that is not empty, is refused."""
from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

from cadre import backup, batches, store

from .helpers import Holder, cadre, digest

ROSTER = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
          "9001,测试甲,男,1980-01-01,大学本科,信息科,科员,科员\n").encode("utf-8")


def _tables(path) -> dict[str, pd.DataFrame]:
    con = store.connect(path)
    try:
        out = {}
        for name in backup.tables(con):
            frame = con.table(name).df()
            out[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame) else frame
        return out
    finally:
        con.close()


@pytest.fixture
def busy_store(demo_db):
    """The demo store with an upload, an undone upload, a setting and a scenario."""
    con = store.connect(demo_db)
    try:
        assert batches.ingest(con, [("a.csv", ROSTER)]).batch_id
        assert batches.ingest(con, [("b.csv", ROSTER.replace(b"9001", b"9002"))]).batch_id
        assert batches.undo_last(con)
        store.put_settings(con, {"office_name": "某市人民政府办公室", "undo_depth": 7})
        con.execute("insert into scenarios values ('绩占一半', current_timestamp::timestamp, '{\"a\": 1}')")
    finally:
        con.close()
    return demo_db


def test_every_table_round_trips(busy_store, tmp_path):
    out = tmp_path / "b.zip"
    proc = cadre("backup", "--out", str(out), "--json", db=busy_store)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert {t["file"] for t in manifest["tables"]} <= set(zf.namelist())
    original = _tables(busy_store)
    assert set(answer["tables"]) == set(original)  # every table, generically
    assert answer["tables"]["batches"] == 3 and answer["tables"]["scenarios"] == 1
    target = tmp_path / "restored" / "cadre.duckdb"
    proc = cadre("restore", str(out), "--json", db=target)
    assert proc.returncode == 0, proc.stderr
    restored = _tables(target)
    assert set(restored) == set(original)
    for name, frame in original.items():
        pd.testing.assert_frame_equal(restored[name], frame, check_dtype=False, obj=name)


def test_a_backup_is_taken_while_the_app_works_on_the_store(demo_db):
    handle = store.Store(demo_db, wait=5)
    try:
        with handle.hold():  # the app in the middle of a page run
            data = backup.to_bytes(handle)
    finally:
        handle.close()
    manifest, files = backup.check(io.BytesIO(data))
    assert manifest["schema_version"] == store.SCHEMA_VERSION and "roster" in files


def test_the_backup_command_waits_for_a_busy_store(demo_db, tmp_path):
    with Holder(demo_db):
        proc = cadre("backup", "--out", str(tmp_path / "b.zip"), "--wait", "0.2", db=demo_db)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert not (tmp_path / "b.zip").exists()


def _damage(data: bytes, how: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if how == "flip" and info.filename == "tables/roster.parquet":
                body = body[:200] + bytes([body[200] ^ 0xFF]) + body[201:]
            if how == "drop" and info.filename == "tables/movements.parquet":
                continue
            if how == "version" and info.filename == "manifest.json":
                m = json.loads(body)
                m["schema_version"] = 999
                body = json.dumps(m).encode()
            dst.writestr(info, body)
    return buf.getvalue()


@pytest.mark.parametrize("how,code,words", [
    ("flip", "checksum", "校验和"), ("drop", "missing_table", "movements"),
    ("version", "other_version", "999"), ("garbage", "not_a_backup", "不是 cadre 的备份文件")])
def test_a_damaged_backup_is_refused_before_anything_is_written(demo_db, tmp_path, how, code, words):
    con = store.connect(demo_db)
    data = backup.to_bytes(con)
    con.close()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all" if how == "garbage" else _damage(data, how))
    with pytest.raises(backup.BackupError) as err:
        backup.check(bad)
    assert err.value.code == code
    target = tmp_path / "new.duckdb"
    proc = cadre("restore", str(bad), db=target)
    assert proc.returncode == 1 and words in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists() or len(_tables(target)["batches"]) == 0


def test_restore_goes_into_an_empty_store_only(demo_db, tmp_path):
    con = store.connect(demo_db)
    data = backup.to_bytes(con)
    con.close()
    src = tmp_path / "b.zip"
    src.write_bytes(data)
    before = digest(demo_db)
    proc = cadre("restore", str(src), "--lang", "en", db=demo_db)
    assert proc.returncode == 1 and "empty store only" in proc.stderr
    assert digest(demo_db) == before
