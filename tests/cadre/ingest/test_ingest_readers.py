"""Reader paths of cadre.ingest: encodings, delimiters, XLSX layouts, header
matching, long-form items, and every date and period form."""
from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest

from cadre.ingest import read_upload
from cadre.ingest.parse import parse_dates, parse_periods

ROSTER_ZH = ["编号", "姓名", "性别", "出生日期", "学历", "科室", "职级"]
ROSTER_ROWS = [
    ["1001", "张伟", "男", "1968-05-12", "大学本科", "秘书一科", "正股级"],
    ["1002", "李娜", "女", "1975-09-03", "大学专科", "法制科", "科员"],
]


def csv_bytes(rows, encoding="utf-8", sep=","):
    return ("\r\n".join(sep.join(str(c) for c in r) for r in rows) + "\r\n").encode(encoding)


def save(tmp_path, name, data: bytes) -> tuple[str, bytes]:
    path = tmp_path / name
    path.write_bytes(data)
    return name, path.read_bytes()


def save_wb(tmp_path, name, wb) -> tuple[str, bytes]:
    path = tmp_path / name
    wb.save(path)
    return name, path.read_bytes()


def assert_ok(u):
    assert u.ok, [p.as_dict("en") for p in u.problems]


# ------------------------------------------------------------ CSV encodings

def test_gbk_csv_is_decoded(tmp_path):
    f = save(tmp_path, "名册.csv", csv_bytes([ROSTER_ZH] + ROSTER_ROWS, "gbk"))
    u = read_upload([f])
    assert_ok(u)
    assert u.roster["name"].tolist() == ["张伟", "李娜"]
    assert u.roster["section"].tolist() == ["秘书一科", "法制科"]


def test_gb18030_csv_is_decoded(tmp_path):
    rows = [ROSTER_ZH, ["1003", "王喆", "男", "1970-01-01", "中专", "综合科", "科员"]]
    f = save(tmp_path, "r.csv", csv_bytes(rows, "gb18030"))
    u = read_upload([f])
    assert_ok(u)
    assert u.roster["name"].tolist() == ["王喆"]


def test_utf8_bom_csv_header_is_found(tmp_path):
    f = save(tmp_path, "r.csv", csv_bytes([ROSTER_ZH] + ROSTER_ROWS, "utf-8-sig"))
    assert f[1][:3] == b"\xef\xbb\xbf"
    u = read_upload([f])
    assert_ok(u)
    assert u.roster["person_id"].tolist() == ["1001", "1002"]


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_other_delimiters(tmp_path, sep):
    f = save(tmp_path, "r.csv", csv_bytes([ROSTER_ZH] + ROSTER_ROWS, "utf-8", sep))
    u = read_upload([f])
    assert_ok(u)
    assert len(u.roster) == 2 and u.roster["rank"].tolist() == ["正股级", "科员"]


def test_title_rows_blank_lines_and_trailing_empty_rows(tmp_path):
    rows = [["某某市政府办公室人员名册"], ["制表日期：1999年12月"], ROSTER_ZH, ROSTER_ROWS[0], [""],
            ["1003", "王强", "男", "1962-11-20", "中专", "综合科", "处级"], [",,,,,,"], [",,,,,,"]]
    f = save(tmp_path, "r.csv", csv_bytes(rows))
    u = read_upload([f])
    assert len(u.roster) == 2
    [p] = u.problems
    assert (p.row, p.column, p.value, p.code) == (6, "职级", "处级", "rank_not_on_ladder")


def test_ragged_rows_fall_back_to_the_forgiving_parser(tmp_path):
    rows = [ROSTER_ZH, ROSTER_ROWS[0], ROSTER_ROWS[1] + ["", "extra"]]
    u = read_upload([save(tmp_path, "r.csv", csv_bytes(rows))])
    assert_ok(u)
    assert len(u.roster) == 2


# ------------------------------------------------------------ XLSX

