"""Scored periods: ``scoring.scored`` over a period's rows with names and
the sizes ranked with, kept in one cache of per-period frames (``Scorer``).
The Scorer reads the scores kept in the store (``stored``) when they are
those of its settings, and scores in memory only when they are not."""
from __future__ import annotations

import pandas as pd

from cadre import scoring
from cadre.assessment import stored
from cadre.assessment.runner import load_rows
from cadre.settings import DIM_COLUMNS, DIMENSIONS

PCT_COLUMNS = [f"{DIM_COLUMNS[d]}_pct" for d in DIMENSIONS]


def empty_scored() -> pd.DataFrame:
    return pd.DataFrame(columns=["person_id", "name", "period", "period_kind", "period_end", "section",
                                 "grade", "composite", *PCT_COLUMNS, "rank", "section_rank",
                                 "computed_grade", "n_office", "n_section"])


class Scorer:
    """Scored periods through one cache of per-period frames.

    ``scoring.scored`` ranks and grades within each period, so a period's
    scored frame is the same whether it was scored alone or with others:
    the frames are computed once (missing periods in one batch) and kept in
    ``cache`` ({period: frame}), which a caller may share across calls and
    pages (``cadre.ui.cached`` keeps one per data version and settings).
    Without a cache, the frames live as long as the Scorer. Cached frames
    are shared: callers get new frames (concatenations or shallow copies,
    copy-on-write) and never change a cached one."""

    def __init__(self, con, settings: dict, cache: dict | None = None, lock=None):
        self.con, self.settings = con, settings
        self.cache = {} if cache is None else cache
        self.lock = lock

    def _fill(self, periods: list[str]) -> None:
        missing = [p for p in periods if p not in self.cache]
        if not missing:
            return
        batch = periods_frame(self.con, self.settings, missing)
        for period, frame in batch.groupby("period", sort=False):
            self.cache[str(period)] = frame.reset_index(drop=True)
        for period in missing:
            self.cache.setdefault(period, None)  # no rows: remembered as such

    def frames(self, periods) -> pd.DataFrame:
        """score_periods(periods): one row per person and period, periods in
        the order asked (each period's rows in scoring order)."""
        periods = list(dict.fromkeys(str(p) for p in periods))
        if self.lock is not None:
            with self.lock:
                self._fill(periods)
        else:
            self._fill(periods)
        parts = [self.cache[p] for p in periods if self.cache.get(p) is not None]
        if not parts:
            return empty_scored()
        if len(parts) == 1:
            return parts[0].copy(deep=False)
        return pd.concat(parts, ignore_index=True)


def scorer_for(con, settings: dict, scorer: Scorer | None) -> Scorer:
    """``scorer``, or a new one for this call."""
    return scorer if scorer is not None else Scorer(con, settings)


def periods_frame(con, settings: dict, periods) -> pd.DataFrame:
    """score_periods(periods): read from the store when its scores are those
    of ``settings`` (nothing is scored), else scored from the rows."""
    if stored.current(con, settings):
        df = stored.read(con, periods)
        return df if len(df) else empty_scored()
    return score_periods(con, settings, periods)


def score_periods(con, settings: dict, periods) -> pd.DataFrame:
    """One row per person and period: scoring.scored() plus name, and
    n_office / n_section (how many were ranked with them)."""
    periods = [str(p) for p in periods]
    rows = load_rows(con, periods) if periods else pd.DataFrame()
    if rows.empty:
        return empty_scored()
    df = scoring.scored(rows, settings)
    names = rows.drop_duplicates("person_id").set_index("person_id")["name"]
    df.insert(1, "name", df["person_id"].map(names))
    df["n_office"] = df.groupby("period")["composite"].transform("count").astype("int64")
    df["n_section"] = df.groupby(["period", "section"], dropna=False)["composite"].transform("count").astype("int64")
    return df

