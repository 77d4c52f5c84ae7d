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
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .read_error import ReadError
from .xlsx_bounds import MAX_ROWS, check_zip, scan_as, scan_parts, scan_xml

HEAD_ROWS = 10  # the header is looked for among the first this many rows
CHUNK_ROWS = 100_000  # rows of a sheet's body validated at a time

# Limits checked before (or while) a file is read, so that no upload can take
# the server's memory or time: a file beyond one is refused with a message.
MAX_COLUMNS = 256                      # columns of one sheet
MAX_CELLS = 5_000_000                  # filled cells of one file
MAX_LINE = 64 * 1024                   # characters of one CSV line, in bytes
BINARY_SHARE = 0.01                    # control bytes in a CSV's first 4 KB: not text


@dataclass
class RawSheet:
    file: str
    sheet: str | None
    head: list[list]                       # first HEAD_ROWS rows, cells as read
    load_body: Callable[[int], tuple[pd.DataFrame, np.ndarray]] = field(repr=False)
    controls_checked: bool = False          # the reader refused control characters already
    iter_body: Callable | None = field(default=None, repr=False)
    # load_body(h): the rows below head row index h (0-based) as a DataFrame
    # with positional columns 0..n-1, and the row number Excel shows for each.
    # iter_body(h, rows): the same in pieces of at most ``rows`` rows, so
    # that a large file is never one frame of strings (issue 17).

    def chunks(self, h: int, rows: int = 0):
        """The body below head row ``h`` as (frame, row numbers) pieces."""
        if self.iter_body is not None:
            yield from self.iter_body(h, rows or CHUNK_ROWS)
            return
        body, rownums = self.load_body(h)
        if len(body):
            yield body, rownums


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
    check_zip(data)
    counts = {"cells": 0, "strings": 0, "empty": 0}
    kinds = scan_parts(data, counts)  # all but the worksheets, before openpyxl reads any
    try:
        wb, shared, sheets_at = _open_workbook(data, kinds, counts)
    except ReadError:
        raise
    except Exception as exc:  # not a workbook, or a malformed part: openpyxl's errors are many
        raise ReadError("not_a_table") from exc
    try:
        for title, path in sheets_at:  # every sheet scanned before any is read
            with wb._archive.open(path) as src:
                scan_xml(src, title, counts, force="sheet")
        sheets = []
        cells = [0]
        for title, path in sheets_at:
            sheets.append(_sheet_from_rows(name, title, _used_rows(wb, shared, title, path, cells)))
    except ReadError:
        raise
    except Exception as exc:  # malformed XML inside the sheet
        raise ReadError("not_a_table") from exc
    finally:
        wb._archive.close()
    return sheets


def _open_workbook(data: bytes, kinds: dict, counts: dict):
    """openpyxl's read-only load without its worksheets: the workbook (its
    epoch and date formats), the shared strings and [(title, part path)].
    openpyxl's own read-only sheets would measure each sheet on opening,
    parsing the whole of a sheet that declares no size into memory; links to
    other workbooks (their cached sheets can be very big) are not read."""
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        archive = reader.archive
        scan_as(archive, ARC_CONTENT_TYPES, "other", kinds, counts)
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
        if strings is not None:
            scan_as(archive, strings.PartName[1:], "sst", kinds, counts)
        reader.read_strings()
        part = _find_workbook_part(reader.package).PartName[1:]
        scan_as(archive, part, "other", kinds, counts)
        scan_as(archive, get_rels_path(part), "other", kinds, counts)
        reader.read_workbook()
        scan_as(archive, ARC_STYLE, "other", kinds, counts)
        apply_stylesheet(reader.archive, reader.wb)
        sheets_at = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                     if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except Exception:
        reader.archive.close()
        raise
    return reader.wb, reader.shared_strings, sheets_at


