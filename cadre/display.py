"""Tables made ready for a reader: dates as dates, missing as "—" or empty,
never "None", "nan", "NaT" or a raw timestamp. No Streamlit here: the pages'
tables, their XLSX downloads and the pack all go through it.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

MISSING = "—"          # an unknown number
EMPTY = ""             # a text cell with nothing in it

def _date_text(values: pd.Series) -> pd.Series:
    """Datetimes as ``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM`` when a time of day is given."""
    stamps = pd.to_datetime(values, errors="coerce")
    has_time = bool((stamps.dropna() != stamps.dropna().dt.normalize()).any())
    text = stamps.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
    return text.where(stamps.notna(), EMPTY).astype(object)


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _cell_text(value):
    """One object cell: dates as dates, missing as empty, the rest unchanged."""
    if _is_missing(value):
        return EMPTY
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.datetime64,)):
        return _cell_text(pd.Timestamp(value))
    return value


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with date columns as date text and missing text cells empty.

    Number columns keep their type (they sort as numbers); a table shows
    their gaps as MISSING (st.dataframe's ``placeholder``), a download as an
    empty cell."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = _date_text(s)
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            continue
        else:
            out[col] = s.astype(object).map(_cell_text)
    return out


def number_cell(x) -> str:
    """A number as a table shows it (no trailing zeros), missing as "—"."""
    if _is_missing(x):
        return MISSING
    if float(x).is_integer():
        return f"{int(x)}"
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


# Everything Streamlit's Markdown reads as markup: CommonMark's punctuation,
# its directives (``:red[…]``, ``:material/x:``), LaTeX (``$``), HTML, and the
# starts of GFM's bare links (``http://``, ``www.``, ``a@b``).
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>:~$&=^\"'@/%")
# GFM links bare URLs and e-mail addresses in the text *after* parsing, so no
# escape stops it; an invisible word joiner (U+2060) inside the pattern does.
_WJ = "\u2060"
_BARE_LINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|@")


def md_text(value) -> str:
    """Data (a name, a section, a file name) made literal for a widget that
    renders Markdown: every markup character is written as a numeric
    character reference (``&#58;``), which Markdown shows as the character
    itself but never parses as markup; a bare link's scheme (``http``,
    ``www``, ``@``) is followed by an invisible word joiner, the one change
    to what is shown, so GFM does not link it. Line breaks become spaces, so
    ``[点我](http://…)`` shows as written."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _BARE_LINK.sub(lambda m: m.group(0) + _WJ, text)
    return "".join(f"&#{ord(ch)};" if ch in _MD_SPECIAL else ch for ch in text)
