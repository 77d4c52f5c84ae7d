"""Page-facing shaping of the structure and pipeline figures.

The figures themselves come from ``cadre.timeline`` (SQL in ``queries/``);
this module adds what the pages need on top, without Streamlit:
the date and span choices, the structure scoped to a section or to the
middle-level cadres (the same queries over a filtered state), the
eligibility table with each blocking rule spelt out, and the year's
movement summary in the lines ``bash scripts/cadre movements`` prints.
"""
from __future__ import annotations

import datetime as dt
import string

import pandas as pd

from cadre import figures, i18n, masking, timeline
from cadre.charts.structure import OTHER_SECTIONS

TREND_METRICS = ["mean_age", "share_under_35", "bachelor_plus_share", "middle_under_40_share"]
# trend metric -> the structure_targets key drawn as its target line
TREND_TARGETS = {"bachelor_plus_share": "bachelor_or_above_share",
                 "middle_under_40_share": "middle_under_40_share"}


# ---------------------------------------------------------------- dates

def date_options(con) -> list[dt.date]:
    """The dates a page offers: the reference date (the data's latest date,
    first: the default), then the end of each earlier year in the data."""
    ref = timeline.reference_date(con)
    if ref is None:
        return []
    ends = [dt.date(y, 12, 31) for y in timeline.data_years(con)]
    return [ref] + sorted((d for d in ends if d < ref), reverse=True)


def span_options(con) -> tuple[list[int], int | None]:
    """The years a span can cover and the default: the latest full year
    (the latest year whose 31 December is on or before the reference date)."""
    ref = timeline.reference_date(con)
    years = timeline.data_years(con)
    if ref is None or not years:
        return [], None
    full = [y for y in years if dt.date(y, 12, 31) <= ref]
    return years, (full[-1] if full else years[-1])


def span_dates(start_year: int, end_year: int) -> tuple[dt.date, dt.date]:
    lo, hi = sorted((int(start_year), int(end_year)))
    return dt.date(lo, 1, 1), dt.date(hi, 12, 31)


# ---------------------------------------------------------------- structure

def structure_tables(con, settings: dict, date=None, section: str | None = None,
                     middle_only: bool = False,
                     state=None) -> dict[str, pd.DataFrame]:
    """``timeline.structure_tables`` for everyone in office, or only those of
    ``section``, or only the middle-level cadres; with ``headline`` (one row:
    headcount, mean age, share under 35, share 大学本科+, middle cadres and
    their share under 40, women, as_of)."""
    return timeline.structure_tables(con, settings, date, timeline.STRUCTURE_TABLES + ("headline",),
                                     section=section, middle_only=middle_only,
                                     state=state)


def structure_trend(con, settings: dict, section: str | None = None) -> pd.DataFrame:
    """``timeline.structure_trend`` (year ends, with target columns), for the
    office or for one section."""
    return timeline.structure_trend(con, settings, section)


def target_gap(trend: pd.DataFrame, metric: str) -> float | None:
    """The latest year's value minus its target (None without a target or value)."""
    col = f"target_{metric}"
    if col not in trend.columns or not len(trend):
        return None
    last = trend.dropna(subset=[metric]).tail(1)
    if not len(last) or pd.isna(last[col].iloc[0]):
        return None
    return float(last[metric].iloc[0] - last[col].iloc[0])


# ---------------------------------------------------------------- eligibility

def vformat(template: str, **columns) -> pd.Series:
    """``template.format(**row)`` for every row, vectorised: the template is
    cut into literal text and fields, and the columns (strings) concatenated."""
    index = next(iter(columns.values())).index
    out = pd.Series("", index=index, dtype="string")
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if name:
            out = out + columns[name].astype("string").fillna("—")
    return out


def _years_text(key: str, series: pd.Series, lang: str) -> pd.Series:
    """Years of a rule's text as the registry figure ``key`` shows them ("—" stays for the unknown)."""
    return figures.texts(key, series.astype(float), lang)


