"""The ``whatif`` command's figures: a period under the weights and quota
typed on the command line, through the lab's evaluation."""
from __future__ import annotations

from dataclasses import replace

from cadre import scoring
from cadre.settings import DIMENSIONS, SOURCES
from cadre.whatif.lab import Typed, load_lab
from cadre.whatif.results import people
from cadre.whatif.weights import normalise_percent


def whatif_report(con, settings: dict, period: str, dims: dict | None, sources: dict | None,
                  quota: float | None) -> dict | None:
    """The ``whatif`` command's figures (None when the period has no data).

    Weights need not sum to 1 (they are scaled to); missing ones weigh 0;
    None: the settings'. quota: share 0..1, None: the settings'."""
    lab = load_lab(con, settings, period)
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
    ev = lab.evaluate(spec, Typed(w, v, q))
    frame = people(lab, ev)
    cols = ["person_id", "name", "section", "composite", "rank", "grade", "baseline_rank", "baseline_grade"]
    records = frame[cols].astype(object).where(frame[cols].notna(), None).to_dict("records")
    for r in records:
        r["composite"] = float(r["composite"])
        r["rank"], r["baseline_rank"] = int(r["rank"]), int(r["baseline_rank"])
    return {"period": lab.period, "weights": w, "sources": v, "quota": q, "people": records}

