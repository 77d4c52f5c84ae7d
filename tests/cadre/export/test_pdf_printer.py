"""Issue 20.2: every PDF the product writes (the review pack, the 公示
notice) goes through the one printer (``cadre.export.pdf``): its fonts are
embedded TrueType, never Type 3, and its text extracts as ordinary Chinese
(人, not the Kangxi radical ⼈). The notice fits one A4 page, its signature
and date on it; a list too long for one page keeps the signature with its
last rows."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from cadre import store
from cadre.access import User
from cadre.appraisal import exports, session
from cadre.export import pack
from tests.conftest import ROOT

RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")  # CJK radicals supplement, Kangxi radicals
A4_PT = (595, 842)
ADMIN = User("admin1", "admin")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(kind, embedded) of every font on every page: a CID font's kind is
    its descendant's (/CIDFontType2 is TrueType)."""
    found = []
    for page in reader.pages:
        for ref in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = ref.get_object()
            kind = str(font.get("/Subtype"))
            if kind == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
                kind = str(font.get("/Subtype"))
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            found.append((kind, "/FontFile2" in desc))
    return found


def _check_printed(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = _fonts(reader)
    assert fonts, "no fonts: the text is not text"
    assert all(kind in ("/CIDFontType2", "/TrueType") and embedded for kind, embedded in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    assert not RADICALS.findall(text), sorted(set(RADICALS.findall(text)))
    return reader, text


def test_only_the_printer_prints():
    """No module but cadre/export/pdf.py asks Chromium for a PDF."""
    printers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cadre").rglob("*.py")
                      if "print-to-pdf" in p.read_text(encoding="utf-8"))
    assert printers == ["cadre/export/pdf.py"]


@pytest.fixture
def meeting(demo_con):
    session.start(demo_con, store.get_settings(demo_con), "2001", ADMIN)
    session.move(demo_con, store.get_settings(demo_con), "2001", "YZ0064", "优秀", "全年表现突出", ADMIN)
    return demo_con, session.state(demo_con, store.get_settings(demo_con), "2001")


def test_the_notice_pdf_is_truetype_chinese_text_on_one_a4_page(meeting):
    con, st = meeting
    reader, text = _check_printed(exports.notice_pdf(store.get_settings(con), st, "zh"))
    assert len(reader.pages) == 1
    assert tuple(round(float(v)) for v in reader.pages[0].mediabox[2:]) == A4_PT
    office = store.get_settings(con).get("office_name") or "本单位"
    flat = _flat(text)
    assert "考核结果公示" in flat and "先进个人" in flat and _flat(office) in flat
    name = st.board.people.set_index("person_id").loc["YZ0064", "name"]
    assert name in flat


def test_the_review_pack_pdf_is_truetype_chinese_text(demo_con, tmp_path):
    period = store.query(demo_con, "frame_periods")["period"].iloc[0]
    info, slides = pack.collect(demo_con, store.get_settings(demo_con), period)
    for s in slides:
        s.fig = None  # the text is what is checked; charts are pictures either way
    _, text = _check_printed(pack.write_pdf(info, slides, tmp_path / "pack.pdf", tmp_path).read_bytes())
    assert _flat(slides[1].title) in _flat(text) and "人" in text


def _longer(rows: int):
    """``notice_tables`` with the grades list repeated to ``rows`` rows."""
    real = exports.notice_tables

    def tables(st, lang, mask):
        out = real(st, lang, mask)
        g = out["grades"]
        out["grades"] = pd.concat([g] * (rows // len(g) + 1), ignore_index=True).head(rows)
        return out
    return tables


@pytest.mark.parametrize("rows", [20, 30, 40, 55, 70])
def test_a_longer_notice_still_fits_one_page_with_its_signature(meeting, monkeypatch, rows):
    """An office of a few hundred people: up to 70 graded names on the
    notice (the signature and date fell alone onto a second page)."""
    con, st = meeting
    monkeypatch.setattr(exports, "notice_tables", _longer(rows))
    reader, text = _check_printed(exports.notice_pdf(store.get_settings(con), st, "zh"))
    assert len(reader.pages) == 1, f"{rows} rows: {len(reader.pages)} pages"
    assert exports.notice_texts(store.get_settings(con), st, "zh")["signed"] in text


def test_a_city_list_runs_on_but_keeps_the_signature_with_its_rows(meeting, monkeypatch):
    con, st = meeting
    monkeypatch.setattr(exports, "notice_tables", _longer(400))
    reader, _ = _check_printed(exports.notice_pdf(store.get_settings(con), st, "zh"))
    assert len(reader.pages) > 1
    last = _flat(reader.pages[-1].extract_text())
    signed = _flat(exports.notice_texts(store.get_settings(con), st, "zh")["signed"])
    assert last.endswith(signed) and len(last) > 4 * len(signed) + 20, last