def eligibility_table(con, settings: dict, date=None, section: str | None = None, lang: str = "zh",
                      state=None) -> pd.DataFrame:
    """``timeline.eligibility`` with the rule thresholds of each person's next
    step and ``blocking_text``: each failed rule spelt out with the person's
    figure and the rule's (e.g. "任现职级 1.2 年,需 2 年"), joined by "; "."""
    s = settings
    elig = timeline.eligibility(con, s, date, state=state)
    if section is not None:
        elig = elig[elig["section"] == section].reset_index(drop=True)
    rules = pd.DataFrame.from_dict(s.get("promotion_rules") or {}, orient="index")
    rules = rules.reindex(columns=settings_form_rule_columns()).rename_axis("next_rank").reset_index()
    rules = rules.add_prefix("rule_").rename(columns={"rule_next_rank": "next_rank"})
    out = elig.merge(rules, on="next_rank", how="left")
    texts = {
        "min_years_in_rank": vformat(i18n.t("structure.block.min_years_in_rank", lang),
                                     have=_years_text("years_in_rank", out["years_in_rank"], lang),
                                     need=_years_text("rule_years", out["rule_min_years_in_rank"], lang)),
        "min_years_service": vformat(i18n.t("structure.block.min_years_service", lang),
                                     have=_years_text("service_years", out["service_years"], lang),
                                     need=_years_text("rule_years", out["rule_min_years_service"], lang)),
        "no_basic_in_years": vformat(i18n.t("structure.block.no_basic_in_years", lang),
                                     years=_years_text("rule_years", out["rule_grade_years"], lang),
                                     n=out["basic_or_below"].astype("string")),
        "min_excellent": vformat(i18n.t("structure.block.min_excellent", lang),
                                 years=_years_text("rule_years", out["rule_grade_years"], lang),
                                 have=out["excellent"].astype("string"),
                                 need=_years_text("rule_count", out["rule_min_excellent"], lang)),
        "education_floor": vformat(i18n.t("structure.block.education_floor", lang),
                                   have=out["education"].map(lambda v: i18n.value_label(v, lang)),
                                   need=out["rule_education_floor"].map(lambda v: i18n.value_label(v, lang),
                                                                        na_action="ignore")),
        # 职数: the rank's places are taken; eligible by every rule, the person waits
        "rank_places": pd.Series(i18n.t("foresight.block.rank_places", lang), index=out.index, dtype="string"),
    }
    parts = pd.DataFrame({rule: texts[rule].where(~out[f"pass_{rule_pass(rule)}"].astype(bool), "")
                          for rule in texts})
    # A rule whose date nobody gave is unknown, not failed: say which date is missing.
    for rule in ("min_years_in_rank", "min_years_service"):
        unknown = out[f"unknown_{rule_pass(rule)}"].fillna(False).astype(bool)
        parts[rule] = parts[rule].where(~unknown, i18n.t(f"leader.unknown.{rule}", lang))
    sep = i18n.t("leader.unknown.sep", lang)  # "；" in Chinese text, "; " in English
    joined = parts.apply(lambda col: col.where(col == "", col + sep))  # per column, vectorised
    text = joined.sum(axis=1).astype("string").str.rstrip(sep)
    at_top = out["next_rank"].isna()
    out["blocking_text"] = text.where(~at_top, i18n.t("structure.block.no_next_rank", lang))
    out["blocking_count"] = out["blocking"].map(len)
    return out


def rule_pass(rule: str) -> str:
    """The suffix of the eligibility query's ``pass_*`` column of a rule."""
    return {"min_years_in_rank": "years_in_rank", "min_years_service": "years_service",
            "no_basic_in_years": "no_basic", "min_excellent": "excellent",
            "education_floor": "education", "rank_places": "places"}[rule]


def settings_form_rule_columns() -> list[str]:
    return ["min_years_in_rank", "min_years_service", "grade_years",
            "no_basic_in_years", "min_excellent", "education_floor"]


