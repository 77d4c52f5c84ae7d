"""Tables as XLSX downloads in which no cell can run as a formula."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value that Excel shows as text and never evaluates."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        # XLSX cannot hold control characters: show them, never fail the download
        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
    return value


def to_xlsx(sheets: dict[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "data") -> bytes:
    """One or more DataFrames as an XLSX workbook (bytes).

    Text starting with =, +, -, @ is stored as a text cell with Excel's quote
    prefix, so a name such as ``=HYPERLINK(...)`` cannot run when opened.
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet_name: sheets}
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31] or "data")
        ws.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            ws.append([safe_cell(v) for v in row])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        for idx, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200).tolist()]) + 2
            ws.column_dimensions[get_column_letter(idx)].width = min(max(width * 1.6, 8), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
