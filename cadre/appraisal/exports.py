"""What the meeting leaves behind: the 公示 list (XLSX and a one-page PDF in
Chinese, ready to post), the meeting record (会议记录, XLSX and a slide in
the review pack), and the plain-text view of ``appraisal show``.

Names are masked only when the caller asks (``mask``). The PDF is printed
by the product's one PDF printer (``cadre.export.pdf``) on one A4 page.
"""
from __future__ import annotations

import datetime as dt
import html
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cadre import access, i18n, masking
from cadre.appraisal import session as session_mod
from cadre.export import pdf, slide
from cadre.export.tables import FORMULA_STARTS, safe_cell, to_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _t(lang: str, key: str, **params) -> str:
    return i18n.t(key, lang, **params)


def _date(d, lang: str) -> str:
    return "" if d is None or pd.isna(d) else i18n.format_date(pd.Timestamp(d).date(), lang)


def _labels(values: pd.Series, lang: str) -> pd.Series:
    """Stored vocabulary values in ``lang`` (one dictionary lookup per column)."""
    if lang == i18n.DEFAULT_LANGUAGE:
        return values.astype(object)
    words = {k[len("value."):]: v for k, v in i18n.catalogue(lang).items() if k.startswith("value.")}
    return values.astype(object).map(words).where(values.isin(list(words)), values.astype(object))


def _names(frame: pd.DataFrame, mask: bool) -> pd.Series:
    names = frame["name"].astype(object).where(frame["name"].notna(), "")
    return masking.mask_series(names) if mask else names


# --------------------------------------------------------------------------- 公示

def notice_tables(st: session_mod.State, lang: str, mask: bool) -> dict:
    """The 公示's three lists as display frames (headers in ``lang``):
    grades (the top grade and those below 称职), 先进个人, 先进科室."""
    b = st.board
    shown = b.people[b.people["grade"].isin([b.labels[0], *b.labels[2:]])].copy()
    shown["order"] = shown["grade"].map({g: i for i, g in enumerate(b.labels)})
    shown = shown.sort_values(["order", "section", "rank", "person_id"])
    grades = pd.DataFrame({
        _t(lang, "appraisal.col.no"): range(1, len(shown) + 1),
        _t(lang, "col.name"): _names(shown, mask).to_numpy(),
        _t(lang, "col.section"): _labels(shown["section"], lang).to_numpy(),
        _t(lang, "appraisal.col.grade"): _labels(shown["grade"], lang).to_numpy(),
    })
    ind = st.individuals[st.individuals["commended"]].sort_values(["place", "composite"], ascending=[True, False],
                                                                   na_position="last")
    people = pd.DataFrame({
        _t(lang, "appraisal.col.no"): range(1, len(ind) + 1),
        _t(lang, "col.name"): _names(ind, mask).to_numpy(),
        _t(lang, "col.section"): _labels(ind["section"], lang).to_numpy(),
    })
    sec = st.sections[st.sections["commended"]]
    sections = pd.DataFrame({
        _t(lang, "appraisal.col.no"): range(1, len(sec) + 1),
        _t(lang, "col.section"): _labels(sec["section"], lang).to_numpy(),
    })
    return {"grades": grades, "individuals": people, "sections": sections}


def notice_texts(settings: dict, st: session_mod.State, lang: str, today: dt.date | None = None) -> dict:
    office = settings.get("office_name") or _t(lang, "pack.office_default")
    s = st.session
    start, end = (s["notice_from"], s["notice_to"])
    if start is None or end is None:
        start, end = session_mod.default_notice(today)
    period = i18n.format_period(st.board.period, lang)
    return {
        "office": office,
        "title": _t(lang, "appraisal.notice.title", office=office, period=period),
        "intro": _t(lang, "appraisal.notice.intro", office=office, period=period),
        "dates": _t(lang, "appraisal.notice.dates", start=_date(start, lang), end=_date(end, lang)),
        "draft": "" if s["status"] == "closed" else _t(lang, "appraisal.notice.draft"),
        "sign": office,
        "signed": _date(start, lang),
    }


