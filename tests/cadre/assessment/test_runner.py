"""cadre.assessment.runner: the reads of assessment rows."""
from __future__ import annotations

import pandas as pd

from cadre import store
from cadre.assessment.runner import list_periods, load_rows


def test_fetch_through_arrow_matches_duckdb_df(small):
    periods = list_periods(small)["period"].tolist()
    old = store.query(small, "assessment_rows", periods=periods)
    new = load_rows(small, periods)
    assert len(new) > 0 and list(new.columns) == list(old.columns)
    for col in ["de", "neng", "qin", "ji", "max_de", "max_ji"]:
        assert new[col].dtype == "float64"
    assert str(new["period_end"].dtype) == "datetime64[us]"
    pd.testing.assert_frame_equal(new, old, check_dtype=False)


def test_an_assessment_counts_for_the_section_the_timeline_places_the_person_in(demo_con):
    """Where an assessment row names no section, the section it counts for is
    the person's section in the timeline's state at the period's end: both
    come from the one walk over the movements (_timeline_person_state). The
    demo's rows name their sections, so this copy of it forgets them."""
    from cadre import timeline

    con = demo_con
    con.execute("update assessments set section = null")
    periods = [r[0] for r in con.execute("select distinct period from assessments where de is not null").fetchall()]
    rows = load_rows(con, periods)[["person_id", "period_end", "section"]].drop_duplicates()
    assert len(rows) > 1000 and rows["period_end"].nunique() > 10
    moved = 0
    for end, group in rows.groupby("period_end"):
        state = timeline.state_at(con, store.get_settings(con), pd.Timestamp(end).date())[["person_id", "section"]]
        both = group.merge(state, on="person_id", how="left", suffixes=("", "_timeline"))
        assert both["section_timeline"].notna().all()
        assert (both["section"] == both["section_timeline"]).all(), both[both["section"] != both["section_timeline"]]
    # the walk matters: some people are placed in another section than the roster's
    roster = dict(con.execute("select person_id, section from roster").fetchall())
    moved = int((rows["section"] != rows["person_id"].map(roster)).sum())
    assert moved > 0
