"""Page-facing shaping of the structure and pipeline figures.

The figures themselves come from ``cadre.timeline`` (SQL in ``queries/``);
this module adds what the pages need on top, without Streamlit:
the date and span choices, the structure scoped to a section or to the
middle-level cadres (the same queries over a filtered state), the
eligibility table with each blocking rule spelt out, and the year's
movement summary in the lines ``python -m cadre movements`` prints.
"""
from __future__ import annotations

import datetime as dt
import string

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cadre import i18n, masking, store, timeline
from cadre import settings as settings_mod

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

def _filtered_state(con, date: dt.date, s: dict, section: str | None, middle_only: bool):
    state = timeline._state_table(con, date, s)
    if section is not None:
        state = state.filter(pc.equal(state["section"], section))
    if middle_only:
        state = state.filter(state["is_middle"])
    return state


def structure_tables(con, date=None, section: str | None = None,
                     middle_only: bool = False) -> dict[str, pd.DataFrame]:
    """``timeline.structure_tables`` for everyone in office, or only those of
    ``section``, or only the middle-level cadres; plus ``headline`` (one row:
    headcount, mean age, share under 35, share 大学本科+, middle cadres and
    their share under 40, women)."""
    s = store.get_settings(con)
    d = timeline._resolve_date(con, date)
    state = _filtered_state(con, d, s, section, middle_only)
    frames = {"person_state": state}
    bands = timeline._band_params(s)
    run = timeline._run
    df = timeline._df
    out = {
        "age_gender": df(run(con, "structure_age_gender", frames, genders=settings_mod.GENDERS, **bands)),
        "age_rank": df(run(con, "structure_age_rank", frames, ladder=list(s["ladder"]), **bands)),
        "education_mode": df(run(con, "structure_education_mode", frames,
                                 educations=settings_mod.EDUCATIONS, modes=settings_mod.EDUCATION_MODES)),
        "political": df(run(con, "structure_political", frames, statuses=settings_mod.POLITICAL_STATUSES)),
        "service_years": df(run(con, "structure_service_years", frames,
                                band_labels=timeline.SERVICE_BANDS, band_lows=timeline.SERVICE_BAND_LOWS)),
        "by_section": df(run(con, "structure_by_section", frames, bachelor_plus=timeline._bachelor_plus(),
                             leadership=s["leadership_section"])),
        "middle_cadres": df(run(con, "structure_middle_cadres", frames)),
        "headline": df(run(con, "views_structure_headline", frames, bachelor_plus=timeline._bachelor_plus())),
    }
    out["headline"]["as_of"] = pd.Timestamp(d)
    return out


def structure_trend(con, section: str | None = None) -> pd.DataFrame:
    """``timeline.structure_trend`` (year ends, with target columns), for the
    office or for one section."""
    if section is None:
        return timeline.structure_trend(con)
    s = store.get_settings(con)
    years = timeline.data_years(con)
    if not years:
        return timeline.structure_trend(con)
    series = pa.concat_tables([_filtered_state(con, dt.date(y, 12, 31), s, section, False) for y in years])
    trend = timeline._df(timeline._run(con, "structure_trend", {"state_series": series},
                                       bachelor_plus=timeline._bachelor_plus()))
    trend["as_of"] = pd.to_datetime(trend["as_of"])
    frame = pd.DataFrame({"year": years, "as_of": pd.to_datetime([dt.date(y, 12, 31) for y in years])})
    frame["as_of"] = frame["as_of"].astype(trend["as_of"].dtype) if len(trend) else frame["as_of"]
    out = frame.merge(trend, on="as_of", how="left")
    out["headcount"] = out["headcount"].fillna(0).astype(int)
    out["middle_count"] = out["middle_count"].fillna(0).astype(int)
    targets = s.get("structure_targets") or {}
    out["target_bachelor_plus_share"] = targets.get("bachelor_or_above_share")
    out["target_middle_under_40_share"] = targets.get("middle_under_40_share")
    return out


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


