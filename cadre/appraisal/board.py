"""The meeting's board: everyone in the session with the grade they hold now,
and the live guides on those proposed grades (pure, no store, no Streamlit).

Every figure reuses the one implementation the rest of the product uses:
composites, ranks and computed grades from ``cadre.scoring`` (through the
scored frames of ``cadre.assessment``), differentiation (平均主义) and
turn-taking (轮流坐庄) from ``cadre.scoring``, stability bands from
``cadre.whatif``. The guides:

- quota: at most ``scoring.quota_places(quota, n)`` top grades office-wide
  (``floor(quota · n)``, the data contract's rule for the computed grades,
  so the meeting and the distribution page give one limit; n = those in the
  session with a composite), and per section
  ``scoring.quota_places(share, n_section)`` when the setting
  ``appraisal_section_quota`` is above 0;
- floor: a top grade below the top grade's floor (优秀 under 85) is listed;
- 平均主义: a compared section flagged egalitarian on its composites whose
  proposed grades are all the same (the meeting did not separate anyone);
- 轮流坐庄 (annual periods): a person proposed for the top grade who is not in
  their section's top ``ceil(quota · n)`` this year, in a section whose
  turn-taking index, recomputed with the proposed grades, is flagged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre import scoring

HISTORY_YEARS = 3          # last years' grades shown on each card
EPS = scoring.EPS


@dataclass
class Board:
    period: str
    kind: str
    labels: list                                   # grades of the kind, top first
    people: pd.DataFrame                           # one row per person, by rank
    quota: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    history_years: list = field(default_factory=list)
    differentiation: pd.DataFrame | None = None    # scoring.differentiation of the period (compared sections)

    @property
    def top(self) -> str:
        return self.labels[0]


def year_of(period: str) -> int:
    return int(str(period)[:4])


def annual_before(scored_all: pd.DataFrame, period: str, years: int) -> list[str]:
    """The last ``years`` annual periods before ``period``'s year, newest first."""
    y = year_of(period)
    ann = scored_all.loc[scored_all["period_kind"] == "annual", "period"].astype(str).unique()
    before = sorted((p for p in ann if int(p[:4]) < y), reverse=True)
    return before[:years]


