"""read_upload: files in, three normalised DataFrames and every problem out."""
from __future__ import annotations

import ctypes
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre import settings as S

from . import columns as C
from .parse import (as_text, folded_text, parse_bool, parse_dates, parse_enum,
                    parse_numbers, parse_periods)
from .cross_checks import cross_checks
from .problems import Collector, Problem
from .readers import CONTROL as readers_CONTROL
from .readers import RawSheet, ReadError, read_file

TOTAL_TOLERANCE = 0.01


@dataclass
class Table:
    """One recognised sheet: where it came from and how its headers map."""
    tid: int
    file: str
    sheet: str | None
    header_row: int | None = None           # the row number Excel shows
    dataset: str | None = None
    form: str = "wide"
    headers: dict = field(default_factory=dict)    # canonical -> header text
    positions: dict = field(default_factory=dict)  # canonical -> column position
    raw: RawSheet | None = None                    # read chunk by chunk when its dataset is built


@dataclass
class Upload:
    roster: pd.DataFrame
    assessments: pd.DataFrame
    movements: pd.DataFrame
    problems: list[Problem]
    notes: list[Problem]
    files: list[dict]

    @property
    def ok(self) -> bool:
        return not self.problems

    def rows(self) -> dict:
        return {"roster": len(self.roster), "assessments": len(self.assessments),
                "movements": len(self.movements)}


# ------------------------------------------------------------ recognition

def _sheet_dataset(sheet: str | None) -> str | None:
    if not sheet:
        return None
    key = C.fold(sheet)
    for ds, names in C.SHEET_NAMES.items():
        if key in {C.fold(n) for n in names}:
            return ds
    return None


def _header_matches(cells: list, dataset: str, form: str) -> dict:
    """{canonical: [(position, header text), ...]}: every cell of one row
    that maps to a field, in column order."""
    hmap = C.header_map(dataset, form)
    seen: dict = {}
    for j, cell in enumerate(cells):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        for key in C.header_keys(cell):
            name = hmap.get(key)
            if name is not None:
                seen.setdefault(name, []).append((j, str(cell).strip()))
                break
    return seen


def _match_row(cells: list, dataset: str, form: str) -> dict:
    """{canonical: (position, header text)} for the cells of one row (the first of each field)."""
    return {k: v[0] for k, v in _header_matches(cells, dataset, form).items()}


def _duplicate_headers(cells: list, dataset: str, form: str) -> dict:
    """{canonical: [(position, header text), ...]} for fields that two or
    more columns of the header row map to."""
    return {k: v for k, v in _header_matches(cells, dataset, form).items() if len(v) > 1}


def _column_letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _required(dataset: str, form: str) -> list[str]:
    return [c.name for c in C.columns(dataset, form) if c.required]


def _recognise(raw: RawSheet, only: str | None):
    """(row index, dataset, form, found, missing) for the header row, or
    None with the best guess of what is missing."""
    forms = [k for k in C.FORMS if only is None or k[0] == only]
    best_guess = None  # (found required count, -missing, i, ds, form, missing)
    key_hit = None
    for i, cells in enumerate(raw.head):
        cands, row_keys = [], []
        for ds, form in forms:
            found = _match_row(cells, ds, form)
            req = _required(ds, form)
            missing = [r for r in req if r not in found]
            if not missing:
                cands.append((len(found), ds, form, found))
            n_req = len(req) - len(missing)
            guess = (n_req - len(missing) * 0.01, i, ds, form, missing, found)
            if best_guess is None or guess[0] > best_guess[0]:
                best_guess = guess
            if all(k in found for k in C.KEY_COLUMNS[(ds, form)]):
                row_keys.append((len(missing), -len(found), i, ds, form, missing, found))
        if key_hit is None and row_keys:
            key_hit = min(row_keys, key=lambda k: k[:2])[2:]
        if cands:
            cands.sort(key=lambda c: -c[0])
            _, ds, form, found = cands[0]
            return ("ok", i, ds, form, found, [])
    if key_hit is not None:
        i, ds, form, missing, found = key_hit
        return ("missing", i, ds, form, found, missing)
    if only is not None and best_guess is not None:
        _, i, ds, form, missing, found = best_guess
        return ("missing", i, ds, form, found, missing)
    return ("none", None, best_guess[2] if best_guess else None,
            best_guess[3] if best_guess else None, {}, best_guess[4] if best_guess else [])