def _years_text(series: pd.Series) -> pd.Series:
    return series.astype(float).round(1).map("{:g}".format, na_action="ignore").astype("string")


def eligibility_table(con, date=None, section: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """``timeline.eligibility`` with the rule thresholds of each person's next
    step and ``blocking_text``: each failed rule spelt out with the person's
    figure and the rule's (e.g. "任现职级 1.2 年,需 2 年"), joined by "; "."""
    s = store.get_settings(con)
    elig = timeline.eligibility(con, date)
    if section is not None:
        elig = elig[elig["section"] == section].reset_index(drop=True)
    rules = pd.DataFrame.from_dict(s.get("promotion_rules") or {}, orient="index")
    rules = rules.reindex(columns=settings_form_rule_columns()).rename_axis("next_rank").reset_index()
    rules = rules.add_prefix("rule_").rename(columns={"rule_next_rank": "next_rank"})
    out = elig.merge(rules, on="next_rank", how="left")
    texts = {
        "min_years_in_rank": vformat(i18n.t("structure.block.min_years_in_rank", lang),
                                     have=_years_text(out["years_in_rank"]),
                                     need=_years_text(out["rule_min_years_in_rank"])),
        "min_years_service": vformat(i18n.t("structure.block.min_years_service", lang),
                                     have=_years_text(out["service_years"]),
                                     need=_years_text(out["rule_min_years_service"])),
        "no_basic_in_years": vformat(i18n.t("structure.block.no_basic_in_years", lang),
                                     years=_years_text(out["rule_grade_years"]),
                                     n=out["basic_or_below"].astype("string")),
        "min_excellent": vformat(i18n.t("structure.block.min_excellent", lang),
                                 years=_years_text(out["rule_grade_years"]),
                                 have=out["excellent"].astype("string"),
                                 need=_years_text(out["rule_min_excellent"])),
        "education_floor": vformat(i18n.t("structure.block.education_floor", lang),
                                   have=out["education"].map(lambda v: i18n.value_label(v, lang)),
                                   need=out["rule_education_floor"].map(lambda v: i18n.value_label(v, lang),
                                                                        na_action="ignore")),
    }
    parts = pd.DataFrame({rule: texts[rule].where(~out[f"pass_{rule_pass(rule)}"].astype(bool), "")
                          for rule in texts})
    joined = parts.apply(lambda col: col.where(col == "", col + "; "))  # per column, vectorised
    text = joined.sum(axis=1).astype("string").str.rstrip("; ")
    at_top = out["next_rank"].isna()
    out["blocking_text"] = text.where(~at_top, i18n.t("structure.block.no_next_rank", lang))
    out["blocking_count"] = out["blocking"].map(len)
    return out


def rule_pass(rule: str) -> str:
    """The suffix of the eligibility query's ``pass_*`` column of a rule."""
    return {"min_years_in_rank": "years_in_rank", "min_years_service": "years_service",
            "no_basic_in_years": "no_basic", "min_excellent": "excellent",
            "education_floor": "education"}[rule]


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


def exchange_pivot(exchange: pd.DataFrame, sections: list[str] | None = None) -> pd.DataFrame:
    """The exchange as a square matrix: rows from, columns to, zeros filled,
    over ``sections`` (default: every section named) in order."""
    named = sorted(set(exchange["from_section"]).union(exchange["to_section"])) if len(exchange) else []
    order = list(sections or []) + [s for s in named if s not in (sections or [])]
    if not order:
        return pd.DataFrame()
    pivot = exchange.pivot_table(index="from_section", columns="to_section", values="n",
                                 aggfunc="sum", fill_value=0)
    return pivot.reindex(index=order, columns=order, fill_value=0).fillna(0).astype(int)


def movement_lines(summary: dict, lang: str = "zh") -> list[str]:
    """The year's movement summary exactly as ``python -m cadre movements
    --year Y`` prints it (same keys, same order, same words)."""
    lines = [i18n.t("cli.movements_title", lang, year=summary["year"])]
    for key, value in summary.items():
        if key == "year":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{i18n.value_label(k, lang)} {v}" for k, v in value.items()) or "—"
        lines.append(f"  {i18n.t('cli.key.' + key, lang)}: {value}")
    return lines


def time_in_rank_steps(rows: pd.DataFrame, ladder: list[str]) -> pd.DataFrame:
    """Promotions with a ``step`` label ("科员→副股级") in ladder order."""
    out = rows.copy()
    out["step"] = out["from_rank"].astype("string").fillna("?") + "→" + out["to_rank"].astype("string")
    order = {r: i for i, r in enumerate(ladder)}
    out["_order"] = out["to_rank"].map(order).fillna(len(ladder))
    return out.sort_values(["_order", "from_rank", "date"]).drop(columns="_order").reset_index(drop=True)


# ---------------------------------------------------------------- tables for display

def echelon_gaps(age_rank: pd.DataFrame, ladder: list[str], young_below: int = 40) -> list[str]:
    """Ranks of the ladder held by someone but by nobody in an age band that
    starts below ``young_below`` (no younger tier behind them)."""
    lows = dict(zip(age_rank["band"], timeline._band_lows(list(age_rank["band"]))))
    frame = age_rank.assign(young=age_rank["band"].map(lows) < young_below)
    held = frame.groupby("rank")["n"].sum()
    young = frame[frame["young"]].groupby("rank")["n"].sum().reindex(held.index, fill_value=0)
    return [r for r in ladder if held.get(r, 0) > 0 and young.get(r, 0) == 0]


def _round(frame: pd.DataFrame, cols, digits=1) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out.columns:
            out[c] = out[c].astype(float).round(digits)
    return out


def _percent(frame: pd.DataFrame, cols) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out.columns:
            out[c] = (out[c].astype(float) * 100).round(0)
    return out


def section_table(by_section: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "headcount", "women", "mean_age", "middle_count", "bachelor_plus_share"]
    return _percent(_round(by_section[cols], ["mean_age"]), ["bachelor_plus_share"])


def middle_table(middle: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "position", "name", "gender", "age", "education", "rank",
            "years_in_rank", "years_in_post", "reserve"]
    return _round(middle[cols], ["years_in_rank", "years_in_post"])


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "headcount", "mean_age", "share_under_35", "bachelor_plus_share",
            "middle_count", "middle_under_40_share"]
    return _percent(_round(trend[cols], ["mean_age"]),
                    ["share_under_35", "bachelor_plus_share", "middle_under_40_share"])