def held_grades(scored_all: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """person_id × period -> the grade held: the official grade where given,
    else the computed one (a wide frame, columns the periods)."""
    d = scored_all[scored_all["period"].isin(periods)]
    if d.empty:
        return pd.DataFrame(columns=periods)
    held = d["grade"].where(d["grade"].notna(), d["computed_grade"])
    wide = pd.DataFrame({"person_id": d["person_id"], "period": d["period"].astype(str), "held": held}) \
        .pivot_table(index="person_id", columns="period", values="held", aggfunc="first")
    return wide.reindex(columns=periods)


def grade_settings(kind: str, settings: dict) -> dict:
    return settings["annual_grades" if kind == "annual" else "quarterly_grades"]


def build(scored_all: pd.DataFrame, period: str, session_people: pd.DataFrame, settings: dict,
          stability: pd.DataFrame | None = None) -> Board:
    """The board of ``period``'s session.

    ``scored_all``: ``assessment.score_periods`` over the period and the
    annual periods up to it; ``session_people``: person_id, start_grade,
    grade (held now), origin, moves; ``stability``: ``whatif.stability``
    rows (person_id, rank_min, rank_max, top_share) or None.
    """
    cur = scored_all[scored_all["period"] == period]
    kind = str(cur["period_kind"].iloc[0]) if len(cur) else scoring.period_kind_of(period)
    labels = scoring.grade_labels(kind)
    cols = ["person_id", "name", "section", "composite", "rank", "section_rank", "computed_grade", "grade"]
    df = session_people.merge(cur[cols].rename(columns={"grade": "official_grade"}), on="person_id", how="left")
    df["moved"] = df["grade"] != df["start_grade"]
    years = annual_before(scored_all, period, HISTORY_YEARS)
    wide = held_grades(scored_all, years)
    hist = pd.Series("", index=df.index, dtype=object)
    for p in years:
        g = df["person_id"].map(wide[p]) if p in wide.columns else pd.Series(np.nan, index=df.index)
        df[f"grade_{p}"] = g
        part = (p + " " + g.astype(object).where(g.notna(), "—").astype(str))
        hist = np.where(hist == "", part, hist + " · " + part)
    df["history"] = pd.Series(hist, index=df.index, dtype=object)
    if stability is not None and len(stability):
        df = df.merge(stability[["person_id", "rank_min", "rank_max", "top_share"]], on="person_id", how="left")
    else:
        df["rank_min"] = df["rank_max"] = np.nan
        df["top_share"] = np.nan
    g = grade_settings(kind, settings)
    cr = df["composite"].round(scoring.ROUND)
    df["below_floor"] = (df["grade"] == labels[0]) & (cr < float(g["top_floor"])).fillna(False)
    order = np.lexsort((df["person_id"].to_numpy(dtype=str), df["rank"].fillna(10**9).to_numpy()))
    df = df.iloc[order].reset_index(drop=True)
    board = Board(period=period, kind=kind, labels=labels, people=df, history_years=years,
                  differentiation=scoring.differentiation(df[["section", "composite"]], settings))
    board.quota = quota_guide(df, kind, settings)
    board.warnings = warnings(df, scored_all, period, kind, settings, board.differentiation)
    return board


def quota_guide(df: pd.DataFrame, kind: str, settings: dict) -> dict:
    """The quota on the proposed grades, office-wide and per section."""
    labels = scoring.grade_labels(kind)
    g = grade_settings(kind, settings)
    assessed = df["composite"].notna()
    n = int(assessed.sum())
    is_top = df["grade"] == labels[0]
    top = int(is_top.sum())
    limit = scoring.quota_places(g["quota"], n)
    counts = {lab: int((df["grade"] == lab).sum()) for lab in labels}
    out = {"grade": labels[0], "share": float(g["quota"]), "n": n, "limit": limit, "top": top,
           "ok": top <= limit, "counts": counts, "floor": float(g["top_floor"]),
           "section_share": float(settings.get("appraisal_section_quota") or 0.0), "sections": []}
    share = out["section_share"]
    if share > 0:
        per = pd.DataFrame({"section": df["section"], "assessed": assessed, "top": is_top}) \
            .groupby("section", sort=True)[["assessed", "top"]].sum()
        per["limit"] = scoring.quota_places(share, per["assessed"].to_numpy()).astype(int)
        per["ok"] = per["top"] <= per["limit"]
        out["sections"] = [{"section": s, "n": int(r.assessed), "limit": int(r.limit), "top": int(r.top),
                            "ok": bool(r.ok)} for s, r in per.iterrows()]
    return out


def over_quota(quota: dict) -> bool:
    return (not quota["ok"]) or any(not s["ok"] for s in quota["sections"])


def warnings(df: pd.DataFrame, scored_all: pd.DataFrame, period: str, kind: str, settings: dict,
             diff: pd.DataFrame | None = None) -> dict:
    """The floor list and the article's two warnings on the proposed grades."""
    below = df[df["below_floor"]]
    out = {
        "below_floor": [{"person_id": r.person_id, "section": r.section, "composite": _num(r.composite)}
                        for r in below.itertuples(index=False)],
        "egalitarian": egalitarian_stays(df, settings, diff),
        "turn_taking": [],
        "turn_taking_sections": [],
    }
    if kind == "annual":
        people, sections = turn_taking_on_proposed(df, scored_all, period, settings)
        out["turn_taking"], out["turn_taking_sections"] = people, sections
    return out


def egalitarian_stays(df: pd.DataFrame, settings: dict, diff: pd.DataFrame | None = None) -> list[dict]:
    """Compared sections flagged 平均主义 on their composites whose proposed
    grades are all the same."""
    if diff is None:
        diff = scoring.differentiation(df[["section", "composite"]], settings)
    flagged = diff[diff["egalitarian"]]
    if flagged.empty:
        return []
    grades = df[df["section"].isin(flagged["section"])].groupby("section")["grade"].agg(
        distinct="nunique", grade="first")
    f = flagged.set_index("section").join(grades)
    stays = f[f["distinct"] <= 1]
    return [{"section": s, "n": int(r.n), "std": _num(r["std"]), "grade": r.grade} for s, r in stays.iterrows()]


def turn_taking_on_proposed(df: pd.DataFrame, scored_all: pd.DataFrame, period: str, settings: dict):
    """scoring.turn_taking over the annual periods up to ``period`` with this
    period's official grades replaced by the proposed ones. Returns (people
    warned, sections flagged)."""
    ann = scored_all[(scored_all["period_kind"] == "annual")
                     & (scored_all["period"].astype(str).str[:4].astype(int) <= year_of(period))]
    ann = ann[["person_id", "period", "period_kind", "section", "composite", "grade"]].copy()
    this = ann["period"] == period
    proposed = df.set_index("person_id")["grade"]
    ann.loc[this, "grade"] = ann.loc[this, "person_id"].map(proposed)
    summary, detail = scoring.turn_taking(ann, settings, up_to_period=period)
    flagged = summary[summary["flagged"]]
    sections = [{"section": r.section, "index": _num(r.index), "awards": int(r.awards),
                 "outside": int(r.outside)} for r in flagged.itertuples(index=False)]
    d = detail[(detail["period"] == period) & detail["awarded"] & ~detail["in_top"]
               & detail["section"].isin(flagged["section"])]
    people = [{"person_id": r.person_id, "section": r.section, "section_rank": int(r.section_rank),
               "composite": _num(r.composite)} for r in d.itertuples(index=False)]
    return people, sections


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x
