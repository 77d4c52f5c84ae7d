"""The printed PDF's text is the text shown (issue 10 item 12): extracted with
pypdf, 人 is 人 (not the Kangxi radical ⼈ U+2F08), and every font is a real
embedded font, not Type 3."""
from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from cadre import store
from cadre.export import pack, pdf as printer

RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")  # CJK radicals supplement, Kangxi radicals


def _fonts(reader: PdfReader) -> set[tuple[str, str]]:
    found = set()
    for page in reader.pages:
        for ref in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = ref.get_object()
            found.add((str(font.get("/Subtype")), str(font.get("/BaseFont", ""))))
    return found


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(demo_store_template, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    db = tmp / "cadre.duckdb"
    shutil.copy(demo_store_template, db)
    con = store.connect(db)
    period = store.query(con, "frame_periods")["period"].iloc[0]
    info, slides = pack.collect(con, store.get_settings(con), period)
    con.close()
    for s in slides:
        s.fig = None  # the text is what is checked; charts are pictures either way
    pdf = pack.write_pdf(info, slides, tmp / "pack.pdf", tmp)
    return slides, PdfReader(str(pdf))


def test_every_title_and_finding_extracts_as_written(printed):
    slides, reader = printed
    text = "".join(page.extract_text() for page in reader.pages)
    assert not RADICALS.findall(text), sorted(set(RADICALS.findall(text)))
    flat = _flat(text)
    for s in slides:
        assert _flat(s.title) in flat, s.title
        if s.finding:
            assert _flat(s.finding) in flat, s.finding
    assert "人" in text and "日" in text


def test_every_font_is_embedded_and_none_is_type3(printed):
    _, reader = printed
    fonts = _fonts(reader)
    assert fonts and not [f for f in fonts if f[0] == "/Type3"], fonts
    assert all(printer.PRINT_FONT.replace(" ", "") in base for _, base in fonts if base), fonts


def test_any_document_printed_uses_the_print_font(tmp_path):
    """A page that asks for the CFF font itself still prints in the print font."""
    html = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
            'body { font-family: "Noto Sans CJK SC"; }</style></head>'
            '<body><h1>公示</h1><p>人员名单：张三，日期 2001年1月1日</p></body></html>')
    pdf = printer.print_pdf(html, tmp_path / "notice.pdf", tmp_path)
    reader = PdfReader(str(pdf))
    text = reader.pages[0].extract_text()
    assert "人员名单：张三，日期 2001年1月1日" in text and not RADICALS.findall(text)
    assert not [f for f in _fonts(reader) if f[0] == "/Type3"]