def _is_blank_head(raw: RawSheet) -> bool:
    return not any(c is not None and str(c).strip() for row in raw.head for c in row)


# ------------------------------------------------------------ main entry

def C_label(name: str) -> str:
    """A canonical column's Chinese header (the ``column`` of a problem)."""
    from cadre.i18n import t
    return t(f"ingest.col.{name}", "zh")


def read_upload(files, settings: dict | None = None, store_roster: pd.DataFrame | None = None,
                lang: str = "zh", store_latest=None, store_moves: pd.DataFrame | None = None,
                read=read_file) -> Upload:
    """Read, normalise and validate an upload (see the data contract).

    ``files``: [(file name, bytes)], CSV or XLSX. Every problem is found in
    one pass; ``lang`` is kept for callers' convenience (messages render
    later through ``Problem.message(lang)``). ``read``: how a file's sheets
    are read (a :class:`people.ReadOnce` shared with the mapping check).
    """
    settings = settings or S.defaults()
    tables: dict[int, Table] = {}
    col = Collector(tables)
    file_info = []
    recognised: list[Table] = []
    broken: set[str] = set()  # datasets with a table that could not be loaded
    for name, data in files:
        data = bytes(data or b"")
        file_info.append({"name": name, "sha256": hashlib.sha256(data).hexdigest()})
        ftid = len(tables)
        tables[ftid] = Table(ftid, name, None)
        try:
            sheets = read(name, data)
        except ReadError as err:
            col.file_level(ftid, err.code, **err.params)
            broken.add("roster")
            continue
        pending = []  # unrecognised sheets of this file
        file_hits = 0
        nonblank = 0
        for raw in sheets:
            if _is_blank_head(raw):
                continue
            nonblank += 1
            tid = len(tables)
            tab = Table(tid, raw.file, raw.sheet)
            tables[tid] = tab
            only = _sheet_dataset(raw.sheet)
            status, i, ds, form, found, missing = _recognise(raw, only)
            if status == "none":
                pending.append((tab, ds, missing))
                continue
            tab.header_row, tab.dataset, tab.form = i + 1, ds, form
            tab.headers = {k: v[1] for k, v in found.items()}
            tab.positions = {k: v[0] for k, v in found.items()}
            if status == "missing":
                # the missing columns' headers in ``column``, as every problem names its column
                col.file_level(tid, "missing_columns", row=i + 1,
                               column="、".join(C_label(n) for n in missing),
                               dataset=ds, columns=missing)
                broken.add(ds)
                file_hits += 1
                continue
            file_hits += 1
            dups = _duplicate_headers(raw.head[i], ds, form)
            if dups:
                for name, hits in dups.items():
                    col.file_level(tid, "duplicate_columns", row=i + 1, column=hits[0][1],
                                   value="、".join(h for _, h in hits), columns=[name],
                                   names=[f"{_column_letter(j)}「{h}」" for j, h in hits])
                broken.add(ds)
                continue
            _note_extras(tab, raw, col)
            tab.raw = raw
            recognised.append(tab)
        if nonblank == 0:
            col.file_level(ftid, "empty_file")
            broken.add("roster")
        for tab, ds, missing in pending:
            if file_hits:
                col.file_level(tab.tid, "sheet_skipped", note=True)
            else:
                col.file_level(tab.tid, "unrecognised", dataset=ds or "roster", columns=missing)
                broken.add("roster")

    by_ds = {ds: [t for t in recognised if t.dataset == ds] for ds in C.DATASETS}
    roster = _build_roster(by_ds["roster"], settings, col)
    assess, grade_rows = _build_assessments(by_ds["assessments"], settings, col)
    moves = _build_movements(by_ds["movements"], settings, col)
    cross_checks(roster, assess, grade_rows, moves, store_roster, col,
                  check_people="roster" not in broken, store_latest=store_latest, store_moves=store_moves)
    col.flush()
    give_back_memory()

    order = {}
    for tid, tab in tables.items():
        order.setdefault((tab.file, tab.sheet), tid)
    fidx = {f["name"]: i for i, f in reversed(list(enumerate(file_info)))}
    sort_key = lambda p: (fidx.get(p.file, 0), order.get((p.file, p.sheet), 0),
                          float("inf") if p.code == "more" else (p.row or 0))  # noqa: E731
    col.problems.sort(key=sort_key)
    col.notes.sort(key=sort_key)
    return Upload(
        roster=_finish(roster, C.ROSTER_OUT),
        assessments=_finish(assess, C.ASSESSMENTS_OUT),
        movements=_finish(moves, C.MOVEMENTS_OUT),
        problems=col.problems, notes=col.notes, files=file_info)


