"""Assessment analytics: distributions, section comparisons, person profiles
and the ``report`` command's figures.

The service layer between the store and the pages / CLI / exports: it loads a
period's rows through named queries (``queries/assessment_*.sql``), computes
every figure through ``cadre.scoring`` (the one scoring module) and shapes
the results. No Streamlit here; pages cache these results themselves.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre import i18n, scoring, store, timeline
from cadre.settings import DIM_COLUMNS, DIMENSIONS

SELF, DIRECTORS, PEER, PERFORMANCE = "科室自评", "主任室考评", "民主评议", "实绩考核"
PCT_COLUMNS = [f"{DIM_COLUMNS[d]}_pct" for d in DIMENSIONS]
TREND_QUARTERS = 8
CHART_SECTIONS = 5   # per-section charts of a large office: the top and bottom N by mean ...
CHART_ALL = 15       # ... once there are more sections than this (else every section)

# Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30; beyond, a
# Cornish-Fisher expansion around the normal quantile (error < 1e-4).
_T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
         2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]


def t975(df) -> np.ndarray:
    """t(0.975, df) elementwise; NaN where df < 1."""
    d = np.asarray(df, dtype=float)
    z = 1.959963984540054
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = (z + (z**3 + z) / (4 * d) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * d**2)
                  + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * d**3))
    table = np.asarray(_T975)
    idx = np.clip(np.nan_to_num(d, nan=1).astype(int), 1, 30) - 1
    out = np.where(d <= 30, table[idx], approx)
    return np.where(np.isfinite(d) & (d >= 1), out, np.nan)


# --------------------------------------------------------------------------- loading

def list_periods(con) -> pd.DataFrame:
    """Every period in the store, oldest first: period, period_kind,
    period_end, assessed, has_official."""
    return store.query(con, "assessment_periods")


def compared_sections(con, settings: dict) -> list[str]:
    """The sections pages compare (every section named, leadership excluded)."""
    return store.query(con, "frame_sections", leadership_section=settings["leadership_section"])["section"].tolist()


def fetch(con, name: str, **params) -> pd.DataFrame:
    """Run the named query and fetch it through Arrow (about twice as fast as
    DuckDB's ``.df()`` for the large assessment queries, whose strings land
    straight in pandas' Arrow string dtype).

    For this module's own queries, whose SQL casts every number to DOUBLE
    (Arrow would turn DECIMAL into Python objects and nullable integers into
    floats): dates arrive as datetime64 (``date_as_object=False``), stored at
    microsecond resolution as ``.df()`` gives them."""
    df = store.arrow(con, name, **params).to_pandas(date_as_object=False)
    for col in df.columns:
        if pd.api.types.is_datetime64_dtype(df[col]):
            df[col] = df[col].astype("datetime64[us]")
    return df


def load_rows(con, periods) -> pd.DataFrame:
    """The assessment rows of ``periods`` with name and the assessment's section."""
    return fetch(con, "assessment_rows", periods=[str(p) for p in periods])


def _empty_scored() -> pd.DataFrame:
    return pd.DataFrame(columns=["person_id", "name", "period", "period_kind", "period_end", "section",
                                 "grade", "composite", *PCT_COLUMNS, "rank", "section_rank",
                                 "computed_grade", "n_office", "n_section"])


class Scorer:
    """Scored periods through one cache of per-period frames.

    ``scoring.scored`` ranks and grades within each period, so a period's
    scored frame is the same whether it was scored alone or with others:
    the frames are computed once (missing periods in one batch) and kept in
    ``cache`` ({period: frame}), which a caller may share across calls and
    pages (``cadre.ui.cached`` keeps one per data version and settings).
    Without a cache, the frames live as long as the Scorer. Cached frames
    are shared: callers get new frames (concatenations or shallow copies,
    copy-on-write) and never change a cached one."""

    def __init__(self, con, settings: dict, cache: dict | None = None, lock=None):
        self.con, self.settings = con, settings
        self.cache = {} if cache is None else cache
        self.lock = lock

    def _fill(self, periods: list[str]) -> None:
        missing = [p for p in periods if p not in self.cache]
        if not missing:
            return
        batch = score_periods(self.con, self.settings, missing)
        for period, frame in batch.groupby("period", sort=False):
            self.cache[str(period)] = frame.reset_index(drop=True)
        for period in missing:
            self.cache.setdefault(period, None)  # no rows: remembered as such

    def frames(self, periods) -> pd.DataFrame:
        """score_periods(periods): one row per person and period, periods in
        the order asked (each period's rows in scoring order)."""
        periods = list(dict.fromkeys(str(p) for p in periods))
        if self.lock is not None:
            with self.lock:
                self._fill(periods)
        else:
            self._fill(periods)
        parts = [self.cache[p] for p in periods if self.cache.get(p) is not None]
        if not parts:
            return _empty_scored()
        if len(parts) == 1:
            return parts[0].copy(deep=False)
        return pd.concat(parts, ignore_index=True)


def _scorer(con, settings: dict, scorer: Scorer | None) -> Scorer:
    return scorer if scorer is not None else Scorer(con, settings)


def score_periods(con, settings: dict, periods) -> pd.DataFrame:
    """One row per person and period: scoring.scored() plus name, and
    n_office / n_section (how many were ranked with them)."""
    periods = [str(p) for p in periods]
    rows = load_rows(con, periods) if periods else pd.DataFrame()
    if rows.empty:
        return _empty_scored()
    df = scoring.scored(rows, settings)
    names = rows.drop_duplicates("person_id").set_index("person_id")["name"]
    df.insert(1, "name", df["person_id"].map(names))
    df["n_office"] = df.groupby("period")["composite"].transform("count").astype("int64")
    df["n_section"] = df.groupby(["period", "section"], dropna=False)["composite"].transform("count").astype("int64")
    return df


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


def _stats(values: pd.Series) -> dict:
    """n, mean, median, std (sample), iqr, range, min, max of a Series."""
    c = values.dropna().astype(float)
    n = int(c.size)
    if not n:
        return {"n": 0, "mean": None, "median": None, "std": None, "iqr": None, "range": None,
                "min": None, "max": None}
    return {"n": n, "mean": float(c.mean()), "median": float(c.median()),
            "std": float(c.std(ddof=1)) if n > 1 else None,
            "iqr": float(c.quantile(0.75) - c.quantile(0.25)),
            "range": float(c.max() - c.min()), "min": float(c.min()), "max": float(c.max())}


# --------------------------------------------------------------------------- distribution

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
    df = _scorer(con, settings, scorer).frames([period] + ([prev] if prev else []))
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
        period=period, period_kind=kind, section=section, people=people, stats=_stats(people["composite"]),
        egalitarian=egal, flagged_sections=diff.loc[diff["egalitarian"], "section"].tolist(),
        grades=grades, quota=quota, has_official=has_official, mismatches=mismatches,
        bands=grade_bands(kind, settings), previous_period=prev if len(previous) else None,
        previous=previous, previous_stats=_stats(previous["composite"]) if len(previous) else {},
    )


