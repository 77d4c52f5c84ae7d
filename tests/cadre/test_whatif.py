"""The what-if lab's service (cadre/whatif.py): rescaling with locks, scenario
specs (URL, JSON), presets, results against the baseline, stability, bonus,
scenario storage, adoption, and the ``whatif`` command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as hs

from cadre import access, cli_text, settings as settings_mod, store, whatif
from cadre.settings import DIMENSIONS, SOURCES
from cadre.ui import whatif_lab

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- fixtures

def _row(pid, source, de, neng, qin, ji, section, name, period="1999"):
    return {"person_id": pid, "name": name, "period": period, "period_kind": "annual",
            "period_end": pd.Timestamp(f"{period}-12-31"), "source": source, "de": de, "neng": neng,
            "qin": qin, "ji": ji, "max_de": np.nan, "max_neng": np.nan, "max_qin": np.nan,
            "max_ji": np.nan, "grade": None, "section": section}


@pytest.fixture
def rows():
    """Three people, hand-computable: B lacks the 民主评议 source."""
    return pd.DataFrame([
        _row("A", "实绩考核", 18, 10, 10, 36, "X科", "甲一"),
        _row("A", "民主评议", 16, 10, 10, 32, "X科", "甲一"),
        _row("B", "实绩考核", 20, 10, 10, 30, "X科", "乙二"),
        _row("C", "实绩考核", 10, 10, 10, 20, "Y科", "丙三"),
        _row("C", "民主评议", 14, 10, 10, 28, "Y科", "丙三"),
    ])


@pytest.fixture
def cfg():
    return settings_mod.defaults()


@pytest.fixture
def lab(rows, cfg):
    return whatif.build_lab(rows, cfg, "1999")


def custom(lab, quota=50.0, pool=1000.0):
    """德 and 绩 weighted equally, 能 and 勤 not at all."""
    return whatif.Scenario(dims=(50.0, 0.0, 0.0, 50.0), sources=lab.base_spec.sources, quota=quota,
                           floors=(85.0, 70.0, 60.0), kind="annual", pool=pool, coefs=(1.2, 1.0, 0.5, 0.0))


# --------------------------------------------------------------------------- rescaling

def test_rescale_proportional():
    assert whatif.rescale([20, 20, 20, 40], 3, 50) == [16.67, 16.67, 16.66, 50.0]
    assert whatif.rescale([40, 20, 30, 10], 0, 0) == [0.0, 33.33, 50.0, 16.67]


def test_rescale_locks_keep_their_value_and_clip_the_move():
    assert whatif.rescale([20, 20, 20, 40], 3, 60, locked={0}) == [20.0, 10.0, 10.0, 60.0]
    # two locks leave 60 points: 绩 cannot go beyond 60, 勤 drops to 0
    assert whatif.rescale([20, 20, 20, 40], 3, 90, locked={0, 1}) == [20.0, 20.0, 0.0, 60.0]
    # every other weight locked: nothing can move
    assert whatif.rescale([20, 20, 20, 40], 3, 70, locked={0, 1, 2}) == [20.0, 20.0, 20.0, 40.0]
    # a lock on the moved weight itself is ignored
    assert whatif.rescale([25, 25, 25, 25], 0, 40, locked={0}) == [40.0, 20.0, 20.0, 20.0]


def test_rescale_others_at_zero_share_equally():
    assert whatif.rescale([100, 0, 0, 0], 0, 40) == [40.0, 20.0, 20.0, 20.0]


@hsettings(max_examples=200, deadline=None)
@given(values=hs.lists(hs.integers(0, 10_000), min_size=4, max_size=4).filter(lambda v: sum(v) > 0),
       index=hs.integers(0, 3), new=hs.floats(0, 100), locked=hs.sets(hs.integers(0, 3), max_size=3))
def test_rescale_invariants(values, index, new, locked):
    start = whatif.normalise_percent(values)
    out = whatif.rescale(start, index, new, locked)
    assert round(sum(out) * 100) == 10_000                       # always 100 %
    assert all(x >= 0 for x in out)
    for i in locked - {index}:                                   # locks hold
        assert out[i] == pytest.approx(start[i])
    free = [i for i in range(4) if i != index and i not in locked]
    if free:
        room = 100 - sum(start[i] for i in locked - {index})
        assert out[index] == pytest.approx(min(max(round(new, 2), 0), room), abs=0.011)
        # proportional: the free weights keep their ratios (to the rounding of hundredths)
        base = sum(start[i] for i in free)
        if base > 0:
            left = sum(out[i] for i in free)
            for i in free:
                assert out[i] == pytest.approx(start[i] / base * left, abs=0.011)


def test_normalise_percent_rejects_zero_and_negative():
    assert whatif.normalise_percent([0, 0, 0, 0]) is None
    assert whatif.normalise_percent([1, -1, 1, 1]) is None
    assert whatif.normalise_percent([1, 1, 1]) == [33.34, 33.33, 33.33]


# --------------------------------------------------------------------------- scenario specs

def test_scenario_url_and_json_round_trip(cfg):
    spec = whatif.preset("performance", cfg)
    q = spec.to_query()
    assert q == {"w": "16.67,16.67,16.66,50", "s": "40,20,30,10", "q": "15", "f": "85,70,60",
                 "b": "100000", "c": "1.2,1,0.5,0"}
    back, bad = whatif.from_query(q, whatif.baseline(cfg))
    assert bad == [] and back == spec
    assert whatif.Scenario.from_json(spec.to_json(), cfg) == spec


def test_from_query_ignores_bad_parts(cfg):
    base = whatif.baseline(cfg)
    spec, bad = whatif.from_query({"w": "0,0,0,0", "s": "1,1,1,1", "q": "150", "f": "60,70,85",
                                   "c": "x", "lang": "en"}, base)
    assert sorted(bad) == ["c", "f", "q", "w"]
    assert spec.dims == base.dims and spec.sources == (25.0,) * 4
    assert spec.quota == base.quota and spec.floors == base.floors


def test_presets(cfg):
    assert whatif.preset("current", cfg) == whatif.baseline(cfg)
    assert whatif.baseline(cfg).dims == (20.0, 20.0, 20.0, 40.0)
    eq = whatif.preset("equal", cfg)
    assert eq.dims == (25.0,) * 4 and eq.sources == (25.0,) * 4
    perf = whatif.preset("performance", cfg)
    assert perf.dims[3] == 50.0 and sum(perf.dims) == pytest.approx(100)
    q = whatif.baseline(cfg, "quarterly")
    assert q.quota == 40.0 and q.floors == (90.0, 80.0, 60.0)


def test_page_state_round_trip_and_slider_callback(cfg):
    state = {}
    spec = whatif.preset("equal", cfg)
    whatif_lab.write_state(state, spec)
    assert whatif_lab.read_state(state, cfg, "annual") == spec
    state[whatif_lab.LOCK_KEYS["w"]] = ["德"]
    state["whatif_w_3"] = 55.0                  # the slider moved
    whatif_lab.on_weight_change(state, "w", 3)
    assert [state[k] for k in whatif_lab.DIM_KEYS] == [25.0, 10.0, 10.0, 55.0]
    # another period kind: the controls go back to the settings
    assert whatif_lab.read_state(state, cfg, "quarterly") == whatif.baseline(cfg, "quarterly")


class _Writes(dict):
    """A session state that remembers which keys were written."""

    def __init__(self, *args):
        super().__init__(*args)
        self.written = []

    def __setitem__(self, key, value):
        self.written.append(key)
        super().__setitem__(key, value)


def test_slider_callback_leaves_the_moved_slider_to_the_widget(cfg):
    """Issue 20, item 4: a write to the moved slider's key sends its value back
    to the browser and undoes keys pressed meanwhile; the callback writes
    only the others, and the moved one only when the locks clip it."""
    state = {}
    whatif_lab.write_state(state, whatif.preset("equal", cfg))
    state = _Writes(state)
    state["whatif_w_0"] = 26.000000000000004       # the slider's step on 25, as a float
    state.written.clear()
    whatif_lab.on_weight_change(state, "w", 0)
    assert [k for k in state.written if k in whatif_lab.DIM_KEYS] == whatif_lab.DIM_KEYS[1:]
    assert sum(state[k] for k in whatif_lab.DIM_KEYS) == pytest.approx(100)
    # locks leave room for 40 only: the moved slider is set back to it
    state[whatif_lab.LOCK_KEYS["w"]] = ["能", "勤"]
    state["whatif_w_0"], state["whatif_w_1"], state["whatif_w_2"] = 70.0, 30.0, 30.0
    state.written.clear()
    whatif_lab.on_weight_change(state, "w", 0)
    assert "whatif_w_0" in state.written and state["whatif_w_0"] == 40.0


def _browser_run(state, values: dict, ack) -> list:
    """What Streamlit does with a run the browser sent: its widget values
    into the state; then the callbacks of the weights that differ from the
    state's (in the order given)."""
    changed = [k for k, v in values.items() if state.get(k) != v]
    state.update(values)
    state[whatif_lab.ACK_KEY] = ack
    state.written.clear()
    return changed


