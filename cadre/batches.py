"""Uploads as batches: validate, then land all files in one transaction.

An upload is one batch: all its files land or none do. A batch records its
time, files (name, sha256) and rows per dataset; the last one can be undone.
The store remembers when it holds the demo office; an office's first own
upload replaces the demo entirely, so demo rows never mix with real ones.
"""
from __future__ import annotations

import hashlib
import json
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cadre import audit, intake, store
from cadre.assessment import stored as stored_scores
from cadre.ingest import Upload
from cadre.ingest import upload as ingest_upload

DATASETS = ("roster", "assessments", "movements")
DEMO_WORKBOOK = store.ROOT / "data" / "demo" / "cadre_demo.xlsx"
SEQ_STRIDE = 10_000_000  # movements.seq = batch_id * stride + order within the upload


# One write at a time in this process (two browsers uploading at once); other
# processes are kept out by the store file's own lock.
_WRITE_LOCK = threading.Lock()


@contextmanager
def writing(wait: float | None = None, on_wait=None):
    """Hold the process's write turn; ``on_wait()`` is called when another
    upload or undo has it, and after ``wait`` seconds :class:`store.StoreBusy`."""
    if not _WRITE_LOCK.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        seconds = store.default_wait() if wait is None else wait
        if not _WRITE_LOCK.acquire(timeout=seconds):
            raise store.StoreBusy("upload_busy", seconds=f"{seconds:g}")
    try:
        yield
    finally:
        _WRITE_LOCK.release()


def _held(con):
    """Keep an app store handle open for a whole write (validation included)."""
    return con.hold() if isinstance(con, store.Store) else nullcontext()


@dataclass
class LoadResult:
    upload: Upload
    batch_id: int | None = None
    loaded: dict = field(default_factory=dict)
    already: int | None = None  # the live batch that holds exactly these files

    @property
    def ok(self) -> bool:
        return self.batch_id is not None or self.already is not None


def holds_demo(con) -> bool:
    rows = store.query(con, "store_get_meta", key="holds_demo")
    return bool(len(rows)) and rows.iloc[0]["value"] == "true"


def is_empty(con) -> bool:
    counts = store.query(con, "store_table_counts").iloc[0]
    return int(counts.sum()) == 0


def ingest(con, files: list[tuple[str, bytes]], lang: str = "zh", is_demo: bool = False,
           progress=None, wait: float | None = None, on_wait=None, user=None, **read_options) -> LoadResult:
    """Validate ``files`` against the store and land them as one batch.

    ``user`` (a User or a name): the upload is written to the audit log, a
    landed batch's entry in the batch's own transaction (both or neither
    are stored, whenever the process dies), a refusal's after it.

    ``progress(fraction, key)`` is called as the work advances (for a UI
    progress bar). When any problem is found nothing is written. Files that
    are exactly the latest live batch's are not stored again (``already``).
    One upload at a time: a second waits its turn (see :func:`writing`).
    ``read_options`` (office, accept_derived, mapping) go to
    :func:`cadre.intake.read`: 任免审批表 files and mapped spreadsheets.
    """
    with writing(wait, on_wait), _held(con):
        result = _ingest(con, files, lang, is_demo, progress, read_options, user)
        if user is not None and result.batch_id is None:
            audit.record_upload(con, user, files, result)
        return result


