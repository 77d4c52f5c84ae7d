"""A what-if scenario and its forms.

A **scenario** holds percentages: dimension weights and source weights (each
summing to 100), the top-grade quota (0..100 %), the kind's three grade floors
(annual: 优秀 floor, 称职 floor, 基本称职 floor; quarterly: 好, 较好, 一般),
a bonus pool and a coefficient per grade (top grade first). It travels as a
URL query string (``?w=20,20,20,40&s=40,20,30,10&q=15&f=85,70,60&b=100000&c=1.2,1,0.5,0``)
and as JSON (table ``scenarios``). This module also gives the office's
settings as a scenario (``baseline``), the presets, and a scenario as the
settings values it stands for (``settings_from``, to adopt it).
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, replace
from typing import Mapping

from cadre import scoring
from cadre.settings import DIMENSIONS, SOURCES
from cadre.whatif.weights import TOTAL, normalise_percent, rescale

FLOOR_KEYS = {
    "annual": ("top_floor", "competent_floor", "basic_floor"),
    "quarterly": ("top_floor", "good_floor", "fair_floor"),
}
PRESETS = ("current", "equal", "performance")
PERFORMANCE_SHARE = 50.0        # "performance first": 绩 at 50 %


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