@pytest.mark.parametrize("order", [1, -1])
def test_a_run_sent_before_the_last_rescale_arrived_moves_only_the_pressed_slider(cfg, order):
    """Issue 20, item 4: keys pressed quickly send a run before the browser has
    the others' rescaled values; their old values come back as changes of
    theirs. Their callbacks must not touch the slider being pressed, and the
    weights end as the pressed slider's last value says."""
    state = {}
    whatif_lab.write_state(state, whatif.preset("equal", cfg))     # 25 each
    state = _Writes(state)
    keys = whatif_lab.DIM_KEYS
    state[whatif_lab.ACK_KEY] = 0
    # run 1: the first press (25 -> 26)
    for k in _browser_run(state, {keys[0]: 26.0}, ack=0):
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    # run 2, sent before run 1's answer: the second press, the others as they were
    changed = _browser_run(state, {keys[0]: 27.0, keys[1]: 25.0, keys[2]: 25.0, keys[3]: 25.0}, ack=0)
    assert set(changed) == set(keys)      # the old values of the others read as changes
    for k in changed[::order]:
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    assert keys[0] not in state.written   # the pressed slider is the browser's
    assert [state[k] for k in keys] == pytest.approx([27.0, 73 / 3, 73 / 3, 73 / 3], abs=0.01)
    # run 3, sent with run 2's answer in hand: a press on another slider counts,
    # even to the value it had before the rescale
    ack = state[whatif_lab.ACK_KEY]
    changed = _browser_run(state, {keys[1]: 25.0}, ack=ack)
    for k in changed:
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    assert keys[1] not in state.written and state[keys[1]] == 25.0
    assert sum(state[k] for k in keys) == pytest.approx(100)
