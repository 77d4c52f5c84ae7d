"""Reads of the assessment data through named queries
(``queries/assessment_*.sql``): the periods, the compared sections, a period's
rows, and the Arrow fetch they share."""
from __future__ import annotations

import pandas as pd

from cadre import store


def list_periods(con) -> pd.DataFrame:
    """Every period in the store, oldest first: period, period_kind,
    period_end, assessed, has_official."""
    return store.query(con, "assessment_periods")


def compared_sections(con, settings: dict) -> list[str]:
    """The sections pages compare (every section named, leadership excluded)."""
    return store.query(con, "frame_sections", leadership_section=settings["leadership_section"])["section"].tolist()


def fetch(con, name: str, **params) -> pd.DataFrame:
    """Run the named query and fetch it through Arrow (about twice as fast as
    DuckDB's ``.df()`` for the large assessment queries, whose strings land
    straight in pandas' Arrow string dtype).

    For this module's own queries, whose SQL casts every number to DOUBLE
    (Arrow would turn DECIMAL into Python objects and nullable integers into
    floats): dates arrive as datetime64 (``date_as_object=False``), stored at
    microsecond resolution as ``.df()`` gives them."""
    return frame_of(store.arrow(con, name, **params))


def frame_of(table) -> pd.DataFrame:
    """An Arrow result of these queries as ``fetch`` gives it (also for a
    result read on a transaction's cursor)."""
    df = table.to_pandas(date_as_object=False)
    for col in df.columns:
        if pd.api.types.is_datetime64_dtype(df[col]):
            df[col] = df[col].astype("datetime64[us]")
    return df


def load_rows(con, periods) -> pd.DataFrame:
    """The assessment rows of ``periods`` with name and the assessment's section."""
    return fetch(con, "assessment_rows", periods=[str(p) for p in periods])

