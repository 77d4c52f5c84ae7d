"""The bounds of a workbook, checked before openpyxl reads any of it: the
zip's sizes (:func:`check_zip`), then every XML part streamed through expat
with a DTD or entity refused and its cells, rows, shared strings and
elements counted (:func:`scan_parts`, :func:`scan_xml`); the first bound
crossed stops the read with a :class:`~cadre.ingest.read_error.ReadError`.
Split from :mod:`cadre.ingest.readers`, which reads the bounded workbook."""
from __future__ import annotations

import io
import zipfile

from .read_error import ReadError
from .read_error import mb as _mb

MAX_UNCOMPRESSED = 300 * 1024 * 1024   # an XLSX's parts, unpacked, in bytes
MAX_RATIO = 200                        # unpacked / packed size of one large part
RATIO_FROM = 16 * 1024 * 1024          # parts smaller than this are not ratio-checked
MAX_ROWS = 1_048_576                   # rows of one sheet (Excel's own limit)


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


# Limits on the XML inside a workbook, checked by streaming each part before
# openpyxl materialises it (openpyxl's read-only mode still builds a whole
# row, and the whole shared-string table, in memory): the first one passed
# stops the read. A part is told by its root element, not by its name.
MAX_STORED_CELLS = 5_000_000      # cells stored in one file, empty or not
MAX_EMPTY_CELLS = 1_000_000       # empty cells (<c/>, no value) stored in one file
MAX_ROW_CELLS = 16_384            # cells stored in one row (Excel's own width)
MAX_SHARED_STRINGS = 1_000_000    # shared strings of one file
MAX_RECORD_ELEMENTS = 65_536      # XML elements inside one row or one shared string
MAX_PART_ELEMENTS = 200_000       # XML elements of one part outside its rows and strings (styles…)
SCAN_CHUNK = 64 * 1024            # bytes fed to the scanning parser at a time


class _Skip(Exception):
    """Stop scanning a part: a worksheet met before its title is known
    (scanned later, by title), or a part cadre never parses (charts,
    drawings, comments…: a chart's cache may hold far more elements than
    any part that is read)."""


# the root elements of the parts openpyxl parses for cadre besides sheets and strings
READ_ROOTS = frozenset({"Types", "Relationships", "workbook", "styleSheet"})


