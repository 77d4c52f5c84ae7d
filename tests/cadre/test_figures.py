"""The figures registry: every figure the pages, the pack and the command
line show comes from ``cadre.figures`` (label, format, definition), and a
figure's format changed there changes every place together."""
from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from cadre import cadre_views, cli, cli_text, figures, i18n, store, timeline
from cadre.assessment.search import search_people
from cadre.export import pack
from cadre.export.tables import to_xlsx

ROOT = Path(__file__).resolve().parents[2]
# Every module that turns a figure into text: the pages, the page helpers,
# the charts, the review pack, the command line and the view builders.
SHOWING = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "cadre" / "ui").glob("*.py")) \
    + sorted((ROOT / "cadre" / "charts").glob("*.py")) + [
        ROOT / "cadre" / p for p in ("cli.py", "cli_text.py", "export/pack.py", "export/findings.py",
                                     "export/tables.py", "export/datasets.py", "appraisal/exports.py",
                                     "people_list.py", "cadre_views.py", "overview.py")]
# Roundings and formats that make no figure: (module, enclosing function) -> why.
NOT_FIGURES = {("pack.py", "_slide_figure"): "a chart image's height in pixels",
               ("exports.py", "notice_html"): "the printed notice's font size in points"}
PERIOD = "2001Q4"


def _pattern(catalogue_key: str, lang: str) -> re.Pattern:
    """A catalogue template as a pattern (its {parameters} match anything)."""
    parts = re.split(r"{\w+}", i18n.catalogue(lang)[catalogue_key])
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.S)


def _figure_of(label: str, lang: str) -> list[str]:
    """The registry figures whose label reads ``label``."""
    return [k for k, f in figures.FIGURES.items() if _pattern(f.label, lang).match(label)]


# ---------------------------------------------------------------- the registry itself

def test_every_figure_has_a_label_unit_format_source_and_definition():
    for lang in i18n.LANGUAGES:
        cat = i18n.catalogue(lang)
        for fig in figures.FIGURES.values():
            assert fig.label in cat and (fig.header is None or fig.header in cat), fig.key
            assert cat[fig.definition].strip(), fig.key
            assert fig.unit and fig.source and fig.decimals >= 0, fig.key


def test_formats_follow_the_registry():
    assert figures.value("mean", 80.754) == "80.75"
    assert figures.words("mean", 80.754) == "80.8"
    assert figures.value("share_under_35", 0.234) == "23%"
    assert figures.value("mean", None) == figures.value("mean", float("nan")) == "—"
    assert figures.value("rank", "副科级", "en") == i18n.value_label("副科级", "en")
    assert figures.of("sections_head_changed", 2, 7) == "2 / 7"


def _rounds_by_the_registry(call: ast.Call) -> bool:
    """``x.round(figures.get(k).decimals)``: a rounding whose digits the registry gives."""
    digits = call.args[1:] if isinstance(call.func, ast.Name) else call.args
    digits = [*digits, *(k.value for k in call.keywords)]
    return any("figures." in ast.unparse(d) for d in digits)


def _format_problems(path: Path, label_keys: set[str]) -> list[str]:
    """Where ``path`` rounds or formats a number itself, or names a figure's label key."""
    bad = []
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                where.setdefault(id(node), fn.name)
    for node in ast.walk(tree):
        if (path.name, where.get(id(node))) in NOT_FIGURES:
            continue
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name == "format_number" or (name == "round" and not _rounds_by_the_registry(node)):
                bad.append(f"{rel}:{node.lineno}: {ast.unparse(node.func)}()")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in label_keys:
                bad.append(f"{rel}:{node.lineno}: label key {node.value!r}")
            if re.search(r"{[^{}]*:[,+]?\.\d+[f%]}|{[^{}]*:[,+]?(\.\d+)?g}", node.value):
                bad.append(f"{rel}:{node.lineno}: number format {node.value!r}")
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            if re.search(r"\.\d+[f%]|(^|[^\w])[,+]?(\.\d+)?g'?$", ast.unparse(node.format_spec)):
                bad.append(f"{rel}:{node.lineno}: f-string number format")
    return bad


def test_no_figure_is_formatted_or_labelled_outside_the_registry():
    """The code that shows figures neither rounds (``.round``, ``round()``)
    nor formats numbers itself (``:.2f``, ``:g``), nor names a figure's label
    key: all come from cadre.figures."""
    label_keys = {f.label for f in figures.FIGURES.values() if f.unit != "text"}
    label_keys |= {f.header for f in figures.FIGURES.values() if f.header}
    bad = [problem for path in SHOWING for problem in _format_problems(path, label_keys)]
    assert not bad, "\n".join(bad)


