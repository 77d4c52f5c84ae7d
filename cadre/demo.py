"""The demo office generator.

The default office is the one the seed article describes: the government
office (市政府办公室) of a county-level city, 1997-2001, about 66-72 people in
eight sections plus the leadership (主任室). It is generated with a fixed
random seed, so the same arguments always give the same tables and the same
file bytes.

``generate(people=None, years=None, seed=1999)`` returns the three upload
datasets as DataFrames in the data contract's upload format, with Chinese
headers, dates as ISO strings and periods as ``'1999'`` / ``'1999Q3'``.
``write_files(out_dir, ...)`` writes them as one workbook (``cadre_demo.xlsx``,
sheets 人员名册, 考核成绩, 任免记录) and three CSV files in the encodings an
office meets: ``roster.csv`` UTF-8 with BOM, ``assessments.csv`` UTF-8,
``movements.csv`` GBK with CRLF line ends (what Excel on a Chinese Windows
writes).

Sizes. ``people`` is the headcount at the start of the data (default: the
seed office of 66); ``years`` the number of calendar years, which always end
in 2001 (default 5, i.e. 1997-2001; ``years=10`` gives 1992-2001). Only the
default office (``people=None`` and ``years`` None or 5) is scripted so that
the seed's 1999 figures hold exactly under the contract's definitions:

- promotions to 副科级 or 正科级: 5 (one 副主任 becomes 主任, four section
  heads become 副主任);
- transfer-outs that are promotions: 3 (three 副股级 deputies leave for city
  departments at 正股级);
- the heads of all 8 sections change;
- 16 new middle-level cadres (4 transferred in, 12 promoted inside).

Any other size keeps the texture (an egalitarian 法制科, turn-taking 优秀 in
接待科, self-evaluations above the director office's, younger and better
educated hires, a few people sitting in one post for 6+ years) with an office
of many sections (about 8 people each). Everything but a loop over the
years, and at the default size a short loop over the scripted 1999
movements, is vectorised: 10,000 people over 10 years take seconds.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from cadre import settings as settings_mod

END_YEAR = 2001
DEFAULT_YEARS = 5
DEFAULT_SEED = 1999
SEED_YEAR = 1999

LEADERSHIP = "主任室"
BASE_SECTIONS = ["秘书一科", "秘书二科", "综合科", "信息科", "督查室", "法制科", "行政科", "接待科"]
EGALITARIAN_SECTION = "法制科"   # everyone within a point or two, every period
TURN_TAKING_SECTION = "接待科"   # 优秀 rotates among people not on top
# Seed office: headcount of each section on 1 January 1997 (leadership: 主任 + 4 副主任).
SEED_SIZES = [8, 8, 8, 7, 6, 7, 9, 8]
SEED_LEAD_DEPUTIES = 4
# Seed office: headcount wanted in office at each year's end (hires fill up to it).
SEED_TARGETS = {1997: 66, 1998: 66, 1999: 68, 2000: 70, 2001: 71}

LADDER = settings_mod.DEFAULTS["ladder"]
R_BSY, R_KY, R_FG, R_ZG, R_FK, R_ZK = range(6)   # 办事员 .. 正科级
SOURCES = settings_mod.SOURCES
SOURCE_WEIGHTS = np.array([settings_mod.DEFAULTS["source_weights"][s] for s in SOURCES])
# Mean offset of each source's total from the person's level: self-evaluation
# runs above the director office's.
SOURCE_BIAS = np.array([0.0, 0.3, -0.8, 1.8])
RETIRE_AGE = settings_mod.DEFAULTS["retirement_age"]

ROSTER_COLUMNS = ["编号", "姓名", "性别", "出生日期", "学历", "学历类型", "专业", "政治面貌",
                  "参加工作时间", "科室", "职务", "职级", "任现职级时间", "任现岗位时间", "状态", "后备干部"]
ASSESSMENT_COLUMNS = ["编号", "考核期", "考核主体", "德", "能", "勤", "绩", "总分", "等次", "科室"]
MOVEMENT_COLUMNS = ["编号", "日期", "类型", "原科室", "新科室", "原职务", "新职务", "原职级", "新职级",
                    "去向单位", "备注"]
SHEETS = {"roster": "人员名册", "assessments": "考核成绩", "movements": "任免记录"}
XLSX_NAME = "cadre_demo.xlsx"
CSV_FILES = {  # dataset -> (file name, encoding, line terminator)
    "roster": ("roster.csv", "utf-8-sig", "\n"),
    "assessments": ("assessments.csv", "utf-8", "\n"),
    "movements": ("movements.csv", "gbk", "\r\n"),
}
XLSX_MAX_ROWS = 1_048_575          # Excel's sheet limit, less the header
XLSX_NORMAL_MAX_CELLS = 2_000_000   # above it the workbook is written in write-only mode
XLSX_TIMESTAMP = dt.datetime(2002, 1, 1, 0, 0, 0)

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
                "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴孔汤")
GIVEN_M = list("建国华明军伟强平志东海文斌勇杰峰涛波辉俊刚永宏林卫国忠庆春荣进亮新兵健晓鹏飞宇浩")
GIVEN_F = list("芳英华玲丽萍红霞燕敏静秀娟梅琴兰云凤洁颖莉婷雪倩慧琳晶璐娜")
DESTINATIONS = ["市财政局", "市计划委员会", "市经济贸易委员会", "市民政局", "市人事局", "市劳动局",
                "市建设局", "市交通局", "市农林局", "市水利局", "市教育局", "市卫生局", "市文化局",
                "市审计局", "市统计局", "市物价局", "市工商行政管理局", "市土地管理局", "市司法局",
                "市信访局", "市委办公室", "市人大常委会办公室", "市政协办公室", "真州镇人民政府",
                "青山镇人民政府", "新集镇人民政府", "大仪镇人民政府", "刘集镇人民政府", "月塘乡人民政府"]
# Extra section names for large offices: unit + section.
UNITS = [d[1:] if d.startswith("市") else d for d in DESTINATIONS]
UNIT_SECTIONS = ["办公室", "综合科", "秘书科", "人事科", "计划财务科", "法规科", "信息科", "督查室",
                 "行政科", "接待科", "业务一科", "业务二科", "业务三科", "宣传科", "审批科", "监察室"]
MAJORS_HIGH = ["汉语言文学", "法学", "经济管理", "行政管理", "计算机应用", "会计学", "政治学",
               "历史学", "新闻学", "英语", "文秘", "统计学"]
MAJORS_MID = ["文秘", "财务会计", "计算机应用", "法律"]
EDU_RANK = {e: i for i, e in enumerate(reversed(settings_mod.EDUCATIONS))}  # 高中及以下 0 .. 研究生 4


# ------------------------------------------------------------------ helpers

def _day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def _add_years(dates: np.ndarray, years) -> np.ndarray:
    """Dates plus whole years (29 February falls back to the 28th)."""
    d = pd.DatetimeIndex(dates.astype("datetime64[ns]"))
    y = np.asarray(d.year + np.asarray(years), dtype=np.int64)
    m = np.asarray(d.month, dtype=np.int64)
    day = np.minimum(np.asarray(d.day, dtype=np.int64), np.where((m == 2) & ~_leap(y), 28, 31))
    return _ymd(y, m, day)


def _leap(y: np.ndarray) -> np.ndarray:
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


def _ymd(y, m, d) -> np.ndarray:
    y, m, d = (np.asarray(v, dtype=np.int64) for v in (y, m, d))
    months = (y - 1970) * 12 + (m - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)


def _first_of_next_month(dates: np.ndarray) -> np.ndarray:
    return (dates.astype("datetime64[M]") + 1).astype("datetime64[D]")


def _age(birth: np.ndarray, at: np.datetime64) -> np.ndarray:
    """Age in whole years at a date (the birthday has passed)."""
    b = pd.DatetimeIndex(birth.astype("datetime64[ns]"))
    a = pd.Timestamp(at)
    had = (np.asarray(b.month) < a.month) | ((np.asarray(b.month) == a.month) & (np.asarray(b.day) <= a.day))
    return a.year - np.asarray(b.year) - (~had).astype(int)


def _iso(dates: np.ndarray) -> np.ndarray:
    """datetime64[D] -> 'YYYY-MM-DD' (NaT -> None)."""
    out = np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").astype(object)
    out[np.isnat(dates)] = None
    return out


def _random_days(rng, n, year, first=(1, 1), last=(12, 31)) -> np.ndarray:
    lo = _day(f"{year}-{first[0]:02d}-{first[1]:02d}")
    hi = _day(f"{year}-{last[0]:02d}-{last[1]:02d}")
    return lo + rng.integers(0, int((hi - lo).astype(int)) + 1, size=n)


def _section_names(n_sections: int) -> list[str]:
    """The leadership first, then the base eight, then unit + section names."""
    names = [LEADERSHIP] + BASE_SECTIONS
    extra = n_sections - len(BASE_SECTIONS)
    round_no = 0
    while extra > 0:
        suffix = "" if round_no == 0 else f"{round_no + 1}"
        for unit in UNITS:
            for sec in UNIT_SECTIONS:
                if extra <= 0:
                    break
                names.append(f"{unit}{suffix}{sec}")
                extra -= 1
        round_no += 1
    return names


def _titles(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Head and deputy post titles per section (室 sections: 主任 / 副主任)."""
    head = np.array(["主任" if n.endswith("室") else "科长" for n in names], dtype=object)
    deputy = np.array(["副主任" if n.endswith("室") else "副科长" for n in names], dtype=object)
    return head, deputy


