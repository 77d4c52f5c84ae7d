"""A period's score distribution in one scope (the office or a section):
the figures of the distribution page."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cadre import scoring
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import PCT_COLUMNS, Scorer, scorer_for
from cadre.assessment.stats import describe
from cadre.settings import DIM_COLUMNS, DIMENSIONS


def previous_period(periods: pd.DataFrame, period: str) -> str | None:
    """The period of the same kind just before ``period`` (None if none)."""
    kind = scoring.period_kind_of(period)
    same = periods[(periods["period_kind"] == kind) & (pd.to_datetime(periods["period_end"])
                                                        < scoring.period_end(period))]
    return str(same.sort_values("period_end")["period"].iloc[-1]) if len(same) else None


def grade_bands(period_kind: str, settings: dict) -> list[tuple[str, float, float]]:
    """(grade, low, high) composite bands of the kind, top first, for charts.

    The top band is where the top grade is possible (within the quota)."""
    if period_kind == "quarterly":
        g = settings["quarterly_grades"]
        edges = [g["top_floor"], g["good_floor"], g["fair_floor"]]
    else:
        g = settings["annual_grades"]
        edges = [g["top_floor"], g["competent_floor"], g["basic_floor"]]
    labels = scoring.grade_labels(period_kind)
    highs = [100.0] + edges
    lows = edges + [0.0]
    return [(labels[i], float(lows[i]), float(highs[i])) for i in range(4)]



@dataclass
class Distribution:
    """A period's score distribution in one scope (office or a section)."""
    period: str
    period_kind: str
    section: str | None
    people: pd.DataFrame              # scored people in scope, by rank
    stats: dict                       # n, mean, median, std, iqr, range, min, max
    egalitarian: bool | None          # the section's flag (None for the office)
    flagged_sections: list            # egalitarian sections of the period (office scope)
    grades: pd.DataFrame              # grade, computed, official (counts in scope)
    quota: dict                       # n, quota, allowed, qualifying, top_floor, top (office-wide)
    has_official: bool
    mismatches: pd.DataFrame          # computed grade != official grade
    bands: list
    previous_period: str | None = None
    previous: pd.DataFrame = field(default_factory=pd.DataFrame)
    previous_stats: dict = field(default_factory=dict)


def distribution(con, settings: dict, period: str, section: str | None = None,
                 scorer: Scorer | None = None) -> Distribution | None:
    """The figures of the distribution page; None when the period has no data.
    ``scorer`` (optional) shares scored periods with other calls."""
    periods = list_periods(con)
    if period not in set(periods["period"]):
        return None
    prev = previous_period(periods, period)
    df = scorer_for(con, settings, scorer).frames([period] + ([prev] if prev else []))
    cur = df[df["period"] == period]
    if cur.empty:
        return None
    kind = str(cur["period_kind"].iloc[0])
    g = settings["quarterly_grades" if kind == "quarterly" else "annual_grades"]
    labels = scoring.grade_labels(kind)
    quota = {"n": int(cur["composite"].notna().sum()), "quota": float(g["quota"]),
             "allowed": scoring.quota_places(g["quota"], int(cur["composite"].notna().sum())),
             "qualifying": int((cur["composite"].round(scoring.ROUND) >= float(g["top_floor"])).sum()),
             "top_floor": float(g["top_floor"]), "top": labels[0],
             "awarded": int((cur["computed_grade"] == labels[0]).sum())}
    diff = scoring.differentiation(cur, settings)
    scope = cur if section is None else cur[cur["section"] == section]
    people = scope.sort_values(["rank", "person_id"]).reset_index(drop=True)
    has_official = bool(scope["grade"].notna().any())
    computed = scoring.grade_counts(scope["computed_grade"], kind)
    official = scoring.grade_counts(scope["grade"], kind) if has_official else {k: None for k in labels}
    grades = pd.DataFrame({"grade": labels, "computed": [computed[k] for k in labels],
                           "official": [official[k] for k in labels]})
    mism = people[people["grade"].notna() & (people["grade"] != people["computed_grade"])]
    # "rank" here is a place in the order (名次), not the rank ladder (职级).
    mismatches = mism[["person_id", "name", "section", "composite", "rank", "computed_grade", "grade"]] \
        .rename(columns={"grade": "official_grade", "rank": "office_rank"}).reset_index(drop=True)
    egal = None
    if section is not None:
        row = diff[diff["section"] == section]
        egal = bool(row["egalitarian"].iloc[0]) if len(row) else False
    previous = pd.DataFrame(columns=people.columns)
    if prev:
        p = df[df["period"] == prev]
        previous = (p if section is None else p[p["section"] == section]).reset_index(drop=True)
    return Distribution(
        period=period, period_kind=kind, section=section, people=people, stats=describe(people["composite"]),
        egalitarian=egal, flagged_sections=diff.loc[diff["egalitarian"], "section"].tolist(),
        grades=grades, quota=quota, has_official=has_official, mismatches=mismatches,
        bands=grade_bands(kind, settings), previous_period=prev if len(previous) else None,
        previous=previous, previous_stats=describe(previous["composite"]) if len(previous) else {},
    )


def dimension_long(people: pd.DataFrame) -> pd.DataFrame:
    """person_id, name, section, dimension (德…绩), pct (share of maximum, 0..100)."""
    cols = [c for c in PCT_COLUMNS if c in people.columns]
    long = people.melt(id_vars=["person_id", "name", "section"], value_vars=cols,
                       var_name="dimension", value_name="pct")
    long["dimension"] = long["dimension"].map({f"{DIM_COLUMNS[d]}_pct": d for d in DIMENSIONS})
    return long

