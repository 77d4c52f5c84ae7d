"""The overview's headline figures for a period: one call, shared by the
page and the review pack. No Streamlit here."""
from __future__ import annotations

import datetime as dt

from cadre import assessment, scoring, timeline


def headline(con, period: str, scorer: assessment.Scorer | None = None,
             settings: dict | None = None) -> dict | None:
    """Headcount, assessed, mean composite, grade counts, flags and the
    year's movements for ``period``; None when the period has no data.
    ``scorer`` (optional) shares scored periods with other calls; every
    figure is computed under ``settings`` (None: the scorer's, else the store's)."""
    if settings is None and scorer is not None:
        settings = scorer.settings
    report = assessment.period_report(con, period, scorer, settings)
    if report is None:
        return None
    end = scoring.period_end(period).date()
    reference = timeline.reference_date(con)
    at = min(end, reference) if reference else end
    structure = timeline.structure(con, at, settings=settings)
    year = int(period[:4])
    movements = timeline.movements_summary(con, year, settings=settings)
    return {
        "period": period,
        "period_kind": scoring.period_kind_of(period),
        "date": at if isinstance(at, dt.date) else end,
        "headcount": structure["headcount"],
        "assessed": report["assessed"],
        "mean": report["mean"],
        "std": report["std"],
        "grades": report["grades"],
        "official_grades": report["official_grades"],
        "egalitarian": [s["section"] for s in report["sections"] if s["egalitarian"]],
        "turn_taking": [s["section"] for s in report["turn_taking"] if s["flagged"]],
        "sections": report["sections"],
        "movements": movements,
    }
