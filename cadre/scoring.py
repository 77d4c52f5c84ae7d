"""Composite, rank and grade: the one place they are computed.

Pure functions on pandas / NumPy (no Streamlit, no DuckDB). Pages, the CLI
(``report``, ``whatif``) and the exports all go through this module, so a
figure is defined once. Everything is vectorised: no Python loop per person.

Definitions (the data contract's "Definitions"):

* Composite of a source: ``C_s = 100 · Σ_d w_d · score_sd / max_sd`` with the
  dimension weights scaled to sum 1; ``max_sd`` is the row's own maximum
  (from item-level rows) or, where null or not positive, the settings'.
* Overall composite: ``C = Σ_s v_s · C_s / Σ_{s present} v_s`` over the
  sources the person has in the period. 综合 (a person's only source) gets
  weight 1 unless a weight for it is given.
  Rule when every source a person has carries weight 0 (e.g. a what-if sets
  科室自评 to 0 and someone has only a self-review): the present sources are
  weighted equally, so everyone assessed keeps a composite and the quota is
  taken over the same people; such rows are marked ``source_fallback``.
* Rank: descending, standard competition ranking (1, 2, 2, 4) on C rounded
  to 6 decimals, within the period or within groups.
* Computed grade: sort by C desc then person_id asc; the first
  ``floor(quota · n)`` whose C ≥ the top floor get the top grade, the rest by
  thresholds. Threshold comparisons use C rounded to 6 decimals.
  ``floor``/``ceil`` of ``quota · n`` are taken with a 1e-9 tolerance so that
  0.29 · 100 counts as 29, not 28.999….
* Statistics: sample standard deviation (ddof=1); quartiles by linear
  interpolation.

Errors carry a code (``ScoringError.code``) that is also an i18n key in
``cadre/locales/<lang>/scoring.json``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from cadre.settings import (
    ANNUAL_GRADES,
    DIM_COLUMNS,
    DIMENSIONS,
    QUARTERLY_GRADES,
    SOURCE_COMBINED,
    SOURCES,
)

__all__ = [
    "ScoringError", "DIM_KEYS", "period_kind_of", "period_end", "normalise_weights",
    "composites", "composite_cells", "cell_weights", "competition_rank", "computed_grades",
    "grade_labels", "grade_counts", "scored", "ranked", "period_summary", "differentiation",
    "turn_taking", "ScoreCube", "Evaluation", "stability", "BonusSplit", "bonus_split",
]

DIM_KEYS = [DIM_COLUMNS[d] for d in DIMENSIONS]  # de, neng, qin, ji
MAX_KEYS = [f"max_{k}" for k in DIM_KEYS]
PCT_KEYS = [f"{k}_pct" for k in DIM_KEYS]
ROUND = 6          # composites equal to 6 decimals are ties
EPS = 1e-9         # tolerance for floor/ceil of quota · n


def quota_places(share, n):
    """How many may hold the top grade: ``floor(share · n)`` (the data
    contract's computed-grade rule), with the 1e-9 tolerance so 0.29 · 100
    is 29. The one definition of the quota's rounding: the computed grades,
    the distribution page's quota line and the appraisal meeting's guide
    all use it. ``n`` may be an array (one limit per group)."""
    if np.ndim(n):
        return np.floor(share * np.asarray(n, dtype=float) + EPS)
    return max(0, int(math.floor(float(share) * n + EPS)))


class ScoringError(ValueError):
    """Bad scoring input. ``code`` is an i18n key, ``params`` its parameters."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


# --------------------------------------------------------------------------- periods

def period_kind_of(period: str) -> str:
    """'1999' -> 'annual'; '1999Q3' -> 'quarterly'."""
    return "quarterly" if "Q" in str(period) else "annual"


def period_end(period: str) -> pd.Timestamp:
    """Last day of a stored period: '1999' -> 1999-12-31, '1999Q3' -> 1999-09-30."""
    text = str(period)
    if "Q" in text:
        year, q = text.split("Q")
        return pd.Timestamp(int(year), 3 * int(q), 1) + pd.offsets.MonthEnd(0)
    return pd.Timestamp(int(text), 12, 31)


# --------------------------------------------------------------------------- weights

TINY_SHARE = 1e-12


def normalise_weights(weights: Mapping[str, float]) -> dict:
    """Weights scaled to sum 1, same keys and order.

    Raises ScoringError ``scoring.error.weights_negative`` for a negative or
    non-finite weight and ``scoring.error.weights_zero`` when they sum to 0.
    """
    values = {k: float(v) for k, v in dict(weights).items()}
    bad = [k for k, v in values.items() if not math.isfinite(v) or v < 0]
    if bad:
        raise ScoringError("scoring.error.weights_negative",
                           f"weights must be finite and not negative: {', '.join(map(str, bad))}",
                           keys=", ".join(map(str, bad)))
    total = math.fsum(values.values())
    if not total > 0:
        raise ScoringError("scoring.error.weights_zero",
                           "weights sum to zero; at least one weight must be positive")
    # A share below a trillionth of the total weighs nothing: kept, such a
    # weight (a subnormal 5e-324, say) only adds rounding noise, and scaling
    # every weight alike could then change ranks (found by hypothesis).
    return {k: (v / total if v / total >= TINY_SHARE else 0.0) for k, v in values.items()}


def _dimension_vector(dimension_weights: Mapping | None, settings: dict) -> np.ndarray:
    """Dimension weights (keyed by 德/能/勤/绩 or de/neng/qin/ji) as a unit-sum vector.

    A dimension missing from the mapping weighs 0.
    """
    given = dict(settings["dimension_weights"] if dimension_weights is None else dimension_weights)
    by_dim = {}
    for d, col in DIM_COLUMNS.items():
        by_dim[d] = given.get(d, given.get(col, 0.0))
    extra = set(given) - set(DIM_COLUMNS) - set(DIM_COLUMNS.values())
    if extra:
        raise ScoringError("scoring.error.unknown_dimension",
                           f"unknown dimension: {', '.join(sorted(map(str, extra)))}",
                           keys=", ".join(sorted(map(str, extra))))
    norm = normalise_weights(by_dim)
    return np.array([norm[d] for d in DIMENSIONS], dtype=float)


def _source_vector(source_weights: Mapping | None, settings: dict, sources: list[str]) -> np.ndarray:
    """Source weights for ``sources`` (not rescaled: C divides by Σ present).

    Validated through normalise_weights (no negatives, not all zero). 综合
    weighs 1 unless given; any other source missing from the mapping weighs 0.
    """
    given = dict(settings["source_weights"] if source_weights is None else source_weights)
    unknown = set(given) - set(SOURCES) - {SOURCE_COMBINED} - set(sources)
    if unknown:
        raise ScoringError("scoring.error.unknown_source",
                           f"unknown source: {', '.join(sorted(map(str, unknown)))}",
                           keys=", ".join(sorted(map(str, unknown))))
    # validated (no negatives, not all zero) and scaled to sum 1, which C's
    # division by the present sources' sum leaves unchanged, so that a
    # negligible weight counts as 0 however the weights are scaled
    given = normalise_weights(given)
    out = []
    for s in sources:
        if s in given:
            out.append(float(given[s]))
        elif s == SOURCE_COMBINED:
            out.append(1.0)
        else:
            out.append(0.0)
    return np.array(out, dtype=float)


def _maxima_vector(settings: dict) -> np.ndarray:
    m = np.array([float(settings["maxima"][d]) for d in DIMENSIONS], dtype=float)
    if not np.all(np.isfinite(m) & (m > 0)):
        raise ScoringError("scoring.error.maximum_invalid",
                           "every dimension's maximum in settings must be a positive number")
    return m


def _grade_settings(period_kind: str, settings: dict, quota=None, floors: Mapping | None = None) -> dict:
    key = "quarterly_grades" if period_kind == "quarterly" else "annual_grades"
    g = dict(settings[key])
    if floors:
        g.update({k: float(v) for k, v in floors.items()})
    if quota is not None:
        g["quota"] = quota
    q = float(g["quota"])
    if not (math.isfinite(q) and 0.0 <= q <= 1.0):
        raise ScoringError("scoring.error.quota_invalid",
                           f"quota must be between 0 and 1, got {q}", quota=q)
    g["quota"] = q
    return g


def grade_labels(period_kind: str) -> list[str]:
    """The grades of a period kind, top first."""
    return list(QUARTERLY_GRADES if period_kind == "quarterly" else ANNUAL_GRADES)


# --------------------------------------------------------------------------- arrays

def _source_order(present: Iterable[str]) -> list[str]:
    present = set(present)
    known = [s for s in SOURCES + [SOURCE_COMBINED] if s in present]
    return known + sorted(present - set(known))


def _ratio_arrays(rows: pd.DataFrame, settings: dict, keys: list[str]):
    """Group rows by ``keys`` into score/max ratios.

    Returns (groups DataFrame of unique keys, ratios[n, S, 4] with NaN where
    a source is missing, sources list, row -> group codes).
    """
    if len(rows) == 0:
        raise ScoringError("scoring.error.no_rows", "no assessment rows to score")
    maxima = _maxima_vector(settings)
    codes = rows[keys].groupby(keys, sort=True, dropna=False).ngroup().to_numpy()
    n = int(codes.max()) + 1
    code, present = pd.factorize(rows["source"])  # (a Categorical of Arrow strings is slow)
    sources = _source_order(present.astype(str))
    src_code = pd.Index(sources).get_indexer(present.astype(str))[code]
    scores = rows[DIM_KEYS].to_numpy(dtype=float)
    if all(c in rows.columns for c in MAX_KEYS):
        own = rows[MAX_KEYS].to_numpy(dtype=float)
        own = np.where(np.isfinite(own) & (own > 0), own, maxima)
    else:
        own = np.broadcast_to(maxima, scores.shape)
    ratios = np.full((n, len(sources), len(DIM_KEYS)), np.nan)
    ratios[codes, src_code, :] = scores / own
    return codes, ratios, sources


def _first_non_null(values: pd.Series, codes: np.ndarray, n: int) -> np.ndarray:
    """The first non-null value of ``values`` per code (object array, None where none)."""
    out = np.full(n, None, dtype=object)
    mask = values.notna().to_numpy()
    if mask.any():
        found, first = np.unique(codes[mask], return_index=True)
        out[found] = values[mask].iloc[first].to_numpy(dtype=object)
    return out


def _effective_source_weights(present: np.ndarray, v: np.ndarray):
    """Per-person source weights (n, S): v over present sources; equal where those sum to 0."""
    eff = present * v
    den = eff.sum(axis=1)
    fallback = (den <= 0) & present.any(axis=1)
    eff[fallback] = present[fallback]
    return eff, fallback


def _combine_many(flat: np.ndarray, present: np.ndarray, rsum: np.ndarray,
                  W: np.ndarray, V: np.ndarray) -> np.ndarray:
    """Composites (K, n) for K weight pairs: W (K, D) unit-sum, V (K, S).

    flat: ratios with NaN -> 0, shaped (n, S·D); present (n, S) float;
    rsum: Σ_s ratios (n, D) for the equal-weights fallback. All matrix products.
    """
    K, S, D = V.shape[0], V.shape[1], W.shape[1]
    joint = (V[:, :, None] * W[:, None, :]).reshape(K, S * D)
    num = joint @ flat.T                      # Σ_s v_s Σ_d w_d r_sd
    den = V @ present.T                       # Σ_{s present} v_s
    n_present = present.sum(axis=1)           # equal-weight fallback
    eq = (W @ rsum.T) / np.where(n_present > 0, n_present, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(den > 0, num / np.where(den > 0, den, 1.0), eq)
    return 100.0 * c


# --------------------------------------------------------------------------- composites

def composites(rows: pd.DataFrame, settings: dict, dimension_weights=None,
               source_weights=None) -> pd.DataFrame:
    """One row per (person_id, period) with the overall composite.

    ``rows`` are assessment rows as in table ``assessments`` (person_id,
    period, source, de..ji; optional max_de..max_ji, period_kind,
    period_end, grade, section). Weights default to the settings'.

    Columns: person_id, period, period_kind, period_end, section (first
    non-null of the person's rows), grade (official, first non-null),
    composite, ``composite_<source>`` per source present in the data,
    de_pct..ji_pct (share of the dimension's maximum, 0..100, averaged over
    sources by source weights), n_sources, source_fallback.
    """
    w = _dimension_vector(dimension_weights, settings)
    codes, ratios, sources = _ratio_arrays(rows, settings, ["person_id", "period"])
    v = _source_vector(source_weights, settings, sources)
    n = ratios.shape[0]
    present = ~np.isnan(ratios[:, :, 0])
    per_source = 100.0 * np.einsum("nsd,d->ns", ratios, w)  # NaN where missing
    eff, fallback = _effective_source_weights(present.astype(float), v)
    den = eff.sum(axis=1)
    r0 = np.nan_to_num(ratios)
    with np.errstate(invalid="ignore", divide="ignore"):
        composite = (eff * np.nan_to_num(per_source)).sum(axis=1) / den
        pct = 100.0 * np.einsum("ns,nsd->nd", eff, r0) / den[:, None]

    first = np.unique(codes, return_index=True)[1]
    out = pd.DataFrame({
        "person_id": rows["person_id"].iloc[first].to_numpy(),
        "period": rows["period"].iloc[first].to_numpy(),
    })
    if "period_kind" in rows.columns:
        out["period_kind"] = rows["period_kind"].iloc[first].to_numpy()
    else:
        out["period_kind"] = out["period"].astype(str).str.contains("Q").map(
            {True: "quarterly", False: "annual"})
    if "period_end" in rows.columns:
        out["period_end"] = rows["period_end"].iloc[first].to_numpy()
    out["section"] = _first_non_null(rows["section"], codes, n) if "section" in rows.columns else None
    out["grade"] = _first_non_null(rows["grade"], codes, n) if "grade" in rows.columns else None
    out["composite"] = composite
    for i, s in enumerate(sources):
        out[f"composite_{s}"] = per_source[:, i]
    for i, k in enumerate(PCT_KEYS):
        out[k] = pct[:, i]
    out["n_sources"] = present.sum(axis=1)
    out["source_fallback"] = fallback
    return out


def composite_cells(rows: pd.DataFrame, settings: dict, dimension_weights=None, source_weights=None):
    """The composite as a sum over (source, dimension) cells: ``C = Σ_sd a_sd · x_sd``.

    ``a_sd = w_d · e_s / Σ_s e_s`` (e: the effective source weights of
    composites(), the equal-weights fallback included) sums to 1 over the
    person's cells; ``x_sd = 100 · score_sd / max_sd`` (NaN where the person
    lacks the source). Returns (keys: person_id, period per row; sources;
    a (n, S, 4); x (n, S, 4)) with n aligned to composites()'s rows."""
    codes, ratios, sources = _ratio_arrays(rows, settings, ["person_id", "period"])
    a = cell_weights(ratios, sources, settings, dimension_weights, source_weights)
    first = np.unique(codes, return_index=True)[1]
    keys = pd.DataFrame({"person_id": rows["person_id"].iloc[first].to_numpy(),
                         "period": rows["period"].iloc[first].to_numpy()})
    return keys, sources, a, 100.0 * ratios


def cell_weights(ratios: np.ndarray, sources: list[str], settings: dict, dimension_weights=None,
                 source_weights=None) -> np.ndarray:
    """``a`` (n, S, 4) of composite_cells for ratios (n, S, 4) as
    ``_ratio_arrays`` or ``ScoreCube.ratios`` hold them (NaN: no source)."""
    w = _dimension_vector(dimension_weights, settings)
    v = _source_vector(source_weights, settings, sources)
    present = ~np.isnan(ratios[:, :, 0])
    eff, _ = _effective_source_weights(present.astype(float), v)
    den = eff.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (eff / den[:, None])[:, :, None] * w[None, None, :]


# --------------------------------------------------------------------------- rank

def _group_codes(groups) -> np.ndarray | None:
    if groups is None:
        return None
    if isinstance(groups, pd.DataFrame):
        return groups.groupby(list(groups.columns), sort=False, dropna=False).ngroup().to_numpy()
    return pd.factorize(pd.Series(np.asarray(groups, dtype=object)), use_na_sentinel=False)[0]


def _ranks_in_order(sorted_values: np.ndarray, new_group: np.ndarray | None = None) -> np.ndarray:
    """The one competition ranking (1, 2, 2, 4): ranks (K, n) of rows whose
    values are already sorted best first (within groups, each group's start
    marked in ``new_group``). Equal neighbours tie; a tie block starts at
    its first position. The rank functions below all end here."""
    K, n = sorted_values.shape
    idx = np.broadcast_to(np.arange(n), (K, n))
    new_block = np.ones((K, n), dtype=bool)
    if n > 1:
        new_block[:, 1:] = sorted_values[:, 1:] != sorted_values[:, :-1]
    if new_group is None:
        return np.maximum.accumulate(np.where(new_block, idx, 0), axis=1) + 1
    new_block |= new_group
    tie_start = np.maximum.accumulate(np.where(new_block, idx, 0), axis=1)
    grp_start = np.maximum.accumulate(np.where(new_group, idx, 0), axis=1)
    return tie_start - grp_start + 1


def _rank_rows(values: np.ndarray, gcodes: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks along axis 1 of ``values`` (K, n), already rounded.

    NaN values get a NaN rank and do not count.
    """
    K, n = values.shape
    neg = -values
    if gcodes is None:
        order = np.argsort(neg, axis=1, kind="stable")
        sg = None
    else:
        g = np.broadcast_to(gcodes, (K, n))
        order = np.lexsort((neg, g), axis=-1)
        sg = np.take_along_axis(g, order, axis=1)
    sv = np.take_along_axis(values, order, axis=1)
    new_group = None
    if sg is not None:
        new_group = np.zeros((K, n), dtype=bool)
        new_group[:, 0] = True
        if n > 1:
            new_group[:, 1:] = sg[:, 1:] != sg[:, :-1]
    r = _ranks_in_order(sv, new_group).astype(float)
    r[np.isnan(sv)] = np.nan
    ranks = np.empty((K, n))
    np.put_along_axis(ranks, order, r, axis=1)
    return ranks


def competition_rank(values, groups=None) -> np.ndarray:
    """Standard competition ranks (1, 2, 2, 4), highest value first.

    Values equal to 6 decimals tie. ``groups`` (array-like or DataFrame of
    key columns, same length) ranks within each group. Returns int64, or
    float64 with NaN for NaN values when there are any.
    """
    v = np.round(np.asarray(values, dtype=float), ROUND)
    if v.size == 0:
        return np.zeros(0, dtype=np.int64)
    r = _rank_rows(v[None, :], _group_codes(groups))[0]
    return r if np.isnan(r).any() else r.astype(np.int64)


# --------------------------------------------------------------------------- grades

def _grade_codes(cr: np.ndarray, pos: np.ndarray, n_valid: np.ndarray,
                 quarterly: np.ndarray, ga: dict, gq: dict) -> np.ndarray:
    """Grade codes 0..3 (index into grade_labels), -1 for NaN composites.

    cr: rounded composites; pos: position in the (C desc, person_id asc)
    order within the group; n_valid: group size per element.
    """
    limit_a = quota_places(ga["quota"], n_valid)
    limit_q = quota_places(gq["quota"], n_valid)
    with np.errstate(invalid="ignore"):
        top_a = (pos < limit_a) & (cr >= ga["top_floor"])
        annual = np.where(top_a, 0, np.where(cr < ga["basic_floor"], 3,
                                             np.where(cr < ga["competent_floor"], 2, 1)))
        top_q = (pos < limit_q) & (cr >= gq["top_floor"])
        quart = np.where(top_q, 0, np.where(cr >= gq["good_floor"], 1,
                                            np.where(cr >= gq["fair_floor"], 2, 3)))
    code = np.where(quarterly, quart, annual)
    return np.where(np.isnan(cr), -1, code).astype(np.int8)


def _positions(cr: np.ndarray, pid_codes: np.ndarray, gcodes: np.ndarray | None):
    """Position of each element in the (group, C desc, person_id asc) order and its group size."""
    n = cr.shape[0]
    g = np.zeros(n, dtype=np.int64) if gcodes is None else gcodes
    order = np.lexsort((pid_codes, -cr, g))
    sg = g[order]
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = sg[1:] != sg[:-1]
    start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n) - start
    valid_per_group = np.bincount(g, weights=~np.isnan(cr), minlength=int(g.max()) + 1 if n else 0)
    return pos, valid_per_group[g]


def computed_grades(composite, person_id, period_kind, settings: dict, quota=None,
                    floors: Mapping | None = None, groups=None) -> pd.Series:
    """The computed grade of each person (contract: "Computed grade").

    ``period_kind`` is 'annual' or 'quarterly', or an array of them per row
    (with ``groups`` = the period, many periods are graded at once). ``quota``
    overrides the settings' quota of the kind; ``floors`` overrides
    thresholds (top_floor, basic_floor, competent_floor, good_floor,
    fair_floor). NaN composites get no grade (None). Ties at the quota
    boundary go to the smaller person_id.
    """
    index = composite.index if isinstance(composite, pd.Series) else None
    cr = np.round(np.asarray(composite, dtype=float), ROUND)
    pid = pd.factorize(pd.Series(np.asarray(person_id, dtype=object)).astype(str), sort=True)[0]
    if isinstance(period_kind, str):
        quarterly = np.full(cr.shape, period_kind == "quarterly")
    else:
        quarterly = np.asarray(period_kind, dtype=object) == "quarterly"
    ga = _grade_settings("annual", settings, quota, floors)
    gq = _grade_settings("quarterly", settings, quota, floors)
    if cr.size == 0:
        return pd.Series([], index=index, dtype=object)
    pos, n_valid = _positions(cr, pid, _group_codes(groups))
    codes = _grade_codes(cr, pos, n_valid, quarterly, ga, gq)
    labels_a = np.array(ANNUAL_GRADES + [None], dtype=object)
    labels_q = np.array(QUARTERLY_GRADES + [None], dtype=object)
    out = np.where(quarterly, labels_q[codes], labels_a[codes])
    return pd.Series(out, index=index, dtype=object)


def grade_counts(grades, period_kind: str) -> dict:
    """{grade: count} for every grade of the kind, top first, zeros included.

    Nulls are not counted; a grade not of the kind raises ScoringError.
    """
    labels = grade_labels(period_kind)
    s = pd.Series(grades, dtype=object).dropna()
    unknown = sorted(set(s) - set(labels))
    if unknown:
        raise ScoringError("scoring.error.unknown_grade",
                           f"grades not of a {period_kind} period: {', '.join(map(str, unknown))}",
                           grades=", ".join(map(str, unknown)))
    counts = s.value_counts()
    return {g: int(counts.get(g, 0)) for g in labels}


# --------------------------------------------------------------------------- scored periods

def scored(rows: pd.DataFrame, settings: dict, dimension_weights=None, source_weights=None,
           quota=None) -> pd.DataFrame:
    """composites() plus rank (within period), section_rank (within period
    and section) and computed_grade (within period), for any number of periods."""
    return ranked(composites(rows, settings, dimension_weights, source_weights), settings, quota)


def ranked(df: pd.DataFrame, settings: dict, quota=None) -> pd.DataFrame:
    """``df`` (composites() of whole periods, in one frame) with rank,
    section_rank and computed_grade added, as :func:`scored` gives them."""
    df["rank"] = competition_rank(df["composite"], groups=df["period"])
    df["section_rank"] = competition_rank(df["composite"], groups=df[["period", "section"]])
    df["computed_grade"] = computed_grades(df["composite"], df["person_id"], df["period_kind"].to_numpy(),
                                           settings, quota=quota, groups=df["period"])
    return df


def period_summary(df: pd.DataFrame, period_kind: str) -> dict:
    """Figures of one scored period for ``report``: assessed, mean, median,
    std (sample), grades (computed, all grades), official_grades (None when
    no official grade is given)."""
    c = df["composite"].dropna()
    official = df["grade"].dropna() if "grade" in df.columns else pd.Series([], dtype=object)
    return {
        "assessed": int(c.size),
        "mean": float(c.mean()) if c.size else None,
        "median": float(c.median()) if c.size else None,
        "std": float(c.std(ddof=1)) if c.size > 1 else None,
        "grades": grade_counts(df["computed_grade"], period_kind),
        "official_grades": grade_counts(official, period_kind) if official.size else None,
    }


# --------------------------------------------------------------------------- section figures

def _drop_leadership(df: pd.DataFrame, settings: dict, include_leadership: bool) -> pd.DataFrame:
    keep = df["section"].notna()
    if not include_leadership:
        keep &= df["section"] != settings.get("leadership_section")
    return df[keep]


def differentiation(df: pd.DataFrame, settings: dict, include_leadership: bool = False) -> pd.DataFrame:
    """Differentiation (拉开档次) per section-period.

    ``df``: section, composite and optionally period. Returns section
    (, period), n, mean, median, std, iqr, range, egalitarian. The
    leadership section is left out unless ``include_leadership``; rows with
    no section are left out. egalitarian: n ≥ egalitarian_min_n and std
    (rounded to 6 decimals) < egalitarian_std.
    """
    d = _drop_leadership(df[[c for c in ("section", "period", "composite") if c in df]], settings, include_leadership)
    d = d[d["composite"].notna()]
    keys = ["section"] + (["period"] if "period" in d.columns else [])
    cols = keys + ["n", "mean", "median", "std", "iqr", "range", "egalitarian"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    g = d.groupby(keys, sort=True)["composite"]
    out = g.agg(n="count", mean="mean", median="median", std="std",  # sample std (ddof=1), cythonised
                lo="min", hi="max")
    q = g.quantile([0.25, 0.75]).unstack()
    out["iqr"] = q[0.75] - q[0.25]
    out["range"] = out["hi"] - out["lo"]
    out["n"] = out["n"].astype(np.int64)
    out["egalitarian"] = (out["n"] >= int(settings["egalitarian_min_n"])) & \
        (out["std"].round(ROUND) < float(settings["egalitarian_std"])).fillna(False)
    out["egalitarian"] = out["egalitarian"].astype(bool)
    return out.reset_index()[cols]


def turn_taking(annual_df: pd.DataFrame, settings: dict, up_to_period: str | None = None,
                quota=None, include_leadership: bool = False):
    """Turn-taking (轮流坐庄) per section over annual periods ending on or
    before the end of ``up_to_period`` (all when None).

    ``annual_df``: person_id, period, section, composite, grade (official);
    quarterly rows (period_kind 'quarterly' or a 'Q' in period) are ignored.
    In each section-year the top ``ceil(quota · n)`` by C desc then
    person_id (n = those with a composite) are "in the top"; awards are the
    official top annual grades; the index is Σ outside / Σ awards over the
    years (null when no award); flagged when index ≥ turn_taking_share and
    awards ≥ turn_taking_min_awards.

    Returns (summary [section, index, awards, outside, flagged],
    detail [section, period, person_id, composite, section_rank, in_top,
    awarded] of everyone awarded or in the top).
    """
    top = ANNUAL_GRADES[0]
    q = _grade_settings("annual", settings, quota)["quota"]
    d = annual_df[[c for c in ("person_id", "period", "period_kind", "section", "composite", "grade") if c in annual_df]]
    d = d[d["period_kind"] == "annual"] if "period_kind" in d.columns else d
    d = d[~d["period"].astype(str).str.contains("Q")]
    if up_to_period is not None:
        end = period_end(up_to_period)
        last_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        d = d[d["period"].astype(str).str[:4].astype(int) <= last_year]
    d = _drop_leadership(d, settings, include_leadership).reset_index(drop=True)
    summary_cols = ["section", "index", "awards", "outside", "flagged"]
    detail_cols = ["section", "period", "person_id", "composite", "section_rank", "in_top", "awarded"]
    if d.empty:
        return pd.DataFrame(columns=summary_cols), pd.DataFrame(columns=detail_cols)
    cr = np.round(d["composite"].to_numpy(dtype=float), ROUND)
    ids = d["person_id"]  # Arrow strings as they are: 300,000 ids as Python objects cost more than the rest
    pid = pd.factorize(ids if isinstance(ids.dtype, pd.StringDtype) else ids.astype(str), sort=True)[0]
    gcodes = d.groupby(["section", "period"], sort=False).ngroup().to_numpy()
    pos, n_valid = _positions(cr, pid, gcodes)
    in_top = (pos < np.ceil(q * n_valid - EPS)) & ~np.isnan(cr)
    awarded = (d["grade"] == top).fillna(False).to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "section": d["section"].array, "period": d["period"].array,
        "person_id": ids.array, "composite": d["composite"].to_numpy(dtype=float),
        "in_top": in_top, "awarded": awarded, "outside": awarded & ~in_top,
    })
    frame["section_rank"] = competition_rank(frame["composite"], groups=gcodes)
    s = frame.groupby("section", sort=True)[["awarded", "outside"]].sum()
    s = s.rename(columns={"awarded": "awards"}).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        s["index"] = np.where(s["awards"] > 0, s["outside"] / s["awards"].where(s["awards"] > 0), np.nan)
    s["flagged"] = (s["index"] >= float(settings["turn_taking_share"])).fillna(False) & \
        (s["awards"] >= int(settings["turn_taking_min_awards"]))
    s["flagged"] = s["flagged"].astype(bool)
    summary = s.reset_index()[summary_cols]
    detail = frame[frame["awarded"] | frame["in_top"]].sort_values(
        ["section", "period", "section_rank", "person_id"]).reset_index(drop=True)[detail_cols]
    return summary, detail


# --------------------------------------------------------------------------- what-if cube

@dataclass
class Evaluation:
    """Result of ScoreCube.evaluate, arrays aligned with cube.person_ids."""

    composite: np.ndarray   # float (n,)
    rank: np.ndarray        # int64 (n,), competition rank in the cube
    grade_code: np.ndarray  # int8 (n,), index into labels
    labels: list[str]

    @property
    def grade(self) -> np.ndarray:
        return np.asarray(self.labels, dtype=object)[self.grade_code]


class ScoreCube:
    """One period's scores as arrays, built once, evaluated under many weights.

    ``ratios[n, S, 4]``: score / maximum per person, source and dimension
    (NaN where the person lacks the source); ``person_ids`` sorted
    ascending, ``sections`` and ``official_grades`` aligned with them.
    ``people`` restricts the cube (and so the quota's n) to those ids;
    ``sections`` (mapping person_id -> section) overrides the rows' section.
    """

    def __init__(self, rows: pd.DataFrame, settings: dict, period: str | None = None,
                 people: Iterable[str] | None = None, sections: Mapping | pd.Series | None = None):
        if period is not None:
            rows = rows[rows["period"] == period]
        periods = pd.unique(rows["period"])
        if len(periods) != 1:
            raise ScoringError("scoring.error.one_period",
                               f"a what-if needs exactly one period, got {len(periods)}",
                               count=len(periods))
        if people is not None:
            rows = rows[rows["person_id"].isin(list(people))]
        rows = rows.reset_index(drop=True)
        self.settings = settings
        self.period = str(periods[0])
        if "period_kind" in rows.columns and rows["period_kind"].notna().any():
            self.period_kind = str(rows["period_kind"].dropna().iloc[0])
        else:
            self.period_kind = period_kind_of(self.period)
        codes, ratios, sources = _ratio_arrays(rows, settings, ["person_id"])
        n = ratios.shape[0]
        first = np.unique(codes, return_index=True)[1]
        self.person_ids = rows["person_id"].astype(str).to_numpy()[first]
        sec = _first_non_null(rows["section"], codes, n) if "section" in rows.columns \
            else np.full(n, None, dtype=object)
        if sections is not None:
            override = pd.Series(sections) if not isinstance(sections, pd.Series) else sections
            mapped = pd.Series(self.person_ids).map(override).to_numpy(dtype=object)
            sec = np.where(pd.notna(mapped), mapped, sec)
        self.sections = sec
        self.official_grades = _first_non_null(rows["grade"], codes, n) if "grade" in rows.columns \
            else np.full(n, None, dtype=object)
        self.sources = sources
        self.ratios = ratios
        present = ~np.isnan(ratios[:, :, 0])
        self.present = present.astype(float)
        r0 = np.nan_to_num(ratios)
        self._flat = np.ascontiguousarray(r0.reshape(n, -1))
        self._rsum = r0.sum(axis=1)
        self.labels = grade_labels(self.period_kind)

    def __len__(self) -> int:
        return len(self.person_ids)

    def weight_vectors(self, dim_w=None, src_w=None) -> tuple[np.ndarray, np.ndarray]:
        """(dimension weights (4,) summing 1, source weights (S,) in cube order)."""
        return _dimension_vector(dim_w, self.settings), _source_vector(src_w, self.settings, self.sources)

    def composites_many(self, W: np.ndarray, V: np.ndarray) -> np.ndarray:
        """Composites (K, n) for K dimension weight rows W (K, 4) and source rows V (K, S)."""
        return _combine_many(self._flat, self.present, self._rsum,
                             np.atleast_2d(W), np.atleast_2d(V))

    def evaluate(self, dim_w=None, src_w=None, quota=None, floors: Mapping | None = None) -> Evaluation:
        """Composites, competition ranks and computed grades under these weights.

        Weights default to the settings', quota and floors likewise.
        """
        g = _grade_settings(self.period_kind, self.settings, quota, floors)
        w, v = self.weight_vectors(dim_w, src_w)
        c = self.composites_many(w[None, :], v[None, :])[0]
        cr = np.round(c, ROUND)
        n = cr.shape[0]
        # person_ids are sorted, so a stable sort on -C breaks ties by person_id
        order = np.argsort(-cr, kind="stable")
        idx = np.arange(n)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = _ranks_in_order(cr[order][None, :])[0]
        pos = np.empty(n, dtype=np.int64)
        pos[order] = idx
        quarterly = self.period_kind == "quarterly"
        other = _grade_settings("annual" if quarterly else "quarterly", self.settings, None, floors)
        ga, gq = (other, g) if quarterly else (g, other)
        codes = _grade_codes(cr, pos, np.full(n, n), np.full(n, quarterly), ga, gq)
        return Evaluation(composite=c, rank=rank, grade_code=codes, labels=self.labels)


def _perturb(base: np.ndarray, spread: float, rng: np.random.Generator, samples: int) -> np.ndarray:
    """samples × len(base) weights: base (scaled to sum 1) ± uniform(spread),
    clipped ≥ 0 and renormalised to sum 1 (source weights are only relative,
    so the scaling is harmless). A row that clips to all zeros keeps the base.
    """
    total = base.sum()
    b = base / total if total > 0 else base
    P = b[None, :] + rng.uniform(-spread, spread, size=(samples, b.size))
    P = np.clip(P, 0.0, None)
    s = P.sum(axis=1, keepdims=True)
    P = np.where(s > 0, P / np.where(s > 0, s, 1.0), b[None, :])
    return P


def stability(cube: ScoreCube, dim_w=None, src_w=None, spread: float = 0.05, samples: int = 300,
              seed: int = 0, quota=None, floors: Mapping | None = None) -> pd.DataFrame:
    """How stable each person's rank and grade are to small weight changes.

    Every weight (dimension and source, each scaled to sum 1) is moved by a
    uniform amount in ±spread (0.05 = ±5 points), clipped at 0 and
    renormalised; all samples are evaluated at once (samples × n matrix).
    Returns person_id, section, rank (under the given weights), rank_min,
    rank_max, rank_median, top_share (share of samples with the top grade).
    """
    if not (int(samples) == samples and samples >= 1 and 0.0 <= spread <= 1.0):
        raise ScoringError("scoring.error.samples_invalid",
                           f"samples must be a positive integer and spread in [0, 1] "
                           f"(got {samples}, {spread})")
    samples = int(samples)
    g = _grade_settings(cube.period_kind, cube.settings, quota, floors)
    w, v = cube.weight_vectors(dim_w, src_w)
    rng = np.random.default_rng(seed)
    # only the sources in the cube matter; 综合 (alone) is unaffected by its weight
    W = _perturb(w, spread, rng, samples)
    V = _perturb(v, spread, rng, samples) if v.sum() > 0 else np.broadcast_to(v, (samples, v.size))
    n = len(cube)
    limit = quota_places(g["quota"], n)
    ranks = np.empty((samples, n), dtype=np.int32)
    top_count = np.zeros(n, dtype=np.int64)
    block = max(1, 4_000_000 // max(n, 1))  # bound memory: ~4M cells per block
    idx = np.arange(n, dtype=np.int64)
    floor_int = np.rint(g["top_floor"] * 10**ROUND)
    for k0 in range(0, samples, block):       # loop over blocks of samples, not people
        C = cube.composites_many(W[k0:k0 + block], V[k0:k0 + block])
        if np.isnan(C).any():                 # not in a cube built from rows; kept for safety
            raise ScoringError("scoring.error.no_rows", "a person in the cube has no score")
        # one integer sort gives both orders: key = -C·1e6 · n + index (index = person_id order)
        key = -np.rint(C * 10**ROUND).astype(np.int64) * n + idx
        key.sort(axis=1)
        order = key % n
        neg_c = key // n
        r = _ranks_in_order(neg_c)
        part = np.empty(key.shape, dtype=np.int32)
        np.put_along_axis(part, order, r.astype(np.int32), axis=1)
        ranks[k0:k0 + block] = part
        top_sorted = (idx < limit) & (-neg_c >= floor_int)
        top_count += np.bincount(order[top_sorted], minlength=n)
    base = cube.evaluate(dim_w, src_w, quota, floors)
    return pd.DataFrame({
        "person_id": cube.person_ids, "section": cube.sections, "rank": base.rank,
        "rank_min": ranks.min(axis=0).astype(np.int64), "rank_max": ranks.max(axis=0).astype(np.int64),
        "rank_median": np.median(ranks, axis=0), "top_share": top_count / samples,
    })


# --------------------------------------------------------------------------- bonus

@dataclass
class BonusSplit:
    amounts: np.ndarray   # per person
    total: float          # Σ amounts: the pool, or 0 when unallocated
    unallocated: bool     # True when every coefficient in play is 0 (nothing paid)


def bonus_split(grades, coefficients: Mapping[str, float], pool: float) -> BonusSplit:
    """Split ``pool`` by grade coefficients: amount = pool · coef_g / Σ coef.

    A grade missing from ``coefficients`` (or a null grade) weighs 0.
    Negative coefficients or pool raise ScoringError. When all coefficients
    in play are 0, everyone gets 0 and ``unallocated`` is set.
    """
    bad = [k for k, c in coefficients.items() if not (math.isfinite(float(c)) and float(c) >= 0)]
    if bad or not (math.isfinite(float(pool)) and float(pool) >= 0):
        raise ScoringError("scoring.error.bonus_invalid",
                           "bonus pool and coefficients must be numbers not below 0")
    # Vectorised lookup: grades as category codes into an array of coefficients.
    labels = list(coefficients)
    codes = pd.Categorical(pd.Series(grades, dtype=object), categories=labels).codes
    table = np.append(np.array([float(coefficients[k]) for k in labels], dtype=float), 0.0)
    c = table[codes] if len(codes) else np.zeros(0)  # code -1 (unknown, null) takes the trailing 0
    total_coef = math.fsum(c)
    if total_coef <= 0:
        return BonusSplit(amounts=np.zeros(c.size), total=0.0, unallocated=True)
    amounts = float(pool) * (c / total_coef)  # shares first: pool * c could underflow
    return BonusSplit(amounts=amounts, total=math.fsum(amounts), unallocated=False)
