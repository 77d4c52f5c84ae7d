"""cadre.whatif.saved: saved scenarios and their adoption (administrators only)."""
from __future__ import annotations

import pytest

from cadre import access, store
from cadre.whatif.lab import load_lab
from cadre.whatif.results import people, summary
from cadre.whatif.saved import adopt_scenario, delete_scenario, list_scenarios, load_scenario, save_scenario
from cadre.whatif.scenario import Scenario, preset


def test_scenarios_saved_listed_loaded_deleted(tmp_path, cfg):
    con = store.connect(tmp_path / "s.duckdb")
    spec = preset("performance", cfg)
    assert save_scenario(con, "  绩 优先 ", spec) == "绩 优先"
    save_scenario(con, "等权", preset("equal", cfg))
    save_scenario(con, "绩 优先", spec)          # saving again overwrites
    assert sorted(list_scenarios(con)["name"]) == ["等权", "绩 优先"]
    assert load_scenario(con, cfg, "绩 优先") == spec
    assert load_scenario(con, cfg, "none") is None
    # a quarterly period takes the weights, with the quarterly quota and floors
    q = load_scenario(con, cfg, "绩 优先", "quarterly")
    assert q.dims == spec.dims and q.quota == 40.0 and q.floors == (90.0, 80.0, 60.0)
    delete_scenario(con, "等权")
    assert list_scenarios(con)["name"].tolist() == ["绩 优先"]
    with pytest.raises(ValueError):
        save_scenario(con, "   ", spec)
    con.close()


def test_adopt_is_admin_only_and_becomes_the_baseline(demo_con):
    cfg = store.get_settings(demo_con)
    spec = Scenario(dims=(10.0, 10.0, 10.0, 70.0), sources=(50.0, 10.0, 30.0, 10.0), quota=20.0,
                           floors=(84.0, 70.0, 60.0), pool=5000.0, coefs=(2.0, 1.0, 0.5, 0.0))
    with pytest.raises(PermissionError):
        adopt_scenario(demo_con, spec, access.User("viewer", "viewer"))
    assert store.get_settings(demo_con)["dimension_weights"] == cfg["dimension_weights"]
    adopt_scenario(demo_con, spec, access.LOCAL_ADMIN)
    new = store.get_settings(demo_con)
    assert new["dimension_weights"] == {"德": 0.1, "能": 0.1, "勤": 0.1, "绩": 0.7}
    assert new["annual_grades"]["quota"] == 0.2 and new["annual_grades"]["top_floor"] == 84.0
    assert new["bonus"]["pool"] == 5000.0 and new["bonus"]["coefficients"]["优秀"] == 2.0
    assert new["quarterly_grades"] == cfg["quarterly_grades"]
    lab = load_lab(demo_con, store.get_settings(demo_con), "1999")
    assert lab.base_spec == spec
    assert summary(people(lab, lab.evaluate(spec)), "annual")["moved"] == 0
    from tests.cadre.assessment.test_stored import assert_stored_equal_scored
    assert_stored_equal_scored(demo_con)  # the stored scores follow the adopted settings
