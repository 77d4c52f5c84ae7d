"""Backup and restore: the whole store as one file.

A backup is a zip holding one Parquet file per table of the store (every
table, found in the store's catalogue, so tables added by later migrations
are included without change here) and ``manifest.json``: the format, the
store's schema version, the time, and per table its rows, columns and the
sha256 of its Parquet file. It is written from one transaction, so it is a
consistent picture even while the app works on the store.

Restore checks the file before it touches anything (format, schema version,
every table of this version's store present with its columns and their
types, every size within a bound, every checksum and row count) and loads
it into an empty store only.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
import zlib
from pathlib import Path

import duckdb

from cadre import store

FORMAT = "cadre-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Tables a new store fills by itself (schema version, default settings):
# restore replaces their rows with the backup's.
SEEDED = ("meta", "settings")
# Bounds on what restore reads (README, Security): checked from the zip's
# directory before reading and again while reading, a chunk at a time into
# temporary files, so a member whose header lies cannot pass either.
MB = 1024 * 1024
MAX_MANIFEST = 1 * MB          # manifest.json
MAX_TABLE_FILE = 1024 * MB     # one table's Parquet file, unpacked
MAX_UNPACKED = 2048 * MB       # all of a backup's table files, unpacked
MAX_TABLES = 200               # entries of the manifest
CHUNK = 1 * MB


class BackupError(Exception):
    """A backup that cannot be restored, or a store it cannot go into;
    ``code`` names why (message key ``backup.<code>``)."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "zh") -> str:
        from cadre import i18n
        # A list parameter is joined in the reader's language (「、」 or ", ").
        params = {k: i18n.join(v, lang) if isinstance(v, (list, tuple)) else v for k, v in self.params.items()}
        return i18n.t(f"backup.{self.code}", lang, **params)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tables(con) -> list[str]:
    return store.query(con, "store_tables")["table_name"].tolist()


def _in_transaction(cur, name: str, **params):
    """A named query on the transaction's own cursor, fully fetched."""
    return store.execute(cur, name, **params).df()


def write(con, out) -> dict:
    """Write the whole store to ``out`` (a path or a binary file object);
    returns the manifest."""
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "schema_version": None, "created_at": dt.datetime.now().isoformat(timespec="seconds"),
                "tables": []}
    with tempfile.TemporaryDirectory(prefix="cadre-backup-") as tmp, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        with store.transaction(con) as cur:  # one snapshot of every table
            meta = _in_transaction(cur, "store_get_meta", key="schema_version")
            manifest["schema_version"] = int(meta.iloc[0]["value"]) if len(meta) else 0
            for name in _in_transaction(cur, "store_tables")["table_name"]:
                rel = cur.table(name)
                path = Path(tmp) / f"{name}.parquet"
                rel.write_parquet(str(path))
                data = path.read_bytes()
                rows = int(rel.aggregate("count(*)").fetchall()[0][0])
                manifest["tables"].append({
                    "name": name, "file": f"tables/{name}.parquet", "rows": rows,
                    "columns": [{"name": c, "type": str(t)} for c, t in zip(rel.columns, rel.types)],
                    "sha256": _sha256(data)})
                zf.writestr(f"tables/{name}.parquet", data)
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def to_bytes(con) -> bytes:
    """The backup as bytes (the data page's download)."""
    buf = io.BytesIO()
    write(con, buf)
    return buf.getvalue()


def schema() -> dict[str, list[tuple[str, str]]]:
    """Every table of this version's store with its columns and their types,
    read from a new store in memory (so a later migration is included)."""
    con = store.connect(":memory:")
    try:
        out = {}
        for name in tables(con):
            rel = con.table(name)
            out[name] = [(c, str(t)) for c, t in zip(rel.columns, rel.types)]
        return out
    finally:
        con.close()


def _short(exc) -> str:
    return str(exc).split("\n", 1)[0][:160]


def _mb(n: int) -> str:
    return f"{n / MB:,.1f}"


