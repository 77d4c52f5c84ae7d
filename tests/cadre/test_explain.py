"""Why a score moved (cadre/explain.py): the decomposition of a composite
change on hand-computed people, unknown sources, sections' means, the
what-if weightings, the rank change by who passed whom; a property test
that the contributions always sum to the change; and the ``explain``
command's JSON on the demo."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as hs

from cadre import explain, scoring, store
from cadre.assessment.runner import load_rows
from cadre.settings import SOURCES, defaults
from cadre.whatif.lab import build_lab
from cadre.whatif.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = defaults()   # 德能勤绩 .2 .2 .2 .4; 实绩 .4, 民主 .2, 主任室 .3, 自评 .1; maxima 20 20 20 40


def _row(pid, source, de, neng, qin, ji, period, section="X科"):
    return {"person_id": pid, "name": f"名{pid}", "period": period, "period_kind": "annual", "source": source,
            "de": de, "neng": neng, "qin": qin, "ji": ji, "grade": None, "section": section}


@pytest.fixture
def rows():
    """A: 实绩 and 民主 in 1999 (C = 72), only 实绩 in 2000 (C = 67); B passes A."""
    return pd.DataFrame([
        _row("A", "实绩考核", 18, 10, 10, 36, "1999"), _row("A", "民主评议", 16, 10, 10, 32, "1999"),
        _row("A", "实绩考核", 15, 12, 10, 30, "2000"),
        _row("B", "实绩考核", 20, 10, 10, 30, "1999"), _row("B", "实绩考核", 20, 19, 19, 39, "2000"),
        _row("C", "实绩考核", 20, 20, 20, 40, "1999"), _row("C", "实绩考核", 10, 10, 10, 20, "2000"),
    ])


def _cell(expl, dim, source):
    c = expl.cells
    return c[(c["dimension"] == dim) & (c["source"] == source)].iloc[0]


def test_a_hand_made_person_splits_exactly(rows):
    expl = explain.person_between_periods(rows, scoring.scored(rows, SETTINGS), SETTINGS, "A", "1999", "2000")
    assert expl.value_from == pytest.approx(72.0) and expl.value_to == pytest.approx(67.0)
    assert expl.change == pytest.approx(-5.0)
    assert expl.reference == pytest.approx(69.5)
    assert math.fsum(expl.cells["value"]) == pytest.approx(-5.0, abs=1e-12)
    # 德 · 实绩考核: weight 2/3 · 0.2 -> 0.2, score 90 -> 75 (share of max)
    c = _cell(expl, "德", "实绩考核")
    assert c["weight_from"] == pytest.approx(100 * 0.2 * 2 / 3) and c["weight_to"] == pytest.approx(20.0)
    assert c["score_from"] == pytest.approx(90.0) and c["score_to"] == pytest.approx(75.0)
    assert c["score_effect"] == pytest.approx((0.2 * 2 / 3 + 0.2) / 2 * (75 - 90))          # -2.5
    assert c["weight_effect"] == pytest.approx(((90 + 75) / 2 - 69.5) * (0.2 - 0.2 * 2 / 3))  # 0.8667
    assert c["value"] == pytest.approx(c["score_effect"] + c["weight_effect"])
    assert c["value"] == pytest.approx((0.2 * 75 - 69.5 * 0.2) - (0.2 * 2 / 3 * 90 - 69.5 * 0.2 * 2 / 3))


def test_a_source_unknown_in_one_period_is_not_read_as_zero(rows):
    expl = explain.person_between_periods(rows, scoring.scored(rows, SETTINGS), SETTINGS, "A", "1999", "2000")
    c = _cell(expl, "德", "民主评议")
    assert c["status"] == explain.FROM_ONLY
    assert np.isnan(c["score_to"]) and np.isnan(c["score_effect"])   # unknown, not 0
    # the source leaving: its weight (1/3 · 0.2) times its score's distance from K
    assert c["value"] == pytest.approx(-(0.2 / 3) * (80 - 69.5))
    assert c["weight_effect"] == c["value"]
    # read as 0 its score effect would be −(1/6 · 0.2) · 80: not what is reported
    assert expl.unknown.to_dict("records") == [{"source": "民主评议", "status": explain.FROM_ONLY}]
    out = expl.to_json()
    peer = [x for x in out["contributions"] if x["source"] == "民主评议"]
    assert len(peer) == 4 and all(x["score_effect"] is None and x["unknown_in"] == "to" for x in peer)
    # a source assessed in neither period does not appear at all
    assert set(expl.cells["source"]) == {"实绩考核", "民主评议"}
    # the other way round: the source enters
    back = explain.person_between_periods(rows, scoring.scored(rows, SETTINGS), SETTINGS, "A", "2000", "1999")
    assert _cell(back, "德", "民主评议")["status"] == explain.TO_ONLY
    assert back.change == pytest.approx(5.0) and back.cells["value"].sum() == pytest.approx(5.0)


def test_by_dimension_and_by_source_sum_to_the_change(rows):
    expl = explain.person_between_periods(rows, scoring.scored(rows, SETTINGS), SETTINGS, "A", "1999", "2000")
    for key in ("dimension", "source"):
        g = explain.by(expl.cells, key)
        assert g["value"].sum() == pytest.approx(-5.0)
    g = explain.by(expl.cells, "source").set_index("source")
    assert g.loc["民主评议", "unknown"] and g.loc["实绩考核", "unknown"] == False  # noqa: E712
    assert list(explain.by(expl.cells, "dimension")["dimension"]) == ["德", "能", "勤", "绩"]


def test_the_rank_change_is_who_passed_whom(rows):
    scored = scoring.scored(rows, SETTINGS)
    expl = explain.person_between_periods(rows, scored, SETTINGS, "A", "1999", "2000")
    # 1999: C 100, A 72, B 69 -> A 2nd; 2000: B 88.5, A 67, C 50 -> A 2nd: B passed A, A passed C
    assert expl.rank == {"from": 2, "to": 2, "passed_by": ["B"], "passed": ["C"], "entered_above": [],
                         "left_above": []}
    ranks = scored.set_index(["person_id", "period"])["rank"]
    assert (ranks["A", "1999"], ranks["A", "2000"]) == (2, 2)
    assert explain.rank_people(expl).to_dict("records") == [
        {"movement": "passed_by", "person_id": "B", "name": "名B"},
        {"movement": "passed", "person_id": "C", "name": "名C"}]


def test_people_who_enter_or_leave_the_ranking_are_counted_apart():
    before = pd.DataFrame({"person_id": ["P", "Q", "R", "S"], "composite": [80.0, 90.0, 70.0, 85.0]})
    after = pd.DataFrame({"person_id": ["P", "Q", "R", "T"], "composite": [75.0, 70.0, 76.0, 99.0]})
    r = explain.rank_movement(before, after, "P")
    assert r == {"from": 3, "to": 3, "passed_by": ["R"], "passed": ["Q"], "entered_above": ["T"],
                 "left_above": ["S"]}
    assert r["to"] - r["from"] == len(r["passed_by"]) - len(r["passed"]) + len(r["entered_above"]) \
        - len(r["left_above"])
    tied = pd.DataFrame({"person_id": ["P", "Q"], "composite": [75.0, 75.0000000001]})  # equal to 6 decimals
    assert explain.rank_movement(tied, tied, "P")["from"] == 1


def test_a_section_mean_splits_exactly(rows):
    expl = explain.section_between_periods(rows, SETTINGS, "X科", "1999", "2000")
    c = scoring.composites(rows, SETTINGS).groupby("period")["composite"].mean()
    assert expl.value_from == pytest.approx(c["1999"]) and expl.value_to == pytest.approx(c["2000"])
    assert expl.cells["value"].sum() == pytest.approx(c["2000"] - c["1999"])
    assert (expl.n_from, expl.n_to) == (3, 3)
    assert expl.to_json()["n_from"] == 3 and "rank" not in expl.to_json()
    with pytest.raises(explain.ExplainError) as err:
        explain.section_between_periods(rows, SETTINGS, "Y科", "1999", "2000")
    assert err.value.code == "explain.error.section_not_assessed"


def test_a_person_not_assessed_in_a_period_is_a_clear_error(rows):
    with pytest.raises(explain.ExplainError) as err:
        explain.person_between_periods(rows, scoring.scored(rows, SETTINGS), SETTINGS, "A", "1999", "2003")
    assert err.value.code == "explain.error.not_assessed" and err.value.params["period"] == "2003"


def test_two_weightings_of_one_period_split_into_weight_effects_only(rows):
    lab = build_lab(rows[rows["period"] == "1999"], SETTINGS, "1999")
    spec = Scenario(dims=(50.0, 0.0, 0.0, 50.0), sources=(50.0, 50.0, 0.0, 0.0), quota=15.0,
                    floors=(85.0, 70.0, 60.0))
    ev = lab.evaluate(spec)
    w_to = (spec.dim_weights(), spec.source_weights())
    expl = explain.person_between_weightings(lab.cube.ratios, lab.cube.sources, lab.cube.person_ids,
                                             lab.base.composite, ev.composite, SETTINGS, "A", (None, None), w_to,
                                             names=lab.names)
    i = list(lab.cube.person_ids).index("A")
    assert expl.change == pytest.approx(ev.composite[i] - lab.base.composite[i])
    assert expl.cells["value"].sum() == pytest.approx(expl.change)
    assert np.allclose(expl.cells["score_effect"], 0.0)   # same scores: only weights moved
    assert (expl.rank["from"], expl.rank["to"]) == (int(lab.base.rank[i]), int(ev.rank[i]))


# --------------------------------------------------------------------------- property

@hs.composite
def two_periods(draw):
    """Rows of two periods for up to 12 people: random sources (some missing
    in one period), scores, per-row maxima and sections."""
    n = draw(hs.integers(1, 12))
    rng = np.random.default_rng(draw(hs.integers(0, 2**32 - 1)))
    keep_share = draw(hs.floats(0.3, 1.0))
    parts = []
    for period in ("1999", "2000"):
        pid = np.repeat([f"p{i:02d}" for i in range(n)], 4)
        src = np.tile(SOURCES, n)
        keep = rng.random(4 * n) < keep_share
        keep[rng.integers(0, 4, n) + 4 * np.arange(n)] = True
        maxima = np.where(rng.random((4 * n, 4)) < 0.2, np.round(rng.uniform(5, 40, (4 * n, 4))), np.nan)
        top = np.where(np.isnan(maxima), [20.0, 20.0, 20.0, 40.0], maxima)
        scores = np.round(rng.uniform(0, 1, (4 * n, 4)) * top, 2)
        parts.append(pd.DataFrame({
            "person_id": pid, "period": period, "period_kind": "annual", "source": src,
            "de": scores[:, 0], "neng": scores[:, 1], "qin": scores[:, 2], "ji": scores[:, 3],
            "max_de": maxima[:, 0], "max_neng": maxima[:, 1], "max_qin": maxima[:, 2], "max_ji": maxima[:, 3],
            "grade": None, "section": np.repeat([f"S{i % 2}" for i in range(n)], 4), "name": pid})[keep])
    return pd.concat(parts, ignore_index=True)


weights = hs.lists(hs.floats(0, 10, allow_nan=False), min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-3)


@given(two_periods(), weights, weights, weights, weights)
@hsettings(max_examples=60, deadline=None)
def test_contributions_always_sum_to_the_change(rows, dw, sw, dw2, sw2):
    cfg = dict(SETTINGS, dimension_weights=dict(zip(["德", "能", "勤", "绩"], dw)),
               source_weights=dict(zip(SOURCES, sw)))
    scored = scoring.scored(rows, cfg)
    c = scored.set_index(["person_id", "period"])["composite"]
    for pid in scored["person_id"].unique():   # a dozen hand-made people at most
        expl = explain.person_between_periods(rows, scored, cfg, pid, "1999", "2000")
        assert expl.value_from == pytest.approx(c[pid, "1999"], abs=1e-9)
        assert expl.value_to == pytest.approx(c[pid, "2000"], abs=1e-9)
        assert math.fsum(expl.cells["value"]) == pytest.approx(expl.change, abs=1e-9)
        both = expl.cells[expl.cells["status"] == explain.BOTH]
        assert np.allclose(both["score_effect"] + both["weight_effect"], both["value"], atol=1e-9)
        assert expl.cells.loc[expl.cells["status"] != explain.BOTH, "score_effect"].isna().all()
        r = expl.rank
        assert r["to"] - r["from"] == len(r["passed_by"]) - len(r["passed"]) + len(r["entered_above"]) \
            - len(r["left_above"])
    for section in scored["section"].unique():
        expl = explain.section_between_periods(rows, cfg, section, "1999", "2000")
        means = scored[scored["section"] == section].groupby("period")["composite"].mean()
        assert expl.change == pytest.approx(means["2000"] - means["1999"], abs=1e-9)
        assert math.fsum(expl.cells["value"]) == pytest.approx(expl.change, abs=1e-9)
    # two weightings of one period
    one = rows[rows["period"] == "1999"]
    cube = scoring.ScoreCube(one, cfg, period="1999")
    w_to = (dict(zip(["德", "能", "勤", "绩"], dw2)), dict(zip(SOURCES, sw2)))
    base, other = cube.evaluate(), cube.evaluate(*w_to)
    for i, pid in enumerate(cube.person_ids):
        expl = explain.person_between_weightings(cube.ratios, cube.sources, cube.person_ids, base.composite,
                                                 other.composite, cfg, pid, (None, None), w_to)
        assert expl.change == pytest.approx(other.composite[i] - base.composite[i], abs=1e-9)
        assert math.fsum(expl.cells["value"]) == pytest.approx(expl.change, abs=1e-9)
        assert (expl.rank["from"], expl.rank["to"]) == (int(base.rank[i]), int(other.rank[i]))


# --------------------------------------------------------------------------- command line

def _cadre(*args):
    return subprocess.run([sys.executable, "-m", "cadre", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_explain_command_json(demo_db):
    proc = _cadre("explain", "--person", "YZ0003", "--from", "2000", "--to", "2001", "--json", "--db", str(demo_db))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["demo"] is True and out["person"] == "YZ0003"
    assert {"change", "contributions", "rank"} <= out.keys()
    assert math.fsum(c["value"] for c in out["contributions"]) == pytest.approx(out["change"], abs=1e-9)
    assert all({"dimension", "source", "value"} <= c.keys() for c in out["contributions"])
    con = store.connect(demo_db)
    try:
        scored = scoring.scored(load_rows(con, ["2000", "2001"]), store.get_settings(con))
    finally:
        con.close()
    me = scored[scored["person_id"] == "YZ0003"].set_index("period")
    assert out["change"] == pytest.approx(me.loc["2001", "composite"] - me.loc["2000", "composite"])
    r = out["rank"]
    assert (r["from"], r["to"]) == (int(me.loc["2000", "rank"]), int(me.loc["2001", "rank"]))
    assert set(r) >= {"from", "to", "passed_by", "passed"}
    assert r["to"] - r["from"] == len(r["passed_by"]) - len(r["passed"]) + len(r["entered_above"]) \
        - len(r["left_above"])
    # a section's mean
    proc = _cadre("explain", "--section", "综合科", "--from", "2000", "--to", "2001", "--json", "--db", str(demo_db))
    sec = json.loads(proc.stdout)
    assert math.fsum(c["value"] for c in sec["contributions"]) == pytest.approx(sec["change"], abs=1e-9)
    # bad input: exit 1 with the reason in the user's language, nothing changed
    proc = _cadre("explain", "--person", "YZ0003", "--from", "1990", "--to", "2001", "--json", "--lang", "en",
                  "--db", str(demo_db))
    assert proc.returncode == 1 and "1990" in json.loads(proc.stdout)["error"]
    assert "The store holds no period 1990" in proc.stderr
