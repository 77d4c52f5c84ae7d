"""cadre.assessment.report and the ``report`` command, on the small office and the demo."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cadre import cli_text, store
from cadre.assessment.distribution import distribution
from cadre.assessment.report import period_report
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import Scorer
from cadre.assessment.sections import section_comparison
from tests.cadre.assessment.helpers import frame_equal


ROOT = Path(__file__).resolve().parents[3]


def test_report_figures_by_hand(small):
    r = period_report(small, store.get_settings(small), "1999")
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
    tt = {t["section"]: t for t in period_report(small, store.get_settings(small), "1998")["turn_taking"]}
    assert tt["乙科"]["awards"] == 2 and tt["乙科"]["flagged"] is False  # 2 awards < 3


def test_quarterly_report_has_no_official_grades(small):
    r = period_report(small, store.get_settings(small), "1999Q4")
    assert r["official_grades"] is None
    # quota floor(0.4 · 8) = 3 at >= 90: B1, B2 好; 80-90 较好: L1, A1-A3; 60-80 一般: B3, B4
    assert r["grades"] == {"好": 2, "较好": 4, "一般": 2, "较差": 0}


def test_unknown_period_gives_none(small):
    settings = store.get_settings(small)
    assert period_report(small, store.get_settings(small), "2005") is None
    assert distribution(small, settings, "2005") is None
    assert section_comparison(small, settings, "2005") is None


def test_report_lines_are_a_readable_table(small):
    lines = cli_text.report_lines(period_report(small, store.get_settings(small), "1999"), "en")
    text = "\n".join(lines)
    assert "Assessed 8" in text and "Official grades:  Excellent 2" in text
    row = next(line for line in lines if line.startswith("甲科"))
    assert row.split()[1:3] == ["3", "81.00"] and row.split()[-1] == "yes"
    assert any(line.startswith("乙科") and "1.00" in line and line.endswith("yes") for line in lines)


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


def test_cached_turn_taking_equals_the_uncached_computation(small):
    """Turn-taking for any period from the annual periods scored once (shared
    cache) equals scoring them afresh for that period."""
    settings = store.get_settings(small)
    scorer = Scorer(small, settings, {})
    for period in list_periods(small)["period"].tolist():
        cached = period_report(small, store.get_settings(small), period, scorer)
        assert cached == period_report(small, store.get_settings(small), period)
        comparison = section_comparison(small, settings, period, scorer)
        fresh = section_comparison(small, settings, period)
        frame_equal(comparison.turn_taking, fresh.turn_taking)
        frame_equal(comparison.turn_detail, fresh.turn_detail)
    assert any(r["flagged"] for r in period_report(small, store.get_settings(small), "1999", scorer)["turn_taking"])