def eligibility_display(elig: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "name", "position", "rank", "next_rank", "years_in_rank", "service_years",
            "excellent", "education", "reserve", "eligible", "blocking_text"]
    return _round(elig[cols], ["years_in_rank", "service_years"])


def succession_display(succ: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "risk", "head_name", "head_age", "head_rank", "years_to_retirement",
            "deputies", "eligible_deputies"]
    return _round(succ[cols].rename(columns={"head_name": "name"}), ["years_to_retirement"])


def rotation_display(due: pd.DataFrame) -> pd.DataFrame:
    cols = ["section", "name", "position", "rank", "post_since", "years_in_post"]
    out = _round(due[cols], ["years_in_post"])
    out["post_since"] = pd.to_datetime(out["post_since"]).dt.date
    return out


def time_in_rank_display(summary: pd.DataFrame) -> pd.DataFrame:
    cols = ["from_rank", "to_rank", "promotions", "known", "median_years", "q1_years", "q3_years",
            "min_years", "max_years"]
    return _round(summary[cols], cols[4:])


def eligibility_filter(elig: pd.DataFrame, which: str) -> pd.DataFrame:
    """``eligible``: meet every rule of their next step; ``blocked``: have a
    next step but fail a rule; ``all``."""
    ok = elig["eligible"].astype(bool)
    if which == "eligible":
        return elig[ok]
    if which == "blocked":
        return elig[~ok & elig["next_rank"].notna()]
    return elig


def masked_names(names: pd.Series, mask: bool) -> pd.Series:
    """Names for a chart label or hover: masked (张*明) when ``mask``."""
    return masking.mask_series(names) if mask else names
