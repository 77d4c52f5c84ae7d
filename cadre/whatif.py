"""The what-if weighting lab: scenarios, their effect against the office's
settings, stability of ranks under small weight changes, the bonus link, and
saved scenarios.

The service behind pages/whatif.py and ``bash scripts/cadre whatif``: no
Streamlit here. Composites, ranks, grades, stability and bonus shares all come
from ``cadre.scoring`` (the one scoring implementation, vectorised); this
module only shapes scenarios and results.

A **scenario** holds percentages: dimension weights and source weights (each
summing to 100), the top-grade quota (0..100 %), the kind's three grade floors
(annual: 优秀 floor, 称职 floor, 基本称职 floor; quarterly: 好, 较好, 一般),
a bonus pool and a coefficient per grade (top grade first). It travels as a
URL query string (``?w=20,20,20,40&s=40,20,30,10&q=15&f=85,70,60&b=100000&c=1.2,1,0.5,0``)
and as JSON in table ``scenarios``.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from cadre import i18n, scoring, store
from cadre.settings import DIMENSIONS, SOURCES

TOTAL = 100.0
UNITS = 100                     # weights are kept in hundredths of a percentage point
FLOOR_KEYS = {
    "annual": ("top_floor", "competent_floor", "basic_floor"),
    "quarterly": ("top_floor", "good_floor", "fair_floor"),
}
PRESETS = ("current", "equal", "performance")
PERFORMANCE_SHARE = 50.0        # "performance first": 绩 at 50 %
STABILITY_SPREAD = 0.05         # ±5 points on every weight
STABILITY_SAMPLES = 300
NAME_MAX = 60
VIEWS = ("ranks", "grades", "sections", "stability", "bonus", "table")   # the lab's result views
BAND_ROWS = 40                  # people shown in the rank band chart (top of the ranking)
# result columns shown under the lab's own header keys (col.whatif_<name>)
DISPLAY_COLUMNS = ("rank", "baseline_composite", "baseline_rank", "baseline_grade", "rank_change", "change",
                   "baseline_amount", "amount", "rank_min", "rank_max", "rank_median", "top_share",
                   "band", "robust", "baseline_mean", "scenario_mean", "shift")


# --------------------------------------------------------------------------- weights

def _largest_remainder(shares: np.ndarray, total_units: int) -> np.ndarray:
    """Integers proportional to ``shares`` (not negative) summing to ``total_units``."""
    shares = np.asarray(shares, dtype=float)
    if total_units <= 0 or shares.size == 0:
        return np.zeros(shares.size, dtype=np.int64)
    s = shares.sum()
    if not s > 0:
        shares = np.ones(shares.size)
        s = float(shares.size)
    exact = shares / s * total_units
    base = np.floor(exact + 1e-9).astype(np.int64)
    left = int(total_units - base.sum())
    if left > 0:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:left]] += 1
    return base


def normalise_percent(values: Sequence[float]) -> list[float] | None:
    """Weights (not negative) scaled to percentages that sum to exactly 100.00
    (hundredths by largest remainder). None when they sum to 0, or a value is
    negative or not finite."""
    v = np.asarray([float(x) for x in values], dtype=float)
    if v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0) or not v.sum() > 0:
        return None
    return (_largest_remainder(v, int(TOTAL * UNITS)) / UNITS).tolist()


def rescale(values: Sequence[float], index: int, new_value: float,
            locked: Collection[int] = ()) -> list[float]:
    """Set weight ``index`` to ``new_value`` (percent) and rescale the others
    so that all sum to 100.

    Locked weights keep their value; the unlocked others share what is left
    in proportion to their current values (equally when they are all 0).
    ``new_value`` is clipped to what the locks leave; with no unlocked other
    weight the value cannot move and the weights come back unchanged (scaled
    to 100). Pure; results in hundredths of a point, summing to exactly 100.
    """
    units = np.rint(np.asarray(values, dtype=float) * UNITS).astype(np.int64)
    units = np.clip(units, 0, None)
    n = units.size
    if not 0 <= index < n:
        raise IndexError(f"weight index {index} out of range 0..{n - 1}")
    total = int(TOTAL * UNITS)
    fixed = np.zeros(n, dtype=bool)
    for i in locked:
        if 0 <= i < n and i != index:
            fixed[i] = True
    free = ~fixed
    free[index] = False
    if not free.any():
        return (_largest_remainder(units, total) / UNITS).tolist() if units.sum() != total \
            else (units / UNITS).tolist()
    locked_sum = int(units[fixed].sum())
    if locked_sum > total:            # inconsistent input: scale the locks down
        units[fixed] = _largest_remainder(units[fixed], total)
        locked_sum = total
    room = total - locked_sum
    new_units = int(min(max(round(float(new_value) * UNITS), 0), room))
    out = units.copy()
    out[index] = new_units
    out[free] = _largest_remainder(units[free], room - new_units)
    return (out / UNITS).tolist()


# --------------------------------------------------------------------------- scenarios

def _fmt(x: float) -> str:
    """A number for a URL: no trailing zeros ('20', '16.67', '1.2')."""
    text = f"{float(x):.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _floats(text, count: int) -> list[float] | None:
    try:
        parts = [float(p) for p in str(text).split(",")]
    except (TypeError, ValueError):
        return None
    if len(parts) != count or not all(math.isfinite(p) for p in parts):
        return None
    return parts


@dataclass(frozen=True)
class Scenario:
    """A what-if scenario in percentages (see the module docstring)."""

    dims: tuple                 # 4 percentages, order 德能勤绩, sum 100
    sources: tuple              # 4 percentages, order of settings.SOURCES, sum 100
    quota: float                # top-grade quota, percent of those assessed
    floors: tuple               # the kind's three floors, top first
    kind: str = "annual"        # the period kind the quota and floors belong to
    pool: float = 0.0           # bonus pool
    coefs: tuple = (1.2, 1.0, 0.5, 0.0)  # bonus coefficient per grade, top first

    # -- scoring arguments
    def dim_weights(self) -> dict:
        return dict(zip(DIMENSIONS, (float(x) for x in self.dims)))

    def source_weights(self) -> dict:
        return dict(zip(SOURCES, (float(x) for x in self.sources)))

    def quota_share(self) -> float:
        return float(self.quota) / 100.0

    def floors_dict(self) -> dict:
        return dict(zip(FLOOR_KEYS[self.kind], (float(x) for x in self.floors)))

    def coefficients(self) -> dict:
        return dict(zip(scoring.grade_labels(self.kind), (float(x) for x in self.coefs)))

    # -- URL and JSON
    def to_query(self) -> dict[str, str]:
        """Query parameters that reproduce the scenario."""
        return {
            "w": ",".join(_fmt(x) for x in self.dims),
            "s": ",".join(_fmt(x) for x in self.sources),
            "q": _fmt(self.quota),
            "f": ",".join(_fmt(x) for x in self.floors),
            "b": _fmt(self.pool),
            "c": ",".join(_fmt(x) for x in self.coefs),
        }

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | Mapping, settings: dict, kind: str | None = None) -> "Scenario":
        """A stored scenario (JSON text or its dict); fields that are missing
        or bad take the settings'."""
        return cls.from_dict(json.loads(text) if isinstance(text, str) else dict(text), settings, kind)

    @classmethod
    def from_dict(cls, data: Mapping, settings: dict, kind: str | None = None) -> "Scenario":
        """The scenario of ``to_json``'s fields, checked one by one (weights
        scaled to 100, quota and floors within 0..100 and floors in order,
        pool and coefficients not negative); a missing or bad field takes
        the settings'. On ``kind`` when given."""
        spec_kind = data.get("kind") if data.get("kind") in FLOOR_KEYS else "annual"
        base = baseline(settings, spec_kind)

        def numbers(name, count):
            value = data.get(name)
            if not isinstance(value, (list, tuple)) or len(value) != count:
                return None
            return _floats(",".join(str(x) for x in value), count)

        def number(name):
            value = data.get(name)
            return None if value is None else (_floats(str(value), 1) or [None])[0]

        values = {}
        for name in ("dims", "sources"):
            norm = normalise_percent(numbers(name, 4) or [])
            if norm is not None and len(norm) == 4:
                values[name] = tuple(norm)
        quota = number("quota")
        if quota is not None and 0.0 <= quota <= 100.0:
            values["quota"] = quota
        floors = numbers("floors", 3)
        if floors and all(0.0 <= x <= 100.0 for x in floors) and floors[0] >= floors[1] >= floors[2]:
            values["floors"] = tuple(floors)
        pool = number("pool")
        if pool is not None and pool >= 0:
            values["pool"] = pool
        coefs = numbers("coefs", 4)
        if coefs and all(x >= 0 for x in coefs):
            values["coefs"] = tuple(coefs)
        spec = replace(base, **values)
        return spec.for_kind(kind, settings) if kind else spec

    def for_kind(self, kind: str, settings: dict) -> "Scenario":
        """The scenario on a period of ``kind``: same weights, bonus pool and
        coefficients; quota and floors the settings' when the kind differs."""
        if kind == self.kind:
            return self
        b = baseline(settings, kind)
        return replace(self, kind=kind, quota=b.quota, floors=b.floors)


