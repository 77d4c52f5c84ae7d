"""Vectorised cell parsers: raw Series in, (parsed Series, bad mask) out.

``bad`` is True where a cell is present but cannot be read; empty cells are
never bad here (required-cell checks are the validator's job).
"""
from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .columns import BOOL_WORDS, fold


def present(s: pd.Series) -> pd.Series:
    return s.notna()


def map_unique(s: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct non-null value."""
    vals = s.dropna().unique()
    table = {v: func(v) for v in vals}
    return s.map(table)


def by_unique(s: pd.Series, func, min_len: int = 1000):
    """``func(series) -> tuple of Series`` run once per distinct value of a
    long Series and spread back; empty cells stay empty (bad masks False)."""
    if len(s) < min_len:
        return func(s)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) > len(s) // 2:
        return func(s)
    u = pd.Series(uniques, dtype=s.dtype if s.dtype != object else object)
    res = func(u)
    missing = codes < 0
    idx = np.where(missing, 0, codes)
    out = []
    for r in res:
        if len(u) == 0:
            vals = pd.Series([None] * len(s), index=s.index, dtype=r.dtype if r.dtype != bool else bool)
            if r.dtype == bool:
                vals[:] = False
            out.append(vals)
            continue
        taken = pd.Series(r.to_numpy()[idx], index=s.index, dtype=r.dtype)
        if missing.any():
            if r.dtype == bool:
                taken[missing] = False
            else:
                taken = taken.mask(missing)
        out.append(taken)
    return tuple(out)


def _cell_text(v):
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        if v.hour == v.minute == v.second == 0:
            return v.strftime("%Y-%m-%d")
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def as_text(s: pd.Series) -> pd.Series:
    """Cells as text (Excel numbers 1001.0 -> '1001', dates ISO), NA kept."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return s
    return map_unique(s, _cell_text).astype("str")


def _nfkc(v: str) -> str:
    return unicodedata.normalize("NFKC", v).strip()


def folded_text(s: pd.Series) -> pd.Series:
    return map_unique(as_text(s), _nfkc).astype("str")


# ------------------------------------------------------------------ dates

_DATE_RE = (r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*(?:月\s*)?"
            r"(?:[-/.]?\s*(?P<d>\d{1,2})\s*日?)?"
            r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?$"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _ymd_to_dates(y, m, d) -> pd.Series:
    frame = pd.DataFrame({"year": pd.to_numeric(y, errors="coerce"),
                          "month": pd.to_numeric(m, errors="coerce"),
                          "day": pd.to_numeric(d, errors="coerce").fillna(1)})
    ok = frame["year"].between(1900, 2100) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
    return out


def parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates in the contract's forms -> datetime64[ns] (time dropped)."""
    return by_unique(s, _parse_dates)


def _parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    has = s.notna()
    if not has.any():
        return out, has
    if s.dtype == object:
        kinds = s.map(lambda v: "n" if isinstance(v, (int, float)) and not isinstance(v, bool)
                      else ("d" if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)) else "s"),
                      na_action="ignore")
    else:
        kinds = pd.Series("s", index=s.index).where(has)
    # Excel date cells and datetimes
    m_d = kinds == "d"
    if m_d.any():
        out[m_d] = pd.to_datetime(s[m_d].map(lambda v: pd.Timestamp(v).normalize())).astype("datetime64[ns]")
    # numbers typed into cells: 1999.03 (year.month), 19990301, 199903, Excel serials
    m_n = kinds == "n"
    if m_n.any():
        x = pd.to_numeric(s[m_n], errors="coerce").astype(float)
        year = np.floor(x)
        frac_month = np.round((x - year) * 100)
        is_ym = (x > 1900) & (x < 2101) & (frac_month > 0)
        is_ymd8 = (x == year) & (x >= 19000101) & (x <= 21001231)
        is_ym6 = (x == year) & (x >= 190001) & (x <= 210012)
        is_serial = ~(is_ym | is_ymd8 | is_ym6) & (x >= 1) & (x < 80000) & ~((x == year) & (x >= 1900) & (x <= 2100))
        res = pd.Series(pd.NaT, index=x.index, dtype="datetime64[ns]")
        if is_ym.any():
            res[is_ym] = _ymd_to_dates(year[is_ym], frac_month[is_ym], pd.Series(1, index=x.index)[is_ym])
        if is_ymd8.any():
            v = x[is_ymd8].astype("int64")
            res[is_ymd8] = _ymd_to_dates(v // 10000, v // 100 % 100, v % 100)
        if is_ym6.any():
            v = x[is_ym6].astype("int64")
            res[is_ym6] = _ymd_to_dates(v // 100, v % 100, pd.Series(1, index=v.index))
        if is_serial.any():
            res[is_serial] = _EXCEL_EPOCH + pd.to_timedelta(np.floor(x[is_serial]), unit="D")
        out[m_n] = res
    m_s = kinds == "s"
    if m_s.any():
        txt = folded_text(s[m_s])
        parts = txt.str.extract(_DATE_RE)
        miss = parts["y"].isna()
        if miss.any():
            parts2 = txt[miss].str.extract(_COMPACT_RE)
            parts.loc[miss, ["y", "m", "d"]] = parts2[["y", "m", "d"]].values
        got = parts["y"].notna()
        if got.any():
            out[parts.index[got]] = _ymd_to_dates(parts.loc[got, "y"], parts.loc[got, "m"], parts.loc[got, "d"])
    bad = has & out.isna()
    return out, bad


# ------------------------------------------------------------------ periods

_PERIOD_RE = (r"^(?P<y>\d{4})\s*(?:年度|年)?\s*"
              r"(?:[-_/ ]?\s*Q\s*(?P<q1>[1-4])|[-_/ ]?\s*第?\s*(?P<q2>[1-4一二三四])\s*(?:季度|季))?"
              r"\s*(?:年度)?$")
_CN_Q = {"一": "1", "二": "2", "三": "3", "四": "4", "1": "1", "2": "2", "3": "3", "4": "4"}


def parse_periods(s: pd.Series):
    """Periods -> (period '1999'/'1999Q3', kind 'annual'/'quarterly',
    period_end datetime64, bad mask)."""
    return by_unique(s, _parse_periods)


def _parse_periods(s: pd.Series):
    has = s.notna()
    txt = folded_text(s).str.upper()
    parts = txt.str.extract(_PERIOD_RE)
    year = parts["y"]
    q = parts["q1"].fillna(parts["q2"]).map(_CN_Q)
    ok = year.notna() & pd.to_numeric(year, errors="coerce").between(1900, 2100)
    period = (year + ("Q" + q).fillna("")).where(ok)
    kind = pd.Series(np.where(q.notna(), "quarterly", "annual"), index=s.index).where(ok)
    y = pd.to_numeric(year.where(ok), errors="coerce")
    month = (pd.to_numeric(q, errors="coerce") * 3).fillna(12)
    start = _ymd_to_dates(y, month, pd.Series(1, index=s.index))
    end = (start + pd.offsets.MonthEnd(0)).astype("datetime64[ns]")
    return period.astype("str"), kind.astype("str"), end, has & ~ok


# ------------------------------------------------------------------ others

def parse_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return by_unique(s, _parse_numbers)


def _parse_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    has = s.notna()
    if s.dtype == object:
        num = pd.to_numeric(s.map(lambda v: v if not isinstance(v, str) else v.strip(),
                                  na_action="ignore"), errors="coerce")
    else:
        num = pd.to_numeric(s, errors="coerce")
    num = num.astype(float)
    bad = has & num.isna()
    if bad.any():  # full-width digits, a trailing 分
        retry = pd.to_numeric(folded_text(s[bad]).str.replace(r"分$", "", regex=True), errors="coerce")
        num[bad] = retry.astype(float)
        bad = has & num.isna()
    return num, bad


def parse_enum(s: pd.Series, mapping: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Words -> canonical words via ``mapping`` ({folded word: canonical})."""
    has = s.notna()
    out = map_unique(as_text(s), lambda v: mapping.get(fold(v)))
    out = out.astype("str")
    return out, has & out.isna()


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    has = s.notna()
    out = map_unique(as_text(s), lambda v: BOOL_WORDS.get(fold(v)))
    bad = has & out.isna()
    out = out.astype(object).where(out.notna(), None)
    return out, bad
