"""The settings page's model: which settings it edits, in which groups, how
each is shown as an editable table or a set of numbers, and the validation of
edited values (problems as i18n keys, never exceptions).

No Streamlit here: the page renders what ``FIELDS`` describes and calls
``validate_group`` before ``cadre.store.put_settings``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from cadre import i18n
from cadre import settings as settings_mod


@dataclass(frozen=True)
class Field:
    """One setting on the page.

    kind: ``list`` (one column of text), ``text``, ``number``, ``mapping``
    (fixed keys -> number), ``record`` (named numbers), ``rules`` (promotion
    rules: one row per ladder step), ``bonus`` (pool + coefficients),
    ``flag`` (on / off), ``places`` (a whole number per rank of the ladder).
    """
    key: str
    kind: str
    integer: bool = False
    keys: tuple = field(default_factory=tuple)    # mapping: the fixed keys
    step: float = 0.01                            # number inputs' step


GROUPS: dict[str, list[Field]] = {
    "posts": [
        Field("office_name", "text"),
        Field("ladder", "list"),
        Field("leadership_section", "text"),
        Field("leadership_posts", "list"),
        Field("head_posts", "list"),
        Field("deputy_posts", "list"),
    ],
    "weights": [
        Field("dimension_weights", "mapping", keys=tuple(settings_mod.DIMENSIONS)),
        Field("source_weights", "mapping", keys=tuple(settings_mod.SOURCES)),
        Field("maxima", "mapping", keys=tuple(settings_mod.DIMENSIONS)),
    ],
    "grades": [
        Field("annual_grades", "record"),
        Field("quarterly_grades", "record"),
        Field("egalitarian_std", "number", step=0.1),
        Field("egalitarian_min_n", "number", integer=True, step=1),
        Field("turn_taking_share", "number", step=0.05),
        Field("turn_taking_min_awards", "number", integer=True, step=1),
        Field("min_section_n", "number", integer=True, step=1),
    ],
    "cadres": [
        Field("rotation_years", "number", step=0.5),
        Field("retirement_age", "mapping", keys=tuple(settings_mod.GENDERS), integer=True),
        Field("structure_targets", "record"),
        Field("talent_cut_points", "record"),
    ],
    "promotion": [
        Field("promotion_rules", "rules"),
        Field("rank_whole_months", "flag"),
        Field("rank_grade_adjust", "record"),
        Field("rank_places", "places", integer=True),
    ],
    "projection": [  # the workforce projection (队伍预测); retirement ages are under "cadres"
        Field("retirement_rise", "flag"),
    ],
    "bonus": [
        Field("bonus", "bonus"),
    ],
    "appraisal": [
        Field("appraisal_section_quota", "number", step=0.05),
        Field("commend_individuals", "record"),
        Field("commend_section_weights", "record"),
        Field("commend_sections_top", "number", integer=True, step=1),
    ],
    "store": [
        Field("undo_depth", "number", integer=True, step=1),
    ],
    "security": [
        Field("session_idle_minutes", "number", integer=True, step=1),
        Field("upload_limit_mb", "number", integer=True, step=1),
    ],
}

RULE_COLUMNS = ["min_years_in_rank", "min_years_service", "grade_years",
                "no_basic_in_years", "min_excellent", "education_floor"]


def group_keys(group: str) -> list[str]:
    return [f.key for f in GROUPS[group]]


def defaults_for(group: str) -> dict:
    """The contract's defaults of one group's settings."""
    d = settings_mod.defaults()
    return {k: d[k] for k in group_keys(group)}


# --------------------------------------------------------------------------- tables

def list_frame(values: list, column: str = "value") -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series([str(v) for v in values], dtype=object)})


def list_from_frame(frame: pd.DataFrame, column: str = "value") -> list[str]:
    """The non-blank entries of an edited one-column table, trimmed, in order."""
    col = frame[column].astype(object) if len(frame) else pd.Series([], dtype=object)
    return [str(v).strip() for v in col if v is not None and v == v and str(v).strip()]


def mapping_frame(values: dict, keys, labels=None) -> pd.DataFrame:
    """Fixed keys and their numbers; ``labels`` (shown, not edited) default to the keys."""
    keys = list(keys)
    return pd.DataFrame({"label": list(labels or keys),
                         "value": [float(values.get(k, 0.0)) for k in keys]})


def mapping_from_frame(frame: pd.DataFrame, keys, integer: bool = False) -> dict:
    """The edited numbers back under their keys (rows keep the keys' order)."""
    out = {}
    for k, v in zip(list(keys), frame["value"]):
        num = float(v) if v is not None and v == v else float("nan")
        out[str(k)] = int(round(num)) if integer and math.isfinite(num) else num
    return out


def rules_frame(rules: dict, ladder: list[str]) -> pd.DataFrame:
    """Promotion rules, one row per step above the lowest of ``ladder`` (a
    step without stored rules gets the rule-less row: all rules pass)."""
    rows = []
    for rank in ladder[1:]:
        r = rules.get(rank, {})
        rows.append({
            "rank": rank,
            "min_years_in_rank": float(r.get("min_years_in_rank", 0) or 0),
            "min_years_service": float(r.get("min_years_service", 0) or 0),
            "grade_years": int(r.get("grade_years", 0) or 0),
            "no_basic_in_years": bool(r.get("no_basic_in_years", False)),
            "min_excellent": int(r.get("min_excellent", 0) or 0),
            "education_floor": r.get("education_floor") or settings_mod.EDUCATIONS[-1],
        })
    return pd.DataFrame(rows, columns=["rank"] + RULE_COLUMNS)


def rules_from_frame(frame: pd.DataFrame) -> dict:
    out = {}
    for row in frame.to_dict("records"):
        rank = str(row["rank"]).strip()
        out[rank] = {
            "min_years_in_rank": _num(row["min_years_in_rank"]),
            "min_years_service": _num(row["min_years_service"]),
            "grade_years": _int(row["grade_years"]),
            "no_basic_in_years": bool(row["no_basic_in_years"]) if row["no_basic_in_years"] == row["no_basic_in_years"] else False,
            "min_excellent": _int(row["min_excellent"]),
            "education_floor": row["education_floor"] if isinstance(row["education_floor"], str) else None,
        }
    return out


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _int(v):
    x = _num(v)
    return int(round(x)) if math.isfinite(x) else x


# --------------------------------------------------------------------------- validation

Problem = tuple  # (i18n key, params dict)


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_list(key: str, values: list, problems: list) -> None:
    if not values:
        problems.append(("settings_page.err.list_empty", {"field": key}))
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        problems.append(("settings_page.err.list_duplicate", {"field": key, "values": tuple(dupes)}))


def _check_weights(key: str, values: dict, problems: list, positive: bool = False) -> None:
    bad = [k for k, v in values.items() if not _finite(v) or v < 0 or (positive and v <= 0)]
    if bad:
        problems.append(("settings_page.err.positive" if positive else "settings_page.err.negative",
                         {"field": key, "values": tuple(bad)}))
    elif not positive and sum(values.values()) <= 0:
        problems.append(("settings_page.err.sum_zero", {"field": key}))


def _check_range(key: str, value, low, high, problems: list, integer: bool = False) -> None:
    if not _finite(value) or value < low or value > high or (integer and value != int(value)):
        problems.append(("settings_page.err.range", {"field": key, "low": low, "high": high}))


def _check_ordered(key: str, values: dict, order: list[str], problems: list) -> None:
    """Floors low to high as ``order`` lists them, each within 0..100."""
    nums = [values.get(k) for k in order]
    if not all(_finite(v) and 0 <= v <= 100 for v in nums):
        problems.append(("settings_page.err.range", {"field": key, "low": 0, "high": 100}))
    elif any(a > b for a, b in zip(nums, nums[1:])):
        problems.append(("settings_page.err.floors_order", {"field": key}))


def validate(values: dict, current: dict) -> list[Problem]:
    """Problems with edited ``values`` (setting key -> value), judged against
    the other stored settings ``current`` (e.g. promotion rules against the
    ladder). An empty list means they may be saved."""
    problems: list[Problem] = []
    merged = {**current, **values}
    for key, value in values.items():
        if key in ("ladder", "leadership_posts", "head_posts", "deputy_posts"):
            _check_list(key, list(value), problems)
        elif key == "leadership_section":
            if not str(value or "").strip():
                problems.append(("settings_page.err.text_empty", {"field": key}))
        elif key in ("dimension_weights", "source_weights"):
            _check_weights(key, value, problems)
        elif key == "maxima":
            _check_weights(key, value, problems, positive=True)
        elif key == "annual_grades":
            _check_range(key + ".quota", value.get("quota"), 0, 1, problems)
            _check_ordered(key, value, ["basic_floor", "competent_floor", "top_floor"], problems)
        elif key == "quarterly_grades":
            _check_range(key + ".quota", value.get("quota"), 0, 1, problems)
            _check_ordered(key, value, ["fair_floor", "good_floor", "top_floor"], problems)
        elif key in ("egalitarian_std",):
            _check_range(key, value, 0, 100, problems)
        elif key in ("egalitarian_min_n", "turn_taking_min_awards", "min_section_n"):
            _check_range(key, value, 1, 1000, problems, integer=True)
        elif key == "turn_taking_share":
            _check_range(key, value, 0, 1, problems)
        elif key == "undo_depth":
            _check_range(key, value, 1, 100, problems, integer=True)
        elif key == "rotation_years":
            _check_range(key, value, 1, 30, problems)
        elif key == "retirement_age":
            for gender, age in value.items():
                _check_range(f"{key}.{gender}", age, 50, 70, problems, integer=True)
        elif key == "structure_targets":
            for name, share in value.items():
                _check_range(f"{key}.{name}", share, 0, 1, problems)
        elif key == "promotion_rules":
            _check_rules(value, list(merged.get("ladder", [])), problems)
        elif key == "session_idle_minutes":
            _check_range(key, value, 1, 24 * 60, problems, integer=True)
        elif key == "upload_limit_mb":
            _check_range(key, value, 1, 2048, problems, integer=True)
        elif key == "bonus":
            _check_range("bonus.pool", value.get("pool"), 0, 1e12, problems)
            _check_weights("bonus.coefficients", value.get("coefficients", {}), problems)
        elif key == "rank_grade_adjust":
            for name, years in value.items():
                _check_range(f"{key}.{name}", years, 0, 5, problems)
        elif key == "rank_places":
            for rank, n in value.items():
                _check_range(f"{key}.{rank}", n, 0, 100000, problems, integer=True)
        elif key == "appraisal_section_quota":
            _check_range(key, value, 0, 1, problems)
        elif key == "commend_individuals":
            _check_range(key + ".clean_years", value.get("clean_years"), 0, 10, problems, integer=True)
            _check_range(key + ".section_share", value.get("section_share"), 0, 1, problems)
            _check_range(key + ".places", value.get("places"), 0, 10000, problems, integer=True)
        elif key == "commend_section_weights":
            _check_weights(key, value, problems)
        elif key == "talent_cut_points":
            low, high = value.get("low"), value.get("high")
            if not all(_finite(v) and 0 < v < 1 for v in (low, high)):
                problems.append(("settings_page.err.range", {"field": key, "low": 0, "high": 1}))
            elif low >= high:
                problems.append(("settings_page.err.cut_points_order", {"field": key}))
        elif key == "commend_sections_top":
            _check_range(key, value, 0, 1000, problems, integer=True)
    if {"head_posts", "deputy_posts"} & values.keys():
        both = sorted(set(merged.get("head_posts", [])) & set(merged.get("deputy_posts", [])))
        if both:
            problems.append(("settings_page.err.posts_overlap", {"values": tuple(both)}))
    return problems


def _check_rules(rules: dict, ladder: list[str], problems: list) -> None:
    steps = ladder[1:]
    unknown = [r for r in rules if r not in steps]
    if unknown:
        problems.append(("settings_page.err.rules_orphaned", {"values": tuple(unknown)}))
    for rank, rule in rules.items():
        for col in ("min_years_in_rank", "min_years_service"):
            _check_range(f"{rank}.{col}", rule.get(col), 0, 40, problems)
        _check_range(f"{rank}.grade_years", rule.get("grade_years"), 0, 10, problems, integer=True)
        gy = rule.get("grade_years") if _finite(rule.get("grade_years")) else 0
        _check_range(f"{rank}.min_excellent", rule.get("min_excellent"), 0, max(gy, 0), problems, integer=True)
        if rule.get("education_floor") not in settings_mod.EDUCATIONS:
            problems.append(("settings_page.err.education", {"field": f"{rank}.education_floor"}))


def prepare(values: dict, current: dict) -> dict:
    """What saving ``values`` stores: a new ladder takes the promotion rules
    of its steps with it (steps added get the rule-less row, steps removed
    lose theirs), so the rules never name a rank off the ladder."""
    out = dict(values)
    if "ladder" in out and "promotion_rules" not in out and list(out["ladder"]) != list(current.get("ladder", [])):
        out["promotion_rules"] = adjust_rules_to_ladder(current.get("promotion_rules", {}), list(out["ladder"]))
    return out


def describe(problem: Problem, lang: str = "zh") -> str:
    """A problem as a sentence in ``lang``; its field named as the page names it."""
    key, params = problem
    params = dict(params)
    if "field" in params:
        params["field"] = field_label(params["field"], lang)
    if isinstance(params.get("values"), (list, tuple)):  # a list in the language's own way (「、」 / ", ")
        params["values"] = i18n.join((i18n.value_label(v, lang) for v in params["values"]), lang)
    return i18n.t(key, lang, **params)


def field_label(name: str, lang: str = "zh") -> str:
    """``annual_grades.quota`` -> "年度等次 · 优秀比例"; parts the catalogue does
    not know (a rank, a gender) through the vocabulary."""
    cat = i18n.catalogue(lang)
    if f"settings_page.field.{name}" in cat:
        return cat[f"settings_page.field.{name}"]
    parts = []
    for part in name.split("."):
        parts.append(cat.get(f"settings_page.field.{part}", i18n.value_label(part, lang)))
    return " · ".join(parts)


def adjust_rules_to_ladder(rules: dict, ladder: list[str]) -> dict:
    """The promotion rules kept for the steps of ``ladder`` (steps added get
    no rules, steps removed are dropped): what the page saves with a new ladder."""
    return {rank: rules[rank] for rank in ladder[1:] if rank in rules}
