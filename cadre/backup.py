"""Backup and restore: the whole store as one file.

A backup is a zip holding one Parquet file per table of the store (every
table, found in the store's catalogue, so tables added by later migrations
are included without change here) and ``manifest.json``: the format, the
store's schema version, the time, and per table its rows, columns and the
sha256 of its Parquet file. It is written from one transaction, so it is a
consistent picture even while the app works on the store.

Restore checks the file (format, schema version, every checksum and row
count) before it touches anything, and loads it into an empty store only.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

from cadre import store

FORMAT = "cadre-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Tables a new store fills by itself (schema version, default settings):
# restore replaces their rows with the backup's.
SEEDED = ("meta", "settings")


class BackupError(Exception):
    """A backup that cannot be restored, or a store it cannot go into;
    ``code`` names why (message key ``backup.<code>``)."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "zh") -> str:
        from cadre import i18n
        return i18n.t(f"backup.{self.code}", lang, **self.params)


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


def check(source) -> tuple[dict, dict[str, bytes]]:
    """Read and check a backup: (manifest, {table: parquet bytes}) or BackupError."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BackupError("not_a_backup") from None
    with zf:
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (KeyError, ValueError, UnicodeDecodeError):
            raise BackupError("not_a_backup") from None
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError("not_a_backup")
        if manifest.get("schema_version") != store.SCHEMA_VERSION:
            raise BackupError("other_version", version=manifest.get("schema_version"),
                              supported=store.SCHEMA_VERSION)
        files = {}
        for entry in manifest.get("tables", []):
            try:
                data = zf.read(entry["file"])
            except (KeyError, zipfile.BadZipFile, OSError):
                raise BackupError("missing_table", table=entry.get("name")) from None
            if _sha256(data) != entry.get("sha256"):
                raise BackupError("checksum", table=entry["name"])
            files[entry["name"]] = data
    return manifest, files


def restore(source, target) -> dict:
    """Check ``source`` and load it into the empty store at ``target``
    (created if missing); returns the manifest. Nothing is written unless
    every check passes, and the load is one transaction."""
    manifest, files = check(source)
    con = store.connect(target, wait=None)
    try:
        present = set(tables(con))
        busy = [t for t in present if t not in SEEDED and store.count_rows(con, t)]
        if busy:
            raise BackupError("not_empty", path=str(target), table=sorted(busy)[0])
        missing = [e["name"] for e in manifest["tables"] if e["name"] not in present]
        if missing:
            raise BackupError("unknown_table", table=missing[0])
        with tempfile.TemporaryDirectory(prefix="cadre-restore-") as tmp, store.transaction(con) as cur:
            for entry in manifest["tables"]:
                name = entry["name"]
                path = Path(tmp) / f"{name}.parquet"
                path.write_bytes(files[name])
                rel = cur.read_parquet(str(path))
                target_cols = cur.table(name).columns
                if list(rel.columns) != list(target_cols):
                    raise BackupError("columns_differ", table=name)
                if int(rel.aggregate("count(*)").fetchall()[0][0]) != entry["rows"]:
                    raise BackupError("checksum", table=name)
                store.clear_table(cur, name)
                rel.insert_into(name)
    finally:
        con.close()
    return manifest
