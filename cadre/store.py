"""The DuckDB store: connect, migrate, run named queries, settings, batches.

One file on disk (``--db``, ``$CADRE_DB``, default ``data/cadre.duckdb``).
Every query the product runs is a file in ``queries/`` referred to by name,
with bound parameters only.
"""
from __future__ import annotations

import atexit

import json
import os
import re
import threading
import time
import weakref
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cadre import migrations as schema, settings as settings_mod

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "cadre.duckdb"
# The highest migration number: migrations are numbered, not counted, so that
# work on separate branches can reserve numbers without renumbering.
# A store of an earlier version is migrated when opened (cadre.migrations);
# one of a later version is refused, untouched.
MIGRATIONS_DIR, SCHEMA_VERSION, UPGRADED = schema.DIR, schema.SCHEMA_VERSION, schema.UPGRADED


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """``--db`` if given, else ``$CADRE_DB``, else ``data/cadre.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CADRE_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | os.PathLike | None = None, read_only: bool = False,
            wait: float | None = 0.0) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the store at ``path``.

    Another process holding the store's lock is waited for up to ``wait``
    seconds (None: ``$CADRE_WAIT``, default 30), then :class:`StoreBusy`; a
    file that is not a usable store raises :class:`StoreUnusable`, untouched.
    """
    p = db_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    con = _open_waiting(p, read_only, default_wait() if wait is None else wait)
    try:
        check_version(con, p)
        if not read_only:
            migrate(con, p)
    except BaseException:
        con.close()
        raise
    return con


# ------------------------------------------------------------ sharing the file

class StoreError(Exception):
    """The store cannot be used now: ``code`` names why (message key
    ``store.<code>``); the CLI exits 3, the app shows a page saying so."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "zh") -> str:
        from cadre import i18n
        return i18n.t(f"store.{self.code}", lang, **self.params)


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than the wait."""


class StoreUnusable(StoreError):
    """Not a DuckDB file, a damaged one, or a store of another version."""


DEFAULT_WAIT = 30.0
RETRY_EVERY = 0.05
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


def default_wait() -> float:
    """Seconds to wait for a store another process holds: ``$CADRE_WAIT``, else 30."""
    try:
        return max(float(os.environ.get("CADRE_WAIT", DEFAULT_WAIT)), 0.0)
    except ValueError:
        return DEFAULT_WAIT


def _holder(message: str) -> str:
    """Who holds the lock, as a person would recognise it: the command line
    of the holding process (read from /proc) and its PID."""
    m = _LOCK_HOLDER.search(message)
    if not m:
        return "?"
    exe, pid = m.group(1), m.group(2)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        cmd = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    except OSError:
        cmd = ""
    return f"{(cmd or exe)[:160]} (PID {pid})"


def waiting_marker(p: Path) -> Path:
    """A file a process waiting for the store touches while it waits, so the
    app lets go of the file at its next idle moment (see :class:`Store`)."""
    return p.with_name(p.name + ".waiting")


def someone_waits(p: Path, fresh: float = 2.0) -> bool:
    try:
        return time.time() - waiting_marker(p).stat().st_mtime < fresh
    except OSError:
        return False


# DuckDB gives memory back once a query frees more than this (default 512 MB): a city's scores peaked 150 MB lower.
DUCKDB_CONFIG = {"allocator_bulk_deallocation_flush_threshold": "4MB"}


def _open_waiting(p: Path, read_only: bool, wait: float):
    deadline = time.monotonic() + wait
    marker = None
    try:
        while True:
            try:
                return duckdb.connect(str(p), read_only=read_only, config=DUCKDB_CONFIG)
            except duckdb.IOException as exc:
                text = str(exc)
                if "lock" not in text.lower():
                    raise StoreUnusable("unreadable", path=str(p), reason=_short(text)) from None
                if time.monotonic() >= deadline:
                    raise StoreBusy("busy", path=str(p), holder=_holder(text), seconds=f"{wait:g}") from None
                try:  # say that we wait (refreshed on every try)
                    marker = waiting_marker(p)
                    marker.write_text(str(os.getpid()))
                except OSError:
                    marker = None
                time.sleep(RETRY_EVERY)
            except duckdb.Error as exc:
                raise StoreUnusable("unreadable", path=str(p), reason=_short(str(exc))) from None
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def _short(text: str) -> str:
    return text.split("\n", 1)[0][:300]


# What DuckDB says when a store that opened is damaged inside (a block whose
# checksum fails is read only when a query needs it), or was invalidated by
# such an error earlier in the process.
_DAMAGE = re.compile(r"corrupt|database has been invalidated|could not read enough bytes", re.IGNORECASE)


