"""The DuckDB store: connect, migrate, run named queries, settings, batches.

One file on disk (``--db``, ``$CADRE_DB``, default ``data/cadre.duckdb``).
Every query the product runs is a file in ``queries/`` referred to by name,
with bound parameters only.
"""
from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from cadre import settings as settings_mod

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_DB = ROOT / "data" / "cadre.duckdb"
# The highest migration number: migrations are numbered, not counted, so that
# work on separate branches can reserve numbers without renumbering.
SCHEMA_VERSION = max(int(p.name.split("_", 1)[0]) for p in MIGRATIONS_DIR.glob("*.sql"))


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """``--db`` if given, else ``$CADRE_DB``, else ``data/cadre.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CADRE_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the store at ``path``."""
    p = db_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(p), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def schema_version(con) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con) -> None:
    """Apply the migrations the file has not seen, each in one transaction."""
    current = schema_version(con)
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        if version <= current:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "insert or replace into meta values ('schema_version', ?)", [str(version)]
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    _ensure_default_settings(con)


def _ensure_default_settings(con) -> None:
    stored = {k for (k,) in con.execute("select key from settings").fetchall()}
    missing = {k: v for k, v in settings_mod.DEFAULTS.items() if k not in stored}
    for key, value in missing.items():
        con.execute("insert into settings values (?, ?)", [key, json.dumps(value, ensure_ascii=False)])


INCLUDE = re.compile(r"^[ \t]*--[ \t]*@include[ \t]+([A-Za-z0-9_]+)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    """The text of ``queries/<name>.sql``, with ``-- @include part`` lines
    replaced by ``queries/<part>.sql`` (shared CTE blocks live once)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    text = path.read_text(encoding="utf-8")
    return INCLUDE.sub(lambda m: sql_text(m.group(1)).rstrip("\n"), text)


@lru_cache(maxsize=None)
def sql_params(name: str) -> frozenset[str]:
    """The ``$name`` parameters the named query uses."""
    code = re.sub(r"--[^\n]*", "", sql_text(name))
    return frozenset(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", code))


def execute(cur, name: str, **params):
    """Execute the named statement on ``cur`` (inside the caller's transaction).

    Only the parameters the statement uses are bound, so callers may pass a
    shared set; a parameter the statement needs but is not given is an error.
    """
    used = sql_params(name)
    missing = used - params.keys()
    if missing:
        raise KeyError(f"query {name!r} needs parameters {sorted(missing)}")
    return cur.execute(sql_text(name), {k: params[k] for k in used} or None)


def query(con, name: str, **params) -> pd.DataFrame:
    """Run the named query ``queries/<name>.sql`` with bound ``$params``.

    A cursor per query, so one cached connection serves many threads.
    """
    cur = con.cursor()
    try:
        return execute(cur, name, **params).df()
    finally:
        cur.close()


def arrow(con, name: str, frames: dict | None = None, **params):
    """The named query as an Arrow table, on its own cursor, with ``frames``
    (Arrow tables or DataFrames) registered under their names: the runner of
    the services whose queries read other queries' results."""
    cur = con.cursor()
    try:
        for key, frame in (frames or {}).items():
            cur.register(key, frame)
        used = sql_params(name)
        missing = used - params.keys()
        if missing:
            raise KeyError(f"query {name!r} needs parameters {sorted(missing)}")
        return cur.sql(sql_text(name), params={k: params[k] for k in used} or None).to_arrow_table()
    finally:
        cur.close()


@contextmanager
def transaction(con):
    """A cursor in one transaction: committed when the block ends, rolled
    back (and the error raised) when it fails; the cursor is closed."""
    cur = con.cursor()
    cur.execute("begin transaction")
    try:
        yield cur
        cur.execute("commit")
    except BaseException:
        cur.execute("rollback")
        raise
    finally:
        cur.close()


def get_settings(con) -> dict:
    """All settings: the stored values over the defaults."""
    merged = settings_mod.defaults()
    for key, value in con.cursor().execute("select key, value from settings").fetchall():
        merged[key] = json.loads(value)
    return merged


def put_settings(con, values: dict) -> None:
    with transaction(con) as cur:
        for key, value in values.items():
            if key not in settings_mod.DEFAULTS:
                raise KeyError(f"unknown setting {key!r}")
            cur.execute("insert or replace into settings values (?, ?)",
                        [key, json.dumps(value, ensure_ascii=False)])
