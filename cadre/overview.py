"""The overview's headline figures for a period: one call, shared by the
page and the review pack. No Streamlit here."""
from __future__ import annotations

import datetime as dt

from cadre import scoring, timeline
from cadre.assessment.report import period_report
from cadre.assessment.scorer import Scorer


def headline(con, settings: dict, period: str, scorer: Scorer | None = None) -> dict | None:
    """Headcount, assessed, mean composite, grade counts, flags and the
    year's movements for ``period``; None when the period has no data.
    ``scorer`` (optional) shares scored periods with other calls; every
    figure is computed under ``settings``."""
    report = period_report(con, settings, period, scorer)
    if report is None:
        return None
    end = scoring.period_end(period).date()
    reference = timeline.reference_date(con)
    at = min(end, reference) if reference else end
    structure = timeline.structure(con, settings, at)
    year = int(period[:4])
    movements = timeline.movements_summary(con, settings, year)
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


def in_scope(figures: dict, dist, headcount) -> dict:
    """The overview's figures for one section: headcount (people in office
    there at the figures' date), assessed, mean and grade counts (computed,
    and official when any) of that section, and its own flags. ``dist``: the
    section's assessment.distribution (None: nobody there assessed);
    ``headcount``: people in office there (None: unknown)."""
    section = dist.section if dist is not None else None
    out = dict(figures, headcount=headcount, assessed=0, mean=None,
               grades={g: 0 for g in figures["grades"]}, official_grades=None)
    if dist is not None and dist.stats.get("n"):
        grades = dist.grades.set_index("grade")
        out.update(assessed=int(dist.stats["n"]), mean=dist.stats["mean"],
                   grades={g: int(grades.loc[g, "computed"]) for g in figures["grades"]},
                   official_grades=({g: int(grades.loc[g, "official"]) for g in figures["grades"]}
                                    if dist.has_official else None))
    out["egalitarian"] = [s for s in figures["egalitarian"] if s == section]
    out["turn_taking"] = [s for s in figures["turn_taking"] if s == section]
    return out
