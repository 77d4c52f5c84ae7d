"""python -m cadre settings use|show, eligibility and project with --json."""
from __future__ import annotations

import json

from tests.cadre.ingest.test_lrmx import cadre


def test_settings_eligibility_and_project_json(demo_db):
    shown = json.loads(cadre("settings", "show", "--json", db=demo_db, check=0).stdout)
    assert shown["preset"] == "demo" and not shown["edited"] and shown["settings"]["ladder"][0] == "办事员"
    elig = json.loads(cadre("eligibility", "--date", "2001-12-31", "--json", db=demo_db, check=0).stdout)
    person = elig["people"][0]
    assert set(person) == {"person_id", "name", "section", "rank", "next_rank", "eligible", "blocking",
                           "eligible_from"}
    assert any(p["eligible"] for p in elig["people"])
    out = json.loads(cadre("project", "--from", "2001-12-31", "--years", "5", "--hire", "0", "--json",
                           db=demo_db, check=0).stdout)
    assert [y["year"] for y in out["years"]] == list(range(2001, 2007))
    assert set(out["years"][0]) == {"year", "headcount", "mean_age", "by_age_band", "by_education", "by_rank",
                                    "vacancies"}
    ages = [y["mean_age"] for y in out["years"]]
    assert all(b > a for a, b in zip(ages, ages[1:]))
    assert set(out["gap_years"]) and out["demo"] is True
    assert cadre("project", "--years", "11", db=demo_db).returncode == 2
    used = json.loads(cadre("settings", "use", "rank-2019", "--json", db=demo_db, check=0).stdout)
    assert used["settings"]["ladder"][2] == "四级主任科员"
    back = json.loads(cadre("settings", "show", "--json", db=demo_db, check=0).stdout)
    assert back["preset"] == "rank-2019"
    cadre("settings", "use", "demo", db=demo_db, check=0)
