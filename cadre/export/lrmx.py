"""The 任免审批表 the product writes: an ``.lrmx`` file the cadre-management
system reads (``../shared/docs/lrmx.md``), from what the store knows of one
person, with 拟任职务 and 任免理由 filled in.

What the store does not know is left blank, never guessed: no 民族, 籍贯,
family or 奖惩 unless the store holds them (it does not), an 入党时间 that
names the political status but no date, 简历 lines only for the posts the
office's own movements record. The file loads back through
:mod:`cadre.ingest.lrmx` and :mod:`cadre.ingest.derive` to the same person,
posts and annual grades (tests/cadre/export/test_lrmx_writer.py), with one
stated difference: a 调入 reads back as 录用, because the form carries no
line for the unit the person came from.
"""
from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pandas as pd

from cadre import store

# The tags of a complete form, in the order the editors write them.
TAGS = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi", "RuDangShiJian",
    "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu", "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu",
    "NiRenZhiWu", "NiMianZhiWu", "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou",
    "JiaTingChengYuan", "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen",
    "ShenFenZheng", "ZhaoPian",
)
_ID_CARD_LENGTHS = (15, 18)
_EXITS = ("调出", "退休")
_POSTS = ("录用", "调入", "提拔", "轮岗", "免职")


@dataclass
class PersonForm:
    """Everything one 任免审批表 says, as text (empty: not known)."""
    person_id: str
    fields: dict = field(default_factory=dict)      # tag -> text
    resume: list = field(default_factory=list)       # [(start, end or None, post text)]
    grades: list = field(default_factory=list)       # [(year, grade)]
    photo: bytes | None = None
    age: int | None = None                           # full years at 计算年龄时间


