"""The lab's result views of a scenario beside the office's settings: people
by rank, movers, grade changes and counts, section shifts, headline counts,
stability of ranks under small weight changes, the bonus split, two
scenarios compared, and the lab's display names. Composites, ranks, grades,
stability and bonus shares come from ``cadre.scoring``; this module only
shapes them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cadre import i18n, scoring
from cadre.settings import DIMENSIONS, SOURCES
from cadre.whatif.lab import Lab
from cadre.whatif.scenario import FLOOR_KEYS, Scenario

STABILITY_SPREAD = 0.05         # ±5 points on every weight
STABILITY_SAMPLES = 300
VIEWS = ("ranks", "grades", "sections", "stability", "bonus", "table")   # the lab's result views
BAND_ROWS = 40                  # people shown in the rank band chart (top of the ranking)
# result columns shown under the lab's own header keys (col.whatif_<name>)
DISPLAY_COLUMNS = ("rank", "baseline_composite", "baseline_rank", "baseline_grade", "rank_change", "change",
                   "baseline_amount", "amount", "rank_min", "rank_max", "rank_median", "top_share",
                   "band", "robust", "baseline_mean", "scenario_mean", "shift")


def people(lab: Lab, ev: scoring.Evaluation, section: str | None = None) -> pd.DataFrame:
    """Everyone in scope under the scenario beside the baseline, by rank:
    person_id, name, section, composite, rank, grade, baseline_composite,
    baseline_rank, baseline_grade, rank_change (positive = moves up)."""
    m = lab.scope_mask(section)
    df = pd.DataFrame({
        "person_id": lab.cube.person_ids[m], "name": lab.names[m], "section": lab.sections[m],
        "composite": ev.composite[m], "rank": ev.rank[m], "grade": ev.grade[m],
        "baseline_composite": lab.base.composite[m], "baseline_rank": lab.base.rank[m],
        "baseline_grade": lab.base.grade[m],
    })
    df["rank_change"] = df["baseline_rank"] - df["rank"]
    order = np.lexsort((df["person_id"].to_numpy(), df["rank"].to_numpy()))
    return df.iloc[order].reset_index(drop=True)


def movers(frame: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """The ``top`` people whose rank moves most (ties: better scenario rank first);
    those who do not move are left out."""
    moved = frame[frame["rank_change"] != 0]
    if moved.empty:
        return moved
    key = -moved["rank_change"].abs().to_numpy()
    order = np.lexsort((moved["person_id"].to_numpy(), moved["rank"].to_numpy(), key))
    return moved.iloc[order[:top]].reset_index(drop=True)


def grade_changes(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Who changes grade: the people rows plus ``change`` in
    {'gains_top', 'loses_top', 'drops_low', 'rises_from_low', 'other'};
    'drops_low' = falls below the second grade (annual: below 称职)."""
    labels = scoring.grade_labels(kind)
    code = {g: i for i, g in enumerate(labels)}
    ch = frame[frame["grade"] != frame["baseline_grade"]].copy()
    new = ch["grade"].map(code).to_numpy(dtype=float)
    old = ch["baseline_grade"].map(code).to_numpy(dtype=float)
    change = np.select(
        [new == 0, old == 0, (new >= 2) & (old < 2), (new < 2) & (old >= 2)],
        ["gains_top", "loses_top", "drops_low", "rises_from_low"], default="other")
    ch["change"] = change
    cols = ["person_id", "name", "section", "baseline_grade", "grade", "baseline_rank", "rank",
            "baseline_composite", "composite", "change"]
    return ch[cols].reset_index(drop=True)


