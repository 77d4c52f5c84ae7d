"""From 任免审批表 person files to roster rows, movements and annual grades.

The rules (docs/contract.md, "任免审批表"): the roster row comes from the
tags; movements from the 简历 lines inside the office; official annual
grades from 年度考核结果. Every cell is either certain (read, or mapped by a
stated rule) or unsure; each unsure cell comes with a gap (a
:class:`~cadre.ingest.lrmx.PersonProblem` naming the file, the tag and the
value). Corrections a user accepted earlier make a cell certain again when
the same value is derived for the same person.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from cadre import settings as S

from . import columns as C
from .lrmx import PersonFile, PersonProblem, problem

REQUIRED = ("person_id", "name", "gender", "birth_date", "education", "section", "rank")
EDITABLE = ("name", "gender", "birth_date", "education", "education_mode", "political_status",
            "join_work_date", "section", "position", "rank", "rank_since", "post_since")
DATE_COLUMNS = ("birth_date", "join_work_date", "rank_since", "post_since")

DEMOCRATIC_PARTIES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟", "民主党派")
UNIT_END = "室办局委会府厅处部院所站队"
SECTION_END = r"(?:科|室|股|中心|办|处|组|队|站|所)"

_DATE = re.compile(r"^\s*(\d{4})\s*[.\-/年]?\s*(\d{1,2})\s*(?:[.\-/月]\s*(\d{1,2})\s*日?)?\s*月?\s*$")
_RANGE = re.compile(
    r"^\s*(?P<y1>\d{4})\s*[.\-/年]?\s*(?P<m1>\d{2})\s*月?\s*"
    r"(?P<sep>-{1,2}|—{1,2}|–{1,2}|－{1,2}|~|～|至)\s*"
    r"(?:(?P<now>至今|今)|(?P<y2>\d{4})\s*[.\-/年]?\s*(?P<m2>\d{2})\s*月?)?"
    r"\s*(?P<rest>.*)$")
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
_STUDY = re.compile(r"学习|读书|就读|学生|毕业|进修|求学|培训")
_GRADE_WORDS = [("基本称职", "基本称职"), ("不称职", "不称职"), ("基本合格", "基本称职"),
                ("不合格", "不称职"), ("称职", "称职"), ("合格", "称职"), ("优秀", "优秀")]
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NONE_TEXT = re.compile(r"^[\s(（]*(无|暂无|没有|/|-|—)?[\s)）。.]*$")
_IDCARD = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def norm(text: str | None) -> str:
    """Full-width folded (NFKC), spaces removed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", s)


