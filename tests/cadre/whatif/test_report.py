"""cadre.whatif.report and the ``whatif`` command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cadre import cli_text, scoring, store
from cadre.whatif.lab import Lab, Typed, load_lab
from cadre.whatif.results import people
from cadre.whatif.report import whatif_report
from cadre.settings import DIMENSIONS


ROOT = Path(__file__).resolve().parents[3]


def test_whatif_report_keys_and_missing_period(demo_con):
    assert whatif_report(demo_con, store.get_settings(demo_con), "1850", None, None, None) is None
    r = whatif_report(demo_con, store.get_settings(demo_con), "1999", {"德": 2, "绩": 2}, None, 0.2)
    assert set(r) == {"period", "weights", "sources", "quota", "people"}
    assert r["weights"] == {"德": 0.5, "能": 0.0, "勤": 0.0, "绩": 0.5} and r["quota"] == 0.2
    assert sum(r["sources"].values()) == pytest.approx(1)
    ranks = [p["rank"] for p in r["people"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert set(r["people"][0]) == {"person_id", "name", "section", "composite", "rank", "grade",
                                   "baseline_rank", "baseline_grade"}
    lines = cli_text.whatif_lines(r, "en")
    assert lines[0] == "What-if for 1999" and len(lines) == 4 + 1 + len(r["people"])


def test_whatif_command_equal_weights(demo_db):
    out = subprocess.run(
        [sys.executable, "-m", "cadre", "whatif", "--db", str(demo_db), "--period", "1999",
         "--weights", "德=1,能=1,勤=1,绩=1", "--json"],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["weights"] == {d: 0.25 for d in DIMENSIONS}
    assert result["sources"] == pytest.approx({"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1})
    # hand check of the first person by rank, from the stored rows
    top = result["people"][0]
    con = store.connect(demo_db, read_only=True)
    raw = con.execute("select source, de, neng, qin, ji, max_de, max_neng, max_qin, max_ji "
                      "from assessments where person_id = ? and period = '1999'", [top["person_id"]]).fetchall()
    con.close()
    v = {"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1}
    num = den = 0.0
    for source, de, neng, qin, ji, mde, mneng, mqin, mji in raw:
        c = 100 * (de / (mde or 20) + neng / (mneng or 20) + qin / (mqin or 20) + ji / (mji or 40)) / 4
        num += v[source] * c
        den += v[source]
    assert top["composite"] == pytest.approx(num / den)
    assert top["rank"] == 1 and top["grade"] in ("优秀", "称职")
    assert all(round(a["composite"], 6) >= round(b["composite"], 6) for a, b in zip(result["people"], result["people"][1:]))


def test_the_report_evaluates_through_the_lab(demo_con, monkeypatch):
    """Issue 17.4: one evaluation path. The command's figures come from
    Lab.evaluate (the page's), given the weights and quota as typed; the
    cube is evaluated nowhere else (only for the lab's baseline)."""
    seen = []
    evaluate = Lab.evaluate

    def spy(self, spec, typed=None):
        seen.append((spec, typed))
        return evaluate(self, spec, typed)

    monkeypatch.setattr(Lab, "evaluate", spy)
    cube_calls = []
    cube_evaluate = scoring.ScoreCube.evaluate
    monkeypatch.setattr(scoring.ScoreCube, "evaluate",
                        lambda self, *a, **k: cube_calls.append(a) or cube_evaluate(self, *a, **k))
    r = whatif_report(demo_con, store.get_settings(demo_con), "1999", {"德": 1, "能": 1, "勤": 1, "绩": 3}, None, 0.07)
    assert len(seen) == 1 and len(cube_calls) == 2          # the baseline, then the lab's one evaluation
    spec, typed = seen[0]
    assert typed == Typed(r["weights"], r["sources"], 0.07)
    assert spec.dims == (16.67, 16.67, 16.66, 50.0) and spec.quota == pytest.approx(7.0)
    # the page, given the same scenario and the typed figures, shows the same people
    lab = load_lab(demo_con, store.get_settings(demo_con), "1999")
    frame = people(lab, lab.evaluate(spec, typed))
    assert [p["person_id"] for p in r["people"]] == frame["person_id"].tolist()
    assert [p["composite"] for p in r["people"]] == frame["composite"].tolist()
    assert [p["grade"] for p in r["people"]] == frame["grade"].tolist()
