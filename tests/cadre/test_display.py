"""Tables as a reader sees them: dates as dates, missing as "—" or empty."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cadre import display
from cadre.export.tables import to_xlsx

RAW = ("None", "nan", "NaT", "00:00:00", "<NA>")


def _frame():
    return pd.DataFrame({
        "date": pd.to_datetime(["2001-01-24", None]),
        "obj_date": [pd.Timestamp("1999-03-01"), None],
        "py_date": [dt.date(1998, 5, 2), None],
        "text": ["a", None],
        "years": [1.5, np.nan],
        "count": pd.array([3, None], dtype="Int64"),
    })


def test_dates_become_dates_and_missing_text_empty():
    out = display.clean(_frame())
    assert out["date"].tolist() == ["2001-01-24", ""]
    assert out["obj_date"].tolist() == ["1999-03-01", ""]
    assert out["py_date"].tolist() == ["1998-05-02", ""]
    assert out["text"].tolist() == ["a", ""]
    assert out["years"].dtype.kind == "f"  # numbers stay numbers (they sort as numbers)


def test_a_time_of_day_is_kept_only_when_there_is_one():
    out = display.clean(pd.DataFrame({"at": pd.to_datetime(["2026-11-29 07:05", "2026-11-29"], format="mixed")}))
    assert out["at"].tolist() == ["2026-11-29 07:05", "2026-11-29 00:00"]


def test_a_number_is_written_as_the_grid_shows_it():
    assert display.number_cell(2.25) == "2.25" and display.number_cell(3.0) == "3"
    assert display.number_cell(np.nan) == display.MISSING == "—"


def test_the_download_holds_no_raw_values():
    from openpyxl import load_workbook
    import io
    wb = load_workbook(io.BytesIO(to_xlsx(display.clean(_frame()))))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if any(r in c for r in RAW)], cells
