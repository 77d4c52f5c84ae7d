"""The contract's settings and their defaults.

Settings live in the store (table ``settings``, one JSON value per key); this
module holds the defaults and the vocabulary every other module shares.
Canonical stored values are the contract's Chinese values.
"""
from __future__ import annotations

import copy

DIMENSIONS = ["德", "能", "勤", "绩"]
# Column names used for the dimension scores in the store and DataFrames.
DIM_COLUMNS = {"德": "de", "能": "neng", "勤": "qin", "绩": "ji"}
SOURCES = ["实绩考核", "民主评议", "主任室考评", "科室自评"]
SOURCE_COMBINED = "综合"  # a person's only source when no source column is given
GENDERS = ["男", "女"]
EDUCATIONS = ["研究生", "大学本科", "大学专科", "中专", "高中及以下"]  # high to low
EDUCATION_MODES = ["全日制", "在职"]
POLITICAL_STATUSES = ["中共党员", "共青团员", "民主党派", "群众"]
STATUSES = ["在职", "调出", "退休", "离职"]
MOVEMENT_KINDS = ["录用", "调入", "提拔", "轮岗", "调出", "退休", "免职"]
MOVEMENT_KIND_EN = {
    "录用": "hire", "调入": "transfer_in", "提拔": "promotion", "轮岗": "rotation",
    "调出": "transfer_out", "退休": "retire", "免职": "removal",
}
ANNUAL_GRADES = ["优秀", "称职", "基本称职", "不称职"]
QUARTERLY_GRADES = ["好", "较好", "一般", "较差"]
AGE_BANDS = ["<=30", "31-35", "36-40", "41-45", "46-50", "51-55", "56+"]

DEFAULTS: dict = {
    "office_name": "",          # shown on the review pack's title slide; empty: 本单位
    "ladder": ["办事员", "科员", "副股级", "正股级", "副科级", "正科级"],
    "leadership_section": "主任室",
    "leadership_posts": ["主任", "副主任"],
    "head_posts": ["科长", "主任"],
    "deputy_posts": ["副科长", "副主任"],
    # post -> rank for 任免审批表 files: per section name, "" for any other section
    "post_ranks": {
        "主任室": {"主任": "正科级", "副主任": "副科级"},
        "": {"主任": "正股级", "科长": "正股级", "副主任": "副股级", "副科长": "副股级",
             "科员": "科员", "办事员": "办事员"},
    },
    "dimension_weights": {"德": 0.2, "能": 0.2, "勤": 0.2, "绩": 0.4},
    "source_weights": {"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1},
    "maxima": {"德": 20.0, "能": 20.0, "勤": 20.0, "绩": 40.0},
    "annual_grades": {
        "quota": 0.15,          # share of those assessed who may be 优秀
        "top_floor": 85.0,      # 优秀 only at composite >= this
        "basic_floor": 60.0,    # 基本称职 from here; below: 不称职
        "competent_floor": 70.0,  # 称职 from here; below: 基本称职
    },
    "quarterly_grades": {
        "quota": 0.40,          # share who may be 好
        "top_floor": 90.0,      # 好 at >= 90 within the quota, beyond it 较好
        "good_floor": 80.0,     # 较好 80 to below 90
        "fair_floor": 60.0,     # 一般 60 to below 80; below: 较差
    },
    "egalitarian_std": 2.0,     # a section-period with std below this is flagged
    "egalitarian_min_n": 3,
    "turn_taking_share": 0.5,
    "turn_taking_min_awards": 3,
    "min_section_n": 3,         # sections with fewer assessed are shown with a warning
    "rotation_years": 5,
    "retirement_age": {"男": 60, "女": 55},
    # the gradual rise of the retirement age from 2025 (by month of birth), cadre.foresight.retirement
    "retirement_rise": False,
    "structure_targets": {      # shown as target lines on the structure page
        "middle_under_40_share": 0.30,
        "bachelor_or_above_share": 0.60,
    },
    "promotion_rules": {        # per step: rules to reach this rank from the one below
        "科员": {"min_years_in_rank": 1, "min_years_service": 1, "grade_years": 3,
                "no_basic_in_years": True, "min_excellent": 0, "education_floor": "高中及以下"},
        "副股级": {"min_years_in_rank": 3, "min_years_service": 3, "grade_years": 3,
                 "no_basic_in_years": True, "min_excellent": 0, "education_floor": "中专"},
        "正股级": {"min_years_in_rank": 2, "min_years_service": 5, "grade_years": 3,
                 "no_basic_in_years": True, "min_excellent": 1, "education_floor": "大学专科"},
        "副科级": {"min_years_in_rank": 2, "min_years_service": 8, "grade_years": 3,
                 "no_basic_in_years": True, "min_excellent": 1, "education_floor": "大学专科"},
        "正科级": {"min_years_in_rank": 3, "min_years_service": 10, "grade_years": 3,
                 "no_basic_in_years": True, "min_excellent": 1, "education_floor": "大学本科"},
    },
    # The rank rules' preset in force (cadre.foresight.rules.PRESETS: "demo", "rank-2019") and
    # the time-in-rank rules the 2019 preset turns on (docs/contract.md, "Rank rules presets").
    "rank_preset": "demo",
    "rank_whole_months": False,  # years in rank in whole months from the month the rank was taken
    "rank_grade_adjust": {"excellent_shortens_years": 0.0, "basic_lengthens_years": 0.0},
    "rank_places": {},           # 职数: places per rank (a rank not listed, or 0: no limit)
    "bonus": {"pool": 100000.0, "coefficients": {"优秀": 1.2, "称职": 1.0, "基本称职": 0.5, "不称职": 0.0}},
    "age_bands": AGE_BANDS,
    # The appraisal meeting (评定会) and commendation (评先评优), cadre.appraisal.
    "appraisal_section_quota": 0.0,   # top-grade share per section as well (0: office-wide only)
    "commend_individuals": {"clean_years": 3, "section_share": 0.2, "places": 5},
    "commend_section_weights": {"mean": 0.5, "top_share": 0.3, "improvement": 0.2},
    "commend_sections_top": 2,
    # The talent review matrix (人才盘点, cadre.succession.review): the percentiles of the last
    # three years' mean composite within the office that cut low | middle | high performance.
    "talent_cut_points": {"low": 0.3, "high": 0.7},

    "undo_depth": 10,           # the last this many uploads can be undone, one after another
    "session_idle_minutes": 30,  # a signed-in session ends after this long without a click
    "upload_limit_mb": 50,       # largest file an upload accepts (per file)
}


def defaults() -> dict:
    """A deep copy of the defaults, safe to mutate."""
    return copy.deepcopy(DEFAULTS)
