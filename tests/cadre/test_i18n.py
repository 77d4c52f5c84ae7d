"""The language catalogues: complete in both languages, and no page writes
user-facing text of its own."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cadre import i18n

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for p in list((ROOT / "cadre").rglob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]]
UI_FILES = list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]
# st.* calls whose first argument is text a user reads.
TEXT_CALLS = {"title", "header", "subheader", "write", "markdown", "caption", "text", "info", "warning",
              "error", "success", "button", "download_button", "selectbox", "multiselect", "radio", "slider",
              "number_input", "text_input", "toggle", "checkbox", "tabs", "expander", "metric", "toast",
              "file_uploader", "date_input", "form_submit_button", "segmented_control", "pills", "select_slider",
              "popover", "link_button", "page_link", "spinner", "status", "text_area", "data_editor"}


def _keys(lang: str) -> set[str]:
    return {k for k in i18n.catalogue(lang) if not k.startswith("value.")}


def test_catalogues_have_the_same_keys():
    zh, en = _keys("zh"), _keys("en")
    assert not (zh - en), f"missing in en: {sorted(zh - en)[:20]}"
    assert not (en - zh), f"missing in zh: {sorted(en - zh)[:20]}"


def test_templates_take_the_same_parameters():
    field = re.compile(r"{(\w+)")
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    bad = [k for k in _keys("zh") if set(field.findall(zh[k])) != set(field.findall(en[k]))]
    assert not bad, f"parameters differ between zh and en: {bad[:20]}"


def test_every_literal_key_in_the_code_exists():
    pattern = re.compile(r"""\b(?:t|i18n\.t)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
    missing = []
    for path in CODE:
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            for lang in i18n.LANGUAGES:
                if key not in i18n.catalogue(lang):
                    missing.append(f"{path.relative_to(ROOT)}: {key} ({lang})")
    assert not missing, "\n".join(missing[:30])


def _hard_coded_texts(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in TEXT_CALLS:
            continue
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            text = node.args[0].value
            if re.search(r"[A-Za-z\u4e00-\u9fff]", text) and not text.startswith("<"):
                found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_no_hard_coded_user_facing_text(path):
    assert not _hard_coded_texts(path)
    cjk = [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines())
           if re.search(r"[\u4e00-\u9fff]", line)]
    assert not cjk, f"Chinese text written in {path.name} at lines {cjk}"


def test_the_check_catches_a_hard_coded_title(tmp_path):
    page = tmp_path / "bad.py"
    page.write_text('import streamlit as st\nst.title("成绩分布")\nst.button("Save")\n', encoding="utf-8")
    assert len(_hard_coded_texts(page)) == 2


def test_periods_and_numbers_follow_the_language():
    assert i18n.format_period("1999Q3", "zh") == "1999年第三季度"
    assert i18n.format_period("1999Q3", "en") == "1999 Q3"
    assert i18n.format_period("1999", "zh") == "1999年度"
    assert i18n.value_label("优秀", "en") == "Excellent"
    assert i18n.value_label("秘书一科", "zh") == "秘书一科"
    assert i18n.format_number(1234.567, "en", 1) == "1,234.6"


def test_a_key_defined_twice_is_an_error(tmp_path, monkeypatch):
    for lang in i18n.LANGUAGES:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "a.json").write_text('{"x.y": "1"}', encoding="utf-8")
        (tmp_path / lang / "b.json").write_text('{"x.y": "2"}', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError):
            i18n.catalogue("zh")
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