def baseline(settings: dict, kind: str = "annual") -> Scenario:
    """The office's current settings as a scenario (the 'current' preset)."""
    g = settings["quarterly_grades" if kind == "quarterly" else "annual_grades"]
    dims = normalise_percent([settings["dimension_weights"].get(d, 0.0) for d in DIMENSIONS])
    srcs = normalise_percent([settings["source_weights"].get(s, 0.0) for s in SOURCES])
    bonus = settings.get("bonus") or {}
    coef_map = bonus.get("coefficients") or {}
    annual = scoring.grade_labels("annual")
    coefs = tuple(float(coef_map.get(g_, coef_map.get(annual[i], d)))
                  for i, (g_, d) in enumerate(zip(scoring.grade_labels(kind), (1.2, 1.0, 0.5, 0.0))))
    return Scenario(
        dims=tuple(dims or [25.0] * 4), sources=tuple(srcs or [25.0] * 4),
        quota=round(float(g["quota"]) * 100.0, 6),
        floors=tuple(float(g[k]) for k in FLOOR_KEYS[kind]), kind=kind,
        pool=float(bonus.get("pool", 0.0)), coefs=coefs,
    )


def preset(name: str, settings: dict, kind: str = "annual", current: Scenario | None = None) -> Scenario:
    """A preset's weights on top of ``current`` (else the settings).

    current: the office's settings; equal: equal dimension and source weights;
    performance: 绩 at 50 %, the other dimensions rescaled proportionally
    (source weights, quota and floors as in the office's settings).
    """
    base = baseline(settings, kind)
    if name == "current":
        return base
    start = current or base
    if name == "equal":
        return replace(start, dims=(25.0,) * 4, sources=(25.0,) * 4)
    if name == "performance":
        dims = rescale(base.dims, DIMENSIONS.index("绩"), PERFORMANCE_SHARE)
        return replace(start, dims=tuple(dims), sources=base.sources)
    raise KeyError(f"unknown preset {name!r}")