def pipeline_by_step(elig: pd.DataFrame, ladder: list[str]) -> pd.DataFrame:
    """Per next step: people whose next step it is, how many meet every rule,
    how many are in the reserve pool, and how many of the reserve meet them;
    and the rule that holds back the most (``top_blocker``)."""
    has_next = elig[elig["next_rank"].notna()].assign(
        eligible=lambda f: f["eligible"].astype(bool), reserve=lambda f: f["reserve"].astype(bool))
    has_next = has_next.assign(reserve_eligible=has_next["eligible"] & has_next["reserve"])
    g = has_next.groupby("next_rank")
    out = pd.DataFrame({
        "candidates": g.size(),
        "eligible": g["eligible"].sum(),
        "reserve": g["reserve"].sum(),
        "reserve_eligible": g["reserve_eligible"].sum(),
    }).reindex([r for r in ladder[1:]]).fillna(0).astype(int)
    exploded = has_next[["next_rank", "blocking"]].explode("blocking").dropna()
    top = exploded.groupby("next_rank")["blocking"].agg(lambda b: b.value_counts().index[0]) if len(exploded) else pd.Series(dtype=object)
    out["top_blocker"] = top.reindex(out.index)
    return out.rename_axis("next_rank").reset_index()


# ---------------------------------------------------------------- other pipeline views

def scoped(frame: pd.DataFrame, section: str | None, column: str = "section") -> pd.DataFrame:
    """Rows of ``section`` only (all when None)."""
    if section is None:
        return frame
    return frame[frame[column] == section].reset_index(drop=True)


# The exchange matrix shows at most this many sections; the rest are summed
# into one "other" row and column (OTHER_SECTIONS).
EXCHANGE_TOP = 20


def exchange_pivot(exchange: pd.DataFrame, sections: list[str] | None = None,
                   top: int | None = EXCHANGE_TOP) -> pd.DataFrame:
    """The exchange as a square matrix (rows from, columns to, zeros filled)
    over the sections that exchanged anyone: the ``top`` of them by volume
    (people out plus in; ties by name), in the order of ``sections`` then by
    name, and, when there are more, an ``OTHER_SECTIONS`` row and column
    summing the rest. ``attrs``: ``shown`` (sections shown by name),
    ``others`` (sections summed), ``other_moves`` (moves from or to them)."""
    ex = exchange[exchange["n"] > 0] if len(exchange) else exchange
    if not len(ex):
        return pd.DataFrame()
    n = ex["n"].astype(int)
    volume = pd.concat([n.groupby(ex["from_section"]).sum(), n.groupby(ex["to_section"]).sum()])
    volume = volume.groupby(level=0).sum()
    ranked = volume.rename_axis("section").reset_index(name="v").sort_values(
        ["v", "section"], ascending=[False, True])["section"].tolist()
    keep = set(ranked if top is None else ranked[:top])
    order = [s for s in dict.fromkeys(sections or []) if s in keep]
    order += sorted(keep.difference(order))
    folded = len(ranked) - len(keep)
    frm = ex["from_section"].where(ex["from_section"].isin(keep), OTHER_SECTIONS)
    to = ex["to_section"].where(ex["to_section"].isin(keep), OTHER_SECTIONS)
    if folded:
        order.append(OTHER_SECTIONS)
    pivot = n.groupby([frm, to]).sum().unstack(fill_value=0)
    pivot = pivot.reindex(index=order, columns=order, fill_value=0).fillna(0).astype(int)
    pivot.index.name, pivot.columns.name = "from_section", "to_section"
    outside = ~(ex["from_section"].isin(keep) & ex["to_section"].isin(keep))
    pivot.attrs.update(shown=len(keep), others=folded, other_moves=int(n[outside].sum()))
    return pivot


def movement_table(summary: dict, lang: str = "zh") -> pd.DataFrame:
    """The year's movement summary as a two-column table (item, count): the
    same keys, order, labels and values as ``cli_text.movement_lines``, for
    the page (labels and values through the figures registry)."""
    items, values = [], []
    for key, value in summary.items():
        if key == "year":
            continue
        if isinstance(value, dict):
            value = i18n.t("leader.list_sep", lang).join(
                f"{i18n.value_label(k, lang)} {figures.value(key, v, lang)}"
                for k, v in value.items()) or "—"
        else:
            value = figures.value(key, value, lang)
        items.append(figures.label(key, lang))
        values.append(str(value))
    return pd.DataFrame({"item": items, "count": values})


