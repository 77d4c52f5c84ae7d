"""The hostile and broken files of issue 11 §3 (and more): each refused with
a message naming the file (and row and column where there is one), in both
languages, and every table of the store unchanged."""
from __future__ import annotations

import json

import pytest

from cadre import batches, store
from cadre.ingest import readers, xlsx_bounds

from .cases import build_cases, person, utf8, R_HEAD
from .conftest import snapshot

CASES = build_cases()


def test_the_suite_holds_at_least_40_files():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_refused_with_its_message_and_nothing_changes(name, office_db, monkeypatch):
    case = CASES[name]
    for limit, value in case.limits.items():  # a reader's limit, or a workbook's bound
        monkeypatch.setattr(next(m for m in (readers, xlsx_bounds) if hasattr(m, limit)), limit, value)
    con = store.connect(office_db)
    try:
        before = snapshot(con)
        result = batches.ingest(con, case.files, lang="zh")
        after = snapshot(con)
    finally:
        con.close()
    assert not result.ok
    assert after == before, "a rejected upload changed the store"
    found = [p for p in result.upload.problems if p.code == case.code]
    assert found, [(p.code, p.message("zh")) for p in result.upload.problems]
    problem = found[0]
    assert problem.file == (case.file or case.files[0][0])
    assert case.words in problem.message("zh"), problem.message("zh")
    assert problem.message("en") and "{" not in problem.message("en")
    if case.row is not None:
        assert problem.row == case.row
    if case.column is not None:
        assert problem.column == case.column
    # what a problem shows is safe to download and to print: short, no control characters
    shown = json.dumps(problem.as_dict("zh"), ensure_ascii=False)
    assert not readers.CONTROL.search(shown)
    assert len(problem.value or "") <= 100


def test_the_same_files_again_are_said_to_be_loaded_and_store_nothing(office_db):
    files = [("名册.csv", utf8([R_HEAD, person("Z001"), person("Z002")]))]
    con = store.connect(office_db)
    try:
        first = batches.ingest(con, files)
        assert first.ok and first.batch_id
        before = snapshot(con)
        again = batches.ingest(con, list(reversed(files)))
        assert again.ok and again.batch_id is None and again.already == first.batch_id
        assert snapshot(con) == before
    finally:
        con.close()


def test_the_undo_history_stays_within_its_depth(office_db):
    con = store.connect(office_db)
    try:
        store.put_settings(con, {"undo_depth": 2})
        for i in range(5):  # five uploads replacing the same person: each keeps the old row
            data = utf8([R_HEAD, person("YZ0040", name=f"改名{i}")])
            assert batches.ingest(con, [(f"r{i}.csv", data)]).batch_id
        kept = con.execute("select count(distinct replaced_by) from roster_replaced").fetchone()[0]
        assert kept == 2
        assert batches.undo_last(con) and batches.undo_last(con)
        assert batches.undo_last(con) is None  # beyond the depth: no longer undoable
        name = con.execute("select name from roster where person_id = 'YZ0040'").fetchone()[0]
        assert name == "改名2"
    finally:
        con.close()


MOVE_HEAD = ["编号", "日期", "类型", "原科室", "新科室", "原职级", "新职级"]


@pytest.mark.parametrize("row, code, words", [
    # YZ0009 retired on 1997-05-01 (stored): a later rotation is after the exit
    (["YZ0009", "1999-03-01", "轮岗", "秘书一科", "行政科", "科员", "科员"], "movement_after_exit",
     "调出/退休（1997-05-01）之后"),
    # YZ0070 was hired on 1997-07-02 (stored): an earlier rotation is before the hire
    (["YZ0070", "1996-03-01", "轮岗", "秘书一科", "行政科", "科员", "科员"], "movement_before_hire",
     "录用/调入（1997-07-02）之前"),
])
def test_a_movement_is_checked_in_order_with_the_stored_ones(row, code, words, office_db):
    """Issue 11 §3.6: a movements file uploaded on its own is checked against
    the person's stored movements (an upload adds to the store)."""
    con = store.connect(office_db)
    try:
        before = snapshot(con)
        result = batches.ingest(con, [("任免.csv", utf8([MOVE_HEAD, row]))], lang="zh")
        assert snapshot(con) == before
    finally:
        con.close()
    assert not result.ok
    found = [p for p in result.upload.problems if p.code == code]
    assert found and words in found[0].message("zh"), [p.message("zh") for p in result.upload.problems]
    assert found[0].row == 2 and found[0].file == "任免.csv"


def test_a_movement_in_a_possible_order_with_the_stored_ones_loads(office_db):
    con = store.connect(office_db)
    try:
        result = batches.ingest(con, [("任免.csv", utf8([MOVE_HEAD, [
            "YZ0070", "1999-03-01", "轮岗", "秘书一科", "行政科", "科员", "科员"]]))], lang="zh")
    finally:
        con.close()
    assert result.ok, [p.message("zh") for p in result.upload.problems]
