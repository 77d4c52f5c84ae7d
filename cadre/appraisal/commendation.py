"""评先评优: 先进个人 candidates and the 先进科室 ranking from the calibrated
grades (pure, no store).

先进个人 (settings ``commend_individuals``), everyone in the session outside
the leadership section, in order composite desc then person_id; each rule
is checked in turn and a non-candidate is shown with the first rule it fails:

1. ``top``: holds the top grade (优秀; quarterly 好) in the session;
2. ``record``: no 基本称职 or 不称职 held in the
   ``clean_years`` annual periods before this one (official grade where
   given, else computed; a year not assessed does not count against);
3. ``section_share``: within their section, among those passing 1–2, in the
   first ``max(1, floor(section_share · n_section))`` (n_section: those of
   the section in the session);
4. ``places``: office-wide, among those passing 1–3, in the first ``places``.

先进科室 (settings ``commend_section_weights``, ``commend_sections_top``),
the compared sections in the session: mean composite, share of the top
grade (proposed), improvement (mean composite minus the section's mean in
the previous period of the same kind; missing when the section had none).
Each figure is scaled over the sections to 0..1 ((x − min) / (max − min);
0 when all are equal); the score is Σ w · scaled over the figures a
section has, divided by the Σ w of those figures. Ranked by score desc,
then section. A section flagged 平均主义 (on composites) is not proposed
(``egalitarian``); the first ``commend_sections_top`` of the others are
(``top_n`` for the rest).

A tick ('on') commends a subject whatever the rules say; an untick ('off')
drops a proposed one.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cadre import scoring
from cadre.appraisal import board as board_mod

RULES = ("top", "record", "section_share", "places")
SECTION_RULES = ("egalitarian", "top_n")
FIGURES = ("mean", "top_share", "improvement")


def _ticks(ticks: pd.DataFrame | None, kind: str) -> pd.Series:
    if ticks is None or not len(ticks):
        return pd.Series(dtype=object)
    t = ticks[ticks["kind"] == kind]
    return t.set_index("subject")["tick"]


def _order(frame: pd.DataFrame, by_section: bool = False) -> np.ndarray:
    """Position of each row in the (section,) composite desc, person_id order."""
    cr = frame["composite"].round(scoring.ROUND).fillna(-np.inf).to_numpy()
    keys = [frame["person_id"].to_numpy(dtype=str), -cr]
    if by_section:
        keys.append(frame["section"].astype(str).to_numpy())
    order = np.lexsort(keys)
    pos = np.empty(len(frame), dtype=np.int64)
    if not by_section:
        pos[order] = np.arange(len(frame))
        return pos
    sec = frame["section"].astype(str).to_numpy()[order]
    start = np.ones(len(frame), dtype=bool)
    start[1:] = sec[1:] != sec[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(len(frame)), 0))
    pos[order] = np.arange(len(frame)) - first
    return pos


def individuals(board: board_mod.Board, scored_all: pd.DataFrame, settings: dict,
                ticks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Everyone outside the leadership in the session, by composite: person_id,
    name, section, composite, rank, grade, candidate, fails (first failing
    rule or None), place (1.. among candidates), tick ('on'/'off'/None),
    commended."""
    rules = settings["commend_individuals"]
    labels = board.labels
    df = board.people[board.people["section"] != settings["leadership_section"]]
    df = df[["person_id", "name", "section", "composite", "rank", "grade"]].reset_index(drop=True)
    bad = set(scoring.grade_labels("annual")[2:])   # the record rule reads annual grades
    years = board_mod.annual_before(scored_all, board.period, int(rules["clean_years"]))
    wide = board_mod.held_grades(scored_all, years)
    stained = wide.isin(bad).any(axis=1) if len(wide.columns) else pd.Series(dtype=bool)
    pass_top = (df["grade"] == labels[0]).to_numpy()
    pass_record = ~df["person_id"].map(stained).fillna(False).astype(bool).to_numpy()
    n_section = df.groupby("section")["person_id"].transform("count").to_numpy()
    cap = np.maximum(1, np.floor(float(rules["section_share"]) * n_section + scoring.EPS)).astype(int)
    ok12 = pass_top & pass_record
    pos_s = np.full(len(df), np.iinfo(np.int64).max)
    if ok12.any():
        pos_s[ok12] = _order(df[ok12], by_section=True)
    pass_section = ok12 & (pos_s < cap)
    pos_o = np.full(len(df), np.iinfo(np.int64).max)
    if pass_section.any():
        pos_o[pass_section] = _order(df[pass_section])
    pass_places = pass_section & (pos_o < int(rules["places"]))
    fails = np.select([~pass_top, ~pass_record, ~pass_section, ~pass_places], list(RULES), default="")
    df["candidate"] = pass_places
    df["fails"] = pd.Series(fails, dtype=object).where(fails != "", None)
    df["place"] = pd.Series(np.where(pass_places, pos_o + 1, 0)).where(pass_places, None).astype("Int64")
    tick = df["person_id"].map(_ticks(ticks, "individual"))
    df["tick"] = tick.where(tick.notna(), None)
    df["commended"] = (df["candidate"] & (df["tick"] != "off")) | (df["tick"] == "on")
    order = np.lexsort((df["person_id"].to_numpy(dtype=str), -df["composite"].fillna(-np.inf).to_numpy(),
                        ~df["commended"].to_numpy(), ~df["candidate"].to_numpy()))
    return df.iloc[order].reset_index(drop=True)


