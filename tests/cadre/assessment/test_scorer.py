"""cadre.assessment.scorer: scored periods through one cache."""
from __future__ import annotations

from cadre import store
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import Scorer, score_periods
from tests.cadre.assessment.helpers import frame_equal


def test_scorer_frames_equal_scoring_the_periods_together(small):
    settings = store.get_settings(small)
    periods = list_periods(small)["period"].tolist()
    together = score_periods(small, settings, periods)
    cache = {}
    scorer = Scorer(small, settings, cache)
    scorer.frames(periods[:1])  # one period first, the rest later in a batch
    key = ["period", "person_id"]  # the Scorer gives period by period; the figures are the same
    frame_equal(scorer.frames(periods).sort_values(key), together.sort_values(key))
    assert set(cache) == set(periods)
    # a cached frame is never changed by what callers do with the result
    before = cache[periods[0]].copy()
    got = scorer.frames(periods[:1])
    got["composite"] = 0.0
    frame_equal(cache[periods[0]], before)
    assert scorer.frames(["2099"]).empty  # a period without rows