def _ingest(con, files, lang, is_demo, progress, read_options, user=None) -> LoadResult:
    report = progress or (lambda fraction, key: None)
    report(0.05, "progress.reading")
    # An office's first upload replaces the demo even when its files are the
    # demo's own: "already loaded" is for an office's repeated upload.
    already = None if (not is_demo) and holds_demo(con) else same_as_last(con, files)
    if already is not None:
        empty = Upload(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), [], [], _file_info(files))
        report(1.0, "progress.done")
        return LoadResult(empty, already=already)
    settings = store.get_settings(con)
    replace_demo = (not is_demo) and holds_demo(con)
    stored_roster = None if replace_demo else store.query(con, "store_roster")
    latest = None if replace_demo else store.query(con, "store_latest_date").iloc[0]["latest"]
    stored_moves = None if replace_demo else store.query(con, "store_movement_order")
    upload = intake.read(con, settings, files, store_roster=stored_roster, lang=lang,
                         store_latest=None if latest is None or pd.isna(latest) else latest,
                         store_moves=stored_moves,
                         **read_options)
    report(0.6, "progress.validated")
    if not upload.ok:
        return LoadResult(upload)
    batch_id = int(store.query(con, "store_next_batch_id").iloc[0]["batch_id"])
    staged = _staged_frames(upload, batch_id)
    with store.transaction(con) as cur:
        params = {"batch_id": batch_id, "replace_all": replace_demo}
        loaded = {name: int(len(staged[name])) for name in DATASETS}
        for name in DATASETS:
            _land(cur, name, staged[name], params)
        staged.clear()  # the rows are in the transaction: their staged copy is not kept through the commit
        _forget_rows(upload)
        ingest_upload.give_back_memory()
        intake.land_photos(cur, upload, batch_id)
        store.execute(cur, "store_record_batch", batch_id=batch_id,
                      files=json.dumps(upload.files, ensure_ascii=False),
                      rows=json.dumps(loaded), is_demo=is_demo, replaced_demo=replace_demo)
        if is_demo or replace_demo:
            store.execute(cur, "store_put_meta", key="holds_demo",
                          value="true" if is_demo else "false")
        _bound_history(cur, int(settings.get("undo_depth", 10)))
        report(0.8, "progress.scoring")
        stored_scores.write(cur, settings)  # the scores land with the rows they come from
        if user is not None:
            audit.record_in(cur, user, "upload", audit.upload_detail(files, batch_id, loaded))
    report(1.0, "progress.done")
    return LoadResult(upload, batch_id, loaded)


def land_assessments(con, staged, name: str, digest: str, also=None) -> int:
    """Land ``staged`` assessment rows (the stored columns but batch_id) as a
    new batch named ``name`` in the history, replacing the stored rows of the
    same (person_id, period, source); undone like any upload. ``also(cur,
    batch_id)`` runs in the same transaction (e.g. records that stand or
    fall with the batch). Returns the batch id."""
    batch_id = int(store.query(con, "store_next_batch_id").iloc[0]["batch_id"])
    with store.transaction(con) as cur:
        _land(cur, "assessments", _with_batch(staged, batch_id), {"batch_id": batch_id, "replace_all": False})
        store.execute(cur, "store_record_batch", batch_id=batch_id,
                      files=json.dumps([{"name": name, "sha256": digest}], ensure_ascii=False),
                      rows=json.dumps({"roster": 0, "assessments": int(len(staged)), "movements": 0}),
                      is_demo=False, replaced_demo=False)
        if also is not None:
            also(cur, batch_id)
        stored_scores.write(cur, store.get_settings(con))
    return batch_id


def _file_info(files) -> list[dict]:
    return [{"name": name, "sha256": hashlib.sha256(bytes(data or b"")).hexdigest()} for name, data in files]


def same_as_last(con, files) -> int | None:
    """The latest live batch's id when ``files`` are exactly its files (same
    bytes, by sha256, in any order); else None."""
    last = store.query(con, "store_last_live_batch")
    if not len(last):
        return None
    stored = sorted(f["sha256"] for f in json.loads(last.iloc[0]["files"]))
    given = sorted(f["sha256"] for f in _file_info(files))
    return int(last.iloc[0]["batch_id"]) if stored == given else None


def _bound_history(cur, depth: int) -> None:
    """Keep the undo history of the last ``depth`` live batches only: older
    batches can no longer be undone and the rows they replaced are dropped,
    so repeated uploads cannot grow the store without bound."""
    store.execute(cur, "store_seal_old_batches", depth=max(int(depth), 1))
    for name in DATASETS:
        store.execute(cur, f"store_drop_sealed_{name}")


# What a staged row replaces in the store: the stored row of the same key.
KEYS = {"roster": ["person_id"], "assessments": ["person_id", "period", "source"],
        "movements": ["person_id", "date", "kind"]}