def grade_counts(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """grade, baseline, scenario, change: counts per grade in scope, top first."""
    b = scoring.grade_counts(frame["baseline_grade"], kind)
    s = scoring.grade_counts(frame["grade"], kind)
    out = pd.DataFrame({"grade": list(b), "baseline": list(b.values()), "scenario": [s[g] for g in b]})
    out["change"] = out["scenario"] - out["baseline"]
    return out


def section_shifts(frame: pd.DataFrame) -> pd.DataFrame:
    """section, n, baseline_mean, scenario_mean, shift, baseline_top, scenario_top:
    per section (everyone with a section), by shift."""
    d = frame[frame["section"].notna()]
    if d.empty:
        return pd.DataFrame(columns=["section", "n", "baseline_mean", "scenario_mean", "shift"])
    g = d.groupby("section", sort=True).agg(n=("person_id", "size"), baseline_mean=("baseline_composite", "mean"),
                                            scenario_mean=("composite", "mean"))
    g["shift"] = g["scenario_mean"] - g["baseline_mean"]
    g["n"] = g["n"].astype(np.int64)
    return g.reset_index().sort_values(["shift", "section"], ascending=[False, True]).reset_index(drop=True)


def summary(frame: pd.DataFrame, kind: str) -> dict:
    """Headline counts: moved (rank changed), up, down, grade_changed, top
    (baseline, scenario), max_move."""
    top = scoring.grade_labels(kind)[0]
    rc = frame["rank_change"].to_numpy()
    return {
        "n": int(len(frame)), "moved": int((rc != 0).sum()), "up": int((rc > 0).sum()),
        "down": int((rc < 0).sum()),
        "grade_changed": int((frame["grade"] != frame["baseline_grade"]).sum()),
        "top_baseline": int((frame["baseline_grade"] == top).sum()),
        "top_scenario": int((frame["grade"] == top).sum()),
        "max_move": int(np.abs(rc).max()) if len(rc) else 0,
    }


def stability_samples(n: int) -> int:
    """Samples for the stability view: a few hundred, fewer for very large periods
    (the cost is samples × people)."""
    return STABILITY_SAMPLES if n <= 20_000 else 100


def stability(lab: Lab, spec: Scenario, section: str | None = None,
              samples: int | None = None, spread: float = STABILITY_SPREAD, seed: int = 0) -> pd.DataFrame:
    """Rank range of each person in scope when every weight moves by up to
    ±``spread`` (scoring.stability over the whole period, then the scope):
    person_id, name, section, rank, rank_min, rank_max, rank_median,
    top_share, grade, robust (the top grade is all or nothing across samples), by rank."""
    spec = spec.for_kind(lab.kind, lab.settings)
    samples = stability_samples(len(lab)) if samples is None else samples
    st = scoring.stability(lab.cube, spec.dim_weights(), spec.source_weights(), spread=spread,
                           samples=samples, seed=seed, quota=spec.quota_share(), floors=spec.floors_dict())
    ev = lab.evaluate(spec)
    st.insert(1, "name", lab.names)
    st["grade"] = ev.grade
    st["band"] = st["rank_max"] - st["rank_min"]
    st["robust"] = (st["top_share"] <= 0.0) | (st["top_share"] >= 1.0)
    st = st[lab.scope_mask(section)]
    order = np.lexsort((st["person_id"].to_numpy(), st["rank"].to_numpy()))
    return st.iloc[order].reset_index(drop=True)


def bonus(lab: Lab, ev: scoring.Evaluation, spec: Scenario, section: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Each person's bonus share, baseline grades vs the scenario's grades,
    the same pool and coefficients (the pool is split over the whole
    period, then shown for the scope). Returns (frame: person_id, name,
    section, baseline_grade, grade, baseline_amount, amount, change — by
    change; totals: pool, baseline_total, scenario_total, unallocated)."""
    spec = spec.for_kind(lab.kind, lab.settings)
    coef = spec.coefficients()
    b = scoring.bonus_split(lab.base.grade, coef, spec.pool)
    s = scoring.bonus_split(ev.grade, coef, spec.pool)
    m = lab.scope_mask(section)
    df = pd.DataFrame({
        "person_id": lab.cube.person_ids[m], "name": lab.names[m], "section": lab.sections[m],
        "baseline_grade": lab.base.grade[m], "grade": ev.grade[m],
        "baseline_amount": b.amounts[m], "amount": s.amounts[m],
    })
    df["change"] = df["amount"] - df["baseline_amount"]
    order = np.lexsort((df["person_id"].to_numpy(), -df["change"].to_numpy()))
    totals = {"pool": float(spec.pool), "baseline_total": b.total, "scenario_total": s.total,
              "unallocated": bool(b.unallocated or s.unallocated)}
    return df.iloc[order].reset_index(drop=True), totals


def compare(lab: Lab, a: Scenario, b: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two scenarios side by side on one period.

    Returns (settings: item, a, b — the weights, quota and floors; outcome:
    item, a, b — grade counts, people whose grade or rank differs from the
    baseline, and between the two)."""
    a, b = a.for_kind(lab.kind, lab.settings), b.for_kind(lab.kind, lab.settings)
    items = [f"dim:{d}" for d in DIMENSIONS] + [f"source:{s}" for s in SOURCES] + ["quota"] + \
        [f"floor:{k}" for k in FLOOR_KEYS[lab.kind]]
    settings_tbl = pd.DataFrame({"item": items,
                                 "a": list(a.dims) + list(a.sources) + [a.quota] + list(a.floors),
                                 "b": list(b.dims) + list(b.sources) + [b.quota] + list(b.floors)})
    ea, eb = lab.evaluate(a), lab.evaluate(b)
    ca = scoring.grade_counts(ea.grade, lab.kind)
    cb = scoring.grade_counts(eb.grade, lab.kind)
    out_items = [f"grade:{g}" for g in ca] + ["grade_vs_baseline", "rank_vs_baseline", "grade_a_vs_b", "rank_a_vs_b"]
    va = list(ca.values()) + [int((ea.grade != lab.base.grade).sum()), int((ea.rank != lab.base.rank).sum()),
                              int((ea.grade != eb.grade).sum()), int((ea.rank != eb.rank).sum())]
    vb = list(cb.values()) + [int((eb.grade != lab.base.grade).sum()), int((eb.rank != lab.base.rank).sum()),
                              va[-2], va[-1]]
    return settings_tbl, pd.DataFrame({"item": out_items, "a": va, "b": vb})


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A result frame with the lab's own columns renamed to ``whatif_<name>``
    (their header keys are in the lab's catalogue)."""
    return frame.rename(columns={c: f"whatif_{c}" for c in DISPLAY_COLUMNS if c in frame.columns})


def item_label(item: str, lang: str) -> str:
    """The label of a comparison row (``dim:德``, ``source:…``, ``floor:top_floor``,
    ``grade:优秀``, ``quota``, …)."""
    kind, _, value = item.partition(":")
    if kind in ("dim", "source", "grade"):
        return i18n.t(f"whatif.item.{kind}", lang, name=i18n.value_label(value, lang))
    if kind == "floor":
        return i18n.t(f"whatif.item.floor.{value}", lang)
    return i18n.t(f"whatif.item.{item}", lang)

