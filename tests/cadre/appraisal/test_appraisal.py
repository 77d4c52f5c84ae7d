"""The appraisal meeting's domain on the demo store: start, moves with
reasons, the live guides, undo, resume, commendation rules (the demo's 2001
figures computed by hand from the rules), close as an undoable batch, and
the 公示 and record files read back."""
from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from cadre import access, batches, store
from cadre.assessment.distribution import distribution
from cadre.assessment.scorer import score_periods
from cadre.appraisal import exports, session

ADMIN = access.User("alice", "admin")
LEADER = access.User("lee", "leader")
VIEWER = access.User("vic", "viewer")
T0 = dt.datetime(2002, 1, 8, 9, 0, 0)


def official_2001(con) -> pd.Series:
    rows = store.query(con, "appraisal_period_rows", period="2001")
    return rows.dropna(subset=["grade"]).drop_duplicates("person_id").set_index("person_id")["grade"]


def test_start_takes_the_official_grades_and_resumes_as_it_is(demo_con):
    s = session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN, now=T0)
    assert s["status"] == "open" and s["started_by"] == "alice"
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    people = st.board.people
    assert len(people) == 71
    assert (people["origin"] == "official").all()
    assert people.set_index("person_id")["start_grade"].equals(
        official_2001(demo_con).reindex(people["person_id"]).rename("start_grade"))
    # every card carries composite, rank, section, last years' grades and the stability band
    first = people.iloc[0]
    assert first["rank"] == 1 and first["history"].startswith("2000 ")
    assert people["rank_min"].le(people["rank"]).all() and people["rank_max"].ge(people["rank"]).all()
    # starting again resumes: same session, nothing reset
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN, now=T0)
    again = session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    assert again["started_at"] == s["started_at"]
    assert session.state(demo_con, store.get_settings(demo_con), "2001").board.quota["top"] == 10


def test_a_move_needs_a_reason_a_known_grade_and_permission(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    for reason in ("", "   ", None):
        with pytest.raises(session.AppraisalError) as err:
            session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", reason, ADMIN)
        assert err.value.key == "appraisal.err.reason_required"
    with pytest.raises(session.AppraisalError) as err:
        session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "良好", "r", ADMIN)
    assert "优秀、称职" in err.value.message("zh")
    # An English reader gets an English list separator, not 「、」.
    assert "优秀, 称职" in err.value.message("en") and "、" not in err.value.message("en")
    with pytest.raises(session.AppraisalError):
        session.move(demo_con, store.get_settings(demo_con), "2001", "NOBODY", "优秀", "r", ADMIN)
    with pytest.raises(session.AppraisalError) as err:
        session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "r", VIEWER)
    assert err.value.key == "appraisal.err.not_allowed"
    assert session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "r", LEADER)["user"] == "lee"
    assert len(store.query(demo_con, "appraisal_moves", period="2001")) == 1


def test_quota_guide_flags_a_breaking_move_and_undo_takes_back_the_last(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    q = session.state(demo_con, store.get_settings(demo_con), "2001").board.quota
    assert (q["n"], q["limit"], q["top"], q["ok"]) == (71, math.floor(0.15 * 71), 9, True)
    assert session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "a", ADMIN)["breaks_quota"] is False
    m = session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0096", "优秀", "b", ADMIN)
    assert m["breaks_quota"] is True                      # the 11th top grade: allowed, recorded as such
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    assert (st.board.quota["top"], st.board.quota["ok"]) == (11, False)
    assert bool(st.moves.iloc[-1]["breaks_quota"])
    undone = session.undo(demo_con, "2001", ADMIN)
    assert undone["subject"] == "YZ0096" and undone["to"] == "优秀"
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    assert st.board.quota["top"] == 10 and st.board.quota["ok"]
    grade = st.board.people.set_index("person_id")["grade"]
    assert grade["YZ0096"] == "称职" and grade["YZ0064"] == "优秀"
    assert st.moves["undone"].tolist() == [False, True]   # the record keeps the undone move