# --------------------------------------------------------------------------- results

def test_custom_weights_hand_computed(lab):
    ev = lab.evaluate(custom(lab))
    f = whatif.people(lab, ev).set_index("person_id")
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
    none = whatif.people(lab, lab.evaluate(custom(lab, quota=0.0)))
    assert (none["grade"] != "优秀").all()
    full = whatif.people(lab, lab.evaluate(custom(lab, quota=100.0))).set_index("person_id")
    assert full["grade"].to_dict() == {"B": "优秀", "A": "优秀", "C": "不称职"}   # C is below the floor


def test_diffs_against_baseline(lab):
    f = whatif.people(lab, lab.evaluate(custom(lab)))
    ch = whatif.grade_changes(f, "annual")
    assert ch[["person_id", "baseline_grade", "grade", "change"]].values.tolist() == [["B", "称职", "优秀", "gains_top"]]
    counts = whatif.grade_counts(f, "annual").set_index("grade")
    assert counts.loc["优秀"].tolist() == [0, 1, 1] and counts.loc["称职"].tolist() == [2, 1, -1]
    sh = whatif.section_shifts(f).set_index("section")
    assert sh.loc["X科", "baseline_mean"] == pytest.approx(71.0)
    assert sh.loc["X科", "shift"] == pytest.approx((52 / 0.6 + 87.5) / 2 - 71.0)
    assert sh.loc["Y科", "shift"] == pytest.approx(34 / 0.6 - 54.0)
    mv = whatif.movers(f)
    assert mv["person_id"].tolist() == ["B", "A"]           # C does not move
    s = whatif.summary(f, "annual")
    assert (s["moved"], s["up"], s["down"], s["grade_changed"], s["top_baseline"], s["top_scenario"]) == (2, 1, 1, 1, 0, 1)
    scoped = whatif.people(lab, lab.evaluate(custom(lab)), "Y科")
    assert scoped["person_id"].tolist() == ["C"] and scoped["rank"].tolist() == [3]   # office rank


