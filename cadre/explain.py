"""Why a score moved: a change of composite split exactly into the
contributions of each (dimension, source) cell, and a change of rank into
the people who passed or were passed.

Pure domain code (no Streamlit): pages, the ``explain`` command and the
what-if lab go through it. Definitions (docs/contract.md, "Why a score
moved"):

* A composite is a sum over cells (``scoring.composite_cells``):
  ``C = Σ_sd a_sd · x_sd`` with ``a_sd = w_d · e_s / Σ e`` (summing to 1
  over the person's cells) and ``x_sd = 100 · score_sd / max_sd``. A
  group's mean composite is the same sum with ``A_sd = mean_i a_isd`` and
  ``M_sd = mean_i a_isd · x_isd`` (``X_sd = M_sd / A_sd``).
* With the reference ``K = (C_from + C_to) / 2`` a cell contributes
  ``(M_to − K·A_to) − (M_from − K·A_from)``; since the A's sum to 1 on
  each side, the contributions sum exactly to ``C_to − C_from``.
* A cell known on both sides splits symmetrically (the midpoint, Shapley
  split of a product): score effect ``Ā·ΔX``, weight effect
  ``(X̄ − K)·ΔA``. A cell unknown on one side (the source was not
  assessed) has no score effect: its whole contribution is the source
  entering or leaving the composite, relative to K. Unknown is never 0.
* Rank: competition rank = 1 + the number with a higher composite (6
  decimals). ``rank_to − rank_from = |passed_by| − |passed| +
  |entered_above| − |left_above|``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cadre import scoring
from cadre.settings import DIMENSIONS

FROM_ONLY, TO_ONLY, BOTH = "from_only", "to_only", "both"
CELL_COLUMNS = ["dimension", "source", "value", "score_effect", "weight_effect", "status",
                "score_from", "score_to", "weight_from", "weight_to"]


class ExplainError(ValueError):
    """A change that cannot be explained. ``code`` is an i18n key."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass
class Side:
    """One side of a comparison: a person's or a group's cells."""
    sources: list
    weight: np.ndarray      # A (S, 4): mean cell weight, sums to 1
    term: np.ndarray        # M (S, 4): mean of a · x (0 where unknown)
    known: np.ndarray       # (S, 4) bool: someone has a score in the cell
    score: np.ndarray       # X (S, 4): the cell's score (share of maximum), NaN where unknown
    n: int

    @property
    def composite(self) -> float:
        return float(self.term.sum())


