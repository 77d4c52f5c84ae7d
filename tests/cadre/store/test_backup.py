"""Backup and restore: every table of the store round-trips through one file;
a damaged or foreign backup, or a store that is not empty, is refused."""
from __future__ import annotations

import io
import json
import resource
import struct
import zipfile
import zlib

import duckdb
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


def test_a_backup_is_taken_while_the_app_works_on_the_store(demo_db, tmp_path):
    handle = store.Store(demo_db, wait=5)
    try:
        with handle.hold():  # the app in the middle of a page run
            data = backup.to_bytes(handle)
    finally:
        handle.close()
    manifest, files = backup.check(io.BytesIO(data), tmp_path)
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
        backup.check(bad, tmp_path)
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


# ------------------------------------------------------------ hostile backups

def _backup_bytes(db) -> bytes:
    con = store.connect(db)
    try:
        return backup.to_bytes(con)
    finally:
        con.close()


def _rebuild(data: bytes, drop=(), replace=None) -> bytes:
    """The backup ``data`` without the tables ``drop`` (from the manifest and
    the zip alike) and with ``replace`` {table: parquet bytes} put in, the
    manifest's checksums and counts made to match: a file only restore's own
    checks can refuse."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] not in drop]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for t in manifest["tables"]:
            body = replace.get(t["name"], src.read(t["file"]))
            t["sha256"] = backup._sha256(body)
            dst.writestr(t["file"], body)
        dst.writestr("manifest.json", json.dumps(manifest))
    return buf.getvalue()


def _refused(tmp_path, data: bytes, *words, lang="zh", **run):
    """Restore ``data`` into a new store: exit 1, the message holds ``words``,
    no traceback, and no store was made."""
    src = tmp_path / "hostile.zip"
    src.write_bytes(data)
    target = tmp_path / "new" / "cadre.duckdb"
    proc = cadre("restore", str(src), "--lang", lang, db=target, **run)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    for w in words:
        assert w in proc.stderr, proc.stderr
    assert not target.exists()
    return proc


def test_a_backup_without_the_users_and_audit_tables_is_refused(demo_db, tmp_path):
    data = _rebuild(_backup_bytes(demo_db), drop=("users", "audit"))
    _refused(tmp_path, data, "缺少数据表「audit」")
    _refused(tmp_path, data, "table “audit” is missing", lang="en")


def test_a_column_of_the_wrong_type_is_refused_naming_table_column_and_types(demo_db, tmp_path):
    data = _backup_bytes(demo_db)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (tmp_path / "roster.parquet").write_bytes(zf.read("tables/roster.parquet"))
    con = duckdb.connect()
    con.execute(f"copy (select * replace (strftime(birth_date, '%Y年%m月') as birth_date) "
                f"from read_parquet('{tmp_path / 'roster.parquet'}')) to '{tmp_path / 'bad.parquet'}' (format parquet)")
    con.close()
    bad = _rebuild(data, replace={"roster": (tmp_path / "bad.parquet").read_bytes()})
    _refused(tmp_path, bad, "「roster」", "「birth_date」", "VARCHAR", "DATE")


@pytest.mark.parametrize("table, words", [
    ("settings", ("「settings」", "无法载入")),
    # no index holds this key since schema 7: the restore checks it itself
    ("assessments", ("「assessments」", "重复的行", "出现不止一次")),
])
def test_rows_that_break_a_key_are_refused_and_the_new_store_removed(demo_db, tmp_path, table, words):
    data = _backup_bytes(demo_db)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (tmp_path / f"{table}.parquet").write_bytes(zf.read(f"tables/{table}.parquet"))
    con = duckdb.connect()
    path = tmp_path / f"{table}.parquet"
    con.execute(f"copy (select * from read_parquet('{path}') union all select * from read_parquet('{path}') "
                f"order by all) to '{tmp_path / 'twice.parquet'}' (format parquet)")
    con.close()
    body = (tmp_path / "twice.parquet").read_bytes()
    src = zipfile.ZipFile(io.BytesIO(_rebuild(data, replace={table: body})))
    manifest = json.loads(src.read("manifest.json"))
    for t in manifest["tables"]:
        if t["name"] == table:
            t["rows"] *= 2
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, json.dumps(manifest) if info.filename == "manifest.json" else src.read(info))
    _refused(tmp_path, buf.getvalue(), *words)
    # into an empty store that was there before: refused, and it holds what it held
    empty = tmp_path / "empty.duckdb"
    store.connect(empty).close()
    before = _tables(empty)
    proc = cadre("restore", str(tmp_path / "hostile.zip"), db=empty)
    assert proc.returncode == 1 and all(w in proc.stderr for w in words) and "Traceback" not in proc.stderr
    after = _tables(empty)
    assert set(after) == set(before)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, obj=name)


def test_the_audit_log_goes_on_after_a_restore(demo_db, tmp_path):
    from cadre import audit
    con = store.connect(demo_db)
    audit.record(con, "甲", "login")
    audit.record(con, "甲", "logout")
    src = tmp_path / "b.zip"
    backup.write(con, src)
    con.close()
    target = tmp_path / "restored.duckdb"
    backup.restore(src, target)
    con = store.connect(target)
    try:
        audit.record(con, "乙", "login")  # before: the restored entries' ids collided with the new one
        assert audit.entries(con)["user_name"].tolist() == ["乙", "甲", "甲"]
    finally:
        con.close()


def _zip_member_of_zeros(name: str, size: int, block: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes, built without holding them:
    one block of zeros compressed and flushed, repeated (a full flush makes
    every repeat the same bytes)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    assert size % block == 0
    return first + again * (size // block - 1) + c.flush(zlib.Z_FINISH), size


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, deflated bytes, size, crc): the
    header says what it is told to say."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, body, size, crc in members:
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), size, len(raw), 0))
        out.write(raw + body)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), size,
                                  len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central.getvalue()),
                          start, 0))
    return out.getvalue()


def _limited(limit: int):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return cap


def test_a_3_gib_member_is_refused_before_it_is_read_within_a_memory_bound(demo_db, tmp_path):
    data = _backup_bytes(demo_db)
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    members = []
    for t in manifest["tables"]:
        if t["name"] == "roster":  # listed first, so a naive restore reads it first
            body, size = _zip_member_of_zeros(t["file"], 3 << 30)
            members.insert(0, (t["file"], body, size, 0))
        else:
            raw = src.read(t["file"])
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((t["file"], c.compress(raw) + c.flush(), len(raw), zlib.crc32(raw)))
    text = json.dumps(manifest).encode()
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    members.append(("manifest.json", c.compress(text) + c.flush(), len(text), zlib.crc32(text)))
    hostile = _zip(members)
    assert len(hostile) < 20 << 20  # the file itself is small
    # the child may take 1.5 GiB of address space: reading the member whole cannot fit
    proc = _refused(tmp_path, hostile, "tables/roster.parquet", "3,072.0 MB", "1,024.0 MB",
                    preexec_fn=_limited(1536 << 20))
    assert "上限" in proc.stderr


def test_the_sum_of_the_members_is_bounded_too(demo_db, tmp_path, monkeypatch):
    data = _backup_bytes(demo_db)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        total = sum(i.file_size for i in zf.infolist() if i.filename != "manifest.json")
    monkeypatch.setattr(backup, "MAX_UNPACKED", total - 1)
    with pytest.raises(backup.BackupError) as err:
        backup.check(io.BytesIO(data), tmp_path)
    assert err.value.code == "too_large_total" and "MB" in err.value.message("en")
    assert not list(tmp_path.glob("*.parquet"))  # refused from the directory, nothing unpacked


def test_a_manifest_over_its_bound_is_not_read(tmp_path):
    text = b'{"format": "cadre-backup", "pad": "' + b" " * (2 << 20) + b'"}'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", text)
    _refused(tmp_path, buf.getvalue(), "manifest.json", "上限")


def test_a_list_in_a_refusal_is_joined_in_the_readers_language():
    """Issue 20.16: the differing columns were joined with 「、」 at raise time,
    so an English reader saw 「rank、name」."""
    err = backup.BackupError("columns_differ", table="roster", columns=["rank", "name"])
    assert "rank, name" in err.message("en") and "、" not in err.message("en")
    assert "rank、name" in err.message("zh")