class _PartScan:
    """Counts one XML part as it streams by and raises ReadError at the first
    limit passed. ``counts`` is shared by the parts of one file."""

    def __init__(self, label: str, counts: dict, defer_sheets: bool, force: str | None = None):
        self.label, self.counts, self.defer, self.force = label, counts, defer_sheets, force
        self.kind = None                    # sheet | sst | other, from the root element (or forced)
        self.record = None                  # row | si: the unit the limits count in
        self.in_record = False
        self.record_elements = 0
        self.other = 0
        self.rows = 0
        self.row_no = 0
        self.row_cells = 0
        self.cell_open = False              # inside a <c>: has it a child (a value)?
        self.cell_filled = False

    def start(self, name, attrs):
        local = name[name.find(":") + 1:]
        if self.in_record:
            self.record_elements += 1
            if self.record_elements > MAX_RECORD_ELEMENTS:
                raise ReadError("xml_too_complex", part=self.label, limit=MAX_RECORD_ELEMENTS)
            if self.cell_open:
                self.cell_filled = True
            if local == "c":
                self.cell_open, self.cell_filled = True, False
                self.row_cells += 1
                if self.row_cells > MAX_ROW_CELLS:
                    raise ReadError("row_too_wide", sheet_name=self.label, row=self.row_no, limit=MAX_ROW_CELLS)
                self.counts["cells"] += 1
                if self.counts["cells"] > MAX_STORED_CELLS:
                    raise ReadError("too_many_stored_cells", limit=MAX_STORED_CELLS)
            return
        if local == self.record:
            self.in_record, self.record_elements = True, 0
            if self.kind == "sst":
                self.counts["strings"] += 1
                if self.counts["strings"] > MAX_SHARED_STRINGS:
                    raise ReadError("too_many_strings", limit=MAX_SHARED_STRINGS)
                return
            self.rows += 1
            r = attrs.get("r", "")
            self.row_no = int(r) if r.isdigit() and len(r) < 12 else self.row_no + 1
            if self.rows > MAX_ROWS or self.row_no > MAX_ROWS:
                raise ReadError("too_many_rows", sheet_name=self.label, limit=MAX_ROWS)
            self.row_cells = 0
            return
        if self.kind is None and self.force:  # read by openpyxl as this, whatever its root
            self.kind, self.record = self.force, {"sheet": "row", "sst": "si"}.get(self.force)
        elif self.kind is None:  # the root element says what the part is
            if local == "worksheet":
                if self.defer:
                    self.kind = "deferred"
                    raise _Skip()
                self.kind, self.record = "sheet", "row"
            elif local == "sst":
                self.kind, self.record = "sst", "si"
            elif local in READ_ROOTS:
                self.kind = "other"
            else:
                self.kind = "skipped"
                raise _Skip()
        self.other += 1
        if self.other > MAX_PART_ELEMENTS:
            raise ReadError("xml_too_complex", part=self.label, limit=MAX_PART_ELEMENTS)

    def end(self, name):
        if not self.in_record:
            return
        local = name[name.find(":") + 1:]
        if local == "c" and self.cell_open:
            self.cell_open = False
            if not self.cell_filled:  # openpyxl spends as long on an empty cell as on a filled one
                self.counts["empty"] += 1
                if self.counts["empty"] > MAX_EMPTY_CELLS:
                    raise ReadError("too_many_empty_cells", limit=MAX_EMPTY_CELLS)
        elif local == self.record:
            self.in_record = False

    def refuse_dtd(self, *args):
        raise ReadError("xml_dtd", part=self.label)


def scan_xml(src, label: str, counts: dict, defer_sheets: bool = False, force: str | None = None) -> str | None:
    """Stream one XML part through expat, counting; a DTD or entity is
    refused wherever it stands; broken XML is not a workbook. ``force``
    (sheet | sst | other): the part is read as that whatever its root.
    Returns the part's kind (deferred | skipped when not scanned whole)."""
    import pyexpat

    scan = _PartScan(label, counts, defer_sheets, force)
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = scan.refuse_dtd
    parser.EntityDeclHandler = scan.refuse_dtd
    try:
        while True:
            chunk = src.read(SCAN_CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                return scan.kind
    except _Skip:
        return scan.kind
    except pyexpat.ExpatError as exc:
        raise ReadError("not_a_table") from exc


def _looks_xml(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] == b"<" or head[:2] in (b"\xff\xfe", b"\xfe\xff")


def scan_parts(data: bytes, counts: dict) -> dict[str, str | None]:
    """Every XML part of a workbook but its worksheets (those are scanned by
    title, once the workbook names them): DTDs, shared strings, elements.
    Returns each scanned part's kind by path."""
    kinds: dict[str, str | None] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            try:
                with zf.open(info) as fh:
                    if not _looks_xml(fh.read(4)):
                        continue
                with zf.open(info) as fh:
                    kinds[info.filename] = scan_xml(fh, info.filename, counts, defer_sheets=True)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                raise ReadError("not_a_table") from exc
    return kinds


def scan_as(archive, path: str, kind: str, kinds: dict, counts: dict) -> None:
    """Scan a part openpyxl is about to read as ``kind``, unless the first
    pass scanned it whole as that already (a part is read by its path, so
    one whose root pretends to be a chart must not escape the bounds)."""
    if kinds.get(path) == kind or path not in archive.namelist():
        return
    with archive.open(path) as src:
        kinds[path] = scan_xml(src, path, counts, force=kind)
