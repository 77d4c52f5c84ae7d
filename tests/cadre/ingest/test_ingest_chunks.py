"""Issue 17.2: a file validated a chunk at a time reports exactly what a
whole read reports: every problem with its file, row, column and value, in
the same order, and each check's rows over the cap told in one "more"."""
from __future__ import annotations

import pytest

from cadre.ingest import read_upload, readers
from cadre.ingest.problems import MAX_ROWS_PER_KIND

HEADER = "编号,考核期,考核主体,德,能,勤,绩,总分,等次,科室"


def _assessments(first: int, n: int, long_text: bool) -> bytes:
    lines = [HEADER]
    for i in range(first, first + n):
        de = "abc" if i % 2 == 0 else "16.0"           # a bad number every other row
        period = "2020X" if i % 7 == 0 else "2020"      # a bad period now and then
        section = "科" * 210 if long_text and i % 3 else "主任室"  # text over 200 characters
        lines.append(f"P{i % 50:04d},{period},实绩考核,{de},16.0,16.0,32.0,80.0,称职,{section}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _files():
    roster = "编号,姓名,性别,出生日期\n" + "".join(f"P{i:04d},某{i},男,1980-01-01\n" for i in range(50))
    return [("roster.csv", roster.encode("utf-8-sig")),
            ("a.csv", _assessments(0, 3000, long_text=True)),
            ("b.csv", _assessments(3000, 3000, long_text=False))]


def _read(monkeypatch, rows: int):
    monkeypatch.setattr(readers, "CHUNK_ROWS", rows)
    up = read_upload(_files())
    return [p.as_dict("en") for p in up.problems], up.assessments


@pytest.mark.parametrize("rows", [250, 999])
def test_chunks_report_what_a_whole_read_reports(monkeypatch, rows):
    whole, whole_rows = _read(monkeypatch, 1_000_000)
    chunked, chunked_rows = _read(monkeypatch, rows)
    assert chunked == whole
    assert chunked_rows.astype(object).equals(whole_rows.astype(object))


def test_a_check_over_many_chunks_is_capped_once(monkeypatch):
    problems, _ = _read(monkeypatch, 250)
    # bad numbers: 3,000 over both files and 24 chunks, 2,000 listed and one
    # "more" for the rest, named after the file of the first one listed
    assert len([p for p in problems if p["row"] is not None and p["value"] == "abc"]) == MAX_ROWS_PER_KIND
    more = [p for p in problems if p["row"] is None and p["column"] == "德"]
    assert [(m["file"], m["value"]) for m in more] == [("a.csv", None)]
    assert "1000" in more[0]["message"].replace(",", "")
    # text too long: exactly 2,000 cells of a.csv, so no "more"
    assert len([p for p in problems if p["row"] is not None and p["column"] == "科室"]) == MAX_ROWS_PER_KIND
    assert not [p for p in problems if p["row"] is None and p["column"] == "科室"]