def _finish(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.reindex(columns=cols).reset_index(drop=True)
    return out


def _note_extras(tab: Table, raw: RawSheet, col: Collector) -> None:
    header_cells = raw.head[tab.header_row - 1]
    used = set(tab.positions.values())
    extras = [str(c).strip() for j, c in enumerate(header_cells)
              if j not in used and c is not None and str(c).strip()]
    if extras:
        col.file_level(tab.tid, "extra_columns", note=True, row=tab.header_row, names=extras)


CELL_CODES = ("control_character_cell", "text_too_long")


def _table_chunks(tab: Table, col: Collector):
    """A recognised table's rows, a chunk at a time (no frame of a whole
    large file): the mapped columns, ``_row`` and ``_tid``, blank rows
    dropped, every cell checked (see :func:`_check_cells`)."""
    names = list(tab.positions)
    n = 0
    for body, rownums in tab.raw.chunks(tab.header_row - 1):
        data = {}
        for name, pos in tab.positions.items():
            data[name] = body[pos] if pos in body.columns else pd.Series(None, index=body.index, dtype=object)
        frame = pd.DataFrame(data, index=body.index)
        frame["_row"] = rownums
        frame["_tid"] = tab.tid
        frame = frame[frame[names].notna().any(axis=1)]
        _check_cells(frame, names, tab, col, controls=not tab.raw.controls_checked)
        n += len(frame)
        if len(frame):
            yield frame
    col.flush(CELL_CODES)  # a table's cells are checked on their own, as the file is read
    if not n:
        col.file_level(tab.tid, "no_rows", note=True)


def _dataset_chunks(tabs: list[Table], cols: list[str], col: Collector):
    """The rows of a dataset's tables, chunk by chunk, with every column of
    ``cols``; one empty frame when there are none."""
    any_rows = False
    for tab in tabs:
        for frame in _table_chunks(tab, col):
            for c in cols:
                if c not in frame.columns:
                    frame[c] = pd.Series(None, index=frame.index, dtype=object)
            any_rows = True
            yield frame
    if not any_rows:
        yield pd.DataFrame({c: pd.Series(dtype=object) for c in cols + ["_row", "_tid"]})


DROP_CHECKED = ("total",)  # assessments: checked against the dimensions' sum, not stored
# the raw cells the checks across rows show (the other raw cells are
# dropped once their chunk is checked)
KEEP_RAW = ("person_id", "period", "grade", "date", "birth_date", "join_work_date", "rank_since", "post_since")


def _compact(out: pd.DataFrame, categorise: bool) -> pd.DataFrame:
    """A checked chunk as kept until its dataset is whole: parsed values and
    the raw cells of KEEP_RAW; text as categories when ``categorise`` (a
    city's 2 million assessment rows hold a few thousand distinct texts)."""
    out = out.drop(columns=[c for c in out.columns if c.startswith("_raw_") and c[5:] not in KEEP_RAW]
                   + ([c for c in DROP_CHECKED if c in out.columns] if categorise else []))
    out = out.astype({"_row": "int32", "_tid": "int32"})  # 2**31 rows: far beyond any file's limit
    if categorise:
        text = [c for c in out.columns if out[c].dtype == object or isinstance(out[c].dtype, pd.StringDtype)]
        out = out.astype({c: "category" for c in text})
    return out


def give_back_memory() -> None:
    """Hand the memory of freed chunks back to the system. glibc keeps a
    process's freed small blocks (and, past its adaptive mmap threshold,
    freed arrays of a few MB) for reuse, so without this the chunks of a
    validated file would stay resident under the landing that follows."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The checked chunks of a dataset as one frame (a fresh index);
    category columns joined over the union of their categories."""
    give_back_memory()
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    cats = [c for c in parts[0].columns if isinstance(parts[0][c].dtype, pd.CategoricalDtype)]
    joined = {}
    # Column by column, each dropped from the parts once joined (categories
    # last, as before): one column is held twice at a time, not all of them.
    for c in [c for c in parts[0].columns if c not in cats] + cats:
        if c not in cats:
            joined[c] = pd.concat([p[c] for p in parts], ignore_index=True)
        else:
            try:
                joined[c] = pd.Series(pd.api.types.union_categoricals([p[c] for p in parts], sort_categories=True))
            except TypeError:  # categories of mixed types (CSV text and workbook cells): plain values
                plain = pd.concat([p[c].astype(object) for p in parts], ignore_index=True)
                joined[c] = pd.Series(pd.Categorical(plain))
        for p in parts:
            del p[c]
        give_back_memory()  # the parts' columns are small blocks glibc would keep
    parts.clear()
    return pd.DataFrame(joined, copy=False)  # not consolidated: no copy of the joined columns


MAX_TEXT = 200  # characters of one cell
MAX_NUMBER = 100_000  # the largest magnitude of a number cell (scores and maxima)
SHOWN_TEXT = 40  # characters of a too-long or unsafe value shown in a problem


def shown_value(s: pd.Series) -> pd.Series:
    """Cell text as a problem may show it: control characters written as
    U+XXXX (an XLSX download cannot hold them) and long text cut short."""
    text = s.astype("string")
    text = text.str.replace(readers_CONTROL, lambda m: f"<U+{ord(m.group()):04X}>", regex=True)
    long = text.str.len() > SHOWN_TEXT
    return text.where(~long, text.str.slice(0, SHOWN_TEXT) + "…").astype(object)


def _check_cells(frame: pd.DataFrame, names: list, tab: Table, col: Collector,
                 controls: bool = True) -> None:
    """Every cell: no control characters (unless the reader refused them
    already), no text over MAX_TEXT characters."""
    if not len(frame):
        return
    for name in names:
        for code in CELL_CODES:  # in this order whichever chunk first flags a cell
            col.declare(code, name, tab.dataset or "")
        s = frame[name]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)) or not s.notna().any():
            continue
        text = s.astype("string")  # numbers and dates become short text: never flagged
        control = (text.str.contains(readers_CONTROL, regex=True).fillna(False).astype(bool) if controls
                   else pd.Series(False, index=text.index))
        length = text.str.len().fillna(0)
        if control.any():
            col.rows(frame, control, "control_character_cell", name, values=shown_value(s),
                     dataset=tab.dataset or "",
                     params={"char": text.str.extract(f"({readers_CONTROL.pattern})", expand=False)
                             .map(lambda c: f"U+{ord(c):04X}" if isinstance(c, str) else "")})
        too_long = (length > MAX_TEXT) & ~control
        if too_long.any():
            col.rows(frame, too_long, "text_too_long", name, values=shown_value(s),
                     dataset=tab.dataset or "", params={"length": length.astype("int64")}, limit=MAX_TEXT)