def _entries(manifest) -> list[dict]:
    """The manifest's table entries, each with a name, a file, a row count
    and a checksum of the right kinds, names once; else not a backup."""
    entries = manifest.get("tables") if isinstance(manifest, dict) else None
    if not isinstance(entries, list) or len(entries) > MAX_TABLES:
        raise BackupError("not_a_backup")
    seen = set()
    for e in entries:
        if not (isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("file"), str)
                and isinstance(e.get("sha256"), str) and type(e.get("rows")) is int and e["rows"] >= 0
                and e["name"] not in seen):
            raise BackupError("not_a_backup")
        seen.add(e["name"])
    return entries


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise BackupError("not_a_backup") from None
    if info.file_size > MAX_MANIFEST:
        raise BackupError("too_large", file=MANIFEST, size=_mb(info.file_size), limit=_mb(MAX_MANIFEST))
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_MANIFEST + 1)
        if len(raw) > MAX_MANIFEST:
            raise BackupError("too_large", file=MANIFEST, size=_mb(len(raw)), limit=_mb(MAX_MANIFEST))
        return json.loads(raw.decode("utf-8"))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, UnicodeDecodeError,
            NotImplementedError, RuntimeError):
        raise BackupError("not_a_backup") from None


def _unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: str, path: Path) -> str:
    """Copy one member to ``path`` a chunk at a time, never more than the
    bound (whatever its header claims); returns its sha256."""
    digest = hashlib.sha256()
    size = 0
    try:
        with zf.open(info) as src, open(path, "wb") as dst:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_TABLE_FILE:
                    raise BackupError("too_large", file=info.filename, size=_mb(size),
                                      limit=_mb(MAX_TABLE_FILE))
                digest.update(chunk)
                dst.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise BackupError("checksum", table=table) from None
    return digest.hexdigest()


def _check_parquet(path: Path, table: str, expected: list[tuple[str, str]], rows: int) -> None:
    """The table file holds the columns of this version's table, with their
    types, and the rows the manifest says (read from its footer)."""
    con = duckdb.connect(":memory:")
    try:
        try:
            rel = con.read_parquet(str(path))
            found = [(c, str(t)) for c, t in zip(rel.columns, rel.types)]
            count = int(rel.aggregate("count(*)").fetchall()[0][0])
        except duckdb.Error as exc:
            raise BackupError("bad_table", table=table, detail=_short(exc)) from None
    finally:
        con.close()
    names = [c for c, _ in expected]
    if [c for c, _ in found] != names:
        missing = [c for c in names if c not in dict(found)]
        extra = [c for c, _ in found if c not in names]
        raise BackupError("columns_differ", table=table,
                          columns=(missing + extra) or names)
    for (column, kind), (_, want) in zip(found, expected):
        if kind != want:
            raise BackupError("column_type", table=table, column=column, found=kind, expected=want)
    if count != rows:
        raise BackupError("checksum", table=table)


def check(source, folder) -> tuple[dict, dict[str, Path]]:
    """Read and check a backup: (manifest, {table: its Parquet file in
    ``folder``}) or BackupError. Every table of this version's store must be
    there with its columns and types; every size is bounded before and while
    reading (``MAX_*``), so a hostile file cannot take the memory or disk."""
    folder = Path(folder)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BackupError("not_a_backup") from None
    with zf:
        manifest = _read_manifest(zf)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError("not_a_backup")
        if manifest.get("schema_version") != store.SCHEMA_VERSION:
            raise BackupError("other_version", version=manifest.get("schema_version"),
                              supported=store.SCHEMA_VERSION)
        entries = _entries(manifest)
        infos, total = {}, 0
        for e in entries:  # the sizes the zip directory claims, before reading anything
            try:
                info = zf.getinfo(e["file"])
            except KeyError:
                raise BackupError("missing_table", table=e["name"]) from None
            if info.file_size > MAX_TABLE_FILE:
                raise BackupError("too_large", file=info.filename, size=_mb(info.file_size),
                                  limit=_mb(MAX_TABLE_FILE))
            total += info.file_size
            if total > MAX_UNPACKED:
                raise BackupError("too_large_total", limit=_mb(MAX_UNPACKED))
            infos[e["name"]] = info
        expected = schema()
        named = {e["name"] for e in entries}
        unknown = sorted(named - expected.keys())
        if unknown:
            raise BackupError("unknown_table", table=unknown[0])
        missing = sorted(expected.keys() - named)
        if missing:
            raise BackupError("missing_table", table=missing[0])
        files = {}
        for i, e in enumerate(entries):
            path = folder / f"table_{i}.parquet"
            if _unpack(zf, infos[e["name"]], e["name"], path) != e["sha256"]:
                raise BackupError("checksum", table=e["name"])
            _check_parquet(path, e["name"], expected[e["name"]], e["rows"])
            files[e["name"]] = path
    return manifest, files