def dimension_long(people: pd.DataFrame) -> pd.DataFrame:
    """person_id, name, section, dimension (德…绩), pct (share of maximum, 0..100)."""
    cols = [c for c in PCT_COLUMNS if c in people.columns]
    long = people.melt(id_vars=["person_id", "name", "section"], value_vars=cols,
                       var_name="dimension", value_name="pct")
    long["dimension"] = long["dimension"].map({f"{DIM_COLUMNS[d]}_pct": d for d in DIMENSIONS})
    return long


# --------------------------------------------------------------------------- sections

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


def section_comparison(con, settings: dict, period: str, scorer: Scorer | None = None) -> SectionComparison | None:
    """Every compared section side by side for ``period``; None when no data.
    ``scorer`` (optional) shares scored periods with other calls."""
    periods = list_periods(con)
    if period not in set(periods["period"]):
        return None
    end = scoring.period_end(period)
    ends = pd.to_datetime(periods["period_end"])
    quarters = periods[(periods["period_kind"] == "quarterly") & (ends <= end)] \
        .sort_values("period_end")["period"].tolist()[-TREND_QUARTERS:]
    annual = periods[(periods["period_kind"] == "annual") & (ends <= end)]["period"].tolist()
    df = _scorer(con, settings, scorer).frames(sorted({period, *quarters, *annual}))
    cur = df[df["period"] == period]
    if cur.empty:
        return None
    leader = settings["leadership_section"]
    compared = cur[cur["section"].notna() & (cur["section"] != leader)]
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
    tq = df[df["period"].isin(quarters) & df["section"].notna() & (df["section"] != leader)]
    trend = tq.groupby(["section", "period"], as_index=False).agg(
        period_end=("period_end", "first"), mean=("composite", "mean"), n=("composite", "count"))
    trend = trend.sort_values(["section", "period_end"]).reset_index(drop=True)
    office_trend = tq.groupby("period", as_index=False).agg(
        period_end=("period_end", "first"), mean=("composite", "mean"), n=("composite", "count"))
    office_trend = office_trend.sort_values("period_end").reset_index(drop=True)
    tt, detail = _turn_taking(df[df["period"].isin(annual)], settings, period, compared_sections(con, settings))
    return SectionComparison(period=period, period_kind=str(cur["period_kind"].iloc[0]), stats=stats,
                             heatmap=heat, gaps=gaps, trend=trend, turn_taking=tt, turn_detail=detail,
                             people=compared.sort_values(["section", "section_rank", "person_id"])
                             .reset_index(drop=True), office_trend=office_trend)


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
    ordered = [s for s in stats["section"] if s in keep]
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