def sections(board: board_mod.Board, scored_all: pd.DataFrame, settings: dict, previous: str | None,
             ticks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The compared sections, best first: section, n, mean, top_share,
    improvement, egalitarian, score, place (competition rank of the score),
    proposed, fails, tick, commended."""
    weights = {k: float(settings["commend_section_weights"].get(k, 0.0)) for k in FIGURES}
    top_n = int(settings["commend_sections_top"])
    df = board.people[board.people["section"].notna()
                      & (board.people["section"] != settings["leadership_section"])]
    cols = ["section", "n", "mean", "top_share", "improvement", "egalitarian", "score", "place",
            "proposed", "fails", "tick", "commended"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = df.assign(is_top=(df["grade"] == board.top).astype(float)).groupby("section", sort=True)
    out = pd.DataFrame({"n": g["composite"].count(), "mean": g["composite"].mean(),
                        "top_share": g["is_top"].mean()})
    if previous is not None:
        prev = scored_all[scored_all["period"] == previous].groupby("section")["composite"].mean()
        out["improvement"] = out["mean"] - prev.reindex(out.index)
    else:
        out["improvement"] = np.nan
    diff = board.differentiation if board.differentiation is not None \
        else scoring.differentiation(df[["section", "composite"]], settings)
    diff = diff.set_index("section")
    out["egalitarian"] = diff["egalitarian"].reindex(out.index).fillna(False).astype(bool)
    num = np.zeros(len(out))
    den = np.zeros(len(out))
    for fig in FIGURES:
        x = out[fig].astype(float)
        lo, hi = x.min(), x.max()
        scaled = (x - lo) / (hi - lo) if pd.notna(hi) and hi > lo else x * 0.0
        have = x.notna().to_numpy()
        num += np.where(have, weights[fig] * scaled.fillna(0).to_numpy(), 0.0)
        den += np.where(have, weights[fig], 0.0)
    out["score"] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    out = out.reset_index()
    out["place"] = scoring.competition_rank(out["score"].fillna(-1))
    out = out.sort_values(["place", "section"]).reset_index(drop=True)
    eligible = ~out["egalitarian"]
    proposed = eligible & (eligible.cumsum() <= top_n)
    out["proposed"] = proposed
    out["fails"] = np.where(out["egalitarian"], "egalitarian", np.where(proposed, None, "top_n"))
    out["fails"] = out["fails"].astype(object).where(out["fails"].notna(), None)
    tick = out["section"].map(_ticks(ticks, "section"))
    out["tick"] = tick.where(tick.notna(), None)
    out["commended"] = (out["proposed"] & (out["tick"] != "off")) | (out["tick"] == "on")
    return out[cols]


def as_records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows (NaN as null, numpy scalars as Python)."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
                clean[k] = None
            elif hasattr(v, "item"):
                clean[k] = v.item()
            else:
                clean[k] = v
        out.append(clean)
    return out
