"""The ``report`` command's figures for a period."""
from __future__ import annotations

import math

import pandas as pd

from cadre import scoring
from cadre.assessment.runner import compared_sections, list_periods
from cadre.assessment.scorer import Scorer, scorer_for
from cadre.assessment.sections import turn_taking_table


def _num(x):
    """A plain JSON number: float, or None for NaN/None."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def period_report(con, settings: dict, period: str, scorer: Scorer | None = None) -> dict | None:
    """The ``report`` command's figures for ``period`` (None when it has no data).

    Covers everyone assessed, leadership included; ``sections`` lists the
    compared sections assessed in the period, ``turn_taking`` every compared
    section over the annual periods ending on or before the period's end.
    ``scorer`` (optional, with the store's settings) shares scored periods:
    the annual ones are scored once and serve every period's turn-taking."""
    periods = list_periods(con)
    if period not in set(periods["period"]):
        return None
    end = scoring.period_end(period)
    annual = periods[(periods["period_kind"] == "annual")
                     & (pd.to_datetime(periods["period_end"]) <= end)]["period"].tolist()
    df = scorer_for(con, settings, scorer).frames(sorted({period, *annual}))
    cur = df[df["period"] == period]
    if cur.empty:
        return None
    kind = str(cur["period_kind"].iloc[0])
    summary = scoring.period_summary(cur, kind)
    diff = scoring.differentiation(cur, settings)
    tt, _ = turn_taking_table(df[df["period"].isin(annual)], settings, period, compared_sections(con, settings))
    return {
        "period": period,
        "period_kind": kind,
        "assessed": summary["assessed"],
        "mean": _num(summary["mean"]),
        "median": _num(summary["median"]),
        "std": _num(summary["std"]),
        "grades": summary["grades"],
        "official_grades": summary["official_grades"],
        "sections": [
            {"section": r.section, "assessed": int(r.n), "mean": _num(r.mean), "median": _num(r.median),
             "std": _num(r.std), "iqr": _num(r.iqr), "egalitarian": bool(r.egalitarian)}
            for r in diff.itertuples(index=False)
        ],
        "turn_taking": [
            {"section": r.section, "index": _num(r.index), "awards": int(r.awards), "flagged": bool(r.flagged)}
            for r in tt.itertuples(index=False)
        ],
    }

