"""cadre.assessment.profiles: a person's record over time."""
from __future__ import annotations

import pandas as pd

from cadre import store
from cadre.assessment.distribution import distribution
from cadre.assessment.profiles import person_profile
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import Scorer, score_periods
from cadre.assessment.tables import person_periods_table
from tests.cadre.assessment.helpers import frame_equal


def test_person_profile(small):
    p = person_profile(small, store.get_settings(small), "B4")
    assert p.person["name"] == "乙四"
    assert p.history["period"].tolist() == ["1997", "1998", "1999", "1999Q4"]
    assert p.history["section"].tolist() == ["乙科"] * 4  # the section then, not the roster's 丙科
    assert p.history["rank"].tolist() == [8] * 4 and p.history["n_office"].tolist() == [8] * 4
    assert p.history["section_rank"].tolist() == [4] * 4 and p.history["n_section"].tolist() == [4] * 4
    assert p.history["grade"].tolist()[:3] == ["称职", "优秀", "基本称职"]
    assert p.by_source["source"].unique().tolist() == ["综合"]
    assert p.movements[["kind", "from_section", "to_section"]].values.tolist() == [["轮岗", "乙科", "丙科"]]
    assert p.posts["section"].tolist() == ["乙科", "丙科"]
    assert p.posts["post_end"].iloc[0] == pd.Timestamp("2000-03-01")
    assert p.state["section"] == "丙科"
    table = person_periods_table(p.history, "zh")
    assert table["office_rank"].iloc[0] == "8 / 8" and table["period"].iloc[-1] == "1997年度"
    assert person_profile(small, store.get_settings(small), "nobody") is None


def test_profile_through_the_scorer_equals_scoring_every_period(small):
    settings = store.get_settings(small)
    periods = list_periods(small)["period"].tolist()
    scorer = Scorer(small, settings, {})
    distribution(small, settings, "1999", scorer=scorer)  # another page filled part of the cache
    for pid in ["B4", "A1", "B1"]:
        shared = person_profile(small, settings, pid, scorer=scorer)
        whole = person_profile(small, settings, pid, score_periods(small, settings, periods))
        frame_equal(shared.history, whole.history)
        frame_equal(shared.by_source, whole.by_source)