def _known(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and v is not pd.NaT and str(v) != ""


def _month(d) -> str:
    return pd.Timestamp(d).strftime("%Y%m") if _known(d) else ""


def post_text(office: str | None, section, position, rank, settings: dict) -> str:
    """The post as the form writes it: unit, section (not for the office's
    leadership), then the post, or the rank when the person holds no post;
    a rank other than the one the post carries follows it (「综合科科员、副股级」)."""
    leadership = settings.get("leadership_section") or "主任室"
    post = position if _known(position) else (rank if _known(rank) else "")
    where = "" if (not _known(section) or section == leadership) else str(section)
    text = f"{office or ''}{where}{post}"
    if _known(position) and _known(rank) and rank != _post_rank(section, position, settings):
        text += f"、{rank}"
    return text


def _post_rank(section, position, settings: dict):
    """The rank a post carries by the settings' post table (as the import reads it)."""
    table = settings.get("post_ranks") or {}
    own = table.get(section) if _known(section) else None
    return (own or {}).get(position) if own and position in own else (table.get("") or {}).get(position)


def resume_lines(moves: pd.DataFrame, office: str | None, settings: dict, post_since=None,
                 post: tuple = (None, None)) -> list[tuple]:
    """(start, end or None, post text) per post the movements record, in order:
    a post's line ends the month before the next one starts (a new rank in
    the same post is a new line), an exit closes the last. ``post_since``
    and ``post`` (the roster's 任现职时间 and (section, position)) start a
    first line when the first move is a new rank in that same post."""
    lines: list[list] = []
    current = None
    first = next(moves.itertuples(index=False), None)
    if (first is not None and _known(post_since) and pd.Timestamp(post_since) < pd.Timestamp(first.date)
            and _known(first.from_position) and (first.from_section, first.from_position) == tuple(post)):
        # The post the first recorded move left, held since the roster's
        # 任现职时间 (the person's post has not changed since: a move in rank).
        current = (first.from_section, first.from_position, first.from_rank if _known(first.from_rank) else None)
        lines.append([pd.Timestamp(post_since), None, post_text(office, *current, settings)])
    for m in moves.itertuples(index=False):
        date = pd.Timestamp(m.date)
        if m.kind in _EXITS:
            if lines and lines[-1][1] is None:
                lines[-1][1] = _month_before(date, lines[-1][0])
            current = None
            continue
        if m.kind not in _POSTS:
            continue
        section = m.to_section if _known(m.to_section) else m.from_section
        position = m.to_position if _known(m.to_position) else None
        rank = m.to_rank if _known(m.to_rank) else m.from_rank
        post = (section if _known(section) else None, position if _known(position) else None,
                rank if _known(rank) else None)
        if post == current and lines and lines[-1][1] is None:
            current = post
            continue
        if lines and lines[-1][1] is None:
            lines[-1][1] = _month_before(date, lines[-1][0])
        lines.append([date, None, post_text(office, *post, settings)])
        current = post
    return [tuple(x) for x in lines]


def _month_before(date: pd.Timestamp, start: pd.Timestamp) -> pd.Timestamp:
    before = (date.replace(day=1) - pd.offsets.MonthBegin(1))
    return max(before, start.replace(day=1))


def resume_text(lines: list[tuple]) -> str:
    """「1990.07--1994.12  某县政府办公室综合科副科长」, one line a post; an open
    end is the separator alone."""
    out = []
    for start, end, text in lines:
        span = f"{start:%Y.%m}--{end:%Y.%m}" if end is not None else f"{start:%Y.%m}--"
        out.append(f"{span:<16}  {text}".rstrip())
    return "\n".join(out)


def grades_text(grades: list[tuple]) -> str:
    """「1999年度考核为称职；2000年度考核为优秀」, which the import reads back."""
    return "；".join(f"{year}年度考核为{grade}" for year, grade in grades)


def _age(birth, at: dt.date) -> int | None:
    if not _known(birth):
        return None
    b = pd.Timestamp(birth)
    return at.year - b.year - ((at.month, at.day) < (b.month, b.day))


def _political(status) -> str:
    """入党时间 carries a date, a party name or both; the store knows the
    status only, so the form names it and gives no date."""
    return str(status) if _known(status) else ""


def gather(con, settings: dict, person_id: str, *, proposed_post: str = "", proposed_removal: str = "",
           reason: str = "", filled_by: str = "", filled_on: dt.date | None = None) -> PersonForm | None:
    """The form of one person from the store (None when the roster has no
    such person). ``filled_on`` is also the date ages are counted at."""
    rows = store.query(con, "roster_person", person_id=person_id)
    if not len(rows):
        return None
    p = rows.iloc[0]
    filled_on = filled_on or dt.date.today()
    office = (settings.get("office_name") or "").strip() or None
    moves = store.query(con, "lrmx_movements", person_id=person_id)
    grades = store.query(con, "lrmx_grades", person_id=person_id)
    photo = store.query(con, "intake_person_photo", person_id=person_id)
    form = PersonForm(str(p["person_id"]))
    full = p["education_mode"] != "在职"   # 全日制, or not said: the full-time line
    education = str(p["education"]) if _known(p["education"]) else ""
    current = post_text(office, p["section"], p["position"], p["rank"], settings)
    lines = resume_lines(moves, office, settings, p["post_since"], (p["section"], p["position"]))
    if not lines and _known(p["post_since"]):
        lines = [(pd.Timestamp(p["post_since"]), None, current)]
    pid = str(p["person_id"])
    form.fields = {
        "XingMing": str(p["name"]), "XingBie": str(p["gender"]) if _known(p["gender"]) else "",
        "ChuShengNianYue": _month(p["birth_date"]), "RuDangShiJian": _political(p["political_status"]),
        "CanJiaGongZuoShiJian": _month(p["join_work_date"]),
        "QuanRiZhiJiaoYu_XueLi": education if full else "",
        "ZaiZhiJiaoYu_XueLi": "" if full else education,
        "XianRenZhiWu": current, "NiRenZhiWu": proposed_post or "", "NiMianZhiWu": proposed_removal or "",
        "JianLi": resume_text(lines), "NianDuKaoHeJieGuo": grades_text(list(grades.itertuples(index=False))),
        "RenMianLiYou": reason or "", "ChengBaoDanWei": office or "",
        "JiSuanNianLingShiJian": filled_on.strftime("%Y%m%d"), "TianBiaoShiJian": filled_on.strftime("%Y%m%d"),
        "TianBiaoRen": filled_by or "",
        # the person number is an ID card number only when it has that form
        "ShenFenZheng": pid if len(pid) in _ID_CARD_LENGTHS and pid[:-1].isdigit() else "",
    }
    form.resume = lines
    form.grades = [(str(r.period), str(r.grade)) for r in grades.itertuples(index=False)]
    form.photo = bytes(photo.iloc[0]["photo"]) if len(photo) else None
    form.age = _age(p["birth_date"], filled_on)
    return form


def to_lrmx(form: PersonForm) -> bytes:
    """The form as an ``.lrmx`` file: UTF-8 XML with a declaration, root
    ``Person``, every tag of a complete form (empty where not known)."""
    root = ET.Element("Person")
    for tag in TAGS:
        el = ET.SubElement(root, tag)
        if tag == "ZhaoPian":
            if form.photo:
                raw = base64.b64encode(form.photo).decode("ascii")
                el.text = "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))
        elif tag == "JiaTingChengYuan":
            continue  # not known to the store: no Item
        else:
            el.text = form.fields.get(tag, "")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def file_name(form: PersonForm) -> str:
    """``<姓名>_<person number>.lrmx``: the name a clerk finds it by, the number to tell namesakes apart."""
    name = "".join(ch for ch in form.fields.get("XingMing", "") if ch not in '\\/:*?"<>|') or "person"
    return f"{name}_{form.person_id}.lrmx"