# ------------------------------------------------------------------ the office state

class _Office:
    """Person attributes and current state as parallel numpy arrays, plus the
    movements recorded so far (each with the state after it)."""

    ATTRS = ["name", "gender", "birth", "education", "mode", "major", "political", "join",
             "section", "position", "rank", "rank_since", "post_since", "in_office", "status",
             "reserve", "protected", "ability", "retire_date"]

    def __init__(self, sections: list[str], start: np.datetime64, end: np.datetime64):
        self.sections = sections
        self.head_title, self.deputy_title = _titles(sections)
        self.start, self.end = start, end
        self.a: dict[str, np.ndarray] = {}
        self.moves: list[dict[str, np.ndarray]] = []

    @property
    def n(self) -> int:
        return len(self.a["section"]) if self.a else 0

    def add_people(self, cols: dict[str, np.ndarray]) -> np.ndarray:
        first = self.n
        if not self.a:
            self.a = {k: np.asarray(v).copy() for k, v in cols.items()}
        else:
            for k in self.ATTRS:
                self.a[k] = np.concatenate([self.a[k], np.asarray(cols[k]).astype(self.a[k].dtype)])
        return np.arange(first, self.n)

    def is_middle(self, idx=None) -> np.ndarray:
        sec = self.a["section"] if idx is None else self.a["section"][idx]
        pos = self.a["position"] if idx is None else self.a["position"][idx]
        return (sec > 0) & ((pos == self.head_title[sec]) | (pos == self.deputy_title[sec]))

    def is_head(self, idx=None) -> np.ndarray:
        sec = self.a["section"] if idx is None else self.a["section"][idx]
        pos = self.a["position"] if idx is None else self.a["position"][idx]
        return (sec > 0) & (pos == self.head_title[sec])

    def move(self, idx, date, kind, to_section=None, to_position=None, to_rank=None,
             destination=None, note=None, from_blank=False, from_rank=None, from_position=None):
        """Record movements of people ``idx`` (arrays or scalars) and update their
        state. ``None`` for a to_* field keeps the value (and leaves it blank
        in the file for exits); ``from_blank`` leaves the from_* fields empty
        (hires: the person was not in the office)."""
        idx = np.atleast_1d(np.asarray(idx, dtype=np.int64))
        k = len(idx)
        if k == 0:
            return

        def full(v, dtype=object):
            if v is None:
                return np.full(k, None, dtype=object)
            return np.broadcast_to(np.asarray(v, dtype=dtype), (k,)).copy()

        date = np.broadcast_to(np.asarray(date, dtype="datetime64[D]"), (k,)).copy()
        exiting = kind in ("调出", "退休")
        cur_sec, cur_pos, cur_rank = (self.a["section"][idx].copy(), self.a["position"][idx].copy(),
                                      self.a["rank"][idx].copy())
        new_sec = cur_sec if to_section is None else full(to_section, np.int64)
        new_pos = cur_pos if to_position is None else full(to_position)
        new_rank = cur_rank if to_rank is None else full(to_rank, np.int64)
        rec = {
            "person": idx, "date": date, "kind": np.full(k, kind, dtype=object),
            "from_section": np.full(k, -1) if from_blank else cur_sec,
            "to_section": np.full(k, -1) if exiting else np.asarray(new_sec),
            "from_position": (full(from_position) if from_position is not None
                              else np.full(k, None, dtype=object) if from_blank else cur_pos),
            "to_position": np.full(k, None, dtype=object) if exiting and to_position is None else new_pos,
            "from_rank": (full(from_rank, np.int64) if from_rank is not None
                          else np.full(k, -1) if from_blank else cur_rank),
            "to_rank": np.full(k, -1) if exiting and to_rank is None else np.asarray(new_rank),
            "destination": full(destination), "note": full(note),
            "in_office_after": np.full(k, not exiting), "section_after": np.asarray(new_sec).copy(),
        }
        self.moves.append(rec)
        changed_post = (np.asarray(new_sec) != cur_sec) | (np.asarray(new_pos) != cur_pos)
        changed_rank = np.asarray(new_rank) != cur_rank
        self.a["section"][idx] = new_sec
        self.a["position"][idx] = new_pos
        self.a["rank"][idx] = new_rank
        if not exiting:
            self.a["post_since"][idx] = np.where(changed_post | (kind in ("调入", "录用")), date,
                                                 self.a["post_since"][idx])
        self.a["rank_since"][idx] = np.where(changed_rank | (kind in ("调入", "录用")), date,
                                             self.a["rank_since"][idx])
        if exiting:
            self.a["in_office"][idx] = False
            self.a["status"][idx] = kind
        else:
            self.a["in_office"][idx] = True


