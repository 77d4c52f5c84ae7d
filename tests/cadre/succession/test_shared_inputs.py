"""The succession board, the talent matrix, the comparison and the
projection of one date read the same person state and eligibility; the page
computes them once and hands them over (cadre.ui.cached.Env.at). Handed
over, they give what each computes on its own, and none of them changes
what it was handed."""
from __future__ import annotations

import pandas as pd

from cadre import cadre_views, store, timeline
from cadre.foresight import service as foresight
from cadre.succession import board, review


def test_the_shared_state_and_eligibility_are_read_never_changed(demo_con):
    con = demo_con
    s = store.get_settings(con)
    day = cadre_views.date_options(con)[0]
    state = timeline.state_table(con, s, day)
    elig = timeline.eligibility(con, s, day, state=state)
    kept = elig.copy(deep=True)
    b = board.build(con, s, day, {}, state=state, elig=elig)
    alone = board.build(con, s, day, {})
    pd.testing.assert_frame_equal(b.posts, alone.posts)
    pd.testing.assert_frame_equal(b.successors, alone.successors)
    pd.testing.assert_frame_equal(review.matrix(con, s, day, None, state=state, elig=elig),
                                  review.matrix(con, s, day, None))
    ids = alone.successors["person_id"].head(3).tolist()
    assert ids
    pd.testing.assert_frame_equal(review.candidates(con, s, day, ids, None, state=state, elig=elig),
                                  review.candidates(con, s, day, ids, None))
    shared = foresight.compare(con, s, day, ("hire0",), 5, state=state, elig=elig)["hire0"]
    own = foresight.compare(con, s, day, ("hire0",), 5)["hire0"]
    pd.testing.assert_frame_equal(shared.years, own.years)
    assert shared.gap_years == own.gap_years
    pd.testing.assert_frame_equal(elig, kept)   # nobody wrote into what all of them read
