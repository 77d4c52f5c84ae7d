"""File readers: bytes in, sheets of cells out.

A reader turns one uploaded file into one or more :class:`RawSheet` objects:
the first rows (to find the header among them) and a loader for the rows
below a header. Readers are registered by file kind in ``READERS``; a new
kind (e.g. an ``.lrmx`` export) registers a sniffer and a reader with
:func:`register_reader` and needs nothing else from the package.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

HEAD_ROWS = 10  # the header is looked for among the first this many rows


class ReadError(Exception):
    """The file cannot be read as a table; ``code`` names the problem."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RawSheet:
    file: str
    sheet: str | None
    head: list[list]                       # first HEAD_ROWS rows, cells as read
    load_body: Callable[[int], tuple[pd.DataFrame, np.ndarray]] = field(repr=False)
    # load_body(h): the rows below head row index h (0-based) as a DataFrame
    # with positional columns 0..n-1, and the row number Excel shows for each.


# kind -> (sniff(name, data) -> bool, read(name, data) -> list[RawSheet])
READERS: dict[str, tuple[Callable, Callable]] = {}


def register_reader(kind: str, sniff: Callable[[str, bytes], bool],
                    read: Callable[[str, bytes], list[RawSheet]], first: bool = False) -> None:
    """Add a reader for a file kind; ``first`` puts it before the others."""
    if first:
        items = list(READERS.items())
        READERS.clear()
        READERS[kind] = (sniff, read)
        READERS.update(items)
    else:
        READERS[kind] = (sniff, read)


def read_file(name: str, data: bytes) -> list[RawSheet]:
    """The sheets of one file, by the first reader whose sniffer accepts it."""
    if not data or not data.strip():
        raise ReadError("empty_file")
    for _kind, (sniff, read) in READERS.items():
        if sniff(name, data):
            return read(name, data)
    raise ReadError("not_a_table")


# ---------------------------------------------------------------- XLSX

def _sniff_xlsx(name: str, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _sniff_xls(name: str, data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_xls(name: str, data: bytes) -> list[RawSheet]:
    raise ReadError("old_excel")


def _clean_cell(v):
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _read_xlsx(name: str, data: bytes) -> list[RawSheet]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:  # not a workbook
        raise ReadError("not_a_table") from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = [tuple(_clean_cell(c) for c in r) for r in ws.iter_rows(values_only=True)]
            sheets.append(_sheet_from_rows(name, ws.title, rows))
    finally:
        wb.close()
    return sheets


def _sheet_from_rows(name: str, sheet: str | None, rows: list[tuple]) -> RawSheet:
    head = [list(r) for r in rows[:HEAD_ROWS]]

    def load_body(h: int, rows=rows):
        body = rows[h + 1:]
        df = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(dtype=object)
        return df, np.arange(h + 2, h + 2 + len(df))

    return RawSheet(name, sheet, head, load_body)


# ---------------------------------------------------------------- CSV

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError("not_a_table") from exc


def sniff_delimiter(lines: list[str]) -> str:
    best, best_n = ",", 0
    for d in (",", "\t", ";", "|"):
        n = sum(line.count(d) for line in lines)
        if n > best_n:
            best, best_n = d, n
    return best


def _sniff_csv(name: str, data: bytes) -> bool:
    return True  # the fallback: any text


def _read_csv(name: str, data: bytes) -> list[RawSheet]:
    text = decode_text(data)
    if _CONTROL.search(text[:20000]):
        raise ReadError("not_a_table")
    lines = text.splitlines()
    first = [ln for ln in lines[:HEAD_ROWS * 3] if ln.strip()][:HEAD_ROWS]
    delim = sniff_delimiter(first)
    head = [[_clean_cell(c) for c in rec] for rec in csv.reader(lines[:HEAD_ROWS], delimiter=delim)]

    def load_body(h: int):
        try:
            df = pd.read_csv(io.StringIO(text), sep=delim, header=None, skiprows=h + 1,
                             dtype=str, keep_default_na=False, na_filter=False,
                             skip_blank_lines=False, engine="c")
        except pd.errors.EmptyDataError:
            df = pd.DataFrame(dtype=object)
        except pd.errors.ParserError:  # ragged rows: the slow, forgiving path
            recs = list(csv.reader(lines[h + 1:], delimiter=delim))
            width = max((len(r) for r in recs), default=0)
            df = pd.DataFrame([r + [""] * (width - len(r)) for r in recs], dtype=object)
        if len(df):
            df = df.apply(lambda s: s.astype("str").str.strip())
            df = df.mask(df == "")
        return df, np.arange(h + 2, h + 2 + len(df))

    return [RawSheet(name, None, head, load_body)]


register_reader("xlsx", _sniff_xlsx, _read_xlsx)
register_reader("xls", _sniff_xls, _read_xls)
register_reader("csv", _sniff_csv, _read_csv)