# ------------------------------------------------------------------ people

def _new_people(rng, n, ages_at, at: np.datetime64, kind: str) -> dict[str, np.ndarray]:
    """Attributes of ``n`` new people aged ``ages_at`` (years) at date ``at``.
    ``kind``: 'staff' (initial staff), 'young' (new graduates after 1999),
    'early' (new graduates before), 'mid' (mid-career transfers)."""
    ages = np.asarray(ages_at, dtype=float)
    gender = np.where(rng.random(n) < (0.62 if kind == "staff" else 0.5), "男", "女").astype(object)
    birth = at - np.round(ages * 365.25).astype(np.int64) - rng.integers(0, 365, n)
    birth = birth.astype("datetime64[D]")
    # education: older staff less schooled; young hires mostly university graduates
    u = rng.random(n)
    if kind == "young":
        edu_i = np.where(u < 0.2, 4, np.where(u < 0.9, 3, 2))
    elif kind == "early":
        edu_i = np.where(u < 0.35, 3, np.where(u < 0.85, 2, 1))
    elif kind == "mid":
        edu_i = np.where(u < 0.4, 3, np.where(u < 0.9, 2, 1))
    else:
        p_uni = np.clip(0.45 - (ages - 25) * 0.012, 0.05, 0.45)
        p_col = 0.40
        p_mid = np.clip(0.05 + (ages - 25) * 0.008, 0.05, 0.3)
        edu_i = np.where(u < 0.01, 4, np.where(u < p_uni, 3, np.where(u < p_uni + p_col, 2,
                         np.where(u < p_uni + p_col + p_mid, 1, 0))))
    educations = np.array(list(reversed(settings_mod.EDUCATIONS)), dtype=object)
    education = educations[edu_i]
    study_years = np.array([18, 19, 21, 22, 25])[edu_i]
    join = birth + np.round(study_years * 365.25).astype(np.int64) + rng.integers(30, 400, n)
    join = np.minimum(join.astype("datetime64[D]"), at - 30)
    mode = np.where((kind == "staff") & (rng.random(n) < 0.45) & (edu_i >= 2), "在职", "全日制").astype(object)
    major = np.where(edu_i >= 2, np.array(MAJORS_HIGH, dtype=object)[rng.integers(0, len(MAJORS_HIGH), n)],
                     np.where(edu_i == 1, np.array(MAJORS_MID, dtype=object)[rng.integers(0, len(MAJORS_MID), n)],
                              None)).astype(object)
    v = rng.random(n)
    young = ages < 28
    political = np.where(young, np.where(v < 0.35, "中共党员", np.where(v < 0.9, "共青团员", "群众")),
                         np.where(v < 0.84, "中共党员", np.where(v < 0.87, "民主党派", "群众"))).astype(object)
    name = _names(rng, gender)
    ability = rng.normal(0, 3.5, n) + np.where(rng.random(n) < 0.03, -10.0, 0.0)
    if kind == "young":
        ability = ability + 1.0
    retire_age = np.where(gender == "男", RETIRE_AGE["男"], RETIRE_AGE["女"])
    retire_date = _first_of_next_month(_add_years(birth, retire_age))
    return {
        "name": name.astype(object), "gender": gender, "birth": birth, "education": education,
        "mode": mode, "major": major, "political": political, "join": join,
        "section": np.zeros(n, dtype=np.int64), "position": np.full(n, "科员", dtype=object),
        "rank": np.full(n, R_KY, dtype=np.int64),
        "rank_since": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        "post_since": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        "in_office": np.ones(n, dtype=bool), "status": np.full(n, "在职", dtype=object),
        "reserve": np.zeros(n, dtype=bool), "protected": np.zeros(n, dtype=bool),
        "ability": ability, "retire_date": retire_date,
    }


def _names(rng, gender: np.ndarray) -> np.ndarray:
    """Chinese names (GBK-encodable) that fit each person's gender."""
    n = len(gender)
    surname = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    gm, gf = np.array(GIVEN_M, dtype=object), np.array(GIVEN_F, dtype=object)
    male = gender == "男"
    g1 = np.where(male, gm[rng.integers(0, len(gm), n)], gf[rng.integers(0, len(gf), n)])
    g2 = np.where(male, gm[rng.integers(0, len(gm), n)], gf[rng.integers(0, len(gf), n)])
    two = rng.random(n) < 0.7
    return (surname + g1 + np.where(two, g2, "")).astype(object)


