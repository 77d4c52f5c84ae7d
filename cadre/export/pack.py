"""The quarterly review pack: one period's figures as a PowerPoint file and
a PDF with the same slides.

The pack reads the same services and chart functions as the pages
(``cadre.assessment``, ``cadre.overview``, ``cadre.timeline``,
``cadre.charts.*``), so every figure has one implementation. Each slide has
a title, a one-line finding computed from the data (``cadre.export.findings``)
and a chart picture or a table. All text comes from the language catalogues.

Steps: ``collect`` builds the slides (data, figures, findings), ``render``
draws every chart in one kaleido session, ``write_pptx`` / ``write_pdf``
lay the same slides out (the PDF by printing an HTML page per slide with
the system Chromium). ``build_pack`` does all of it, reporting progress.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n, masking, overview, timeline
from cadre.assessment.distribution import distribution
from cadre.assessment.report import period_report
from cadre.assessment.scorer import Scorer
from cadre.assessment.sections import section_comparison
from cadre.appraisal import exports as appraisal_exports
from cadre.charts import assessment as assessment_charts, changes as change_charts, images
from cadre.charts import overview as overview_charts, structure as structure_charts
from cadre.export import findings, pdf
from cadre.export.slide import (BODY_H, BODY_TOP, BODY_W, FINDING_H, FINDING_TOP, FOOTER_TOP,  # noqa: F401
                                MARGIN, METRICS_H, SLIDE_H, SLIDE_W, TABLE_ROWS, TITLE_H, TITLE_TOP, Slide)
from cadre.succession.pack import pack_slides as succession_slides

Progress = Callable[[float, str], None]

# Chart pictures: pixels at 1x (scaled up for sharpness); the aspect of the body.
CHART_PX_W = 1200
CHART_SCALE = 2.5

ACCENT = "1F4E79"
MUTED = "666666"
FONT = "Noto Sans CJK SC"   # the PPTX's text font (PowerPoint renders it itself)


@dataclass
class PackInfo:
    office: str
    period: str
    period_label: str
    lang: str
    mask: bool


# --------------------------------------------------------------------------- collect

def _t(lang: str, key: str, **params) -> str:
    return i18n.t(key, lang, **params)


def _table(frame: pd.DataFrame, columns: list[str], lang: str, mask: bool,
           value_columns=(), labels: dict | None = None) -> tuple[pd.DataFrame, int]:
    """The first TABLE_ROWS rows of ``frame[columns]`` for a slide: names
    masked, vocabulary values and headers in ``lang``, figures formatted
    and headed through ``cadre.figures``."""
    shown = masking.apply(frame[columns].head(TABLE_ROWS), mask).copy()
    for col in value_columns:
        shown[col] = shown[col].map(lambda v: i18n.value_label(v, lang) if isinstance(v, str) else v)
    shown = figures.cell_texts(shown, lang)
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = shown[col].dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(shown[col]):
            # A word, not "✓": no symbol outside the print font's repertoire.
            shown[col] = shown[col].map({True: i18n.t("leader.pack.yes", lang), False: ""})
    cat = i18n.catalogue(lang)
    names = {c: (labels or {}).get(c) or figures.header(c, lang) or cat.get(f"col.{c}", c) for c in shown.columns}
    shown = shown.rename(columns=names).astype(object).where(shown.notna().to_numpy(), "")
    return shown, max(0, len(frame) - TABLE_ROWS)


def _metric(key: str, value, lang: str, **params) -> tuple[str, str]:
    """(label, value) of a registry figure for a slide's metric row."""
    return figures.metric(key, value, lang, **params)[:2]


