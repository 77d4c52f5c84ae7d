"""Rank rules presets: the demo's 1990s ladder and today's 职务与职级并行
(2019) ladder, each a set of ordinary settings an office switches to and then
edits (docs/contract.md, "Rank rules presets").

A preset writes the settings it names (the ladder, the promotion rules, the
post-to-rank table of 任免审批表 files, the time-in-rank rules and 职数)
through ``store.put_settings``; everything that reads the settings
(eligibility, the reserve pool, the pipeline page, the appraisal meeting,
the projection) then follows it. No Streamlit here.
"""
from __future__ import annotations

import copy
import datetime as dt

import pandas as pd

from cadre import settings as settings_mod
from cadre.assessment import stored as stored_scores

# 职级 of the 2019 rules for the 综合管理类, from the lowest; an office edits it.
LADDER_2019 = ["二级科员", "一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员",
               "四级调研员", "三级调研员", "二级调研员", "一级调研员"]
# Years in the rank below each step needs, as commonly read from the 2019
# rules: 2 years, but 3 from 一级科员 to 四级主任科员.
YEARS_2019 = {rank: 2.0 for rank in LADDER_2019[1:]} | {"四级主任科员": 3.0}

# The rules the preset holds: years in rank only (rules_frame shows the
# rest as "no rule": 0 years of service, no grade window, the lowest education).
_RULE_NONE = {"min_years_service": 0.0, "grade_years": 0, "no_basic_in_years": False,
              "min_excellent": 0, "education_floor": settings_mod.EDUCATIONS[-1]}

PRESET_KEYS = ["ladder", "post_ranks", "promotion_rules", "rank_whole_months", "rank_grade_adjust",
               "rank_places"]


def _rank_2019() -> dict:
    return {
        "ladder": list(LADDER_2019),
        # a 任免审批表's 现任职务 names the 职级 itself ("综合科科长、四级主任科员",
        # "综合科一级科员"): every 职级 is its own rank, no post gives one
        "post_ranks": {"": {rank: rank for rank in LADDER_2019}},
        "promotion_rules": {rank: {"min_years_in_rank": years, **_RULE_NONE}
                            for rank, years in YEARS_2019.items()},
        "rank_whole_months": True,
        "rank_grade_adjust": {"excellent_shortens_years": 0.5, "basic_lengthens_years": 1.0},
        "rank_places": {},
    }


def _demo() -> dict:
    d = settings_mod.defaults()
    return {k: d[k] for k in PRESET_KEYS}


PRESETS = {"demo": _demo, "rank-2019": _rank_2019}


def preset(name: str) -> dict:
    """The settings of preset ``name`` (a fresh copy), ``rank_preset`` included."""
    if name not in PRESETS:
        raise KeyError(name)
    return {**copy.deepcopy(PRESETS[name]()), "rank_preset": name}


def use(con, name: str) -> dict:
    """Switch the store to preset ``name``; returns the settings written."""
    values = preset(name)
    stored_scores.save_settings(con, values)  # scores are rewritten only if a preset ever shapes them
    return values


def edited(settings: dict) -> bool:
    """Whether the settings in force differ from their preset's values (the office edited them)."""
    name = settings.get("rank_preset") or "demo"
    if name not in PRESETS:
        return True
    values = preset(name)
    return any(settings.get(k) != values[k] for k in PRESET_KEYS)


# ---------------------------------------------------------------- query parameters

def time_params(settings: dict) -> dict:
    """The time-in-rank and 职数 parameters of queries/pipeline_eligibility.sql."""
    adjust = settings.get("rank_grade_adjust") or {}
    places = {str(r): int(n) for r, n in (settings.get("rank_places") or {}).items()
              if n is not None and n == n and int(n) > 0}
    return {
        "whole_months": bool(settings.get("rank_whole_months", False)),
        "excellent_months": int(round(float(adjust.get("excellent_shortens_years", 0) or 0) * 12)),
        "basic_months": int(round(float(adjust.get("basic_lengthens_years", 0) or 0) * 12)),
        "places_rank": list(places), "places_n": list(places.values()),
    }


def months_in_rank(rank_since: pd.Series, date: dt.date) -> pd.Series:
    """Whole months from the month of ``rank_since`` to the month of ``date`` (vectorised)."""
    since = pd.to_datetime(rank_since)
    d = pd.Timestamp(date)
    return (d.year - since.dt.year) * 12 + (d.month - since.dt.month)


# ---------------------------------------------------------------- the CLI's eligibility

def eligibility_people(elig: pd.DataFrame) -> list[dict]:
    """``people`` of ``bash scripts/cadre eligibility --json``: one object per
    person in office (``timeline.eligibility``'s rows), JSON-safe."""
    out = []
    cols = ["person_id", "name", "section", "rank", "next_rank", "eligible", "blocking", "eligible_from"]
    for row in elig[cols].itertuples(index=False):
        frm = row.eligible_from
        out.append({
            "person_id": row.person_id, "name": row.name, "section": _text(row.section),
            "rank": _text(row.rank), "next_rank": _text(row.next_rank), "eligible": bool(row.eligible),
            "blocking": list(row.blocking),
            "eligible_from": None if frm is None or pd.isna(frm) else pd.Timestamp(frm).date().isoformat(),
        })
    return out


def _text(value):
    return None if value is None or (isinstance(value, float) and value != value) or value is pd.NA else str(value)
