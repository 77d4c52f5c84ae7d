"""Unknown is not zero (issue 10 item 6): a roster without 任现职级时间 /
任现岗位时间 takes tenure from the movements where they give it, and counts
the rest as unknown (never as "not due" or "not eligible") on the pipeline
page and in the pack."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from cadre import batches, cadre_views, store, timeline
from cadre.export import findings

from . import timeline_helpers as helpers
from .timeline_helpers import annual

D = dt.date
DEFAULTS = dict(
    name=None, gender="男", birth_date=D(1965, 6, 15), education="大学本科",
    education_mode="全日制", major=None, political_status="中共党员",
    join_work_date=D(1985, 1, 1), section="综合科", position="科员", rank="科员",
    rank_since=None, post_since=None, status="在职", reserve=False, batch_id=1,
)
GOOD = {1999: "称职", 2000: "优秀", 2001: "称职"}
PEOPLE = [dict(person_id="MV"), dict(person_id="NONE"), dict(person_id="OLD", section="信息科")]
MOVES = [
    # MV: promoted into 科员 in 1996 and moved to 综合科 in 1997: both dates known from movements
    dict(person_id="MV", date=D(1996, 3, 1), kind="提拔", from_rank="办事员", to_rank="科员",
         from_section="信息科", to_section="信息科"),
    dict(person_id="MV", date=D(1997, 5, 1), kind="轮岗", from_section="信息科", to_section="综合科"),
    # OLD: in 信息科 since 1990 by a rotation; rank date unknown
    dict(person_id="OLD", date=D(1990, 1, 1), kind="轮岗", from_section="综合科", to_section="信息科"),
]
AT = D(2001, 12, 31)


@pytest.fixture
def office(tmp_path):
    rows = [annual(p, y, g) for p in ("MV", "NONE", "OLD") for y, g in GOOD.items()]
    con = helpers.make_store(tmp_path, DEFAULTS, PEOPLE, MOVES, rows)
    yield con
    con.close()


def test_tenure_comes_from_the_movements_where_they_give_it(office):
    state = timeline.eligibility(office, store.get_settings(office), AT).set_index("person_id")
    assert state.loc["MV", "rank_since"].date() == D(1996, 3, 1)
    assert bool(state.loc["MV", "eligible"])           # 5 years in rank, 1 优秀, no 基本称职
    unknown = timeline.tenure_unknown(office, store.get_settings(office), AT).set_index("person_id")
    assert "MV" not in unknown.index
    assert bool(unknown.loc["NONE", "rank_unknown"]) and bool(unknown.loc["NONE", "post_unknown"])
    assert bool(unknown.loc["OLD", "rank_unknown"]) and not bool(unknown.loc["OLD", "post_unknown"])
    due = timeline.rotation_due(office, store.get_settings(office), AT)
    assert due["person_id"].tolist() == ["OLD"]       # 11 years in post, from the 1990 rotation


def test_an_unknown_date_is_neither_a_pass_nor_a_failure(office):
    elig = cadre_views.eligibility_table(office, store.get_settings(office), AT).set_index("person_id")
    for pid in ("NONE", "OLD"):
        assert not bool(elig.loc[pid, "eligible"])
        assert bool(elig.loc[pid, "undetermined"])
        assert elig.loc[pid, "unknown"] == ["min_years_in_rank"]
        assert "min_years_in_rank" not in elig.loc[pid, "blocking"]
        assert "任现职级时间不详" in elig.loc[pid, "blocking_text"]
    assert sorted(cadre_views.eligibility_filter(elig.reset_index(), "unknown")["person_id"]) == ["NONE", "OLD"]
    assert cadre_views.eligibility_filter(elig.reset_index(), "blocked").empty


def test_findings_never_turn_missing_dates_into_a_finding():
    empty = pd.DataFrame(columns=["person_id", "reserve"])
    text = findings.rotation(empty, 5, "zh", unknown=7)
    assert "没有人在同一岗位满" not in text.replace("已知任现岗位时间的人中没有人在同一岗位满", "")
    assert "7 人任现岗位时间不详" in text
    text = findings.eligibility(empty, "zh", unknown=4)
    assert text.startswith("已知任职时间的人中") and "4 人" in text
    assert findings.rotation(empty, 5, "zh") == "没有人在同一岗位满 5 年"  # when every date is known


def _demo_without_tenure() -> bytes:
    sheets = pd.read_excel(batches.DEMO_WORKBOOK, sheet_name=None, dtype=object)
    sheets["人员名册"] = sheets["人员名册"].drop(columns=["任现职级时间", "任现岗位时间"])
    sheets["任免记录"] = sheets["任免记录"].iloc[0:0]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("bare") / "bare.duckdb"
    con = store.connect(path)
    result = batches.ingest(con, [("名册无任职时间.xlsx", _demo_without_tenure())])
    assert result.ok, [p.as_dict() for p in result.upload.problems][:5]
    con.close()
    return path


def test_the_pack_says_what_it_cannot_judge(bare_db):
    from cadre.export import pack
    con = store.connect(bare_db)
    period = store.query(con, "frame_periods")["period"].iloc[0]
    _, slides = pack.collect(con, store.get_settings(con), period)
    con.close()
    said = {s.key: s.finding for s in slides}
    assert "不详" in said["rotation"] and not said["rotation"].startswith("没有人")
    assert "不详" in said["eligibility"] and not said["eligibility"].startswith("目前没有人")


def test_the_pipeline_page_counts_unknowns_as_unknown(bare_db, monkeypatch, tmp_path):
    import shutil
    from streamlit.testing.v1 import AppTest
    from ..conftest import ROOT
    db = tmp_path / "copy.duckdb"
    shutil.copy(bare_db, db)
    monkeypatch.setenv("CADRE_DB", str(db))
    from cadre import users
    from cadre.access import User
    from cadre.ui import session
    con = store.connect(db)
    users.add(con, "tester", "admin", "office-password", User(name="setup", role="admin"))
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state[session.USER_KEY] = User(name="tester", role="admin")  # signed in
    at.run()
    at.switch_page("pages/pipeline.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    # the number is a number (a long value is cut in a narrow column); the
    # unknown count is its note, under it
    value, note = metrics["同岗位满 5 年"]
    assert value.isdigit() and "不详" in note, metrics
    assert any(v.isdigit() and "不详" in (d or "") for k, (v, d) in metrics.items() if "符合" in k), metrics
    assert any("任现岗位时间不详" in w.value for w in at.warning), [w.value for w in at.warning]
