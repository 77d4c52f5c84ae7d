"""Upload templates: workbooks an office fills in and uploads back.

``template_workbook(lang)`` holds the three dataset sheets (headers in the
chosen language, a few example rows) and a sheet explaining every column;
``template_bytes(dataset, lang)`` one dataset. Both load cleanly through
``cadre.ingest.read_upload``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cadre import settings as S
from cadre.i18n import t, value_label
from cadre.ingest import columns as C

D = dt.date

# Example rows, by canonical column; values are the contract's canonical words.
EXAMPLES = {
    "roster": [
        {"person_id": "1001", "name": "张伟", "gender": "男", "birth_date": D(1968, 5, 12),
         "education": "大学本科", "education_mode": "全日制", "major": "汉语言文学",
         "political_status": "中共党员", "join_work_date": D(1990, 7, 1), "section": "秘书一科",
         "position": "科长", "rank": "正股级", "rank_since": D(1997, 3, 1),
         "post_since": D(1997, 3, 1), "status": "在职", "reserve": "否"},
        {"person_id": "1002", "name": "李娜", "gender": "女", "birth_date": D(1975, 9, 3),
         "education": "大学专科", "education_mode": "在职", "major": "法律",
         "political_status": "共青团员", "join_work_date": D(1996, 8, 1), "section": "法制科",
         "position": "科员", "rank": "科员", "rank_since": D(1998, 1, 1),
         "post_since": D(1996, 8, 1), "status": "在职", "reserve": "是"},
        {"person_id": "1003", "name": "王强", "gender": "男", "birth_date": D(1962, 11, 20),
         "education": "中专", "political_status": "群众", "join_work_date": D(1981, 10, 1),
         "section": "综合科", "position": "副科长", "rank": "副股级", "rank_since": D(1995, 6, 1),
         "post_since": D(1999, 6, 1), "status": "在职", "reserve": "否"},
    ],
    "assessments": [
        {"person_id": "1001", "period": "1999", "source": "实绩考核", "de": 18, "neng": 17,
         "qin": 18, "ji": 36, "total": 89, "grade": "优秀", "section": "秘书一科"},
        {"person_id": "1001", "period": "1999", "source": "民主评议", "de": 17, "neng": 17,
         "qin": 18, "ji": 35, "total": 87, "grade": "优秀"},
        {"person_id": "1002", "period": "1999Q3", "source": "科室自评", "de": 16, "neng": 16,
         "qin": 17, "ji": 32, "total": 81, "grade": "较好", "section": "法制科"},
    ],
    "assessments_long": [
        {"person_id": "1003", "period": "1999", "source": "主任室考评", "dimension": d,
         "item": item, "item_type": typ, "score": sc, "max_score": mx}
        for d, item, typ, sc, mx in [
            ("德", "政治素质", "共性", 9, 10), ("德", "职业道德", "共性", 8.5, 10),
            ("能", "业务能力", "共性", 17, 20), ("勤", "出勤", "共性", 18, 20),
            ("绩", "公文办理", "个性", 22, 25), ("绩", "督查落实", "个性", 13, 15)]
    ],
    "movements": [
        {"person_id": "1001", "date": D(1997, 3, 1), "kind": "提拔", "from_section": "秘书一科",
         "to_section": "秘书一科", "from_position": "科员", "to_position": "科长",
         "from_rank": "副股级", "to_rank": "正股级"},
        {"person_id": "1002", "date": D(1996, 8, 1), "kind": "录用", "to_section": "法制科",
         "to_position": "科员", "to_rank": "办事员", "note": "公开招考"},
        {"person_id": "1003", "date": D(1999, 6, 1), "kind": "轮岗", "from_section": "法制科",
         "to_section": "综合科", "from_position": "副科长", "to_position": "副科长"},
    ],
}

_SPEC = {
    "roster": ("roster", "wide"),
    "assessments": ("assessments", "wide"),
    "assessments_long": ("assessments", "long"),
    "movements": ("movements", "wide"),
}
_SHEET = {"roster": "roster", "assessments": "assessments", "assessments_long": "assessments",
          "movements": "movements"}
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQ_FILL = PatternFill("solid", fgColor="FCE4D6")


def header_text(col: C.Column, lang: str) -> str:
    return col.zh if lang == "zh" else col.name


def sheet_name(dataset: str, lang: str) -> str:
    name = t(f"ingest.dataset.{_SHEET[dataset]}", "zh") if lang == "zh" else _SHEET[dataset]
    if dataset == "assessments_long":
        name += t("ingest.tpl.long_suffix", lang)
    return name


def _allowed_text(col: C.Column, dataset: str, lang: str, settings: dict) -> str:
    sep = "、" if lang == "zh" else ", "

    def words(ws):
        if lang == "zh":
            return sep.join(ws)
        return sep.join(f"{w} ({value_label(w, 'en')})" for w in ws)

    maxima = settings.get("maxima", S.DEFAULTS["maxima"])
    if col.kind == "rank":
        return words(settings.get("ladder", S.DEFAULTS["ladder"]))
    if col.kind == "source":
        return t("ingest.tpl.source", lang, values=words(S.SOURCES))
    if col.kind == "grade":
        return t("ingest.tpl.grade", lang, annual=words(S.ANNUAL_GRADES),
                 quarterly=words(S.QUARTERLY_GRADES))
    if col.name in S.DIM_COLUMNS.values():
        dim = next(k for k, v in S.DIM_COLUMNS.items() if v == col.name)
        return t("ingest.tpl.dim", lang, max=f"{float(maxima[dim]):g}")
    if col.kind == "enum":
        return words(col.allowed)
    if col.kind == "bool":
        return words(["是", "否"])
    key = {"date": "date", "period": "period", "id": "id", "number": "number"}.get(col.kind, "text")
    special = {"total": "total", "score": "score", "max_score": "max_score"}.get(col.name)
    return t(f"ingest.tpl.{special or key}", lang)


def _write_dataset(ws, dataset: str, lang: str) -> None:
    ds, form = _SPEC[dataset]
    cols = C.columns(ds, form)
    ws.append([header_text(c, lang) for c in cols])
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.fill = _REQ_FILL if c.required else _HEAD_FILL
        ws.column_dimensions[cell.column_letter].width = max(10, 2 * len(cell.value) + 2)
    for ex in EXAMPLES[dataset]:
        ws.append([ex.get(c.name) for c in cols])
    for j, c in enumerate(cols, start=1):
        if c.kind == "date":
            for i in range(2, ws.max_row + 1):
                ws.cell(row=i, column=j).number_format = "yyyy-mm-dd"
        elif c.kind in ("id", "period"):
            for i in range(2, ws.max_row + 1):
                ws.cell(row=i, column=j).number_format = "@"
    ws.freeze_panes = "A2"


def _write_help(ws, datasets: list[str], lang: str, settings: dict) -> None:
    ws.append([t("ingest.tpl.title", lang)])
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.append([t("ingest.tpl.intro", lang)])
    heads = [t(f"ingest.tpl.head.{k}", lang) for k in ("dataset", "zh", "en", "required", "values")]
    ws.append(heads)
    hrow = ws.max_row
    for j in range(1, len(heads) + 1):
        ws.cell(row=hrow, column=j).font = Font(bold=True)
        ws.cell(row=hrow, column=j).fill = _HEAD_FILL
    for dataset in datasets:
        ds, form = _SPEC[dataset]
        for c in C.columns(ds, form):
            ws.append([sheet_name(dataset, lang), c.zh, c.name,
                       t("ingest.tpl.yes" if c.required else "ingest.tpl.no", lang),
                       _allowed_text(c, dataset, lang, settings)])
    for letter, width in zip("ABCDE", (16, 16, 18, 8, 70)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=hrow + 1):
        row[4].alignment = Alignment(wrap_text=True)


def _workbook(datasets: list[str], lang: str, settings: dict | None) -> bytes:
    settings = settings or S.defaults()
    wb = Workbook()
    first = True
    for dataset in datasets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet_name(dataset, lang)
        _write_dataset(ws, dataset, lang)
    _write_help(wb.create_sheet(t("ingest.tpl.help_sheet", lang)), datasets, lang, settings)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_workbook(lang: str = "zh", settings: dict | None = None) -> bytes:
    """One XLSX: the three dataset sheets with example rows, and the column guide."""
    return _workbook(["roster", "assessments", "movements"], lang, settings)


def template_bytes(dataset: str, lang: str = "zh", fmt: str = "xlsx",
                   settings: dict | None = None) -> bytes:
    """One dataset's template: ``dataset`` is roster, assessments,
    assessments_long (item-level scores) or movements; ``fmt`` xlsx (with the
    column guide) or csv (UTF-8 with BOM, which Excel opens correctly)."""
    if dataset not in _SPEC:
        raise ValueError(f"unknown dataset {dataset!r}")
    if fmt == "xlsx":
        return _workbook([dataset], lang, settings)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}")
    ds, form = _SPEC[dataset]
    cols = C.columns(ds, form)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([header_text(c, lang) for c in cols])
    for ex in EXAMPLES[dataset]:
        w.writerow(["" if ex.get(c.name) is None else
                    (ex[c.name].isoformat() if isinstance(ex[c.name], dt.date) else ex[c.name])
                    for c in cols])
    return buf.getvalue().encode("utf-8-sig")