# ------------------------------------------------------------ per column

def _parse_columns(df: pd.DataFrame, spec: list, settings: dict, col: Collector,
                   dataset: str, optional_rows=None) -> pd.DataFrame:
    """Parse each column in place, flagging empty required cells and
    unreadable values. Keeps the raw cells as ``_raw_<name>``."""
    ladder = list(settings.get("ladder") or [])
    out = pd.DataFrame(index=df.index)
    out["_row"], out["_tid"] = df["_row"], df["_tid"]
    for c in spec:
        s = df[c.name]
        out["_raw_" + c.name] = s
        if c.required:
            empty = s.isna()
            if optional_rows is not None and c.name in optional_rows[1]:
                empty = empty & ~optional_rows[0]  # (rows, columns) that may be empty
            col.rows(df, empty, "required_empty", c.name, values=s, dataset=dataset)
        if c.kind in ("id", "text"):
            v = folded_text(s) if c.kind == "id" else as_text(s)
            out[c.name] = v
            continue
        if c.kind == "date":
            v, bad = parse_dates(s)
            col.rows(df, bad, "bad_date", c.name, values=s, dataset=dataset)
        elif c.kind == "period":
            v, kind, end, bad = parse_periods(s)
            out["period_kind"], out["period_end"] = kind, end
            col.rows(df, bad, "bad_period", c.name, values=s, dataset=dataset)
        elif c.kind == "number":
            v, bad = parse_numbers(s)
            col.rows(df, bad, "bad_number", c.name, values=s, dataset=dataset)
            # every number here is a score or a maximum: one beyond any such
            # (inf, -1e308) is named here, not left to overflow in later sums
            huge = v.notna() & ~(v.abs() <= MAX_NUMBER)
            col.rows(df, huge, "number_too_large", c.name, values=s, dataset=dataset, limit=f"{MAX_NUMBER:,}")
            v = v.mask(huge)
        elif c.kind == "bool":
            v, bad = parse_bool(s)
            col.rows(df, bad, "bad_bool", c.name, values=s, dataset=dataset)
        elif c.kind == "rank":
            v, bad = parse_enum(s, C.value_map("rank", ladder))
            col.rows(df, bad, "rank_not_on_ladder", c.name, values=s, dataset=dataset,
                     allowed=ladder)
        elif c.kind == "source":
            allowed = list(S.SOURCES) + [S.SOURCE_COMBINED]
            v, bad = parse_enum(s, C.value_map("source", allowed))
            col.rows(df, bad, "unknown_value", c.name, values=s, dataset=dataset, allowed=allowed)
            v = v.fillna(S.SOURCE_COMBINED).where(~bad)
        else:  # enum, grade
            v, bad = parse_enum(s, C.value_map(c.name, list(c.allowed)))
            col.rows(df, bad, "unknown_value", c.name, values=s, dataset=dataset,
                     allowed=list(c.allowed))
        out[c.name] = v
    return out


