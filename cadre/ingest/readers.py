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

# Limits checked before (or while) a file is read, so that no upload can take
# the server's memory or time: a file beyond one is refused with a message.
MAX_UNCOMPRESSED = 300 * 1024 * 1024   # an XLSX's parts, unpacked, in bytes
MAX_RATIO = 200                        # unpacked / packed size of one large part
RATIO_FROM = 16 * 1024 * 1024          # parts smaller than this are not ratio-checked
MAX_ROWS = 1_048_576                   # rows of one sheet (Excel's own limit)
MAX_COLUMNS = 256                      # columns of one sheet
MAX_CELLS = 5_000_000                  # filled cells of one file
MAX_LINE = 64 * 1024                   # characters of one CSV line, in bytes
BINARY_SHARE = 0.01                    # control bytes in a CSV's first 4 KB: not text


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
    controls_checked: bool = False          # the reader refused control characters already
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


def check_zip(data: bytes) -> None:
    """Refuse a zip bomb from its directory alone, before anything is unpacked:
    by the total unpacked size and by the packing ratio of large parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("not_a_table") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise ReadError("too_large_unpacked", size_mb=_mb(total), limit_mb=_mb(MAX_UNCOMPRESSED))
    for i in infos:
        if i.file_size >= RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise ReadError("zip_ratio", part=i.filename, size_mb=_mb(i.file_size),
                            ratio=int(i.file_size / max(i.compress_size, 1)))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"


def _read_xlsx(name: str, data: bytes) -> list[RawSheet]:
    import openpyxl

    check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:  # not a workbook
        raise ReadError("not_a_table") from exc
    except Exception as exc:  # a malformed part: openpyxl's parser errors are many
        raise ReadError("not_a_table") from exc
    sheets = []
    cells = [0]
    try:
        for ws in wb.worksheets:
            sheets.append(_sheet_from_rows(name, ws.title, _used_rows(ws, cells)))
    except ReadError:
        raise
    except Exception as exc:  # malformed XML inside the sheet
        raise ReadError("not_a_table") from exc
    finally:
        wb.close()
    return sheets


def _used_rows(ws, cells: list) -> list[tuple[int, tuple]]:
    """The filled rows of a sheet as stored: [(row number, cells)], ignoring
    the size the sheet claims (``<dimension>``). Rows are never padded to a
    declared width and empty rows are never made, and the limits on rows,
    columns and filled cells stop the read as soon as they are passed."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    rows: list[tuple[int, tuple]] = []
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for idx, stored in parser.parse():
            if idx > MAX_ROWS:
                raise ReadError("too_many_rows", sheet_name=ws.title, limit=MAX_ROWS)
            filled = [(c["column"], _clean_cell(c["value"])) for c in stored]
            filled = [(j, v) for j, v in filled if v is not None]
            if not filled:
                continue
            width = max(j for j, _ in filled)
            if width > MAX_COLUMNS:
                raise ReadError("too_many_columns", sheet_name=ws.title, row=idx, limit=MAX_COLUMNS)
            cells[0] += len(filled)
            if cells[0] > MAX_CELLS:
                raise ReadError("too_many_cells", limit=MAX_CELLS)
            row = [None] * width
            for j, v in filled:
                row[j - 1] = v
            rows.append((idx, tuple(row)))
    return rows


def _sheet_from_rows(name: str, sheet: str | None, rows: list[tuple[int, tuple]]) -> RawSheet:
    """A sheet from its filled rows [(row number, cells)]: the first HEAD_ROWS
    rows by position (blank ones included) and a loader for those below."""
    by_number = dict(rows[:HEAD_ROWS])
    head = [list(by_number.get(n, ())) for n in range(1, HEAD_ROWS + 1)]
    while head and not head[-1]:
        head.pop()

    def load_body(h: int, rows=rows):
        below = [(n, r) for n, r in rows if n > h + 1]
        width = max((len(r) for _, r in below), default=0)  # rows end at their last cell
        body = [r if len(r) == width else r + (None,) * (width - len(r)) for _, r in below]
        df = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(dtype=object)
        return df, np.array([n for n, _ in below], dtype="int64")

    return RawSheet(name, sheet, head, load_body)


# ---------------------------------------------------------------- CSV

# Control characters: never part of an office's text (tab, CR and LF are).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL = CONTROL


def _row_at(data, pos: int) -> int:
    """The line number (from 1) of position ``pos``."""
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, pos) + 1


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK).

    A file that is neither is said to mix encodings, with the first row that
    is not UTF-8 and the first that is not GBK."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("bad_encoding", row=_row_at(data, exc.start), encoding="UTF-16") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_row = _row_at(data, exc.start)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError("mixed_encoding", row=max(utf8_row, _row_at(data, exc.start)),
                        utf8_row=utf8_row, gbk_row=_row_at(data, exc.start)) from exc


def check_lines(data: bytes) -> None:
    """Refuse a text file with a line longer than MAX_LINE, before decoding
    (a 10 MB single line is found in milliseconds)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero((arr == 10) | (arr == 13))
    edges = np.concatenate(([-1], breaks, [len(arr)]))
    gaps = np.diff(edges) - 1
    longest = int(gaps.max()) if len(gaps) else 0
    if longest > MAX_LINE:
        at = int(np.argmax(gaps))
        row = int(np.count_nonzero(arr[: edges[at] + 1] == 10)) + 1 if at else 1
        raise ReadError("line_too_long", row=row, length=longest, limit=MAX_LINE)


def _looks_binary(data: bytes) -> bool:
    head = np.frombuffer(data[:4096], dtype=np.uint8)
    control = (head < 32) & ~np.isin(head, (9, 10, 13))
    return bool(len(head)) and control.mean() > BINARY_SHARE and not data[:2] in (b"\xff\xfe", b"\xfe\xff")


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
    check_lines(data)
    if _looks_binary(data):
        raise ReadError("not_a_table")
    text = decode_text(data)
    bad = CONTROL.search(text)
    if bad:
        raise ReadError("control_character", row=_row_at(text, bad.start()),
                        char=f"U+{ord(bad.group()):04X}")
    lines = text.splitlines()
    first = [ln for ln in lines[:HEAD_ROWS * 3] if ln.strip()][:HEAD_ROWS]
    delim = sniff_delimiter(first)
    head = [[_clean_cell(c) for c in rec] for rec in csv.reader(lines[:HEAD_ROWS], delimiter=delim)]
    for i, rec in enumerate(head):
        if len(rec) > MAX_COLUMNS and any(c is not None for c in rec[MAX_COLUMNS:]):
            raise ReadError("too_many_columns", sheet_name=name, row=i + 1, limit=MAX_COLUMNS)

    def load_body(h: int):
        try:
            # Bytes, not a StringIO: pandas re-encodes a text buffer chunk by
            # chunk, which took 14 of a city's 30 s of ingest (issue 12).
            df = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8", sep=delim, header=None,
                             skiprows=h + 1, dtype=str, keep_default_na=False, na_filter=False,
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

    return [RawSheet(name, None, head, load_body, controls_checked=True)]


register_reader("xlsx", _sniff_xlsx, _read_xlsx)
register_reader("xls", _sniff_xls, _read_xls)
register_reader("csv", _sniff_csv, _read_csv)