def test_meeting_quota_is_the_distribution_pages_quota(demo_con):
    """Issue 20.13: one rounding rule (the data contract's floor(quota · n))
    for the 优秀 limit of the distribution page and of the meeting."""
    from cadre import scoring
    settings = store.get_settings(demo_con)
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    meeting = session.state(demo_con, store.get_settings(demo_con), "2001").board.quota
    dist = distribution(demo_con, settings, "2001").quota
    assert meeting["n"] == dist["n"] == 71
    assert meeting["limit"] == dist["allowed"] == scoring.quota_places(0.15, 71) == 10
    assert scoring.quota_places(0.29, 100) == 29 and scoring.quota_places(0.15, 0) == 0
    assert scoring.quota_places(0.15, [9, 20, 4]).tolist() == [1, 3, 0]


def test_warnings_follow_the_proposed_grades(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    w = session.state(demo_con, store.get_settings(demo_con), "2001").board.warnings
    # the demo plants a turn-taking 优秀: YZ0041, last of 接待科 at 78.03 (also under the floor)
    assert [x["person_id"] for x in w["turn_taking"]] == ["YZ0041"]
    assert [x["person_id"] for x in w["below_floor"]] == ["YZ0041"]
    assert w["egalitarian"] == []
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0041", "称职", "综合分未达优秀线", ADMIN)
    w = session.state(demo_con, store.get_settings(demo_con), "2001").board.warnings
    assert w["turn_taking"] == [] and w["below_floor"] == []
    # 法制科 is egalitarian on composites; its one 优秀 keeps its grades apart ...
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    fz = st.board.people[st.board.people["section"] == "法制科"]
    top = fz.loc[fz["grade"] == "优秀", "person_id"].tolist()
    assert len(top) == 1
    # ... moving that one to 称职 leaves the whole section alike: the 平均主义 warning appears
    session.move(demo_con, store.get_settings(demo_con), "2001", top[0], "称职", "与科内其他同志无明显差距", ADMIN)
    w = session.state(demo_con, store.get_settings(demo_con), "2001").board.warnings
    assert [x["section"] for x in w["egalitarian"]] == ["法制科"]


def _hand_individuals(con, grades: pd.Series) -> list[str]:
    """先进个人 by the contract's rules, written out plainly."""
    settings = store.get_settings(con)
    scored = score_periods(con, settings, ["1998", "1999", "2000", "2001"])
    cur = scored[(scored["period"] == "2001") & (scored["section"] != "主任室")]
    stained = set()
    for r in scored[scored["period"].isin(["1998", "1999", "2000"])].itertuples():
        held = r.grade if isinstance(r.grade, str) else r.computed_grade
        if held in ("基本称职", "不称职"):
            stained.add(r.person_id)
    people = sorted(cur.itertuples(), key=lambda r: (-round(r.composite, 6), r.person_id))
    n_section = cur.groupby("section").size()
    taken, out = {}, []
    for r in people:
        if grades[r.person_id] != "优秀" or r.person_id in stained:
            continue
        cap = max(1, math.floor(0.2 * n_section[r.section] + 1e-9))
        if taken.get(r.section, 0) >= cap:
            continue
        taken[r.section] = taken.get(r.section, 0) + 1
        if len(out) < 5:
            out.append(r.person_id)
    return out


def _hand_sections(con, grades: pd.Series) -> list[str]:
    """先进科室 order by the contract's rules, written out plainly."""
    settings = store.get_settings(con)
    scored = score_periods(con, settings, ["2000", "2001"])
    cur = scored[(scored["period"] == "2001") & (scored["section"] != "主任室")].copy()
    prev = scored[scored["period"] == "2000"].groupby("section")["composite"].mean()
    cur["top"] = cur["person_id"].map(grades) == "优秀"
    figs = {}
    for section, g in cur.groupby("section"):
        figs[section] = {"mean": g["composite"].mean(), "top_share": g["top"].mean(),
                         "improvement": g["composite"].mean() - prev[section]}
    w = {"mean": 0.5, "top_share": 0.3, "improvement": 0.2}
    score = {s: 0.0 for s in figs}
    for f, wf in w.items():
        lo, hi = min(v[f] for v in figs.values()), max(v[f] for v in figs.values())
        for s in figs:
            score[s] += wf * (figs[s][f] - lo) / (hi - lo)
    return sorted(figs, key=lambda s: (-round(score[s], 6), s))


def test_the_demo_2001_commendations_by_hand(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    grades = st.board.people.set_index("person_id")["grade"]
    hand = _hand_individuals(demo_con, grades)
    assert hand == ["YZ0015", "YZ0082", "YZ0099", "YZ0100", "YZ0086"]
    cands = st.individuals[st.individuals["candidate"]].sort_values("place")
    assert cands["person_id"].tolist() == hand
    fails = st.individuals.set_index("person_id")["fails"]
    assert fails["YZ0064"] == "top"              # first in the office, but 称职 before the meeting
    assert fails["YZ0041"] == "section_share" or fails["YZ0041"] in ("record", "places")
    order = _hand_sections(demo_con, grades)
    assert order == ["法制科", "综合科", "行政科", "秘书二科", "信息科", "接待科", "秘书一科", "督查室"]
    assert st.sections["section"].tolist() == order
    proposed = st.sections[st.sections["proposed"]]["section"].tolist()
    assert proposed == ["综合科", "行政科"]       # 法制科 first, but 平均主义: not proposed
    assert st.sections.set_index("section").loc["法制科", "fails"] == "egalitarian"


def test_ticks_commend_or_drop_with_a_reason(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    with pytest.raises(session.AppraisalError):
        session.commend(demo_con, store.get_settings(demo_con), "2001", "section", "法制科", True, "", ADMIN)
    session.commend(demo_con, store.get_settings(demo_con), "2001", "section", "法制科", True, "全年无差错", ADMIN)
    session.commend(demo_con, store.get_settings(demo_con), "2001", "individual", "YZ0015", False, "本人谦让", ADMIN)
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    assert st.sections.set_index("section").loc["法制科", "commended"]
    ind = st.individuals.set_index("person_id")
    assert ind.loc["YZ0015", "candidate"] and not ind.loc["YZ0015", "commended"]
    session.undo(demo_con, "2001", ADMIN)
    assert session.state(demo_con, store.get_settings(demo_con), "2001").individuals.set_index("person_id").loc["YZ0015", "commended"]


def test_close_writes_official_grades_as_an_undoable_batch(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    before = official_2001(demo_con)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0041", "称职", "综合分未达优秀线", ADMIN)
    with pytest.raises(session.AppraisalError):
        session.close(demo_con, store.get_settings(demo_con), "2001", LEADER)            # only an administrator writes official grades
    batch_id = session.close(demo_con, store.get_settings(demo_con), "2001", ADMIN, dt.date(2002, 1, 10), dt.date(2002, 1, 16))
    hist = batches.history(demo_con)
    assert int(hist.iloc[0]["batch_id"]) == batch_id and "2001" in hist.iloc[0]["files"]
    after = official_2001(demo_con)
    assert after["YZ0064"] == "优秀" and after["YZ0041"] == "称职"
    changed = after[after != before.reindex(after.index)]
    assert sorted(changed.index) == ["YZ0041", "YZ0064"]
    rec = store.query(demo_con, "appraisal_commendations", period="2001")
    assert set(rec["kind"]) == {"individual", "section"}
    with pytest.raises(session.AppraisalError):
        session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0015", "称职", "r", ADMIN)   # closed
    assert batches.undo_last(demo_con) == batch_id
    assert official_2001(demo_con).equals(before)
    assert store.query(demo_con, "appraisal_commendations", period="2001").empty
    # the meeting can open again after its batch was undone, its moves kept
    assert session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)["status"] == "open"
    kept = session.state(demo_con, store.get_settings(demo_con), "2001").board.people.set_index("person_id")["grade"]
    assert (kept["YZ0064"], kept["YZ0041"]) == ("优秀", "称职")


def test_the_session_survives_a_new_connection(demo_db):
    con = store.connect(demo_db)
    session.start(con, store.get_settings(con), "2001", ADMIN)
    session.move(con, store.get_settings(con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN)
    con.close()
    con = store.connect(demo_db)
    st = session.state(con, store.get_settings(con), "2001")
    assert st.board.people.set_index("person_id").loc["YZ0064", "grade"] == "优秀"
    con.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_notice_and_record_files_hold_the_right_names(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0041", "称职", "综合分未达优秀线", ADMIN)
    session.close(demo_con, store.get_settings(demo_con), "2001", ADMIN, dt.date(2002, 1, 10), dt.date(2002, 1, 16))
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    names = st.board.people.set_index("person_id")["name"]
    top = st.board.people[st.board.people["grade"] == "优秀"]["name"].tolist()
    wb = load_workbook(io.BytesIO(exports.notice_xlsx(store.get_settings(demo_con), st, "zh", mask=False)))
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None)
    assert all(n in text for n in top) and names["YZ0041"] not in text
    assert "2002年1月10日" in text and "先进个人" in text
    masked = load_workbook(io.BytesIO(exports.notice_xlsx(store.get_settings(demo_con), st, "zh", mask=True)))
    mtext = " ".join(str(c.value) for row in masked.active.iter_rows() for c in row if c.value is not None)
    assert names["YZ0064"] not in mtext and names["YZ0064"][0] + "*" in mtext
    pdf = exports.notice_pdf(store.get_settings(demo_con), st, "zh", mask=False)
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "考核结果公示" in out and names["YZ0064"] in out and names["YZ0041"] not in out
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Pages:          1" in info or "Pages: 1" in " ".join(info.split())
    rec = load_workbook(io.BytesIO(exports.record_xlsx(st, "zh")))
    moves = list(rec["会议记录"].iter_rows(values_only=True))
    assert moves[0][:4] == ("序号", "时间", "调整人", "类型")
    assert [r[4] for r in moves[1:]] == ["YZ0064", "YZ0041"]
    assert moves[1][7:10] == ("称职", "优秀", "全年表现突出")


def test_review_pack_gains_the_meeting_record_slide(demo_con):
    from cadre.export import pack
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN)
    slides = exports.pack_slides(demo_con, store.get_settings(demo_con), "2001Q4", "zh", mask=True)
    assert len(slides) == 1 and slides[0].key == "appraisal"
    assert "全年表现突出" in slides[0].table.to_string()
    assert "赵英娜" not in slides[0].table.to_string()
    html = pack.slide_html(pack.PackInfo("本单位", "2001", "2001年度", "zh", True), slides[0], 1, 1)
    assert "评定会记录" in html


def test_rules_come_from_the_settings(demo_con):
    from cadre import settings_form
    assert settings_form.validate({"commend_individuals": {"clean_years": 3, "section_share": 1.5, "places": 5}}, {})
    assert settings_form.validate({"commend_section_weights": {"mean": 0, "top_share": 0, "improvement": 0}}, {})
    assert not settings_form.validate({"commend_sections_top": 3, "appraisal_section_quota": 0.2}, {})
    store.put_settings(demo_con, {"commend_individuals": {"clean_years": 3, "section_share": 0.2, "places": 2},
                                  "commend_sections_top": 3, "appraisal_section_quota": 0.15})
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    st = session.state(demo_con, store.get_settings(demo_con), "2001")
    assert st.individuals[st.individuals["candidate"]]["person_id"].tolist() == ["YZ0015", "YZ0082"]
    assert st.individuals.set_index("person_id").loc["YZ0099", "fails"] == "places"
    assert st.sections[st.sections["proposed"]]["section"].tolist() == ["综合科", "行政科", "秘书二科"]
    # a per-section quota: floor(0.15 · n_section) each, the office's rule; 接待科 (9) may have 1
    sections = {s["section"]: s for s in st.board.quota["sections"]}
    assert sections["接待科"]["limit"] == 1 and sections["接待科"]["ok"]
    m = session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0049", "优秀", "b", ADMIN)
    assert m["breaks_quota"] is True           # office within 10, but 接待科 has 2 of 1
