"""Problems and notes an upload produces, rendered in the user's language."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre.i18n import t, value_label

# At most this many rows are listed for one (code, column) of one dataset;
# beyond it one summary problem tells how many more there are.
MAX_ROWS_PER_KIND = 2000

# Every problem and note code; each has the key ``ingest.<code>`` in both
# catalogues (a test checks), and the collector refuses any other.
CODES = frozenset({
    "empty_file", "not_a_table", "old_excel", "missing_columns", "unrecognised",
    "sheet_skipped", "extra_columns", "no_rows", "required_empty", "bad_date", "bad_period",
    "bad_number", "bad_bool", "rank_not_on_ladder", "unknown_value", "duplicate_person",
    "duplicate_assessment", "duplicate_movement", "score_out_of_range", "dimension_over_max",
    "bad_max_score", "missing_dimension", "total_mismatch", "grade_inconsistent",
    "grade_wrong_kind", "combined_with_sources", "unknown_person", "date_after_data",
    "age_at_join", "age_at_latest", "more",
    # limits and hostile content (storage.json holds their messages)
    "too_large_unpacked", "zip_ratio", "too_many_rows", "too_many_columns", "too_many_cells",
    "line_too_long", "control_character", "control_character_cell", "mixed_encoding",
    "bad_encoding", "duplicate_columns", "text_too_long", "movement_before_hire",
    "movement_after_exit", "movement_too_young",
    "nothing_to_load", "number_too_large",
    # the XML inside a workbook, and text encodings (ingest.json holds their messages)
    "row_too_wide", "too_many_stored_cells", "too_many_empty_cells", "too_many_strings",
    "xml_too_complex", "xml_dtd",
    "unsupported_encoding", "double_bom",
})


@dataclass(slots=True)
class Problem:
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict)

    def _render_params(self, lang: str) -> dict:
        out = {}
        sep = "、" if lang == "zh" else ", "
        for key, val in self.params.items():
            if key == "columns":  # canonical column names
                val = sep.join(column_label(c, lang) for c in val)
            elif key == "dataset":
                val = t(f"ingest.dataset.{val}", lang)
            elif isinstance(val, (list, tuple)):
                val = sep.join(value_label(v, lang) for v in val)
            elif key in ("expected", "first_value", "kind") and val is not None:
                val = value_label(val, lang)
            elif isinstance(val, float):
                val = f"{val:g}"
            out[key] = val
        return out

    def message(self, lang: str = "zh") -> str:
        params = self._render_params(lang)
        where = ""
        if self.row is not None:
            where = t("ingest.where.row", lang, row=self.row)
        return t(f"ingest.{self.code}", lang, where=where, row=self.row,
                 column=self.column or "", sheet=self.sheet or "", file=self.file or "", value="" if self.value is None else self.value,
                 **params)

    def as_dict(self, lang: str = "zh") -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "value": self.value, "message": self.message(lang)}


def column_label(name: str, lang: str) -> str:
    """A canonical column shown in ``lang`` (Chinese header / English name)."""
    return t(f"ingest.col.{name}", lang)


def cell_str(v) -> str | None:
    """A raw cell as the user would read it."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        s = v.isoformat()
        return s[:10] if s.endswith("T00:00:00") or len(s) == 10 else s.replace("T", " ")
    return str(v)


