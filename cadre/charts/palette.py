"""One colour per section and per grade, the same on every page and slide."""
from __future__ import annotations

import hashlib

# Okabe-Ito and Tableau-derived colours: distinguishable on a projector and by
# colour-blind viewers; the demo's sections take them in this order.
SECTION_COLOURS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#7F7F7F", "#B8860B", "#332288", "#117733", "#882255", "#44AA99",
]
KNOWN_SECTIONS = ["秘书一科", "秘书二科", "综合科", "信息科", "督查室", "法制科", "行政科", "接待科", "主任室"]

GRADE_COLOURS = {
    "优秀": "#1a7f37", "称职": "#0072B2", "基本称职": "#E69F00", "不称职": "#C0392B",
    "好": "#1a7f37", "较好": "#0072B2", "一般": "#E69F00", "较差": "#C0392B",
}
DIMENSION_COLOURS = {"德": "#332288", "能": "#0072B2", "勤": "#009E73", "绩": "#D55E00"}
SOURCE_COLOURS = {"实绩考核": "#0072B2", "民主评议": "#009E73", "主任室考评": "#D55E00", "科室自评": "#CC79A7", "综合": "#7F7F7F"}
GENDER_COLOURS = {"男": "#0072B2", "女": "#CC79A7"}
BASELINE = "#9AA0A6"
# The previous period drawn over this one as black outlines (the caption says so).
PREVIOUS_OUTLINE = "#333333"
SCENARIO = "#D55E00"


def section_colour(section: str) -> str:
    """A stable colour for a section name: known sections in order, others by hash."""
    if section in KNOWN_SECTIONS:
        return SECTION_COLOURS[KNOWN_SECTIONS.index(section) % len(SECTION_COLOURS)]
    digest = int(hashlib.sha1(str(section).encode("utf-8")).hexdigest(), 16)
    return SECTION_COLOURS[digest % len(SECTION_COLOURS)]

