"""任免审批表 files (.lrmx, .lrm + .pic, .zip): reading, derivation of roster,
movements and grades, and the CLI's gaps, --accept-derived and --office."""
from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cadre import store
from cadre.ingest import lrmx as X
from cadre.ingest.derive import annual_grades, derive, guess_office, resume_lines
from tests.cadre.ingest import lrmx_samples as L

ROOT = Path(__file__).resolve().parents[3]
ZHANG, LI, WANG, ZHAO = "410102196507011234", "H0A35C6D0B9E", "410102198001151111", "410102199002022222"
CHEN = "H95A90C989EE"


def cadre(*args, db, check=None):
    proc = subprocess.run([sys.executable, "-m", "cadre", *args, "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if check is not None:
        assert proc.returncode == check, proc.stderr + proc.stdout
    return proc


def write(folder: Path, files) -> list[str]:
    paths = []
    for name, data in files:
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    return paths


# ------------------------------------------------------------ the text forms

def test_resume_lines_every_form_of_the_doc():
    text = ("1986.07--1990.06  某县政府办公室科员\n"
            "1990.07--1994.12  某县政府办公室综合科副科长(其间:1992.09--1994.07在省委党校函授学习)\n"
            "1995.01—2001.03  某县政府办公室秘书科科长\n"
            "199103--199512  某乡政府办事员\n"
            "2001.04-2004.12  某县政府办公室副主任\n"
            "2005.01--         某县政府办公室主任\n"
            "2005.01--至今  某县政府办公室主任\n"
            "2006.01至2007.02\u3000某县政府办公室主任\n"
            "2007.03–2008.01 某单位\n"
            "   （其间：2007.05--2007.07挂职）\n"
            "2008.02～ 某单位\n"
            "无日期的一行")
    lines, bad = resume_lines(text)
    got = [(ln.start.strftime("%Y-%m"), ln.end.strftime("%Y-%m") if ln.end is not None else None, ln.open_end)
           for ln in lines]
    assert got == [("1986-07", "1990-06", False), ("1990-07", "1994-12", False), ("1995-01", "2001-03", False),
                   ("1991-03", "1995-12", False), ("2001-04", "2004-12", False), ("2005-01", None, True),
                   ("2005-01", None, True), ("2006-01", "2007-02", False), ("2007-03", "2008-01", False),
                   ("2008-02", None, True)]
    assert lines[5].text == "某县政府办公室主任"
    assert lines[8].text == "某单位(其间:2007.05--2007.07挂职)"  # full-width folded
    assert bad == []  # a dateless line continues the one before
    _lines, bad = resume_lines("开头没有日期\n2001.01--2002.01 某单位")
    assert bad == [(1, "开头没有日期")]


def test_annual_grades_every_form_of_the_doc():
    assert annual_grades("2019、2020年度考核为称职，2021年度考核为优秀") == (
        [(2019, "称职"), (2020, "称职"), (2021, "优秀")], None)
    assert annual_grades("2019、2020、2021年年度考核均为称职。") == (
        [(2019, "称职"), (2020, "称职"), (2021, "称职")], None)
    assert annual_grades("2019年：优秀；2020年：合格") == ([(2019, "优秀"), (2020, "称职")], None)
    assert annual_grades("(无)") == ([], None)
    assert annual_grades("（无）") == ([], None)
    assert annual_grades("") == ([], None)
    assert annual_grades("2018年基本合格，2019年不合格") == ([(2018, "基本称职"), (2019, "不称职")], None)
    assert annual_grades("表现良好") == ([], "表现良好")


def test_office_prefix_shared_by_current_posts():
    assert guess_office(["某县政府办公室综合科科长", "某县政府办公室主任"]) == "某县政府办公室"
    assert guess_office(["某县政府办公室秘书科科长"]) == "某县政府办公室"
    assert guess_office([]) is None


# ------------------------------------------------------------ reading

def test_reading_zip_lrm_pic_and_the_broken_file():
    people, tables, problems = X.read_people(L.office_files() + [("坏.lrmx", L.BROKEN)])
    assert tables == []
    assert sorted(p.file for p in people) == sorted([
        "王磊.lrmx", "赵敏.lrmx", "干部任免审批表.zip/张建国.lrmx", "干部任免审批表.zip/李秀英.lrmx",
        "干部任免审批表.zip/陈刚.lrm"])
    chen = next(p for p in people if p.kind == "lrm")
    assert chen.photo == L.JPEG and chen.tags["XingMing"] == "陈刚"
    assert chen.tags["ZaiZhiJiaoYu_XueLi"] == "研究生"
    zhang = next(p for p in people if p.tags.get("XingMing") == "张建国")
    assert zhang.photo == L.JPEG  # base64 wrapped every 76 characters
    [broken] = problems
    assert broken.file == "坏.lrmx" and broken.row == 5
    assert "坏.lrmx" in broken.message("zh") and "第 5 行" in broken.message("zh")
    assert "line 5" in broken.message("en")


def test_hostile_files_are_refused_with_a_message():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><Person><XingMing>&b;</XingMing></Person>')
    ext = b'<?xml version="1.0"?><!DOCTYPE Person SYSTEM "file:///etc/passwd"><Person/>'
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(X.MAX_ZIP_ENTRIES + 1):
            zf.writestr(f"{i}.lrmx", b"")
    nested = L.zipped({"inner.zip": L.zipped({"a.lrmx": L.ZHAO})})
    people, _tables, problems = X.read_people([("bomb.lrmx", bomb), ("ext.lrmx", ext),
                                               ("many.zip", many.getvalue()), ("nested.zip", nested),
                                               ("not.zip", b"PK\x03\x04garbage")])
    assert people == []
    codes = {(p.file, p.code) for p in problems}
    assert codes == {("bomb.lrmx", "xml_dtd"), ("ext.lrmx", "xml_dtd"), ("many.zip", "zip_too_many"),
                     ("nested.zip/inner.zip", "zip_nested"), ("not.zip", "bad_zip")}
    for p in problems:
        assert p.file in p.message("zh") and p.message("en")


def test_zip_sizes_are_checked_before_reading(monkeypatch):
    monkeypatch.setattr(X, "MAX_ZIP_TOTAL", 1000)
    big = L.zipped({"a.lrmx": b"<Person>" + b" " * 2000 + b"</Person>"})
    entries, problems = X.expand_zip("big.zip", big)
    assert entries == [] and [p.code for p in problems] == ["zip_too_large"]


# ------------------------------------------------------------ derivation

@pytest.fixture(scope="module")
def derived():
    people, _tables, _problems = X.read_people(L.office_files())
    return derive(people)


def test_derived_roster_exactly(derived):
    r = derived.roster.set_index("person_id")
    cols = ["name", "gender", "birth_date", "education", "education_mode", "political_status",
            "join_work_date", "section", "position", "rank", "rank_since", "post_since", "status"]
    got = {pid: tuple(None if pd.isna(v) else (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v)
                      for v in row) for pid, row in r[cols].iterrows()}
    assert got == {
        ZHANG: ("张建国", "男", "1965-07-01", "研究生", "在职", "中共党员", "1986-07-01", "主任室", "主任",
                "正科级", "2005-01-01", "2005-01-01", "在职"),
        LI: ("李秀英", "女", "1972-03-01", "大学本科", "在职", "民主党派", "1991-03-01", "综合科", "科长",
             "正股级", "2009-01-01", "2009-01-01", "在职"),
        WANG: ("王磊", "男", "1980-01-15", "大学本科", "全日制", "中共党员", "2002-07-01", "信访科", "副科长",
               "副股级", "2011-01-01", "2011-01-01", "在职"),
        ZHAO: ("赵敏", None, "1990-02-01", "研究生", "全日制", None, "2013-07-01", "秘书科", "科员",
               "科员", "2013-07-01", "2013-07-01", "在职"),
        CHEN: ("陈刚", "男", "1975-11-01", "研究生", "在职", "中共党员", "1997-07-01", "秘书科", "科长",
               "正股级", "2013-01-01", "2013-01-01", "在职"),
    }
    unsure = derived.unsure.set_index(derived.roster["person_id"])
    assert {(pid, c) for pid, row in unsure.iterrows() for c, v in row.items() if v} == {(ZHAO, "gender")}
    assert derived.office == "某县政府办公室" and derived.office_source == "guessed"
    assert set(derived.photos) == {ZHANG, CHEN}


def test_derived_movements_exactly(derived):
    m = derived.movements
    got = [(r.person_id, r.date.strftime("%Y-%m-%d"), r.kind, r.from_section, r.to_section, r.from_position,
            r.to_position, r.from_rank, r.to_rank, bool(s))
           for r, s in zip(m.astype(object).where(m.notna(), None).itertuples(), derived.movement_sure)]
    assert got == [
        (WANG, "2002-07-01", "录用", None, "秘书科", None, "科员", None, "科员", True),
        (WANG, "2007-01-01", "轮岗", "秘书科", None, "科员", "科员", "科员", "科员", False),
        (WANG, "2011-01-01", "提拔", None, "信访科", "科员", "副科长", "科员", "副股级", True),
        (ZHAO, "2013-07-01", "录用", None, "秘书科", None, "科员", None, "科员", True),
        (ZHANG, "1986-07-01", "录用", None, "秘书科", None, "科员", None, "科员", True),
        (ZHANG, "1990-07-01", "提拔", "秘书科", "综合科", "科员", "副科长", "科员", "副股级", True),
        (ZHANG, "1995-01-01", "提拔", "综合科", "秘书科", "副科长", "科长", "副股级", "正股级", True),
        (ZHANG, "2001-04-01", "提拔", "秘书科", "主任室", "科长", "副主任", "正股级", "副科级", True),
        (ZHANG, "2005-01-01", "提拔", "主任室", "主任室", "副主任", "主任", "副科级", "正科级", True),
        (LI, "1996-01-01", "调入", None, "综合科", None, "科员", None, "科员", True),
        (LI, "2003-01-01", "提拔", "综合科", "综合科", "科员", "副科长", "科员", "副股级", True),
        (LI, "2009-01-01", "提拔", "综合科", "综合科", "副科长", "科长", "副股级", "正股级", True),
        (CHEN, "1997-07-01", "录用", None, "秘书科", None, "科员", None, "科员", True),
        (CHEN, "2004-07-01", "提拔", "秘书科", "秘书科", "科员", "副科长", "科员", "副股级", True),
        (CHEN, "2013-01-01", "提拔", "秘书科", "秘书科", "副科长", "科长", "副股级", "正股级", True),
    ]


def test_derived_grades_exactly(derived):
    a = derived.assessments
    got = sorted(zip(a["person_id"], a["period"], a["grade"], a["source"], a["de"].isna()))
    assert got == sorted([
        (ZHANG, "2019", "称职", "综合", True), (ZHANG, "2020", "称职", "综合", True),
        (ZHANG, "2021", "优秀", "综合", True),
        (LI, "2019", "称职", "综合", True), (LI, "2020", "称职", "综合", True), (LI, "2021", "称职", "综合", True),
        (WANG, "2019", "优秀", "综合", True), (WANG, "2020", "称职", "综合", True),
        (CHEN, "2019", "优秀", "综合", True), (CHEN, "2020", "称职", "综合", True),
        (CHEN, "2021", "基本称职", "综合", True)])


def test_gaps_name_file_tag_and_value(derived):
    got = [(g.file, g.column, g.row, g.value, g.code) for g in derived.gaps]
    assert got == [
        ("王磊.lrmx", "JianLi（简历）", 3, "2007.01--2010.12  某县政府办公室档案科科员", "resume_section"),
        ("赵敏.lrmx", "XingBie（性别）", None, None, "tag_missing"),
    ]


def test_an_office_given_that_the_posts_are_not_in():
    people, _t, _p = X.read_people([("王磊.lrmx", L.WANG)])
    d = derive(people, office="某市人民政府办公室")
    assert d.office_source == "option"
    assert [g.code for g in d.gaps] == ["post_outside_office", "section_unknown"]
    assert len(d.movements) == 0  # no 简历 line is inside that office


def test_corrections_make_a_cell_certain():
    people, _t, _p = X.read_people([("赵敏.lrmx", L.ZHAO)])
    d = derive(people, corrections={(ZHAO, "gender", ""): "女"})
    assert d.roster.loc[0, "gender"] == "女" and not d.unsure.loc[0].any() and d.gaps == []
    d = derive(people, corrections={(ZHAO, "gender", ""): "不知"})  # not a contract value
    assert d.unsure.loc[0, "gender"]


# ------------------------------------------------------------ the CLI

def test_cli_gaps_reject_then_accept_derived_mixed_with_csv(tmp_path):
    db = tmp_path / "s.duckdb"
    csv = ("编号,考核期,德,能,勤,绩\n"
           f"{ZHANG},2022,18,18,18,36\n").encode("gbk")
    paths = write(tmp_path, L.office_files() + [("坏.lrmx", L.BROKEN), ("scores.csv", csv)])
    out = cadre("ingest", *paths, "--json", db=db, check=1)
    errors = json.loads(out.stdout)["errors"]
    assert [(e["file"], e["column"], e["row"], e["value"]) for e in errors] == [
        ("坏.lrmx", None, 5, None),
        ("王磊.lrmx", "JianLi（简历）", 3, "2007.01--2010.12  某县政府办公室档案科科员"),
        ("赵敏.lrmx", "XingBie（性别）", None, None),
    ]
    assert "坏.lrmx" in errors[0]["message"] and "第 5 行" in errors[0]["message"]
    con = store.connect(db)
    assert con.execute("select count(*) from roster").fetchone()[0] == 0
    con.close()

    out = cadre("ingest", *paths, "--accept-derived", "--office", "某县政府办公室", "--json", db=db, check=0)
    payload = json.loads(out.stdout)
    assert payload["loaded"] == {"roster": 4, "assessments": 12, "movements": 13}
    notes = [(n["file"], n["message"]) for n in payload["notes"]]
    assert any(f == "赵敏.lrmx" and "未载入" in m for f, m in notes)
    assert any(f == "坏.lrmx" and "第 5 行" in m for f, m in notes)
    con = store.connect(db)
    roster = dict(con.execute("select person_id, section from roster").fetchall())
    assert roster == {ZHANG: "主任室", LI: "综合科", WANG: "信访科", CHEN: "秘书科"}
    assert con.execute("select count(*) from movements where person_id = ?", [WANG]).fetchone()[0] == 2
    scored = con.execute("select period, de, grade from assessments where person_id = ? order by period",
                         [ZHANG]).fetchall()
    assert scored == [("2019", None, "称职"), ("2020", None, "称职"), ("2021", None, "优秀"),
                      ("2022", 18.0, None)]
    photos = con.execute("select person_id, mime, octet_length(photo) from person_photos order by 1").fetchall()
    assert photos == sorted([(ZHANG, "image/jpeg", len(L.JPEG)), (CHEN, "image/jpeg", len(L.JPEG))])
    # grade-only years are not assessment periods to score
    periods = store.query(con, "frame_periods")["period"].tolist()
    assert periods == ["2022"]
    con.close()


def test_cli_lrm_alone_in_english(tmp_path):
    db = tmp_path / "s.duckdb"
    paths = write(tmp_path, [("陈刚.lrm", L.lrm_bytes()), ("陈刚.pic", L.JPEG)])
    out = cadre("ingest", *paths, "--json", "--lang", "en", db=db, check=0)
    payload = json.loads(out.stdout)
    assert payload["loaded"] == {"roster": 1, "assessments": 3, "movements": 3}
    assert any("hash of name and birth month" in n["message"] for n in payload["notes"])


# ------------------------------------------------------------ issue 20.1, 21.2–21.4: hostile and odd forms

def _real_jpeg(side: int) -> bytes:
    """A real JPEG of noise (noise does not compress: ~1 KB per 1,000 pixels)."""
    from PIL import Image
    buf = io.BytesIO()
    Image.effect_noise((side, side), 80).convert("RGB").save(buf, format="JPEG", quality=95)
    return buf.getvalue()


@pytest.mark.parametrize("wrap", [76, 64, None])
def test_a_photo_over_48_kb_loads_whole_whatever_the_wrapping(wrap):
    jpeg = _real_jpeg(440)
    assert 130_000 < len(jpeg) < X.MAX_PHOTO
    b64 = base64.b64encode(jpeg).decode("ascii")
    text = b64 if wrap is None else "\r\n".join(b64[i:i + wrap] for i in range(0, len(b64), wrap))
    person, problems = X.read_lrmx("照片.lrmx", L._xml({"XingMing": "甲", "ZhaoPian": text}))
    assert problems == [] and person.photo == jpeg


def test_a_photo_over_the_limit_is_refused_naming_the_limit(monkeypatch):
    jpeg = _real_jpeg(200)
    monkeypatch.setattr(X, "MAX_PHOTO", len(jpeg) - 1)
    person, [p] = X.read_lrmx("大.lrmx", L._xml({"XingMing": "甲"}, photo=jpeg))
    assert p.code == "photo_too_large" and person.photo is None
    assert "大.lrmx" in p.message("zh") and "MB" in p.message("en")


@pytest.mark.parametrize("br", ["<br>", "<br/>", "<br />", "<BR>", "&lt;br&gt;"])
def test_raw_line_breaks_in_the_resume_are_read_as_lines(br):
    resume = br.join(["1991.03--1995.12 某乡政府办事员", "1996.01--2002.12 某县政府办公室综合科科员",
                      "2003.01-- 某县政府办公室综合科科长"])
    person, problems = X.read_lrmx("李.lrmx", L._xml({"XingMing": "李秀英", "JianLi": resume,
                                                      "XianRenZhiWu": "某县政府办公室综合科科长"}))
    assert problems == []
    assert person.tags["JianLi"].split("\n") == [
        "1991.03--1995.12 某乡政府办事员", "1996.01--2002.12 某县政府办公室综合科科员",
        "2003.01-- 某县政府办公室综合科科长"]


def test_a_file_broken_otherwise_is_refused_at_its_line_in_the_users_language():
    data = L._xml({"XingMing": "甲", "JianLi": "2001.01--<br>2002.01 某单位"}).replace(
        b"</XingMing>", b"</XingMin>")
    _person, [p] = X.read_lrmx("坏.lrmx", data)
    assert p.code == "xml_broken" and p.row == 3
    zh, en = p.message("zh"), p.message("en")
    assert "第 3 行" in zh and "开始标签与结束标签不匹配" in zh and "mismatched" not in zh
    assert "line 3" in en and "does not match" in en


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be", "utf-32"])
def test_a_dtd_anywhere_in_any_encoding_is_refused(encoding):
    text = ('<?xml version="1.0" encoding="{enc}"?><!--{pad}--><!DOCTYPE Person ['
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<Person><XingMing>&b;</XingMing></Person>').format(enc=encoding.upper(), pad="x" * 70_000)
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    people, _tables, problems = X.read_people([("bomb.lrmx", data)])
    assert people == [] and [(p.file, p.code) for p in problems] == [("bomb.lrmx", "xml_dtd")]
    assert "bomb.lrmx" in problems[0].message("zh")


def test_an_external_entity_after_the_first_64_kb_is_refused():
    data = (b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE Person ['
            b'<!ENTITY e SYSTEM "file:///etc/passwd">]><Person><XingMing>&e;</XingMing></Person>')
    _person, [p] = X.read_lrmx("ext.lrmx", data)
    assert p.code == "xml_dtd"


def test_a_utf16_file_without_a_dtd_still_loads():
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<Person><XingMing>乙</XingMing></Person>'.encode("utf-16")
    person, problems = X.read_lrmx("乙.lrmx", data)
    assert problems == [] and person.tags == {"XingMing": "乙"}


def test_a_nul_in_an_lrm_names_the_file_and_the_field():
    data = L.lrm_bytes().replace("陈刚".encode("gbk"), "陈".encode("gbk") + b"\x00")
    person, [p] = X.read_lrm("陈刚.lrm", data)
    assert person is None and p.code == "lrm_control" and p.column == "XingMing（姓名）"
    assert "陈刚.lrm" in p.message("zh") and "U+0000" in p.message("zh") and "姓名" in p.message("zh")
    assert "field 1" in p.message("en")


def test_cli_a_nul_in_an_lrm_is_a_message_not_a_traceback(tmp_path):
    data = L.lrm_bytes().replace("2013.01--".encode("gbk"), b"2013.01\x00--")  # in 简历, the 18th field
    paths = write(tmp_path, [("陈刚.lrm", data)])
    out = cadre("ingest", *paths, db=tmp_path / "s.duckdb")
    assert out.returncode != 0 and "Traceback" not in out.stderr and "KeyError" not in out.stderr
    shown = out.stdout + out.stderr
    assert "陈刚.lrm" in shown and "U+0000" in shown and "第 18 个字段 JianLi（简历）" in shown


def test_an_unclosed_quote_in_an_lrm_is_said_in_the_users_language():
    _person, [p] = X.read_lrm("半.lrm", b'"a","b')
    assert p.code == "lrm_broken" and p.row == 1
    assert "引号没有结束" in p.message("zh") and "not closed" in p.message("en")


def test_a_person_with_raw_br_and_a_135_kb_photo_loads_and_the_store_holds_the_photos_bytes(tmp_path):
    """Issues 20.1 and 21.3 end to end: the person loads (not refused as
    'mismatched tag'), and the stored photo is the source's bytes."""
    from cadre import batches
    jpeg = _real_jpeg(440)
    li = L._xml({
        "XingMing": "李秀英", "XingBie": "女", "ChuShengNianYue": "1972.03", "CanJiaGongZuoShiJian": "199103",
        "QuanRiZhiJiaoYu_XueLi": "大专", "XianRenZhiWu": "某县政府办公室综合科科长",
        "JianLi": "199103--199512\u3000某乡政府办事员<br>199601--200212\u3000某县政府办公室综合科科员<BR/>"
                  "2003.01--2008.12　某县政府办公室综合科副科长<br />2009.01--至今  某县政府办公室综合科科长",
        "NianDuKaoHeJieGuo": "(无)"}, photo=jpeg)
    con = store.connect(tmp_path / "s.duckdb")
    try:
        result = batches.ingest(con, [("李秀英.lrmx", li)], office=L.OFFICE, accept_derived=True)
        assert result.ok, [p.message("zh") for p in result.upload.problems]
        assert con.execute("select name from roster where person_id = ?", [LI]).fetchone() == ("李秀英",)
        assert con.execute("select count(*) from movements where person_id = ?", [LI]).fetchone()[0] >= 2
        stored = con.execute("select photo from person_photos where person_id = ?", [LI]).fetchone()[0]
    finally:
        con.close()
    assert bytes(stored) == jpeg


def test_a_photo_of_2_5_mb_loads_whole():
    """The stated limit is 4 MB decoded (contract): well past 2 MB loads."""
    jpeg = _real_jpeg(1560)
    assert 2_300_000 < len(jpeg) < X.MAX_PHOTO
    person, problems = X.read_lrmx("大照片.lrmx", L._xml({"XingMing": "甲"}, photo=jpeg))
    assert problems == [] and person.photo == jpeg