def parse_month(text: str | None):
    """``YYYYMM`` / ``YYYYMMDD`` / ``YYYY.MM`` / ``YYYY-MM`` / ``YYYY年MM月`` -> Timestamp."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not s:
        return None
    if re.fullmatch(r"\d{6}", s):
        y, m, d = s[:4], s[4:], "1"
    elif re.fullmatch(r"\d{8}", s):
        y, m, d = s[:4], s[4:6], s[6:]
    else:
        mt = _DATE.match(s)
        if not mt:
            return None
        y, m, d = mt.group(1), mt.group(2), mt.group(3) or "1"
    try:
        return pd.Timestamp(int(y), int(m), int(d))
    except (ValueError, OverflowError):
        return None


def education_of(text: str | None) -> str | None:
    s = norm(text)
    if not s:
        return None
    if any(w in s for w in ("研究生", "博士", "硕士")):
        return "研究生"
    if "专科" in s or "大专" in s:
        return "大学专科"
    if "本科" in s or s.startswith("大学") or s == "大学":
        return "大学本科"
    if any(w in s for w in ("中专", "中技", "中等专业", "技校", "职高", "中师")):
        return "中专"
    if any(w in s for w in ("高中", "初中", "小学", "高小")):
        return "高中及以下"
    return None


def political_of(text: str | None) -> tuple[str | None, bool]:
    """(status, certain) from 入党时间: a date, a party name, or both."""
    s = norm(text)
    if not s:
        return None, True
    if any(p in s for p in DEMOCRATIC_PARTIES):
        return "民主党派", True
    if "团" in s:
        return "共青团员", True
    if "群众" in s:
        return "群众", True
    if "中共" in s or "党员" in s or parse_month(re.split(r"[;；,，]", s)[0]) is not None:
        return "中共党员", True
    return None, False


def person_key(name: str, birth) -> str:
    month = birth.strftime("%Y%m") if birth is not None else ""
    return "H" + hashlib.sha1(f"{name}|{month}".encode("utf-8")).hexdigest()[:11].upper()


def guess_office(posts: list[str]) -> str | None:
    """The longest unit prefix the batch's 现任职务 share, cut back to end at
    a unit word (室, 办, 局, 委 …)."""
    texts = [norm(p) for p in posts if norm(p)]
    if not texts:
        return None
    prefix = texts[0]
    for s in texts[1:]:
        n = 0
        while n < min(len(prefix), len(s)) and prefix[n] == s[n]:
            n += 1
        prefix = prefix[:n]
    cut = max(prefix.rfind(ch) for ch in UNIT_END)
    return prefix[:cut + 1] if cut > 0 else None


# ------------------------------------------------------------ posts

@dataclass
class Placer:
    """Places a post text (unit stripped) into section, position and rank."""
    settings: dict
    sections: list[str]
    office: str | None

    def __post_init__(self):
        st = self.settings
        self.leadership = st.get("leadership_section") or "主任室"
        self.ranks = st.get("post_ranks") or S.DEFAULTS["post_ranks"]
        posts = set(st.get("leadership_posts", [])) | set(st.get("head_posts", [])) | set(st.get("deputy_posts", []))
        for table in self.ranks.values():
            posts |= set(table)
        self.posts = sorted(posts, key=len, reverse=True)
        secs = {norm(s): s for s in self.sections if s}
        secs.setdefault(norm(self.leadership), self.leadership)
        self.secs = sorted(secs.items(), key=lambda kv: len(kv[0]), reverse=True)
        self.ladder = list(st.get("ladder") or S.DEFAULTS["ladder"])
        self.office_n = norm(self.office) if self.office else ""

    def inside(self, text: str) -> bool:
        return bool(self.office_n) and norm(text).startswith(self.office_n)

    def rank_of(self, section, post) -> str | None:
        if not post:
            return None
        table = self.ranks.get(section) if section else None
        if table and post in table:
            r = table[post]
        else:
            r = (self.ranks.get("") or {}).get(post)
        return r if r in self.ladder else None

    def place(self, text: str) -> dict:
        """{section, position, rank, sure_section, sure_position} of a post text."""
        parts = [p for p in re.split(r"[、，,；;]", _PAREN.sub("", norm(text))) if p]
        best = None
        for part in parts or [""]:
            if self.office_n and part.startswith(self.office_n):
                part = part[len(self.office_n):]
            got = self._place_part(part)
            if got["position"] and best is None:
                best = got
            if got["position"] and got["sure_section"]:
                best = got
                break
        best = best or self._place_part(parts[0] if parts else "")
        # an unknown section is not the leadership: its posts rank as any section's
        best["rank"] = self.rank_of(best["section"] if best["sure_section"] else None, best["position"])
        # a rank the text names itself (「综合科科员、副股级」) is the rank
        named = [p for p in parts if p in self.ladder]
        if named:
            best["rank"] = named[-1]
        if best["rank"] is None:  # a post apart from the 职级 ("综合科科长、四级主任科员"): the 职级 named beside it
            best["rank"] = next((r for part in parts for r in sorted(self.ladder, key=len, reverse=True)
                                 if part.endswith(r) and (self.ranks.get("") or {}).get(r) == r), None)
        return best

    def _place_part(self, part: str) -> dict:
        out = {"section": None, "position": None, "sure_section": False, "sure_position": False}
        for key, sec in self.secs:
            if key and part.startswith(key):
                rest = part[len(key):]
                out["section"], out["sure_section"] = sec, True
                out["position"], out["sure_position"] = self._post(rest)
                return out
        if part in self.ranks.get(self.leadership, {}):
            out.update(section=self.leadership, position=part, sure_section=True, sure_position=True)
            return out
        post, sure = self._post(part)
        out["position"], out["sure_position"] = post, sure
        if post:
            head = part[: len(part) - len(post)]
            if head and re.search(SECTION_END + "$", head):
                out["section"] = head  # a section the office has not named: unsure
                out["sure_position"] = post in self.posts and part.endswith(post)
        return out

    def _post(self, rest: str):
        if rest in self.posts:
            return rest, True
        for p in self.posts:
            if rest.endswith(p):
                return p, False
        return None, False

    def higher(self, a, b) -> bool | None:
        if a not in self.ladder or b not in self.ladder:
            return None
        return self.ladder.index(a) > self.ladder.index(b)


# ------------------------------------------------------------ 简历

@dataclass
class ResumeLine:
    line: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    open_end: bool
    text: str
    raw: str


def resume_lines(text: str | None) -> tuple[list[ResumeLine], list[tuple[int, str]]]:
    """Dated lines (continuations joined) and the lines that could not be read."""
    if not text:
        return [], []
    lines: list[ResumeLine] = []
    bad: list[tuple[int, str]] = []
    for i, raw in enumerate(text.split("\n"), start=1):
        s = unicodedata.normalize("NFKC", raw).replace("\u3000", " ").strip()
        if not s:
            continue
        m = _RANGE.match(s)
        if m:
            start = _ym(m.group("y1"), m.group("m1"))
            end = _ym(m.group("y2"), m.group("m2")) if m.group("y2") else None
            if start is None or (m.group("y2") and end is None):
                bad.append((i, raw.strip()))
                continue
            lines.append(ResumeLine(i, start, end, end is None, m.group("rest").strip(), raw.strip()))
        elif lines:
            lines[-1].text += s
            lines[-1].raw += raw.strip()
        else:
            bad.append((i, raw.strip()))
    return lines, bad


def _ym(y, m):
    try:
        return pd.Timestamp(int(y), int(m), 1)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------ 年度考核结果

def annual_grades(text: str | None) -> tuple[list[tuple[int, str]], str | None]:
    """[(year, grade)] and the part that could not be read (None if all was)."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not s or _NONE_TEXT.match(s):
        return [], None
    out: dict[int, str] = {}
    pending: list[int] = []
    leftover = []
    for clause in re.split(r"[,，;；。\n]", s):
        if not clause.strip():
            continue
        years = [int(y) for y in _YEAR.findall(clause)]
        grade = None
        for word, canon in _GRADE_WORDS:
            if word in clause:
                grade = canon
                break
        pending += years
        if grade is None:
            if not years:
                leftover.append(clause.strip())
            continue
        if not pending:
            leftover.append(clause.strip())
            continue
        for y in pending:
            out[y] = grade
        pending = []
    if pending:
        leftover.append("、".join(str(y) for y in pending))
    return sorted(out.items()), ("；".join(leftover) or None)


