"""Upload templates: the right sheets and headers, and they load cleanly."""
from __future__ import annotations

import openpyxl
import pytest

from cadre import settings as S
from cadre.export.templates import template_bytes, template_workbook
from cadre.ingest import read_upload
from cadre.ingest import columns as C


def _save(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return name, path.read_bytes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_loads_cleanly_through_read_upload(tmp_path, lang):
    f = _save(tmp_path, f"template_{lang}.xlsx", template_workbook(lang))
    u = read_upload([f], lang=lang)
    assert u.ok, [p.as_dict(lang) for p in u.problems]
    assert u.rows() == {"roster": 3, "assessments": 3, "movements": 3}
    assert [n.code for n in u.notes] == ["sheet_skipped"]  # the column guide
    assert set(u.assessments["period"]) == {"1999", "1999Q3"}
    assert u.roster["birth_date"].notna().all()


@pytest.mark.parametrize("lang,names,first", [
    ("zh", ["人员名册", "考核成绩", "任免记录", "填写说明"], "编号"),
    ("en", ["roster", "assessments", "movements", "instructions"], "person_id"),
])
def test_workbook_sheets_and_headers_in_the_chosen_language(tmp_path, lang, names, first):
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook(lang))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == names
    for ds, sheet in zip(C.DATASETS, names):
        header = [c.value for c in wb[sheet][1]]
        expected = [c.zh if lang == "zh" else c.name for c in C.columns(ds)]
        assert header == expected and header[0] == first
        assert 2 <= wb[sheet].max_row - 1 <= 3
    # the guide: one row per column of the three datasets, with required and values
    guide = list(wb[names[3]].iter_rows(min_row=4, values_only=True))
    n_cols = sum(len(C.columns(ds)) for ds in C.DATASETS)
    assert len(guide) == n_cols
    assert all(r[1] and r[2] and r[3] and r[4] for r in guide)
    by_en = {r[2]: r for r in guide}
    assert "大学本科" in by_en["education"][4]
    assert by_en["person_id"][3] != by_en["major"][3]  # required vs optional


def test_guide_follows_the_settings_ladder_and_maxima(tmp_path):
    settings = S.defaults()
    settings["ladder"] = ["科员", "副科级", "正科级", "副处级"]
    settings["maxima"] = {"德": 15, "能": 25, "勤": 20, "绩": 40}
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook("zh", settings=settings))
    guide = {r[2]: r[4] for r in openpyxl.load_workbook(path)["填写说明"].iter_rows(min_row=4, values_only=True)}
    assert "副处级" in guide["rank"] and "15" in guide["de"] and "25" in guide["neng"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_dataset_template_loads(tmp_path, fmt, lang):
    roster = _save(tmp_path, f"r.{fmt}", template_bytes("roster", lang, fmt))
    u = read_upload([roster])
    assert u.ok and len(u.roster) == 3
    store = u.roster
    for ds in ("assessments", "assessments_long", "movements"):
        f = _save(tmp_path, f"{ds}.{fmt}", template_bytes(ds, lang, fmt))
        u = read_upload([f], store_roster=store)
        assert u.ok, (ds, [p.as_dict("en") for p in u.problems])
    if fmt == "csv":
        assert template_bytes("roster", lang, "csv")[:3] == b"\xef\xbb\xbf"


def test_long_template_gives_per_person_maxima(tmp_path):
    u = read_upload([_save(tmp_path, "r.xlsx", template_bytes("roster")),
                     _save(tmp_path, "i.xlsx", template_bytes("assessments_long"))])
    assert u.ok
    a = u.assessments.iloc[0]
    assert (a["de"], a["max_de"], a["ji"], a["max_ji"]) == (17.5, 20.0, 35.0, 40.0)


def test_unknown_dataset_or_format_is_refused():
    with pytest.raises(ValueError):
        template_bytes("salaries")
    with pytest.raises(ValueError):
        template_bytes("roster", fmt="pdf")