def _land(cur, name: str, staged, params: dict) -> None:
    """Land the ``staged`` rows of dataset ``name`` (with their batch_id) on
    ``cur``: keep and delete the stored rows they replace, then insert them.
    Only their keys are registered for the first two (DuckDB holds a frame
    registered in a transaction until the commit, and the scores are written
    before it); the rows themselves are read by a statement that lets them go."""
    keys = staged.select(KEYS[name]) if isinstance(staged, pa.Table) else staged[KEYS[name]]
    cur.register(f"staged_{name}", keys)
    for step in ("store_keep_replaced", "store_delete_replaced"):
        store.execute(cur, f"{step}_{name}", **params)
    cur.unregister(f"staged_{name}")
    store.execute_reading(cur, f"store_insert_{name}", f"staged_{name}", staged)


def _with_batch(frame, batch_id: int):
    """``frame`` with its rows' batch_id (an Arrow table gains a column, no copy of the others)."""
    if isinstance(frame, pa.Table):
        return frame.append_column("batch_id", pa.array(np.full(frame.num_rows, batch_id, dtype="int32")))
    return frame.assign(batch_id=np.int32(batch_id))


def _staged_frames(upload: Upload, batch_id: int) -> dict:
    # no copies of the assessments: the upload's frames are only read (a city's are 2 million rows)
    frames = {"roster": upload.roster, "assessments": _arrow(upload.assessments), "movements": upload.movements}
    mv = frames["movements"]
    if len(mv):
        frames["movements"] = mv.assign(seq=batch_id * SEQ_STRIDE + mv["seq"].astype("int64"))
    return {name: _with_batch(frame, batch_id) for name, frame in frames.items()}


def _forget_rows(upload: Upload) -> None:
    """Drop the landed rows from ``upload`` (its frames keep their columns,
    the result keeps its problems, notes and files): the scores are written
    next, and a city's 2 million assessment rows need not stay in memory
    beside them, nor in the result the caller holds."""
    upload.roster, upload.assessments, upload.movements = (  # copies: a slice would keep the rows' memory
        upload.roster.iloc[:0].copy(), upload.assessments.iloc[:0].copy(), upload.movements.iloc[:0].copy())


def _arrow(frame: pd.DataFrame):
    """A frame whose text is held as categories, as DuckDB reads it fast:
    an Arrow table of dictionary columns (DuckDB's pandas scan turns each
    category value into a Python string first: 16 s for a city's rows)."""
    if not any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes):
        return frame
    # the system allocator: its memory is handed back once the rows have landed
    pool = pa.system_memory_pool()
    return pa.table({c: pa.array(frame[c], from_pandas=True, memory_pool=pool) for c in frame.columns})


def undo_last(con, wait: float | None = None, on_wait=None, user=None) -> int | None:
    """Undo the last batch that is not undone; returns its id, or None.
    ``user``: the undo is written to the audit log in its own transaction."""
    with writing(wait, on_wait), _held(con):
        return _undo_last(con, user)


def _undo_last(con, user=None) -> int | None:
    last = store.query(con, "store_last_batch")
    if not len(last):
        return None
    batch_id = int(last.iloc[0]["batch_id"])
    replaced_demo = bool(last.iloc[0]["replaced_demo"])
    was_demo = bool(last.iloc[0]["is_demo"])
    with store.transaction(con) as cur:
        params = {"batch_id": batch_id}
        for name in DATASETS:
            for step in ("store_undo", "store_restore", "store_forget_replaced"):
                store.execute(cur, f"{step}_{name}", **params)
        store.execute(cur, "store_mark_undone", **params)
        stored_scores.write(cur, store.get_settings(con))
        if replaced_demo or was_demo:
            store.execute(cur, "store_put_meta", key="holds_demo",
                          value="true" if replaced_demo else "false")
        if user is not None:
            audit.record_in(cur, user, "undo", {"batch": batch_id})
    return batch_id


def history(con):
    return store.query(con, "store_batches")


def file_entry(path: Path) -> tuple[str, bytes]:
    data = Path(path).read_bytes()
    return Path(path).name, data


def ensure_demo(con, lang: str = "zh") -> bool:
    """Load the committed demo office into a new, empty store. True if loaded."""
    if len(history(con)) or not is_empty(con) or not DEMO_WORKBOOK.is_file():
        return False
    result = ingest(con, [file_entry(DEMO_WORKBOOK)], lang=lang, is_demo=True)
    if not result.ok:
        problems = [p.as_dict(lang) for p in result.upload.problems[:5]]
        raise RuntimeError(f"the committed demo office does not load: {problems}")
    return True