# ------------------------------------------------------------ the batch

@dataclass
class Derived:
    roster: pd.DataFrame
    unsure: pd.DataFrame          # bool, the roster's columns: cells the reader was unsure of
    movements: pd.DataFrame
    movement_sure: pd.Series      # bool per movement
    assessments: pd.DataFrame
    gaps: list[PersonProblem]
    notes: list[PersonProblem]
    photos: dict = field(default_factory=dict)   # person_id -> bytes
    files: dict = field(default_factory=dict)    # person_id -> file
    office: str | None = None
    office_source: str = "none"   # option | settings | guessed | none

    def certain_people(self) -> pd.Series:
        if not len(self.roster):
            return pd.Series(dtype=bool)
        return ~self.unsure[list(REQUIRED)].any(axis=1)


def derive(people: list[PersonFile], settings: dict | None = None, office: str | None = None,
           sections: list[str] | None = None, corrections: dict | None = None) -> Derived:
    """Roster rows, movements and grades of a batch of person files.

    ``office``: the office's unit name (else the settings' office name, else
    the longest unit prefix the batch's 现任职务 share). ``sections``: the
    office's known section names. ``corrections``: {(person_id, column,
    derived value): corrected value} accepted earlier.
    """
    settings = settings or S.defaults()
    corrections = corrections or {}
    gaps: list[PersonProblem] = []
    notes: list[PersonProblem] = []
    source = "option" if office else "none"
    if not office and settings.get("office_name"):
        office, source = settings["office_name"], "settings"
    if not office:
        office = guess_office([p.tags.get("XianRenZhiWu", "") for p in people])
        if office:
            source = "guessed"
            notes.append(problem(None, "office_guessed", value=office))
    if not office and people:
        gaps.append(problem(None, "office_unknown"))
    placer = Placer(settings, list(sections or []), office)
    # the sections the batch's current posts name exist now: they are known
    current = [placer.place(p.tags["XianRenZhiWu"]) for p in people
               if p.tags.get("XianRenZhiWu") and placer.inside(p.tags["XianRenZhiWu"])]
    named = sorted({c["section"] for c in current if c["section"] and c["sure_position"]})
    if set(named) - set(sections or []):
        placer = Placer(settings, list(sections or []) + named, office)

    rows, unsure_rows, moves, move_sure, grades = [], [], [], [], []
    photos, files = {}, {}
    seen: dict[str, str] = {}
    for p in people:
        row, uns, pg, pn = _roster_row(p, placer, corrections)
        pid = row["person_id"]
        if pid in seen:
            gaps.append(problem(p.file, "duplicate_person", "ShenFenZheng", value=pid, first=seen[pid]))
            continue
        seen[pid] = p.file
        gaps += pg
        notes += pn
        rows.append(row)
        unsure_rows.append(uns)
        files[pid] = p.file
        if p.photo:
            photos[pid] = p.photo
        mv, ms, mg = _movements(p, pid, placer, row)
        moves += mv
        move_sure += ms
        gaps += mg
        found, rest = annual_grades(p.tags.get("NianDuKaoHeJieGuo"))
        for year, grade in found:
            grades.append({"person_id": pid, "period": str(year), "period_kind": "annual",
                           "period_end": pd.Timestamp(year, 12, 31), "source": S.SOURCE_COMBINED,
                           "grade": grade})
        if rest:
            gaps.append(problem(p.file, "grades_unread", "NianDuKaoHeJieGuo", value=rest))
        if "XianRenZhiWu" not in p.tags:
            pass  # reported by the roster row (section and rank unsure)
    roster = pd.DataFrame(rows, columns=C.ROSTER_OUT)
    for c in DATE_COLUMNS:
        roster[c] = pd.to_datetime(roster[c])
    unsure = pd.DataFrame(unsure_rows, columns=C.ROSTER_OUT).fillna(False).astype(bool) if rows else \
        pd.DataFrame(columns=C.ROSTER_OUT, dtype=bool)
    mv = pd.DataFrame(moves, columns=C.MOVEMENTS_OUT)
    mv["date"] = pd.to_datetime(mv["date"])
    mv["seq"] = range(1, len(mv) + 1)
    asm = pd.DataFrame(grades, columns=C.ASSESSMENTS_OUT)
    asm["period_end"] = pd.to_datetime(asm["period_end"])
    return Derived(roster, unsure, mv, pd.Series(move_sure, dtype=bool), asm, gaps, notes,
                   photos, files, office, source)