def side(sources: list, a: np.ndarray, x: np.ndarray) -> Side:
    """The Side of people with cell weights ``a`` and scores ``x`` (n, S, 4)
    (``scoring.composite_cells``); raises ExplainError when n is 0."""
    n = a.shape[0]
    if n == 0:
        raise ExplainError("explain.error.nobody")
    a = np.nan_to_num(a)
    finite = np.isfinite(x)
    weight = a.mean(axis=0)
    term = np.where(finite, a * np.nan_to_num(x), 0.0).mean(axis=0)
    known = finite.any(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        plain = np.where(finite, x, 0.0).sum(axis=0) / finite.sum(axis=0)
        score = np.where(weight > 0, term / np.where(weight > 0, weight, 1.0), plain)
    score = np.where(known, score, np.nan)
    return Side(list(sources), weight, term, known, score, n)


def _aligned(s: Side, sources: list) -> Side:
    """``s`` on ``sources`` (a superset of its own): absent sources unknown, weight 0."""
    idx = [s.sources.index(x) if x in s.sources else -1 for x in sources]
    take = np.array([max(i, 0) for i in idx])
    have = (np.array(idx) >= 0)[:, None]

    def pick(arr, fill):
        return np.where(have, arr[take], fill)
    return Side(list(sources), pick(s.weight, 0.0), pick(s.term, 0.0), pick(s.known, False),
                pick(s.score, np.nan), s.n)


def decompose(before: Side, after: Side) -> tuple[pd.DataFrame, float]:
    """Cells (CELL_COLUMNS, one row per (dimension, source) known on either
    side) whose ``value`` sums to ``after.composite − before.composite``;
    and the reference K. Scores and weights in the frame are percentages."""
    sources = scoring._source_order(set(before.sources) | set(after.sources))
    b, a = _aligned(before, sources), _aligned(after, sources)
    k = (b.composite + a.composite) / 2.0
    value = (a.term - k * a.weight) - (b.term - k * b.weight)
    both = b.known & a.known
    with np.errstate(invalid="ignore"):
        score_eff = np.where(both, (b.weight + a.weight) / 2 * (a.score - b.score), np.nan)
        weight_eff = np.where(both, ((b.score + a.score) / 2 - k) * (a.weight - b.weight), value) + 0.0  # no -0
    status = np.where(both, BOTH, np.where(b.known, FROM_ONLY, TO_ONLY))
    S, D = len(sources), len(DIMENSIONS)
    cells = pd.DataFrame({
        "dimension": np.tile(DIMENSIONS, S), "source": np.repeat(sources, D),
        "value": value.ravel(), "score_effect": score_eff.ravel(), "weight_effect": weight_eff.ravel(),
        "status": status.ravel(), "score_from": b.score.ravel(), "score_to": a.score.ravel(),
        "weight_from": 100.0 * b.weight.ravel(), "weight_to": 100.0 * a.weight.ravel(),
    })
    keep = (b.known | a.known).ravel()
    return cells[keep].reset_index(drop=True)[CELL_COLUMNS], k


def by(cells: pd.DataFrame, key: str) -> pd.DataFrame:
    """Contributions summed by ``key`` ('dimension' or 'source'), in the
    contract's order: key, value, unknown (a cell of it is unknown on a side)."""
    order = DIMENSIONS if key == "dimension" else list(dict.fromkeys(cells["source"]))
    g = cells.assign(unknown=cells["status"] != BOTH).groupby(key, sort=False)
    out = g.agg(value=("value", "sum"), unknown=("unknown", "any"))
    return out.reindex([k for k in order if k in out.index]).reset_index()


# --------------------------------------------------------------------------- rank

def rank_movement(before: pd.DataFrame, after: pd.DataFrame, person_id: str) -> dict:
    """Who passed whom: ``before`` / ``after`` hold person_id and composite
    of everyone ranked on each side. Returns from, to (competition ranks),
    passed_by (now above, were not), passed (were above, now not),
    entered_above (above now, not ranked before), left_above (above before,
    not ranked now): id lists ordered by the after (or before) composite."""
    def above(frame):
        c = frame.set_index("person_id")["composite"].round(scoring.ROUND)
        mine = c.get(person_id)
        if mine is None or pd.isna(mine):
            return None, c
        return c[c > mine], c
    up_b, cb = above(before)
    up_a, ca = above(after)
    if up_b is None or up_a is None:
        return {"from": None, "to": None, "passed_by": [], "passed": [], "entered_above": [], "left_above": []}
    def ordered(ids, c):
        s = c.reindex(list(ids))
        return [str(i) for i in s.sort_values(ascending=False, kind="stable").index]
    was = set(up_b.index)
    now = set(up_a.index)
    common = set(cb.index) & set(ca.index)
    return {
        "from": int(len(up_b) + 1), "to": int(len(up_a) + 1),
        "passed_by": ordered((now - was) & common, ca),
        "passed": ordered((was - now) & common, cb),
        "entered_above": ordered(now - set(cb.index), ca),
        "left_above": ordered(was - set(ca.index), cb),
    }


# --------------------------------------------------------------------------- explanations

@dataclass
class Explanation:
    """A change of composite explained (see the module docstring)."""
    subject: str                 # a person_id, or a section (mean)
    kind: str                    # 'person' or 'section'
    label_from: str              # a period, or 'baseline' / 'scenario'
    label_to: str
    value_from: float
    value_to: float
    reference: float             # K
    cells: pd.DataFrame          # CELL_COLUMNS
    rank: dict | None = None     # rank_movement, person only
    n_from: int = 1
    n_to: int = 1
    names: dict = field(default_factory=dict)   # person_id -> name (for rank lists)

    @property
    def change(self) -> float:
        return self.value_to - self.value_from

    @property
    def unknown(self) -> pd.DataFrame:
        """The sources unknown on one side: source, status."""
        u = self.cells[self.cells["status"] != BOTH]
        return u.drop_duplicates("source")[["source", "status"]].reset_index(drop=True)

    def to_json(self) -> dict:
        """The ``explain`` command's answer."""
        def num(x):
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
        contributions = [
            {"dimension": r.dimension, "source": r.source, "value": float(r.value),
             "score_effect": num(r.score_effect), "weight_effect": float(r.weight_effect),
             "unknown_in": {FROM_ONLY: "to", TO_ONLY: "from"}.get(r.status)}
            for r in self.cells.itertuples(index=False)]
        out = {self.kind: self.subject, "from": self.label_from, "to": self.label_to,
               "composite_from": float(self.value_from), "composite_to": float(self.value_to),
               "change": float(self.change), "reference": float(self.reference),
               "contributions": contributions}
        if self.kind == "section":
            out["n_from"], out["n_to"] = int(self.n_from), int(self.n_to)
        else:
            out["rank"] = self.rank
        return out


def _explanation(before: Side, after: Side, **kw) -> Explanation:
    cells, k = decompose(before, after)
    return Explanation(value_from=before.composite, value_to=after.composite, reference=k, cells=cells,
                       n_from=before.n, n_to=after.n, **kw)


def person_between_periods(rows: pd.DataFrame, scored: pd.DataFrame, settings: dict, person_id: str,
                           p_from: str, p_to: str) -> Explanation:
    """A person's change from ``p_from`` to ``p_to``: ``rows`` their
    assessment rows of both periods (others' may be there), ``scored`` the
    two periods scored whole (person_id, period, composite, name)."""
    mine = rows[(rows["person_id"] == person_id) & rows["period"].isin([p_from, p_to])]
    sides = {}
    if len(mine):
        keys, srcs, a, x = scoring.composite_cells(mine, settings)
        for p in (p_from, p_to):
            m = (keys["period"] == p).to_numpy()
            if m.any():
                sides[p] = side(srcs, a[m], x[m])
    for p in (p_from, p_to):
        if p not in sides:
            raise ExplainError("explain.error.not_assessed", person=person_id, period=p)
    rank = rank_movement(scored[scored["period"] == p_from], scored[scored["period"] == p_to], person_id)
    return _explanation(sides[p_from], sides[p_to], subject=person_id, kind="person", label_from=p_from,
                        label_to=p_to, rank=rank, names=_names(scored if "name" in scored.columns else rows, rank))


def section_between_periods(rows: pd.DataFrame, settings: dict, section: str, p_from: str,
                            p_to: str) -> Explanation:
    """A section's mean composite from ``p_from`` to ``p_to`` (its members
    in each period, by the assessment's section)."""
    d = rows[(rows["section"] == section) & rows["period"].isin([p_from, p_to])]
    if d.empty:
        raise ExplainError("explain.error.section_not_assessed", section=section, period=p_from)
    keys, srcs, a, x = scoring.composite_cells(d, settings)
    sides = {}
    for p in (p_from, p_to):
        m = (keys["period"] == p).to_numpy()
        if not m.any():
            raise ExplainError("explain.error.section_not_assessed", section=section, period=p)
        sides[p] = side(srcs, a[m], x[m])
    return _explanation(sides[p_from], sides[p_to], subject=section, kind="section", label_from=p_from,
                        label_to=p_to)


def person_between_weightings(ratios: np.ndarray, sources: list, person_ids, composites_from,
                              composites_to, settings: dict, person_id: str, weights_from: tuple,
                              weights_to: tuple, labels=("baseline", "scenario"), names=None) -> Explanation:
    """A person's change between two weightings of one period (what-if
    scenarios): ``ratios`` (n, S, 4) as ``ScoreCube.ratios``, aligned with
    ``person_ids`` and both composites arrays; each weights a
    (dimension weights, source weights) pair as scoring takes them."""
    ids = np.asarray(person_ids, dtype=object)
    hit = np.flatnonzero(ids == person_id)
    if not len(hit):
        raise ExplainError("explain.error.not_assessed", person=person_id, period=labels[0])
    r = ratios[hit]
    x = 100.0 * r
    sides = [side(sources, scoring.cell_weights(r, sources, settings, *w), x) for w in (weights_from, weights_to)]
    frame = {lab: pd.DataFrame({"person_id": ids, "composite": np.asarray(c, dtype=float)})
             for lab, c in zip(labels, (composites_from, composites_to))}
    rank = rank_movement(frame[labels[0]], frame[labels[1]], person_id)
    name_map = {}
    if names is not None:
        ids_named = set(rank["passed_by"]) | set(rank["passed"])
        keep = np.isin(ids, list(ids_named))
        name_map = dict(zip(ids[keep], np.asarray(names, dtype=object)[keep]))
    return _explanation(sides[0], sides[1], subject=person_id, kind="person", label_from=labels[0],
                        label_to=labels[1], rank=rank, names=name_map)


def _names(scored: pd.DataFrame, rank: dict) -> dict:
    ids = {*rank["passed_by"], *rank["passed"], *rank["entered_above"], *rank["left_above"]}
    if not ids or "name" not in scored.columns:
        return {}
    d = scored[scored["person_id"].isin(ids)].drop_duplicates("person_id")
    return dict(zip(d["person_id"], d["name"]))


def rank_people(expl: Explanation) -> pd.DataFrame:
    """The people of the rank change as rows: person_id, name, movement
    ('passed_by', 'passed', 'entered_above', 'left_above')."""
    if not expl.rank:
        return pd.DataFrame(columns=["movement", "person_id", "name"])
    parts = [pd.DataFrame({"movement": key, "person_id": expl.rank.get(key) or []})
             for key in ("passed_by", "passed", "entered_above", "left_above")]
    out = pd.concat(parts, ignore_index=True)
    out["name"] = out["person_id"].map(expl.names).astype(object)
    return out[["movement", "person_id", "name"]]


# --------------------------------------------------------------------------- store

def person_periods(con, settings: dict, person_id: str, p_from: str, p_to: str, scorer=None) -> Explanation:
    """person_between_periods on the store (``scorer``: an assessment.Scorer to share)."""
    from cadre.assessment.runner import load_rows
    from cadre.assessment.scorer import Scorer
    _check_periods(con, [p_from, p_to])
    rows = load_rows(con, [p_from, p_to])
    scored = (scorer or Scorer(con, settings)).frames([p_from, p_to])
    return person_between_periods(rows, scored, settings, person_id, p_from, p_to)


def section_periods(con, settings: dict, section: str, p_from: str, p_to: str) -> Explanation:
    """section_between_periods on the store."""
    from cadre.assessment.runner import load_rows
    _check_periods(con, [p_from, p_to])
    return section_between_periods(load_rows(con, [p_from, p_to]), settings, section, p_from, p_to)


def _check_periods(con, periods) -> None:
    from cadre.assessment.runner import list_periods
    known = set(list_periods(con)["period"].astype(str))
    for p in periods:
        if str(p) not in known:
            raise ExplainError("explain.error.no_period", period=str(p))
