"""The upload datasets' columns, header aliases and value aliases.

This is the one place that says which header texts and which cell words the
readers accept. Column mapping for foreign exports extends ``HEADER_ALIASES``
(or calls :func:`add_header_aliases`) and ``VALUE_ALIASES``; nothing else in
the package hard-codes a header or a vocabulary word.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from cadre import settings as S

DATASETS = ("roster", "assessments", "movements")

# Sheet names that designate a dataset (normalised with ``fold``).
SHEET_NAMES = {
    "roster": ["人员名册", "roster", "名册", "人员信息"],
    "assessments": ["考核成绩", "assessments", "assessment", "考核", "成绩"],
    "movements": ["任免记录", "movements", "任免", "人事变动"],
}


@dataclass(frozen=True)
class Column:
    """One column of an upload dataset.

    kind: text | id | date | enum | rank | number | period | bool | source | grade
    """
    name: str
    zh: str
    required: bool
    kind: str = "text"
    allowed: tuple = ()
    aliases: tuple = field(default=())


def _c(name, zh, required, kind="text", allowed=(), aliases=()):
    return Column(name, zh, required, kind, tuple(allowed), tuple(aliases))


_PERSON_ID = _c("person_id", "编号", True, "id",
                aliases=("人员编号", "工号", "职工编号", "个人编号", "id", "personid", "staffid"))

ROSTER = [
    _PERSON_ID,
    _c("name", "姓名", True, aliases=("名字",)),
    _c("gender", "性别", True, "enum", S.GENDERS, aliases=("sex",)),
    _c("birth_date", "出生日期", True, "date", aliases=("出生年月", "出生时间", "出生年月日", "birthdate", "dob", "dateofbirth")),
    _c("education", "学历", True, "enum", S.EDUCATIONS, aliases=("文化程度", "最高学历")),
    _c("education_mode", "学历类型", False, "enum", S.EDUCATION_MODES, aliases=("学历性质", "教育类型")),
    _c("major", "专业", False, aliases=("所学专业",)),
    _c("political_status", "政治面貌", False, "enum", S.POLITICAL_STATUSES, aliases=("political",)),
    _c("join_work_date", "参加工作时间", False, "date", aliases=("参加工作日期", "工作时间", "joinworkdate", "joindate")),
    _c("section", "科室", True, aliases=("所在科室", "部门", "department", "dept")),
    _c("position", "职务", False, aliases=("现职务", "post")),
    _c("rank", "职级", True, "rank", aliases=("级别", "现职级", "grade_level")),
    _c("rank_since", "任现职级时间", False, "date", aliases=("任职级时间", "现职级时间", "ranksince")),
    _c("post_since", "任现岗位时间", False, "date", aliases=("任现职时间", "任现职务时间", "任岗时间", "postsince")),
    _c("status", "状态", False, "enum", S.STATUSES, aliases=("人员状态", "在职状态")),
    _c("reserve", "后备干部", False, "bool", aliases=("是否后备干部", "后备", "reservecadre")),
]

_ASSESS_KEYS = [
    _PERSON_ID,
    _c("period", "考核期", True, "period", aliases=("考核周期", "考核期间", "考核年度", "期间")),
    _c("source", "考核主体", False, "source", S.SOURCES, aliases=("考核来源", "评价主体", "考核类型")),
]
WIDE_DIMS = [
    _c("de", "德", True, "number", aliases=("德分", "integrity")),
    _c("neng", "能", True, "number", aliases=("能分", "ability")),
    _c("qin", "勤", True, "number", aliases=("勤分", "diligence")),
    _c("ji", "绩", True, "number", aliases=("绩分", "performance")),
]
_ASSESS_TAIL = [
    _c("total", "总分", False, "number", aliases=("合计", "总成绩", "得分合计")),
    _c("grade", "等次", False, "grade", S.ANNUAL_GRADES + S.QUARTERLY_GRADES, aliases=("考核等次", "考核结果", "等级")),
    _c("section", "科室", False, aliases=("所在科室", "部门", "department", "dept")),
]
# A person's own maximum per dimension (what item-level rows sum to), so that
# a downloaded assessments table loads back unchanged.
WIDE_MAXIMA = [_c("max_" + en, zh + "满分", False, "number", aliases=("max" + en,))
               for zh, en in S.DIM_COLUMNS.items()]
ASSESSMENTS_WIDE = _ASSESS_KEYS + WIDE_DIMS + _ASSESS_TAIL + WIDE_MAXIMA
ASSESSMENTS_LONG = _ASSESS_KEYS + [
    _c("dimension", "考核维度", True, "enum", S.DIMENSIONS, aliases=("维度", "考核内容")),
    _c("item", "考核项目", False, aliases=("项目", "指标", "考核指标")),
    _c("item_type", "项目类型", False, "enum", ["共性", "个性"], aliases=("指标类型", "itemtype")),
    _c("score", "得分", True, "number", aliases=("分数", "评分")),
    _c("max_score", "满分", False, "number", aliases=("分值", "标准分", "maxscore")),
    _c("grade", "等次", False, "grade", S.ANNUAL_GRADES + S.QUARTERLY_GRADES, aliases=("考核等次", "考核结果", "等级")),
    _c("section", "科室", False, aliases=("所在科室", "部门", "department", "dept")),
]

MOVEMENTS = [
    _PERSON_ID,
    _c("date", "日期", True, "date", aliases=("任免日期", "变动日期", "任职时间", "时间")),
    _c("kind", "类型", True, "enum", S.MOVEMENT_KINDS, aliases=("变动类型", "任免类型", "type")),
    _c("from_section", "原科室", False, aliases=("原部门",)),
    _c("to_section", "新科室", False, aliases=("新部门", "现科室")),
    _c("from_position", "原职务", False),
    _c("to_position", "新职务", False, aliases=("现职务",)),
    _c("from_rank", "原职级", False, "rank", aliases=("原级别",)),
    _c("to_rank", "新职级", False, "rank", aliases=("新级别",)),
    _c("destination", "去向单位", False, aliases=("去向", "调往单位")),
    _c("note", "备注", False, aliases=("说明", "remark", "remarks")),
]

# The column sets a header row is matched against. "assessments" has two
# forms; the others one.
FORMS = {
    ("roster", "wide"): ROSTER,
    ("assessments", "wide"): ASSESSMENTS_WIDE,
    ("assessments", "long"): ASSESSMENTS_LONG,
    ("movements", "wide"): MOVEMENTS,
}

# A header row holding these (but not every required column) is taken to be
# that dataset with columns missing, rather than an unrecognised table.
KEY_COLUMNS = {
    ("roster", "wide"): ("person_id", "name"),
    ("assessments", "wide"): ("person_id", "period"),
    ("assessments", "long"): ("person_id", "period", "dimension"),
    ("movements", "wide"): ("person_id", "kind"),
}

# Output columns (the store's tables minus batch_id).
ROSTER_OUT = [c.name for c in ROSTER]
ASSESSMENTS_OUT = ["person_id", "period", "period_kind", "period_end", "source",
                   "de", "neng", "qin", "ji", "max_de", "max_neng", "max_qin", "max_ji",
                   "grade", "section"]
MOVEMENTS_OUT = ["person_id", "date", "seq"] + [c.name for c in MOVEMENTS[2:]]


def fold(text) -> str:
    """Header / word key: NFKC (full-width folded), trimmed, no inner spaces,
    lower case."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"\s+", "", s)