def test_xlsx_merged_title_date_cells_and_float_ids(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "人员名册（1999年）"
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(ROSTER_ZH + ["任现职级时间"])
    ws.append([1001.0, "张伟", "男", dt.datetime(1968, 5, 12), "大学本科", "秘书一科", "正股级", 1999.03])
    ws.append([1002, "李娜", "女", dt.date(1975, 9, 3), "大学专科", "法制科", "科员", 1999.10])
    ws["D4"].number_format = "yyyy-mm-dd"
    u = read_upload([save_wb(tmp_path, "r.xlsx", wb)])
    assert_ok(u)
    r = u.roster
    assert r["person_id"].tolist() == ["1001", "1002"]
    assert r["birth_date"].tolist() == [pd.Timestamp("1968-05-12"), pd.Timestamp("1975-09-03")]
    # 1999.10 typed in Excel is the number 1999.1: October, not January
    assert r["rank_since"].tolist() == [pd.Timestamp("1999-03-01"), pd.Timestamp("1999-10-01")]


def test_xlsx_problem_rows_are_the_rows_excel_shows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws.merge_cells("A1:G2")
    ws.append([])
    ws.append(ROSTER_ZH)       # row 3? appended after max_row 2 -> row 3
    ws.append(ROSTER_ROWS[0])  # row 4
    ws.append([])              # row 5 blank
    ws.append(["1002", "李娜", "X", "1975-09-03", "大学专科", "法制科", "科员"])
    f = save_wb(tmp_path, "r.xlsx", wb)
    shown = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    x_row = next(c.row for c in shown["C"] if c.value == "X")
    assert x_row > 4
    u = read_upload([f])
    [p] = u.problems
    assert (p.sheet, p.row, p.column, p.value, p.code) == ("Sheet", x_row, "性别", "X", "unknown_value")


def test_workbook_with_three_named_sheets_and_an_explanation_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员名册"
    for r in [ROSTER_ZH] + ROSTER_ROWS:
        ws.append(r)
    wa = wb.create_sheet("考核成绩")
    wa.append(["编号", "考核期", "考核主体", "德", "能", "勤", "绩"])
    wa.append(["1001", "1999", "实绩考核", 18, 17, 18, 36])
    wa.append(["1002", "1999", "实绩考核", 16, 16, 17, 30])
    wm = wb.create_sheet("任免记录")
    wm.append(["编号", "日期", "类型", "新科室"])
    wm.append(["1002", dt.datetime(1996, 8, 1), "录用", "法制科"])
    wh = wb.create_sheet("说明")
    wh.append(["本表用于上报人员信息"])
    wh.append(["编号：人员编号"])
    wb.create_sheet("Sheet3")  # empty: ignored silently
    u = read_upload([save_wb(tmp_path, "all.xlsx", wb)])
    assert_ok(u)
    assert (len(u.roster), len(u.assessments), len(u.movements)) == (2, 2, 1)
    assert [(n.code, n.sheet) for n in u.notes] == [("sheet_skipped", "说明")]
    assert "说明" in u.notes[0].message("zh")


def test_sheets_recognised_by_headers_whatever_their_names(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["person_id", "date", "kind"])
    ws.append(["1001", "1999-06-01", "promotion"])
    ws2 = wb.create_sheet("Sheet2")
    for r in [ROSTER_ZH] + ROSTER_ROWS:
        ws2.append(r)
    u = read_upload([save_wb(tmp_path, "x.xlsx", wb)])
    assert_ok(u)
    assert u.movements["kind"].tolist() == ["提拔"]
    assert len(u.roster) == 2


# ------------------------------------------------------------ header matching

def test_english_headers_case_space_and_full_width_folding(tmp_path):
    head = ["PERSON_ID", " Name ", "Gender", "Birth Date", "education", "SECTION", "rank",
            "Reserve", "Status", "大　学（备注）"]
    rows = [head, ["A7", "Wang", "M", "1970/1/2", "bachelor", "综合科", "staff member", "Y", "", "x"]]
    u = read_upload([save(tmp_path, "r.csv", csv_bytes(rows))])
    assert_ok(u)
    r = u.roster.iloc[0]
    assert (r["gender"], r["education"], r["rank"], r["reserve"], r["status"]) == (
        "男", "大学本科", "科员", True, "在职")
    assert [n.code for n in u.notes] == ["extra_columns"]
    assert u.notes[0].params["names"] == ["大　学（备注）"]


def test_aliases_and_decorated_headers(tmp_path):
    head = ["工号", "姓名", "性别", "出生年月", "学历", "科室", "级别"]
    a_head = ["人员编号", "考核周期", "考核主体", "德（20分）", "能(20分)", "＊勤", "绩 "]
    u = read_upload([
        save(tmp_path, "r.csv", csv_bytes([head, ["1001", "张伟", "男", "1968.05", "中专", "综合科", "科员"]])),
        save(tmp_path, "a.csv", csv_bytes([a_head, ["1001", "1999年度", "民主评议", 18, 18, 18, 36]])),
    ])
    assert_ok(u)
    assert u.roster["birth_date"].iloc[0] == pd.Timestamp("1968-05-01")
    a = u.assessments.iloc[0]
    assert (a["period"], a["de"], a["ji"]) == ("1999", 18.0, 36.0)


# ------------------------------------------------------------ assessments

A_WIDE = ["编号", "考核期", "考核主体", "德", "能", "勤", "绩", "总分", "等次"]


def test_wide_form_values_and_missing_source_is_combined(tmp_path):
    rows = [["person_id", "period", "de", "neng", "qin", "ji", "total", "grade"],
            ["1001", "1999Q3", "18.5", "17", "18", "36", "89.5", "good"]]
    u = read_upload([save(tmp_path, "a.csv", csv_bytes(rows))],
                    store_roster=pd.DataFrame({"person_id": ["1001"]}))
    assert_ok(u)
    a = u.assessments.iloc[0]
    assert (a["period"], a["period_kind"], a["period_end"], a["source"], a["grade"]) == (
        "1999Q3", "quarterly", pd.Timestamp("1999-09-30"), "综合", "好")
    assert a["de"] == 18.5 and pd.isna(a["max_de"])
    assert list(u.assessments.columns) == [
        "person_id", "period", "period_kind", "period_end", "source", "de", "neng", "qin", "ji",
        "max_de", "max_neng", "max_qin", "max_ji", "grade", "section"]


def test_long_form_items_sum_and_per_person_maxima(tmp_path):
    head = ["编号", "考核期", "考核主体", "考核维度", "考核项目", "项目类型", "得分", "满分"]
    rows = [head,
            # person 1001: every item has max_score -> maxima are the sums
            ["1001", "1999", "实绩考核", "德", "政治", "共性", 9, 10],
            ["1001", "1999", "实绩考核", "德", "作风", "共性", 8, 10],
            ["1001", "1999", "实绩考核", "能", "业务", "共性", 15, 18],
            ["1001", "1999", "实绩考核", "勤", "出勤", "共性", 20, 22],
            ["1001", "1999", "实绩考核", "绩", "公文", "个性", 30, 35],
            ["1001", "1999", "实绩考核", "绩", "督查", "个性", 4, 5],
            # person 1002: one 绩 item without max_score -> 绩 maximum stays null
            ["1002", "1999", "实绩考核", "de", "政治", "common", 18, 20],
            ["1002", "1999", "实绩考核", "neng", "业务", "common", 18, 20],
            ["1002", "1999", "实绩考核", "qin", "出勤", "common", 18, 20],
            ["1002", "1999", "实绩考核", "ji", "公文", "individual", 20, 25],
            ["1002", "1999", "实绩考核", "ji", "督查", "individual", 15, ""]]
    u = read_upload([save(tmp_path, "items.csv", csv_bytes(rows))],
                    store_roster=pd.DataFrame({"person_id": ["1001", "1002"]}))
    assert_ok(u)
    a = u.assessments.set_index("person_id")
    assert a.loc["1001", ["de", "neng", "qin", "ji"]].tolist() == [17, 15, 20, 34]
    assert a.loc["1001", ["max_de", "max_neng", "max_qin", "max_ji"]].tolist() == [20, 18, 22, 40]
    assert a.loc["1002", ["de", "neng", "qin", "ji"]].tolist() == [18, 18, 18, 35]
    assert a.loc["1002", "max_de"] == 20 and pd.isna(a.loc["1002", "max_ji"])


# ------------------------------------------------------------ movements

def test_movement_kinds_in_english_and_seq_across_files(tmp_path):
    store = pd.DataFrame({"person_id": ["1001", "1002"]})
    f1 = save(tmp_path, "m1.csv", csv_bytes([["person_id", "date", "kind", "to_section"],
                                             ["1001", "1999-06-01", "promotion", "综合科"],
                                             ["1001", "1999-06-01", "rotation", "信息科"]]))
    f2 = save(tmp_path, "m2.csv", csv_bytes([["编号", "日期", "类型", "去向单位"],
                                             ["1002", "1999年7月", "transfer_out", "市财政局"],
                                             ["1002", "1996/8/1", "hire", ""]]))
    u = read_upload([f1, f2], store_roster=store)
    assert_ok(u)
    m = u.movements
    assert m["kind"].tolist() == ["提拔", "轮岗", "调出", "录用"]
    assert m["seq"].tolist() == [1, 2, 3, 4]
    assert m["date"].tolist()[2] == pd.Timestamp("1999-07-01")
    assert list(m.columns) == ["person_id", "date", "seq", "kind", "from_section", "to_section",
                               "from_position", "to_position", "from_rank", "to_rank",
                               "destination", "note"]


# ------------------------------------------------------------ every date and period form

@pytest.mark.parametrize("text", ["1999-03-01", "1999/3/1", "1999.03", "1999-03", "1999年3月",
                                  "1999年3月1日", "19990301", "1999-03-01 00:00:00", "１９９９-０３-０１"])
def test_every_date_form_in_a_file(tmp_path, text):
    rows = [ROSTER_ZH, ["1001", "张伟", "男", text, "大学本科", "秘书一科", "科员"]]
    u = read_upload([save(tmp_path, "r.csv", csv_bytes(rows, "gbk" if "年" in text else "utf-8"))])
    assert_ok(u)
    assert u.roster["birth_date"].iloc[0] == pd.Timestamp("1999-03-01")


def test_excel_date_cells_and_numbers_as_dates():
    s = pd.Series([dt.datetime(1999, 3, 1, 12, 30), dt.date(1999, 3, 1), 1999.03, 19990301,
                   36220, "1999年3月1日"], dtype=object)
    out, bad = parse_dates(s)
    assert not bad.any()
    assert (out == pd.Timestamp("1999-03-01")).all()


@pytest.mark.parametrize("text,period,kind,end", [
    ("1999", "1999", "annual", "1999-12-31"),
    ("1999年度", "1999", "annual", "1999-12-31"),
    ("1999Q3", "1999Q3", "quarterly", "1999-09-30"),
    ("1999q1", "1999Q1", "quarterly", "1999-03-31"),
    ("1999-Q3", "1999Q3", "quarterly", "1999-09-30"),
    ("1999年第三季度", "1999Q3", "quarterly", "1999-09-30"),
    ("1999年3季度", "1999Q3", "quarterly", "1999-09-30"),
    ("1999年第2季度", "1999Q2", "quarterly", "1999-06-30"),
    ("1999 Q4", "1999Q4", "quarterly", "1999-12-31"),
])
def test_every_period_form_in_a_file(tmp_path, text, period, kind, end):
    rows = [["编号", "考核期", "德", "能", "勤", "绩"], ["1001", text, 18, 18, 18, 36]]
    u = read_upload([save(tmp_path, "a.csv", csv_bytes(rows, "gbk"))],
                    store_roster=pd.DataFrame({"person_id": ["1001"]}))
    assert_ok(u)
    a = u.assessments.iloc[0]
    assert (a["period"], a["period_kind"], a["period_end"]) == (period, kind, pd.Timestamp(end))


def test_period_parser_on_excel_numbers():
    p, k, e, bad = parse_periods(pd.Series([1999.0, 2001, "2000Q4"], dtype=object))
    assert p.tolist() == ["1999", "2001", "2000Q4"] and not bad.any()


# ------------------------------------------------------------ files

def test_files_carry_name_and_sha256(tmp_path):
    f = save(tmp_path, "r.csv", csv_bytes([ROSTER_ZH] + ROSTER_ROWS))
    u = read_upload([f])
    assert u.files == [{"name": "r.csv", "sha256": hashlib.sha256(f[1]).hexdigest()}]


def test_empty_binary_and_old_excel_files(tmp_path):
    u = read_upload([save(tmp_path, "empty.csv", b""), save(tmp_path, "blank.csv", b"\r\n\r\n  \r\n"),
                     save(tmp_path, "pic.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"),
                     save(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
                     save(tmp_path, "bad.xlsx", b"PK\x03\x04garbage")])
    assert [(p.file, p.code, p.row) for p in u.problems] == [
        ("empty.csv", "empty_file", None), ("blank.csv", "empty_file", None),
        ("pic.png", "not_a_table", None), ("old.xls", "old_excel", None),
        ("bad.xlsx", "not_a_table", None)]
    assert not u.ok
    assert u.roster.empty and u.assessments.empty and u.movements.empty


def test_unrecognised_table_names_the_missing_columns(tmp_path):
    rows = [["编号", "姓名", "电话"], ["1001", "张伟", "123"]]
    u = read_upload([save(tmp_path, "x.csv", csv_bytes(rows))])
    [p] = u.problems
    assert p.code == "missing_columns" and p.params["dataset"] == "roster"
    assert set(p.params["columns"]) == {"gender", "birth_date", "education", "section", "rank"}
    assert "性别" in p.message("zh") and "birth date" in p.message("en")
    rows = [["日期", "金额"], ["1999-01-01", "12"]]
    u = read_upload([save(tmp_path, "y.csv", csv_bytes(rows))])
    [p] = u.problems
    assert p.code == "unrecognised" and "person_id" in p.params["columns"]
    assert "编号" in p.message("zh")


# ------------------------------------------------------------ scale

def test_large_upload_is_vectorised_and_keeps_row_numbers(tmp_path):
    """200,000 assessment rows read (their speed is measured in bench/, not
    asserted); the by-distinct-value parsers still report the right rows."""
    import numpy as np

    n_people = 5000
    ids = [str(100000 + i) for i in range(n_people)]
    periods = [str(y) for y in range(1992, 2002)]
    sources = ["实绩考核", "民主评议", "主任室考评", "科室自评"]
    rng = np.random.default_rng(1)
    pid = np.repeat(ids, len(periods) * len(sources))
    per = np.tile(np.repeat(periods, len(sources)), n_people)
    src = np.tile(sources, n_people * len(periods))
    scores = rng.integers(10, 20, size=(len(pid), 4))
    lines = ["编号,考核期,考核主体,德,能,勤,绩"]
    lines += [f"{a},{b},{c},{d[0]},{d[1]},{d[2]},{d[3] * 2}" for a, b, c, d in zip(pid, per, src, scores)]
    fields = lines[1001].split(",")
    fields[1] += "Q9"  # data row 1001 is row 1002 in Excel
    lines[1001] = ",".join(fields)
    roster = ["编号,姓名,性别,出生日期,学历,科室,职级"]
    roster += [f"{i},某,男,19{40 + int(i) % 30}-0{1 + int(i) % 9}-01,中专,综合科,科员" for i in ids]
    roster[2500] = roster[2500].replace("-01,中专", "-41,中专")
    files = [save(tmp_path, "a.csv", ("\n".join(lines) + "\n").encode()),
             save(tmp_path, "r.csv", ("\n".join(roster) + "\n").encode("gbk"))]
    u = read_upload(files)
    assert len(u.assessments) == len(pid) == 200_000
    assert [(p.file, p.row, p.code) for p in u.problems] == [
        ("a.csv", 1002, "bad_period"), ("r.csv", 2501, "bad_date")]


def test_a_workbook_with_a_big_chart_reads_its_sheet(tmp_path):
    """A part cadre never parses (a chart whose cache holds 300,000 points)
    is not held to the element bound of the parts that are read (issue 21)."""
    import io
    import zipfile

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员名册"
    for row in [ROSTER_ZH] + ROSTER_ROWS:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    chart = (b'<?xml version="1.0"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
             + b"<c:pt><c:v>1</c:v></c:pt>" * 300_000 + b"</c:chartSpace>")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/charts/chart1.xml", chart)
    up = read_upload([save(tmp_path, "图表.xlsx", out.getvalue())])
    assert not up.problems, [p.message("zh") for p in up.problems]
    assert up.roster["name"].tolist() == ["张伟", "李娜"]