def from_query(params: Mapping, base: Scenario) -> tuple[Scenario, list[str]]:
    """A scenario from URL query parameters over ``base``.

    Returns (scenario, keys ignored because they were malformed or out of
    range). Weights are scaled to 100; weights that sum to 0 are ignored.
    """
    bad: list[str] = []
    values = {}
    for key, name, count in (("w", "dims", 4), ("s", "sources", 4)):
        if key in params:
            parsed = _floats(params[key], count)
            norm = normalise_percent(parsed) if parsed else None
            if norm is None:
                bad.append(key)
            else:
                values[name] = tuple(norm)
    if "q" in params:
        q = _floats(params["q"], 1)
        if q and 0.0 <= q[0] <= 100.0:
            values["quota"] = q[0]
        else:
            bad.append("q")
    if "f" in params:
        f = _floats(params["f"], 3)
        if f and all(0.0 <= x <= 100.0 for x in f) and f[0] >= f[1] >= f[2]:
            values["floors"] = tuple(f)
        else:
            bad.append("f")
    if "b" in params:
        b = _floats(params["b"], 1)
        if b and b[0] >= 0:
            values["pool"] = b[0]
        else:
            bad.append("b")
    if "c" in params:
        c = _floats(params["c"], 4)
        if c and all(x >= 0 for x in c):
            values["coefs"] = tuple(c)
        else:
            bad.append("c")
    return replace(base, **values), bad


