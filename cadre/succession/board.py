"""The succession board (后备与推荐) at a date: every head and deputy post of
every section and the leadership posts, their holders and years to
retirement, and the successors of each post (the people nominated for it,
"a leader's pick", and the reserve pool of its section and rank step), each
with their readiness under the rules in force: the rule that still blocks
them and the day it clears (docs/contract.md, "Succession").

Vectorised: posts, candidates and readiness are frame merges and column
arithmetic on the eligibility rows (``queries/pipeline_eligibility.sql``),
never a loop per person.

Readiness for a post whose rank is step P of the ladder (settings
``post_ranks``; a post without a rank there: the person's next step):

- ``now``: holds step P or above, or holds P-1 and meets every rule of P;
- ``within_1`` / ``within_3``: holds P-1 and every rule that blocks clears
  by then (years in rank and of service on the day they are served; too few
  优秀 grades at the earliest year ends that could bring them);
- ``later``: a rule that time alone does not clear (education, a recent
  基本称职, 职数), a clear day further off, or two steps or more below P
  (rule ``below_post_rank``);
- ``unknown``: no rule blocks, but the date a time rule needs is unknown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cadre import store, timeline
from cadre.export import lrmx

READINESS = ("now", "within_1", "within_3", "later", "unknown")
TIME_RULES = ("min_years_in_rank", "min_years_service")
NOT_BY_TIME = "2200-12-31"   # a rule time alone does not clear: sorts last


@dataclass
class Board:
    date: dt.date
    posts: pd.DataFrame         # one row per (section, post)
    successors: pd.DataFrame    # one row per (section, post, person_id)


def _years_to_retirement(people: pd.DataFrame, date: dt.date, settings: dict) -> pd.Series:
    ages = pd.Series(settings.get("retirement_age") or {}, dtype="float64")
    age = people["gender"].map(ages)
    birth = pd.to_datetime(people["birth_date"])
    at = birth + pd.to_timedelta((age * 365.25).fillna(0), unit="D")
    years = (at - pd.Timestamp(date)).dt.days / 365.25
    return years.where(age.notna() & birth.notna())


def _step_of(section: pd.Series, post: pd.Series, settings: dict) -> pd.Series:
    """The ladder step (1-based) of the rank each post carries (NaN: none)."""
    steps = {r: i for i, r in enumerate(settings["ladder"], start=1)}
    table = settings.get("post_ranks") or {}
    pairs = pd.DataFrame({"section": section.astype(object), "post": post.astype(object)})
    own = [(s, p, r) for s, posts in table.items() if s for p, r in posts.items()]
    common = {p: r for p, r in (table.get("") or {}).items()}
    own_map = pd.DataFrame(own, columns=["section", "post", "rank"]) if own else \
        pd.DataFrame(columns=["section", "post", "rank"])
    rank = pairs.merge(own_map, on=["section", "post"], how="left")["rank"]
    rank = rank.where(rank.notna(), pairs["post"].map(common))
    return rank.map(steps).astype("float64").set_axis(section.index)


def posts_at(state: pd.DataFrame, date: dt.date, settings: dict) -> pd.DataFrame:
    """Every head and deputy post of every section with people in office and
    the leadership posts: holders (names, ids), the first holder's years to
    retirement; a section without a head (or a leadership post nobody holds)
    shows the post vacant."""
    lead = settings["leadership_section"]
    heads, deputies, leaders = settings["head_posts"], settings["deputy_posts"], settings["leadership_posts"]
    inoff = state[state["in_office"].astype(bool)].copy()
    inoff["ytr"] = _years_to_retirement(inoff, date, settings)
    at_lead = inoff["section"] == lead
    holds = (at_lead & inoff["position"].isin(leaders)) | (~at_lead & inoff["position"].isin([*heads, *deputies]))
    h = inoff[holds].sort_values(["ytr", "person_id"], na_position="last")
    g = h.groupby(["section", "position"], sort=False)
    held = g.agg(years_to_retirement=("ytr", "min"), holder_age=("age", "min")).reset_index() \
        .rename(columns={"position": "post"})
    held.insert(2, "holder_ids", _lists(h["person_id"], g.ngroup()))
    held.insert(3, "holders", _lists(h["name"], g.ngroup()))
    sections = sorted(set(inoff.loc[~at_lead, "section"].dropna()))
    headed = set(h.loc[h["position"].isin(heads) & (h["section"] != lead), "section"])
    vacant = [(s, heads[0]) for s in sections if s not in headed]
    held_lead = set(h.loc[h["section"] == lead, "position"])
    vacant += [(lead, p) for p in leaders if p not in held_lead]
    empty = pd.DataFrame(vacant, columns=["section", "post"])
    empty["holder_ids"] = [[] for _ in range(len(empty))]
    empty["holders"] = [[] for _ in range(len(empty))]
    posts = pd.concat([held, empty], ignore_index=True) if len(empty) else held
    posts["kind"] = np.where(posts["section"] == lead, "leadership",
                             np.where(posts["post"].isin(heads), "head", "deputy"))
    posts["vacant"] = posts["holder_ids"].map(len) == 0
    posts["post_step"] = _step_of(posts["section"], posts["post"], settings)
    posts["order"] = posts["kind"].map({"leadership": 0, "head": 1, "deputy": 2})
    posts = posts.sort_values(["order", "section", "post"], key=lambda c: c if c.name != "section"
                              else c.map(lambda v: (v != lead, v)), ignore_index=True)
    return posts.drop(columns=["order"])


def _lists(values: pd.Series, codes: pd.Series) -> list[list]:
    """``values`` gathered into one list per group code (0, 1, …, in code
    order), each in the order of ``values``: what ``agg(list)`` gives,
    without a Python call per group."""
    if not len(codes):
        return []
    order = np.argsort(codes.to_numpy(), kind="stable")
    counts = np.bincount(codes.to_numpy())
    return [part.tolist() for part in np.split(values.to_numpy(dtype=object)[order], np.cumsum(counts)[:-1])]


def _clear_excellent(elig: pd.DataFrame, date: dt.date, settings: dict) -> pd.Series:
    """The earliest day a lack of 优秀 grades could clear: the next annual
    period end (31 Dec), one more year for each further grade needed."""
    rules = settings.get("promotion_rules") or {}
    need = elig["next_rank"].map({r: (v or {}).get("min_excellent") or 0 for r, v in rules.items()})
    missing = (need.astype("float64") - elig["excellent"].astype("float64")).clip(lower=1).fillna(1)
    first = date.year if (date.month, date.day) != (12, 31) else date.year + 1
    years = first + missing - 1
    return pd.to_datetime(years.astype(int).astype(str) + "-12-31")


def readiness(cand: pd.DataFrame, elig: pd.DataFrame, date: dt.date, settings: dict) -> pd.DataFrame:
    """``cand`` (person_id, post_step: NaN = the person's next step) with
    readiness, blocking (the rules that block, a list), blocking_rule (the
    one that clears last) and clears_on (that day; NaT: not by time alone)."""
    cols = ["person_id", "rank_step", "next_rank", "eligible", "undetermined", "blocking", "eligible_from",
            "rank_time_from", "service_time_from", "excellent"]
    e = elig[cols].drop_duplicates("person_id")
    m = cand.merge(e, on="person_id", how="left")
    d = pd.Timestamp(date)
    step = m["rank_step"].astype("float64")
    target = m["post_step"].astype("float64").where(m["post_step"].notna(), step + 1)
    holds = step >= target
    below = step == target - 1
    far = step < target - 1
    # the day each blocking rule clears, long (one row per candidate and rule)
    blocking = m["blocking"].map(lambda b: list(b) if isinstance(b, (list, tuple, np.ndarray)) else [])
    long = pd.DataFrame({"i": np.repeat(np.arange(len(m)), blocking.map(len)),
                         "rule": [r for b in blocking for r in b]}, dtype=object)
    long["i"] = long["i"].astype("int64")
    at = pd.Series(pd.NaT, index=long.index, dtype="datetime64[ns]")
    idx = long["i"].to_numpy()
    for rule, source in (("min_years_in_rank", pd.to_datetime(m["rank_time_from"])),
                         ("min_years_service", pd.to_datetime(m["service_time_from"])),
                         ("min_excellent", _clear_excellent(m, date, settings))):
        hit = (long["rule"] == rule).to_numpy()
        at[hit] = source.to_numpy()[idx[hit]]
    long["at"] = at.fillna(pd.Timestamp(NOT_BY_TIME))
    last = long.sort_values(["i", "at", "rule"]).groupby("i").tail(1).set_index("i")
    clears = last["at"].reindex(range(len(m)))
    rule = last["rule"].reindex(range(len(m)))
    never = clears == pd.Timestamp(NOT_BY_TIME)
    eligible = m["eligible"].fillna(False).astype(bool)
    undetermined = m["undetermined"].fillna(False).astype(bool)
    out = pd.Series("later", index=m.index, dtype=object)
    soon = below & ~eligible & clears.notna() & ~never
    out[soon & (clears <= d + pd.DateOffset(years=1))] = "within_1"
    out[soon & (clears > d + pd.DateOffset(years=1)) & (clears <= d + pd.DateOffset(years=3))] = "within_3"
    out[below & ~eligible & undetermined] = "unknown"
    out[holds | (below & eligible)] = "now"
    ready_now = out == "now"
    m["readiness"] = out
    m["blocking"] = blocking.where(~(ready_now | far), pd.Series([[]] * len(m)))
    m.loc[far, "blocking"] = pd.Series([["below_post_rank"]] * int(far.sum()), index=m.index[far], dtype=object)
    m["blocking_rule"] = rule.where(below & ~ready_now, None).where(~far, "below_post_rank").astype(object)
    m["blocking_rule"] = m["blocking_rule"].where(m["blocking_rule"].notna(), None)
    m["clears_on"] = clears.where(below & ~ready_now & ~never)
    return m


def _candidates(posts: pd.DataFrame, state: pd.DataFrame, picks: pd.DataFrame, settings: dict) -> pd.DataFrame:
    lead = settings["leadership_section"]
    inoff = state[state["in_office"].astype(bool)]
    pool = inoff[inoff["reserve"].fillna(False).astype(bool)][["person_id", "section", "rank_step"]]
    key = posts[["section", "post", "post_step", "holder_ids"]]
    ordinary = key[key["section"] != lead].merge(pool, on="section", how="inner")
    top = key[key["section"] == lead].merge(pool.drop(columns=["section"]), how="cross")
    res = pd.concat([ordinary, top], ignore_index=True)
    step = res["post_step"]
    fits = step.isna() | ((res["rank_step"] >= step - 1) & (res["rank_step"] <= step))
    res = res[fits]
    res = res[~pd.Series([p in h for p, h in zip(res["person_id"], res["holder_ids"])], index=res.index,
                         dtype=bool)] if len(res) else res
    res = res[["section", "post", "person_id"]].assign(reserve=True, picked=False)
    nom = picks[["section", "post", "person_id", "id"]].rename(columns={"id": "recommendation"})
    nom = nom.assign(reserve=False, picked=True)
    both = pd.concat([res, nom], ignore_index=True)
    keys = ["section", "post", "person_id"]
    out = both.groupby(keys, as_index=False).agg(reserve=("reserve", "any"), picked=("picked", "any"))
    # the open recommendations of each candidate (a few): gathered from the picks alone
    recs = nom.dropna(subset=["recommendation"]).sort_values("recommendation")
    recs = recs.assign(recommendation=recs["recommendation"].astype("int64"))
    g = recs.groupby(keys, sort=True)
    gathered = g.size().reset_index()[keys].assign(recommendations=_lists(recs["recommendation"], g.ngroup()))
    out = out.merge(gathered, on=keys, how="left")
    out["recommendations"] = [v if isinstance(v, list) else [] for v in out["recommendations"]]
    return out.merge(posts[["section", "post", "post_step"]], on=["section", "post"], how="inner")


def build(con, settings: dict, date: dt.date | None = None,
          gap_years: dict | None = None, state=None, elig: pd.DataFrame | None = None) -> Board:
    """The board at ``date`` (default: the data's latest date). ``gap_years``:
    the projection's first gap year per section (None: computed here, the
    office's expected projection over five years); ``state`` and ``elig``:
    that date's ``timeline.state_table`` and ``timeline.eligibility`` when
    the caller has them (read, never changed)."""
    s = settings
    d = date or timeline.reference_date(con)
    rel = timeline.state_table(con, s, d) if state is None else state
    state = store.frame_of(rel)
    elig = timeline.eligibility(con, s, d, state=rel) if elig is None else elig
    posts = posts_at(state, d, s)
    picks = store.query(con, "recommend_list", id=None, status="open")
    cand = _candidates(posts, state, picks, s)
    ready = readiness(cand, elig, d, s)
    who = state.drop_duplicates("person_id").set_index("person_id")
    for col in ("name", "section", "position", "rank", "age"):
        ready["person_" + col if col != "name" else "name"] = ready["person_id"].map(who[col])
    ready["order"] = ready["readiness"].map({r: i for i, r in enumerate(READINESS)})
    ready = ready.sort_values(["section", "post", "order", "picked", "person_id"],
                              ascending=[True, True, True, False, True], ignore_index=True).drop(columns=["order"])
    if gap_years is None:
        from cadre.foresight import projection, service
        gap_years = service.run(con, s, d, projection.Scenario(years=5, exit_rate=-1.0))[0].gap_years
    n_ready = ready[ready["readiness"] == "now"].groupby(["section", "post"]).size()
    n_all = ready.groupby(["section", "post"]).size()
    pkey = pd.MultiIndex.from_frame(posts[["section", "post"]])
    posts["successors"] = n_all.reindex(pkey).fillna(0).astype(int).to_numpy()
    posts["ready_now"] = n_ready.reindex(pkey).fillna(0).astype(int).to_numpy()
    posts["no_ready_successor"] = posts["ready_now"] == 0
    posts["gap_year"] = posts["section"].map(gap_years or {}).where(posts["kind"] != "leadership")
    posts["gap_year"] = posts["gap_year"].map(lambda y: None if y is None or y != y else int(y)).astype(object)
    return Board(date=d, posts=posts, successors=ready)


def post_label(section: str, post: str, settings: dict) -> str:
    """「信息科科长」; a leadership post by its name alone (「副主任」)."""
    return lrmx.post_text(None, section, post, None, settings)
