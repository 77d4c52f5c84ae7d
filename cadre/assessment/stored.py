"""Scores kept in the store: ``scoring.scored`` of every period with points,
written in the transaction that changes what they depend on, and read back
with SQL in the shape of :func:`cadre.assessment.scorer.score_periods`.

What shapes a stored score is the assessment data (rewritten on every
upload, undo and appraisal close, in their own transaction) and the
settings in :data:`SCORE_SETTINGS`. Their hash (:func:`scores_key`, with
:data:`DEFINITION` so that a change of the definition invalidates stores
written before it) is meta ``scores_key``; the stored scores serve the
settings in force only when it matches (:func:`current`). Other weights (the
what-if lab) score in memory. ``docs/contract.md`` ("Stored scores") lists
the same keys.
"""
from __future__ import annotations

import hashlib
import json

import pandas as pd

from cadre import scoring, store

# The settings scoring.scored reads: weights, maxima and the grade rules
# (quota and thresholds) of each period kind. Nothing else changes a score.
SCORE_SETTINGS = ("dimension_weights", "source_weights", "maxima", "annual_grades", "quarterly_grades")
DEFINITION = 1  # raise when scoring.scored's results change for the same input
META_KEY = "scores_key"
# Person-periods scored (and inserted) at once: bounded memory. Periods are
# grouped up to this many; a period with more (a province's) is read a slice
# of this many people at a time, its composites joined before it is ranked.
CHUNK = 50_000


def scores_key(settings: dict) -> str:
    """A stable hash of the settings that shape the scores."""
    shaping = {k: settings.get(k) for k in SCORE_SETTINGS}
    text = json.dumps({"definition": DEFINITION, "settings": shaping}, sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def stored_key(con) -> str | None:
    rows = store.query(con, "store_get_meta", key=META_KEY)
    return str(rows.iloc[0]["value"]) if len(rows) else None


def current(con, settings: dict) -> bool:
    """Whether the store's scores are those of ``settings``."""
    return stored_key(con) == scores_key(settings)


def _chunks(periods: pd.DataFrame) -> list[list[str]]:
    """Periods in groups of about CHUNK person-periods (a period never split:
    ranks and grades are within a period)."""
    groups, size, out = [], 0, []
    for period, assessed in zip(periods["period"].astype(str), periods["assessed"].astype("int64")):
        if out and size + assessed > CHUNK:
            groups.append(out)
            out, size = [], 0
        out.append(period)
        size += int(assessed)
    if out:
        groups.append(out)
    return groups


def _rows(cur, periods: list[str], first: str = "", last: str | None = None) -> pd.DataFrame:
    """The assessment rows of ``periods`` (of the people from ``first`` up to ``last``) to score."""
    params = {"periods": periods, "first": first, "last": last}
    return store.frame_of(cur.sql(store.sql_text("scores_source_rows"), params=params).to_arrow_table())


def _scored_in_slices(cur, period: str, settings: dict) -> pd.DataFrame:
    """scoring.scored of one large period, its rows read CHUNK people at a
    time: a person's composite needs only their own rows, the ranks and
    grades the whole period's composites."""
    firsts = [row[0] for row in store.execute(cur, "scores_person_bounds", period=period, size=CHUNK).fetchall()]
    parts = [scoring.composites(_rows(cur, [period], first, last), settings)
             for first, last in zip(firsts, [*firsts[1:], None])]
    return scoring.ranked(pd.concat(parts, ignore_index=True), settings)


def write(cur, settings: dict, progress=None) -> int:
    """Score every period with points under ``settings`` and store the
    result, replacing what was stored, on ``cur`` inside the caller's
    transaction (so the scores land with the change that made them).
    ``progress(fraction)`` after each group of periods. Returns the rows written."""
    report = progress or (lambda fraction: None)
    store.execute(cur, "scores_clear")
    periods = store.execute(cur, "assessment_periods").df()
    large = set(periods.loc[periods["assessed"] > CHUNK, "period"].astype(str))
    groups = _chunks(periods)
    written = 0
    for i, group in enumerate(groups):
        if group[0] in large:  # a large period is a group of its own
            df = _scored_in_slices(cur, group[0], settings)
        else:
            rows = _rows(cur, group)
            df = scoring.scored(rows, settings) if len(rows) else None
        if df is not None and len(df):
            store.execute_reading(cur, "scores_insert", "staged_scores", df)
            written += len(df)
        report((i + 1) / len(groups))
    store.execute(cur, "store_put_meta", key=META_KEY, value=scores_key(settings))
    return written


def rebuild(con, settings: dict, progress=None) -> int:
    """Write the scores again under ``settings`` (default: those stored), in one transaction."""
    with store.transaction(con) as cur:
        return write(cur, settings, progress)


def ensure(con) -> bool:
    """Write the scores when the store's are not those of its settings (a
    store upgraded from schema 5 or earlier, or settings saved by an earlier
    version): once, when the app or the command line opens the store. True
    when written."""
    settings = store.get_settings(con)
    if current(con, settings):
        return False
    rebuild(con, settings)
    return True


def save_settings(con, values: dict, progress=None) -> bool:
    """Save ``values`` (settings by key) and, in the same transaction, write
    the scores again when they change a setting that shapes them. True when
    the scores were rewritten."""
    new = {**store.get_settings(con), **values}
    changes = stored_key(con) != scores_key(new)
    with store.transaction(con) as cur:
        store.put_settings(con, values, in_transaction=cur)
        if changes:
            write(cur, new, progress)
    return changes


def read(con, periods) -> pd.DataFrame:
    """The stored scores of ``periods`` as score_periods gives them (one row
    per person and period, by person then period), read with SQL: the
    per-source composites of the sources present in these periods, in
    scoring's order of sources (the stored columns are in that order)."""
    df = store.frame(con, "scores_rows", periods=[str(p) for p in periods])
    grades = df["computed_grade"].astype(object)
    df["computed_grade"] = grades.where(grades.notna(), None)  # as scoring.computed_grades gives them
    absent = [c for c in df.columns if c.startswith("composite_") and df[c].isna().all()]
    return df.drop(columns=absent)
