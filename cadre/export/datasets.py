"""Every dataset out, in the upload format, so that it loads back unchanged.

XLSX: the contract's Chinese headers, dates as Excel dates (yyyy-mm-dd),
numbers as numbers, text that starts like a formula stored as text (quote
prefix). CSV: UTF-8 with BOM (Excel on a Chinese Windows opens it right),
ISO dates, and text that starts like a formula led by a tab, which Excel
shows as text and the reader strips.
"""
from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cadre import store
from cadre.ingest import columns as C

FORMULA_STARTS = ("=", "+", "-", "@")
DATASETS = ("roster", "assessments", "movements")


def columns(dataset: str) -> list[tuple[str, str]]:
    """(canonical, Chinese header) of a dataset's download, in order."""
    if dataset == "roster":
        return [(c.name, c.zh) for c in C.ROSTER]
    if dataset == "assessments":
        spec = C.columns("assessments", "wide")
        keep = ["person_id", "period", "source", "de", "neng", "qin", "ji", "grade", "section",
                "max_de", "max_neng", "max_qin", "max_ji"]
        by = {c.name: c.zh for c in spec}
        return [(k, by[k]) for k in keep]
    return [(c.name, c.zh) for c in C.MOVEMENTS]


def stored(con, dataset: str) -> pd.DataFrame:
    return store.query(con, f"export_{dataset}")


def table(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """A stored (or derived) dataset as the download's columns and values."""
    cols = columns(dataset)
    out = pd.DataFrame(index=frame.index)
    for name, zh in cols:
        s = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        if name == "reserve":
            s = s.map(lambda v: None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                      else ("是" if bool(v) else "否"))
        out[zh] = s
    return out.reset_index(drop=True)


def _cell(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(list(frame.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for rec in frame.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in rec])
    for col_cells in ws.iter_cols(min_row=2):
        for cell in col_cells:
            v = cell.value
            if isinstance(v, (dt.datetime, dt.date)):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(v, str) and v.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(v, float):
                cell.number_format = "0.##"
    for j, name in enumerate(frame.columns, start=1):
        sample = [len(str(x)) for x in frame.iloc[:200, j - 1].tolist() if x is not None]
        width = max([len(str(name)) * 2] + [n + 2 for n in sample])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 40)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(v) -> str:
    v = _cell(v)
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    if isinstance(v, str) and s.startswith(FORMULA_STARTS):
        return "\t" + s
    return s


def to_csv(frame: pd.DataFrame) -> bytes:
    text = frame.apply(lambda s: s.map(_csv_text)) if len(frame) else frame
    return text.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def download(con, dataset: str, fmt: str) -> bytes:
    frame = table(stored(con, dataset), dataset)
    sheet = C.SHEET_NAMES[dataset][0]
    return to_xlsx(frame, sheet) if fmt == "xlsx" else to_csv(frame)
