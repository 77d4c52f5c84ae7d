"""The person timeline on hand-made histories: state at a date, in office,
the movements summary of a year (heads, new middle cadres) and the structure."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cadre import store, timeline

from tests.cadre import timeline_helpers as helpers
from tests.cadre.timeline_helpers import annual

D = dt.date

ROSTER_DEFAULTS = dict(
    name=None, gender="男", birth_date=D(1960, 6, 15), education="大学本科",
    education_mode="全日制", major=None, political_status="中共党员",
    join_work_date=D(1980, 1, 1), section="综合科", position="科员", rank="科员",
    rank_since=None, post_since=None, status="在职", reserve=False, batch_id=1,
)


def make_store(tmp_path, roster, movements=(), assessments=()):
    """A store on disk holding the given hand-made rows (this module's roster defaults)."""
    return helpers.make_store(tmp_path, ROSTER_DEFAULTS, roster, movements, assessments)


# ---------------------------------------------------------------- person histories

PEOPLE = [
    # promoted twice
    dict(person_id="A", section="综合科", position="科长", rank="正股级"),
    # transferred out and back
    dict(person_id="B", section="秘书一科", position="科员", rank="科员"),
    # hired on 1 January
    dict(person_id="C", section="信息科", position="科员", rank="办事员",
         join_work_date=D(2000, 1, 1), birth_date=D(1978, 1, 1)),
    # no movements: roster values
    dict(person_id="D", section="行政科", position="科员", rank="科员",
         birth_date=D(1970, 3, 10), gender="女", rank_since=D(1996, 5, 1),
         post_since=D(1994, 1, 1)),
    # two movements on one date, in file order
    dict(person_id="E", section="法制科", position="副科长", rank="副股级"),
    # a rotation that leaves to_rank empty
    dict(person_id="F", section="督查室", position="科员", rank="副股级"),
    # status 退休 without an exit movement
    dict(person_id="G", section="行政科", position="科员", rank="科员", status="退休",
         birth_date=D(1942, 2, 1)),
]
MOVES = [
    dict(person_id="A", date=D(1998, 3, 1), kind="提拔", from_section="综合科", to_section="综合科",
         from_position="科员", to_position="副科长", from_rank="科员", to_rank="副股级"),
    dict(person_id="A", date=D(2000, 7, 1), kind="轮岗", from_position="副科长", to_position="科长",
         from_rank="副股级", to_rank="正股级"),  # a promotion whatever its kind says
    dict(person_id="B", date=D(1998, 5, 1), kind="调出", from_section="秘书一科",
         destination="市财政局"),
    dict(person_id="B", date=D(1999, 9, 1), kind="调入", to_section="秘书一科",
         to_position="科员", from_rank="科员", to_rank="科员"),
    dict(person_id="C", date=D(2000, 1, 1), kind="录用", to_section="信息科", to_position="科员",
         to_rank="办事员"),
    # seq puts the rotation first although 提拔 sorts before 轮岗 by kind
    dict(person_id="E", date=D(1999, 4, 1), seq=5, kind="轮岗", from_section="综合科",
         to_section="行政科", from_position="科员", to_position="科员"),
    dict(person_id="E", date=D(1999, 4, 1), seq=6, kind="提拔", from_section="行政科",
         to_section="法制科", to_position="副科长", from_rank="科员", to_rank="副股级"),
    dict(person_id="F", date=D(1997, 6, 1), kind="提拔", from_section="综合科", to_section="综合科",
         from_rank="科员", to_rank="副股级"),
    dict(person_id="F", date=D(2000, 2, 1), kind="轮岗", from_section="综合科", to_section="督查室"),
]
# the reference date: the 2001 annual period ends 2001-12-31
GRADES = [annual("D", 2001, "称职")]


@pytest.fixture
def people(tmp_path):
    con = make_store(tmp_path, PEOPLE, MOVES, GRADES)
    yield con
    con.close()


def _state(con, date) -> pd.DataFrame:
    return timeline.state_at(con, store.get_settings(con), date).set_index("person_id")


def test_reference_date_is_latest_movement_or_period_end(people):
    assert timeline.reference_date(people) == D(2001, 12, 31)


def test_promoted_twice(people):
    before = _state(people, D(1997, 12, 31)).loc["A"]
    assert (before["rank"], before["position"]) == ("科员", "科员")
    mid = _state(people, D(1999, 6, 30)).loc["A"]
    assert (mid["rank"], mid["position"], mid["section"]) == ("副股级", "副科长", "综合科")
    assert mid["rank_since"].date() == D(1998, 3, 1)
    assert mid["is_middle"] and not mid["is_head"]
    after = _state(people, D(2001, 1, 1)).loc["A"]
    assert (after["rank"], after["position"]) == ("正股级", "科长")
    assert after["is_head"]
    assert after["post_since"].date() == D(2000, 7, 1)


def test_transferred_out_and_back(people):
    assert _state(people, D(1998, 4, 30)).loc["B", "in_office"]
    assert not _state(people, D(1998, 5, 1)).loc["B", "in_office"]  # on the exit date: out
    assert not _state(people, D(1999, 8, 31)).loc["B", "in_office"]
    back = _state(people, D(1999, 9, 1)).loc["B"]
    assert back["in_office"] and back["section"] == "秘书一科"
    assert back["post_since"].date() == D(1999, 9, 1)


def test_hire_on_first_january_counts_from_that_date(people):
    assert not _state(people, D(1999, 12, 31)).loc["C", "in_office"]
    c = _state(people, D(2000, 1, 1)).loc["C"]
    assert c["in_office"] and c["rank"] == "办事员" and c["service_years"] == 0
    assert timeline.movements_summary(people, store.get_settings(people), 2000)["hires"] == 1
    assert timeline.movements_summary(people, store.get_settings(people), 1999)["hires"] == 1  # B's transfer_in


def test_person_without_movements_keeps_roster_values(people):
    d = _state(people, D(2000, 3, 9)).loc["D"]
    assert (d["section"], d["position"], d["rank"]) == ("行政科", "科员", "科员")
    assert d["age"] == 29  # birthday 10 March not passed yet
    assert _state(people, D(2000, 3, 10)).loc["D", "age"] == 30
    assert d["rank_since"].date() == D(1996, 5, 1)
    assert d["years_in_post"] == pytest.approx((D(2000, 3, 9) - D(1994, 1, 1)).days / 365.25)
    # before the roster's rank_since the date is not known
    assert pd.isna(_state(people, D(1996, 1, 1)).loc["D", "rank_since"])


def test_same_date_movements_in_file_order(people):
    e = _state(people, D(1999, 4, 1)).loc["E"]
    assert (e["section"], e["position"], e["rank"]) == ("法制科", "副科长", "副股级")
    early = _state(people, D(1999, 3, 31)).loc["E"]
    assert (early["section"], early["rank"]) == ("综合科", "科员")


def test_rotation_without_to_rank_keeps_rank(people):
    f = _state(people, D(2000, 12, 31)).loc["F"]
    assert (f["section"], f["rank"]) == ("督查室", "副股级")
    assert f["rank_since"].date() == D(1997, 6, 1)
    assert f["post_since"].date() == D(2000, 2, 1)
    assert timeline.movements_summary(people, store.get_settings(people), 2000)["promotions"] == 1  # A's only


def test_status_without_exit_movement_counts_from_reference_date(people):
    assert _state(people, D(2001, 12, 30)).loc["G", "in_office"]
    assert not _state(people, D(2001, 12, 31)).loc["G", "in_office"]


def test_movement_list_and_states_agree(people):
    rows = timeline.movements_list(people, store.get_settings(people), 1999)
    assert list(rows["person_id"]) == ["E", "E", "B"]
    assert list(rows["kind"]) == ["轮岗", "提拔", "调入"]
    assert list(rows["is_promotion"]) == [False, True, False]


def test_structure_at_a_date(people):
    s = timeline.structure(people, store.get_settings(people), D(2000, 12, 31))
    # in office: A, B, C, D, E, F, G (G retires only at the reference date)
    assert s["date"] == "2000-12-31"
    assert s["headcount"] == 7
    ages = {"A": 40, "B": 40, "C": 22, "D": 30, "E": 40, "F": 40, "G": 58}
    assert s["mean_age"] == pytest.approx(sum(ages.values()) / 7)
    assert s["by_age_band"] == {"<=30": 2, "31-35": 0, "36-40": 4, "41-45": 0,
                                "46-50": 0, "51-55": 0, "56+": 1}
    assert s["by_rank"] == {"办事员": 1, "科员": 3, "副股级": 2, "正股级": 1,
                            "副科级": 0, "正科级": 0}
    assert s["by_gender"] == {"男": 6, "女": 1}
    assert s["by_education"]["大学本科"] == 7 and s["by_education"]["研究生"] == 0
    assert s["middle_cadres"] == {"count": 2, "mean_age": 40.0}  # A 科长, E 副科长
    at_ref = timeline.structure(people, store.get_settings(people))
    assert at_ref["date"] == "2001-12-31" and at_ref["headcount"] == 6


def test_structure_tables_and_trend(people):
    tables = timeline.structure_tables(people, store.get_settings(people), D(2000, 12, 31))
    pyramid = tables["age_gender"]
    assert len(pyramid) == 7 * 2
    assert int(pyramid.query("band == '<=30' and gender == '女'")["n"].iloc[0]) == 1
    assert set(tables["middle_cadres"]["person_id"]) == {"A", "E"}
    by_section = tables["by_section"].set_index("section")
    assert int(by_section.loc["行政科", "headcount"]) == 2
    assert int(tables["political"].set_index("political_status").loc["中共党员", "n"]) == 7
    assert int(tables["service_years"]["n"].sum()) == 7
    trend = timeline.structure_trend(people, store.get_settings(people)).set_index("year")
    assert list(trend.index) == [1997, 1998, 1999, 2000, 2001]
    # 1997 end: A, B, D, E, F, G in office (C not yet hired)
    assert int(trend.loc[1997, "headcount"]) == 6
    assert int(trend.loc[2001, "headcount"]) == 6  # G retired at the reference date
    assert trend.loc[2000, "bachelor_plus_share"] == 1.0
    assert trend.loc[2000, "target_middle_under_40_share"] == 0.30
    # 2000 end: middle cadres A (40) and E (40), none under 40
    assert trend.loc[2000, "middle_under_40_share"] == 0.0


# ---------------------------------------------------------------- heads and a year's movements

HEAD_PEOPLE = [
    dict(person_id="H1", section="秘书一科", position="科长", rank="正股级", status="退休"),
    dict(person_id="H2", section="秘书一科", position="科长", rank="正股级"),
    dict(person_id="H3", section="信息科", position="科长", rank="正股级", post_since=D(1995, 1, 1)),
    dict(person_id="H4", section="督查室", position="科长", rank="正股级"),
    dict(person_id="H5", section="接待科", position="科长", rank="正股级", post_since=D(1996, 1, 1)),
    dict(person_id="H6", section="接待科", position="科长", rank="正股级"),
    dict(person_id="P1", section="法制科"),
    dict(person_id="P2", section="督查室"),
    dict(person_id="P3", section="行政科"),
    dict(person_id="N1", section="信息科", position="副科长", rank="正股级"),
    dict(person_id="N2", section="行政科", position="副科长", rank="副股级"),
    dict(person_id="T1", section="行政科", rank="正股级", status="调出"),
    dict(person_id="L1", section="主任室", position="主任", rank="正科级"),
    dict(person_id="L2", section="主任室", position="副主任", rank="副科级"),
]
HEAD_MOVES = [
    # 1999: a second head in 接待科, moved in later than the first
    dict(person_id="H6", date=D(1999, 8, 1), kind="提拔", from_section="接待科", to_section="接待科",
         from_position="副科长", to_position="科长", from_rank="副股级", to_rank="正股级"),
    # 2000
    dict(person_id="H4", date=D(2000, 3, 1), kind="轮岗", from_section="法制科", to_section="督查室",
         from_position="科长", to_position="科长", from_rank="正股级", to_rank="正股级"),
    dict(person_id="H1", date=D(2000, 5, 1), seq=1, kind="退休", from_section="秘书一科",
         from_position="科长"),
    dict(person_id="H2", date=D(2000, 5, 1), seq=2, kind="提拔", from_position="副科长",
         to_position="科长", from_rank="副股级", to_rank="正股级"),
    dict(person_id="N1", date=D(2000, 6, 1), kind="调入", to_section="信息科", from_position="科长",
         to_position="副科长", from_rank="正股级", to_rank="正股级"),
    dict(person_id="N2", date=D(2000, 9, 1), kind="提拔", from_position="科员", to_position="副科长",
         from_rank="科员", to_rank="副股级"),
    dict(person_id="L2", date=D(2000, 11, 1), kind="提拔", from_section="综合科", to_section="主任室",
         from_position="科员", to_position="副主任", from_rank="正股级", to_rank="副科级"),
    dict(person_id="T1", date=D(2000, 12, 1), kind="调出", from_section="行政科",
         from_rank="副股级", to_rank="正股级", destination="市财政局"),
]


@pytest.fixture
def heads(tmp_path):
    con = make_store(tmp_path, HEAD_PEOPLE, HEAD_MOVES)
    yield con
    con.close()


def test_movements_summary_2000(heads):
    assert timeline.movements_summary(heads, store.get_settings(heads), 2000) == {
        "year": 2000,
        "promotions": 4,  # H2, N2, L2, T1
        "promotions_by_to_rank": {"科员": 0, "副股级": 1, "正股级": 2, "副科级": 1, "正科级": 0},
        "transferred_out_promoted": 1,
        "rotations": 1,
        "hires": 1,
        "exits": 2,
        # 秘书一科, 信息科, 法制科, 督查室, 行政科, 接待科 (综合科 empties, 主任室 excluded)
        "sections": 6,
        # 秘书一科 H1→H2, 法制科 H4→vacant, 督查室 vacant→H4
        "sections_head_changed": 3,
        # N1 from outside, N2 promoted inside; not H2 (deputy→head), H4 (rotation), L2 (leadership)
        "new_middle_cadres": 2,
    }


def test_movements_summary_1999_two_heads_latest_wins(heads):
    summary = timeline.movements_summary(heads, store.get_settings(heads), 1999)
    assert summary["sections"] == 7  # 综合科 still has L2
    assert summary["sections_head_changed"] == 1  # 接待科: H5 → H6
    assert summary["promotions"] == 1 and summary["new_middle_cadres"] == 0
    end = timeline.section_heads(heads, store.get_settings(heads), D(1999, 12, 31)).set_index("section")
    assert end.loc["接待科", "head_id"] == "H6"
    assert int(end.loc["接待科", "head_count"]) == 2
    assert pd.isna(end.loc["督查室", "head_id"])


def test_head_changes_table(heads):
    changes = timeline._head_changes(heads, 2000, store.get_settings(heads)).set_index("section")
    assert changes["changed"].to_dict() == {
        "信息科": False, "接待科": False, "法制科": True, "督查室": True,
        "秘书一科": True, "行政科": False,
    }


def test_a_removal_leaves_no_post(tmp_path):
    con = make_store(
        tmp_path,
        [dict(person_id="R", section="综合科", position=None, rank="正股级")],
        [dict(person_id="R", date=D(1999, 1, 1), kind="免职", from_position="科长")],
        [annual("R", 1999)],
    )
    assert _state(con, D(1998, 12, 31)).loc["R", "is_head"]
    after = _state(con, D(1999, 1, 1)).loc["R"]
    assert pd.isna(after["position"]) and after["in_office"] and not after["is_head"]
    con.close()


def test_empty_store(tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    assert timeline.reference_date(con) is None
    assert timeline.movements_summary(con, store.get_settings(con), 2000)["sections"] == 0
    assert timeline.structure_trend(con, store.get_settings(con)).empty
    con.close()


def test_state_and_movement_queries_share_the_walk():
    """timeline_state_at and timeline_movements include one block of CTEs
    (queries/_timeline_person_state.sql) instead of repeating it, and still
    see the parameters they bind."""
    part = store.sql_text("_timeline_person_state")
    walk = part[part.index("\nroster_base as ("):]
    for name in ("timeline_state_at", "timeline_movements"):
        raw = (store.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
        assert "-- @include _timeline_person_state" in raw and "roster_base as (" not in raw
        assert walk.rstrip("\n") in store.sql_text(name)
    assert store.sql_params("_timeline_person_state") == frozenset()
    assert store.sql_params("timeline_state_at") == {"dates", "ladder", "heads", "deputies",
                                                      "middle_posts", "leadership"}
    assert store.sql_params("timeline_movements") == {"start", "end", "ladder", "middle_posts", "leadership"}


# ---------------------------------------------------------------- scoped public functions

def test_structure_tables_scoped_to_a_section_or_the_middle_cadres(people):
    date = D(2000, 12, 31)
    everyone = timeline.structure_tables(people, store.get_settings(people), date, timeline.STRUCTURE_TABLES + ("headline",))
    assert everyone["headline"]["as_of"].iloc[0] == pd.Timestamp(date)
    by_section = everyone["by_section"].set_index("section")
    one = timeline.structure_tables(people, store.get_settings(people), date, ("age_gender", "middle_cadres", "headline"),
                                    section="行政科")
    assert set(one) == {"age_gender", "middle_cadres", "headline"}
    assert int(one["headline"]["headcount"].iloc[0]) == int(by_section.loc["行政科", "headcount"]) == 2
    assert int(one["age_gender"]["n"].sum()) == 2
    assert set(one["middle_cadres"]["section"]) <= {"行政科"}
    middle = timeline.structure_tables(people, store.get_settings(people), date, ("headline", "middle_cadres"), middle_only=True)
    assert int(middle["headline"]["headcount"].iloc[0]) == 2  # A 科长, E 副科长
    assert set(middle["middle_cadres"]["person_id"]) == {"A", "E"}
    nobody = timeline.structure_tables(people, store.get_settings(people), date, ("headline",), section="no such section")
    assert int(nobody["headline"]["headcount"].iloc[0]) == 0


def test_structure_trend_of_a_section_and_of_each_year_end(people):
    office = timeline.structure_trend(people, store.get_settings(people)).set_index("year")
    sections = timeline.structure_tables(people, store.get_settings(people), None, ("by_section",))["by_section"]["section"]
    parts = [timeline.structure_trend(people, store.get_settings(people), s).set_index("year") for s in sections]
    # the series (one query over every year end) agrees with the state at each year end
    for year in office.index:
        at = timeline.structure(people, store.get_settings(people), D(year, 12, 31))
        assert int(office.loc[year, "headcount"]) == at["headcount"]
        assert office.loc[year, "mean_age"] == pytest.approx(at["mean_age"]) if at["headcount"] else True
        assert int(office.loc[year, "middle_count"]) == at["middle_cadres"]["count"]
    assert list(parts[0].index) == list(office.index)
    # everyone in office at the reference date sits in one of its sections
    assert sum(int(p.loc[2001, "headcount"]) for p in parts) == int(office.loc[2001, "headcount"])
    xing = timeline.structure_trend(people, store.get_settings(people), "行政科").set_index("year")
    assert int(xing.loc[2000, "headcount"]) == 2
    empty = timeline.structure_trend(people, store.get_settings(people), "no such section")
    assert (empty["headcount"] == 0).all() and empty["mean_age"].isna().all()
    assert list(empty["year"]) == list(office.index)
