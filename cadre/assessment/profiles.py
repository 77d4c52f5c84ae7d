"""A person's record over time: periods scored, by source, movements, posts
held and the state at the reference date."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cadre import store, timeline
from cadre.assessment.scorer import Scorer, scorer_for


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
    roster = store.query(con, "roster_person", person_id=person_id)
    if roster.empty:
        return None
    if scored_all is None:
        mine = store.query(con, "assessment_person_periods", person_id=person_id)["period"].tolist()
        scored_all = scorer_for(con, settings, scorer).frames(mine)
    hist = scored_all[scored_all["person_id"] == person_id].sort_values(["period_end", "period_kind"])
    hist = hist.reset_index(drop=True)
    src_cols = [c for c in hist.columns if c.startswith("composite_")]
    by_source = hist[["period", "period_end", "period_kind", *src_cols]].melt(
        id_vars=["period", "period_end", "period_kind"], value_vars=src_cols,
        var_name="source", value_name="composite").dropna(subset=["composite"])
    by_source["source"] = by_source["source"].str.removeprefix("composite_")
    person = roster.iloc[0].to_dict()
    states = timeline.movement_states(con, settings)
    moves = states[states["person_id"] == person_id].sort_values(["date", "seq"]).reset_index(drop=True)
    moves = moves[["date", "kind", "section_before", "section_after", "position_before", "position_after",
                   "rank_before", "rank_after", "is_promotion", "destination", "note"]]
    posts = _posts(moves, person)
    moves = moves.rename(columns={"section_before": "from_section", "section_after": "to_section",
                                  "position_before": "from_position", "position_after": "to_position",
                                  "rank_before": "from_rank", "rank_after": "to_rank"})
    state = _state_at(con, settings, person_id)
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


def _state_at(con, settings: dict, person_id: str) -> dict:
    """Section, position, rank and time in rank / post at the reference date."""
    st = timeline.state_at(con, settings)
    row = st[st["person_id"] == person_id]
    if row.empty:
        return {}
    r = row.iloc[0]
    return {k: (None if pd.isna(r[k]) else r[k]) for k in
            ["as_of", "in_office", "section", "position", "rank", "rank_since", "post_since",
             "years_in_rank", "years_in_post", "age"]}