class Collector:
    """Collects problems, vectorised: rows are flagged by boolean masks."""

    def __init__(self, tables: dict):
        self.tables = tables  # tid -> Table (file, sheet, headers {canonical: text})
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self._counts: dict[tuple, int] = {}
        # (dataset, code, column) -> [first flagged table, rows over the cap]:
        # the rows past MAX_ROWS_PER_KIND of one check, told in one "more"
        # problem by :meth:`flush`, however many chunks the check ran over.
        self._pending: dict[tuple, list] = {}
        self.deferring = False  # checks running chunk by chunk: "more" waits for flush()

    def header(self, tid, col) -> str | None:
        if col is None:
            return None
        tab = self.tables.get(tid)
        if tab is not None and col in tab.headers:
            return tab.headers[col]
        return col

    def file_level(self, tid, code, column=None, note=False, row=None, value=None, **params):
        if code not in CODES:
            raise ValueError(f"unknown problem code {code!r}")
        tab = self.tables[tid]
        (self.notes if note else self.problems).append(
            Problem(tab.file, tab.sheet, row, column, value, code, params))

    def raw(self, file, sheet, row, column, value, code, note=False, **params):
        (self.notes if note else self.problems).append(
            Problem(file, sheet, row, column, value, code, params))

    def duplicates(self, df: pd.DataFrame, keys: list[str], code: str, column: str, dataset: str) -> pd.Series:
        """``code`` for each row whose ``keys`` (all given) an earlier row
        already holds, naming that first row; returns the rows with all keys given."""
        full = df[keys].notna().all(axis=1)
        dup = full & df[keys].duplicated(keep="first")
        if dup.any():
            first = df.groupby(keys, sort=False)["_row"].transform("first")
            self.rows(df, dup, code, column, dataset=dataset, params={"first_row": first})
        return full

    def rows(self, df: pd.DataFrame, mask, code: str, column: str | None,
             values=None, params=None, dataset: str = "", **static):
        """One problem per row of ``df`` where ``mask``.

        ``values``: a Series of the raw cell shown (default ``df['_raw_'+column]``
        or ``df[column]``); ``params``: {name: Series or scalar} per-row params.
        """
        if code not in CODES:
            raise ValueError(f"unknown problem code {code!r}")
        if mask is None:
            return
        key = (dataset, code, column)
        pending = self._pending.setdefault(key, [None, 0])  # in the order checks are made
        try:
            self._rows(df, mask, code, column, values, params, dataset, static, key, pending)
        finally:
            if not self.deferring:  # one check over a whole dataset: its "more" now
                self._flush_key(key)

    @contextmanager
    def deferred(self):
        """Checks run chunk by chunk inside: each check's rows over the cap
        are told in one "more" by the flush() at the end."""
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
        self.flush()

    def _rows(self, df, mask, code, column, values, params, dataset, static, key, pending):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        sub = df.loc[mask]
        already = self._counts.get(key, 0)
        room = max(MAX_ROWS_PER_KIND - already, 0)
        total = len(sub)
        self._counts[key] = already + total
        if room < total:
            pending[1] += total - room
            shown = sub.iloc[:room]
        else:
            shown = sub
        if pending[0] is None and len(shown):
            pending[0] = shown["_tid"].iloc[0]
        if values is None and column is not None:
            for cand in ("_raw_" + column, column):
                if cand in df.columns:
                    values = df[cand]
                    break
        vals = values.loc[shown.index].tolist() if values is not None else [None] * len(shown)
        param_cols = {}
        for k, v in (params or {}).items():
            if isinstance(v, pd.Series):
                param_cols[k] = v.loc[shown.index].tolist()
            else:
                param_cols[k] = [v] * len(shown)
        tids = shown["_tid"].tolist()
        rownums = shown["_row"].tolist()
        for i, (tid, rownum) in enumerate(zip(tids, rownums)):
            tab = self.tables[tid]
            prm = dict(static)
            for k, vs in param_cols.items():
                x = vs[i]
                prm[k] = cell_str(x) if not isinstance(x, (list, tuple)) else x
            self.problems.append(Problem(tab.file, tab.sheet, int(rownum), self.header(tid, column),
                                         cell_str(vals[i]), code, prm))

    def declare(self, code: str, column: str | None, dataset: str = "") -> None:
        """A check about to run, whether or not it flags a row: its "more"
        is told in the order the checks were first made."""
        self._pending.setdefault((dataset, code, column), [None, 0])

    def flush(self, codes=None) -> None:
        """One "more" problem for each check (of ``codes``, else every
        check) whose rows passed the cap since it was last flushed, named
        after the table of the first row it showed since then."""
        for key in list(self._pending):
            if codes is None or key[1] in codes:
                self._flush_key(key)

    def _flush_key(self, key) -> None:
        tid, over = self._pending.pop(key, (None, 0))
        if over:
            tab = self.tables[tid] if tid is not None else None  # none shown: the cap was reached before
            self.problems.append(Problem(tab.file if tab else None, tab.sheet if tab else None, None,
                                         self.header(tid, key[2]) if tab else key[2], None, "more",
                                         {"count": over}))
