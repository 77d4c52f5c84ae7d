"""cadre.whatif.lab: a period's lab and its one evaluation of a scenario."""
from __future__ import annotations

import pytest

from cadre.whatif.lab import Typed, build_lab
from cadre.whatif.scenario import Scenario
from cadre.whatif.results import people
from tests.cadre.whatif.helpers import custom


def test_custom_weights_hand_computed(lab):
    ev = lab.evaluate(custom(lab))
    f = people(lab, ev).set_index("person_id")
    # 实绩考核 0.4, 民主评议 0.2; A: (0.4·90 + 0.2·80)/0.6; B has 实绩考核 only
    assert f.loc["A", "composite"] == pytest.approx(52 / 0.6)
    assert f.loc["B", "composite"] == pytest.approx(87.5)
    assert f.loc["C", "composite"] == pytest.approx(34 / 0.6)
    assert f["rank"].to_dict() == {"B": 1, "A": 2, "C": 3}
    # quota 50 % of 3 -> 1 top grade, to B (87.5 >= 85)
    assert f["grade"].to_dict() == {"B": "优秀", "A": "称职", "C": "不称职"}
    # baseline: default weights -> A 72, B 70, C 54; quota 15 % of 3 -> nobody
    assert f["baseline_composite"].to_dict() == pytest.approx({"B": 70.0, "A": 72.0, "C": 54.0})
    assert f["baseline_rank"].to_dict() == {"B": 2, "A": 1, "C": 3}
    assert f["baseline_grade"].to_dict() == {"B": "称职", "A": "称职", "C": "不称职"}
    assert f["rank_change"].to_dict() == {"B": 1, "A": -1, "C": 0}


def test_quota_zero_and_full(lab):
    none = people(lab, lab.evaluate(custom(lab, quota=0.0)))
    assert (none["grade"] != "优秀").all()
    full = people(lab, lab.evaluate(custom(lab, quota=100.0))).set_index("person_id")
    assert full["grade"].to_dict() == {"B": "优秀", "A": "优秀", "C": "不称职"}   # C is below the floor


def test_no_rows_gives_no_lab(rows, cfg):
    assert build_lab(rows, cfg, "2005") is None


def test_typed_weights_and_quota_are_used_as_typed(lab):
    """The CLI's weights and quota as typed, not the spec's percentages
    rounded to hundredths of a point: the same evaluation as the cube's on
    those figures, which the rounded spec alone does not give."""
    third = {d: 1 / 3 if d != "绩" else 0.0 for d in lab.settings["dimension_weights"]}
    typed = Typed(third, lab.settings["source_weights"], 0.5)
    spec = Scenario(**{**lab.base_spec.__dict__, "dims": (33.34, 33.33, 33.33, 0.0), "quota": 50.0})
    got = lab.evaluate(spec, typed)
    want = lab.cube.evaluate(third, lab.settings["source_weights"], 0.5, spec.floors_dict())
    assert got.composite.tolist() == want.composite.tolist()
    assert got.rank.tolist() == want.rank.tolist() and got.grade.tolist() == want.grade.tolist()
    assert lab.evaluate(spec).composite.tolist() != want.composite.tolist()   # rounded weights differ
