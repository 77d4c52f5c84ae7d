"""Every validation rule of cadre.ingest, each with row, column and value,
all problems found in one pass, in both languages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from cadre import settings as S
from cadre.i18n import catalogue
from cadre.ingest import read_upload
from cadre.ingest.problems import CODES
from cadre.ingest.columns import ASSESSMENTS_OUT, FORMS, MOVEMENTS_OUT

C_NAMES = {c.name for cols in FORMS.values() for c in cols} | set(MOVEMENTS_OUT)

R_HEAD = ["编号", "姓名", "性别", "出生日期", "学历", "科室", "职级", "参加工作时间", "任现职级时间",
          "状态", "后备干部", "政治面貌"]


def person(pid, **kw):
    row = {"编号": pid, "姓名": "张" + pid, "性别": "男", "出生日期": "1968-05-12", "学历": "大学本科",
           "科室": "综合科", "职级": "科员", "参加工作时间": "1990-07-01", "任现职级时间": "1997-03-01",
           "状态": "", "后备干部": "", "政治面貌": "群众"}
    row.update(kw)
    return [row[h] for h in R_HEAD]


A_HEAD = ["编号", "考核期", "考核主体", "德", "能", "勤", "绩", "总分", "等次"]
M_HEAD = ["编号", "日期", "类型", "原职级", "新职级"]


def csv_file(tmp_path, name, rows, encoding="utf-8"):
    text = "\r\n".join(",".join(str(c) for c in r) for r in rows) + "\r\n"
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return name, path.read_bytes()


def codes(u):
    return [(p.file, p.row, p.column, p.value, p.code) for p in u.problems]


def base_roster(tmp_path, *extra):
    return csv_file(tmp_path, "r.csv", [R_HEAD, person("1001"), person("1002"), *extra])


# ------------------------------------------------------------ file level

def test_empty_file_and_header_only_file(tmp_path):
    u = read_upload([csv_file(tmp_path, "e.csv", [[""]]), csv_file(tmp_path, "h.csv", [R_HEAD])])
    assert codes(u) == [("e.csv", None, None, None, "empty_file")]
    assert [n.code for n in u.notes] == ["no_rows"]


def test_not_a_table(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    u = read_upload([("x.csv", path.read_bytes())])
    assert [p.code for p in u.problems] == ["not_a_table"]


def test_missing_required_columns_in_a_named_sheet(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核成绩"
    ws.append(["编号", "考核期", "德", "能", "勤"])
    ws.append(["1001", "1999", 1, 2, 3])
    wb.save(tmp_path / "a.xlsx")
    u = read_upload([("a.xlsx", (tmp_path / "a.xlsx").read_bytes())])
    [p] = u.problems
    assert (p.sheet, p.row, p.code, p.params["columns"]) == ("考核成绩", 1, "missing_columns", ["ji"])
    assert "绩" in p.message("zh")


def test_missing_columns_names_the_closest_dataset(tmp_path):
    # a score sheet with names beside the IDs, lacking 绩: assessments, not roster
    a = csv_file(tmp_path, "a.csv", [["编号", "姓名", "考核期", "德", "能", "勤"],
                                     ["1001", "张", "1999", 1, 2, 3]])
    u = read_upload([base_roster(tmp_path), a])
    assert [(p.file, p.row, p.code, p.params["dataset"], p.params["columns"]) for p in u.problems] == [
        ("a.csv", 1, "missing_columns", "assessments", ["ji"])]


def test_a_broken_roster_does_not_flood_unknown_people(tmp_path):
    r = csv_file(tmp_path, "r.csv", [["编号", "姓名", "性别"], ["1001", "张", "男"]])
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "", ""]])
    u = read_upload([r, a])
    assert [p.code for p in u.problems] == ["missing_columns"]


# ------------------------------------------------------------ cells

def test_required_cell_empty(tmp_path):
    u = read_upload([base_roster(tmp_path, person("1003", 姓名="", 科室=""))])
    assert codes(u) == [("r.csv", 4, "姓名", None, "required_empty"),
                        ("r.csv", 4, "科室", None, "required_empty")]


def test_unparseable_dates_and_periods(tmp_path):
    r = base_roster(tmp_path, person("1003", 出生日期="1999-13-01"), person("1004", 参加工作时间="去年"))
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999Q5", "实绩考核", 18, 18, 18, 36, "", ""],
                                     ["1001", "明年", "民主评议", 18, 18, 18, 36, "", ""]])
    u = read_upload([r, a])
    assert codes(u) == [("r.csv", 4, "出生日期", "1999-13-01", "bad_date"),
                        ("r.csv", 5, "参加工作时间", "去年", "bad_date"),
                        ("a.csv", 2, "考核期", "1999Q5", "bad_period"),
                        ("a.csv", 3, "考核期", "明年", "bad_period")]
    assert u.problems[0].message("zh") == "第 4 行「出生日期」的值「1999-13-01」不是有效日期"
    assert u.problems[0].message("en") == "Row 4: “出生日期” value “1999-13-01” is not a valid date"


def test_unknown_enum_values(tmp_path):
    r = base_roster(tmp_path, person("1003", 性别="未知", 学历="小学", 状态="休假", 政治面貌="无党"),
                    person("1004", 后备干部="也许"))
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "上级考评", 18, 18, 18, 36, "", "满意"]])
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-01-01", "借调", "", ""]])
    u = read_upload([r, a, m])
    got = {(p.file, p.row, p.column, p.value, p.code) for p in u.problems}
    assert got == {
        ("r.csv", 4, "性别", "未知", "unknown_value"), ("r.csv", 4, "学历", "小学", "unknown_value"),
        ("r.csv", 4, "状态", "休假", "unknown_value"), ("r.csv", 4, "政治面貌", "无党", "unknown_value"),
        ("r.csv", 5, "后备干部", "也许", "bad_bool"),
        ("a.csv", 2, "考核主体", "上级考评", "unknown_value"), ("a.csv", 2, "等次", "满意", "unknown_value"),
        ("m.csv", 2, "类型", "借调", "unknown_value")}
    msg = next(p for p in u.problems if p.column == "性别").message("en")
    assert "Male" in msg and "未知" in msg


def test_bad_numbers(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", "十八", 18, 18, 36, "", ""]])
    u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 2, "德", "十八", "bad_number")]


@pytest.mark.parametrize("value", ["-1e308", "1e400", "inf", "-Infinity", "123456789"])
def test_a_number_beyond_any_score_is_named_with_no_warning(tmp_path, value):
    import warnings
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", value, 18, 18, 36, "", ""]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # before: numpy's "overflow encountered in multiply" on stderr
        u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 2, "德", value, "number_too_large")]
    assert "超出可接受的范围" in u.problems[0].message("zh") and "out of range" in u.problems[0].message("en")


def test_rank_not_on_the_settings_ladder(tmp_path):
    settings = S.defaults()
    settings["ladder"] = ["科员", "副科级", "正科级"]
    r = base_roster(tmp_path, person("1003", 职级="副股级"))
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-01-01", "提拔", "科员", "副处级"]])
    u = read_upload([r, m], settings=settings)
    assert codes(u) == [("r.csv", 4, "职级", "副股级", "rank_not_on_ladder"),
                        ("m.csv", 2, "新职级", "副处级", "rank_not_on_ladder")]
    assert "正科级" in u.problems[0].message("zh")


# ------------------------------------------------------------ duplicates

def test_duplicate_person_id_within_the_upload_across_files(tmp_path):
    r1 = base_roster(tmp_path)
    r2 = csv_file(tmp_path, "r2.csv", [R_HEAD, person("1002")])
    u = read_upload([r1, r2])
    assert codes(u) == [("r2.csv", 2, "编号", "1002", "duplicate_person")]
    assert u.problems[0].params["first_row"] == "3"


def test_duplicate_assessment_rows_wide_and_long(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "", ""],
                                     ["1001", "1999年度", "performance", 17, 18, 18, 36, "", ""]])
    items = csv_file(tmp_path, "i.csv", [["编号", "考核期", "考核主体", "考核维度", "得分"]] +
                     [["1001", "1999", "实绩考核", d, 10] for d in "德能勤绩"])
    u = read_upload([base_roster(tmp_path), a, items])
    assert codes(u) == [("a.csv", 3, "考核期", "1999年度", "duplicate_assessment"),
                        ("i.csv", 2, "考核期", "1999", "duplicate_assessment")]


def test_duplicate_movements(tmp_path):
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-06-01", "轮岗", "", ""],
                                     ["1001", "1999/6/1", "rotation", "", ""],
                                     ["1001", "1999-06-01", "提拔", "", ""]])
    u = read_upload([base_roster(tmp_path), m])
    assert codes(u) == [("m.csv", 3, "日期", "1999/6/1", "duplicate_movement")]


# ------------------------------------------------------------ scores

def test_scores_outside_zero_to_the_maximum(tmp_path):
    settings = S.defaults()
    settings["maxima"] = {"德": 10, "能": 20, "勤": 20, "绩": 50}
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 12, 18, -1, 50, "", ""]])
    u = read_upload([base_roster(tmp_path), a], settings=settings)
    assert codes(u) == [("a.csv", 2, "德", "12", "score_out_of_range"),
                        ("a.csv", 2, "勤", "-1", "score_out_of_range")]
    assert "0–10" in u.problems[0].message("zh")


def test_item_scores_outside_their_max_score_and_dimension_sums(tmp_path):
    head = ["编号", "考核期", "考核主体", "考核维度", "考核项目", "得分", "满分"]
    rows = [head, ["1001", "1999", "实绩考核", "德", "a", 11, 10],
            ["1001", "1999", "实绩考核", "能", "b", 15, 20], ["1001", "1999", "实绩考核", "勤", "c", 15, 20],
            ["1001", "1999", "实绩考核", "绩", "d", 30, ""], ["1001", "1999", "实绩考核", "绩", "e", 15, ""],
            ["1002", "1999", "实绩考核", "德", "a", 5, 10]]
    u = read_upload([base_roster(tmp_path), csv_file(tmp_path, "i.csv", rows)])
    assert codes(u) == [("i.csv", 2, "得分", "11", "score_out_of_range"),
                        ("i.csv", 2, "得分", "45", "dimension_over_max"),
                        ("i.csv", 7, "考核维度", "1002", "missing_dimension")]
    assert "能、勤、绩" in u.problems[2].message("zh")


def test_total_must_equal_the_sum(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "90.005", ""],
                                     ["1002", "1999", "实绩考核", 18, 18, 18, 36, "90.02", ""]])
    u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 3, "总分", "90.02", "total_mismatch")]
    assert "90" in u.problems[0].message("zh")


# ------------------------------------------------------------ grades and sources

def test_grade_inconsistent_across_a_persons_rows_of_a_period(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "", "优秀"],
                                     ["1001", "1999", "民主评议", 18, 18, 18, 36, "", ""],
                                     ["1001", "1999", "科室自评", 18, 18, 18, 36, "", "称职"],
                                     ["1002", "1999", "实绩考核", 18, 18, 18, 36, "", "称职"],
                                     ["1002", "1999", "民主评议", 18, 18, 18, 36, "", "称职"]])
    u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 4, "等次", "称职", "grade_inconsistent")]
    assert "优秀" in u.problems[0].message("zh")


def test_grade_not_valid_for_the_period_kind(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999Q2", "实绩考核", 18, 18, 18, 36, "", "优秀"],
                                     ["1002", "1999", "实绩考核", 18, 18, 18, 36, "", "较好"],
                                     ["1002", "1999Q1", "实绩考核", 18, 18, 18, 36, "", "较好"]])
    u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 2, "等次", "优秀", "grade_wrong_kind"),
                        ("a.csv", 3, "等次", "较好", "grade_wrong_kind")]


def test_combined_beside_other_sources_is_rejected(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "", ""],
                                     ["1001", "1999", "", 18, 18, 18, 36, "", ""],
                                     ["1002", "1999", "", 18, 18, 18, 36, "", ""],
                                     ["1002", "1999Q1", "民主评议", 18, 18, 18, 36, "", ""]])
    u = read_upload([base_roster(tmp_path), a])
    assert codes(u) == [("a.csv", 3, "考核主体", "1999", "combined_with_sources")]
    assert set(u.assessments["source"]) == {"实绩考核", "综合", "民主评议"}


# ------------------------------------------------------------ people and dates

def test_unknown_person_checked_against_store_and_upload_rosters(tmp_path):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999", "实绩考核", 18, 18, 18, 36, "", ""],
                                     ["0900", "1999", "实绩考核", 18, 18, 18, 36, "", ""],
                                     ["7777", "1999", "实绩考核", 18, 18, 18, 36, "", ""]])
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["7777", "1999-01-01", "调入", "", ""],
                                     ["1002", "1999-01-01", "调入", "", ""]])
    store = pd.DataFrame({"person_id": ["0900"], "name": ["老人"]})
    # movements first, roster last: order does not matter
    u = read_upload([m, a, base_roster(tmp_path)], store_roster=store)
    assert codes(u) == [("m.csv", 2, "编号", "7777", "unknown_person"),
                        ("a.csv", 4, "编号", "7777", "unknown_person")]
    u = read_upload([m, a])  # no roster anywhere: everyone is unknown
    assert len(u.problems) == 5 and {p.code for p in u.problems} == {"unknown_person"}


def test_dates_after_the_datas_latest_date(tmp_path):
    r = base_roster(tmp_path, person("1003", 任现职级时间="2000-01-01"))
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-06-01", "轮岗", "", ""]])
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["1001", "1999Q3", "实绩考核", 18, 18, 18, 36, "", ""]])
    u = read_upload([r, m, a])  # latest = 1999-09-30
    assert codes(u) == [("r.csv", 4, "任现职级时间", "2000-01-01", "date_after_data")]
    assert "1999-09-30" in u.problems[0].message("zh")
    assert read_upload([r]).ok  # roster alone: no data date to compare with


def test_ages_at_joining_work_and_at_the_latest_date(tmp_path):
    r = base_roster(tmp_path,
                    person("1003", 出生日期="1980-01-01", 参加工作时间="1990-07-01"),   # 10 at joining
                    person("1004", 出生日期="1925-01-01", 参加工作时间="1945-01-01"),   # 74 in 1999, in service
                    person("1005", 出生日期="1925-01-01", 参加工作时间="1945-01-01", 状态="退休"),
                    person("1006", 出生日期="1985-06-01", 参加工作时间=""))            # 14 in 1999
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-06-01", "轮岗", "", ""]])
    u = read_upload([r, m])
    assert codes(u) == [("r.csv", 4, "出生日期", "1980-01-01", "age_at_join"),
                        ("r.csv", 5, "出生日期", "1925-01-01", "age_at_latest"),
                        ("r.csv", 7, "出生日期", "1985-06-01", "age_at_latest")]
    assert "10" in u.problems[0].message("zh") and "74" in u.problems[1].message("en")


def test_ages_are_judged_at_the_uploads_latest_date_before_the_stores(tmp_path):
    # an office whose data ends in 1999, added to a store that holds 2023
    r = base_roster(tmp_path, person("1003", 出生日期="1935-03-01", 参加工作时间="1955-07-01"))  # 64 in 1999
    m = csv_file(tmp_path, "m.csv", [M_HEAD, ["1001", "1999-06-01", "轮岗", "", ""]])
    store_latest = pd.Timestamp("2023-12-31")
    assert read_upload([r, m], store_latest=store_latest).ok  # 88 in 2023: not its reference date
    late = base_roster(tmp_path, person("1003", 任现职级时间="2010-01-01"))
    # dates are still checked against the latest date of all the data (2023 here, 1999 alone)
    assert read_upload([late, m], store_latest=store_latest).ok
    assert [p.code for p in read_upload([late, m]).problems] == ["date_after_data"]
    # a roster alone is judged at the store's latest date
    u = read_upload([r], store_latest=store_latest)
    assert codes(u) == [("r.csv", 4, "出生日期", "1935-03-01", "age_at_latest")]
    assert "2023-12-31" in u.problems[0].message("zh") and "88" in u.problems[0].message("en")


def test_extra_columns_are_a_note_not_a_problem(tmp_path):
    rows = [R_HEAD + ["手机号"], person("1001") + ["13900000000"]]
    u = read_upload([csv_file(tmp_path, "r.csv", rows)])
    assert u.ok and [n.code for n in u.notes] == ["extra_columns"]
    assert "手机号" in u.notes[0].message("zh")


# ------------------------------------------------------------ one pass

def test_one_file_with_ten_problems_reports_all_ten(tmp_path):
    rows = [["人员名册"], R_HEAD,
            person("1001"),
            person("1002", 性别="X"),                      # 4 unknown gender
            person("1003", 出生日期="1968-02-30"),          # 5 bad date
            person("1004", 学历="小学"),                     # 6 unknown education
            person("1005", 职级="处级"),                     # 7 not on ladder
            person("1001"),                                 # 8 duplicate id
            person("1007", 姓名=""),                         # 9 required empty
            person("1008", 后备干部="也许"),                  # 10 bad bool
            person("1009", 状态="休假"),                      # 11 unknown status
            person("1010", 参加工作时间="1970-01-01"),        # 12 age 1 at joining
            person("1011", 政治面貌="无党派人士")]             # 13 unknown political status
    u = read_upload([csv_file(tmp_path, "r.csv", rows, "gbk")])
    got = [(p.row, p.column) for p in u.problems]
    assert got == [(4, "性别"), (5, "出生日期"), (6, "学历"), (7, "职级"), (8, "编号"),
                   (9, "姓名"), (10, "后备干部"), (11, "状态"), (12, "出生日期"), (13, "政治面貌")]
    for p in u.problems:
        d = p.as_dict("zh")
        assert d["file"] == "r.csv" and d["sheet"] is None
        assert d["message"].startswith(f"第 {p.row} 行")
        assert p.as_dict("en")["message"].startswith(f"Row {p.row}: ")
    assert not u.ok


def test_many_rows_with_one_problem_are_capped_with_a_summary(tmp_path, monkeypatch):
    from cadre.ingest import problems as P
    monkeypatch.setattr(P, "MAX_ROWS_PER_KIND", 3)
    rows = [R_HEAD] + [person(str(2000 + i), 性别="?") for i in range(5)]
    u = read_upload([csv_file(tmp_path, "r.csv", rows)])
    assert [p.code for p in u.problems] == ["unknown_value"] * 3 + ["more"]
    assert "2" in u.problems[-1].message("zh")


# ------------------------------------------------------------ catalogues

def test_both_catalogues_hold_every_ingest_key_and_code():
    root = Path(__file__).resolve().parents[3] / "cadre"
    zh = json.loads((root / "locales/zh/ingest.json").read_text(encoding="utf-8"))
    en = json.loads((root / "locales/en/ingest.json").read_text(encoding="utf-8"))
    assert set(zh) == set(en)
    assert all(k.startswith("ingest.") for k in zh)
    from cadre import i18n  # codes of the limits live in storage.json
    for code in CODES:
        assert f"ingest.{code}" in i18n.catalogue("zh") and f"ingest.{code}" in i18n.catalogue("en"), code
    for name in C_NAMES - set(ASSESSMENTS_OUT[2:4]) - {"seq"} | {"de", "neng", "qin", "ji"}:
        assert f"ingest.col.{name}" in zh and f"ingest.col.{name}" in en, name
    # the same placeholders in both languages
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key
    assert catalogue("zh")["ingest.bad_date"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_problem_renders_in_both_languages(tmp_path, lang):
    a = csv_file(tmp_path, "a.csv", [A_HEAD, ["9", "x", "y", "z", -1, 99, 36, "1", "w"]])
    u = read_upload([a, csv_file(tmp_path, "e.csv", [[""]])], lang=lang)
    assert len(u.problems) >= 6
    for p in u.problems:
        msg = p.message(lang)
        assert msg and "{" not in msg