def settings_from(spec: Scenario, settings: dict) -> dict:
    """The settings values a scenario stands for (to adopt it): dimension and
    source weights (fractions summing 1), the kind's quota and floors, bonus."""
    key = "quarterly_grades" if spec.kind == "quarterly" else "annual_grades"
    grades = dict(settings[key])
    grades["quota"] = spec.quota_share()
    grades.update(spec.floors_dict())
    annual = scoring.grade_labels("annual")
    bonus = dict(settings.get("bonus") or {})
    bonus["pool"] = float(spec.pool)
    coef = dict(bonus.get("coefficients") or {})
    coef.update(dict(zip(annual, (float(x) for x in spec.coefs))))
    bonus["coefficients"] = coef
    return {
        "dimension_weights": {d: round(float(x) / TOTAL, 6) for d, x in zip(DIMENSIONS, spec.dims)},
        "source_weights": {s: round(float(x) / TOTAL, 6) for s, x in zip(SOURCES, spec.sources)},
        key: grades,
        "bonus": bonus,
    }


# --------------------------------------------------------------------------- the lab

@dataclass
class Lab:
    """One period's scores ready for many scenarios (build once, evaluate often)."""

    period: str
    kind: str
    settings: dict = field(repr=False)
    cube: scoring.ScoreCube = field(repr=False)
    names: np.ndarray = field(repr=False)
    section_codes: np.ndarray = field(repr=False)   # index into section_names
    section_names: np.ndarray = field(repr=False)
    base_spec: Scenario = field(repr=False)
    base: scoring.Evaluation = field(repr=False)

    def __len__(self) -> int:
        return len(self.cube)

    def evaluate(self, spec: Scenario) -> scoring.Evaluation:
        spec = spec.for_kind(self.kind, self.settings)
        # the settings' own weights where the scenario keeps them (the spec's
        # percentages are rounded to hundredths of a point)
        dim_w = None if spec.dims == self.base_spec.dims else spec.dim_weights()
        src_w = None if spec.sources == self.base_spec.sources else spec.source_weights()
        return self.cube.evaluate(dim_w, src_w, spec.quota_share(), spec.floors_dict())

    def scope_mask(self, section: str | None) -> np.ndarray:
        if section is None:
            return np.ones(len(self), dtype=bool)
        return self.sections == section

    @property
    def sections(self) -> np.ndarray:
        return self.cube.sections


def build_lab(rows: pd.DataFrame, settings: dict, period: str) -> Lab | None:
    """A Lab from assessment rows (as ``assessment_rows`` returns); None when
    the period has no rows."""
    rows = rows[rows["period"] == period]
    if rows.empty:
        return None
    cube = scoring.ScoreCube(rows, settings, period=period)
    names = rows.drop_duplicates("person_id").set_index("person_id")["name"] if "name" in rows.columns \
        else pd.Series(dtype=object)
    name_arr = pd.Series(cube.person_ids).map(names).to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(cube.sections, dtype=object), use_na_sentinel=False)
    base_spec = baseline(settings, cube.period_kind)
    lab = Lab(period=cube.period, kind=cube.period_kind, settings=settings, cube=cube, names=name_arr,
              section_codes=codes, section_names=np.asarray(uniques, dtype=object), base_spec=base_spec,
              base=cube.evaluate())
    return lab


def load_lab(con, period: str, settings: dict | None = None) -> Lab | None:
    """The Lab of a stored period (None when it has no data)."""
    from cadre import assessment
    settings = settings or store.get_settings(con)
    rows = assessment.load_rows(con, [period])
    return build_lab(rows, settings, period) if len(rows) else None


# --------------------------------------------------------------------------- results

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


# --------------------------------------------------------------------------- CLI