def time_in_rank_steps(rows: pd.DataFrame, ladder: list[str]) -> pd.DataFrame:
    """Promotions with a ``step`` label ("科员→副股级") in ladder order."""
    out = rows.copy()
    out["step"] = out["from_rank"].astype("string").fillna("?") + "→" + out["to_rank"].astype("string")
    order = {r: i for i, r in enumerate(ladder)}
    out["_order"] = out["to_rank"].map(order).fillna(len(ladder))
    return out.sort_values(["_order", "from_rank", "date"]).drop(columns="_order").reset_index(drop=True)


# ---------------------------------------------------------------- tables for display (figures formatted through cadre.figures)

def echelon_gaps(age_rank: pd.DataFrame, ladder: list[str], young_below: int = 40) -> list[str]:
    """Ranks of the ladder held by someone but by nobody in an age band that
    starts below ``young_below`` (no younger tier behind them)."""
    lows = dict(zip(age_rank["band"], timeline.band_lows(list(age_rank["band"]))))
    frame = age_rank.assign(young=age_rank["band"].map(lows) < young_below)
    held = frame.groupby("rank")["n"].sum()
    young = frame[frame["young"]].groupby("rank")["n"].sum().reindex(held.index, fill_value=0)
    return [r for r in ladder if held.get(r, 0) > 0 and young.get(r, 0) == 0]


def section_table(by_section: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "headcount", "women", "mean_age", "middle_count", "bachelor_plus_share"]
    return by_section[cols]


def middle_table(middle: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "position", "name", "gender", "age", "education", "rank",
            "years_in_rank", "years_in_post", "reserve"]
    return middle[cols]


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "headcount", "mean_age", "share_under_35", "bachelor_plus_share",
            "middle_count", "middle_under_40_share"]
    return trend[cols]


def eligibility_display(elig: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "name", "position", "rank", "next_rank", "years_in_rank", "service_years",
            "excellent", "education", "reserve", "eligible", "blocking_text"]
    return elig[cols]


def succession_display(succ: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "risk", "head_name", "head_age", "head_rank", "years_to_retirement",
            "deputies", "eligible_deputies"]
    return succ[cols]  # a row per section: its head's name is head_name (masked like a name), not a list of people


def rotation_display(due: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "name", "position", "rank", "post_since", "years_in_post"]
    out = due[cols].copy()
    out["post_since"] = pd.to_datetime(out["post_since"]).dt.date
    return out


def time_in_rank_display(summary: pd.DataFrame) -> pd.DataFrame:
    cols = ["from_rank", "to_rank", "promotions", "known", "median_years", "q1_years", "q3_years",
            "min_years", "max_years"]
    return summary[cols]


def eligibility_filter(elig: pd.DataFrame, which: str) -> pd.DataFrame:
    """``eligible``: meet every rule of their next step; ``blocked``: have a
    next step but fail a rule; ``all``."""
    ok = elig["eligible"].astype(bool)
    unknown = elig["undetermined"].fillna(False).astype(bool) if "undetermined" in elig else ~ok & False
    if which == "eligible":
        return elig[ok]
    if which == "unknown":
        return elig[unknown]
    if which == "blocked":
        return elig[~ok & ~unknown & elig["next_rank"].notna()]
    return elig


def tenure_note(elig: pd.DataFrame, unknown: pd.DataFrame, rotation_years, lang: str) -> str | None:
    """What the page cannot judge for lack of dates, in words (None: nothing):
    how many may be eligible but lack 任现职级时间 / 参加工作时间, and how
    many lack 任现岗位时间 for the rotation check. ``unknown``: rows of
    timeline.tenure_unknown() in the same scope."""
    undetermined = int(elig["undetermined"].fillna(False).astype(bool).sum()) if len(elig) else 0
    post = int(unknown["post_unknown"].astype(bool).sum()) if len(unknown) else 0
    parts = []
    if undetermined:
        parts.append(i18n.t("leader.unknown.eligibility", lang, n=undetermined))
    if post:
        parts.append(i18n.t("leader.unknown.rotation", lang, n=post,
                            years=figures.value("rotation_years", rotation_years, lang)))
    return i18n.t("leader.unknown.sep", lang).join(parts) if parts else None


def masked_names(names: pd.Series, mask: bool) -> pd.Series:
    """Names for a chart label or hover: masked (张*明) when ``mask``."""
    return masking.mask_series(names) if mask else names
