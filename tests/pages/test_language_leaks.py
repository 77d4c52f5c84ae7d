"""Issue 20.16: words of one language leaking into the other. In English an
appraisal batch was listed as 「评定会 2001」, lists were joined with 「、」 and
the audit log showed raw JSON (``行数：{"roster": 19, …}``); in Chinese the
empty users table said "empty" and the audit log's empty date boxes showed
"yyyy-mm-dd"."""
from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from cadre import audit, batch_names, i18n, settings_form

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def test_an_appraisal_batch_is_named_in_the_language_shown():
    stored = i18n.t("appraisal.batch_name", "zh", period="2001")          # what the store keeps
    assert batch_names.file_label(stored, "en") == "Appraisal meeting 2001"
    assert batch_names.file_label(i18n.t("appraisal.batch_name", "zh", period="2001Q3"), "en") == "Appraisal meeting 2001 Q3"
    assert batch_names.file_label(stored, "zh") == stored
    assert batch_names.file_label("评定会 名单.xlsx", "en") == "评定会 名单.xlsx"   # an uploaded file keeps its name


def test_the_audit_log_reads_as_words_not_json():
    detail = json.dumps({"rows": {"roster": 19, "assessments": 120, "movements": 0},
                         "files": [{"name": "评定会 2001", "sha256": "abc"}, {"name": "roster.xlsx"}]},
                        ensure_ascii=False)
    en = audit.detail_text(detail, "en")
    zh = audit.detail_text(detail, "zh")
    for text in (en, zh):
        assert "{" not in text and '"' not in text, text
    assert "、" not in en and "Roster 19, Assessments 120" in en and "Appraisal meeting 2001" in en
    assert "人员名册 19、考核成绩 120" in zh


def test_a_settings_problem_lists_in_the_language_shown():
    problems = settings_form.validate({"dimension_weights": {"德": -1, "能": -1, "勤": 1, "绩": 1}}, {})
    assert len(problems) == 1
    en, zh = settings_form.describe(problems[0], "en"), settings_form.describe(problems[0], "zh")
    assert "、" not in en and i18n.join([i18n.value_label(d, "en") for d in ("德", "能")], "en") in en
    assert "德、能" in zh


def _admin_app(db, monkeypatch, page: str) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_audit_logs_date_boxes_start_filled_in(demo_db, monkeypatch):
    at = _admin_app(demo_db, monkeypatch, "pages/audit.py")
    start, end = at.date_input(key="audit_from").value, at.date_input(key="audit_to").value
    assert start is not None and end is not None
    assert start <= dt.date.today() <= end


def test_an_empty_table_says_so_in_the_language_shown(demo_db, monkeypatch):
    at = _admin_app(demo_db, monkeypatch, "pages/users.py")
    assert not at.dataframe, "an empty grid says 'empty' in English"
    assert i18n.t("widgets.table_empty", "zh") in [c.value for c in at.caption]
