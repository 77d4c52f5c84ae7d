"""The succession board on a hand-made office: the posts and their holders,
successors from the reserve pool and from leaders' picks, readiness from
the rules in force (the rule that still blocks and the day it clears),
posts without a ready successor flagged; the talent matrix's cells and the
comparison's figures."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cadre import figures, store, timeline
from cadre.access import User
from cadre.succession import board, recommend, review

from tests.cadre import timeline_helpers as helpers
from tests.cadre.timeline_helpers import annual

D = dt.date
AT = D(2001, 12, 31)
LEADER = User("lead", "leader")
ROSTER_DEFAULTS = dict(
    name=None, gender="男", birth_date=D(1965, 6, 15), education="大学本科",
    education_mode="全日制", major=None, political_status="中共党员",
    join_work_date=D(1985, 1, 1), section="综合科", position="科员", rank="科员",
    rank_since=D(1995, 1, 1), post_since=None, status="在职", reserve=False, batch_id=1,
)
PEOPLE = [
    dict(person_id="H", position="科长", rank="正股级", birth_date=D(1943, 3, 1)),
    # a reserve deputy, one 优秀: only the years in rank block 正股级 (2 years from 2001-01-01)
    dict(person_id="D1", position="副科长", rank="副股级", rank_since=D(2001, 1, 1), reserve=True),
    # reserve 副股级 without any 优秀 in three years: the next year end could bring one
    dict(person_id="E", rank="副股级", reserve=True),
    # reserve 副股级 with 中专: the education floor of 正股级, not cleared by time
    dict(person_id="ED", rank="副股级", education="中专", reserve=True),
    # reserve already on the post's rank
    dict(person_id="R", rank="正股级", reserve=True),
    # reserve 科员 for the deputy post: 3 years in rank from 1999-06-01
    dict(person_id="N", rank="科员", rank_since=D(1999, 6, 1), reserve=True),
    # 法制科: a head, no reserve; a 科员 a leader picks
    dict(person_id="H2", section="法制科", position="科长", rank="正股级"),
    dict(person_id="P", section="法制科"),
    dict(person_id="TOP", section="主任室", position="主任", rank="正科级"),
]


def _grades(pid, top=None):
    return [annual(pid, y, "优秀" if y == top else "称职") for y in (1999, 2000, 2001)]


GRADES = [g for pid in ("H", "E", "ED", "N", "H2", "P", "TOP") for g in _grades(pid)] \
    + _grades("D1", 2000) + _grades("R", 2001)


@pytest.fixture
def office(tmp_path):
    con = helpers.make_store(tmp_path, ROSTER_DEFAULTS, PEOPLE, assessments=GRADES)
    yield con
    con.close()


def _succ(b, section, post):
    s = b.successors[(b.successors["section"] == section) & (b.successors["post"] == post)]
    return s.set_index("person_id")


def test_readiness_names_the_blocking_rule_and_the_day_it_clears(office):
    b = board.build(office, store.get_settings(office), AT, gap_years={})
    head = _succ(b, "综合科", "科长")
    assert set(head.index) == {"D1", "E", "ED", "R"}   # the reserve of the section, on P-1 or P
    assert head.loc["R", "readiness"] == "now" and head.loc["R", "blocking_rule"] is None
    assert head.loc["D1", "readiness"] == "within_3"
    assert head.loc["D1", "blocking_rule"] == "min_years_in_rank"
    assert pd.Timestamp(head.loc["D1", "clears_on"]).date() == D(2003, 1, 1)
    assert head.loc["E", "readiness"] == "within_1" and head.loc["E", "blocking_rule"] == "min_excellent"
    assert pd.Timestamp(head.loc["E", "clears_on"]).date() == D(2002, 12, 31)
    assert head.loc["ED", "readiness"] == "later" and head.loc["ED", "blocking_rule"] == "education_floor"
    assert pd.isna(head.loc["ED", "clears_on"])
    deputy = _succ(b, "综合科", "副科长")
    assert "D1" not in deputy.index   # the holder is no successor of their own post
    assert deputy.loc["N", "readiness"] == "within_1" and deputy.loc["N", "blocking_rule"] == "min_years_in_rank"
    assert pd.Timestamp(deputy.loc["N", "clears_on"]).date() == D(2002, 6, 1)
    assert deputy.loc["E", "readiness"] == "now"
    posts = b.posts.set_index(["section", "post"])
    assert not posts.loc[("综合科", "科长"), "no_ready_successor"]
    assert posts.loc[("法制科", "科长"), "no_ready_successor"]   # no reserve, no pick
    assert posts.loc[("综合科", "科长"), "holders"] == ["H"]
    assert posts.loc[("综合科", "科长"), "years_to_retirement"] == pytest.approx(1.17, abs=0.01)
    assert posts.loc[("主任室", "主任"), "kind"] == "leadership"


def test_a_leaders_pick_is_a_successor_until_the_recommendation_closes(office):
    rec = recommend.add(office, store.get_settings(office), "法制科", "科长", "P", "业务骨干", LEADER)
    b = board.build(office, store.get_settings(office), AT, gap_years={"法制科": 2004})
    pick = _succ(b, "法制科", "科长").loc["P"]
    assert bool(pick["picked"]) and not bool(pick["reserve"]) and pick["recommendations"] == [rec]
    assert pick["readiness"] == "later" and pick["blocking_rule"] == "below_post_rank"
    assert b.posts.set_index(["section", "post"]).loc[("法制科", "科长"), "gap_year"] == 2004
    recommend.close(office, rec, LEADER)
    assert "P" not in _succ(board.build(office, store.get_settings(office), AT, gap_years={}), "法制科", "科长").index


def test_without_the_new_eligibility_columns_nothing_would_clear(office):
    """The clear day of a time rule comes from rank_time_from, which the
    eligibility query gives whatever else blocks."""
    elig = timeline.eligibility(office, store.get_settings(office), AT)
    row = elig.set_index("person_id").loc["D1"]
    assert pd.Timestamp(row["rank_time_from"]).date() == D(2003, 1, 1) and not row["eligible"]


# ---------------------------------------------------------------- the talent matrix

SMALL = [dict(person_id=f"S{i}", rank="副股级" if i < 5 else "科员", rank_since=D(1990, 1, 1)) for i in range(10)]


def _scored(pid, points):
    return [dict(person_id=pid, period=str(y), period_end=D(y, 12, 31), ji=points, grade="称职")
            for y in (1999, 2000, 2001)]


@pytest.fixture
def small(tmp_path):
    rows = [r for i in range(10) for r in _scored(f"S{i}", 20.0 + 2 * i)]
    con = helpers.make_store(tmp_path, ROSTER_DEFAULTS, SMALL, assessments=rows)
    yield con
    con.close()


def test_the_matrix_cells_on_a_small_office(small):
    s = store.get_settings(small)
    people = review.matrix(small, s, AT).set_index("person_id")
    # percentiles 0.1 .. 1.0 by points; cut at 0.3 and 0.7
    assert people.loc["S0", "band"] == "low" and people.loc["S1", "band"] == "low"
    assert people.loc["S2", "band"] == "mid" and people.loc["S5", "band"] == "mid"
    assert people.loc["S6", "band"] == "high" and people.loc["S9", "band"] == "high"
    # 副股级 → 正股级 needs an 优秀: not by the date, the next year end (soon); 科员 long in rank: now
    assert set(people.loc[["S0", "S1", "S2", "S3", "S4"], "ready"]) == {"soon"}
    assert set(people.loc[["S5", "S6", "S7", "S8", "S9"], "ready"]) == {"now"}
    grid = review.cells(people.reset_index())
    assert grid.loc["soon"].tolist() == [2, 3, 0] and grid.loc["now"].tolist() == [0, 1, 4]
    assert grid.loc["later"].sum() == 0
    s["talent_cut_points"] = [0.5, 0.9]
    grid = review.cells(review.matrix(small, s, AT))
    assert grid.loc["soon"].tolist() == [4, 1, 0] and grid.loc["now"].tolist() == [0, 3, 2]


def test_the_matrix_chart_names_people_only_for_who_may_see_them(small):
    from cadre.succession import views
    people = review.matrix(small, store.get_settings(small), AT)
    named = views.matrix_figure(people, "zh", False, True, names=True)
    assert len(named.data) == 2 and set(named.data[1].text) == {f"S{i}"[0] + "*" for i in range(10)}
    assert {tuple(c) for c in named.data[1].customdata} == {("low", "soon"), ("mid", "soon"), ("mid", "now"),
                                                             ("high", "now")}
    viewer = views.matrix_figure(people, "zh", False, True, names=False)
    assert len(viewer.data) == 1   # the counts only: no point per person
    crowded = pd.concat([people.assign(person_id=people["person_id"] + f"_{k}") for k in range(5)])
    fig = views.matrix_figure(crowded, "zh", True, False, names=True)
    shown = pd.Series([tuple(c) for c in fig.data[1].customdata]).value_counts()
    assert shown.max() == views.CELL_NAMES_PROJECTOR   # a crowded cell names its best 15; the count says 20


# ---------------------------------------------------------------- the comparison

def test_the_comparison_shows_the_registrys_figures(office):
    s = store.get_settings(office)
    ids = ["D1", "E", "R"]
    cand = review.candidates(office, s, AT, ids, post_step=4)
    table, differs = review.compare_table(cand, "zh")
    table = table.set_index(table.columns[0])
    state = timeline.state_at(office, s, AT).set_index("person_id")
    for pid in ids:
        col = table[pid]
        for key in ("age", "years_in_rank", "years_in_post", "rank", "section"):
            assert col[figures.label(key)] == figures.value(key, state.loc[pid, key]), (pid, key)
    with figures.changed("years_in_rank", decimals=3):
        table3, _ = review.compare_table(cand, "zh")
        assert table3.set_index(table3.columns[0])["D1"][figures.label("years_in_rank")] == \
            figures.value("years_in_rank", state.loc["D1", "years_in_rank"])
    assert table.loc["尚未满足的条件", "D1"].startswith("任职年限")
    assert table.loc["近三年年度考核", "R"] == "2001 优秀 / 2000 称职 / 1999 称职"
    assert differs[list(table.index).index("近三年年度考核")]