def _section_changes(dist) -> pd.DataFrame:
    """Per compared section: mean this period, the previous period of the
    same kind, and the change (from the distribution service's frames)."""
    cols = ["section", "current", "previous", "change"]
    if dist is None or dist.previous_period is None or not len(dist.previous):
        return pd.DataFrame(columns=cols)
    cur = dist.people.groupby("section")["composite"].mean()
    prev = dist.previous.groupby("section")["composite"].mean()
    out = pd.DataFrame({"current": cur, "previous": prev}).dropna()
    out["change"] = out["current"] - out["previous"]
    out = out.reset_index().rename(columns={"index": "section"})
    return out[cols].sort_values("change", ascending=False).reset_index(drop=True)


def collect(con, settings: dict, period: str, lang: str = i18n.DEFAULT_LANGUAGE, mask: bool = False,
            today: dt.date | None = None) -> tuple[PackInfo, list[Slide]]:
    """Every slide of ``period``'s pack (figures not yet drawn).

    Raises ValueError when the period has no assessment data."""
    scorer = Scorer(con, settings)  # every period scored once for all slides
    head = overview.headline(con, settings, period, scorer)
    report = period_report(con, settings, period, scorer)
    if head is None or report is None:
        raise ValueError(f"no assessment data for period {period!r}")
    kind = report["period_kind"]
    label = i18n.format_period(period, lang)
    office = settings.get("office_name") or _t(lang, "pack.office_default")
    info = PackInfo(office=office, period=period, period_label=label, lang=lang, mask=mask)
    at = head["date"]
    slides: list[Slide] = []

    # Title: office, period, dates.
    made = today or dt.date.today()
    lines = [_t(lang, "pack.subtitle", office=office), _t(lang, "pack.data_as_of", date=i18n.format_date(at, lang)),
             _t(lang, "pack.made_on", date=i18n.format_date(made, lang))]
    if mask:
        lines.append(_t(lang, "pack.masked_note"))
    slides.append(Slide("title", _t(lang, "pack.title", period=label), lines=lines))

    # Headline figures with the grade counts.
    top_grade, top_n = next(iter(report["grades"].items()))
    metrics = [_metric("headcount", head["headcount"], lang)]
    metrics += [_metric(k, report[k], lang) for k in ("assessed", "mean", "median", "std")]
    metrics.append(_metric("top_grade", top_n, lang, grade=i18n.value_label(top_grade, lang)))
    fig = overview_charts.grade_counts(report["grades"], report["official_grades"], lang, projector=True)
    slides.append(Slide("headline", _t(lang, "pack.slide.headline"), findings.headline(report, lang),
                        fig=fig, metrics=metrics))

    # Score distribution, with the previous period of the same kind overlaid.
    dist = distribution(con, settings, period, scorer=scorer)
    if dist is not None:
        prev_label = i18n.format_period(dist.previous_period, lang) if dist.previous_period else None
        fig = assessment_charts.histogram(dist.people, dist.bands, lang, projector=True,
                                          previous=dist.previous if dist.previous_period else None,
                                          previous_label=prev_label, current_label=label)
        slides.append(Slide("distribution", _t(lang, "pack.slide.distribution"),
                            findings.distribution(dist.stats, lang), fig=fig))

    # Section comparison.
    comp = section_comparison(con, settings, period, scorer=scorer)
    if comp is not None and len(comp.stats):
        fig = assessment_charts.section_means(comp.stats, lang, projector=True)
        slides.append(Slide("sections", _t(lang, "pack.slide.sections"), findings.sections(comp.stats, lang), fig=fig))

    # Change on the previous period of the same kind (quarter on quarter).
    changes = _section_changes(dist)
    if comp is not None:
        changes = changes[changes["section"].isin(comp.stats["section"])] if len(comp.stats) else changes
    # A finding needs the data it speaks of: the change is told against the
    # previous period it was computed from, and the chart shows exactly those
    # two periods; with no previous period the slide says what is missing.
    previous = dist.previous_period if dist is not None else None
    finding = findings.changes(changes, kind, lang, previous=previous, current=period)
    if len(changes):
        fig = change_charts.previous_current(changes, i18n.format_period(previous, lang), label, lang)
        slides.append(Slide("changes", _t(lang, "pack.slide.changes"), finding, fig=fig))
    else:
        slides.append(Slide("changes", _t(lang, "pack.slide.changes"), finding))

    # Cadre structure at the period's end (or the data's reference date).
    struct = timeline.structure(con, settings, at)
    tables = timeline.structure_tables(con, settings, at)
    slides.append(Slide("structure", _t(lang, "pack.slide.structure"), findings.structure(struct, lang),
                        fig=structure_charts.pyramid(tables["age_gender"], lang, projector=True)))

    # The year's movements.
    mv = head["movements"]
    year = int(mv["year"])
    flows = timeline.flows(con, settings, dt.date(year, 1, 1), dt.date(year, 12, 31))
    mv_metrics = [_metric(k, mv[k], lang) for k in ("promotions", "rotations", "hires", "exits", "new_middle_cadres")]
    mv_metrics.append(_metric("sections_head_changed", None, lang, shown=figures.of(
        "sections_head_changed", mv["sections_head_changed"], mv["sections"], lang)))
    mv_slide = Slide("movements", _t(lang, "pack.slide.movements", year=year), findings.movements(mv, lang),
                     metrics=mv_metrics)
    if len(flows):
        mv_slide.fig = structure_charts.sankey(flows, lang, projector=True)
    else:
        moves = timeline.movements_list(con, settings, year)
        mv_slide.table, mv_slide.more_rows = _table(
            moves, ["date", "name", "kind", "section_before", "section_after"], lang, mask,
            value_columns=["kind", "section_before", "section_after"],
            labels={"section_before": _t(lang, "col.from_section"), "section_after": _t(lang, "col.to_section")})
    slides.append(mv_slide)

    # Rotation due and eligibility lists.
    due = timeline.rotation_due(con, settings, at).sort_values(["years_in_post", "person_id"], ascending=[False, True])
    table, more = _table(due, ["section", "name", "position", "rank", "post_since", "years_in_post"], lang, mask,
                         value_columns=["section", "rank"])
    unknown = timeline.tenure_unknown(con, settings, at)
    slides.append(Slide("rotation", _t(lang, "pack.slide.rotation"),
                        findings.rotation(due, settings["rotation_years"], lang,
                                          unknown=int(unknown["post_unknown"].sum())), table=table, more_rows=more))
    elig = timeline.eligibility(con, settings, at)
    undetermined = int(elig["undetermined"].fillna(False).astype(bool).sum())
    elig = elig[elig["eligible"].fillna(False).astype(bool)].sort_values(
        ["rank_step", "section", "person_id"], ascending=[False, True, True])
    table, more = _table(elig, ["section", "name", "position", "rank", "next_rank", "years_in_rank", "reserve"],
                         lang, mask, value_columns=["section", "rank", "next_rank"],
                         labels={"next_rank": _t(lang, "pack.col.next_rank")})
    slides.append(Slide("eligibility", _t(lang, "pack.slide.eligibility"),
                        findings.eligibility(elig, lang, unknown=undetermined), table=table, more_rows=more))

    # Flags: egalitarian sections and turn-taking.
    if comp is not None:
        stats = comp.stats.sort_values(["std", "section"])
        table, more = _table(stats.rename(columns={"n": "assessed"}),
                             ["section", "assessed", "mean", "std", "iqr", "egalitarian"], lang, mask,
                             value_columns=["section"])
        slides.append(Slide("egalitarian", _t(lang, "pack.slide.egalitarian"),
                            findings.egalitarian(comp.stats, float(settings["egalitarian_std"]), lang),
                            table=table, more_rows=more))
        tt = comp.turn_taking.sort_values(["flagged", "index", "section"], ascending=[False, False, True])
        table, more = _table(tt, ["section", "awards", "outside", "index", "flagged"], lang, mask,
                             value_columns=["section"])
        slides.append(Slide("turn_taking", _t(lang, "pack.slide.turn_taking"),
                            findings.turn_taking(comp.turn_taking, lang), table=table, more_rows=more))

    # The appraisal meeting's record and the comparison of each recommendation closed in the period.
    slides += appraisal_exports.pack_slides(con, settings, period, lang, mask)
    slides += succession_slides(con, settings, period, lang, mask)
    return info, slides


