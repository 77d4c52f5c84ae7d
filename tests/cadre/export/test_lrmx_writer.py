"""The 任免审批表 the product writes (issue 22, item 4): an ``.lrmx`` that is
valid XML and loads back through the product's own import to the same
person, posts and grades; a printed form of one A4 sheet, front and back,
whose text extracts as ordinary Chinese from real embedded fonts; fields the
store does not know left blank."""
from __future__ import annotations

import datetime as dt
import io

import defusedxml.ElementTree as DET
import pandas as pd
import pytest
from PIL import Image

from cadre import settings as S
from cadre import store
from cadre.export import lrmx as writer
from cadre.export import lrmx_form
from cadre.ingest import derive, lrmx as reader
from tests.cadre.export.test_pdf_printer import _check_printed, _flat

OFFICE = "某市人民政府办公室"
FILLED = dt.date(2002, 1, 15)


@pytest.fixture
def office(demo_con):
    settings = store.get_settings(demo_con)
    settings["office_name"] = OFFICE
    return demo_con, settings


def _form(con, settings, pid, **kw):
    return writer.gather(con, settings, pid, filled_by="王主任", filled_on=FILLED, **kw)


def _read_back(con, settings, form):
    person, problems = reader.read_lrmx(writer.file_name(form), writer.to_lrmx(form))
    assert not problems, [p.message() for p in problems]
    sections = sorted(con.execute("select distinct section from roster").df()["section"])
    return person, derive.derive([person], settings, office=OFFICE, sections=sections)


def _month(v) -> str:
    return "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m")


def test_every_demo_person_loads_back_to_the_same_person_posts_and_grades(office):
    con, settings = office
    roster = con.execute("select * from roster order by person_id").df()
    for row in roster.itertuples(index=False):
        form = _form(con, settings, row.person_id)
        _, got = _read_back(con, settings, form)
        assert not got.gaps, (row.person_id, [g.message() for g in got.gaps])
        back = got.roster.iloc[0]
        for col in ("name", "gender", "education", "education_mode", "section", "position", "rank",
                    "political_status"):
            want = getattr(row, col)
            assert (back[col] if not pd.isna(back[col]) else None) == (want if not pd.isna(want) else None), \
                (row.person_id, col, back[col], want)
        for col in ("birth_date", "join_work_date"):
            assert _month(back[col]) == _month(getattr(row, col)), (row.person_id, col)
        # every post the store's movements record comes back, in order, in its month
        stored = con.execute(
            "select date, to_section, to_position, to_rank from movements "
            "where person_id = ? and kind not in ('调出', '退休') order by date, seq", [row.person_id]).df()
        came = [(_month(m.date), m.to_section, m.to_position, m.to_rank) for m in got.movements.itertuples()]
        want = [(_month(m.date), m.to_section, m.to_position, m.to_rank) for m in stored.itertuples()]
        assert [w for w in want if w in came] == want, (row.person_id, came, want)
        grades = con.execute(
            "select period, max(grade) from assessments where person_id = ? and period_kind = 'annual' "
            "and grade is not null group by period order by period", [row.person_id]).fetchall()
        assert sorted(zip(got.assessments["period"], got.assessments["grade"])) == [tuple(g) for g in grades]


def test_the_file_is_utf8_xml_with_the_proposal_and_nothing_invented(office):
    con, settings = office
    form = _form(con, settings, "YZ0010", proposed_post=f"{OFFICE}秘书一科副科长", reason="工作需要<&>")
    data = writer.to_lrmx(form)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = DET.fromstring(data, forbid_dtd=True)
    assert root.tag == "Person" and not root.attrib
    tags = {el.tag: (el.text or "") for el in root}
    assert set(writer.TAGS) <= set(tags)
    assert tags["NiRenZhiWu"] == f"{OFFICE}秘书一科副科长" and tags["RenMianLiYou"] == "工作需要<&>"
    # the store knows no 民族, 籍贯, family, 奖惩 or ID card number for a demo person
    for tag in ("MinZu", "JiGuan", "ChuShengDi", "JiangChengQingKuang", "ShenFenZheng", "ZhaoPian"):
        assert tags[tag] == "", tag
    assert len(root.find("JiaTingChengYuan")) == 0
    assert tags["JiSuanNianLingShiJian"] == "20020115" and tags["TianBiaoRen"] == "王主任"
    assert tags["JianLi"].splitlines() == ["1996.07--1997.02  某市人民政府办公室秘书一科科员",
                                            "1997.03--1998.10  某市人民政府办公室秘书一科科员、副股级"]


