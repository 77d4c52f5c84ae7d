"""Hostile and broken files, built byte by byte (nothing is committed)."""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
{shared_type}
</Types>"""
SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
{shared_rel}
</Relationships>"""
SHARED_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/sharedStrings" Target="sharedStrings.xml"/>')


def cell_xml(ref: str, value, shared: list | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if shared is not None:
        shared.append(value)
        return f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list], dimension: str | None = None, shared: list | None = None,
              cells: dict | None = None) -> str:
    """``rows`` from A1 down; ``cells``: {(row, col): value} placed anywhere (1-based)."""
    by_row: dict[int, list[str]] = {}
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row, start=1):
            by_row.setdefault(i, []).append(cell_xml(f"{get_column_letter(j)}{i}", v, shared))
    for (i, j), v in sorted((cells or {}).items()):
        by_row.setdefault(i, []).append(cell_xml(f"{get_column_letter(j)}{i}", v, shared))
    body = "".join(f'<row r="{i}">{"".join(c)}</row>' for i, c in sorted(by_row.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dim}<sheetData>{body}</sheetData></worksheet>')


def xlsx(rows: list[list] | None = None, sheet: str = "Sheet1", dimension: str | None = None,
         cells: dict | None = None, shared_strings: bool = False, raw_sheet: bytes | None = None) -> bytes:
    """A minimal workbook of one sheet, written part by part."""
    shared: list | None = [] if shared_strings else None
    sheet_bytes = raw_sheet if raw_sheet is not None else sheet_xml(rows or [], dimension, shared, cells).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(shared_type=SHARED_TYPE if shared_strings else ""))
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(sheet=escape(sheet)))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(shared_rel=SHARED_REL if shared_strings else ""))
        z.writestr("xl/worksheets/sheet1.xml", sheet_bytes)
        if shared_strings:
            items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in shared)
            z.writestr("xl/sharedStrings.xml",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       f'{items}</sst>')
    return buf.getvalue()


def zip_bomb(unpacked_mb: int, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A workbook whose one sheet unpacks to ``unpacked_mb`` MB of blanks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(shared_type=""))
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.format(sheet="Sheet1"))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(shared_rel=""))
        with z.open(part, "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>')
            chunk = b" " * (1 << 20)
            for _ in range(unpacked_mb):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def csv_text(rows: list[list], sep: str = ",") -> str:
    return "\n".join(sep.join("" if v is None else str(v) for v in r) for r in rows) + "\n"


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def xlsx_parts(sheets: list[bytes], shared_strings: bytes | None = None, styles: bytes | None = None) -> bytes:
    """A workbook of raw sheet parts (and a raw shared-string part), each
    part written as given: for files whose parts no tool would write."""
    names = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(2, len(sheets) + 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            shared_type=(SHARED_TYPE if shared_strings is not None else "") + overrides))
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.replace(
            '<sheet name="{sheet}" sheetId="1" r:id="rId1"/>', names))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>', rels).format(
            shared_rel=SHARED_REL.replace("rId2", "rId999") if shared_strings is not None else ""))
        for i, sheet in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        if styles is not None:  # openpyxl reads xl/styles.xml by that name
            z.writestr("xl/styles.xml", styles)
    return buf.getvalue()


def empty_cells_row(n: int) -> bytes:
    """A sheet whose one row stores ``n`` empty cells (``<c/>``)."""
    return SHEET_HEAD + b'<row r="1">' + b"<c/>" * n + b"</row>" + SHEET_TAIL


def shared_strings(n: int) -> bytes:
    """A shared-string part of ``n`` empty strings."""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + b"<si><t/></si>" * n + b"</sst>")