def _roster_row(p: PersonFile, placer: Placer, corrections: dict):
    tags = p.tags
    f = p.file
    gaps, notes = [], []
    row = dict.fromkeys(C.ROSTER_OUT)
    uns = dict.fromkeys(C.ROSTER_OUT, False)

    def gap(col, code, tag, value=None, **params):
        uns[col] = True
        gaps.append(problem(f, code, tag, value=value, **params))

    name = norm(tags.get("XingMing"))
    row["name"] = name or None
    if not name:
        gap("name", "tag_missing", "XingMing")
    birth = parse_month(tags.get("ChuShengNianYue"))
    row["birth_date"] = birth
    if birth is None:
        gap("birth_date", "tag_missing" if "ChuShengNianYue" not in tags else "bad_month",
            "ChuShengNianYue", tags.get("ChuShengNianYue"))
    idc = norm(tags.get("ShenFenZheng")).upper()
    if _IDCARD.match(idc):
        row["person_id"] = idc
    else:
        row["person_id"] = person_key(name, birth)
        if idc:
            gaps.append(problem(f, "bad_idcard", "ShenFenZheng", value=idc, key=row["person_id"]))
        else:
            notes.append(problem(f, "id_hashed", "ShenFenZheng", value=row["person_id"]))
    g = norm(tags.get("XingBie"))
    row["gender"] = g if g in S.GENDERS else None
    if row["gender"] is None:
        gap("gender", "tag_missing" if not g else "bad_value", "XingBie", g or None)
    full = tags.get("QuanRiZhiJiaoYu_XueLi")
    part = tags.get("ZaiZhiJiaoYu_XueLi")
    ef, ep = education_of(full), education_of(part)
    order = S.EDUCATIONS
    if ef and (not ep or order.index(ef) <= order.index(ep)):
        row["education"], row["education_mode"] = ef, "全日制"
    elif ep:
        row["education"], row["education_mode"] = ep, "在职"
    if full and not ef:
        gap("education", "bad_value", "QuanRiZhiJiaoYu_XueLi", full)
    if part and not ep:
        gap("education", "bad_value", "ZaiZhiJiaoYu_XueLi", part)
    if not full and not part:
        gap("education", "tag_missing", "QuanRiZhiJiaoYu_XueLi")
    ps, sure = political_of(tags.get("RuDangShiJian"))
    row["political_status"] = ps
    if not sure:
        gap("political_status", "bad_value", "RuDangShiJian", tags.get("RuDangShiJian"))
    jw = tags.get("CanJiaGongZuoShiJian")
    row["join_work_date"] = parse_month(jw)
    if jw and row["join_work_date"] is None:
        gap("join_work_date", "bad_month", "CanJiaGongZuoShiJian", jw)
    post = tags.get("XianRenZhiWu")
    if not post:
        gap("section", "tag_missing", "XianRenZhiWu")
        uns["rank"] = True
    else:
        if placer.office_n and not placer.inside(post):
            gap("section", "post_outside_office", "XianRenZhiWu", post, office=placer.office)
        placed = placer.place(post)
        row["section"], row["position"], row["rank"] = placed["section"], placed["position"], placed["rank"]
        if not placed["sure_section"]:
            gap("section", "section_unknown", "XianRenZhiWu", post)
        if not placed["sure_position"]:
            gap("position", "post_unknown", "XianRenZhiWu", post)
        if row["rank"] is None:
            gap("rank", "rank_unknown", "XianRenZhiWu", post)
    row["status"] = "在职"
    # accepted corrections: same person, same column, same derived value
    for col in EDITABLE:
        key = (row["person_id"], col, _key_value(row[col]))
        if key in corrections:
            value = _corrected(col, corrections[key], placer)
            if value is not _INVALID:
                row[col] = value
                if uns[col]:
                    uns[col] = False
                    gaps[:] = [g for g in gaps if _gap_col(g) != col]
    uns_missing = {c: (row[c] is None) for c in REQUIRED}
    for c, miss in uns_missing.items():
        uns[c] = uns[c] or miss
    return row, uns, gaps, notes


