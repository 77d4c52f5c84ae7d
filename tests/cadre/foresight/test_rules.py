"""The 2019 rank rules preset on hand-made people: whole months from the
month the rank was taken, 优秀 shortens by half a year, 基本称职 lengthens by
one year, 职数 holds people back; and the demo's rules unchanged."""
from __future__ import annotations

import datetime as dt

import pytest

from cadre import store, timeline
from cadre.foresight import rules as R
from tests.cadre import timeline_helpers as helpers
from tests.cadre.timeline_helpers import annual

D = dt.date
ROSTER = dict(
    name=None, gender="男", birth_date=D(1985, 6, 15), education="大学本科", education_mode="全日制",
    major=None, political_status="中共党员", join_work_date=None, section="综合科", position="一级科员",
    rank="一级科员", rank_since=D(2020, 3, 20), post_since=None, status="在职", reserve=False, batch_id=1,
)
PEOPLE = [
    # 一级科员 → 四级主任科员 needs 3 years: from March 2020, met in March 2023 (whole months)
    dict(person_id="M"),
    # one 优秀 in rank: half a year less, met in September 2022
    dict(person_id="EX"),
    # one 基本称职 in rank: a year more, met in March 2024
    dict(person_id="BS"),
    # two 四级主任科员 eligible since long; one place free of two (one holder)
    dict(person_id="Q1", rank="四级主任科员", rank_since=D(2015, 1, 1)),
    dict(person_id="Q2", rank="四级主任科员", rank_since=D(2016, 1, 1)),
    dict(person_id="H", rank="三级主任科员", rank_since=D(2019, 1, 1)),
]
GRADES = [annual("EX", 2021, "优秀"), annual("BS", 2021, "基本称职"), annual("M", 2021, "称职"),
          annual("EX", 2019, "优秀")]  # 2019 ended before the rank was taken: does not count


@pytest.fixture
def office(tmp_path):
    con = helpers.make_store(tmp_path, ROSTER, PEOPLE, (), GRADES)
    R.use(con, "rank-2019")
    yield con
    con.close()


def _elig(con, date):
    return timeline.eligibility(con, store.get_settings(con), date).set_index("person_id")


def test_preset_holds_only_years_in_rank():
    p = R.preset("rank-2019")
    assert p["ladder"][:4] == ["二级科员", "一级科员", "四级主任科员", "三级主任科员"]
    assert p["promotion_rules"]["四级主任科员"]["min_years_in_rank"] == 3
    assert p["promotion_rules"]["一级科员"]["min_years_in_rank"] == 2
    assert {r["min_excellent"] for r in p["promotion_rules"].values()} == {0}
    assert {r["min_years_service"] for r in p["promotion_rules"].values()} == {0}
    assert {r["grade_years"] for r in p["promotion_rules"].values()} == {0}


def test_whole_months_from_the_month_taken(office):
    # the rank taken on 20 March 2020: met on 1 March 2023 (a day's count would wait to the 20th)
    assert not _elig(office, D(2023, 2, 28)).loc["M", "eligible"]
    e = _elig(office, D(2023, 3, 1))
    assert e.loc["M", "eligible"] and e.loc["M", "blocking"] == []
    assert e.loc["M", "eligible_from"].date() == D(2023, 3, 1)


def test_excellent_shortens_by_half_a_year(office):
    e = _elig(office, D(2022, 8, 31))
    assert e.loc["EX", "blocking"] == ["min_years_in_rank"]
    assert e.loc["EX", "eligible_from"].date() == D(2022, 9, 1)
    assert _elig(office, D(2022, 9, 1)).loc["EX", "eligible"]


def test_basic_lengthens_by_one_year(office):
    assert not _elig(office, D(2024, 2, 29)).loc["BS", "eligible"]
    e = _elig(office, D(2024, 3, 1))
    assert e.loc["BS", "eligible"]
    assert _elig(office, D(2023, 6, 1)).loc["BS", "eligible_from"].date() == D(2024, 3, 1)


def test_places_hold_people_back(office):
    s = store.get_settings(office)
    assert set(_elig(office, D(2023, 6, 1)).query("eligible").index) >= {"Q1", "Q2"}
    store.put_settings(office, {"rank_places": {**s["rank_places"], "三级主任科员": 2}})
    e = _elig(office, D(2023, 6, 1))
    assert e.loc["Q1", "eligible"]  # longer in rank: the one free place
    assert not e.loc["Q2", "eligible"] and e.loc["Q2", "blocking"] == ["rank_places"]
    assert e.loc["Q2", "eligible_from"] is None or e["eligible_from"].isna()["Q2"]


def test_switching_back_to_demo_restores_its_rules(office):
    R.use(office, "demo")
    s = store.get_settings(office)
    assert s["ladder"] == ["办事员", "科员", "副股级", "正股级", "副科级", "正科级"]
    assert not s["rank_whole_months"] and s["rank_grade_adjust"]["excellent_shortens_years"] == 0
    assert not R.edited(s)
    store.put_settings(office, {"rank_places": {"科员": 3}})
    assert R.edited(store.get_settings(office))
