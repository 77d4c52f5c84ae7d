"""Every compared section side by side for a period: statistics with
confidence intervals, dimension heatmap, source gaps, trend and turn-taking
(the figures of the sections page), and which sections a chart draws."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre import scoring, store
from cadre.assessment import stored
from cadre.assessment.runner import compared_sections, list_periods
from cadre.assessment.scorer import PCT_COLUMNS, Scorer, scorer_for
from cadre.assessment.stats import t975
from cadre.settings import DIMENSIONS

SELF, DIRECTORS, PEER, PERFORMANCE = "科室自评", "主任室考评", "民主评议", "实绩考核"
TREND_QUARTERS = 8
CHART_SECTIONS = 5   # per-section charts of a large office: the top and bottom N by mean ...
CHART_ALL = 15       # ... once there are more sections than this (else every section)


@dataclass
class SectionComparison:
    period: str
    period_kind: str
    stats: pd.DataFrame        # section, n, mean, ci_low, ci_high, median, std, iqr, range, egalitarian, small
    heatmap: pd.DataFrame      # index section, columns 德能勤绩: mean share of maximum
    gaps: pd.DataFrame         # section, self_gap, peer_gap
    trend: pd.DataFrame        # section, period, period_end, mean, n
    turn_taking: pd.DataFrame  # section, index, awards, outside, flagged
    turn_detail: pd.DataFrame  # section, period, person_id, name, composite, section_rank, in_top, awarded
    people: pd.DataFrame       # scored people of the period in compared sections
    office_trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # period, period_end, mean, n (compared)


def section_comparison(con, settings: dict, period: str, scorer: Scorer | None = None,
                       periods: pd.DataFrame | None = None, sections: list | None = None) -> SectionComparison | None:
    """Every compared section side by side for ``period``; None when no data.
    ``scorer`` (optional) shares scored periods with other calls; ``periods``
    (period, period_kind, period_end of every period, as list_periods) and
    ``sections`` (compared_sections), when the caller has them already."""
    periods = list_periods(con) if periods is None else periods
    if period not in set(periods["period"]):
        return None
    end = scoring.period_end(period)
    ends = pd.to_datetime(periods["period_end"])
    quarters = periods[(periods["period_kind"] == "quarterly") & (ends <= end)] \
        .sort_values("period_end")["period"].tolist()[-TREND_QUARTERS:]
    annual = periods[(periods["period_kind"] == "annual") & (ends <= end)]["period"].tolist()
    scorer = scorer_for(con, settings, scorer)
    df = scorer.frames(sorted({period, *annual}))
    cur = df[df["period"] == period]
    if cur.empty:
        return None
    leader = settings["leadership_section"]
    in_compared = (cur["section"].notna() & (cur["section"] != leader)).to_numpy()
    # the figures below read a few columns of the compared rows; the people
    # (every column) are cut and put in order in one step
    compared = cur.loc[in_compared, ["section", *PCT_COLUMNS, *(c for c in cur.columns if c.startswith("composite_"))]]
    diff = scoring.differentiation(cur, settings)
    stats = diff.copy()
    half = t975(stats["n"] - 1) * stats["std"] / np.sqrt(stats["n"].astype(float))
    stats["ci_low"], stats["ci_high"] = stats["mean"] - half, stats["mean"] + half
    stats["small"] = stats["n"] < int(settings["min_section_n"])
    stats = stats[["section", "n", "mean", "ci_low", "ci_high", "median", "std", "iqr", "range",
                   "egalitarian", "small"]]
    heat = compared.groupby("section")[PCT_COLUMNS].mean()
    heat.columns = DIMENSIONS
    gaps = source_gaps(compared)
    trend, office_trend = quarter_trends(con, settings, scorer, quarters, leader)
    sections = compared_sections(con, settings) if sections is None else sections
    tt, detail = turn_taking_table(df[df["period"].isin(annual)], settings, period, sections)
    return SectionComparison(period=period, period_kind=str(cur["period_kind"].iloc[0]), stats=stats,
                             heatmap=heat, gaps=gaps, trend=trend, turn_taking=tt, turn_detail=detail,
                             people=_people_in_order(cur, in_compared), office_trend=office_trend)


def _people_in_order(cur: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The rows ``rows`` (a mask) of ``cur`` by section, section rank, then
    person: as ``sort_values`` would order them, with one take of the wide
    frame instead of a cut and a sort (a province's period is 300,000 rows
    of some thirty columns)."""
    at = np.flatnonzero(rows)
    rank = cur["section_rank"]
    if not pd.api.types.is_integer_dtype(rank.dtype) or isinstance(rank.dtype, pd.api.extensions.ExtensionDtype):
        return cur.iloc[at].sort_values(["section", "section_rank", "person_id"]).reset_index(drop=True)
    section = pd.factorize(cur["section"].iloc[at], sort=True)[0]
    person = pd.factorize(cur["person_id"].iloc[at], sort=True)[0]
    order = np.lexsort((person, rank.to_numpy()[at], section))
    return cur.take(at[order]).reset_index(drop=True)