def _turn_taking(annual_scored: pd.DataFrame, settings: dict, period: str, sections: list):
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


# --------------------------------------------------------------------------- report (CLI)

def _num(x):
    """A plain JSON number: float, or None for NaN/None."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def period_report(con, period: str, scorer: Scorer | None = None, settings: dict | None = None) -> dict | None:
    """The ``report`` command's figures for ``period`` (None when it has no data).

    Covers everyone assessed, leadership included; ``sections`` lists the
    compared sections assessed in the period, ``turn_taking`` every compared
    section over the annual periods ending on or before the period's end.
    ``scorer`` (optional, with the store's settings) shares scored periods:
    the annual ones are scored once and serve every period's turn-taking."""
    if settings is None:
        settings = scorer.settings if scorer is not None else store.get_settings(con)
    periods = list_periods(con)
    if period not in set(periods["period"]):
        return None
    end = scoring.period_end(period)
    annual = periods[(periods["period_kind"] == "annual")
                     & (pd.to_datetime(periods["period_end"]) <= end)]["period"].tolist()
    df = _scorer(con, settings, scorer).frames(sorted({period, *annual}))
    cur = df[df["period"] == period]
    if cur.empty:
        return None
    kind = str(cur["period_kind"].iloc[0])
    summary = scoring.period_summary(cur, kind)
    diff = scoring.differentiation(cur, settings)
    tt, _ = _turn_taking(df[df["period"].isin(annual)], settings, period, compared_sections(con, settings))
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


# --------------------------------------------------------------------------- person

def search_people(con, text: str = "") -> pd.DataFrame:
    """Roster people whose id or name contains ``text``: person_id, name,
    section, position, rank, status, periods_assessed."""
    return store.query(con, "assessment_people", text=(text or "").strip())


@dataclass
class PersonProfile:
    person: dict                 # roster row
    history: pd.DataFrame        # one row per period assessed (scored, with ranks and n)
    by_source: pd.DataFrame      # period, period_end, period_kind, source, composite
    movements: pd.DataFrame      # the person's movements
    posts: pd.DataFrame          # section, position, start, end, years
    state: dict = field(default_factory=dict)  # section, position, rank, years_in_rank, years_in_post, as_of


def person_profile(con, settings: dict, person_id: str, scored_all: pd.DataFrame | None = None,
                   scorer: Scorer | None = None) -> PersonProfile | None:
    """A person's record over time; None when the id is not in the roster.

    Ranks are within the office and the section, so each period the person
    was assessed in is scored whole: through ``scorer`` (shared per-period
    frames) or, when given, from ``scored_all`` (score_periods over every
    period)."""
    roster = store.query(con, "assessment_person", person_id=person_id)
    if roster.empty:
        return None
    if scored_all is None:
        mine = store.query(con, "assessment_person_periods", person_id=person_id)["period"].tolist()
        scored_all = _scorer(con, settings, scorer).frames(mine)
    hist = scored_all[scored_all["person_id"] == person_id].sort_values(["period_end", "period_kind"])
    hist = hist.reset_index(drop=True)
    src_cols = [c for c in hist.columns if c.startswith("composite_")]
    by_source = hist[["period", "period_end", "period_kind", *src_cols]].melt(
        id_vars=["period", "period_end", "period_kind"], value_vars=src_cols,
        var_name="source", value_name="composite").dropna(subset=["composite"])
    by_source["source"] = by_source["source"].str.removeprefix("composite_")
    person = roster.iloc[0].to_dict()
    states = timeline.movement_states(con)
    moves = states[states["person_id"] == person_id].sort_values(["date", "seq"]).reset_index(drop=True)
    moves = moves[["date", "kind", "section_before", "section_after", "position_before", "position_after",
                   "rank_before", "rank_after", "is_promotion", "destination", "note"]]
    posts = _posts(moves, person)
    moves = moves.rename(columns={"section_before": "from_section", "section_after": "to_section",
                                  "position_before": "from_position", "position_after": "to_position",
                                  "rank_before": "from_rank", "rank_after": "to_rank"})
    state = _state_at(con, person_id)
    return PersonProfile(person=person, history=hist, by_source=by_source.reset_index(drop=True),
                         movements=moves, posts=posts, state=state)


def _posts(moves: pd.DataFrame, person: dict) -> pd.DataFrame:
    """Posts held (section, position) with start and end dates: a post starts
    at a movement that changes section or position (or an entry) and ends at
    the next such movement or an exit; with no movement, the roster's post."""
    cols = ["section", "position", "start", "end"]
    if moves.empty:
        return pd.DataFrame([{"section": person.get("section"), "position": person.get("position"),
                              "post_start": person.get("post_since"), "post_end": None}])
    m = moves.copy()
    exits = m["kind"].isin(["调出", "退休"])
    key = m["section_after"].astype(str) + "|" + m["position_after"].astype(str)
    change = (key.ne(key.shift()) | exits | exits.shift(fill_value=False))
    m = m[change].copy()
    m["start"], m["end"] = m["date"], m["date"].shift(-1)
    m = m[~m["kind"].isin(["调出", "退休"])]
    first = moves.iloc[0]
    if first["kind"] not in ("录用", "调入") and pd.notna(first["section_before"]):
        before = pd.DataFrame([{"section_after": first["section_before"], "position_after": first["position_before"],
                                "start": pd.NaT, "end": first["date"]}])
        m = pd.concat([before, m], ignore_index=True)
    out = m.rename(columns={"section_after": "section", "position_after": "position"})[cols]
    return out.rename(columns={"start": "post_start", "end": "post_end"}).reset_index(drop=True)


def _state_at(con, person_id: str) -> dict:
    """Section, position, rank and time in rank / post at the reference date."""
    st = timeline.state_at(con)
    row = st[st["person_id"] == person_id]
    if row.empty:
        return {}
    r = row.iloc[0]
    return {k: (None if pd.isna(r[k]) else r[k]) for k in
            ["as_of", "in_office", "section", "position", "rank", "rank_since", "post_since",
             "years_in_rank", "years_in_post", "age"]}


# --------------------------------------------------------------------------- tables

def people_table(people: pd.DataFrame) -> pd.DataFrame:
    """Scored people as a table: office rank, id, name, section, section rank,
    composite, computed and official grade (figures formatted by the page
    through ``cadre.figures``)."""
    out = people.rename(columns={"rank": "office_rank", "grade": "official_grade"})
    return (out[["office_rank", "person_id", "name", "section", "section_rank", "composite",
                        "computed_grade", "official_grade"]])


def grade_table(grades: pd.DataFrame) -> pd.DataFrame:
    """Grade counts as a table: grade, computed, official."""
    return grades.rename(columns={"computed": "computed_grade", "official": "official_grade"})


def section_table(stats: pd.DataFrame) -> pd.DataFrame:
    """Section statistics for display."""
    out = stats.rename(columns={"n": "assessed", "ci_low": "mean_ci_low", "ci_high": "mean_ci_high",
                                         "small": "small_n"})
    return out[["section", "assessed", "mean", "mean_ci_low", "mean_ci_high", "median", "std", "iqr", "range",
                "egalitarian", "small_n"]]


def person_periods_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A person's periods as a table: period, section, composite, ranks as
    'r / n' in the office and the section, computed and official grade."""
    out = pd.DataFrame({
        "period": [i18n.format_period(p, lang) for p in history["period"]],
        "section": history["section"],
        "composite": history["composite"],
        "office_rank": history["rank"].astype(str) + " / " + history["n_office"].astype(str),
        "section_rank": history["section_rank"].astype(str) + " / " + history["n_section"].astype(str),
        "computed_grade": history["computed_grade"],
        "official_grade": history["grade"],
    })
    return out.iloc[::-1].reset_index(drop=True)