def _used_rows(wb, shared: list, title: str, path: str, cells: list) -> list[tuple[int, tuple]]:
    """The filled rows of a sheet as stored: [(row number, cells)], ignoring
    the size the sheet claims (``<dimension>``). Rows are never padded to a
    declared width and empty rows are never made, and the limits on rows,
    columns and filled cells stop the read as soon as they are passed."""
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[tuple[int, tuple]] = []
    with wb._archive.open(path) as src:
        parser = WorkSheetParser(src, shared, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for idx, stored in parser.parse():
            if idx > MAX_ROWS:
                raise ReadError("too_many_rows", sheet_name=title, limit=MAX_ROWS)
            filled = [(c["column"], _clean_cell(c["value"])) for c in stored]
            filled = [(j, v) for j, v in filled if v is not None]
            if not filled:
                continue
            width = max(j for j, _ in filled)
            if width > MAX_COLUMNS:
                raise ReadError("too_many_columns", sheet_name=title, row=idx, limit=MAX_COLUMNS)
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

    def frame(below):
        width = max((len(r) for _, r in below), default=0)  # rows end at their last cell
        body = [r if len(r) == width else r + (None,) * (width - len(r)) for _, r in below]
        df = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(dtype=object)
        return df, np.array([n for n, _ in below], dtype="int64")

    def load_body(h: int, rows=rows):
        return frame([(n, r) for n, r in rows if n > h + 1])

    def iter_body(h: int, size: int, rows=rows):
        first = next((i for i, (n, _) in enumerate(rows) if n > h + 1), len(rows))
        for at in range(first, len(rows), size):
            yield frame(rows[at:at + size])

    return RawSheet(name, sheet, head, load_body, iter_body=iter_body)


# ---------------------------------------------------------------- CSV

# Control characters: never part of an office's text (tab, CR and LF are).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL = CONTROL


def _row_at(data, pos: int) -> int:
    """The line number (from 1) of position ``pos``."""
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, pos) + 1


UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


BOM_UTF8 = b"\xef\xbb\xbf"
DECODE_PIECE = 8 * 1024 * 1024  # bytes decoded at a time: a file's text is never one str


def _pieces(data: bytes, start: int = 0, size: int = DECODE_PIECE):
    """(offset, piece) of ``data`` from ``start``, each ending after a line
    feed: a boundary no UTF-8 or GB18030 character crosses (neither has a
    0x0A byte inside a character)."""
    view = memoryview(data)
    n = len(data)
    while start < n:
        end = min(start + size, n)
        if end < n:
            lf = data.find(b"\n", end)
            end = n if lf < 0 else lf + 1
        yield start, view[start:end]
        start = end


def utf8_text(data: bytes) -> tuple[bytes, int]:
    """A text file's content as UTF-8 bytes and the offset its text starts
    at (after a UTF-8 byte order mark): the bytes given when they are UTF-8
    (no copy), else the text decoded (UTF-16 with its mark, else GB18030,
    i.e. GBK) piece by piece and written as UTF-8.

    A file that is neither is said to mix encodings, with the first row that
    is not UTF-8 and the first that is not GBK. UTF-32 (whose mark starts
    like UTF-16's) and a second byte order mark are said as such."""
    if data.startswith(UTF32_BOMS):
        raise ReadError("unsupported_encoding", encoding="UTF-32")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            body, start = data.decode("utf-16").encode("utf-8"), 0
        except UnicodeDecodeError as exc:
            raise ReadError("bad_encoding", row=_row_at(data, exc.start), encoding="UTF-16") from exc
    else:
        base = 3 if data.startswith(BOM_UTF8) else 0
        utf8_row = None
        for off, piece in _pieces(data, base):
            try:
                str(piece, "utf-8")
            except UnicodeDecodeError as exc:  # positions as utf-8-sig gives them: after the mark
                utf8_row = _row_at(data, off - base + exc.start)
                break
        if utf8_row is None:
            body, start = data, base
        else:
            out = []
            for off, piece in _pieces(data):
                try:
                    out.append(str(piece, "gb18030").encode("utf-8"))
                except UnicodeDecodeError as exc:
                    gbk_row = _row_at(data, off + exc.start)
                    raise ReadError("mixed_encoding", row=max(utf8_row, gbk_row),
                                    utf8_row=utf8_row, gbk_row=gbk_row) from exc
            body, start = b"".join(out), 0
            del out
    if body.startswith(BOM_UTF8, start):  # a mark left after the encoding's own: the header would not match
        n = 0
        while body.startswith(BOM_UTF8, start + 3 * n):
            n += 1
        raise ReadError("double_bom", count=n + 1)
    return body, start


def check_lines(data: bytes) -> None:
    """Refuse a text file with a line longer than MAX_LINE, before decoding
    (a 10 MB single line is found in milliseconds). The bytes are scanned a
    piece at a time, so that the scan's masks stay small."""
    arr = np.frombuffer(data, dtype=np.uint8)
    last, feeds = -1, 0  # the last line break seen; line feeds up to it
    longest, row = 0, 1
    for lo in range(0, len(arr), DECODE_PIECE):
        part = arr[lo:lo + DECODE_PIECE]
        breaks = np.flatnonzero((part == 10) | (part == 13)) + lo
        if not len(breaks):
            continue
        edges = np.concatenate(([last], breaks))
        gaps = np.diff(edges) - 1
        i = int(np.argmax(gaps))
        if gaps[i] > longest:  # the first longest line: its row from the break before it
            longest = int(gaps[i])
            row = feeds + int(np.count_nonzero(arr[last + 1:edges[i] + 1] == 10)) + 1 if edges[i] >= 0 else 1
        feeds += int(np.count_nonzero(arr[last + 1:breaks[-1] + 1] == 10))
        last = int(breaks[-1])
    if len(arr) - last - 1 > longest:
        longest = len(arr) - last - 1
        row = feeds + 1 if last >= 0 else 1
    if longest > MAX_LINE:
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