def notice_xlsx(settings: dict, st: session_mod.State, lang: str = "zh", mask: bool = False) -> bytes:
    """The 公示 as one sheet: title, dates, the three lists one under another."""
    texts = notice_texts(settings, st, lang)
    tables = notice_tables(st, lang, mask)
    wb = Workbook()
    ws = wb.active
    ws.title = _t(lang, "appraisal.notice.sheet")[:31]
    ws.append([texts["title"]])
    ws["A1"].font = Font(size=16, bold=True)
    lines = [texts["intro"], texts["dates"]] + ([texts["draft"]] if texts["draft"] else [])
    for line in lines:
        ws.append([line])
    for key in ("grades", "individuals", "sections"):
        ws.append([])
        ws.append([_t(lang, f"appraisal.notice.part.{key}")])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13)
        frame = tables[key]
        ws.append([str(c) for c in frame.columns])
        if not len(frame):
            ws.append([_t(lang, "appraisal.notice.none")])
        for row in frame.itertuples(index=False, name=None):
            ws.append([safe_cell(v) for v in row])
    ws.append([])
    ws.append([texts["sign"]])
    ws.append([texts["signed"]])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
            cell.alignment = Alignment(wrap_text=False, vertical="center")
    for col, width in zip("ABCD", (8, 18, 20, 12)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# The A4 page's text area (portrait, margins 16 mm × 18 mm), in CSS pixels.
NOTICE_W_MM, NOTICE_H_MM = 210 - 2 * 18, 297 - 2 * 16
_PX_PER_MM = 96 / 25.4
# The whole notice is scaled down to fit one page, never below this (a
# city's list longer than that runs onto more pages, the signature kept
# with the last rows).
NOTICE_MIN_ZOOM = 0.5
NOTICE_CSS = f"""
@page {{ size: A4 portrait; margin: 16mm 18mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; font-family: {pdf.PRINT_FONT_STACK}; color: #000; }}
.sheet {{ width: {NOTICE_W_MM}mm; }}
h1 {{ text-align: center; font-size: 20pt; margin: 0 0 10pt 0; }}
p {{ margin: 4pt 0; line-height: 1.5; }}
.draft {{ color: #a00; font-weight: 700; }}
h2 {{ font-size: 13pt; margin: 10pt 0 4pt 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 2pt 6pt; text-align: left; }}
th {{ background: #eee; }}
.sign {{ text-align: right; margin-top: 14pt; break-before: avoid; break-inside: avoid; }}
"""
# Measured in the browser before printing, at the printed width: the sheet
# is zoomed to the page's height when it is taller (the signature and date
# fell alone onto a second page). The printed layout runs a few per cent
# taller than the screen layout measured here (40 rows zoomed to 98 % of the
# page still spilled over), hence 92 %; test_pdf_printer prints 20–70 rows.
NOTICE_ROOM_PX = NOTICE_H_MM * _PX_PER_MM * 0.92   # CSS pixels (a layout size, not a figure)
NOTICE_FIT = f"""<script>(function () {{
  var sheet = document.querySelector('.sheet');
  var room = {NOTICE_ROOM_PX}, tall = sheet.getBoundingClientRect().height;
  if (tall > room) sheet.style.zoom = Math.max({NOTICE_MIN_ZOOM}, room / tall);
}})();</script>"""


def notice_html(settings: dict, st: session_mod.State, lang: str = "zh", mask: bool = False) -> str:
    """The 公示 as one A4 page (type shrinks with the number of rows)."""
    e = html.escape
    texts = notice_texts(settings, st, lang)
    tables = notice_tables(st, lang, mask)
    rows = sum(max(1, len(t)) + 1 for t in tables.values())
    size = max(6.0, min(12.0, 12.0 * 30 / max(rows, 1)))
    parts = [f"<h1>{e(texts['title'])}</h1>", f"<p>{e(texts['intro'])}</p>", f"<p>{e(texts['dates'])}</p>"]
    if texts["draft"]:
        parts.append(f'<p class="draft">{e(texts["draft"])}</p>')
    for key, frame in tables.items():
        parts.append(f"<h2>{e(_t(lang, f'appraisal.notice.part.{key}'))}</h2>")
        if not len(frame):
            parts.append(f"<p>{e(_t(lang, 'appraisal.notice.none'))}</p>")
            continue
        head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                       for row in frame.itertuples(index=False, name=None))
        parts.append(f'<table style="font-size:{size:.1f}pt"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    parts.append(f'<p class="sign">{e(texts["sign"])}<br>{e(texts["signed"])}</p>')
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><style>{NOTICE_CSS}</style>'
            f"</head><body><div class=\"sheet\">{''.join(parts)}</div>{NOTICE_FIT}</body></html>")


