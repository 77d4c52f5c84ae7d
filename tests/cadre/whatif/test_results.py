"""cadre.whatif.results: the lab's result views against the baseline."""
from __future__ import annotations

import pytest

from cadre.whatif.lab import build_lab
from cadre.whatif.results import (
    bonus, compare, grade_changes, grade_counts, item_label, movers, people, section_shifts, stability, summary,
)
from cadre.whatif.scenario import Scenario, preset
from tests.cadre.whatif.helpers import custom


def test_diffs_against_baseline(lab):
    f = people(lab, lab.evaluate(custom(lab)))
    ch = grade_changes(f, "annual")
    assert ch[["person_id", "baseline_grade", "grade", "change"]].values.tolist() == [["B", "称职", "优秀", "gains_top"]]
    counts = grade_counts(f, "annual").set_index("grade")
    assert counts.loc["优秀"].tolist() == [0, 1, 1] and counts.loc["称职"].tolist() == [2, 1, -1]
    sh = section_shifts(f).set_index("section")
    assert sh.loc["X科", "baseline_mean"] == pytest.approx(71.0)
    assert sh.loc["X科", "shift"] == pytest.approx((52 / 0.6 + 87.5) / 2 - 71.0)
    assert sh.loc["Y科", "shift"] == pytest.approx(34 / 0.6 - 54.0)
    mv = movers(f)
    assert mv["person_id"].tolist() == ["B", "A"]           # C does not move
    s = summary(f, "annual")
    assert (s["moved"], s["up"], s["down"], s["grade_changed"], s["top_baseline"], s["top_scenario"]) == (2, 1, 1, 1, 0, 1)
    scoped = people(lab, lab.evaluate(custom(lab)), "Y科")
    assert scoped["person_id"].tolist() == ["C"] and scoped["rank"].tolist() == [3]   # office rank


def test_grade_changes_drop_below_competent(lab):
    spec = custom(lab)
    spec = Scenario(**{**spec.__dict__, "floors": (85.0, 73.0, 60.0)})
    f = people(lab, lab.evaluate(spec))
    ch = grade_changes(f, "annual").set_index("person_id")["change"].to_dict()
    assert ch == {"B": "gains_top"}
    low = Scenario(**{**lab.base_spec.__dict__, "floors": (85.0, 71.0, 60.0)})
    ch = grade_changes(people(lab, lab.evaluate(low)), "annual")
    assert ch[["person_id", "grade", "change"]].values.tolist() == [["B", "基本称职", "drops_low"]]


def test_bonus_shares_hand_computed(lab):
    spec = custom(lab)
    table, totals = bonus(lab, lab.evaluate(spec), spec)
    t = table.set_index("person_id")
    assert t.loc["B", "amount"] == pytest.approx(1000 * 1.2 / 2.2)
    assert t.loc["A", "amount"] == pytest.approx(1000 * 1.0 / 2.2)
    assert t.loc["C", "amount"] == 0
    assert t.loc["A", "baseline_amount"] == pytest.approx(500.0)       # two 称职 share the pool
    assert totals["scenario_total"] == pytest.approx(1000) and totals["baseline_total"] == pytest.approx(1000)
    assert table["person_id"].iloc[0] == "B"                             # biggest gain first
    zero = Scenario(**{**spec.__dict__, "coefs": (0.0, 0.0, 0.0, 0.0)})
    _t, tot = bonus(lab, lab.evaluate(zero), zero)
    assert tot["unallocated"] and tot["scenario_total"] == 0


def test_stability_bands_contain_the_rank(lab):
    st = stability(lab, custom(lab), samples=200)
    assert len(st) == 3
    assert ((st["rank_min"] <= st["rank"]) & (st["rank"] <= st["rank_max"])).all()
    assert st["rank_min"].min() == 1 and st["rank_max"].max() <= 3
    # C is far behind: always last, never top
    c = st.set_index("person_id").loc["C"]
    assert (c["rank_min"], c["rank_max"], c["top_share"], c["robust"]) == (3, 3, 0.0, True)


def test_one_person_period(rows, cfg):
    one = build_lab(rows[rows["person_id"] == "B"], cfg, "1999")
    spec = preset("equal", cfg)
    f = people(one, one.evaluate(spec))
    assert f["rank"].tolist() == [1] and f["baseline_rank"].tolist() == [1]
    assert movers(f).empty
    st = stability(one, spec, samples=50)
    assert st[["rank_min", "rank_max"]].values.tolist() == [[1, 1]]
    table, totals = bonus(one, one.evaluate(spec), spec)
    assert table["amount"].tolist() == [pytest.approx(spec.pool)]


def test_compare_two_scenarios(lab):
    a, b = lab.base_spec, custom(lab)
    settings_tbl, outcome = compare(lab, a, b)
    s = settings_tbl.set_index("item")
    assert s.loc["dim:绩"].tolist() == [40.0, 50.0] and s.loc["quota"].tolist() == [15.0, 50.0]
    o = outcome.set_index("item")
    assert o.loc["grade:优秀"].tolist() == [0, 1]
    assert o.loc["rank_vs_baseline"].tolist() == [0, 2]
    assert o.loc["grade_a_vs_b"].tolist() == [1, 1]
    assert item_label("dim:绩", "en") == "Dimension weight: Performance"
