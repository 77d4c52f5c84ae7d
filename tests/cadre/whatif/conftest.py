"""Fixtures of the what-if tests: three hand-computable people, the default settings, their lab."""
from __future__ import annotations

import pandas as pd
import pytest

from cadre import settings as settings_mod
from cadre.whatif.lab import build_lab
from tests.cadre.whatif.helpers import row


@pytest.fixture
def rows():
    """Three people, hand-computable: B lacks the 民主评议 source."""
    return pd.DataFrame([
        row("A", "实绩考核", 18, 10, 10, 36, "X科", "甲一"),
        row("A", "民主评议", 16, 10, 10, 32, "X科", "甲一"),
        row("B", "实绩考核", 20, 10, 10, 30, "X科", "乙二"),
        row("C", "实绩考核", 10, 10, 10, 20, "Y科", "丙三"),
        row("C", "民主评议", 14, 10, 10, 28, "Y科", "丙三"),
    ])


@pytest.fixture
def cfg():
    return settings_mod.defaults()


@pytest.fixture
def lab(rows, cfg):
    return build_lab(rows, cfg, "1999")