def restore(source, target) -> dict:
    """Check ``source`` and load it into the empty store at ``target``
    (created if missing); returns the manifest. Nothing is written unless
    every check passes, and the load is one transaction (a store this call
    created is removed again when the load fails)."""
    target = store.db_path(target)
    with tempfile.TemporaryDirectory(prefix="cadre-restore-") as tmp:
        manifest, files = check(source, tmp)
        created = str(target) != ":memory:" and not target.exists()
        con = store.connect(target, wait=None)
        ok = False
        try:
            present = set(tables(con))
            busy = [t for t in present if t not in SEEDED and count_rows(con, t)]
            if busy:
                raise BackupError("not_empty", path=str(target), table=sorted(busy)[0])
            with store.transaction(con) as cur:
                for entry in manifest["tables"]:
                    name = entry["name"]
                    rel = cur.read_parquet(str(files[name]))
                    clear_table(cur, name)
                    try:
                        rel.insert_into(name)
                    except duckdb.Error as exc:  # a constraint the rows break
                        raise BackupError("bad_table", table=name, detail=_short(exc)) from None
                twice = store.execute(cur, "store_duplicate_assessment_key").fetchall()
                if twice:  # the key the index kept unique before schema 7
                    raise BackupError("duplicate_key", table="assessments", person_id=twice[0][0],
                                      period=twice[0][1], source=twice[0][2])
                advance_sequences(cur)  # the audit log's next entry follows the restored ones
            ok = True
        finally:
            con.close()
            if created and not ok:
                for leftover in (target, target.with_name(target.name + ".wal")):
                    leftover.unlink(missing_ok=True)
    return manifest


# ---------------------------------------------------------------- the store's tables by name

def _table_name(cur, table: str) -> str:
    """``table`` as a quoted identifier, once the store's own catalogue has
    confirmed it is one of its tables (identifiers cannot be bound; this is
    the one place a table name enters SQL text)."""
    names = set(store.execute(cur, "store_tables").df()["table_name"])
    if table not in names:
        raise KeyError(f"no table {table!r} in the store")
    return '"' + table.replace('"', '""') + '"'


def count_rows(con, table: str) -> int:
    """Rows of one table of the store (backup manifests, restore checks)."""
    cur = con.cursor()
    try:
        return int(cur.table(_table_name(cur, table).strip('"')).aggregate("count(*)").fetchall()[0][0])
    finally:
        cur.close()


def clear_table(cur, table: str) -> None:
    """Delete every row of one table, inside the caller's transaction (restore)."""
    cur.execute("delete from " + _table_name(cur, table))


def advance_sequences(cur) -> None:
    """Move every sequence a column draws its default from past the largest
    value that column holds (after rows were loaded with their own values,
    as restore does), inside the caller's transaction. The names come from
    the store's own catalogue (identifiers cannot be bound)."""
    for table, column, sequence in store.execute(cur, "store_sequences").fetchall():
        quoted = _table_name(cur, table)
        col = '"' + column.replace('"', '""') + '"'
        seq = "'" + sequence.replace("'", "''") + "'"
        cur.execute(f"select count(nextval({seq})) from range((select coalesce(max({col}), 0) from {quoted}))")
