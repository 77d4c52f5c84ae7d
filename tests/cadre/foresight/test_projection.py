"""The projection against a hand-computed small office, the 2025 gradual
rise, and the demo office's five years from 2001-12-31."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cadre import settings as settings_mod
from cadre import store
from cadre.foresight import projection as P
from cadre.foresight import service as S

D = dt.date
START = D(2020, 12, 31)


def _person(pid, section, rank_step, months, birth, gender="男", head=False, deputy=False, reserve=False,
            composite=80.0):
    return dict(person_id=pid, section=section, gender=gender, birth_date=pd.Timestamp(birth),
                education="大学本科", rank_step=rank_step, months_in_rank=months, credit_months=0,
                blocked=False, is_head=head, is_deputy=deputy, reserve=reserve, composite=composite)


# demo ladder: 1 办事员, 2 科员, 3 副股级 (deputy posts), 4 正股级 (head posts)
OFFICE = pd.DataFrame([
    # section A: the head turns 60 in May 2021; a deputy with 5 years in 副股级 (2 needed)
    _person("HA", "A", 4, 100, "1961-05-10", head=True),
    _person("DA", "A", 3, 60, "1980-01-01", deputy=True),
    _person("SA", "A", 2, 12, "1990-01-01"),
    # section B: the head (a woman) turns 55 in February 2022; no deputy; a reserve 科员 ready for 副股级
    _person("HB", "B", 4, 100, "1967-02-01", gender="女", head=True),
    _person("R", "B", 2, 48, "1988-01-01", reserve=True, composite=70.0),
    _person("SB", "B", 2, 48, "1989-01-01", composite=95.0),
])


@pytest.fixture
def office():
    s = settings_mod.defaults()
    return S.office(s)


def test_people_retire_in_the_right_year(office):
    r = P.project(OFFICE, office, P.Scenario(years=3), START)
    retired = r.moves[r.moves["event"] == "retire"].set_index("person_id")["year"].to_dict()
    assert retired == {"HA": 2021, "HB": 2022}
    assert list(r.years["headcount"]) == [6, 5, 4, 4]


def test_a_vacancy_is_filled_from_the_reserve_pool_and_the_gap_year_when_it_is_empty(office):
    r = P.project(OFFICE, office, P.Scenario(years=3), START)
    promoted = r.moves[r.moves["event"] == "promote"]
    # 2021: DA takes A's head post (正股级); A's deputy post goes to the reserve R (not SB, higher composite)
    assert set(promoted[promoted["year"] == 2021]["person_id"]) == {"DA", "R"}
    assert r.years.iloc[1]["by_rank"]["副股级"] == 1 and r.years.iloc[1]["by_rank"]["正股级"] == 2
    assert r.years.iloc[1]["vacancies"] == {"head": 0, "deputy": 0}
    # 2022: B's head retires; the pool is empty and B has no deputy: the gap year
    assert r.gap_years == {"A": None, "B": 2022}
    assert r.years.iloc[2]["vacancies"]["head"] == 1


def test_without_the_reserve_only_the_section_ready_staff_are_taken(office):
    people = OFFICE.assign(reserve=False)
    r = P.project(people, office, P.Scenario(years=1), START)
    # SA (科员 2 years of the 3 needed) is not ready: A's deputy post stays vacant
    assert set(r.moves[r.moves["event"] == "promote"]["person_id"]) == {"DA"}
    assert r.years.iloc[1]["vacancies"] == {"head": 0, "deputy": 1}
    faster = P.project(people, office, P.Scenario(years=1, faster_years=1), START)
    assert set(faster.moves[faster.moves["event"] == "promote"]["person_id"]) == {"DA", "SA"}


def test_expected_exits_thin_and_hires_join(office):
    r = P.project(OFFICE, office, P.Scenario(years=1, exit_rate=0.1, hire=2, hire_age=24), START)
    assert r.years.iloc[1]["headcount"] == pytest.approx(5 * 0.9 + 2)
    assert r.years.iloc[1]["by_rank"]["办事员"] == 2


def test_the_2025_gradual_rise_by_month_of_birth():
    birth = np.array([1964 * 12 + 11, 1965 * 12 + 0, 1965 * 12 + 4, 1976 * 12 + 8], dtype=float)
    assert list(P.rise_months(birth, np.full(4, 60.0))) == [0, 1, 2, 36]
    assert list(P.rise_months(np.array([1970 * 12 + 0.0]), np.array([55.0]))) == [1]
    assert list(P.rise_months(np.array([1975 * 12 + 2.0]), np.array([50.0]))) == [2]


def test_later_retirement_keeps_the_head(office):
    r = P.project(OFFICE, office, P.Scenario(years=2, retire_later_years=2), START)
    assert r.moves[r.moves["event"] == "retire"].empty and r.gap_years["B"] is None


def test_demo_five_years_mean_age_rises_without_hiring_and_stops_with(demo_con):
    start = D(2001, 12, 31)
    none, _ = S.run(demo_con, store.get_settings(demo_con), start, P.Scenario(years=5, hire=0))
    ages = list(none.years["mean_age"])
    assert len(ages) == 6 and all(b > a for a, b in zip(ages, ages[1:]))
    hired, _ = S.run(demo_con, store.get_settings(demo_con), start, P.Scenario(years=5, hire=6))
    assert hired.years["mean_age"].iloc[-1] <= hired.years["mean_age"].iloc[0]
    assert hired.years["headcount"].iloc[-1] > none.years["headcount"].iloc[-1]
    band = P.simulate(S.people_at(demo_con, store.get_settings(demo_con), start),
                      S.office(store.get_settings(demo_con)), P.Scenario(years=5, exit_rate=0.05),
                      start, runs=20, seed=1)
    assert (band["headcount_p10"] <= band["headcount_p90"]).all()
