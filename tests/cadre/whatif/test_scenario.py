"""cadre.whatif.scenario: the scenario's URL and JSON forms, baseline and presets."""
from __future__ import annotations

import pytest

from cadre.whatif.scenario import Scenario, baseline, from_query, preset


def test_scenario_url_and_json_round_trip(cfg):
    spec = preset("performance", cfg)
    q = spec.to_query()
    assert q == {"w": "16.67,16.67,16.66,50", "s": "40,20,30,10", "q": "15", "f": "85,70,60",
                 "b": "100000", "c": "1.2,1,0.5,0"}
    back, bad = from_query(q, baseline(cfg))
    assert bad == [] and back == spec
    assert Scenario.from_json(spec.to_json(), cfg) == spec


def test_from_query_ignores_bad_parts(cfg):
    base = baseline(cfg)
    spec, bad = from_query({"w": "0,0,0,0", "s": "1,1,1,1", "q": "150", "f": "60,70,85",
                                   "c": "x", "lang": "en"}, base)
    assert sorted(bad) == ["c", "f", "q", "w"]
    assert spec.dims == base.dims and spec.sources == (25.0,) * 4
    assert spec.quota == base.quota and spec.floors == base.floors


def test_presets(cfg):
    assert preset("current", cfg) == baseline(cfg)
    assert baseline(cfg).dims == (20.0, 20.0, 20.0, 40.0)
    eq = preset("equal", cfg)
    assert eq.dims == (25.0,) * 4 and eq.sources == (25.0,) * 4
    perf = preset("performance", cfg)
    assert perf.dims[3] == 50.0 and sum(perf.dims) == pytest.approx(100)
    q = baseline(cfg, "quarterly")
    assert q.quota == 40.0 and q.floors == (90.0, 80.0, 60.0)
