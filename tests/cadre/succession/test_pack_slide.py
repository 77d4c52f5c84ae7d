"""Issue 22, item 3: the comparison of candidates for a post is also a slide
of the review pack: one for each recommendation closed in the pack's period,
the person recommended first beside the post's other successors, names
masked when the pack is."""
from __future__ import annotations

import datetime as dt

from cadre import store
from cadre.access import User
from cadre.export import pack
from cadre.succession import pack as succession_pack
from cadre.succession import recommend, review

LEADER = User("王主任", "leader")
IN_2001 = dt.datetime(2001, 12, 20, 10, 0)


def _closed(con, when=IN_2001) -> int:
    rec = recommend.add(con, store.get_settings(con), "接待科", "科长", "YZ0041", "业务扎实，群众公认", LEADER, now=when)
    recommend.close(con, rec, LEADER, now=when)
    return rec


def test_a_recommendation_closed_in_the_period_adds_its_comparison_slide(demo_con):
    _closed(demo_con)
    _, slides = pack.collect(demo_con, store.get_settings(demo_con), "2001", "zh")
    mine = [s for s in slides if s.key == "succession"]
    assert len(mine) == 1
    s = mine[0]
    name = demo_con.execute("select name from roster where person_id = 'YZ0041'").fetchone()[0]
    assert list(s.table.columns)[1] == name            # the person recommended comes first
    assert 2 <= len(s.table.columns) <= 1 + review.MAX_COMPARED
    assert list(s.table.iloc[:, 0]) == [review.row_label(r, "zh") for r in succession_pack.SLIDE_ROWS]
    assert "业务扎实，群众公认" in s.finding and "接待科科长" in s.finding and name in s.finding
    html = pack.slide_html(pack.PackInfo("本单位", "2001", "2001年度", "zh", False), s, 1, 1)
    assert "接待科科长人选比较" in html


def test_the_slide_masks_names_and_speaks_english(demo_con):
    _closed(demo_con)
    name = demo_con.execute("select name from roster where person_id = 'YZ0041'").fetchone()[0]
    s = succession_pack.pack_slides(demo_con, store.get_settings(demo_con), "2001", "en", mask=True)[0]
    shown = s.table.to_string() + s.finding
    assert name not in shown and "recommended for" in s.finding
    assert "Readiness" in s.table.to_string() or "readiness" in s.table.to_string().lower()


def test_no_slide_for_open_or_other_periods_recommendations(demo_con):
    recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "仍在讨论", LEADER, now=IN_2001)   # open
    _closed(demo_con, when=dt.datetime(2002, 1, 5, 9, 0))                                  # closed in 2002
    assert succession_pack.pack_slides(demo_con, store.get_settings(demo_con), "2001", "zh", mask=False) == []
    assert succession_pack.pack_slides(demo_con, store.get_settings(demo_con), "2001Q4", "zh", mask=False) == []