# ------------------------------------------------------------ datasets

def _build_roster(tabs, settings, col) -> pd.DataFrame:
    spec = C.columns("roster")
    parts = []
    with col.deferred():
        for df in _dataset_chunks(tabs, [c.name for c in spec], col):
            out = _parse_columns(df, spec, settings, col, "roster")
            out["status"] = out["status"].fillna("在职").where(~(out["_raw_status"].notna() & out["status"].isna()))
            parts.append(_compact(out, categorise=False))
    out = _stack(parts)
    # duplicate person_id within the upload
    pid = out["person_id"]
    dup = pid.notna() & pid.duplicated(keep="first")
    if dup.any():
        first = out.groupby("person_id", sort=False)["_row"].transform("first")
        col.rows(out, dup, "duplicate_person", "person_id", dataset="roster",
                 params={"first_row": first})
    return out


def _build_assessments(tabs, settings, col):
    maxima = {C_: float(settings.get("maxima", S.DEFAULTS["maxima"])[d])
              for d, C_ in S.DIM_COLUMNS.items()}
    wide_tabs = [t for t in tabs if t.form == "wide"]
    long_tabs = [t for t in tabs if t.form == "long"]
    parts, grade_parts = [], []

    if wide_tabs:
        spec = C.columns("assessments", "wide")
        chunks = []
        with col.deferred():
            for df in _dataset_chunks(wide_tabs, [c.name for c in spec], col):
                chunks.append(_compact(_check_wide(df, spec, settings, maxima, col), categorise=True))
        w = _stack(chunks)
        parts.append(w)
        grade_parts.append(w)

    if long_tabs:
        spec = C.columns("assessments", "long")
        chunks = []
        with col.deferred():
            for df in _dataset_chunks(long_tabs, [c.name for c in spec], col):
                chunks.append(_compact(_check_long(df, spec, settings, col), categorise=False))
        lg = _stack(chunks)
        grade_parts.append(lg)
        parts.append(_aggregate_long(lg, maxima, col))

    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in C.ASSESSMENTS_OUT + ["_row", "_tid"]})
        return empty, empty
    grade_cols = ["person_id", "period", "period_kind", "grade", "_raw_grade", "_row", "_tid"]
    if len(parts) == 1 and len(grade_parts) == 1:  # one form: no copy of a city's rows
        return parts[0], grade_parts[0][grade_cols]
    a = pd.concat(parts, ignore_index=True, sort=False)
    g = pd.concat([p[grade_cols] for p in grade_parts], ignore_index=True)
    return a, g


