"""Reads of the assessment data through named queries
(``queries/assessment_*.sql``): the periods, the compared sections and a
period's rows (through ``store.frame``; the SQL casts every number to DOUBLE,
as Arrow would turn DECIMAL into Python objects)."""
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


def load_rows(con, periods) -> pd.DataFrame:
    """The assessment rows of ``periods`` with name and the assessment's section."""
    return store.frame(con, "assessment_rows", periods=[str(p) for p in periods])