_INVALID = object()
_GAP_COLUMNS = {"XingMing": "name", "ChuShengNianYue": "birth_date", "XingBie": "gender",
                "QuanRiZhiJiaoYu_XueLi": "education", "ZaiZhiJiaoYu_XueLi": "education",
                "RuDangShiJian": "political_status", "CanJiaGongZuoShiJian": "join_work_date"}


def _gap_col(g: PersonProblem) -> str | None:
    tag = (g.column or "").split("（", 1)[0]
    if tag == "XianRenZhiWu":
        return {"section_unknown": "section", "post_outside_office": "section", "tag_missing": "section",
                "post_unknown": "position", "rank_unknown": "rank"}.get(g.code)
    return _GAP_COLUMNS.get(tag)


def _key_value(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _corrected(col: str, text, placer: Placer):
    if text is None or text == "":
        return _INVALID if col in REQUIRED else None
    if col in DATE_COLUMNS:
        v = parse_month(text)
        return v if v is not None else _INVALID
    allowed = {"gender": S.GENDERS, "education": S.EDUCATIONS, "education_mode": S.EDUCATION_MODES,
               "political_status": S.POLITICAL_STATUSES, "rank": placer.ladder}.get(col)
    if allowed is not None and text not in allowed:
        return _INVALID
    return str(text)


def _movements(p: PersonFile, pid: str, placer: Placer, row: dict):
    """Movements from the 简历 lines inside the office."""
    lines, bad = resume_lines(p.tags.get("JianLi"))
    gaps = [problem(p.file, "resume_line", "JianLi", value=raw, line=i) for i, raw in bad]
    moves, sure = [], []
    if not placer.office_n:
        return moves, sure, gaps
    prev = None
    worked_outside = False
    for ln in lines:
        if not placer.inside(ln.text):
            if prev is None and not _STUDY.search(ln.text):
                worked_outside = True
            continue
        placed = placer.place(ln.text)
        cur = (placed["section"] if placed["sure_section"] else None, placed["position"], placed["rank"])
        ok = True
        if not placed["sure_section"]:
            gaps.append(problem(p.file, "resume_section", "JianLi", value=ln.raw, line=ln.line))
        if placed["position"] is None or placed["rank"] is None:
            gaps.append(problem(p.file, "resume_rank", "JianLi", value=ln.raw, line=ln.line))
        if prev is None:
            kind = "调入" if worked_outside else "录用"
        else:
            if cur[:2] == prev[:2] and (cur[2] == prev[2] or cur[2] is None or prev[2] is None):
                prev = cur
                continue
            up = placer.higher(cur[2], prev[2])
            if up is None:
                ok = False
                gaps.append(problem(p.file, "resume_kind", "JianLi", value=ln.raw, line=ln.line))
                kind = "轮岗"
            else:
                kind = "提拔" if up else "轮岗"
                if not up and not placed["sure_section"]:
                    ok = False  # a move to a section that cannot be placed may be no move
        if prev is None or cur[:2] != prev[:2]:
            post_start = ln.start   # a new rank in the same post keeps the post's start
        moves.append({"person_id": pid, "date": ln.start, "seq": 0, "kind": kind,
                      "from_section": prev[0] if prev else None, "to_section": cur[0],
                      "from_position": prev[1] if prev else None, "to_position": cur[1],
                      "from_rank": prev[2] if prev else None, "to_rank": cur[2],
                      "destination": None, "note": ln.raw[:200]})
        sure.append(ok)
        prev = cur
        last_start = ln.start
        if cur[1] == row["position"] and cur[0] == row["section"]:
            row["post_since"] = post_start
        if cur[2] is not None and cur[2] == row["rank"] and (row["rank_since"] is None or kind == "提拔"):
            row["rank_since"] = last_start
    # two movements of one kind on one date (a line split by 其间) keep the last
    seen = {}
    for i, m in enumerate(moves):
        seen[(m["date"], m["kind"])] = i
    keep = sorted(seen.values())
    return [moves[i] for i in keep], [sure[i] for i in keep], gaps