def notice_pdf(settings: dict, st: session_mod.State, lang: str = "zh", mask: bool = False) -> bytes:
    """The 公示 as a one-page A4 PDF (through the one PDF printer)."""
    return pdf.pdf_bytes(notice_html(settings, st, lang, mask), name="notice")


# --------------------------------------------------------------------------- 会议记录

def _users(names: pd.Series, lang: str) -> pd.Series:
    """Stored user names as people read them (one lookup per distinct name)."""
    words = {n: access.user_label(n, lang) for n in names.dropna().unique()}
    return names.map(words).where(names.notna(), "").astype(object)


def record_frame(st: session_mod.State, lang: str, mask: bool) -> pd.DataFrame:
    """Every move: order, time, who, what, before, after, reason, flags."""
    m = st.moves
    names = masking.mask_series(m["name"].astype(object).where(m["name"].notna(), "")) if mask \
        else m["name"].astype(object).where(m["name"].notna(), "")

    def word(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return _t(lang, f"appraisal.tick.{v}") if v in ("on", "off") else i18n.value_label(v, lang)

    yes = "✓"
    return pd.DataFrame({
        _t(lang, "appraisal.col.no"): m["seq"].to_numpy(),
        _t(lang, "appraisal.col.time"): m["moved_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),   # as every page shows a time
        _t(lang, "appraisal.col.user"): _users(m["user_name"], lang).to_numpy(),
        _t(lang, "appraisal.col.kind"): m["kind"].map(lambda k: _t(lang, f"appraisal.kind.{k}")).to_numpy(),
        _t(lang, "col.person_id"): m["subject"].where(m["kind"] != "section", "").to_numpy(),
        _t(lang, "col.name"): names.to_numpy(),
        _t(lang, "col.section"): m["section"].map(word).to_numpy(),
        _t(lang, "appraisal.col.before"): m["from_value"].map(word).to_numpy(),
        _t(lang, "appraisal.col.after"): m["to_value"].map(word).to_numpy(),
        _t(lang, "appraisal.col.reason"): m["reason"].to_numpy(),
        _t(lang, "appraisal.col.breaks_quota"): m["breaks_quota"].map({True: yes, False: ""}).to_numpy(),
        _t(lang, "appraisal.col.below_floor"): m["below_floor"].map({True: yes, False: ""}).to_numpy(),
        _t(lang, "appraisal.col.undone"): m["undone"].map({True: yes, False: ""}).to_numpy(),
    })


def quota_frame(st: session_mod.State, lang: str) -> pd.DataFrame:
    """Grade counts at the start and now, with the quota check."""
    b = st.board
    start = b.people["start_grade"].value_counts()
    q = b.quota
    rows = [{_t(lang, "appraisal.col.grade"): i18n.value_label(g, lang),
             _t(lang, "appraisal.col.start_count"): int(start.get(g, 0)),
             _t(lang, "appraisal.col.final_count"): int(q["counts"].get(g, 0))} for g in b.labels]
    check = pd.DataFrame(rows)
    verdict = _t(lang, "appraisal.quota.ok" if q["ok"] else "appraisal.quota.over")
    extra = pd.DataFrame([{_t(lang, "appraisal.col.grade"): _t(lang, "appraisal.quota.line", grade=i18n.value_label(q["grade"], lang),
                                                                    top=q["top"], limit=q["limit"], n=q["n"]),
                           _t(lang, "appraisal.col.start_count"): verdict,
                           _t(lang, "appraisal.col.final_count"): ""}])
    parts = [check, extra]
    for s in q["sections"]:
        parts.append(pd.DataFrame([{_t(lang, "appraisal.col.grade"): i18n.value_label(s["section"], lang),
                                    _t(lang, "appraisal.col.start_count"): f"{s['top']}/{s['limit']}",
                                    _t(lang, "appraisal.col.final_count"):
                                        _t(lang, "appraisal.quota.ok" if s["ok"] else "appraisal.quota.over")}]))
    return pd.concat(parts, ignore_index=True)


def record_xlsx(st: session_mod.State, lang: str = "zh", mask: bool = False) -> bytes:
    s = st.session
    info = pd.DataFrame({
        _t(lang, "appraisal.col.item"): [_t(lang, f"appraisal.record.{k}") for k in
                                         ("period", "status", "started", "started_by", "closed", "closed_by", "batch")],
        _t(lang, "appraisal.col.value"): [
            i18n.format_period(st.board.period, lang), _t(lang, f"appraisal.status.{s['status']}"),
            session_mod._iso(s["started_at"]) or "", access.user_label(s["started_by"], lang) if s["started_by"] else "",
            session_mod._iso(s["closed_at"]) or "",
            access.user_label(s["closed_by"], lang) if s.get("closed_by") else "", "" if s["batch_id"] is None else str(int(s["batch_id"]))],
    })
    tables = notice_tables(st, lang, mask)
    return to_xlsx({
        _t(lang, "appraisal.record.sheet.moves"): record_frame(st, lang, mask),
        _t(lang, "appraisal.record.sheet.quota"): quota_frame(st, lang),
        _t(lang, "appraisal.notice.part.individuals"): tables["individuals"],
        _t(lang, "appraisal.notice.part.sections"): tables["sections"],
        _t(lang, "appraisal.record.sheet.session"): info,
    })


def export_bytes(settings: dict, st: session_mod.State, what: str, fmt: str, lang: str = "zh",
                 mask: bool = False) -> bytes:
    """``what`` ('notice' | 'record') as ``fmt`` ('xlsx' | 'pdf' for the notice)."""
    if what == "notice":
        return notice_pdf(settings, st, lang, mask) if fmt == "pdf" else notice_xlsx(settings, st, lang, mask)
    if fmt != "xlsx":
        raise ValueError("the meeting record is an XLSX file")
    return record_xlsx(st, lang, mask)


# --------------------------------------------------------------------------- review pack

def pack_slides(con, settings: dict, period: str, lang: str, mask: bool) -> list:
    """The meeting record as an extra slide of ``period``'s review pack (the
    annual session of the year for a fourth-quarter pack); none without a session."""
    candidates = [period] + ([period[:4]] if period.endswith("Q4") else [])
    for p in candidates:
        if session_mod.get_session(con, p) is None:
            continue
        st = session_mod.state(con, settings, p, stability=pd.DataFrame())
        live = st.moves[~st.moves["undone"]]
        q = st.board.quota
        finding = _t(lang, "appraisal.pack.finding", moves=int((live["kind"] == "grade").sum()),
                     breaks=int(live["breaks_quota"].sum()), grade=i18n.value_label(q["grade"], lang),
                     top=q["top"], limit=q["limit"])
        frame = record_frame(st, lang, mask)
        keep = [_t(lang, k) for k in ("appraisal.col.time", "appraisal.col.kind", "col.name", "col.section",
                                      "appraisal.col.before", "appraisal.col.after", "appraisal.col.reason")]
        shown = frame.loc[~st.moves["undone"].to_numpy(), keep]
        return [slide.Slide("appraisal", _t(lang, "appraisal.pack.title", period=i18n.format_period(p, lang)),
                            finding, table=shown.head(slide.TABLE_ROWS).reset_index(drop=True),
                            more_rows=max(0, len(shown) - slide.TABLE_ROWS))]
    return []


# --------------------------------------------------------------------------- text

def show_lines(st: session_mod.State, lang: str) -> list[str]:
    """``appraisal show`` without --json."""
    b = st.board
    q = b.quota
    lines = [_t(lang, "appraisal.cli.title", period=i18n.format_period(b.period, lang),
                status=_t(lang, f"appraisal.status.{st.session['status']}")),
             "  " + _t(lang, "appraisal.quota.line", grade=i18n.value_label(q["grade"], lang), top=q["top"],
                       limit=q["limit"], n=q["n"]),
             "  " + " · ".join(f"{i18n.value_label(g, lang)} {n}" for g, n in q["counts"].items())]
    w = b.warnings
    for key in ("below_floor", "egalitarian", "turn_taking"):
        for item in w[key]:
            lines.append("  ! " + _t(lang, f"appraisal.warn.{key}", **{k: (i18n.value_label(v, lang) if isinstance(v, str) else v)
                                                                          for k, v in item.items()}))
    for r in st.moves[~st.moves["undone"]].itertuples(index=False):
        before = "" if r.from_value is None or pd.isna(r.from_value) else r.from_value
        lines.append(f"  {r.seq}. {r.subject} {before} → {r.to_value} ({r.reason})")
    return lines