def test_grade_changes_drop_below_competent(lab):
    spec = custom(lab)
    spec = whatif.Scenario(**{**spec.__dict__, "floors": (85.0, 73.0, 60.0)})
    f = whatif.people(lab, lab.evaluate(spec))
    ch = whatif.grade_changes(f, "annual").set_index("person_id")["change"].to_dict()
    assert ch == {"B": "gains_top"}
    low = whatif.Scenario(**{**lab.base_spec.__dict__, "floors": (85.0, 71.0, 60.0)})
    ch = whatif.grade_changes(whatif.people(lab, lab.evaluate(low)), "annual")
    assert ch[["person_id", "grade", "change"]].values.tolist() == [["B", "基本称职", "drops_low"]]


def test_bonus_shares_hand_computed(lab):
    spec = custom(lab)
    table, totals = whatif.bonus(lab, lab.evaluate(spec), spec)
    t = table.set_index("person_id")
    assert t.loc["B", "amount"] == pytest.approx(1000 * 1.2 / 2.2)
    assert t.loc["A", "amount"] == pytest.approx(1000 * 1.0 / 2.2)
    assert t.loc["C", "amount"] == 0
    assert t.loc["A", "baseline_amount"] == pytest.approx(500.0)       # two 称职 share the pool
    assert totals["scenario_total"] == pytest.approx(1000) and totals["baseline_total"] == pytest.approx(1000)
    assert table["person_id"].iloc[0] == "B"                             # biggest gain first
    zero = whatif.Scenario(**{**spec.__dict__, "coefs": (0.0, 0.0, 0.0, 0.0)})
    _t, tot = whatif.bonus(lab, lab.evaluate(zero), zero)
    assert tot["unallocated"] and tot["scenario_total"] == 0


def test_stability_bands_contain_the_rank(lab):
    st = whatif.stability(lab, custom(lab), samples=200)
    assert len(st) == 3
    assert ((st["rank_min"] <= st["rank"]) & (st["rank"] <= st["rank_max"])).all()
    assert st["rank_min"].min() == 1 and st["rank_max"].max() <= 3
    # C is far behind: always last, never top
    c = st.set_index("person_id").loc["C"]
    assert (c["rank_min"], c["rank_max"], c["top_share"], c["robust"]) == (3, 3, 0.0, True)


def test_one_person_period(rows, cfg):
    one = whatif.build_lab(rows[rows["person_id"] == "B"], cfg, "1999")
    spec = whatif.preset("equal", cfg)
    f = whatif.people(one, one.evaluate(spec))
    assert f["rank"].tolist() == [1] and f["baseline_rank"].tolist() == [1]
    assert whatif.movers(f).empty
    st = whatif.stability(one, spec, samples=50)
    assert st[["rank_min", "rank_max"]].values.tolist() == [[1, 1]]
    table, totals = whatif.bonus(one, one.evaluate(spec), spec)
    assert table["amount"].tolist() == [pytest.approx(spec.pool)]


def test_compare_two_scenarios(lab):
    a, b = lab.base_spec, custom(lab)
    settings_tbl, outcome = whatif.compare(lab, a, b)
    s = settings_tbl.set_index("item")
    assert s.loc["dim:绩"].tolist() == [40.0, 50.0] and s.loc["quota"].tolist() == [15.0, 50.0]
    o = outcome.set_index("item")
    assert o.loc["grade:优秀"].tolist() == [0, 1]
    assert o.loc["rank_vs_baseline"].tolist() == [0, 2]
    assert o.loc["grade_a_vs_b"].tolist() == [1, 1]
    assert whatif.item_label("dim:绩", "en") == "Dimension weight: Performance"


def test_no_rows_gives_no_lab(rows, cfg):
    assert whatif.build_lab(rows, cfg, "2005") is None


# --------------------------------------------------------------------------- storage

