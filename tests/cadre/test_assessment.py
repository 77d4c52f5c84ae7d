"""The assessment service (cadre/assessment.py) and the ``report`` command,
on a small office whose figures are computed by hand below, and on the demo.

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

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cadre import assessment, batches, cli_text, store

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = {  # person_id: (name, roster section, total)
    "A1": ("甲一", "甲科", 80.0), "A2": ("甲二", "甲科", 81.0), "A3": ("甲三", "甲科", 82.0),
    "B1": ("乙一", "乙科", 95.0), "B2": ("乙二", "乙科", 90.0), "B3": ("乙三", "乙科", 70.0),
    "B4": ("乙四", "丙科", 60.0), "L1": ("领导", "主任室", 88.0),
}
OFFICIAL = {"1999": {"B3": "优秀", "A3": "优秀", "B4": "基本称职"}, "1998": {"B4": "优秀"}, "1997": {"B2": "优秀"}}


def _files():
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


@pytest.fixture
def small_db(tmp_path) -> Path:
    path = tmp_path / "small.duckdb"
    con = store.connect(path)
    result = batches.ingest(con, _files())
    assert result.ok, [p.as_dict("en") for p in result.upload.problems]
    con.close()
    return path


@pytest.fixture
def small(small_db):
    con = store.connect(small_db)
    yield con
    con.close()


# ---------------------------------------------------------------- report

def test_report_figures_by_hand(small):
    r = assessment.period_report(small, "1999")
    assert r["period"] == "1999" and r["assessed"] == 8
    assert r["mean"] == pytest.approx(646 / 8)
    assert r["median"] == pytest.approx(81.5)
    totals = [80, 81, 82, 95, 90, 70, 60, 88]
    assert r["std"] == pytest.approx(pd.Series(totals, dtype=float).std(ddof=1))
    # quota floor(0.15 · 8) = 1: B1 (95); L1 88 and B2 90 beyond it are 称职; B4 60 基本称职
    assert r["grades"] == {"优秀": 1, "称职": 6, "基本称职": 1, "不称职": 0}
    assert r["official_grades"] == {"优秀": 2, "称职": 5, "基本称职": 1, "不称职": 0}
    sections = {s["section"]: s for s in r["sections"]}
    assert set(sections) == {"甲科", "乙科"}  # leadership not compared; B4 counts for 乙科 in 1999
    a, b = sections["甲科"], sections["乙科"]
    assert (a["assessed"], a["std"], a["iqr"], a["egalitarian"]) == (3, pytest.approx(1.0), pytest.approx(1.0), True)
    assert b["assessed"] == 4 and b["mean"] == pytest.approx(78.75) and b["median"] == pytest.approx(80.0)
    assert b["std"] == pytest.approx(math.sqrt(818.75 / 3))
    assert b["iqr"] == pytest.approx(91.25 - 67.5)  # linear quartiles of 60, 70, 90, 95
    assert b["egalitarian"] is False
    tt = {t["section"]: t for t in r["turn_taking"]}
    assert tt["乙科"] == {"section": "乙科", "index": 1.0, "awards": 3, "flagged": True}
    assert tt["甲科"] == {"section": "甲科", "index": 0.0, "awards": 1, "flagged": False}
    assert tt["丙科"] == {"section": "丙科", "index": None, "awards": 0, "flagged": False}  # a compared section, no award
    json.dumps(r, ensure_ascii=False)  # plain JSON types


def test_turn_taking_counts_only_years_up_to_the_period(small):
    tt = {t["section"]: t for t in assessment.period_report(small, "1998")["turn_taking"]}
    assert tt["乙科"]["awards"] == 2 and tt["乙科"]["flagged"] is False  # 2 awards < 3


def test_quarterly_report_has_no_official_grades(small):
    r = assessment.period_report(small, "1999Q4")
    assert r["official_grades"] is None
    # quota floor(0.4 · 8) = 3 at >= 90: B1, B2 好; 80-90 较好: L1, A1-A3; 60-80 一般: B3, B4
    assert r["grades"] == {"好": 2, "较好": 4, "一般": 2, "较差": 0}


def test_unknown_period_gives_none(small):
    settings = store.get_settings(small)
    assert assessment.period_report(small, "2005") is None
    assert assessment.distribution(small, settings, "2005") is None
    assert assessment.section_comparison(small, settings, "2005") is None


def test_report_lines_are_a_readable_table(small):
    lines = cli_text.report_lines(assessment.period_report(small, "1999"), "en")
    text = "\n".join(lines)
    assert "Assessed 8" in text and "Official grades:  Excellent 2" in text
    row = next(line for line in lines if line.startswith("甲科"))
    assert row.split()[1:3] == ["3", "81.00"] and row.split()[-1] == "yes"
    assert any(line.startswith("乙科") and "1.00" in line and line.endswith("yes") for line in lines)


# ---------------------------------------------------------------- distribution

def test_distribution_quota_mismatches_and_previous(small):
    d = assessment.distribution(small, store.get_settings(small), "1999")
    assert d.quota == {"n": 8, "quota": 0.15, "allowed": 1, "qualifying": 3, "top_floor": 85.0,
                       "top": "优秀", "awarded": 1}
    assert set(d.mismatches["person_id"]) == {"B1", "A3", "B3"}
    row = d.mismatches.set_index("person_id").loc["B1"]
    assert (row["computed_grade"], row["official_grade"]) == ("优秀", "称职")
    assert d.previous_period == "1998" and len(d.previous) == 8
    assert d.flagged_sections == ["甲科"] and d.egalitarian is None
    assert d.stats["range"] == pytest.approx(35.0)
    assert [b[0] for b in d.bands] == ["优秀", "称职", "基本称职", "不称职"]
    assert d.bands[1] == ("称职", 70.0, 85.0)


def test_distribution_of_a_section(small):
    settings = store.get_settings(small)
    a = assessment.distribution(small, settings, "1999", "甲科")
    assert a.egalitarian is True and a.stats["n"] == 3 and a.stats["iqr"] == pytest.approx(1.0)
    assert a.grades.set_index("grade")["official"].to_dict() == {"优秀": 1, "称职": 2, "基本称职": 0, "不称职": 0}
    b = assessment.distribution(small, settings, "1999", "乙科")
    assert b.egalitarian is False and sorted(b.people["person_id"]) == ["B1", "B2", "B3", "B4"]
    q = assessment.distribution(small, settings, "1999Q4", "乙科")
    assert q.has_official is False and q.previous_period is None and q.mismatches.empty


def test_dimension_long_shares(small):
    d = assessment.distribution(small, store.get_settings(small), "1999", "甲科")
    long = assessment.dimension_long(d.people)
    assert len(long) == 12 and set(long["dimension"]) == {"德", "能", "勤", "绩"}
    assert long.loc[long["person_id"] == "A1", "pct"].tolist() == pytest.approx([80.0] * 4)


# ---------------------------------------------------------------- sections

def test_section_comparison_by_hand(small):
    c = assessment.section_comparison(small, store.get_settings(small), "1999")
    st = c.stats.set_index("section")
    half = 4.3027 / math.sqrt(3)  # t(0.975, 2) · s / sqrt(n), s = 1
    assert st.loc["甲科", "ci_low"] == pytest.approx(81 - half, abs=1e-3)
    assert st.loc["甲科", "ci_high"] == pytest.approx(81 + half, abs=1e-3)
    assert not st["small"].any()
    assert st.loc["甲科", "egalitarian"] and not st.loc["乙科", "egalitarian"]
    assert c.heatmap.loc["乙科", "绩"] == pytest.approx(78.75)
    assert c.trend[["section", "period", "n"]].values.tolist() == [["乙科", "1999Q4", 4], ["甲科", "1999Q4", 3]]
    tt = c.turn_taking.set_index("section")
    assert tt.loc["乙科", "flagged"] and tt.loc["乙科", "outside"] == 3
    detail = c.turn_detail[c.turn_detail["section"] == "乙科"]
    assert set(detail.loc[detail["awarded"], "person_id"]) == {"B2", "B4", "B3"}
    assert set(detail.loc[detail["in_top"], "person_id"]) == {"B1"}
    assert "name" in detail.columns
    assert "主任室" not in set(c.people["section"])


def test_small_section_is_marked(small):
    settings = dict(store.get_settings(small), min_section_n=4)
    c = assessment.section_comparison(small, settings, "1999")
    assert c.stats.set_index("section")["small"].to_dict() == {"甲科": True, "乙科": False}


def test_source_gaps_by_hand():
    people = pd.DataFrame({
        "section": ["甲", "甲", "乙"],
        "composite_科室自评": [90.0, 84.0, 70.0], "composite_主任室考评": [80.0, 80.0, 75.0],
        "composite_民主评议": [85.0, None, 80.0], "composite_实绩考核": [83.0, 82.0, 80.0],
    })
    gaps = assessment.source_gaps(people).set_index("section")
    assert gaps.loc["甲", "self_gap"] == pytest.approx(7.0)   # (10 + 4) / 2
    assert gaps.loc["甲", "peer_gap"] == pytest.approx(2.0)   # only the person with both
    assert gaps.loc["乙", "self_gap"] == pytest.approx(-5.0)
    assert gaps.loc["乙", "peer_gap"] == pytest.approx(0.0)


def test_t_quantiles():
    got = assessment.t975([1, 2, 10, 30, 40, 100, 1000, 0])
    want = [12.7062, 4.3027, 2.2281, 2.0423, 2.0211, 1.9840, 1.9623]
    assert got[:7] == pytest.approx(want, abs=2e-4)
    assert math.isnan(got[7])


# ---------------------------------------------------------------- person

def test_person_profile(small):
    p = assessment.person_profile(small, store.get_settings(small), "B4")
    assert p.person["name"] == "乙四"
    assert p.history["period"].tolist() == ["1997", "1998", "1999", "1999Q4"]
    assert p.history["section"].tolist() == ["乙科"] * 4  # the section then, not the roster's 丙科
    assert p.history["rank"].tolist() == [8] * 4 and p.history["n_office"].tolist() == [8] * 4
    assert p.history["section_rank"].tolist() == [4] * 4 and p.history["n_section"].tolist() == [4] * 4
    assert p.history["grade"].tolist()[:3] == ["称职", "优秀", "基本称职"]
    assert p.by_source["source"].unique().tolist() == ["综合"]
    assert p.movements[["kind", "from_section", "to_section"]].values.tolist() == [["轮岗", "乙科", "丙科"]]
    assert p.posts["section"].tolist() == ["乙科", "丙科"]
    assert p.posts["post_end"].iloc[0] == pd.Timestamp("2000-03-01")
    assert p.state["section"] == "丙科"
    table = assessment.person_periods_table(p.history, "zh")
    assert table["office_rank"].iloc[0] == "8 / 8" and table["period"].iloc[-1] == "1997年度"
    assert assessment.person_profile(small, store.get_settings(small), "nobody") is None


def test_search_people(small):
    assert assessment.search_people(small, "b")["person_id"].tolist() == ["B1", "B2", "B3", "B4"]
    assert assessment.search_people(small, "甲三")["person_id"].tolist() == ["A3"]
    assert len(assessment.search_people(small, "")) == 8


# ---------------------------------------------------------------- CLI

def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "cadre", "report", "--db", str(db), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_cli_report_json_on_the_small_office(small_db):
    out = _cli(small_db, "--period", "1999", "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert {"period", "assessed", "mean", "median", "std", "grades", "official_grades", "sections",
            "turn_taking"} <= r.keys()
    assert [s["section"] for s in r["sections"] if s["egalitarian"]] == ["甲科"]
    assert [t["section"] for t in r["turn_taking"] if t["flagged"]] == ["乙科"]
    text = _cli(small_db, "--period", "1999")
    assert text.returncode == 0 and "甲科" in text.stdout


def test_cli_report_on_the_demo(demo_db):
    out = _cli(demo_db, "--period", "1999", "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    for key in ("period", "assessed", "mean", "median", "std", "grades", "official_grades", "sections",
                "turn_taking"):
        assert key in r
    assert set(r["grades"]) == {"优秀", "称职", "基本称职", "不称职"}
    assert sum(r["grades"].values()) == r["assessed"]
    for s in r["sections"]:
        assert {"section", "assessed", "mean", "median", "std", "iqr", "egalitarian"} <= s.keys()
    for t in r["turn_taking"]:
        assert {"section", "index", "awards", "flagged"} <= t.keys()
    assert "主任室" not in {s["section"] for s in r["sections"]}
    egalitarian = [s["section"] for s in r["sections"] if s["egalitarian"]]
    turn_taking = [t["section"] for t in r["turn_taking"] if t["flagged"]]
    from cadre import demo
    assert egalitarian == [demo.EGALITARIAN_SECTION], r["sections"]
    assert turn_taking == [demo.TURN_TAKING_SECTION], r["turn_taking"]


def test_cli_report_unknown_period_is_usage_error(small_db):
    out = _cli(small_db, "--period", "2010", "--json")
    assert out.returncode == 2 and out.stdout == ""


# --------------------------------------------------------------------------- shared scoring cache

def _frame_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True)


def test_fetch_through_arrow_matches_duckdb_df(small):
    periods = assessment.list_periods(small)["period"].tolist()
    old = store.query(small, "assessment_rows", periods=periods)
    new = assessment.load_rows(small, periods)
    assert len(new) > 0 and list(new.columns) == list(old.columns)
    for col in ["de", "neng", "qin", "ji", "max_de", "max_ji"]:
        assert new[col].dtype == "float64"
    assert str(new["period_end"].dtype) == "datetime64[us]"
    pd.testing.assert_frame_equal(new, old, check_dtype=False)


def test_scorer_frames_equal_scoring_the_periods_together(small):
    settings = store.get_settings(small)
    periods = assessment.list_periods(small)["period"].tolist()
    together = assessment.score_periods(small, settings, periods)
    cache = {}
    scorer = assessment.Scorer(small, settings, cache)
    scorer.frames(periods[:1])  # one period first, the rest later in a batch
    key = ["period", "person_id"]  # the Scorer gives period by period; the figures are the same
    _frame_equal(scorer.frames(periods).sort_values(key), together.sort_values(key))
    assert set(cache) == set(periods)
    # a cached frame is never changed by what callers do with the result
    before = cache[periods[0]].copy()
    got = scorer.frames(periods[:1])
    got["composite"] = 0.0
    _frame_equal(cache[periods[0]], before)
    assert scorer.frames(["2099"]).empty  # a period without rows


def test_cached_turn_taking_equals_the_uncached_computation(small):
    """Turn-taking for any period from the annual periods scored once (shared
    cache) equals scoring them afresh for that period."""
    settings = store.get_settings(small)
    scorer = assessment.Scorer(small, settings, {})
    for period in assessment.list_periods(small)["period"].tolist():
        cached = assessment.period_report(small, period, scorer)
        assert cached == assessment.period_report(small, period)
        comparison = assessment.section_comparison(small, settings, period, scorer)
        fresh = assessment.section_comparison(small, settings, period)
        _frame_equal(comparison.turn_taking, fresh.turn_taking)
        _frame_equal(comparison.turn_detail, fresh.turn_detail)
    assert any(r["flagged"] for r in assessment.period_report(small, "1999", scorer)["turn_taking"])


def test_profile_through_the_scorer_equals_scoring_every_period(small):
    settings = store.get_settings(small)
    periods = assessment.list_periods(small)["period"].tolist()
    scorer = assessment.Scorer(small, settings, {})
    assessment.distribution(small, settings, "1999", scorer=scorer)  # another page filled part of the cache
    for pid in ["B4", "A1", "B1"]:
        shared = assessment.person_profile(small, settings, pid, scorer=scorer)
        whole = assessment.person_profile(small, settings, pid, assessment.score_periods(small, settings, periods))
        _frame_equal(shared.history, whole.history)
        _frame_equal(shared.by_source, whole.by_source)


# --------------------------------------------------------------------------- capped section charts

def _many_sections(n_sections=40, flagged=("S07", "S20")):
    """A comparison of ``n_sections`` sections with distinct means; two
    flagged (one egalitarian, one turn-taking) in the middle."""
    names = [f"S{i:02d}" for i in range(n_sections)]
    stats = pd.DataFrame({"section": names, "n": 5, "mean": [90.0 - i * 0.5 for i in range(n_sections)],
                          "ci_low": 80.0, "ci_high": 95.0, "median": 85.0, "std": 3.0, "iqr": 2.0,
                          "range": 8.0, "egalitarian": [s == flagged[0] for s in names], "small": False})
    tt = pd.DataFrame({"section": names, "index": 0.0, "awards": 0, "outside": 0,
                       "flagged": [s == flagged[1] for s in names]})
    quarters = ["1999Q1", "1999Q2"]
    trend = pd.DataFrame([{"section": s, "period": q, "period_end": pd.Timestamp("1999-03-31"),
                           "mean": 80.0, "n": 5} for s in names for q in quarters])
    office = pd.DataFrame({"period": quarters, "period_end": pd.Timestamp("1999-03-31"), "mean": 80.0, "n": 200})
    heat = pd.DataFrame(70.0, index=pd.Index(names, name="section"), columns=list("德能勤绩"))
    gaps = pd.DataFrame({"section": names, "self_gap": 1.0, "peer_gap": -1.0})
    return assessment.SectionComparison(period="1999", period_kind="annual", stats=stats, heatmap=heat,
                                        gaps=gaps, trend=trend, turn_taking=tt, turn_detail=pd.DataFrame(),
                                        people=pd.DataFrame(), office_trend=office)


def test_chart_sections_top_bottom_flagged_and_picked():
    c = _many_sections()
    n = assessment.CHART_SECTIONS
    shown = assessment.chart_sections(c, picked="S30")
    top = [f"S{i:02d}" for i in range(n)]
    bottom = [f"S{i:02d}" for i in range(40 - n, 40)]
    assert shown == top + ["S07", "S20", "S30"] + bottom  # highest mean first
    assert len(assessment.chart_sections(c)) == 2 * n + 2
    small_office = _many_sections(assessment.CHART_ALL, flagged=("S01", "S02"))
    assert assessment.chart_sections(small_office) is None  # few sections: every one is drawn


def test_capped_charts_draw_at_most_n_plus_flagged_sections():
    from cadre.charts import assessment as charts

    c = _many_sections()
    shown = assessment.chart_sections(c)
    n_lines = 2 * assessment.CHART_SECTIONS + 2  # top/bottom N plus the two flagged
    fig = charts.trend(c.trend, "en", office=c.office_trend, sections=shown)
    names = [tr.name for tr in fig.data]
    assert names[0] == "Office mean" and len(names) == n_lines + 1
    assert set(names[1:]) == set(shown)
    heat = charts.heatmap(assessment.only_sections(c.heatmap, shown), "en")
    assert list(heat.data[0].y) == shown
    gaps = charts.source_gaps(assessment.only_sections(c.gaps, shown), "en")
    assert all(list(tr.y) == shown for tr in gaps.data)
    assert charts.trend(c.trend, "en").data.__len__() == 40  # uncapped: one line per section
    # the means chart too (a city's 1,250 bars took 3 s to draw in the browser)
    means = charts.section_means(assessment.only_sections(c.stats, shown), "en")
    assert list(means.data[0].customdata) == shown


# --------------------------------------------------------------------------- one walk

def test_an_assessment_counts_for_the_section_the_timeline_places_the_person_in(demo_con):
    """Where an assessment row names no section, the section it counts for is
    the person's section in the timeline's state at the period's end: both
    come from the one walk over the movements (_timeline_person_state). The
    demo's rows name their sections, so this copy of it forgets them."""
    from cadre import timeline

    con = demo_con
    con.execute("update assessments set section = null")
    periods = [r[0] for r in con.execute("select distinct period from assessments where de is not null").fetchall()]
    rows = assessment.load_rows(con, periods)[["person_id", "period_end", "section"]].drop_duplicates()
    assert len(rows) > 1000 and rows["period_end"].nunique() > 10
    moved = 0
    for end, group in rows.groupby("period_end"):
        state = timeline.state_at(con, pd.Timestamp(end).date())[["person_id", "section"]]
        both = group.merge(state, on="person_id", how="left", suffixes=("", "_timeline"))
        assert both["section_timeline"].notna().all()
        assert (both["section"] == both["section_timeline"]).all(), both[both["section"] != both["section_timeline"]]
    # the walk matters: some people are placed in another section than the roster's
    roster = dict(con.execute("select person_id, section from roster").fetchall())
    moved = int((rows["section"] != rows["person_id"].map(roster)).sum())
    assert moved > 0
