"""cadre.whatif.weights: percentages summing to 100 and rescaling with locks."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as hs

from cadre.whatif.weights import normalise_percent, rescale


def test_rescale_proportional():
    assert rescale([20, 20, 20, 40], 3, 50) == [16.67, 16.67, 16.66, 50.0]
    assert rescale([40, 20, 30, 10], 0, 0) == [0.0, 33.33, 50.0, 16.67]


def test_rescale_locks_keep_their_value_and_clip_the_move():
    assert rescale([20, 20, 20, 40], 3, 60, locked={0}) == [20.0, 10.0, 10.0, 60.0]
    # two locks leave 60 points: 绩 cannot go beyond 60, 勤 drops to 0
    assert rescale([20, 20, 20, 40], 3, 90, locked={0, 1}) == [20.0, 20.0, 0.0, 60.0]
    # every other weight locked: nothing can move
    assert rescale([20, 20, 20, 40], 3, 70, locked={0, 1, 2}) == [20.0, 20.0, 20.0, 40.0]
    # a lock on the moved weight itself is ignored
    assert rescale([25, 25, 25, 25], 0, 40, locked={0}) == [40.0, 20.0, 20.0, 20.0]


def test_rescale_others_at_zero_share_equally():
    assert rescale([100, 0, 0, 0], 0, 40) == [40.0, 20.0, 20.0, 20.0]


@hsettings(max_examples=200, deadline=None)
@given(values=hs.lists(hs.integers(0, 10_000), min_size=4, max_size=4).filter(lambda v: sum(v) > 0),
       index=hs.integers(0, 3), new=hs.floats(0, 100), locked=hs.sets(hs.integers(0, 3), max_size=3))
def test_rescale_invariants(values, index, new, locked):
    start = normalise_percent(values)
    out = rescale(start, index, new, locked)
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
    assert normalise_percent([0, 0, 0, 0]) is None
    assert normalise_percent([1, -1, 1, 1]) is None
    assert normalise_percent([1, 1, 1]) == [33.34, 33.33, 33.33]