def test_the_guard_sees_every_way_of_formatting(tmp_path):
    """The guard above catches each way a number was formatted outside the
    registry (the rotation years once read 「2.5」 on a page, 「2」 in the pack)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(x, s, figures):\n"
        "    a = f'{x:g}'\n"
        "    b = '{:g}'.format(x)\n"
        "    c = round(x, 1)\n"
        "    d = s.round(2)\n"
        "    e = f'{x:.1f}'\n"
        "    ok = s.round(figures.get('mean').decimals)\n"
        "    ok2 = f'{x:>4}'\n", encoding="utf-8")
    assert sorted(p.split(":", 2)[1] for p in _format_problems(sample, set())) == ["2", "3", "4", "5", "6"]


def test_rotation_years_read_the_same_on_the_page_and_in_the_pack():
    """Half years are allowed in the settings: 2.5 reads 「2.5」 everywhere, 5 reads 「5」."""
    from cadre.export import findings
    import pandas as pd
    assert figures.value("rotation_years", 2.5) == "2.5"
    assert figures.value("rotation_years", 5) == "5"
    due = pd.DataFrame({"person_id": ["p1"]})
    assert "2.5" in findings.rotation(due, 2.5, "zh")
    assert figures.value("rotation_years", 2.5) in cadre_views.tenure_note(
        pd.DataFrame(), pd.DataFrame({"post_unknown": [True]}), 2.5, "zh")


# ---------------------------------------------------------------- every figure shown comes from it

def _page(path: str, db, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


PAGES = [("pages/overview.py", {"period": PERIOD}), ("pages/distribution.py", {"period": PERIOD}),
         ("pages/structure.py", {}), ("pages/pipeline.py", {}), ("pages/whatif.py", {"period": "2001"}),
         ("pages/person.py", {"person": None})]


@pytest.mark.parametrize("path,query", PAGES, ids=[p for p, _ in PAGES])
def test_every_metric_on_the_pages_comes_from_the_registry(demo_db, monkeypatch, path, query):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    if "person" in query:
        con = store.connect(demo_db)
        query = {"person": str(search_people(con, "")["person_id"].iloc[0])}
        con.close()
    at = _page(path, demo_db, **query)
    assert at.metric, f"{path} shows no metric"
    for m in at.metric:
        keys = _figure_of(m.label, "zh")
        assert keys, f"{path}: metric {m.label!r} is not a registry figure"
        assert any(_pattern(figures.get(k).definition, "zh").match(m.help or "") for k in keys), \
            f"{path}: metric {m.label!r} does not show its definition on hover"


def test_every_figure_of_the_pack_comes_from_the_registry(demo_con):
    _, slides = pack.collect(demo_con, store.get_settings(demo_con), PERIOD)
    for slide in slides:
        for label, _value in slide.metrics:
            assert _figure_of(label, "zh"), f"{slide.key}: metric {label!r} is not a registry figure"
        if slide.table is not None:
            numeric = [c for c in slide.table.columns
                       if slide.table[c].astype(str).str.fullmatch(r"-?[\d,]+\.\d+%?").any()]
            for col in numeric:
                assert any(figures.header(k) == col for k in figures.FIGURES), \
                    f"{slide.key}: column {col!r} shows decimals but is not a registry figure"


def test_every_figure_of_the_cli_comes_from_the_registry(demo_con):
    structure = timeline.structure(demo_con, store.get_settings(demo_con))
    movements = timeline.movements_summary(demo_con, store.get_settings(demo_con), 1999)
    assert set(movements) - {"year"} <= set(figures.FIGURES)
    assert set(structure) - {"date", "middle_cadres"} <= set(figures.FIGURES)
    for line in cli_text.structure_lines(structure, "zh")[1:] + cli_text.movement_lines(movements, "zh")[1:]:
        label = line.strip().split(": ")[0]
        assert _figure_of(label, "zh"), f"CLI line {line!r} shows no registry figure"


# ---------------------------------------------------------------- one change, every place

def _three_decimals(text: str) -> bool:
    return re.fullmatch(r"-?[\d,]+\.\d{3}", text) is not None


def test_changing_a_figures_decimals_changes_page_xlsx_pack_and_cli(demo_db, monkeypatch, capsys):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    mean_label = figures.label("mean", "zh")
    with figures.changed("mean", decimals=3):
        # the page: the metric, and the table whose XLSX download is exactly what it shows
        at = _page("pages/distribution.py", demo_db, period=PERIOD)
        assert _three_decimals({m.label: m.value for m in at.metric}[mean_label])
        at = _page("pages/sections.py", demo_db, period=PERIOD)
        table = next(d.value for d in at.dataframe if mean_label in d.value.columns)
        sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
        col = [c.value for c in sheet[1]].index(mean_label)
        means = [row[col] for row in sheet.iter_rows(min_row=2, values_only=True) if row[col] is not None]
        assert means and all(round(x, 3) == x for x in means) and any(round(x, 2) != x for x in means)
        # the pack
        con = store.connect(demo_db)
        try:
            _, slides = pack.collect(con, store.get_settings(con), PERIOD)
        finally:
            con.close()
        headline = next(s for s in slides if s.key == "headline")
        assert _three_decimals(dict(headline.metrics)[mean_label])
        egal = next(s for s in slides if s.key == "egalitarian").table
        assert all(_three_decimals(x) for x in egal[mean_label])
        # the command line
        assert cli.main(["report", "--period", PERIOD, "--db", str(demo_db)]) == 0
        printed = capsys.readouterr().out
        summary = printed.splitlines()[1]
        assert re.search(r"\d\.\d{3}\D", summary + " "), summary
    # and back
    assert figures.value("mean", 1.23456) == "1.23"


def test_a_table_shows_figure_columns_with_their_fixed_decimals(demo_db, monkeypatch):
    """Issue 20.18: the grid dropped trailing zeros, 「83」 and 「3.6」 in a
    column of two-decimal numbers; each fractional figure column carries its
    figure's format."""
    import json
    import pandas as pd
    frame = pd.DataFrame({"section": ["甲", "乙"], "mean": [83.0, 3.6], "assessed": [1, 2], "rotation_years": [5.0, 2.5]})
    assert figures.column_formats(frame) == {figures.header("mean"): "%.2f"}
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = _page("pages/sections.py", demo_db, period=PERIOD)
    checked = 0
    for d in at.dataframe:
        config = json.loads(d.proto.columns or "{}")
        for col in d.value.columns:
            decimals = {figures.get(k).decimals for k in figures.FIGURES if figures.header(k) == col}
            if decimals and max(decimals) and pd.api.types.is_float_dtype(d.value[col]):
                assert config.get(col, {}).get("type_config", {}).get("format") in {f"%.{n}f" for n in decimals}, col
                checked += 1
    assert checked >= 5
