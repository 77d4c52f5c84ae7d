"""The hostile and broken files: each with the problem it must produce.

A case is (files, expected): ``files`` [(name, bytes)], ``expected`` the code
of a problem the upload must report, words its Chinese message holds, and
where it points (file, row, column) when it points somewhere.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from .build import (SHEET_HEAD, SHEET_TAIL, csv_text, empty_cells_row, shared_strings, xlsx, xlsx_parts,
                    zip_bomb)

R_HEAD = ["编号", "姓名", "性别", "出生日期", "学历", "科室", "职务", "职级", "参加工作时间"]
A_HEAD = ["编号", "考核期", "考核主体", "德", "能", "勤", "绩", "总分"]
M_HEAD = ["编号", "日期", "类型", "原科室", "新科室", "原职级", "新职级"]


def person(pid="Z001", name="测试", gender="男", birth="1970-01-01", edu="大学本科",
           section="综合科", post="科员", rank="科员", joined="1992-07-01"):
    return [pid, name, gender, birth, edu, section, post, rank, joined]


def utf8(rows, sep=","):
    return csv_text(rows, sep).encode("utf-8")


def gbk(rows):
    return csv_text(rows).encode("gbk")


@dataclass
class Case:
    files: list
    code: str
    words: str
    row: int | None = None
    column: str | None = None
    en: str | None = None
    file: str | None = None  # default: the first file's name
    limits: dict = field(default_factory=dict)  # readers' limits lowered for the case


def _roster(*people):
    return [("名册.csv", utf8([R_HEAD, *people]))]


def _zip_of(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def build_cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    # -- §3.1 the dimension bomb and its relatives
    c["dimension_bomb"] = Case([("bomb.xlsx", xlsx([["编号", "姓名"]], dimension="A1:XFD1048576"))],
                               "missing_columns", "缺少必填列", row=1, column="性别、出生日期、学历、科室、职级")
    c["dimension_bomb_far_cell"] = Case([("far.xlsx", xlsx([["编号", "姓名"]], cells={(1048576, 16384): "x"}))],
                                        "too_many_columns", "超过 256 列", row=1048576, en="beyond column 256")
    c["too_many_columns_xlsx"] = Case([("wide.xlsx", xlsx([[f"c{j}" for j in range(300)]]))],
                                      "too_many_columns", "超过 256 列", row=1)
    c["too_many_columns_csv"] = Case([("wide.csv", utf8([[f"c{j}" for j in range(300)]]))],
                                     "too_many_columns", "超过 256 列", row=1)
    c["too_many_rows_xlsx"] = Case([("rows.xlsx", xlsx([R_HEAD] + [person(f"Z{i:03d}") for i in range(60)]))],
                                   "too_many_rows", "超过 50 行", limits={"MAX_ROWS": 50})
    c["too_many_cells_xlsx"] = Case([("cells.xlsx", xlsx([R_HEAD] + [person(f"Z{i:03d}") for i in range(30)]))],
                                    "too_many_cells", "超过 100 个", limits={"MAX_CELLS": 100})
    # -- §3.2 zip bombs and endless lines
    c["zip_bomb_ratio"] = Case([("ratio.xlsx", zip_bomb(40))], "zip_ratio", "压缩比", en="zip bomb")
    c["zip_bomb_total"] = Case([("total.xlsx", zip_bomb(60))], "too_large_unpacked", "超过上限 50 MB",
                               limits={"MAX_UNCOMPRESSED": 50 * 1024 * 1024})
    c["single_line_csv"] = Case([("line.csv", b"a," * (5 * 1024 * 1024))], "line_too_long", "超过上限", row=1)
    c["long_line_in_the_middle"] = Case(
        [("mid.csv", utf8([R_HEAD, person("Z001"), person("Z002")]) + b"x" * 70_000 + b"\n")],
        "line_too_long", "长达 70000 字节", row=4)
    c["long_line_cr_endings"] = Case([("cr.csv", csv_text([R_HEAD, person()]).replace("\n", "\r").encode()
                                       + b"y" * 70_000)], "line_too_long", "超过上限", row=1)
    # -- §3.3 duplicate header columns
    c["duplicate_de_columns"] = Case(
        [("成绩.csv", utf8([["编号", "考核期", "考核主体", "德", "德", "能", "勤", "绩"],
                            ["YZ0001", "2001", "实绩考核", "0", "18", "18", "18", "36"]]))],
        "duplicate_columns", "「德」", row=1, column="德")
    c["duplicate_id_columns"] = Case(
        [("名册.csv", utf8([["编号", "人员编号"] + R_HEAD[1:], ["Z001", "Z002"] + person()[1:]]))],
        "duplicate_columns", "A「编号」", row=1, column="编号")
    c["duplicate_name_columns_xlsx"] = Case(
        [("名册.xlsx", xlsx([R_HEAD + ["姓名"], person() + ["别名"]]))],
        "duplicate_columns", "J「姓名」", row=1, column="姓名")
    # -- §3.4 / §3.8 control characters and encodings
    tail_nul = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n" + "".join(
        f"Z{i:04d},测试{i},男,1970-01-01,大学本科,综合科,科员,科员\n" for i in range(600))).encode()
    c["nul_after_20000_chars"] = Case([("nul.csv", tail_nul.replace(b"\xe6\xb5\x8b\xe8\xaf\x95599", b"\x00599"))],
                                      "control_character", "控制字符 U+0000", row=601)
    c["early_nul"] = Case([("early.csv", b"\x00" + utf8([R_HEAD, person()]))], "control_character",
                          "控制字符 U+0000", row=1)
    c["vertical_tab_in_name"] = Case(_roster(person(name="张\x0b三")), "control_character", "U+000B", row=2)
    c["escape_in_section_gbk"] = Case([("名册.csv", gbk([R_HEAD, person(), person("Z002", section="综合\x1b科")]))],
                                      "control_character", "U+001B", row=3)
    c["binary_png_named_csv"] = Case([("pic.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 40)],
                                     "not_a_table", "不是 CSV 或 Excel")
    mixed = utf8([R_HEAD, person(name="张三")]) + csv_text([person("Z002", name="李四")]).encode("gbk") \
        + csv_text([person("Z003", name="王五")]).encode("utf-8") + b"\xff\xfe\xfd,x\n"
    c["mixed_utf8_gbk"] = Case([("mixed.csv", mixed)], "mixed_encoding", "混用了多种文字编码")
    c["broken_utf16"] = Case([("u16.csv", "编号,姓名\n1,张".encode("utf-16") + b"\x00\xd8")],
                             "bad_encoding", "UTF-16")
    # -- §3.6 each dataset checked the same whatever it comes with
    c["roster_alone_too_young"] = Case(_roster(person(birth="1995-01-01", joined="")),
                                       "age_at_latest", "不在 16–70 岁之间", row=2)
    c["roster_alone_too_old"] = Case(_roster(person(birth="1920-01-01", joined="")),
                                     "age_at_latest", "不在 16–70 岁之间", row=2)
    c["roster_alone_joined_at_ten"] = Case(_roster(person(birth="1980-01-01", joined="1990-01-01")),
                                           "age_at_join", "10 岁", row=2)
    c["transfer_out_before_hire"] = Case(
        [("名册.csv", utf8([R_HEAD, person()])),
         ("任免.csv", utf8([M_HEAD, ["Z001", "1995-01-01", "调出", "综合科", "", "科员", ""],
                            ["Z001", "1998-01-01", "录用", "", "综合科", "", "科员"]]))],
        "movement_before_hire", "录用/调入（1998-01-01）之前", row=2, file="任免.csv")
    c["promotion_after_retirement"] = Case(
        [("任免.csv", utf8([M_HEAD, ["YZ0040", "1998-01-01", "退休", "", "", "", ""],
                            ["YZ0040", "1999-06-01", "提拔", "", "", "科员", "副科级"]]))],
        "movement_after_exit", "调出/退休（1998-01-01）之后", row=3)
    c["retirement_in_1930"] = Case(
        [("任免.csv", utf8([M_HEAD, ["YZ0040", "1930-01-01", "退休", "", "", "", ""]]))],
        "movement_too_young", "不足 16 岁", row=2)
    # -- §3.7 text length
    c["name_of_100000_chars_xlsx"] = Case([("名册.xlsx", xlsx([R_HEAD, person(name="名" * 100_000)]))],
                                          "text_too_long", "长 100000 个字符", row=2, column="姓名")
    c["name_of_20000_chars_csv"] = Case(_roster(person(name="名" * 20_000)), "text_too_long",
                                        "长 20000 个字符", row=2, column="姓名")
    c["name_of_100000_chars_csv"] = Case(_roster(person(name="名" * 100_000)), "line_too_long",
                                         "超过上限 65536 字节", row=2)
    c["section_of_201_chars"] = Case(_roster(person(section="科" * 201)), "text_too_long",
                                     "超过上限 200 个字符", row=2, column="科室")
    c["note_of_500_chars_xlsx"] = Case(
        [("任免.xlsx", xlsx([M_HEAD + ["备注"], ["YZ0040", "2001-06-01", "轮岗", "", "", "", "", "注" * 500]]))],
        "text_too_long", "长 500 个字符", row=2, column="备注")
    # -- §3.9 a missing column is named in ``column``
    c["missing_rank_column"] = Case(_roster_without("职级"), "missing_columns", "职级", row=1, column="职级")
    c["missing_two_columns"] = Case([("名册.csv", utf8([["编号", "姓名", "性别", "出生日期", "学历"],
                                                        ["Z001", "甲", "男", "1970-01-01", "大学本科"]]))],
                                    "missing_columns", "科室", row=1, column="科室、职级")
    # -- broken containers
    c["empty_file"] = Case([("empty.csv", b"")], "empty_file", "文件是空的")
    c["blank_lines_only"] = Case([("blank.csv", b"\r\n \r\n\t\r\n")], "empty_file", "文件是空的")
    c["old_xls"] = Case([("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)], "old_excel", "")
    c["truncated_xlsx"] = Case([("cut.xlsx", xlsx([R_HEAD, person()])[:300])], "not_a_table", "不是 CSV 或 Excel")
    c["zip_without_workbook"] = Case([("notes.xlsx", _zip_of({"readme.txt": "hello"}))], "not_a_table",
                                     "不是 CSV 或 Excel")
    c["malformed_sheet_xml"] = Case([("bad.xlsx", xlsx(raw_sheet=b"<worksheet><sheetData><row r='1'><c>"))],
                                    "not_a_table", "不是 CSV 或 Excel")
    c["control_char_in_xml"] = Case([("ctl.xlsx", xlsx(raw_sheet=(
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c></row></sheetData>'
        '</worksheet>').encode()))], "not_a_table", "不是 CSV 或 Excel")
    # -- ordinary broken content, for the record
    c["unknown_person_in_scores"] = Case(
        [("成绩.csv", utf8([A_HEAD, ["NOBODY", "2001", "实绩考核", "18", "18", "18", "36", "90"]]))],
        "unknown_person", "不在人员名册中", row=2, column="编号")
    c["score_over_maximum"] = Case(
        [("成绩.csv", utf8([A_HEAD, ["YZ0040", "2001", "实绩考核", "25", "18", "18", "36", "97"]]))],
        "score_out_of_range", "", row=2, column="德")
    c["total_mismatch"] = Case(
        [("成绩.csv", utf8([A_HEAD, ["YZ0040", "2001", "实绩考核", "18", "18", "18", "36", "99"]]))],
        "total_mismatch", "", row=2, column="总分")
    c["bad_birth_date"] = Case(_roster(person(birth="1970-13-45")), "bad_date", "", row=2, column="出生日期")
    c["duplicate_person_ids"] = Case(_roster(person("Z001"), person("Z001", name="另一人")),
                                     "duplicate_person", "", row=3, column="编号")
    c["unknown_gender"] = Case(_roster(person(gender="未知")), "unknown_value", "", row=2, column="性别")
    c["rank_not_on_ladder"] = Case(_roster(person(rank="处长")), "rank_not_on_ladder", "", row=2, column="职级")
    c["unreadable_period"] = Case(
        [("成绩.csv", utf8([A_HEAD, ["YZ0040", "第五季度", "实绩考核", "18", "18", "18", "36", "90"]]))],
        "bad_period", "", row=2, column="考核期")
    c["duplicate_movement"] = Case(
        [("任免.csv", utf8([M_HEAD, ["YZ0040", "2001-06-01", "轮岗", "", "", "", ""],
                            ["YZ0040", "2001-06-01", "轮岗", "", "", "", ""]]))],
        "duplicate_movement", "", row=3)
    c["formula_and_script_then_nul"] = Case(
        _roster(person(name="=HYPERLINK(\"http://x\")"), person("Z002", name="<script>\x00</script>")),
        "control_character", "U+0000", row=3)
    # -- issue 21: hostile files inside the size limits
    c["xlsx_empty_cells_in_one_row"] = Case([("空格.xlsx", xlsx_parts([empty_cells_row(4_150_000)]))],
                                            "row_too_wide", "超过 Excel 的上限 16384 列", row=1,
                                            en="Excel's limit of 16384 columns")
    c["xlsx_twelve_sheets_of_empty_cells"] = Case(
        [("十二表.xlsx", xlsx_parts([empty_cells_row(4_150_000)] * 12))], "row_too_wide", "工作表「S1」", row=1)
    c["xlsx_a_million_shared_strings"] = Case(
        [("文本.xlsx", xlsx_parts([SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL],
                                 shared_strings(1_100_000)))], "too_many_strings", "超过 1000000 条")
    c["xlsx_runs_in_one_cell"] = Case(
        [("富文本.xlsx", xlsx_parts([SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is>'
                                    + b"<r><t>x</t></r>" * 40_000 + b"</is></c></row>" + SHEET_TAIL]))],
        "xml_too_complex", "超过 65536 个 XML 标记")
    c["xlsx_empty_cells_in_many_rows"] = Case(  # each row within Excel's width, 1,001,000 in all
        [("空行.xlsx", xlsx_parts([SHEET_HEAD + b"".join(b'<row r="%d">' % i + b"<c/>" * 1000 + b"</row>"
                                                        for i in range(1, 1002)) + SHEET_TAIL]))],
        "too_many_empty_cells", "空单元格（只有格式、没有值）超过 1000000 个")
    c["xlsx_styles_of_300000_formats"] = Case(  # 240,000 took openpyxl 55 s and 540 MB
        [("样式.xlsx", xlsx_parts([SHEET_HEAD + SHEET_TAIL], styles=(
            b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<cellXfs>' + b'<xf numFmtId="0"/>' * 300_000 + b"</cellXfs></styleSheet>")))],
        "xml_too_complex", "「xl/styles.xml」在一行或一处含有超过 200000 个 XML 标记")
    c["xlsx_strings_part_posing_as_a_chart"] = Case(  # read by its path, whatever its root says
        [("伪装.xlsx", xlsx_parts([SHEET_HEAD + SHEET_TAIL], shared_strings=(
            b'<?xml version="1.0"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            + b"<c:pt/>" * 300_000 + b"</c:chartSpace>")))],
        "xml_too_complex", "「xl/sharedStrings.xml」在一行或一处含有超过 200000 个 XML 标记")
    c["xlsx_entity_in_sheet"] = Case(
        [("实体.xlsx", xlsx_parts([b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
                                  + SHEET_HEAD[SHEET_HEAD.index(b"<worksheet"):]
                                  + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
                                  + SHEET_TAIL]))], "xml_dtd", "「xl/worksheets/sheet1.xml」含有 DTD")
    c["xlsx_dtd_after_a_long_comment_in_strings"] = Case(
        [("注释.xlsx", xlsx_parts([SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL],
                                 b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE sst ['
                                 b'<!ENTITY e SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.'
                                 b'openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>'))],
        "xml_dtd", "「xl/sharedStrings.xml」含有 DTD")
    c["lrmx_entities_after_a_70kb_comment"] = Case(
        [("注释.lrmx", b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE Person [<!ENTITY a "'
          + b"a" * 1000 + b'"><!ENTITY b "' + b"&a;" * 1000 + b'">]><Person><XingMing>&b;&b;&b;</XingMing>'
          b"</Person>")], "xml_dtd", "注释.lrmx：文件含有 DTD")
    c["lrmx_utf16_with_a_dtd"] = Case(
        [("宽.lrmx", ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE Person [<!ENTITY a "甲">]>'
                     '<Person><XingMing>&a;</XingMing></Person>').encode("utf-16"))], "xml_dtd", "宽.lrmx：文件含有 DTD")
    c["lrmx_mismatched_tag_said_in_chinese"] = Case(
        [("坏.lrmx", '<?xml version="1.0" encoding="UTF-8"?>\n<Person>\n<XingMing>甲</XingMin>\n</Person>'.encode())],
        "xml_broken", "第 3 行第 13 列（开始标签与结束标签不匹配）", row=3)
    c["lrm_with_a_nul"] = Case(
        [("空字符.lrm", ",".join(['"陈\x00刚"', '"男"'] + ['""'] * 31).encode("gbk"))], "lrm_control",
        "第 1 个字段 XingMing（姓名） 含有控制字符 U+0000", row=1, column="XingMing（姓名）")
    c["csv_in_utf32"] = Case([("u32.csv", csv_text([R_HEAD, person()]).encode("utf-32"))],
                             "unsupported_encoding", "UTF-32 编码", en="UTF-32")
    c["csv_in_utf32_big_endian"] = Case([("u32be.csv", b"\x00\x00\xfe\xff" + csv_text([R_HEAD, person()]).encode("utf-32-be"))],
                                        "unsupported_encoding", "UTF-32 编码")
    c["csv_with_a_double_bom"] = Case([("bom.csv", b"\xef\xbb\xbf" + csv_text([R_HEAD, person()]).encode("utf-8-sig"))],
                                      "double_bom", "2 个字节顺序标记")
    return c


def _roster_without(column: str):
    keep = [i for i, h in enumerate(R_HEAD) if h != column]
    return [("名册.csv", utf8([[R_HEAD[i] for i in keep], [person()[i] for i in keep]]))]