# --------------------------------------------------------------------------- render

def _slide_figure(fig: go.Figure, body_h: float) -> go.Figure:
    """A copy of ``fig`` sized for the slide body (the slide carries the title)."""
    out = go.Figure(fig)
    height = int(round(CHART_PX_W * body_h / BODY_W))
    out.update_layout(width=CHART_PX_W, height=height, title=None, paper_bgcolor="white", plot_bgcolor="white")
    return out


def render(slides: list[Slide], workdir: Path) -> None:
    """Draw every slide's figure to PNG in one kaleido session (fills ``image``)."""
    import kaleido

    jobs = []
    for i, slide in enumerate(slides):
        if slide.fig is None:
            continue
        fig = _slide_figure(slide.fig, slide.body_h)
        path = workdir / f"chart-{i:02d}.png"
        jobs.append((slide, path, {"fig": fig, "path": str(path),
                                   "opts": {"format": "png", "width": fig.layout.width,
                                            "height": fig.layout.height, "scale": CHART_SCALE}}))
    if not jobs:
        return
    images.use_system_chromium()
    errors = kaleido.write_fig_from_object_sync([job for _, _, job in jobs])
    if errors:
        raise RuntimeError(f"chart rendering failed: {errors[0]!r}")
    for slide, path, _ in jobs:
        slide.image = path.read_bytes()


