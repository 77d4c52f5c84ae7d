"""The quarterly review pack: PPTX and PDF with the same slides, each chart
slide a sharp picture and a finding computed from the data; the CLI."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cadre import i18n, store
from cadre.assessment.report import period_report
from cadre.assessment.runner import list_periods
from cadre.export import findings, pack
from cadre.export import pdf as printer

ROOT = Path(__file__).resolve().parents[3]
CHART_KEYS = {"headline", "distribution", "sections", "structure"}


def _latest_quarter(con) -> str:
    periods = list_periods(con)
    quarters = periods[periods["period_kind"] == "quarterly"]
    return str((quarters if len(quarters) else periods)["period"].iloc[-1])


@pytest.fixture(scope="module")
def built(demo_store_template, tmp_path_factory):
    """One pack of the latest quarter, written as PPTX and PDF in one build."""
    tmp = tmp_path_factory.mktemp("pack")
    db = tmp / "cadre.duckdb"
    shutil.copy(demo_store_template, db)
    con = store.connect(db)
    period = _latest_quarter(con)
    steps = []
    pptx, pdf = pack.build(con, store.get_settings(con), period, [tmp / "review.pptx", tmp / "review.pdf"],
                           progress=lambda f, key: steps.append((f, key)))
    yield {"con": con, "period": period, "pptx": pptx, "pdf": pdf, "steps": steps, "tmp": tmp}
    con.close()


def _shapes_text(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def pdf_pages(path: Path) -> int:
    """Pages of a PDF: pdfinfo when installed, else the page objects."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def test_pptx_has_ten_slides_with_pictures_and_findings(built):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    prs = Presentation(str(built["pptx"]))
    slides = list(prs.slides)
    assert len(slides) >= 10
    pictures = 0
    for n, slide in enumerate(slides[1:], start=2):
        texts = _shapes_text(slide)
        # title, finding, footer at least; the finding is the second text box
        assert len(texts) >= 3, f"slide {n} lacks title/finding"
        has_picture = any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
        pictures += has_picture
        if has_picture:
            finding = texts[1]
            assert finding.strip() and "{" not in finding, f"slide {n}: no finding"
    assert pictures >= len(CHART_KEYS)


def test_pdf_has_the_same_pages(built):
    from pptx import Presentation
    assert built["pdf"].read_bytes()[:5] == b"%PDF-"
    assert pdf_pages(built["pdf"]) == len(Presentation(str(built["pptx"])).slides)


def test_progress_is_reported_in_order(built):
    fractions = [f for f, _ in built["steps"]]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    for _, key in built["steps"]:
        assert i18n.t(key, "zh") and i18n.t(key, "en")


def test_chart_pictures_are_sharp_and_not_blank(built):
    from PIL import Image
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    prs = Presentation(str(built["pptx"]))
    pics = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    image = Image.open(io.BytesIO(pics[0].image.blob)).convert("RGB")
    assert image.width >= 2400  # sharp on a 1920-wide projector
    _assert_not_blank(image)


def _assert_not_blank(image) -> None:
    small = np.asarray(image.convert("RGB").resize((320, 180))).reshape(-1, 3)
    non_white = (small.min(axis=1) < 235).mean()
    assert non_white > 0.03, "the picture is (nearly) blank"
    assert len(np.unique(small, axis=0)) > 20, "the picture has almost no colours"


def _slide_png(info, slides, index: int, out: Path, workdir: Path) -> Path:
    """Slide ``index`` (0-based) as a 1280×720 PNG screenshot of its HTML."""
    page = workdir / f"slide-{index}.html"
    doc = pack.pack_html(info, [slides[index]]).replace(
        "<body>", '<body style="zoom:1">', 1)
    page.write_text(doc, encoding="utf-8")
    out = Path(out).resolve()
    px_w, px_h = int(pack.SLIDE_W * 96), int(pack.SLIDE_H * 96)
    printer.chromium(["--hide-scrollbars", f"--window-size={px_w},{px_h}", f"--screenshot={out}",
                 page.resolve().as_uri()], workdir)
    return out


def test_first_chart_slide_renders_to_a_png(built, tmp_path):
    from PIL import Image
    info, slides = pack.collect(built["con"], store.get_settings(built["con"]), built["period"])
    first = next(i for i, s in enumerate(slides) if s.fig is not None)
    pack.render(slides[first:first + 1], tmp_path)
    png = _slide_png(info, slides, first, tmp_path / "slide.png", tmp_path)
    image = Image.open(png)
    assert image.width >= 1200 and image.height >= 700
    _assert_not_blank(image)
    # the top band (title and finding) is drawn, not empty
    top = image.convert("L").crop((0, 0, image.width, int(image.height * 0.22)))
    assert np.asarray(top).min() < 100


def test_findings_come_from_the_data(built):
    con, period = built["con"], built["period"]
    info, slides = pack.collect(con, store.get_settings(con), period)
    by_key = {s.key: s for s in slides}
    report = period_report(con, store.get_settings(con), period)
    assert by_key["headline"].finding == findings.headline(report, "zh")
    assert str(report["assessed"]) in by_key["headline"].finding
    best = max(report["sections"], key=lambda s: s["mean"])
    assert by_key["sections"].finding.startswith(best["section"])
    assert i18n.format_period(period, "zh") in by_key["title"].title


def test_english_pack_uses_the_english_catalogue(built):
    info, slides = pack.collect(built["con"], store.get_settings(built["con"]), built["period"], lang="en")
    keys = {s.key: s for s in slides}
    assert keys["headline"].title == i18n.t("pack.slide.headline", "en")
    for s in slides[1:]:
        assert not re.search(r"[\u4e00-\u9fff]", s.title), s.title
    assert keys["headline"].finding == findings.headline(period_report(built["con"], store.get_settings(built["con"]), built["period"]), "en")


def test_change_finding_names_the_largest_move():
    frame = pd.DataFrame({"section": ["信息科", "综合科", "法制科"], "change": [3.21, -1.0, 0.4]})
    assert findings.changes(frame, "quarterly", "zh") == "信息科平均分较上季度上升 3.2 分，变化最大"
    frame["change"] = [0.2, -4.04, 1.0]
    assert "下降 4.0 分" in findings.changes(frame, "quarterly", "zh")
    assert "previous year" in findings.changes(frame, "annual", "en")
    assert findings.changes(frame.iloc[0:0], "quarterly", "zh") == i18n.t("pack.finding.change_none", "zh")


def test_an_unknown_period_is_refused(built):
    with pytest.raises(ValueError):
        pack.collect(built["con"], store.get_settings(built["con"]), "1899Q1")
    with pytest.raises(ValueError):
        pack.build(built["con"], store.get_settings(built["con"]), built["period"], [built["tmp"] / "x.docx"])


def test_cli_builds_the_pack_with_progress(built, tmp_path):
    db = tmp_path / "cli.duckdb"
    built["con"].execute("checkpoint")
    shutil.copy(built["tmp"] / "cadre.duckdb", db)
    out = tmp_path / "cli-pack.pptx"
    done = subprocess.run([sys.executable, "-m", "cadre", "pack", "--db", str(db), "--period", built["period"],
                           "--out", str(out), "--mask"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert out.is_file() and out.stat().st_size > 50_000
    assert i18n.t("pack.progress.charts", "zh") in done.stderr
    assert "100%" in done.stderr