def test_an_id_card_number_and_a_photo_travel_whole(office):
    con, settings = office
    form = _form(con, settings, "YZ0010")
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 80, 40)).save(buf, "JPEG")
    form.photo = buf.getvalue()
    form.fields["ShenFenZheng"] = "11010519491231002X"
    person, _ = reader.read_lrmx("x.lrmx", writer.to_lrmx(form))
    assert person.photo == form.photo
    assert person.tags["ShenFenZheng"] == "11010519491231002X"
    # a person number of the ID card's form is written as one; another is not
    assert writer.gather(con, settings, "YZ0010").fields["ShenFenZheng"] == ""


def test_unknown_person_gives_no_form(office):
    con, settings = office
    assert writer.gather(con, settings, "NOBODY") is None


def test_a_rank_the_post_does_not_carry_and_a_rank_change_in_one_post_read_back():
    """The import read 「综合科科员、副股级」 as 科员 (the post's rank) and
    skipped a 简历 line that changed the rank only, losing the 提拔."""
    settings = S.defaults()
    text = ("1996.07--1997.02  某市人民政府办公室综合科科员\n"
            "1997.03--  某市人民政府办公室综合科科员、副股级")
    person = reader.PersonFile("a.lrmx", "lrmx", {"XingMing": "甲", "XingBie": "男", "ChuShengNianYue": "197001",
                                          "QuanRiZhiJiaoYu_XueLi": "大学本科",
                                          "XianRenZhiWu": "某市人民政府办公室综合科科员、副股级", "JianLi": text})
    got = derive.derive([person], settings, office=OFFICE, sections=["综合科"])
    row = got.roster.iloc[0]
    assert (row["position"], row["rank"]) == ("科员", "副股级")
    assert list(got.movements["kind"]) == ["录用", "提拔"]
    assert _month(row["post_since"]) == "1996-07" and _month(row["rank_since"]) == "1997-03"


def test_the_printed_form_is_one_a4_sheet_front_and_back_in_real_fonts(office):
    con, settings = office
    form = _form(con, settings, "YZ0010", proposed_post=f"{OFFICE}秘书一科副科长", reason="拟提拔任用")
    pdf = lrmx_form.form_pdf(form)
    reader_, text = _check_printed(pdf)
    assert len(reader_.pages) == 2
    for page in reader_.pages:
        w, h = (float(x) for x in page.mediabox.upper_right)
        assert abs(w - 595) < 3 and abs(h - 842) < 3
    flat = _flat(text)
    for label in ("干部任免审批表", "姓名", "出生年月", "现任职务", "拟任职务", "简", "奖惩", "年度考核结果",
                  "任免理由", "家庭主要成员", "呈报单位", "审批机关意见", "行政机关任免意见", "填表人"):
        assert _flat(label) in flat, label
    for value in ("沈辉永", "1949.07（52岁）", "某市人民政府办公室秘书一科副科长", "拟提拔任用",
                  "1997.03—1998.10", "1997年度考核为称职", "2002年1月15日"):
        assert _flat(value) in flat, value
    back = _flat(reader_.pages[1].extract_text())
    assert "奖惩" in back and "简历" not in back


def test_the_form_shows_data_as_text():
    form = writer.PersonForm("X1", fields={"XingMing": "<b>甲</b>", "RenMianLiYou": "<script>x</script>"})
    doc = lrmx_form.form_html(form)
    assert "<b>甲</b>" not in doc and "&lt;b&gt;甲&lt;/b&gt;" in doc and "<script>x" not in doc