# --------------------------------------------------------------------------- PPTX

def write_pptx(info: PackInfo, slides: list[Slide], out: Path) -> Path:
    """The slides as a 16:9 PowerPoint file."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = prs.slide_layouts[6]

    def text(slide, left, top, width, height, value, size, bold=False, colour="000000", align=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        para = frame.paragraphs[0]
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = value
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = RGBColor.from_string(colour)
        return box

    total = len(slides)
    for n, s in enumerate(slides, start=1):
        page = prs.slides.add_slide(blank)
        if s.key == "title":
            text(page, MARGIN, 2.2, BODY_W, 1.2, s.title, 40, bold=True, colour=ACCENT)
            for j, line in enumerate(s.lines):
                text(page, MARGIN, 3.6 + 0.55 * j, BODY_W, 0.5, line, 22 if j == 0 else 18,
                     colour="000000" if j == 0 else MUTED)
            continue
        text(page, MARGIN, TITLE_TOP, BODY_W, TITLE_H, s.title, 30, bold=True)
        text(page, MARGIN, FINDING_TOP, BODY_W, FINDING_H, s.finding, 20, colour=ACCENT)
        top = BODY_TOP
        if s.metrics:
            w = BODY_W / len(s.metrics)
            for j, (label, value) in enumerate(s.metrics):
                text(page, MARGIN + j * w, top, w, 0.4, label, 14, colour=MUTED)
                text(page, MARGIN + j * w, top + 0.38, w, 0.7, value, 30, bold=True)
            top += METRICS_H
        if s.image is not None:
            page.shapes.add_picture(_png_stream(s.image), Inches(MARGIN), Inches(top),
                                    width=Inches(BODY_W), height=Inches(s.body_h))
        elif s.table is not None:
            _pptx_table(page, s, top, info.lang)
        footer = _t(info.lang, "pack.footer", office=info.office, period=info.period_label, page=n, pages=total)
        text(page, MARGIN, FOOTER_TOP, BODY_W, 0.35, footer, 11, colour=MUTED)
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(out))
    return out


def _png_stream(data: bytes):
    import io
    return io.BytesIO(data)


def _pptx_table(page, s: Slide, top: float, lang: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    frame = s.table
    if not len(frame):
        box = page.shapes.add_textbox(Inches(MARGIN), Inches(top), Inches(BODY_W), Inches(0.6))
        run = box.text_frame.paragraphs[0].add_run()
        run.text = _t(lang, "pack.none_rows")
        run.font.size, run.font.name = Pt(18), FONT
        return
    rows, cols = len(frame) + 1, len(frame.columns)
    row_h = min(0.4, (s.body_h - 0.45) / rows)
    shape = page.shapes.add_table(rows, cols, Inches(MARGIN), Inches(top), Inches(BODY_W), Inches(row_h * rows))
    table = shape.table
    for j, name in enumerate(frame.columns):
        _cell(table.cell(0, j), str(name), 15, bold=True)
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            _cell(table.cell(i, j), str(value), 15)
    if s.more_rows:
        box = page.shapes.add_textbox(Inches(MARGIN), Inches(top + row_h * rows + 0.05), Inches(BODY_W), Inches(0.4))
        run = box.text_frame.paragraphs[0].add_run()
        run.text = _t(lang, "pack.more_rows", n=s.more_rows)
        run.font.size, run.font.name = Pt(13), FONT
        run.font.color.rgb = RGBColor.from_string(MUTED)


def _cell(cell, value: str, size: int, bold: bool = False) -> None:
    from pptx.util import Pt
    cell.text = ""
    run = cell.text_frame.paragraphs[0].add_run()
    run.text = value
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT


# --------------------------------------------------------------------------- PDF

CSS = f"""
@page {{ size: {SLIDE_W}in {SLIDE_H}in; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; font-family: {pdf.PRINT_FONT_STACK}; color: #000; }}
.slide {{ position: relative; width: {SLIDE_W}in; height: {SLIDE_H}in; overflow: hidden;
          page-break-after: always; break-after: page; background: #fff; }}
.slide:last-child {{ page-break-after: auto; break-after: auto; }}
.abs {{ position: absolute; left: {MARGIN}in; width: {BODY_W}in; }}
.title {{ top: {TITLE_TOP}in; font-size: 30pt; font-weight: 700; }}
.finding {{ top: {FINDING_TOP}in; font-size: 20pt; color: #{ACCENT}; }}
.footer {{ top: {FOOTER_TOP}in; font-size: 11pt; color: #{MUTED}; }}
.metrics {{ display: flex; }}
.metric {{ flex: 1; }}
.metric .label {{ font-size: 14pt; color: #{MUTED}; }}
.metric .value {{ font-size: 30pt; font-weight: 700; }}
.body img {{ width: 100%; display: block; }}
table {{ border-collapse: collapse; width: 100%; font-size: 15pt; }}
th, td {{ border: 1px solid #999; padding: 3pt 6pt; text-align: left; }}
th {{ background: #{ACCENT}; color: #fff; }}
.more {{ font-size: 13pt; color: #{MUTED}; margin-top: 4pt; }}
.cover-title {{ top: 2.2in; font-size: 40pt; font-weight: 700; color: #{ACCENT}; }}
.cover-line {{ font-size: 18pt; color: #{MUTED}; }}
.cover-line.first {{ font-size: 22pt; color: #000; }}
"""


def slide_html(info: PackInfo, s: Slide, number: int, total: int) -> str:
    """One slide as an HTML section (the chart inline as a data URI)."""
    e = html.escape
    if s.key == "title":
        lines = "".join(
            f'<div class="abs cover-line{" first" if j == 0 else ""}" style="top:{3.6 + 0.55 * j}in">{e(line)}</div>'
            for j, line in enumerate(s.lines))
        return f'<section class="slide"><div class="abs cover-title">{e(s.title)}</div>{lines}</section>'
    parts = [f'<div class="abs title">{e(s.title)}</div>', f'<div class="abs finding">{e(s.finding)}</div>']
    top = BODY_TOP
    if s.metrics:
        cells = "".join(f'<div class="metric"><div class="label">{e(label)}</div><div class="value">{e(value)}</div></div>'
                        for label, value in s.metrics)
        parts.append(f'<div class="abs metrics" style="top:{top}in">{cells}</div>')
        top += METRICS_H
    if s.image is not None:
        uri = "data:image/png;base64," + base64.b64encode(s.image).decode("ascii")
        parts.append(f'<div class="abs body" style="top:{top}in;height:{s.body_h}in"><img src="{uri}" '
                     f'style="height:{s.body_h}in"></div>')
    elif s.table is not None:
        if len(s.table):
            head = "".join(f"<th>{e(str(c))}</th>" for c in s.table.columns)
            rows = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                           for row in s.table.itertuples(index=False, name=None))
            more = f'<div class="more">{e(_t(info.lang, "pack.more_rows", n=s.more_rows))}</div>' if s.more_rows else ""
            parts.append(f'<div class="abs body" style="top:{top}in"><table><thead><tr>{head}</tr></thead>'
                         f'<tbody>{rows}</tbody></table>{more}</div>')
        else:
            parts.append(f'<div class="abs body" style="top:{top}in;font-size:18pt">{e(_t(info.lang, "pack.none_rows"))}</div>')
    footer = _t(info.lang, "pack.footer", office=info.office, period=info.period_label, page=number, pages=total)
    parts.append(f'<div class="abs footer">{e(footer)}</div>')
    return f'<section class="slide">{"".join(parts)}</section>'


def pack_html(info: PackInfo, slides: list[Slide]) -> str:
    total = len(slides)
    body = "".join(slide_html(info, s, n, total) for n, s in enumerate(slides, start=1))
    lang = "zh-CN" if info.lang == "zh" else "en"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f"<body>{body}</body></html>")


def write_pdf(info: PackInfo, slides: list[Slide], out: Path, workdir: Path) -> Path:
    """The same slides as a PDF, one page each, printed by Chromium."""
    return pdf.print_pdf(pack_html(info, slides), out, workdir, name="pack")


# --------------------------------------------------------------------------- build

def build(con, settings: dict, period: str, outs: list[Path], lang: str = i18n.DEFAULT_LANGUAGE, mask: bool = False,
          progress: Progress | None = None) -> list[Path]:
    """Build the pack once and write it to each of ``outs`` (.pptx / .pdf)."""
    report = progress or (lambda fraction, key: None)
    report(0.0, "pack.progress.collect")
    info, slides = collect(con, settings, period, lang=lang, mask=mask)
    report(0.25, "pack.progress.charts")
    with tempfile.TemporaryDirectory(prefix="cadre-pack-") as tmp:
        workdir = Path(tmp)
        render(slides, workdir)
        written = []
        for out in outs:
            out = Path(out)
            if out.suffix.lower() == ".pptx":
                report(0.7, "pack.progress.pptx")
                written.append(write_pptx(info, slides, out))
            elif out.suffix.lower() == ".pdf":
                report(0.8, "pack.progress.pdf")
                written.append(write_pdf(info, slides, out, workdir))
            else:
                raise ValueError(f"the pack is .pptx or .pdf, not {out.suffix!r}")
    report(1.0, "pack.progress.done")
    return written


def build_pack(con, settings: dict, period: str, out: Path, lang: str = i18n.DEFAULT_LANGUAGE, mask: bool = False,
               progress: Progress | None = None) -> Path:
    """``period``'s review pack written to ``out`` (.pptx or .pdf)."""
    return build(con, settings, period, [Path(out)], lang=lang, mask=mask, progress=progress)[0]


def build_bytes(con, settings: dict, period: str, lang: str = i18n.DEFAULT_LANGUAGE, mask: bool = False,
                progress: Progress | None = None) -> tuple[bytes, bytes]:
    """The pack as (PPTX bytes, PDF bytes), built once (for the download buttons)."""
    with tempfile.TemporaryDirectory(prefix="cadre-pack-out-") as tmp:
        pptx, printed = build(con, settings, period, [Path(tmp) / "pack.pptx", Path(tmp) / "pack.pdf"],
                          lang=lang, mask=mask, progress=progress)
        return pptx.read_bytes(), printed.read_bytes()
