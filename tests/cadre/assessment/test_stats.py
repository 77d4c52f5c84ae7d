"""cadre.assessment.stats: the t quantile."""
from __future__ import annotations

import math

import pytest

from cadre.assessment.stats import t975


def test_t_quantiles():
    got = t975([1, 2, 10, 30, 40, 100, 1000, 0])
    want = [12.7062, 4.3027, 2.2281, 2.0423, 2.0211, 1.9840, 1.9623]
    assert got[:7] == pytest.approx(want, abs=2e-4)
    assert math.isnan(got[7])