def quarter_trends(con, settings: dict, scorer: Scorer, quarters: list[str], leader) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mean composite and its count per compared section and quarter
    (section, period, period_end, mean, n; by section then date) and for
    the compared sections together (period, period_end, mean, n; by date).
    Aggregated in the store when its scores are those of ``settings``
    (the quarters' rows are never read), else from the scored rows."""
    cols = ["section", "period", "period_end", "mean", "n"]
    if stored.current(con, settings):
        agg = store.frame(con, "scores_section_trend", periods=list(quarters), leader=leader)
        agg["n"] = agg["n"].astype("int64")
        office = agg["office"].astype(bool)
        trend = agg.loc[~office, cols]
        office_trend = agg.loc[office, cols[1:]]
    else:
        df = scorer.frames(quarters)
        tq = df[df["section"].notna() & (df["section"] != leader)]
        trend = tq.groupby(["section", "period"], as_index=False).agg(
            period_end=("period_end", "first"), mean=("composite", "mean"), n=("composite", "count"))
        office_trend = tq.groupby("period", as_index=False).agg(
            period_end=("period_end", "first"), mean=("composite", "mean"), n=("composite", "count"))
    trend = trend.sort_values(["section", "period_end"], kind="stable").reset_index(drop=True)
    office_trend = office_trend.sort_values("period_end", kind="stable").reset_index(drop=True)
    return trend, office_trend


def chart_sections(comparison: SectionComparison, picked: str | None = None, n: int = CHART_SECTIONS,
                   show_all: int = CHART_ALL) -> list[str] | None:
    """The sections a per-section chart draws, highest mean first; None when
    it draws every one (at most ``show_all`` sections). Otherwise the ``n``
    highest and ``n`` lowest by mean, every flagged section (egalitarian or
    turn-taking) and ``picked``."""
    stats = comparison.stats.sort_values(["mean", "section"], ascending=[False, True])
    if len(stats) <= show_all:
        return None
    tt = comparison.turn_taking
    keep = set(stats["section"].head(n)) | set(stats["section"].tail(n))
    keep |= set(stats.loc[stats["egalitarian"].astype(bool), "section"])
    keep |= set(tt.loc[tt["flagged"].astype(bool), "section"]) if len(tt) else set()
    if picked is not None:
        keep.add(picked)
    ordered = stats.loc[stats["section"].isin(keep), "section"].tolist()
    return ordered + sorted(keep - set(ordered))  # flagged sections not assessed this period last


def only_sections(frame: pd.DataFrame, sections: list[str] | None) -> pd.DataFrame:
    """``frame`` (a ``section`` column, or sections as the index) cut to
    ``sections``, in their order; the whole frame when None."""
    if sections is None:
        return frame
    if "section" in frame.columns:
        order = {s: i for i, s in enumerate(sections)}
        out = frame[frame["section"].isin(order)]
        return out.iloc[out["section"].map(order).argsort(kind="stable")].reset_index(drop=True)
    return frame.loc[[s for s in sections if s in frame.index]]


def source_gaps(people: pd.DataFrame) -> pd.DataFrame:
    """Per section, the mean over people with both sources of
    科室自评 − 主任室考评 (self_gap) and 民主评议 − 实绩考核 (peer_gap)."""
    def col(s):
        name = f"composite_{s}"
        return people[name] if name in people.columns else pd.Series(np.nan, index=people.index)
    frame = pd.DataFrame({"section": people["section"],
                          "self_gap": col(SELF) - col(DIRECTORS), "peer_gap": col(PEER) - col(PERFORMANCE)})
    return frame.groupby("section", as_index=False)[["self_gap", "peer_gap"]].mean()


def turn_taking_table(annual_scored: pd.DataFrame, settings: dict, period: str, sections: list):
    """scoring.turn_taking, one row per compared section (awards 0, index
    null where a section has no award), detail with names."""
    cols = ["section", "index", "awards", "outside", "flagged"]
    if annual_scored.empty:
        summary = pd.DataFrame(columns=cols)
        detail = pd.DataFrame(columns=["section", "period", "person_id", "name", "composite",
                                       "section_rank", "in_top", "awarded"])
    else:
        summary, detail = scoring.turn_taking(annual_scored, settings, up_to_period=period)
        names = annual_scored.drop_duplicates("person_id").set_index("person_id")["name"]
        detail = detail.copy()
        detail.insert(3, "name", detail["person_id"].map(names))
    all_sections = sorted(set(sections) | set(summary["section"]))
    summary = summary.set_index("section").reindex(all_sections)
    summary["awards"] = summary["awards"].fillna(0).astype("int64")
    summary["outside"] = summary["outside"].fillna(0).astype("int64")
    summary["flagged"] = summary["flagged"].fillna(False).astype(bool)
    summary["index"] = summary["index"].astype(float)
    return summary.reset_index()[cols], detail.reset_index(drop=True)

