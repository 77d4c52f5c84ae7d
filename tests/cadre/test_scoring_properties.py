"""Property tests (hypothesis) of cadre/scoring.py."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings as hsettings, strategies as st

from cadre import scoring as sc
from cadre.settings import ANNUAL_GRADES, SOURCES, defaults

SETTINGS = defaults()
MAXIMA = np.array([20.0, 20.0, 20.0, 40.0])

weight = st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False)
dim_weights = st.lists(weight, min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-6)
src_weights = st.lists(weight, min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-6)


def as_dims(w):
    return dict(zip(["德", "能", "勤", "绩"], w))


def as_sources(w):
    return dict(zip(SOURCES, w))


@st.composite
def assessment_rows(draw, min_people=1, max_people=25):
    """Valid rows: 0 ≤ score ≤ max, random missing sources, some per-person maxima."""
    n = draw(st.integers(min_people, max_people))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    pid = np.repeat([f"p{i:03d}" for i in range(n)], 4)
    src = np.tile(SOURCES, n)
    keep = rng.random(4 * n) < draw(st.floats(0.3, 1.0))
    keep[rng.integers(0, 4, n) + 4 * np.arange(n)] = True  # at least one source each
    own_max = np.where(rng.random((4 * n, 4)) < 0.2, np.round(rng.uniform(5, 40, (4 * n, 4))), np.nan)
    maxima = np.where(np.isnan(own_max), MAXIMA, own_max)
    # coarse scores make exact ties common
    scores = np.round(rng.integers(0, 5, (4 * n, 4)) / 4 * maxima, 2)
    df = pd.DataFrame({
        "person_id": pid, "period": "1999", "period_kind": "annual", "source": src,
        "de": scores[:, 0], "neng": scores[:, 1], "qin": scores[:, 2], "ji": scores[:, 3],
        "max_de": own_max[:, 0], "max_neng": own_max[:, 1], "max_qin": own_max[:, 2], "max_ji": own_max[:, 3],
        "grade": None, "section": np.repeat([f"S{i % 3}" for i in range(n)], 4),
    })
    return df[keep].reset_index(drop=True)


@given(assessment_rows(), dim_weights, src_weights)
@hsettings(max_examples=60, deadline=None)
def test_composite_within_0_100(rows, dw, sw):
    c = sc.composites(rows, SETTINGS, as_dims(dw), as_sources(sw))["composite"]
    assert c.notna().all()
    assert ((c >= -1e-9) & (c <= 100 + 1e-9)).all()


@given(assessment_rows(), dim_weights, src_weights,
       st.floats(min_value=1e-3, max_value=1e3, allow_nan=False))
@hsettings(max_examples=60, deadline=None)
def test_scaling_weights_changes_nothing(rows, dw, sw, factor):
    a = sc.scored(rows, SETTINGS, as_dims(dw), as_sources(sw))
    b = sc.scored(rows, SETTINGS, as_dims([x * factor for x in dw]), as_sources([x * factor for x in sw]))
    np.testing.assert_allclose(a["composite"], b["composite"], rtol=0, atol=1e-9)
    assert list(a["rank"]) == list(b["rank"])
    assert list(a["computed_grade"]) == list(b["computed_grade"])
    cube = sc.ScoreCube(rows, SETTINGS)
    ea = cube.evaluate(as_dims(dw), as_sources(sw))
    eb = cube.evaluate(as_dims([x * factor for x in dw]), as_sources([x * factor for x in sw]))
    assert list(ea.rank) == list(eb.rank) and list(ea.grade) == list(eb.grade)


@given(st.integers(1, 30), dim_weights, src_weights, st.integers(0, 4))
@hsettings(max_examples=40, deadline=None)
def test_identical_people_rank_equal(n, dw, sw, level):
    score = level / 4 * MAXIMA
    recs = [{"person_id": f"x{i:02d}", "period": "1999", "source": s,
             "de": score[0], "neng": score[1], "qin": score[2], "ji": score[3]}
            for i in range(n) for s in SOURCES]
    rows = pd.DataFrame(recs)
    df = sc.scored(rows, SETTINGS, as_dims(dw), as_sources(sw))
    assert (df["rank"] == 1).all()
    ev = sc.ScoreCube(rows, SETTINGS).evaluate(as_dims(dw), as_sources(sw))
    assert (ev.rank == 1).all()


values = st.lists(st.sampled_from([0.0, 50.0, 60.0, 84.9999999, 85.0, 85.0000004, 90.5, 100.0])
                  | st.floats(0, 100, allow_nan=False), min_size=1, max_size=40)


@given(values, st.lists(st.sampled_from("abc"), min_size=40, max_size=40))
@hsettings(max_examples=100, deadline=None)
def test_ranks_are_a_competition_ranking(vals, groups):
    v = np.round(np.array(vals), 6)
    g = np.array(groups[: len(vals)])
    r = sc.competition_rank(vals, groups=g)
    for i in range(len(v)):
        same = g == g[i]
        assert r[i] == 1 + np.sum(v[same] > v[i])
    r0 = sc.competition_rank(vals)
    assert r0.min() == 1 and r0.dtype == np.int64
    for i in range(len(v)):
        assert r0[i] == 1 + np.sum(v > v[i])


@given(values, st.floats(0, 1))
@hsettings(max_examples=100, deadline=None)
def test_top_grade_respects_quota_and_order(vals, quota):
    c = pd.Series(vals)
    pid = pd.Series([f"p{i:02d}" for i in range(len(vals))])
    g = sc.computed_grades(c, pid, "annual", SETTINGS, quota=quota)
    top = (g == "优秀").to_numpy()
    assert top.sum() <= math.floor(quota * len(vals) + 1e-9)
    cr = np.round(c.to_numpy(), 6)
    assert (cr[top] >= 85).all()
    # nobody outside the top beats someone inside it in the (C desc, id asc) order
    if top.any() and (~top).any():
        worst_in = max((-cr[i], pid[i]) for i in np.flatnonzero(top))
        for i in np.flatnonzero(~top & (cr >= 85)):
            assert (-cr[i], pid[i]) > worst_in
    assert set(g) <= set(ANNUAL_GRADES)


@given(st.lists(st.sampled_from(ANNUAL_GRADES + [None]), min_size=1, max_size=50),
       st.lists(st.floats(0, 5, allow_nan=False), min_size=4, max_size=4),
       st.floats(0, 1e7, allow_nan=False))
@hsettings(max_examples=100, deadline=None)
def test_bonus_total_equals_pool(grades, coefs, pool):
    coefficients = dict(zip(ANNUAL_GRADES, coefs))
    split = sc.bonus_split(grades, coefficients, pool)
    assert (split.amounts >= 0).all()
    in_play = sum(coefficients[g] for g in grades if g is not None)
    if in_play > 0:
        assert not split.unallocated
        assert math.isclose(math.fsum(split.amounts), pool, rel_tol=1e-9, abs_tol=1e-6)
    else:
        assert split.unallocated and split.total == 0 and (split.amounts == 0).all()
