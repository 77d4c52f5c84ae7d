"""Column mapping for foreign spreadsheets.

A table whose headers the contract does not know is mapped header by header
onto a dataset's columns (known aliases first, then similarity), with value
maps for enumerations (大学 -> 大学本科, 1 -> 男). A mapping is saved under
the file's header signature (the folded header cells), so the next upload of
the same export maps itself. Mapping rewrites the file: the header row gets
the contract's Chinese headers and mapped cells their canonical words; the
rows keep their places, so problems still name the row Excel shows.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import columns as C
from .lrmx import problem
from .readers import RawSheet, ReadError, read_file
from .upload import _recognise, _sheet_dataset

SIMILARITY_FLOOR = 0.5
ENUM_KINDS = ("enum", "rank", "grade", "source", "bool")


@dataclass
class Mapping:
    dataset: str
    form: str
    mapping: dict                                   # header text -> canonical column ('' = unused)
    value_maps: dict = field(default_factory=dict)  # canonical column -> {word: canonical word}
    signature: str | None = None
    headers: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"dataset": self.dataset, "form": self.form, "mapping": self.mapping,
                "value_maps": self.value_maps, "signature": self.signature, "headers": self.headers}

    @classmethod
    def from_json(cls, obj: dict) -> "Mapping":
        if not isinstance(obj, dict) or (obj.get("dataset"), obj.get("form", "wide")) not in C.FORMS:
            raise ValueError("dataset")
        mapping = obj.get("mapping")
        if not isinstance(mapping, dict):
            raise ValueError("mapping")
        names = {c.name for c in C.columns(obj["dataset"], obj.get("form", "wide"))}
        for k, v in mapping.items():
            if v and v not in names:
                raise ValueError(f"column {v}")
        vm = obj.get("value_maps") or {}
        if not isinstance(vm, dict) or not all(isinstance(m, dict) for m in vm.values()):
            raise ValueError("value_maps")
        return cls(obj["dataset"], obj.get("form", "wide"), {str(k): str(v or "") for k, v in mapping.items()},
                   {str(k): {str(a): str(b) for a, b in m.items()} for k, m in vm.items()},
                   obj.get("signature"), list(obj.get("headers") or []))


def _text(cell) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    return str(cell).strip()


def header_row(raw: RawSheet) -> int:
    """The row (0-based, among the first ones) that holds the headers: the
    first with the most text cells."""
    best, best_n = 0, -1
    for i, cells in enumerate(raw.head):
        n = sum(1 for c in cells if isinstance(c, str) and c.strip())
        if n > best_n:
            best, best_n = i, n
    return best


def signature(headers: list) -> str:
    keys = [C.fold(h) for h in headers if _text(h)]
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:32]


def _candidates(dataset: str, form: str) -> list[tuple[str, str]]:
    """(folded text, canonical) of every name a column is known by."""
    out = []
    for col in C.columns(dataset, form):
        for text in (col.name, col.zh, *col.aliases):
            out.append((C.fold(text), col.name))
    return out


def propose(headers: list, dataset: str | None = None, form: str | None = None) -> Mapping:
    """A mapping proposal: known aliases first, then the most similar name."""
    forms = [(d, f) for (d, f) in C.FORMS if (dataset is None or d == dataset) and (form is None or f == form)]
    best = None
    for ds, fm in forms:
        hmap = C.header_map(ds, fm)
        cands = _candidates(ds, fm)
        mapping, used, score = {}, set(), 0.0
        texts = [_text(h) for h in headers if _text(h)]
        for h in texts:  # exact aliases first
            for key in C.header_keys(h):
                name = hmap.get(key)
                if name and name not in used:
                    mapping[h], score = name, score + 1
                    used.add(name)
                    break
        required = {c.name for c in C.columns(ds, fm) if c.required}
        pairs = []  # then similarity: the closest pairs first, required columns first on ties
        for h in texts:
            if h in mapping:
                continue
            key = C.fold(h)
            best_of = {}
            for k, n in cands:
                r = difflib.SequenceMatcher(None, key, k).ratio()
                if r > best_of.get(n, 0.0):
                    best_of[n] = r
            pairs += [(r, n in required, h, n) for n, r in best_of.items() if r >= SIMILARITY_FLOOR]
        for r, _req, h, n in sorted(pairs, key=lambda x: (-x[0], not x[1])):
            if h not in mapping and n not in used:
                mapping[h], score = n, score + r
                used.add(n)
        for h in texts:
            mapping.setdefault(h, "")
        mapping = {h: mapping[h] for h in texts}
        req = [c.name for c in C.columns(ds, fm) if c.required]
        score += sum(1 for r in req if r in used) * 0.5 - sum(1 for r in req if r not in used) * 0.1
        if best is None or score > best[0]:
            best = (score, Mapping(ds, fm, mapping, {}, signature(headers), [_text(h) for h in headers]))
    return best[1]


def missing_required(m: Mapping) -> list[str]:
    used = set(v for v in m.mapping.values() if v)
    return [c.name for c in C.columns(m.dataset, m.form) if c.required and c.name not in used]


def unknown_values(body: pd.DataFrame, m: Mapping, headers: list, settings: dict) -> dict:
    """{canonical column: [distinct words the contract does not know]} for
    the mapped enumeration columns (what a value map must cover)."""
    out = {}
    spec = {c.name: c for c in C.columns(m.dataset, m.form)}
    pos = {_text(h): j for j, h in enumerate(headers)}
    for header, name in m.mapping.items():
        col = spec.get(name)
        if not col or col.kind not in ENUM_KINDS or header not in pos or pos[header] not in body.columns:
            continue
        allowed = _allowed(col, settings)
        vmap = C.value_map(col.name if col.kind in ("enum", "grade") else col.kind, allowed) if col.kind != "bool" else \
            {C.fold(k): k for k in C.BOOL_WORDS}
        words = pd.Series(body[pos[header]]).dropna().map(_text)
        words = words[words != ""].unique()[:200]
        unknown = [w for w in words if C.fold(w) not in vmap and w not in m.value_maps.get(name, {})]
        if unknown:
            out[name] = unknown
    return out


def _allowed(col, settings) -> list[str]:
    if col.kind == "rank":
        return list(settings.get("ladder") or [])
    if col.kind == "source":
        from cadre import settings as S
        return list(S.SOURCES) + [S.SOURCE_COMBINED]
    if col.kind == "bool":
        return ["是", "否"]
    return list(col.allowed)


def allowed_values(m: Mapping, name: str, settings: dict) -> list[str]:
    return _allowed(C.column(m.dataset, m.form, name), settings)


def apply(name: str, data: bytes, m: Mapping) -> bytes | None:
    """The file rewritten through ``m`` as an XLSX workbook (bytes), or None
    when it has no sheet whose headers ``m`` covers."""
    from openpyxl import Workbook

    try:
        sheets = read_file(name, data)
    except ReadError:
        return None
    wb = Workbook(write_only=True)
    done = False
    for raw in sheets:
        ws = wb.create_sheet(title=(raw.sheet or C.SHEET_NAMES[m.dataset][0])[:31])
        h = header_row(raw)
        headers = raw.head[h] if raw.head else []
        status = _recognise(raw, _sheet_dataset(raw.sheet))[0] if raw.head else "none"
        mine = status == "none" and signature(headers) == m.signature if m.signature else (
            status == "none" and any(_text(x) in m.mapping for x in headers))
        body, _rows = raw.load_body(h) if raw.head else (pd.DataFrame(), None)
        for i in range(h):
            ws.append(_safe_row(ws, [_cell(c) for c in raw.head[i]]))
        if not mine:
            ws.append(_safe_row(ws, [_cell(c) for c in headers]))
            for rec in body.itertuples(index=False, name=None):
                ws.append(_safe_row(ws, [_cell(c) for c in rec]))
            continue
        done = True
        zh = {c.name: c.zh for c in C.columns(m.dataset, m.form)}
        out_head = []
        for c in headers:
            target = m.mapping.get(_text(c), "")
            out_head.append(zh[target] if target else (f"〔{_text(c)}〕" if _text(c) else None))
        ws.append(_safe_row(ws, out_head))
        body = body.copy()
        for j, c in enumerate(headers):
            target = m.mapping.get(_text(c), "")
            vm = m.value_maps.get(target)
            if target and vm and j in body.columns:
                folded = {C.fold(k): v for k, v in vm.items()}
                col = body[j]
                mapped = col.map(lambda v: folded.get(C.fold(v)) if _text(v) else None)
                body[j] = mapped.where(mapped.notna(), col)
        for rec in body.itertuples(index=False, name=None):
            ws.append(_safe_row(ws, [_cell(c) for c in rec]))
    if not done:
        return None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def _safe_row(ws, cells):
    """A row for a write-only sheet in which no text runs as a formula."""
    from openpyxl.cell import WriteOnlyCell
    out = []
    for v in cells:
        if isinstance(v, str) and v.startswith("="):
            c = WriteOnlyCell(ws, value=v)
            c.data_type = "s"
            out.append(c)
        else:
            out.append(v)
    return out


def needs_mapping(name: str, data: bytes, read=read_file) -> tuple[RawSheet, int] | None:
    """The unrecognised sheet of a table file (and its header row), or None.
    ``read``: how the file's sheets are read (:class:`people.ReadOnce` to
    read them once for this check and the validation)."""
    try:
        sheets = read(name, data)
    except ReadError:
        return None
    for raw in sheets:
        if not any(_text(c) for row in raw.head for c in row):
            continue
        if _recognise(raw, _sheet_dataset(raw.sheet))[0] == "none":
            return raw, header_row(raw)
    return None


def make_transform(lookup, explicit: Mapping | None = None):
    """A ``transform`` for :func:`cadre.ingest.people.read_all`: each table
    file with an unrecognised sheet is rewritten through ``explicit`` (the
    ``--mapping`` file), else the mapping saved under its header signature
    (``lookup(signature) -> Mapping | None``)."""

    def transform(tables, read=read_file):
        out, notes = [], []
        for name, data in tables:
            hit = needs_mapping(name, data, read)
            if hit is None:
                out.append((name, data))
                continue
            raw, h = hit
            sig = signature(raw.head[h])
            m = explicit or lookup(sig)
            if m is None:
                out.append((name, data))
                continue
            if explicit is not None and m.signature is None:
                m = Mapping(m.dataset, m.form, m.mapping, m.value_maps, None, m.headers)
            rewritten = apply(name, data, m if explicit is None else _with_sig(m, sig))
            if rewritten is None:
                out.append((name, data))
                continue
            notes.append(problem(name, "mapped", value=C.SHEET_NAMES[m.dataset][0]))
            out.append((name, rewritten))
        return out, [], notes

    return transform


def _with_sig(m: Mapping, sig: str) -> Mapping:
    return Mapping(m.dataset, m.form, m.mapping, m.value_maps, sig, m.headers)


def load_mapping_file(text: str) -> Mapping:
    return Mapping.from_json(json.loads(text))
