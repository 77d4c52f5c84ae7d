"""cadre.ui.cached: the one cache of the pages, keyed on the data version
and the settings (no page keeps a cache of its own, no global clear)."""
from __future__ import annotations

from types import SimpleNamespace

from cadre import store
from cadre.assessment.search import search_people
from cadre.ui import cached
from cadre.whatif import results as whatif_results


def _ctx(con, version: str, settings: dict):
    return SimpleNamespace(con=con, data_version=version, settings=settings)


def test_the_lab_is_one_object_per_data_version_and_settings(demo_con):
    settings = store.get_settings(demo_con)
    ctx = _ctx(demo_con, "test-lab-1", settings)
    lab = cached.shared(ctx, "whatif_lab", "2001")
    assert lab is cached.shared(ctx, "whatif_lab", "2001") and lab.period == "2001"
    weights = {**settings["dimension_weights"], "德": settings["dimension_weights"]["德"] + 5}
    other = cached.shared(_ctx(demo_con, "test-lab-1", {**settings, "dimension_weights": weights}), "whatif_lab", "2001")
    assert other is not lab and other.settings["dimension_weights"] == weights
    assert cached.shared(_ctx(demo_con, "test-lab-2", settings), "whatif_lab", "2001") is not lab


def test_the_pages_former_caches_are_services_of_the_runner(demo_con):
    ctx = _ctx(demo_con, "test-runner-1", store.get_settings(demo_con))
    people = cached.run(ctx, "people")
    assert people.equals(search_people(demo_con, "")) and len(people) > 0
    pid = people["person_id"].iloc[0]
    assert cached.run(ctx, "people_found", pid) == search_people(demo_con, pid)["person_id"].tolist()
    lab = cached.shared(ctx, "whatif_lab", "2001")
    stab = cached.run(ctx, "whatif_stability", "2001", lab.base_spec.to_json(), None)
    assert stab.equals(whatif_results.stability(lab, lab.base_spec, None)) and len(stab) > 0
