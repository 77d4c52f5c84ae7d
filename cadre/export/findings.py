"""One-line findings for the review pack's slides, computed from the data.

Every sentence is a catalogue template (``pack.finding.*``) filled with
figures the services computed; nothing here is invented text. Pure
functions: no Streamlit, no store.
"""
from __future__ import annotations

import math

import pandas as pd

from cadre import figures, i18n

# Changes in a section's mean smaller than this (points) read as "about the same".
FLAT_CHANGE = 0.05


def _num(key: str, x, lang: str) -> str:
    """A registry figure as written in a sentence."""
    return figures.words(key, x, lang)


def _names(values, lang: str) -> str:
    return i18n.t("pack.list_sep", lang).join(i18n.value_label(v, lang) for v in values)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def headline(report: dict | None, lang: str) -> str:
    """Assessed, mean and how many got the top computed grade."""
    if not report or not report.get("assessed"):
        return i18n.t("pack.finding.no_data", lang)
    if _missing(report.get("mean")):
        return i18n.t("pack.finding.headline_no_mean", lang, assessed=report["assessed"])
    top_grade, top_n = next(iter(report["grades"].items()))
    return i18n.t("pack.finding.headline", lang, assessed=report["assessed"], mean=_num("mean", report["mean"], lang),
                  grade=i18n.value_label(top_grade, lang), top=top_n)


def distribution(stats: dict | None, lang: str) -> str:
    """Range, median and spread of the composites."""
    if not stats or not stats.get("n"):
        return i18n.t("pack.finding.no_data", lang)
    return i18n.t("pack.finding.distribution", lang, low=_num("min", stats["min"], lang), high=_num("max", stats["max"], lang),
                  median=_num("median", stats["median"], lang), std=_num("std", stats.get("std"), lang))


def sections(stats: pd.DataFrame, lang: str) -> str:
    """The sections with the highest and the lowest mean."""
    s = stats.dropna(subset=["mean"]) if len(stats) else stats
    if not len(s):
        return i18n.t("pack.finding.no_data", lang)
    s = s.sort_values(["mean", "section"], ascending=[False, True])
    best, worst = s.iloc[0], s.iloc[-1]
    if len(s) == 1:
        return i18n.t("pack.finding.sections_one", lang, best=i18n.value_label(best["section"], lang),
                      high=_num("mean", best["mean"], lang))
    return i18n.t("pack.finding.sections", lang, best=i18n.value_label(best["section"], lang),
                  high=_num("mean", best["mean"], lang), worst=i18n.value_label(worst["section"], lang),
                  low=_num("mean", worst["mean"], lang))


def changes(frame: pd.DataFrame, period_kind: str, lang: str, previous: str | None = None,
            current: str | None = None) -> str:
    """The section whose mean moved most since the previous period of the
    same kind (``frame``: section, change; empty when none to compare).
    ``previous`` names the period compared with (said in the sentence, so a
    year-old period is not called "last quarter"); with nothing to compare,
    the sentence says which data is missing (``current``: this period)."""
    c = frame.dropna(subset=["change"]) if len(frame) else frame
    if not len(c):
        if current is None:
            return i18n.t("pack.finding.change_none", lang)
        kind = i18n.t(f"leader.kind.{period_kind}", lang)
        return i18n.t("leader.finding.change_missing", lang, current=i18n.format_period(current, lang), kind=kind)
    c = c.assign(_abs=c["change"].abs()).sort_values(["_abs", "section"], ascending=[False, True])
    top = c.iloc[0]
    if top["_abs"] < FLAT_CHANGE:
        return i18n.t("pack.finding.change_flat", lang, delta=_num("change", FLAT_CHANGE, lang))
    way = "up" if top["change"] > 0 else "down"
    if previous is not None:
        return i18n.t(f"leader.finding.change_{way}", lang, section=i18n.value_label(top["section"], lang),
                      previous=i18n.format_period(previous, lang), delta=_num("change", abs(top["change"]), lang))
    span = "quarter" if period_kind == "quarterly" else "year"
    return i18n.t(f"pack.finding.change_{way}_{span}", lang, section=i18n.value_label(top["section"], lang),
                  delta=_num("change", abs(top["change"]), lang))


def structure(summary: dict, lang: str) -> str:
    """Headcount, mean age, middle cadres and their mean age."""
    middle = summary.get("middle_cadres") or {}
    return i18n.t("pack.finding.structure", lang, headcount=summary.get("headcount", 0),
                  age=_num("mean_age", summary.get("mean_age"), lang), middle=middle.get("count", 0),
                  middle_age=_num("middle_mean_age", middle.get("mean_age"), lang))


def movements(summary: dict, lang: str) -> str:
    """The year's promotions, rotations, new middle cadres and head changes."""
    return i18n.t("pack.finding.movements", lang, year=summary["year"], promotions=summary["promotions"],
                  rotations=summary["rotations"], new_middle=summary["new_middle_cadres"],
                  changed=summary["sections_head_changed"], sections=summary["sections"])


def rotation(due: pd.DataFrame, years, lang: str, unknown: int = 0) -> str:
    """Who is due for rotation; ``unknown``: people in office whose date of
    the current post nobody gave. Missing dates are never read as "not due":
    with unknowns, "nobody is due" is not said, the unknown count is."""
    n = int(due["person_id"].nunique()) if len(due) else 0
    years_text = _num("rotation_years", float(years), lang)
    if unknown:
        key = "leader.finding.rotation_unknown" if n else "leader.finding.rotation_none_known"
        return i18n.t(key, lang, n=n, unknown=unknown, years=years_text)
    if not n:
        return i18n.t("pack.finding.rotation_none", lang, years=years_text)
    return i18n.t("pack.finding.rotation", lang, n=n, years=years_text)


def eligibility(eligible: pd.DataFrame, lang: str, unknown: int = 0) -> str:
    """``eligible``: the rows of timeline.eligibility() that pass every rule;
    ``unknown``: those who fail no known rule but lack a date to judge one."""
    n = int(len(eligible))
    if unknown:
        key = "leader.finding.eligibility_unknown" if n else "leader.finding.eligibility_none_known"
        return i18n.t(key, lang, n=n, unknown=unknown)
    if not n:
        return i18n.t("pack.finding.eligibility_none", lang)
    reserve = int(eligible["reserve"].fillna(False).astype(bool).sum()) if "reserve" in eligible.columns else 0
    return i18n.t("pack.finding.eligibility", lang, n=n, reserve=reserve)


def egalitarian(stats: pd.DataFrame, threshold: float, lang: str) -> str:
    flagged = stats.loc[stats["egalitarian"].fillna(False).astype(bool), "section"].tolist() if len(stats) else []
    if not flagged:
        return i18n.t("pack.finding.egalitarian_none", lang, threshold=_num("egalitarian_std", threshold, lang))
    return i18n.t("pack.finding.egalitarian", lang, sections=_names(flagged, lang), threshold=_num("egalitarian_std", threshold, lang))


def turn_taking(summary: pd.DataFrame, lang: str) -> str:
    flagged = summary.loc[summary["flagged"].fillna(False).astype(bool), "section"].tolist() if len(summary) else []
    if not flagged:
        return i18n.t("pack.finding.turn_taking_none", lang)
    return i18n.t("pack.finding.turn_taking", lang, sections=_names(flagged, lang))
