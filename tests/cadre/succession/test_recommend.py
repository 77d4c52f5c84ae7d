"""Recommendations: recorded, revised until closed, closed; each change in
the audit log exactly once, in the same transaction; the record survives a
restart; a viewer can neither record nor export; bad input changes nothing;
the exports of a closed recommendation (the 推荐名单 as XLSX and a one-page
PDF, the 任免审批表 as .lrmx that loads back, its PDF, a .zip) are audited
with the people they name; the command line."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import defusedxml.ElementTree as DET
import pytest
from openpyxl import load_workbook

from cadre import audit, cli, store
from cadre.access import User
from cadre.ingest import lrmx as reader
from cadre.succession import recommend
from tests.cadre.export.test_pdf_printer import _check_printed, _flat

LEADER = User("王主任", "leader")
VIEWER = User("viewer1", "viewer")


def _kinds(con) -> list[str]:
    return audit.entries(con)["kind"].tolist()


def test_a_recommendation_survives_a_restart_and_is_audited_once_per_action(demo_db):
    con = store.connect(demo_db)
    rec = recommend.add(con, store.get_settings(con), "接待科", "科长", "YZ0041", "业务扎实，群众公认", LEADER)
    changed = recommend.revise(con, store.get_settings(con), rec, LEADER, reason="业务扎实，群众公认，服务保障出色")
    assert set(changed) == {"reason"}
    assert recommend.revise(con, store.get_settings(con), rec, LEADER, reason="业务扎实，群众公认，服务保障出色") == {}  # nothing: no entry
    recommend.close(con, rec, LEADER)
    con.close()
    con = store.connect(demo_db)   # a restart: a new connection to the file
    try:
        row = recommend.get(con, rec)
        assert row["status"] == "closed" and row["closed_by"] == "王主任" and row["person_id"] == "YZ0041"
        assert row["reason"] == "业务扎实，群众公认，服务保障出色" and row["recorded_by"] == "王主任"
        kinds = _kinds(con)
        assert [kinds.count(k) for k in ("recommend_add", "recommend_revise", "recommend_close")] == [1, 1, 1]
        entry = audit.entries(con, kinds=["recommend_close"]).iloc[0]
        assert json.loads(entry["detail"])["recommendation"] == rec and entry["user_name"] == "王主任"
        with pytest.raises(recommend.RecommendError) as err:
            recommend.revise(con, store.get_settings(con), rec, LEADER, reason="改")
        assert err.value.key == "succession.err.closed"
        with pytest.raises(recommend.RecommendError):
            recommend.close(con, rec, LEADER)
        assert len(_kinds(con)) == len(kinds)   # a refused change writes nothing
    finally:
        con.close()


def test_the_audit_entry_stands_or_falls_with_the_change(demo_con, monkeypatch):
    """The entry is written in the change's own transaction: when the log
    cannot be written, the recommendation is not stored either."""
    def broken(*a, **k):
        raise RuntimeError("log down")
    monkeypatch.setattr(audit, "record_in", broken)
    with pytest.raises(RuntimeError):
        recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "理由", LEADER)
    assert not len(recommend.listing(demo_con))


def test_a_viewer_can_neither_record_nor_export(demo_con):
    with pytest.raises(recommend.RecommendError) as err:
        recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "理由", VIEWER)
    assert err.value.key == "succession.err.not_allowed" and "管理员和领导" in err.value.message("zh")
    rec = recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "理由", LEADER)
    for act in (lambda: recommend.close(demo_con, rec, VIEWER),
                lambda: recommend.revise(demo_con, store.get_settings(demo_con), rec, VIEWER, reason="x")):
        with pytest.raises(recommend.RecommendError):
            act()
    recommend.close(demo_con, rec, LEADER)
    before = _kinds(demo_con)
    with pytest.raises(recommend.RecommendError):
        recommend.export(demo_con, store.get_settings(demo_con), VIEWER, "list", "xlsx")
    assert _kinds(demo_con) == before


@pytest.mark.parametrize("section, post, person, reason, key", [
    ("没有的科", "科长", "YZ0041", "理由", "succession.err.no_section"),
    ("接待科", "处长", "YZ0041", "理由", "succession.err.no_post"),
    ("接待科", "科长", "NOBODY", "理由", "succession.err.no_person"),
    ("接待科", "科长", "YZ0041", "   ", "succession.err.reason_required"),
    ("主任室", "科长", "YZ0041", "理由", "succession.err.no_post"),
])
def test_bad_input_is_named_and_changes_nothing(demo_con, section, post, person, reason, key):
    with pytest.raises(recommend.RecommendError) as err:
        recommend.add(demo_con, store.get_settings(demo_con), section, post, person, reason, LEADER)
    assert err.value.key == key and err.value.message("zh") and err.value.message("en")
    assert not len(recommend.listing(demo_con)) and not _kinds(demo_con)


@pytest.fixture
def closed(demo_con):
    settings = store.get_settings(demo_con)
    settings["office_name"] = "某市人民政府办公室"
    store.put_settings(demo_con, settings)
    a = recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "业务扎实", LEADER)
    b = recommend.add(demo_con, store.get_settings(demo_con), "秘书一科", "副科长", "YZ0010", "文字功底好", LEADER)
    recommend.close(demo_con, a, LEADER, now=dt.datetime(2002, 1, 15, 9, 0))
    recommend.close(demo_con, b, LEADER, now=dt.datetime(2002, 1, 15, 9, 5))
    return demo_con, a, b


def _exports(con) -> list[dict]:
    return [json.loads(d) for d in audit.entries(con, kinds=["export"])["detail"]][::-1]   # oldest first


def test_the_lrmx_of_a_closed_recommendation_loads_back_with_the_proposal(closed):
    con, a, _b = closed
    data, name = recommend.export(con, store.get_settings(con), LEADER, "form", "lrmx", [a])
    assert name == "李涛_YZ0041.lrmx"
    root = DET.fromstring(data.decode("utf-8"))
    assert root.findtext("NiRenZhiWu") == "某市人民政府办公室接待科科长"
    assert root.findtext("RenMianLiYou") == "业务扎实" and root.findtext("TianBiaoShiJian") == "20020115"
    person, problems = reader.read_lrmx(name, data)
    assert not problems and person.tags["XingMing"] == "李涛"
    entry = _exports(con)[-1]
    assert entry["people"] == ["YZ0041"] and entry["recommendations"] == [a] and entry["file"] == name


def test_an_open_recommendation_is_not_exported_and_one_form_is_one_person(closed):
    con, a, b = closed
    c = recommend.add(con, store.get_settings(con), "法制科", "科长", "YZ0046", "能力强", LEADER)
    for ids, key in (([c], "succession.err.not_closed"), ([a, b], "succession.err.one_form"),
                     ([999], "succession.err.no_recommendation")):
        with pytest.raises(recommend.RecommendError) as err:
            recommend.export(con, store.get_settings(con), LEADER, "form", "lrmx", ids)
        assert err.value.key == key
    assert not _exports(con)


def test_the_list_and_the_forms_print_as_chinese_text_and_are_audited(closed):
    con, a, b = closed
    data, _ = recommend.export(con, store.get_settings(con), LEADER, "list", "xlsx")
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row]
    assert "李涛" in cells and "接待科科长" in cells and "文字功底好" in cells
    masked, _ = recommend.export(con, store.get_settings(con), LEADER, "list", "xlsx", mask=True)
    cells = [c for row in load_workbook(io.BytesIO(masked)).active.iter_rows(values_only=True) for c in row]
    assert "李涛" not in cells and "李*" in cells
    pdf_list, _ = recommend.export(con, store.get_settings(con), LEADER, "list", "pdf")
    got, text = _check_printed(pdf_list)
    assert len(got.pages) == 1 and "干部推荐名单" in _flat(text) and "李涛" in _flat(text)
    form, name = recommend.export(con, store.get_settings(con), LEADER, "form", "pdf", [a])
    got, text = _check_printed(form)
    assert name == "李涛_YZ0041.pdf" and "业务扎实" in _flat(text)
    bundle, name = recommend.export(con, store.get_settings(con), LEADER, "form", "zip")
    names = sorted(zipfile.ZipFile(io.BytesIO(bundle)).namelist())
    assert len(names) == 4 and {n.rsplit(".", 1)[1] for n in names} == {"lrmx", "pdf"}
    entries = _exports(con)
    assert len(entries) == 5
    assert [e["what"] for e in entries] == ["recommend_list"] * 3 + ["recommend_form"] * 2
    assert all(e["people"] for e in entries) and entries[-1]["people"] == ["YZ0010", "YZ0041"]
    assert [e["masked"] for e in entries[:3]] == [False, True, False]


def test_the_command_line_records_closes_and_exports(demo_db, tmp_path, capsys):
    db = ["--db", str(demo_db)]
    assert cli.main(["succession", *db, "--date", "2001-12-31", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    post = next(p for p in board["posts"] if p["section"] == "秘书一科" and p["post"] == "科长")
    assert post["holders"][0]["person_id"] == "YZ0030" and post["no_ready_successor"]
    assert post["successors"][0] == {**post["successors"][0], "person_id": "YZ0063", "readiness": "within_1",
                                      "blocking_rule": "min_excellent", "clears_on": "2002-12-31",
                                      "source": ["reserve"]}
    assert cli.main(["recommend", "add", *db, "--post", "秘书一科/科长", "--person", "YZ0063", "--reason", "稳重",
                     "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["status"] == "open" and rec["section"] == "秘书一科"
    assert cli.main(["succession", *db, "--date", "2001-12-31", "--json"]) == 0
    post = next(p for p in json.loads(capsys.readouterr().out)["posts"]
                if p["section"] == "秘书一科" and p["post"] == "科长")
    assert post["successors"][0]["source"] == ["reserve", "picked"]
    out = tmp_path / "form.lrmx"
    assert cli.main(["recommend", "export", *db, "--what", "form", "--out", str(out)]) == 1   # not closed yet
    assert "还没有定案的推荐" in capsys.readouterr().err
    assert cli.main(["recommend", "close", str(rec["id"]), *db]) == 0
    assert cli.main(["recommend", "export", *db, "--what", "form", "--out", str(out)]) == 0
    assert reader.read_lrmx(out.name, out.read_bytes())[0].tags["XingMing"] == "彭荣"
    assert cli.main(["recommend", "export", *db, "--what", "list", "--out", str(tmp_path / "x.lrmx")]) == 2
    assert cli.main(["recommend", "add", *db, "--post", "秘书一科科长", "--person", "YZ0063", "--reason", "x"]) == 1
    con = store.connect(demo_db)
    try:
        kinds = _kinds(con)
    finally:
        con.close()
    assert kinds.count("recommend_add") == 1 and kinds.count("recommend_close") == 1 and kinds.count("export") == 1


def test_the_version_a_cached_board_is_keyed_on_moves_with_every_pick(demo_con):
    """The page caches the board on the data version and this digest: a
    recommendation recorded, revised or closed changes the board's picks
    without an upload, so each must change the digest (else a stale board)."""
    seen = [recommend.version(demo_con)]
    rec = recommend.add(demo_con, store.get_settings(demo_con), "接待科", "科长", "YZ0041", "业务扎实", LEADER)
    seen.append(recommend.version(demo_con))
    recommend.revise(demo_con, store.get_settings(demo_con), rec, LEADER, person_id="YZ0064")
    seen.append(recommend.version(demo_con))
    recommend.close(demo_con, rec, LEADER)
    seen.append(recommend.version(demo_con))
    assert len(set(seen)) == 4
    assert recommend.version(demo_con) == seen[-1]   # the same picks, the same digest