def whatif_report(con, period: str, dims: dict | None, sources: dict | None,
                  quota: float | None, settings: dict | None = None) -> dict | None:
    """The ``whatif`` command's figures (None when the period has no data).

    Weights need not sum to 1 (they are scaled to); missing ones weigh 0;
    None: the settings'. quota: share 0..1, None: the settings'."""
    lab = load_lab(con, period, settings)
    if lab is None:
        return None
    base = lab.base_spec
    spec = base
    if dims is not None:
        norm = normalise_percent([dims.get(d, 0.0) for d in DIMENSIONS])
        if norm is None:
            raise scoring.ScoringError("scoring.error.weights_zero", "dimension weights sum to zero")
        spec = replace(spec, dims=tuple(norm))
    if sources is not None:
        norm = normalise_percent([sources.get(s, 0.0) for s in SOURCES])
        if norm is None:
            raise scoring.ScoringError("scoring.error.weights_zero", "source weights sum to zero")
        spec = replace(spec, sources=tuple(norm))
    if quota is not None:
        spec = replace(spec, quota=float(quota) * 100.0)
    # exact weights for the JSON (the spec's are rounded to hundredths of a point)
    w = scoring.normalise_weights({d: (dims or lab.settings["dimension_weights"]).get(d, 0.0) for d in DIMENSIONS})
    v = scoring.normalise_weights({s: (sources or lab.settings["source_weights"]).get(s, 0.0) for s in SOURCES})
    q = float(quota) if quota is not None else base.quota_share()
    ev = lab.cube.evaluate(w, v, q, spec.floors_dict())
    frame = people(lab, ev)
    cols = ["person_id", "name", "section", "composite", "rank", "grade", "baseline_rank", "baseline_grade"]
    records = frame[cols].astype(object).where(frame[cols].notna(), None).to_dict("records")
    for r in records:
        r["composite"] = float(r["composite"])
        r["rank"], r["baseline_rank"] = int(r["rank"]), int(r["baseline_rank"])
    return {"period": lab.period, "weights": w, "sources": v, "quota": q, "people": records}


# --------------------------------------------------------------------------- saved scenarios

def clean_name(name: str) -> str | None:
    """A scenario name trimmed; None when empty or too long."""
    text = " ".join(str(name or "").split())
    return text if 0 < len(text) <= NAME_MAX else None


def save_scenario(con, name: str, spec: Scenario, now: dt.datetime | None = None) -> str:
    """Save (or overwrite) a scenario under ``name``; returns the clean name.

    Raises ValueError for an empty or too long name."""
    clean = clean_name(name)
    if clean is None:
        raise ValueError("scenario name must be 1 to 60 characters")
    cur = con.cursor()
    try:
        store.execute(cur, "whatif_scenario_save", scenario=clean,
                      saved_at=now or dt.datetime.now().replace(microsecond=0), spec=spec.to_json())
    finally:
        cur.close()
    return clean


def list_scenarios(con) -> pd.DataFrame:
    """name, saved_at, spec (JSON text): saved scenarios, newest first."""
    return store.query(con, "whatif_scenario_list")


def load_scenario(con, name: str, settings: dict, kind: str | None = None) -> Scenario | None:
    rows = store.query(con, "whatif_scenario_get", scenario=name)
    if rows.empty:
        return None
    return Scenario.from_json(rows["spec"].iloc[0], settings, kind)


def delete_scenario(con, name: str) -> None:
    cur = con.cursor()
    try:
        store.execute(cur, "whatif_scenario_delete", scenario=name)
    finally:
        cur.close()


def adopt_scenario(con, spec: Scenario, user) -> dict:
    """Make a scenario the office's settings (administrators only).

    Raises PermissionError for other roles. Returns the settings written."""
    from cadre import access
    if not access.can(user, "adopt_scenario"):
        raise PermissionError("only an administrator may adopt a scenario")
    before = store.get_settings(con)
    values = settings_from(spec, before)
    store.put_settings(con, values)
    from cadre import audit
    audit.record(con, user, "scenario_adopt", {
        "changed": {k: {"from": before.get(k), "to": v} for k, v in values.items() if before.get(k) != v}})
    return values
