"""Pipelines on hand-made histories: funnel, eligibility (each rule blocking),
succession risk, rotation due, time in rank, flows and section exchange."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cadre import store, timeline

from tests.cadre import timeline_helpers as helpers
from tests.cadre.timeline_helpers import annual

D = dt.date

ROSTER_DEFAULTS = dict(
    name=None, gender="男", birth_date=D(1965, 6, 15), education="大学本科",
    education_mode="全日制", major=None, political_status="中共党员",
    join_work_date=D(1985, 1, 1), section="综合科", position="科员", rank="科员",
    rank_since=D(1995, 1, 1), post_since=None, status="在职", reserve=False, batch_id=1,
)


def make_store(tmp_path, roster, movements=(), assessments=()):
    """A store on disk holding the given hand-made rows (this module's roster defaults)."""
    return helpers.make_store(tmp_path, ROSTER_DEFAULTS, roster, movements, assessments)


def grades(person_id, by_year: dict):
    return [annual(person_id, y, g) for y, g in by_year.items()]


COMPETENT = {1999: "称职", 2000: "称职", 2001: "称职"}

# ---------------------------------------------------------------- the office at 2001-12-31

PEOPLE = [
    # eligible 科员 → 副股级: exactly 3 whole years in rank on the date
    dict(person_id="OK1", section="秘书一科", rank_since=D(1998, 12, 31), reserve=True),
    # each blocked by one rule
    dict(person_id="RK", section="法制科", rank_since=D(1999, 1, 1)),
    dict(person_id="SV", section="法制科", join_work_date=D(2000, 6, 1)),
    dict(person_id="BS", section="法制科"),
    dict(person_id="EX", section="秘书一科", position="副科长", rank="副股级"),
    dict(person_id="ED", section="信息科", rank="副股级", education="中专"),
    # an eligible deputy
    dict(person_id="DEP", section="信息科", position="副科长", rank="副股级"),
    # top of the ladder
    dict(person_id="TOP", section="主任室", position="主任", rank="正科级"),
    # heads
    dict(person_id="SH", section="秘书一科", position="科长", rank="正股级",
         birth_date=D(1943, 3, 1), post_since=D(1996, 12, 31)),
    dict(person_id="SH2", section="信息科", position="科长", rank="正股级", gender="女",
         birth_date=D(1960, 1, 1), post_since=D(1997, 1, 1)),
    # in post since a rotation
    dict(person_id="R1", section="督查室"),
]
MOVES = [
    dict(person_id="R1", date=D(1996, 6, 1), kind="轮岗", from_section="综合科", to_section="督查室"),
]
ASSESSMENTS = (
    grades("OK1", {1998: "基本称职", **COMPETENT})  # 1998 is outside the last 3 years
    + [dict(person_id="OK1", period="2001Q2", period_kind="quarterly",
            period_end=D(2001, 6, 30), grade="较差")]
    + grades("RK", COMPETENT) + grades("SV", COMPETENT)
    + grades("BS", {1999: "称职", 2000: "基本称职", 2001: "称职"})
    + grades("EX", COMPETENT)
    + grades("ED", {1999: "称职", 2000: "称职", 2001: "优秀"})
    + grades("DEP", {1999: "称职", 2000: "优秀", 2001: "称职"})
)
AT = D(2001, 12, 31)


@pytest.fixture
def office(tmp_path):
    con = make_store(tmp_path, PEOPLE, MOVES, ASSESSMENTS)
    yield con
    con.close()


def test_funnel_in_ladder_order(office):
    funnel = timeline.funnel(office, store.get_settings(office))
    assert list(funnel["rank"]) == ["办事员", "科员", "副股级", "正股级", "副科级", "正科级"]
    assert list(funnel["headcount"]) == [0, 5, 3, 2, 0, 1]
    assert int(funnel.set_index("rank").loc["正股级", "women"]) == 1


def test_eligibility_each_rule_blocking(office):
    elig = timeline.eligibility(office, store.get_settings(office), AT).set_index("person_id")
    blocking = elig["blocking"].to_dict()
    assert blocking["OK1"] == [] and elig.loc["OK1", "eligible"]
    assert elig.loc["OK1", "next_rank"] == "副股级" and elig.loc["OK1", "reserve"]
    assert int(elig.loc["OK1", "graded_periods"]) == 3
    assert blocking["RK"] == ["min_years_in_rank"]
    assert blocking["SV"] == ["min_years_service"]
    assert blocking["BS"] == ["no_basic_in_years"]
    assert blocking["EX"] == ["min_excellent"]
    assert blocking["ED"] == ["education_floor"]
    assert blocking["DEP"] == [] and elig.loc["DEP", "next_rank"] == "正股级"
    assert blocking["TOP"] == ["no_next_rank"] and not elig.loc["TOP", "eligible"]
    assert pd.isna(elig.loc["TOP", "next_rank"])
    # SH: 正股级 → 副科级 needs one 优秀 in the last 3 years (has no grades)
    assert blocking["SH"] == ["min_excellent"]
    assert list(elig.loc["RK", ["pass_years_in_rank", "pass_years_service", "pass_no_basic",
                                "pass_excellent", "pass_education"]]) == [False, True, True, True, True]
    # R1 has no grades: none is 基本称职, and 科员 → 副股级 asks for no 优秀
    assert set(elig[elig["eligible"]].index) == {"OK1", "DEP", "R1"}


def test_eligibility_one_day_earlier(office):
    # a day before: OK1 has not completed 3 years in rank, and the last 3 annual
    # periods are 1998 (基本称职), 1999, 2000
    elig = timeline.eligibility(office, store.get_settings(office), D(2001, 12, 30)).set_index("person_id")
    assert elig.loc["OK1", "blocking"] == ["min_years_in_rank", "no_basic_in_years"]
    assert int(elig.loc["OK1", "graded_periods"]) == 3  # 1998, 1999, 2000
    assert elig.loc["BS", "blocking"] == ["no_basic_in_years"]
    assert elig.loc["ED", "blocking"] == ["min_excellent", "education_floor"]


def test_eligibility_follows_settings(office):
    rules = store.get_settings(office)["promotion_rules"]
    rules["副股级"]["min_years_in_rank"] = 4
    store.put_settings(office, {"promotion_rules": rules})
    elig = timeline.eligibility(office, store.get_settings(office), AT).set_index("person_id")
    assert elig.loc["OK1", "blocking"] == ["min_years_in_rank"]
    assert elig.loc["BS", "blocking"] == ["no_basic_in_years"]  # since 1995: 6 years


def test_succession_risk(office):
    risk = timeline.succession(office, store.get_settings(office), AT)
    assert list(risk["section"]) == ["法制科", "督查室", "秘书一科", "信息科"]
    risk = risk.set_index("section")
    assert risk["risk"].to_dict() == {"法制科": "vacant", "督查室": "vacant",
                                      "秘书一科": "high", "信息科": "low"}
    sh = risk.loc["秘书一科"]
    assert sh["head_id"] == "SH" and int(sh["head_age"]) == 58
    assert sh["years_to_retirement"] == pytest.approx((D(2003, 3, 1) - AT).days / 365.25)
    assert (int(sh["deputies"]), int(sh["eligible_deputies"])) == (1, 0)
    info = risk.loc["信息科"]
    assert int(info["retirement_age"]) == 55
    assert info["years_to_retirement"] == pytest.approx((D(2015, 1, 1) - AT).days / 365.25)
    assert (int(info["deputies"]), int(info["eligible_deputies"])) == (1, 1)


def test_rotation_due(office):
    due = timeline.rotation_due(office, store.get_settings(office), AT)
    assert list(due["person_id"]) == ["R1", "SH"]  # by section: 督查室, 秘书一科
    r1 = due.set_index("person_id").loc["R1"]
    assert r1["post_since"].date() == D(1996, 6, 1)
    assert r1["years_in_post"] == pytest.approx((AT - D(1996, 6, 1)).days / 365.25)
    # SH2 in post since 1997-01-01: a day short of 5 years
    assert "SH2" not in set(due["person_id"])
    assert list(timeline.rotation_due(office, store.get_settings(office), D(2001, 12, 30))["person_id"]) == ["R1"]


# ---------------------------------------------------------------- moves over a span

FLOW_PEOPLE = [
    dict(person_id="P", rank="正股级", rank_since=None),
    dict(person_id="Q", rank="正股级", rank_since=None),
    dict(person_id="S", section="信息科"),
    dict(person_id="U", section="信息科"),
    dict(person_id="V", section="综合科", rank="办事员"),
    dict(person_id="W", section="综合科", status="调出"),
    dict(person_id="X", section="行政科", status="退休"),
    dict(person_id="Y", section="信息科"),
    dict(person_id="Z", section="综合科", rank="副股级"),
]
FLOW_MOVES = [
    dict(person_id="P", date=D(1998, 3, 1), kind="提拔", from_rank="科员", to_rank="副股级"),
    dict(person_id="P", date=D(2000, 7, 1), kind="提拔", from_rank="副股级", to_rank="正股级"),
    dict(person_id="Q", date=D(1996, 3, 1), kind="提拔", from_rank="科员", to_rank="副股级"),
    dict(person_id="Q", date=D(2000, 3, 1), kind="提拔", to_rank="正股级"),  # from_rank derived
    dict(person_id="S", date=D(2000, 5, 1), kind="轮岗", from_section="综合科", to_section="信息科"),
    dict(person_id="U", date=D(2000, 2, 1), kind="调入", to_section="信息科", to_rank="科员"),
    dict(person_id="V", date=D(2000, 3, 1), kind="录用", to_section="综合科", to_rank="办事员"),
    dict(person_id="W", date=D(2000, 4, 1), kind="调出", from_section="综合科",
         destination="市财政局"),
    dict(person_id="X", date=D(2000, 8, 1), kind="退休"),
    dict(person_id="Y", date=D(2000, 6, 1), kind="轮岗", from_section="综合科", to_section="信息科"),
    dict(person_id="Z", date=D(2000, 6, 1), kind="提拔", from_section="信息科", to_section="综合科",
         from_rank="科员", to_rank="副股级"),
    # outside the span
    dict(person_id="S", date=D(1999, 5, 1), kind="免职", from_section="行政科", to_section="综合科"),
]
SPAN = (D(2000, 1, 1), D(2000, 12, 31))


@pytest.fixture
def moves(tmp_path):
    con = make_store(tmp_path, FLOW_PEOPLE, FLOW_MOVES)
    yield con
    con.close()


def test_time_in_rank(moves):
    rows, summary = timeline.time_in_rank(moves, store.get_settings(moves))
    rows = rows.set_index(["person_id", "to_rank"])
    assert pd.isna(rows.loc[("P", "副股级"), "years"])  # the rank before 1998 is not dated
    assert rows.loc[("P", "正股级"), "years"] == pytest.approx(853 / 365.25)
    assert rows.loc[("Q", "正股级"), "from_rank"] == "副股级"
    assert rows.loc[("Q", "正股级"), "years"] == pytest.approx(1461 / 365.25)
    summary = summary.set_index(["from_rank", "to_rank"])
    step = summary.loc[("副股级", "正股级")]
    assert (int(step["promotions"]), int(step["known"])) == (2, 2)
    assert step["median_years"] == pytest.approx((853 + 1461) / 2 / 365.25)
    first = summary.loc[("科员", "副股级")]
    assert (int(first["promotions"]), int(first["known"])) == (3, 0)
    assert list(summary.index.get_level_values("to_rank")) == ["副股级", "正股级"]


def test_flows(moves):
    flows = timeline.flows(moves, store.get_settings(moves), *SPAN)
    got = {(r.flow, r.source, r.target): int(r.value)
           for r in flows.astype(object).where(flows.notna(), None).itertuples()}
    assert got == {
        ("promotion", "副股级", "正股级"): 2,
        ("promotion", "科员", "副股级"): 1,
        ("rotation", "综合科", "信息科"): 2,
        ("transfer_in", None, "信息科"): 1,
        ("hire", None, "综合科"): 1,
        ("transfer_out", "综合科", "市财政局"): 1,
        ("retire", "行政科", None): 1,
    }


def test_exchange_matrix(moves):
    ex = timeline.exchange_matrix(moves, store.get_settings(moves), *SPAN)
    got = {(r.from_section, r.to_section): int(r.n) for r in ex.itertuples()}
    assert got == {("信息科", "综合科"): 1, ("综合科", "信息科"): 2}
    everything = timeline.exchange_matrix(moves, store.get_settings(moves))
    got_all = {(r.from_section, r.to_section): int(r.n) for r in everything.itertuples()}
    assert got_all[("行政科", "综合科")] == 1  # S in 1999
