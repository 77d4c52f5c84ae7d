"""cadre.assessment.distribution: a period's distribution in one scope."""
from __future__ import annotations

import pytest

from cadre import store
from cadre.assessment.distribution import dimension_long, distribution


def test_distribution_quota_mismatches_and_previous(small):
    d = distribution(small, store.get_settings(small), "1999")
    assert d.quota == {"n": 8, "quota": 0.15, "allowed": 1, "qualifying": 3, "top_floor": 85.0,
                       "top": "优秀", "awarded": 1}
    assert set(d.mismatches["person_id"]) == {"B1", "A3", "B3"}
    row = d.mismatches.set_index("person_id").loc["B1"]
    assert (row["computed_grade"], row["official_grade"]) == ("优秀", "称职")
    assert d.previous_period == "1998" and len(d.previous) == 8
    assert d.flagged_sections == ["甲科"] and d.egalitarian is None
    assert d.stats["range"] == pytest.approx(35.0)
    assert [b[0] for b in d.bands] == ["优秀", "称职", "基本称职", "不称职"]
    assert d.bands[1] == ("称职", 70.0, 85.0)


def test_distribution_of_a_section(small):
    settings = store.get_settings(small)
    a = distribution(small, settings, "1999", "甲科")
    assert a.egalitarian is True and a.stats["n"] == 3 and a.stats["iqr"] == pytest.approx(1.0)
    assert a.grades.set_index("grade")["official"].to_dict() == {"优秀": 1, "称职": 2, "基本称职": 0, "不称职": 0}
    b = distribution(small, settings, "1999", "乙科")
    assert b.egalitarian is False and sorted(b.people["person_id"]) == ["B1", "B2", "B3", "B4"]
    q = distribution(small, settings, "1999Q4", "乙科")
    assert q.has_official is False and q.previous_period is None and q.mismatches.empty


def test_dimension_long_shares(small):
    d = distribution(small, store.get_settings(small), "1999", "甲科")
    long = dimension_long(d.people)
    assert len(long) == 12 and set(long["dimension"]) == {"德", "能", "勤", "绩"}
    assert long.loc[long["person_id"] == "A1", "pct"].tolist() == pytest.approx([80.0] * 4)