def damaged(exc: BaseException, p: Path | str = "") -> StoreUnusable | None:
    """The :class:`StoreUnusable` a DuckDB error raised while working on the
    store at ``p`` stands for, when it says the file is damaged; else None."""
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    if not (isinstance(exc, duckdb.FatalException) or _DAMAGE.search(text)):
        return None
    found = re.search(r"(?:Data Corruption Error: )?(Corrupt database file[^\n\"]*)", text)
    return StoreUnusable("unreadable", path=str(p), reason=(found.group(1) if found else _short(text))[:300])


def check_version(con, p: Path | str = "") -> None:
    """Refuse a store this version of cadre cannot read: a newer schema, or
    a DuckDB file that holds other tables and is not a cadre store."""
    try:
        tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        version = schema_version(con) if "meta" in tables else 0
    except duckdb.Error as exc:
        raise StoreUnusable("unreadable", path=str(p), reason=_short(str(exc))) from None
    if version > SCHEMA_VERSION:
        raise StoreUnusable("newer", path=str(p), version=version, supported=SCHEMA_VERSION)
    if tables and "meta" not in tables:
        raise StoreUnusable("foreign", path=str(p))


class Store:
    """The app's handle on the store: a DuckDB connection held only while
    working, so the command line can use the same file between page runs.

    ``cursor()`` opens the file when nobody in this process has it open
    (waiting for another process up to ``wait`` seconds) and counts the
    cursors out; when the last is closed, the connection stays open
    ``linger`` seconds for the next query of the same run, then is closed
    and the lock released. When another process waits for the file (it
    touches :func:`waiting_marker`), the handle closes at its next idle
    moment instead and pauses ``yield_for`` seconds before opening again;
    after ``max_hold`` seconds of continuous use it also stops handing out
    new cursors until the running ones are done, so a waiting command gets
    its turn even while users keep clicking. A thread that already uses the
    file (a page run's ``hold``, an open cursor) is not stopped: it would
    wait for its own use to end, and the page (and with it every other
    waiting page) would hang.
    """

    LINGER, MAX_HOLD, YIELD_FOR = 5.0, 3.0, 0.3  # seconds (bench/bench_store.py measures them)

    def __init__(self, path, wait: float | None = None, linger: float | None = None,
                 max_hold: float | None = None, yield_for: float | None = None):
        self.path = db_path(path)
        self.wait = default_wait() if wait is None else wait
        self.linger = self.LINGER if linger is None else linger
        self.max_hold = self.MAX_HOLD if max_hold is None else max_hold
        self.yield_for = self.YIELD_FOR if yield_for is None else yield_for
        self._lock = threading.RLock()
        self._con = None
        self._users = 0
        self._users_by_thread: dict[int, int] = {}  # thread ident -> its uses of the file now
        self._opened_at = 0.0
        self._closed_at = 0.0
        self._timer = None
        self._migrated = False
        self._resume_at = 0.0
        self._draining = False
        self.opens = 0  # how many times the file was opened (bench)
        _LIVE_STORES.add(self)

    def _acquire(self) -> tuple:
        """The open connection and the ident of the thread now using it."""
        me = threading.get_ident()
        while True:
            with self._lock:
                now = time.monotonic()
                if (self._con is not None and self._users and now - self._opened_at >= self.max_hold
                        and someone_waits(self.path)):
                    self._draining = True
                pause = self._resume_at - now
                if self._draining and self._con is not None:
                    pause = max(pause, RETRY_EVERY)
                if self._users_by_thread.get(me) and self._con is not None:
                    pause = 0  # this thread already uses the file: waiting would be for itself
                if pause <= 0:
                    if self._con is None:
                        if self._migrated:
                            self._con = _open_waiting(self.path, False, self.wait)
                        else:
                            self._con = connect(self.path, wait=self.wait)
                            self._migrated = True
                        self._opened_at = time.monotonic()
                        self.opens += 1
                    self._users += 1
                    self._users_by_thread[me] = self._users_by_thread.get(me, 0) + 1
                    return self._con, me
            time.sleep(min(pause, self.yield_for))

    def _release(self, user: int) -> None:
        """``user``: the thread ident ``_acquire`` gave (a cursor may be
        closed by another thread, e.g. the garbage collector's)."""
        with self._lock:
            left = self._users_by_thread.pop(user, 0) - 1
            if left > 0:
                self._users_by_thread[user] = left
            self._users -= 1
            if self._users > 0 or self._con is None:
                return
            now = time.monotonic()
            self._closed_at = now
            if self._draining or someone_waits(self.path):
                self._close_now()
                self._draining = False
                self._resume_at = now + self.yield_for
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.linger, self._close_if_idle, args=(now,))
            self._timer.daemon = True
            self._timer.start()

    def _close_if_idle(self, since: float) -> None:
        with self._lock:
            if self._users == 0 and self._closed_at == since:
                self._close_now()

    def _close_now(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def cursor(self) -> "_Cursor":
        con, user = self._acquire()
        try:
            with self._lock:
                cur = con.cursor()
        except BaseException:
            self._release(user)
            raise
        return _Cursor(self, cur, user)

    @contextmanager
    def hold(self):
        """Keep the file open for a block (one page run)."""
        _, user = self._acquire()
        try:
            yield self
        finally:
            self._release(user)

    def is_open(self) -> bool:
        return self._con is not None

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._close_now()
            self._users = 0
            self._users_by_thread.clear()


# Every Store of this process, closed at exit: a lingering handle's timer is a
# daemon thread, and a daemon thread inside DuckDB's C++ while the interpreter
# shuts down is killed mid-call ("terminate called ... FATAL: exception not
# rethrown", exit code 134). atexit runs before that, while threads still can.
_LIVE_STORES: "weakref.WeakSet[Store]" = weakref.WeakSet()


@atexit.register
def _close_all_at_exit() -> None:
    for live in list(_LIVE_STORES):
        live.close()


class _Cursor:
    """A DuckDB cursor that gives its hold on the file back when closed."""

    def __init__(self, owner: Store, cur, user: int):
        self._owner, self._cur, self._user = owner, cur, user

    def __getattr__(self, name):
        return getattr(self._cur, name)

    def execute(self, *args, **kwargs):
        try:
            self._cur.execute(*args, **kwargs)
        except duckdb.Error as exc:  # a store damaged inside: the page says so, as for one that does not open
            unusable = damaged(exc, self._owner.path)
            if unusable is None:
                raise
            raise unusable from None
        return self

    def close(self) -> None:
        if self._cur is not None:
            try:
                self._cur.close()
            finally:
                self._cur = None
                self._owner._release(self._user)

    def __del__(self):
        if getattr(self, "_cur", None) is not None:
            try:
                self.close()
            except Exception:
                pass


schema_version = schema.schema_version


def migrate(con, path: str | os.PathLike | None = None, upto: int | None = None) -> Path | None:
    """Bring the store to this version's schema (see :func:`cadre.migrations.upgrade`:
    one transaction, a copy of an earlier version's file kept first) and
    fill in the settings it lacks; the copy's path, or None."""
    copy = schema.upgrade(con, path, upto)
    _ensure_default_settings(con)
    return copy


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


def execute_reading(cur, name: str, staged: str, frame) -> None:
    """Execute the named statement, which reads ``frame`` (DataFrame or Arrow)
    as ``staged`` and binds no parameters, on ``cur`` in the caller's
    transaction. DuckDB holds a frame registered in a transaction until the
    commit, unregistered or not; a relation's query lets it go at once."""
    if sql_params(name):
        raise ValueError(f"query {name!r} binds parameters: register its frames instead")
    rel = cur.from_arrow(frame) if isinstance(frame, pa.Table) else cur.from_df(frame)
    rel.query(staged, sql_text(name))


def query(con, name: str, **params) -> pd.DataFrame:
    """Run the named query ``queries/<name>.sql`` with bound ``$params``.

    A cursor per query, so one cached connection serves many threads.
    DuckDB's ``.df()`` keeps the date rule of :func:`frame` (DATE and
    TIMESTAMP as datetime64[us]), with NULL-able integers as pandas' Int
    and DECIMAL as float: for small reads; :func:`frame` for large ones.
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


def frame(con, name: str, frames: dict | None = None, **params) -> pd.DataFrame:
    """The named query (``frames`` registered, as :func:`arrow`) as a
    DataFrame through Arrow: about twice as fast as ``.df()`` for large
    results, whose strings land straight in pandas' string dtype. The one
    date rule of every DataFrame a query gives: see :func:`frame_of`."""
    return frame_of(arrow(con, name, frames, **params))


def frame_of(table) -> pd.DataFrame:
    """An Arrow result (also one read on a transaction's cursor) as a
    DataFrame, DATE and TIMESTAMP columns as datetime64[us], as ``.df()``
    (:func:`query`) gives them (Arrow's DATE would be datetime64[ms])."""
    df = table.to_pandas(date_as_object=False)
    dates = {c: "datetime64[us]" for c in df.columns if pd.api.types.is_datetime64_dtype(df[c])}
    return df.astype(dates) if dates else df


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
    cur = con.cursor()
    try:
        rows = cur.execute("select key, value from settings").fetchall()
    finally:
        cur.close()
    for key, value in rows:
        merged[key] = json.loads(value)
    return merged


def put_settings(con, values: dict, in_transaction=None) -> None:  # or on the caller's transaction's cursor
    with nullcontext(in_transaction) if in_transaction is not None else transaction(con) as cur:
        for key, value in values.items():
            if key not in settings_mod.DEFAULTS:
                raise KeyError(f"unknown setting {key!r}")
            cur.execute("insert or replace into settings values (?, ?)",
                        [key, json.dumps(value, ensure_ascii=False)])
