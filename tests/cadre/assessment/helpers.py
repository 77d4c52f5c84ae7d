"""The small office of the assessment tests whose figures are computed by hand below, and on the demo.

The small office (composite = the raw total, as 德能勤绩 are scored 20/20/20/40
with the default weights and one combined source):

    甲科  A1 80, A2 81, A3 82              std 1.0 -> egalitarian
    乙科  B1 95, B2 90, B3 70, B4 60       (B4 moved to 丙科 in 2000: roster says 丙科)
    主任室 L1 88                           leadership: reported, not compared

Every annual period 1997-1999 and the quarter 1999Q4 hold these totals.
Official 优秀: 1997 B2, 1998 B4, 1999 B3 and A3 -> 乙科's three awards all
went outside its top ceil(0.15 · 4) = 1 (B1): turn-taking index 1.0, flagged.
"""
from __future__ import annotations

import pandas as pd



PEOPLE = {  # person_id: (name, roster section, total)
    "A1": ("甲一", "甲科", 80.0), "A2": ("甲二", "甲科", 81.0), "A3": ("甲三", "甲科", 82.0),
    "B1": ("乙一", "乙科", 95.0), "B2": ("乙二", "乙科", 90.0), "B3": ("乙三", "乙科", 70.0),
    "B4": ("乙四", "丙科", 60.0), "L1": ("领导", "主任室", 88.0),
}


OFFICIAL = {"1999": {"B3": "优秀", "A3": "优秀", "B4": "基本称职"}, "1998": {"B4": "优秀"}, "1997": {"B2": "优秀"}}


def small_files():
    roster = pd.DataFrame([{"person_id": p, "name": n, "gender": "男", "birth_date": "1960-01-01",
                            "education": "大学本科", "section": s, "rank": "科员"}
                           for p, (n, s, _) in PEOPLE.items()])
    rows = [{"person_id": p, "period": period, "de": total * 0.2, "neng": total * 0.2, "qin": total * 0.2,
             "ji": total * 0.4, "grade": None if "Q" in period else OFFICIAL[period].get(p, "称职")}
            for period in ["1997", "1998", "1999", "1999Q4"] for p, (_, _, total) in PEOPLE.items()]
    moves = pd.DataFrame([{"person_id": "B4", "date": "2000-03-01", "kind": "轮岗",
                           "from_section": "乙科", "to_section": "丙科"}])
    return [(name, frame.to_csv(index=False).encode("utf-8")) for name, frame in
            [("roster.csv", roster), ("assessments.csv", pd.DataFrame(rows)), ("movements.csv", moves)]]


def frame_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True)


def count_scored(monkeypatch) -> list:
    """A list that gains an item at each call of ``scoring.scored`` (still
    called through) from now on: how many times something scored."""
    from cadre import scoring
    calls = []
    real = scoring.scored

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(scoring, "scored", counting)
    return calls