def _initial_staff(rng, office: _Office, sizes: np.ndarray, n_lead_deputies: int, seeded: bool):
    """The office on its first day: leadership, then each section's head,
    deputy (two in sections of 10+) and staff."""
    start, end = office.start, office.end
    n_sec = len(sizes)
    sec = np.concatenate([np.zeros(1 + n_lead_deputies, dtype=np.int64),
                          np.repeat(np.arange(1, n_sec + 1), sizes)])
    n = len(sec)
    order = np.concatenate([np.arange(1 + n_lead_deputies),
                            np.concatenate([np.arange(s) for s in sizes]) if n_sec else []]).astype(int)
    lead = sec == 0
    head = (~lead) & (order == 0)
    sizes_of = np.r_[np.full(1 + n_lead_deputies, 0), np.repeat(sizes, sizes)]
    deputy = (~lead) & ((order == 1) | ((order == 2) & (sizes_of >= 10)))
    other = ~(lead | head | deputy)
    window = (end - start).astype(int) / 365.25
    # ages at the start; cadres young enough to stay through the window
    u = rng.random(n)
    age = np.where(u < 0.22, rng.uniform(22, 32, n), np.where(u < 0.58, rng.uniform(32, 45, n),
                                                             rng.uniform(45, 59.9, n)))
    age = np.where(head, rng.uniform(36, 54 - window, n), age)
    age = np.where(deputy, rng.uniform(29, 50 - window, n), age)
    age = np.where(lead, rng.uniform(42, 56 - window, n), age)
    cols = _new_people(rng, n, age, start, "staff")
    gender = cols["gender"]
    gender[head | lead] = np.where(rng.random((head | lead).sum()) < 0.85, "男", "女")
    # women retire at 55: keep the ages below it
    fem = gender == "女"
    cap = np.where(fem, RETIRE_AGE["女"], RETIRE_AGE["男"]) - 0.3
    age = np.minimum(age, cap - np.where(head | deputy | lead, window + 0.5, 0))
    cols = _redo_birth(rng, cols, age, start)
    cols["gender"] = gender
    cols["name"] = _names(rng, gender)
    cols["reserve"] = ((age < 40) & np.isin(cols["education"], ["大学本科", "研究生"])
                       & (cols["ability"] > 1.5) & ~(head | lead))
    cols["retire_date"] = _first_of_next_month(_add_years(
        cols["birth"], np.where(fem, RETIRE_AGE["女"], RETIRE_AGE["男"])))
    cols["section"] = sec
    service = (start - cols["join"]).astype(int) / 365.25
    rank = np.where(service < 2, R_BSY, np.where((service > 9) & (rng.random(n) < 0.35), R_FG, R_KY))
    rank = np.where(head, R_ZG, np.where(deputy, R_FG, rank))
    lead_pos = np.where(order == 0, "主任", "副主任")
    rank = np.where(lead, np.where(order == 0, R_ZK, R_FK), rank)
    position = np.where(rank == R_BSY, "办事员", "科员").astype(object)
    position = np.where(lead, lead_pos, position)
    position = np.where(head, office.head_title[sec], position)
    position = np.where(deputy, office.deputy_title[sec], position)
    cols["rank"] = rank.astype(np.int64)
    cols["position"] = position.astype(object)
    cols["rank_since"] = np.maximum(start - np.round(rng.uniform(0.5, 6, n) * 365.25).astype(int),
                                    cols["join"]).astype("datetime64[D]")
    cols["post_since"] = np.maximum(start - np.round(rng.uniform(0.2, 4.5, n) * 365.25).astype(int),
                                    cols["join"]).astype("datetime64[D]")
    # a few sit in one post for good: staff who will not retire in the window
    n_prot = 4 if seeded else max(3, n // 250)
    cand = np.flatnonzero(other & (cols["retire_date"] > end + 400) & (age > 33))
    prot = rng.choice(cand, size=min(n_prot, len(cand)), replace=False)
    cols["protected"][prot] = True
    six_before = _day(f"{int(str(end)[:4]) - 6}-06-30")
    cols["post_since"][prot] = np.maximum(six_before - rng.integers(0, 5 * 365, len(prot)),
                                          cols["join"][prot] + 200)
    cols["rank"][prot] = np.maximum(cols["rank"][prot], R_KY)
    cols["position"][prot] = "科员"
    cols["rank_since"][prot] = np.minimum(cols["rank_since"][prot], cols["post_since"][prot])
    return office.add_people(cols), dict(lead=lead, head=head, deputy=deputy, order=order)


def _redo_birth(rng, cols, age, at):
    """Re-derive birth and join dates after ages were adjusted."""
    old_join_gap = (cols["join"] - cols["birth"]).astype(int)
    birth = (at - np.round(age * 365.25).astype(np.int64)).astype("datetime64[D]")
    cols["birth"] = birth
    cols["join"] = np.minimum(birth + old_join_gap, at - 30).astype("datetime64[D]")
    return cols


# ------------------------------------------------------------------ the years

def _retire(office: _Office, year: int, moved: np.ndarray) -> np.ndarray:
    a = office.a
    lo, hi = _day(f"{year}-01-01"), _day(f"{year}-12-31")
    idx = np.flatnonzero(a["in_office"] & (a["retire_date"] >= lo) & (a["retire_date"] <= hi))
    office.move(idx, a["retire_date"][idx], "退休", note="到龄退休")
    moved[idx] = True
    return idx


def _background(rng, office: _Office, year: int, moved: np.ndarray, head_swaps: bool,
                target: int, seeded: bool):
    """One year's ordinary movements, vectorised: transfers out, promotions
    in rank, rotations of staff due, swaps of section heads, hires."""
    a = office.a
    n = office.n
    end_of_year = _day(f"{year}-12-31")
    staff = a["in_office"] & ~moved & ~a["protected"] & ~office.is_middle() & (a["section"] > 0)
    staff &= a["retire_date"] > end_of_year + 366   # not about to retire
    # transfers out at the same rank
    out = np.flatnonzero(staff & (rng.random(n) < 0.03))
    office.move(out, _random_days(rng, len(out), year), "调出", to_rank=a["rank"][out],
                destination=np.array(DESTINATIONS, dtype=object)[rng.integers(0, len(DESTINATIONS), len(out))])
    moved[out] = True
    staff[out] = False
    # promotions in rank, post unchanged
    years_in_rank = (_day(f"{year}-07-01") - a["rank_since"]).astype(int) / 365.25
    up1 = staff & (a["rank"] == R_BSY) & (years_in_rank >= 1) & (rng.random(n) < 0.6)
    up2 = staff & (a["rank"] == R_KY) & (years_in_rank >= 4) & (rng.random(n) < 0.06)
    for mask, new_rank, pos, note in ((up1, R_KY, "科员", "试用期满定级"), (up2, R_FG, None, "晋升职级")):
        idx = np.flatnonzero(mask)
        office.move(idx, _random_days(rng, len(idx), year, (3, 1), (11, 30)), "提拔",
                    to_section=a["section"][idx], to_position=pos if pos else a["position"][idx],
                    to_rank=new_rank, note=note)
        moved[idx] = True
        staff[idx] = False
    # rotations of staff: those five years or more in post are due
    tenure = (_day(f"{year}-07-01") - a["post_since"]).astype(int) / 365.25
    rot = np.flatnonzero(staff & (rng.random(n) < np.where(tenure >= 5, 0.7, 0.06)))
    n_sec = len(office.sections) - 1
    if n_sec > 1 and len(rot):
        shift = rng.integers(1, n_sec, len(rot))
        to_sec = (a["section"][rot] - 1 + shift) % n_sec + 1
        office.move(rot, _random_days(rng, len(rot), year), "轮岗", to_section=to_sec,
                    to_position=a["position"][rot], to_rank=a["rank"][rot], note="轮岗交流")
        moved[rot] = True
    # section heads swap posts
    if head_swaps and n_sec > 1:
        heads = np.flatnonzero(a["in_office"] & ~moved & office.is_head())
        heads = heads[rng.permutation(len(heads))]
        k = int(rng.binomial(len(heads) // 2, 0.12))
        if k:
            x, y = heads[:k], heads[k:2 * k]
            sx, sy = a["section"][x].copy(), a["section"][y].copy()
            date = _random_days(rng, k, year, (2, 1), (10, 31))
            office.move(x, date, "轮岗", to_section=sy, to_position=office.head_title[sy],
                        to_rank=a["rank"][x], note="中层正职轮岗")
            office.move(y, date, "轮岗", to_section=sx, to_position=office.head_title[sx],
                        to_rank=a["rank"][y], note="中层正职轮岗")
            moved[x] = moved[y] = True
    # hires up to the target headcount
    _hire(rng, office, year, max(0, target - int(a["in_office"].sum())), seeded)


def _hire(rng, office: _Office, year: int, k: int, seeded: bool):
    if k <= 0:
        return
    start_year = int(str(office.start)[:4])
    late = year >= (SEED_YEAR if seeded else start_year + (END_YEAR - start_year) // 2)
    p_transfer = 0.15 if late else 0.45
    transfer = rng.random(k) < p_transfer
    for is_tr, n_k in ((True, int(transfer.sum())), (False, int((~transfer).sum()))):
        if n_k == 0:
            continue
        at = _day(f"{year}-07-01")
        if is_tr:
            cols = _new_people(rng, n_k, rng.uniform(28, 40, n_k), at, "mid")
            rank = np.where(rng.random(n_k) < 0.3, R_FG, R_KY)
            date = _random_days(rng, n_k, year)
            kind, note = "调入", np.array(DESTINATIONS, dtype=object)[rng.integers(0, len(DESTINATIONS), n_k)]
            note = np.array(["由" + x + "调入" for x in note], dtype=object)
        else:
            cols = _new_people(rng, n_k, rng.uniform(21.5, 25.5, n_k), at, "young" if late else "early")
            edu_hi = np.isin(cols["education"], ["大学本科", "研究生"])
            rank = np.where(edu_hi, R_KY, R_BSY)
            date = _random_days(rng, n_k, year, (7, 1), (9, 30))
            kind, note = "录用", np.full(n_k, "公开招考录用", dtype=object)
            cols["political"] = np.where(rng.random(n_k) < 0.4, "中共党员", "共青团员").astype(object)
        cols["join"] = np.minimum(cols["join"], date) if is_tr else date
        cols["in_office"][:] = False
        cols["rank"] = rank.astype(np.int64)
        cols["position"] = np.where(rank == R_BSY, "办事员", "科员").astype(object)
        cols["rank_since"] = date
        cols["post_since"] = date
        cols["reserve"] = (rng.random(n_k) < 0.12) & np.isin(cols["education"], ["大学本科", "研究生"])
        idx = office.add_people(cols)
        # sections short of people first
        n_sec = len(office.sections) - 1
        counts = np.bincount(office.a["section"][office.a["in_office"]], minlength=n_sec + 1)[1:]
        weights = np.maximum(np.median(counts) + 1 - counts, 0) + 0.3
        to_sec = rng.choice(np.arange(1, n_sec + 1), size=n_k, p=weights / weights.sum())
        office.move(idx, date, kind, to_section=to_sec, to_position=cols["position"], to_rank=rank,
                    from_blank=True, note=note)


# ------------------------------------------------------------------ the seed year

def _seed_1999(rng, office: _Office, moved: np.ndarray):
    """The 1999 reshuffle the seed article reports, movement by movement."""
    a = office.a
    ht, dt_ = office.head_title, office.deputy_title
    inoff = a["in_office"] | moved      # retirees of this year still count here
    heads = [int(np.flatnonzero(inoff & office.is_head() & (a["section"] == s))[0]) for s in range(1, 9)]
    deps = np.flatnonzero(inoff & office.is_middle() & ~office.is_head())
    lead = np.flatnonzero(inoff & (a["section"] == 0))
    director = int(lead[a["position"][lead] == "主任"][0])
    vice = lead[a["position"][lead] == "副主任"]
    retiring = {int(i) for i in np.flatnonzero(moved)}     # retired earlier this year
    assert sum(h in retiring for h in heads) == 1 and sum(int(d) in retiring for d in deps) == 2, \
        "seed office: the 1999 retirements do not match the script"
    dest = iter(np.array(DESTINATIONS, dtype=object)[rng.permutation(len(DESTINATIONS))])

    def go(i, date, kind, **kw):
        office.move([i], _day(date), kind, **kw)
        moved[i] = True

    # leadership: the director leaves for the city committee, a deputy director follows him up
    vice_stay = [int(v) for v in vice if int(v) not in retiring]
    vice_sorted = sorted(vice_stay, key=lambda v: (a["retire_date"][v] <= office.end, -a["ability"][v]))
    new_director, vice_out = vice_sorted[0], vice_sorted[-1]
    go(director, "1999-02-26", "调出", to_rank=R_ZK, destination="市委办公室", note="调任市委办公室")
    go(new_director, "1999-02-26", "提拔", to_section=0, to_position="主任", to_rank=R_ZK,
       note="经组织部门考察任命")
    go(vice_out, "1999-03-10", "调出", to_rank=R_FK, destination=next(dest), note="交流任职")
    # the heads of all eight sections change
    heads_stay = [h for h in heads if h not in retiring]
    oldest = min(heads_stay, key=lambda h: a["birth"][h])
    heads_stay.remove(oldest)
    by_ability = sorted(heads_stay, key=lambda h: -a["ability"][h])
    up, swap = by_ability[:4], by_ability[4:6]
    vacant = [int(a["section"][h]) for h in heads if h in retiring or h == oldest or h in up]
    for h in up:   # four section heads step up to deputy director (副科级)
        go(h, "1999-03-16", "提拔", to_section=0, to_position="副主任", to_rank=R_FK,
           note="经组织部门推荐考察，任办公室副主任")
    go(oldest, "1999-03-16", "免职", to_section=a["section"][oldest], to_position="科员",
       to_rank=a["rank"][oldest], note="因年龄原因免去中层职务")
    s0, s1 = int(a["section"][swap[0]]), int(a["section"][swap[1]])
    go(swap[0], "1999-04-01", "轮岗", to_section=s1, to_position=ht[s1], to_rank=R_ZG, note="中层正职轮岗")
    go(swap[1], "1999-04-01", "轮岗", to_section=s0, to_position=ht[s0], to_rank=R_ZG, note="中层正职轮岗")
    # deputies: three leave for city departments at 正股级, two at their rank, one becomes a head
    deps_stay = sorted([int(d) for d in deps if int(d) not in retiring], key=lambda d: -a["ability"][d])
    dep_to_head, promoted_out, out_same = deps_stay[0], deps_stay[1:4], deps_stay[4:6]
    dep_sections = [int(a["section"][d]) for d in deps]
    for d in promoted_out:
        go(d, "1999-04-20", "调出", to_rank=R_ZG, destination=next(dest),
           note="交流到市有关部门任正股级职务")
    for d in out_same:
        go(d, "1999-05-10", "调出", to_rank=R_FG, destination=next(dest), note="交流任职")
    s = vacant.pop(0)
    go(dep_to_head, "1999-04-01", "提拔", to_section=s, to_position=ht[s], to_rank=R_ZG, note="中层正职竞争上岗")
    # five new heads: two selected from other departments, three promoted inside
    def select_from_outside(s, ages, hired, day, rank, position, from_position):
        """A new person of ``ages`` (hired elsewhere on ``hired``) selected
        into ``position`` of section ``s`` at ``rank`` on ``day``."""
        nonlocal moved
        cols = _new_people(rng, 1, rng.uniform(*ages, 1), _day(hired), "mid")
        cols["in_office"][:] = False
        cols["rank"][:] = rank
        cols["position"][:] = position
        i = int(office.add_people(cols)[0])
        moved = np.append(moved, True)
        office.move([i], _day(day), "调入", to_section=s, to_position=position, to_rank=rank,
                    from_blank=True, from_rank=rank, from_position=from_position, note="从" + next(dest) + "选调")

    for s in vacant[:2]:
        select_from_outside(s, (34, 42), "1999-04-01", "1999-04-01", R_ZG, ht[s], "主任科员")
    used: set[int] = set()

    def candidate(section, rank):
        """The best-scoring staff member at ``rank`` (else one step below),
        from the section if it has one."""
        ok = (a["in_office"] & ~moved[: office.n] & ~a["protected"] & ~office.is_middle()
              & (a["section"] > 0) & (a["retire_date"] > _day("2003-01-01")))
        ok[list(used)] = False
        pool = np.flatnonzero(ok & (a["rank"] == rank))
        if len(pool) == 0:
            pool = np.flatnonzero(ok & (a["rank"] == rank - 1))
        here = pool[a["section"][pool] == section]
        pick = here if len(here) else pool
        best = int(pick[np.argmax(a["ability"][pick])])
        used.add(best)
        return best

    for s in vacant[2:]:
        i = candidate(s, R_FG)
        go(i, "1999-04-01", "提拔", to_section=s, to_position=ht[s], to_rank=R_ZG, note="中层正职竞争上岗")
    # eleven new deputies: two selected from outside, nine promoted inside
    dep_posts = sorted(set(dep_sections)) + [1, 3, 7]
    for s in dep_posts[:2]:
        select_from_outside(s, (29, 36), "1999-05-01", "1999-05-18", R_FG, dt_[s], "科员")
    for s in dep_posts[2:]:
        i = candidate(s, R_KY)
        go(i, "1999-05-18", "提拔", to_section=s, to_position=dt_[s], to_rank=R_FG, note="中层副职竞争上岗")
    return moved


def _seed_2000(rng, office: _Office, moved: np.ndarray):
    """One of the new deputy directors leaves for a township at 副科级."""
    a = office.a
    vice = np.flatnonzero(a["in_office"] & (a["section"] == 0) & (a["position"] == "副主任")
                          & (a["post_since"] >= _day("1999-01-01")))
    i = int(vice[np.argmin(a["ability"][vice])])
    office.move([i], _day("2000-09-12"), "调出", to_rank=R_FK, destination="青山镇人民政府", note="交流任职")
    moved[i] = True


# ------------------------------------------------------------------ assessments

def _states(office: _Office) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All movements (with the state after each) and the state timeline:
    one row per person and date from which a state holds."""
    mv = {k: np.concatenate([m[k] for m in office.moves]) for k in office.moves[0]} if office.moves else {}
    moves = pd.DataFrame(mv)
    moves["seq"] = np.arange(len(moves))
    initial = np.flatnonzero(~np.isin(np.arange(office.n), moves.loc[moves["kind"].isin(["录用", "调入"])
                                                                         & (moves["from_section"] < 0), "person"]))
    # initial staff: in office from before the start, in their first section
    first_sec = office.a["section"].copy()
    if len(moves):
        firsts = moves.sort_values(["person", "date", "seq"]).drop_duplicates("person")
        has_from = firsts["from_section"].to_numpy() >= 0
        first_sec[firsts["person"].to_numpy()[has_from]] = firsts["from_section"].to_numpy()[has_from]
    init = pd.DataFrame({"person": initial, "date": np.full(len(initial), office.start - 1),
                         "in_office_after": True, "section_after": first_sec[initial], "seq": -1})
    timeline = pd.concat([init, moves[["person", "date", "in_office_after", "section_after", "seq"]]],
                         ignore_index=True)
    timeline["date"] = timeline["date"].astype("datetime64[s]")
    return moves, timeline.sort_values(["date", "seq"], kind="stable").reset_index(drop=True)


def _periods(years: list[int]) -> pd.DataFrame:
    rows = []
    for y in years:
        for q, md in enumerate(["03-31", "06-30", "09-30", "12-31"], start=1):
            rows.append((f"{y}Q{q}", y, q, f"{y}-{md}"))
        rows.append((f"{y}", y, 0, f"{y}-12-31"))
    p = pd.DataFrame(rows, columns=["period", "year", "quarter", "end"])
    p["end"] = pd.to_datetime(p["end"]).astype("datetime64[s]")
    p["order"] = np.arange(len(p))
    return p


def _assessments(rng, office: _Office, timeline: pd.DataFrame, years: list[int], pid: np.ndarray) -> pd.DataFrame:
    periods = _periods(years)
    # who is in office, and where, at each period's end
    n, k = office.n, len(periods)
    grid = pd.DataFrame({"person": np.tile(np.arange(n), k), "pi": np.repeat(np.arange(k), n)})
    grid["date"] = periods["end"].to_numpy()[grid["pi"].to_numpy()]
    grid = grid.sort_values("date", kind="stable")
    m = pd.merge_asof(grid, timeline, on="date", by="person", direction="backward")
    m = m[m["in_office_after"].fillna(False).astype(bool)].copy()
    m["section"] = m["section_after"].astype(np.int64)
    m = m.sort_values(["pi", "person"]).reset_index(drop=True)
    pi, person, sec = m["pi"].to_numpy(), m["person"].to_numpy(), m["section"].to_numpy()
    year_i = periods["year"].to_numpy()[pi] - years[0]
    rows = len(m)
    egal_code = office.sections.index(EGALITARIAN_SECTION)
    tt_code = office.sections.index(TURN_TAKING_SECTION)
    # the level of each person in each period
    drift = rng.normal(0, 1.2, (n, len(years)))
    level = 84.0 + office.a["ability"][person] + drift[person, year_i] + rng.normal(0, 1.2, rows)
    grp = pi * (len(office.sections) + 1) + sec
    g = pd.Series(level).groupby(grp)
    mean, std = g.transform("mean").to_numpy(), g.transform("std").to_numpy()
    scale = np.where(np.isfinite(std) & (std > 0) & (std < 4.0), 4.0 / np.where(std > 0, std, 1), 1.0)
    level = mean + (level - mean) * scale
    egal = sec == egal_code
    period_mean = 85.5 + rng.normal(0, 0.8, k)
    level = np.where(egal, period_mean[pi] + rng.normal(0, 0.45, rows), level)
    # four sources (no self-evaluation for the leadership), dimensions split
    S = len(SOURCES)
    noise = rng.normal(0, 1.0, (rows, S)) * np.where(egal, 0.3, 1.0)[:, None]
    total = np.clip(level[:, None] + SOURCE_BIAS[None, :] + noise, 40.0, 99.4)
    de = np.clip(0.2 * total + rng.normal(0, 0.35, (rows, S)), 0, 20)
    neng = np.clip(0.2 * total + rng.normal(0, 0.35, (rows, S)), 0, 20)
    qin = np.clip(0.2 * total + rng.normal(0, 0.3, (rows, S)), 0, 20)
    de, neng, qin = np.round(de, 1), np.round(neng, 1), np.round(qin, 1)
    ji = np.round(np.clip(total - de - neng - qin, 0, 40), 1)
    tot = np.round(de + neng + qin + ji, 1)
    present = np.ones((rows, S), dtype=bool)
    present[:, SOURCES.index("科室自评")] = sec != 0
    w = SOURCE_WEIGHTS[None, :] * present
    comp = np.round((tot * w).sum(axis=1) / w.sum(axis=1), 6)
    grade = _official_grades(office, periods, pi, person, sec, comp, pid, tt_code)
    # long -> the wide upload rows
    r, s = np.nonzero(present)
    out = pd.DataFrame({
        "编号": pid[person[r]], "考核期": periods["period"].to_numpy()[pi[r]],
        "考核主体": np.array(SOURCES, dtype=object)[s],
        "德": de[r, s], "能": neng[r, s], "勤": qin[r, s], "绩": ji[r, s], "总分": tot[r, s],
        "等次": grade[r], "科室": np.array(office.sections, dtype=object)[sec[r]],
    })
    return out


def _official_grades(office, periods, pi, person, sec, comp, pid, tt_code) -> np.ndarray:
    """Annual: 优秀 to each section's top scorer(s) at 85+ (the quota spread over
    the sections), except the turn-taking section where it goes round those
    not on top. Quarterly: the contract's computed grade."""
    g = settings_mod.DEFAULTS["annual_grades"]
    qg = settings_mod.DEFAULTS["quarterly_grades"]
    df = pd.DataFrame({"pi": pi, "person": person, "sec": sec, "c": comp, "pid": pid[person]})
    df["annual"] = periods["quarter"].to_numpy()[pi] == 0
    df = df.sort_values(["pi", "sec", "c", "pid"], ascending=[True, True, False, True])
    df["srank"] = df.groupby(["pi", "sec"]).cumcount()
    df["sn"] = df.groupby(["pi", "sec"])["person"].transform("size")
    grade = np.where(df["c"] >= g["competent_floor"], "称职",
                     np.where(df["c"] >= g["basic_floor"], "基本称职", "不称职")).astype(object)
    top = (df["srank"] < np.maximum(1, np.floor(g["quota"] * df["sn"]))) & (df["c"] >= g["top_floor"])
    grade = np.where(top & (df["sec"] != tt_code), "优秀", grade)
    df["grade"] = grade
    # turn-taking: each year the one outside the section's top with fewest awards so far
    awards: dict[int, int] = {}
    for p in sorted(df.loc[df["annual"] & (df["sec"] == tt_code), "pi"].unique()):
        sd = df[(df["pi"] == p) & (df["sec"] == tt_code)]
        n_top = math.ceil(g["quota"] * len(sd))
        rest = sd[sd["srank"] >= n_top]
        if rest.empty:
            continue
        key = rest.assign(aw=rest["person"].map(lambda x: awards.get(int(x), 0)),
                          birth=office.a["birth"][rest["person"].to_numpy()])
        chosen = key.sort_values(["aw", "birth", "pid"]).index[0]
        df.loc[chosen, "grade"] = "优秀"
        awards[int(df.loc[chosen, "person"])] = awards.get(int(df.loc[chosen, "person"]), 0) + 1
    # quarterly: computed grades over everyone assessed
    q = df[~df["annual"]].sort_values(["pi", "c", "pid"], ascending=[True, False, True])
    qrank = q.groupby("pi").cumcount()
    qn = q.groupby("pi")["person"].transform("size")
    qgrade = np.where((qrank < np.floor(qg["quota"] * qn)) & (q["c"] >= qg["top_floor"]), "好",
                      np.where(q["c"] >= qg["good_floor"], "较好",
                               np.where(q["c"] >= qg["fair_floor"], "一般", "较差")))
    df.loc[q.index, "grade"] = qgrade
    return df.sort_index()["grade"].to_numpy().astype(object)


# ------------------------------------------------------------------ assembly

def generate(people: int | None = None, years: int | None = None,
             seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The demo office as the three upload datasets (Chinese headers).

    ``people``: headcount at the start (None: the seed office of 66);
    ``years``: calendar years ending in 2001 (None: 5, i.e. 1997-2001).
    Returns ``{"roster", "assessments", "movements"}``.
    """
    n_years = DEFAULT_YEARS if years is None else int(years)
    if n_years < 1:
        raise ValueError("years must be at least 1")
    if people is not None and people < 20:
        raise ValueError("people must be at least 20")
    year_list = list(range(END_YEAR - n_years + 1, END_YEAR + 1))
    start, end = _day(f"{year_list[0]}-01-01"), _day(f"{END_YEAR}-12-31")
    seeded = people is None and n_years == DEFAULT_YEARS
    rng = np.random.default_rng(seed)
    n_lead_dep = SEED_LEAD_DEPUTIES
    if people is None:
        sizes = np.array(SEED_SIZES)
    else:
        n_sec = max(8, int(round((people - 1 - n_lead_dep) / 8)))
        rest = people - 1 - n_lead_dep - 4 * n_sec
        sizes = 4 + rng.multinomial(max(rest, 0), np.full(n_sec, 1 / n_sec))
    office = _Office(_section_names(len(sizes)), start, end)
    _, roles = _initial_staff(rng, office, sizes, n_lead_dep, seeded)
    if seeded:
        _seed_overrides(rng, office, roles)
    base = int(office.a["in_office"].sum())
    for y in year_list:
        moved = np.zeros(office.n, dtype=bool)
        _retire(office, y, moved)
        if seeded and y == SEED_YEAR:
            moved = _seed_1999(rng, office, moved)
        if seeded and y == 2000:
            _seed_2000(rng, office, moved)
        target = SEED_TARGETS[y] if seeded else int(round(base * (1 + 0.012 * (y - year_list[0]))))
        _background(rng, office, y, moved, head_swaps=not (seeded and y <= SEED_YEAR),
                    target=target, seeded=seeded)
    return _tables(rng, office, year_list)


def _seed_overrides(rng, office: _Office, roles: dict):
    """Birth dates that make the seed's retirements fall where the script needs
    them: one deputy director in 1998 and one in 2001, one section head and two
    deputies early in 1999, the oldest head at 54."""
    a = office.a
    lead = np.flatnonzero(roles["lead"])
    heads = np.flatnonzero(roles["head"])
    deps = np.flatnonzero(roles["deputy"])

    def born(i, date, gender):
        a["birth"][i] = _day(date)
        a["gender"][i] = gender
        a["retire_date"][i] = _first_of_next_month(_add_years(np.array([_day(date)]),
                                                              RETIRE_AGE[gender]))[0]
        a["join"][i] = min(a["join"][i], _day(date) + 20 * 365)
        a["rank_since"][i] = max(a["rank_since"][i], a["join"][i])
        a["post_since"][i] = max(a["post_since"][i], a["join"][i])

    born(lead[1], "1938-06-14", "男")     # retires 1998
    born(lead[3], "1941-03-09", "男")     # retires 2001
    born(heads[6], "1939-01-08", "男")    # 行政科 head, retires Feb 1999
    born(heads[5], "1944-10-20", "男")    # 法制科 head, the oldest left: stands down
    born(deps[3], "1944-01-25", "女")     # retire Feb 1999
    born(deps[4], "1944-02-11", "女")     # retire Mar 1999
    for i in np.r_[heads[[0, 1, 2, 3, 4, 7]]]:
        if a["birth"][i] < _day("1946-01-01"):
            born(i, "1952-05-03", "男")
    # no other staff retires in 1999 from a middle post; everyone else as drawn


def _tables(rng, office: _Office, year_list: list[int]) -> dict[str, pd.DataFrame]:
    a = office.a
    width = max(4, len(str(office.n)))
    pid = np.array([f"YZ{i + 1:0{width}d}" for i in range(office.n)], dtype=object)
    moves, timeline = _states(office)
    sec_names = np.array(office.sections + [None], dtype=object)   # -1 -> None
    ladder = np.array(LADDER + [None], dtype=object)
    moves = moves.sort_values(["date", "seq"], kind="stable")
    movements = pd.DataFrame({
        "编号": pid[moves["person"].to_numpy()],
        "日期": _iso(moves["date"].to_numpy().astype("datetime64[D]")),
        "类型": moves["kind"].to_numpy(),
        "原科室": sec_names[moves["from_section"].to_numpy()],
        "新科室": sec_names[moves["to_section"].to_numpy()],
        "原职务": moves["from_position"].to_numpy(),
        "新职务": moves["to_position"].to_numpy(),
        "原职级": ladder[moves["from_rank"].to_numpy()],
        "新职级": ladder[moves["to_rank"].to_numpy()],
        "去向单位": moves["destination"].to_numpy(),
        "备注": moves["note"].to_numpy(),
    })
    roster = pd.DataFrame({
        "编号": pid, "姓名": a["name"], "性别": a["gender"], "出生日期": _iso(a["birth"]),
        "学历": a["education"], "学历类型": a["mode"], "专业": a["major"], "政治面貌": a["political"],
        "参加工作时间": _iso(a["join"]), "科室": np.array(office.sections, dtype=object)[a["section"]],
        "职务": a["position"], "职级": np.array(LADDER, dtype=object)[a["rank"]],
        "任现职级时间": _iso(a["rank_since"]), "任现岗位时间": _iso(a["post_since"]),
        "状态": a["status"], "后备干部": np.where(a["reserve"], "是", "否").astype(object),
    })
    assessments = _assessments(rng, office, timeline, year_list, pid)
    out = {"roster": roster, "assessments": assessments, "movements": movements}
    for key, cols in (("roster", ROSTER_COLUMNS), ("assessments", ASSESSMENT_COLUMNS),
                      ("movements", MOVEMENT_COLUMNS)):
        out[key] = out[key][cols].reset_index(drop=True)
    return out


# ------------------------------------------------------------------ files

def _to_csv_bytes(df: pd.DataFrame, encoding: str, newline: str) -> bytes:
    text = df.to_csv(index=False, lineterminator=newline, float_format=None)
    data = text.encode(encoding)           # strict: all demo text is GBK-encodable
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    return data


DATE_COLUMNS = {"出生日期", "参加工作时间", "任现职级时间", "任现岗位时间", "日期"}


def _xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per dataset; dates as Excel date cells, ids and
    periods as text. Fixed timestamps so the bytes repeat."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    cells = sum(df.size for df in tables.values())
    # a normal workbook records each sheet's dimension, so that readers pad
    # short rows; the write-only one keeps memory flat for large offices
    write_only = cells > XLSX_NORMAL_MAX_CELLS
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    wb.properties.creator = "cadre demo"
    wb.properties.created = XLSX_TIMESTAMP
    wb.properties.modified = XLSX_TIMESTAMP
    for key, sheet in SHEETS.items():
        df = tables[key]
        ws = wb.create_sheet(sheet)
        ws.append(list(df.columns))
        conv = []
        for col in df.columns:
            values = np.array([None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                               else v for v in df[col].to_numpy(dtype=object)], dtype=object)
            if col in DATE_COLUMNS:
                values = np.array([None if v is None else dt.date.fromisoformat(v) for v in values],
                                  dtype=object)
            elif values.size and all(isinstance(v, (float, np.floating)) for v in values if v is not None):
                values = np.array([None if v is None else float(v) for v in values], dtype=object)
            conv.append((col in DATE_COLUMNS, values))
        date_cols = [j for j, (is_date, _) in enumerate(conv) if is_date]
        for r in range(len(df)):
            row = [values[r] for _, values in conv]
            if write_only:
                for j in date_cols:
                    if row[j] is not None:
                        c = WriteOnlyCell(ws, value=row[j])
                        c.number_format = "yyyy-mm-dd"
                        row[j] = c
            ws.append(row)
        if not write_only:
            for j in date_cols:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j + 1, max_col=j + 1):
                    cell.number_format = "yyyy-mm-dd"
            for j, col in enumerate(df.columns):
                ws.column_dimensions[ws.cell(row=1, column=j + 1).column_letter].width = \
                    12 if col in DATE_COLUMNS or col in ("编号", "考核期", "考核主体") else 10
            ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue())


def _fix_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry timestamps and modified date."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = XLSX_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=XLSX_TIMESTAMP.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def write_files(out_dir, people: int | None = None, years: int | None = None,
                seed: int = DEFAULT_SEED) -> list[Path]:
    """Write cadre_demo.xlsx and roster.csv / assessments.csv / movements.csv
    into ``out_dir`` (created if needed); returns the paths written. The
    workbook is left out when a dataset exceeds Excel's row limit."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate(people=people, years=years, seed=seed)
    paths = []
    if all(len(df) <= XLSX_MAX_ROWS for df in tables.values()):
        p = out / XLSX_NAME
        p.write_bytes(_xlsx_bytes(tables))
        paths.append(p)
    for key, (name, enc, newline) in CSV_FILES.items():
        p = out / name
        p.write_bytes(_to_csv_bytes(tables[key], enc, newline))
        paths.append(p)
    return paths