_DECOR = re.compile(r"^[*＊]+|[*＊]+$")
_PAREN_SUFFIX = re.compile(r"\([^()]*\)$|\[[^\[\]]*\]$|【[^【】]*】$")


def header_keys(text) -> list[str]:
    """The keys a header cell is looked up by: folded text, then without a
    required-marker ``*`` and without a trailing note in parentheses
    (``德(20分)``, ``出生日期(yyyy-mm-dd)``)."""
    k = fold(text)
    keys = [k]
    k2 = _DECOR.sub("", k)
    if k2 != k:
        keys.append(k2)
    k3 = _PAREN_SUFFIX.sub("", k2)
    if k3 != k2 and k3:
        keys.append(_DECOR.sub("", k3))
    return keys


# Extra header aliases a caller registered: {(dataset, form): {key: canonical}}.
HEADER_ALIASES: dict[tuple[str, str], dict[str, str]] = {}


def add_header_aliases(dataset: str, mapping: dict[str, str], form: str | None = None) -> None:
    """Register extra header texts (e.g. a foreign system's export):
    ``{"header text": "canonical_name"}``."""
    forms = [f for (d, f) in FORMS if d == dataset and (form is None or f == form)]
    for f in forms:
        HEADER_ALIASES.setdefault((dataset, f), {}).update({fold(k): v for k, v in mapping.items()})