def _check_wide(df, spec, settings, maxima, col) -> pd.DataFrame:
    """One chunk of wide assessment rows parsed and checked row by row."""
    # a row with a grade and no points (an official grade alone) is whole
    dims = list(S.DIM_COLUMNS.values())
    grade_only = df[dims].isna().all(axis=1) & df["grade"].notna()
    w = _parse_columns(df, spec, settings, col, "assessments", optional_rows=(grade_only, dims))
    for d in S.DIM_COLUMNS.values():
        m = w["max_" + d].fillna(maxima[d])
        bad = w[d].notna() & ((w[d] < 0) | (w[d] > m))
        col.rows(w, bad, "score_out_of_range", d, dataset="assessments", params={"max": m})
    dims = w[list(S.DIM_COLUMNS.values())]
    ssum = dims.sum(axis=1, min_count=4)
    bad = w["total"].notna() & ssum.notna() & ((w["total"] - ssum).abs() > TOTAL_TOLERANCE)
    col.rows(w, bad, "total_mismatch", "total", dataset="assessments", params={"sum": ssum.round(2)})
    return w


def _check_long(df, spec, settings, col) -> pd.DataFrame:
    """One chunk of item rows (long form) parsed and checked row by row."""
    lg = _parse_columns(df, spec, settings, col, "assessments")
    bad = lg["score"].notna() & ((lg["score"] < 0) |
                                 (lg["max_score"].notna() & (lg["score"] > lg["max_score"])))
    col.rows(lg, bad, "score_out_of_range", "score", dataset="assessments",
             params={"max": lg["max_score"].fillna(np.inf)})
    badm = lg["max_score"].notna() & (lg["max_score"] <= 0)
    col.rows(lg, badm, "bad_max_score", "max_score", dataset="assessments")
    return lg


def _aggregate_long(lg: pd.DataFrame, maxima: dict, col: Collector) -> pd.DataFrame:
    """Item rows -> one wide row per (person, period, source)."""
    keys = ["person_id", "period", "source"]
    ok = lg[keys + ["dimension"]].notna().all(axis=1) & lg["score"].notna()
    v = lg[ok].copy()
    v["dim"] = v["dimension"].map(S.DIM_COLUMNS)
    v["has_max"] = v["max_score"].notna()
    grp = v.groupby(keys + ["dim"], sort=False)
    agg = grp.agg(score=("score", "sum"), n=("score", "size"), n_max=("has_max", "sum"),
                  max_sum=("max_score", "sum")).reset_index()
    agg["pmax"] = agg["max_sum"].where(agg["n_max"] == agg["n"])
    score = agg.pivot(index=keys, columns="dim", values="score")
    pmax = agg.pivot(index=keys, columns="dim", values="pmax")
    firsts = v.groupby(keys, sort=False).agg(
        period_kind=("period_kind", "first"), period_end=("period_end", "first"),
        grade=("grade", "first"), section=("section", "first"),
        _row=("_row", "first"), _tid=("_tid", "first"))
    w = firsts.copy()
    for d in S.DIM_COLUMNS.values():
        w[d] = score[d] if d in score.columns else np.nan
        w["max_" + d] = pmax[d] if d in pmax.columns else np.nan
    w = w.reset_index()
    # a person's dimension with no items at all
    dims = list(S.DIM_COLUMNS.values())
    missing = w[dims].isna()
    if missing.any(axis=None):
        names = missing.apply(lambda r: [k for k, d in S.DIM_COLUMNS.items() if r[d]], axis=1)
        col.rows(w, missing.any(axis=1), "missing_dimension", "dimension", dataset="assessments",
                 values=w["person_id"], params={"dimensions": names})
    # a dimension's sum over the maximum (items without their own max_score)
    for d in dims:
        lim = w["max_" + d].fillna(maxima[d])
        bad = w[d].notna() & w["max_" + d].isna() & (w[d] > lim)
        col.rows(w, bad, "dimension_over_max", "score", dataset="assessments",
                 values=w[d], params={"max": lim, "dimension": [k for k, v in S.DIM_COLUMNS.items() if v == d][0]})
    for k in keys:
        w["_raw_" + k] = w[k]
    return w


def _build_movements(tabs, settings, col) -> pd.DataFrame:
    spec = C.columns("movements")
    parts = []
    with col.deferred():
        for df in _dataset_chunks(tabs, [c.name for c in spec], col):
            parts.append(_compact(_parse_columns(df, spec, settings, col, "movements"), categorise=False))
    out = _stack(parts)
    out["seq"] = np.arange(1, len(out) + 1)
    col.duplicates(out, ["person_id", "date", "kind"], "duplicate_movement", "date", "movements")
    return out


# ------------------------------------------------------------ across datasets
