"""The review pack's succession slides (issue 22, item 3): for each
recommendation closed in the pack's period, the comparison of the person
recommended with the post's other successors at the period's end, as one
slide (the same figures as the page's comparison and its landscape PDF).
None when the period closed no recommendation."""
from __future__ import annotations

import pandas as pd

from cadre import i18n, masking, scoring, store
from cadre.export import slide
from cadre.succession import board, review

# The comparison's rows a slide has room for (slide.TABLE_ROWS), in its order.
SLIDE_ROWS = ("rank", "age", "education", "years_in_rank", "last_grades", "composite_trend",
              "office_rank_trend", "rotations_done", "readiness", "blocking_rule")
MAX_SLIDES = 5


def _span(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and the last day of ``period`` (a year or a quarter)."""
    end = scoring.period_end(period)
    months = 12 if scoring.period_kind_of(period) == "annual" else 3
    return end - pd.DateOffset(months=months) + pd.Timedelta(days=1), end


def closed_in(con, period: str) -> pd.DataFrame:
    """The recommendations closed within ``period``, oldest first."""
    start, end = _span(period)
    rows = store.query(con, "recommend_list", id=None, status="closed")
    when = pd.to_datetime(rows["closed_at"])
    inside = (when >= start) & (when < end + pd.Timedelta(days=1))
    return rows[inside.fillna(False)].sort_values("closed_at", kind="stable")


def pack_slides(con, settings: dict, period: str, lang: str, mask: bool) -> list:
    s = settings
    rows = closed_in(con, period)
    if not len(rows):
        return []
    date = scoring.period_end(period).date()
    successors = board.build(con, s, date, gap_years={}).successors
    slides = []
    for rec in rows.head(MAX_SLIDES).itertuples(index=False):
        others = successors[(successors["section"] == rec.section) & (successors["post"] == rec.post)
                            & (successors["person_id"] != rec.person_id)]["person_id"].tolist()
        ids = [rec.person_id] + others[:review.MAX_COMPARED - 1]
        cand = review.candidates(con, s, date, ids)
        table, _ = review.compare_table(cand, lang, mask, rows=SLIDE_ROWS)
        name = rec.name if isinstance(rec.name, str) else rec.person_id
        post = board.post_label(rec.section, rec.post, s)
        finding = i18n.t("succession.pack.finding", lang, name=masking.mask_name(name) if mask else name,
                         post=post, reason=rec.reason,
                         date=i18n.format_date(pd.Timestamp(rec.closed_at).date(), lang))
        slides.append(slide.Slide("succession", i18n.t("succession.page.compare.title", lang, post=post),
                                  finding, table=table))
    return slides

