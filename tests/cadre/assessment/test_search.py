"""cadre.assessment.search: people search."""
from __future__ import annotations

from cadre.assessment.search import search_people


def test_search_people(small):
    assert search_people(small, "b")["person_id"].tolist() == ["B1", "B2", "B3", "B4"]
    assert search_people(small, "甲三")["person_id"].tolist() == ["A3"]
    assert len(search_people(small, "")) == 8