def test_scenarios_saved_listed_loaded_deleted(tmp_path, cfg):
    con = store.connect(tmp_path / "s.duckdb")
    spec = whatif.preset("performance", cfg)
    assert whatif.save_scenario(con, "  绩 优先 ", spec) == "绩 优先"
    whatif.save_scenario(con, "等权", whatif.preset("equal", cfg))
    whatif.save_scenario(con, "绩 优先", spec)          # saving again overwrites
    assert sorted(whatif.list_scenarios(con)["name"]) == ["等权", "绩 优先"]
    assert whatif.load_scenario(con, "绩 优先", cfg) == spec
    assert whatif.load_scenario(con, "none", cfg) is None
    # a quarterly period takes the weights, with the quarterly quota and floors
    q = whatif.load_scenario(con, "绩 优先", cfg, "quarterly")
    assert q.dims == spec.dims and q.quota == 40.0 and q.floors == (90.0, 80.0, 60.0)
    whatif.delete_scenario(con, "等权")
    assert whatif.list_scenarios(con)["name"].tolist() == ["绩 优先"]
    with pytest.raises(ValueError):
        whatif.save_scenario(con, "   ", spec)
    con.close()


def test_adopt_is_admin_only_and_becomes_the_baseline(demo_con):
    cfg = store.get_settings(demo_con)
    spec = whatif.Scenario(dims=(10.0, 10.0, 10.0, 70.0), sources=(50.0, 10.0, 30.0, 10.0), quota=20.0,
                           floors=(84.0, 70.0, 60.0), pool=5000.0, coefs=(2.0, 1.0, 0.5, 0.0))
    with pytest.raises(PermissionError):
        whatif.adopt_scenario(demo_con, spec, access.User("viewer", "viewer"))
    assert store.get_settings(demo_con)["dimension_weights"] == cfg["dimension_weights"]
    whatif.adopt_scenario(demo_con, spec, access.LOCAL_ADMIN)
    new = store.get_settings(demo_con)
    assert new["dimension_weights"] == {"德": 0.1, "能": 0.1, "勤": 0.1, "绩": 0.7}
    assert new["annual_grades"]["quota"] == 0.2 and new["annual_grades"]["top_floor"] == 84.0
    assert new["bonus"]["pool"] == 5000.0 and new["bonus"]["coefficients"]["优秀"] == 2.0
    assert new["quarterly_grades"] == cfg["quarterly_grades"]
    lab = whatif.load_lab(demo_con, "1999")
    assert lab.base_spec == spec
    assert whatif.summary(whatif.people(lab, lab.evaluate(spec)), "annual")["moved"] == 0


# --------------------------------------------------------------------------- CLI

def test_whatif_report_keys_and_missing_period(demo_con):
    assert whatif.whatif_report(demo_con, "1850", None, None, None) is None
    r = whatif.whatif_report(demo_con, "1999", {"德": 2, "绩": 2}, None, 0.2)
    assert set(r) == {"period", "weights", "sources", "quota", "people"}
    assert r["weights"] == {"德": 0.5, "能": 0.0, "勤": 0.0, "绩": 0.5} and r["quota"] == 0.2
    assert sum(r["sources"].values()) == pytest.approx(1)
    ranks = [p["rank"] for p in r["people"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert set(r["people"][0]) == {"person_id", "name", "section", "composite", "rank", "grade",
                                   "baseline_rank", "baseline_grade"}
    lines = cli_text.whatif_lines(r, "en")
    assert lines[0] == "What-if for 1999" and len(lines) == 4 + 1 + len(r["people"])


def test_whatif_command_equal_weights(demo_db):
    out = subprocess.run(
        [sys.executable, "-m", "cadre", "whatif", "--db", str(demo_db), "--period", "1999",
         "--weights", "德=1,能=1,勤=1,绩=1", "--json"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["weights"] == {d: 0.25 for d in DIMENSIONS}
    assert result["sources"] == pytest.approx({"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1})
    # hand check of the first person by rank, from the stored rows
    top = result["people"][0]
    con = store.connect(demo_db, read_only=True)
    raw = con.execute("select source, de, neng, qin, ji, max_de, max_neng, max_qin, max_ji "
                      "from assessments where person_id = ? and period = '1999'", [top["person_id"]]).fetchall()
    con.close()
    v = {"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1}
    num = den = 0.0
    for source, de, neng, qin, ji, mde, mneng, mqin, mji in raw:
        c = 100 * (de / (mde or 20) + neng / (mneng or 20) + qin / (mqin or 20) + ji / (mji or 40)) / 4
        num += v[source] * c
        den += v[source]
    assert top["composite"] == pytest.approx(num / den)
    assert top["rank"] == 1 and top["grade"] in ("优秀", "称职")
    assert all(round(a["composite"], 6) >= round(b["composite"], 6) for a, b in zip(result["people"], result["people"][1:]))