CONTROL_BYTES = re.compile(CONTROL.pattern.encode())  # the same, in UTF-8 bytes: all single bytes
_BREAK = re.compile(rb"\r\n?|\n")


def _head_lines(body: bytes, start: int, n: int) -> list[str]:
    """The first ``n`` lines of the text (as ``str.splitlines`` cuts them),
    decoding only as far as they reach."""
    pos = start
    for _ in range(n):
        m = _BREAK.search(body, pos)
        if m is None:
            pos = len(body)
            break
        pos = m.end()
    return body[start:pos].decode("utf-8").splitlines()[:n]


def _clean_body(df: pd.DataFrame) -> pd.DataFrame:
    if len(df):
        df = df.apply(lambda s: s.astype("str").str.strip())
        df = df.mask(df == "")
    return df


def _read_csv(name: str, data: bytes) -> list[RawSheet]:
    check_lines(data)
    if data.startswith(UTF32_BOMS):  # before the binary check: UTF-32 is mostly NUL bytes
        raise ReadError("unsupported_encoding", encoding="UTF-32")
    if _looks_binary(data):
        raise ReadError("not_a_table")
    # The text stays bytes (UTF-8): a city's 177 MB of assessments as one
    # str and a list of its lines took more memory than the rest (issue 17).
    body, start = utf8_text(data)
    bad = CONTROL_BYTES.search(body, start)
    if bad:
        raise ReadError("control_character", row=_row_at(body, bad.start()),
                        char=f"U+{body[bad.start()]:04X}")
    lines = _head_lines(body, start, HEAD_ROWS * 3)
    first = [ln for ln in lines if ln.strip()][:HEAD_ROWS]
    delim = sniff_delimiter(first)
    head = [[_clean_cell(c) for c in rec] for rec in csv.reader(lines[:HEAD_ROWS], delimiter=delim)]
    for i, rec in enumerate(head):
        if len(rec) > MAX_COLUMNS and any(c is not None for c in rec[MAX_COLUMNS:]):
            raise ReadError("too_many_columns", sheet_name=name, row=i + 1, limit=MAX_COLUMNS)

    def ragged(h: int, skip: int, size: int):
        """Rows of unequal length: the slow, forgiving path, from record ``skip``."""
        recs = csv.reader(body[start:].decode("utf-8").splitlines()[h + 1:], delimiter=delim)
        done = 0
        for _ in zip(range(skip), recs):
            done += 1
        while True:
            part = [r for _, r in zip(range(size), recs)]
            if not part:
                return
            width = max(len(r) for r in part)
            df = pd.DataFrame([r + [""] * (width - len(r)) for r in part], dtype=object)
            yield _clean_body(df), np.arange(h + 2 + done, h + 2 + done + len(df))
            done += len(df)

    def iter_body(h: int, size: int):
        done = 0
        try:
            # Bytes, not a StringIO: pandas re-encodes a text buffer chunk by
            # chunk, which took 14 of a city's 30 s of ingest (issue 12).
            reader = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", sep=delim, header=None,
                                 skiprows=h + 1, dtype=str, keep_default_na=False, na_filter=False,
                                 skip_blank_lines=False, engine="c", chunksize=size)
            with reader:
                for df in reader:
                    yield _clean_body(df), np.arange(h + 2 + done, h + 2 + done + len(df))
                    done += len(df)
        except pd.errors.EmptyDataError:
            return
        except pd.errors.ParserError:
            yield from ragged(h, done, size)

    def load_body(h: int):
        parts = list(iter_body(h, 1 << 62))
        if not parts:
            return pd.DataFrame(dtype=object), np.arange(h + 2, h + 2)
        return parts[0] if len(parts) == 1 else (pd.concat([p for p, _ in parts], ignore_index=True),
                                                 np.concatenate([r for _, r in parts]))

    return [RawSheet(name, None, head, load_body, controls_checked=True, iter_body=iter_body)]


register_reader("xlsx", _sniff_xlsx, _read_xlsx)
register_reader("xls", _sniff_xls, _read_xls)
register_reader("csv", _sniff_csv, _read_csv)