def header_map(dataset: str, form: str) -> dict[str, str]:
    """{folded header text: canonical column name} for one dataset form."""
    out: dict[str, str] = {}
    for col in FORMS[(dataset, form)]:
        for text in (col.name, col.zh, col.name.replace("_", " "), col.name.replace("_", ""), *col.aliases):
            out.setdefault(fold(text), col.name)
    out.update(HEADER_ALIASES.get((dataset, form), {}))
    return out


def columns(dataset: str, form: str = "wide") -> list[Column]:
    return FORMS[(dataset, form)]


def column(dataset: str, form: str, name: str) -> Column:
    for c in FORMS[(dataset, form)]:
        if c.name == name:
            return c
    raise KeyError(name)


# Cell-word aliases, folded key -> canonical (Chinese) value, per column kind
# or column name. Canonical words themselves always match.
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "gender": {"m": "男", "f": "女", "male": "男", "female": "女", "man": "男", "woman": "女",
               "男性": "男", "女性": "女"},
    "education": {"postgraduate": "研究生", "graduate": "研究生", "master": "研究生", "doctor": "研究生",
                  "phd": "研究生", "硕士研究生": "研究生", "博士研究生": "研究生", "硕士": "研究生", "博士": "研究生",
                  "bachelor": "大学本科", "undergraduate": "大学本科", "本科": "大学本科",
                  "college": "大学专科", "associate": "大学专科", "专科": "大学专科", "大专": "大学专科",
                  "secondaryvocational": "中专", "vocational": "中专",
                  "highschoolorbelow": "高中及以下", "highschool": "高中及以下", "高中": "高中及以下",
                  "初中": "高中及以下", "高中以下": "高中及以下"},
    "education_mode": {"full-time": "全日制", "fulltime": "全日制", "part-time": "在职", "parttime": "在职",
                       "inservice": "在职", "在职教育": "在职"},
    "political_status": {"cpcmember": "中共党员", "cpc": "中共党员", "党员": "中共党员", "中共预备党员": "中共党员",
                         "预备党员": "中共党员", "cylmember": "共青团员", "cyl": "共青团员", "团员": "共青团员",
                         "democraticparty": "民主党派", "nonparty": "群众", "noparty": "群众", "masses": "群众",
                         "none": "群众"},
    "status": {"inservice": "在职", "active": "在职", "transferredout": "调出", "retired": "退休",
               "left": "离职", "resigned": "离职"},
    "kind": {**{en: zh for zh, en in S.MOVEMENT_KIND_EN.items()},
             "transferin": "调入", "transferout": "调出", "retirement": "退休", "appointment": "录用",
             "提升": "提拔", "晋升": "提拔", "交流": "轮岗", "交流轮岗": "轮岗", "辞职": "免职"},
    "source": {"performance": "实绩考核", "performancereview": "实绩考核", "results": "实绩考核",
               "peer": "民主评议", "peerreview": "民主评议", "democratic": "民主评议",
               "directors": "主任室考评", "directorsreview": "主任室考评", "director": "主任室考评",
               "self": "科室自评", "sectionself-review": "科室自评", "selfreview": "科室自评",
               "self-review": "科室自评",
               "combined": "综合", "overall": "综合", "综合": "综合"},
    "dimension": {"de": "德", "neng": "能", "qin": "勤", "ji": "绩", "integrity": "德",
                  "ability": "能", "diligence": "勤", "performance": "绩"},
    "item_type": {"common": "共性", "shared": "共性", "general": "共性", "individual": "个性",
                  "specific": "个性", "personal": "个性"},
    "grade": {"excellent": "优秀", "competent": "称职", "basicallycompetent": "基本称职",
              "incompetent": "不称职", "good": "好", "fairlygood": "较好", "fair": "一般", "poor": "较差"},
    "rank": {"clerk": "办事员", "staffmember": "科员", "staff": "科员", "deputyunitchief": "副股级",
             "unitchief": "正股级", "deputysectionchief": "副科级", "sectionchief": "正科级"},
}

BOOL_WORDS = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False,
              "1": True, "0": False, "true": True, "false": False, "t": True, "f": False,
              "√": True, "×": False, "1.0": True, "0.0": False}


def value_map(name: str, allowed) -> dict[str, str]:
    """{folded word: canonical word} for one enum-like column."""
    out = {fold(v): v for v in allowed}
    for k, v in VALUE_ALIASES.get(name, {}).items():
        if v in allowed:
            out.setdefault(fold(k), v)
    return out
