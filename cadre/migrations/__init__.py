"""The store's schema, version by version, and upgrading a store to it.

Each ``NNN_name.sql`` here is one schema version; the highest number is this
version's (numbered, not counted, so that work on separate branches can
reserve numbers without renumbering). A store of an earlier version is
upgraded when opened for writing (:func:`upgrade`): the file as it was is
copied beside itself first, then every pending migration runs in one
transaction. ``cadre.store`` refuses a store of a later version, untouched.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

DIR = Path(__file__).resolve().parent
SCHEMA_VERSION = max(int(p.name.split("_", 1)[0]) for p in DIR.glob("*.sql"))
# Stores this process upgraded: path -> (from version, to version, the copy kept first).
UPGRADED: dict[str, tuple[int, int, Path]] = {}
log = logging.getLogger("cadre.store")


def schema_version(con) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def pending(after: int = 0, upto: int | None = None) -> list[tuple[int, Path]]:
    """``(version, file)`` of the migrations above ``after`` (up to ``upto``), in order."""
    found = sorted((int(p.name.split("_", 1)[0]), p) for p in DIR.glob("*.sql"))
    return [(v, p) for v, p in found if v > after and (upto is None or v <= upto)]


def upgrade(con, path: str | os.PathLike | None = None, upto: int | None = None) -> Path | None:
    """Every migration the store has not seen (up to ``upto``), all in one
    transaction, so a failed upgrade leaves the store as it was. A store of
    an earlier version (not a new one) at ``path`` is first copied beside
    itself (:func:`copy_before`); that copy's path is returned, else None."""
    current = schema_version(con)
    todo = pending(current, upto)
    copy = None
    if todo and current > 0 and path is not None and str(path) != ":memory:":
        copy = copy_before(con, Path(path), current)
    if todo:
        con.execute("begin transaction")
        try:
            for version, file in todo:
                con.execute(file.read_text(encoding="utf-8"))
                con.execute("insert or replace into meta values ('schema_version', ?)", [str(version)])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    if copy is not None:
        UPGRADED[str(Path(path))] = (current, todo[-1][0], copy)
        log.warning("store %s upgraded from schema version %s to %s; the earlier file is kept as %s",
                    path, current, todo[-1][0], copy)
    return copy


def copy_before(con, path: Path, version: int) -> Path:
    """The store file as it is, before an upgrade, copied beside it as
    ``NAME.before-vN-YYYYMMDD-HHMMSS.duckdb``: checkpointed first, written
    whole and renamed, or not at all."""
    con.execute("checkpoint")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = path.name[:-len(".duckdb")] if path.name.endswith(".duckdb") else path.name
    target = path.with_name(f"{stem}.before-v{version}-{stamp}.duckdb")
    n = 1
    while target.exists():
        target = path.with_name(f"{stem}.before-v{version}-{stamp}-{n}.duckdb")
        n += 1
    part = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(path, part)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return target
