"""The house rules of the cadre package, read from its source: no import
circle among its modules, no module above its size (issue 17.4), the
settings read from the store only at the edges, one fetcher of query
results and one cache helper for the pages (issue 17.3)."""
from __future__ import annotations

import ast
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cadre"

# The largest module of one purpose, in lines. The modules that were larger
# on 2026-12-06 (main at fe90801, issue 17) keep their size that day as their
# own limit: they may shrink, not grow. Lower a limit when a module shrinks.
LINE_LIMIT = 400
GRANDFATHERED = {
    "cadre/demo.py": 983,
    "cadre/export/pack.py": 479,
    "cadre/foresight/projection.py": 428,
    "cadre/ingest/derive.py": 580,
    "cadre/ingest/lrmx.py": 427,
    "cadre/ingest/readers.py": 437,
    "cadre/ingest/upload.py": 604,
    "cadre/scoring.py": 830,
    "cadre/store.py": 528,
    "cadre/timeline.py": 509,
    "cadre/ui/appraisal.py": 439,
}

# The only functions that read the settings from the store (store.get_settings);
# every other function of cadre/, pages/ and app.py is given them by its caller.
# docs/architecture.md ("Conventions") says why each is an edge.
SETTINGS_EDGES = {
    "cadre/ui/frame.py": {"render", "menu_user"},
    "cadre/cli_common.py": {"open_data"},
    "cadre/cli_scores.py": {"run"},
    "cadre/cli_foresight.py": {"cmd_settings"},
    "cadre/ui/settings_editors.py": {"_store"},
    "cadre/whatif/saved.py": {"adopt_scenario"},
    "cadre/assessment/stored.py": {"save_settings", "ensure"},
    "cadre/batches.py": {"_ingest", "land_assessments", "_undo_last"},
    "cadre/serve.py": {"upload_limit_mb"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The cadre modules ``name`` imports anywhere in its body (top level,
    functions, classes; ``TYPE_CHECKING`` blocks left out), each resolved to
    a module of the package: ``from cadre import x`` is ``cadre.x`` when that
    is a module, else ``cadre``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    out: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            out.add(target)

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cadre":
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "cadre":
                continue
            for alias in node.names:
                full = f"{mod}.{alias.name}"
                add(full if full in known else mod)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imported(name, path, known) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan),
    each sorted; a module importing itself is left out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def too_long(limit_of=lambda rel: GRANDFATHERED.get(rel, LINE_LIMIT)) -> dict[str, tuple[int, int]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        n, limit = line_count(path), limit_of(rel)
        if n > limit:
            out[rel] = (n, limit)
    return out


def test_no_import_circle_among_cadre_modules():
    found = cycles(import_graph())
    assert found == [], f"import circles: {found}"


def test_no_module_above_its_line_limit():
    assert too_long() == {}, "modules above their line limit (lines, limit); split them by purpose"


def test_the_limits_name_existing_modules_and_bind():
    """Every grandfathered module exists and is above the general limit today
    (else its entry should go)."""
    for rel, limit in GRANDFATHERED.items():
        path = ROOT / rel
        assert path.exists(), rel
        assert LINE_LIMIT < line_count(path) <= limit, rel


def test_the_circle_finder_sees_function_level_and_package_imports(tmp_path):
    """The graph has the imports inside functions, ``from cadre import x``
    (module x) and relative imports; cycles() finds a circle through them and
    only then."""
    graph = {"cadre.a": {"cadre.b"}, "cadre.b": {"cadre.c"}, "cadre.c": set()}
    assert cycles(graph) == []
    graph["cadre.c"] = {"cadre.a"}
    assert cycles(graph) == [["cadre.a", "cadre.b", "cadre.c"]]
    pkg = tmp_path / "cadre"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "x.py").write_text("def f():\n    from cadre.sub import y\n    return y\n")
    (pkg / "sub" / "y.py").write_text("from . import z\nfrom cadre import x\n")
    (pkg / "sub" / "z.py").write_text("import cadre.x\n")
    known = {"cadre", "cadre.x", "cadre.sub", "cadre.sub.y", "cadre.sub.z"}
    assert imported("cadre.x", pkg / "x.py", known) == {"cadre.sub.y"}
    assert imported("cadre.sub.y", pkg / "sub" / "y.py", known) == {"cadre.sub.z", "cadre.x"}
    assert imported("cadre.sub.z", pkg / "sub" / "z.py", known) == {"cadre.x"}


def test_the_line_limit_catches_a_grown_module():
    assert too_long(lambda rel: 10) != {}


def product_files(root: Path = ROOT) -> list[Path]:
    return [*sorted((root / "cadre").rglob("*.py")), *sorted((root / "pages").glob("*.py")), root / "app.py"]


def settings_readers(files: list[Path], root: Path = ROOT) -> set[tuple[str, str]]:
    """(file, outermost function) of every call of ``get_settings``, however
    reached (``store.get_settings``, an imported name); ``<module>`` at top level."""
    out: set[tuple[str, str]] = set()
    for path in files:
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for top in tree.body:
            where = top.name if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else "<module>"
            for node in ast.walk(top):
                if isinstance(node, ast.Call):
                    fn = node.func
                    name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", None)
                    if name == "get_settings":
                        out.add((rel, where))
    return out


def test_only_the_edges_read_the_settings_from_the_store():
    readers = settings_readers(product_files())
    outside = sorted((rel, fn) for rel, fn in readers if fn not in SETTINGS_EDGES.get(rel, set()))
    assert outside == [], f"services read the settings themselves (take them as (con, settings, ...)): {outside}"
    edges = {(rel, fn) for rel, fns in SETTINGS_EDGES.items() for fn in fns}
    assert edges <= readers, f"edges that no longer read the settings (drop them): {sorted(edges - readers)}"


def settings_out_of_place(files: list[Path], root: Path = ROOT) -> set[tuple[str, str]]:
    """(file, function) of every function taking ``con`` first and
    ``settings`` anywhere but right after it, or as an optional one."""
    out: set[tuple[str, str]] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                names = [x.arg for x in a.posonlyargs + a.args]
                if names[:1] != ["con"] or "settings" not in names + [x.arg for x in a.kwonlyargs]:
                    continue
                positional = a.posonlyargs + a.args
                defaults = dict(zip([x.arg for x in positional][len(positional) - len(a.defaults):], a.defaults))
                if names[1:2] != ["settings"] or "settings" in defaults:
                    out.add((path.relative_to(root).as_posix(), node.name))
    return out


def test_every_service_takes_con_then_settings():
    assert settings_out_of_place(product_files()) == set()


def test_the_settings_check_sees_a_service_reading_them(tmp_path):
    (tmp_path / "cadre").mkdir()
    (tmp_path / "cadre" / "svc.py").write_text(
        "from cadre import store\nfrom cadre.store import get_settings\n\n"
        "def report(con, period, settings=None):\n    return settings or store.get_settings(con)\n\n"
        "class Lab:\n    def load(self, con):\n        return get_settings(con)\n")
    assert settings_readers([tmp_path / "cadre" / "svc.py"], tmp_path) == {("cadre/svc.py", "report"),
                                                                          ("cadre/svc.py", "Lab")}
    assert settings_out_of_place([tmp_path / "cadre" / "svc.py"], tmp_path) == {("cadre/svc.py", "report")}


def arrow_to_pandas(files: list[Path], root: Path = ROOT) -> set[str]:
    """The files that turn Arrow into pandas themselves (``.to_pandas(``)."""
    return {p.relative_to(root).as_posix() for p in files if ".to_pandas(" in p.read_text(encoding="utf-8")}


def test_one_fetcher_turns_query_results_into_dataframes():
    """store.frame / store.frame_of hold the one date rule; a second
    Arrow-to-pandas conversion elsewhere would have its own."""
    assert arrow_to_pandas(product_files()) == {"cadre/store.py"}


def cache_breaches(files: list[Path], root: Path = ROOT) -> set[tuple[str, str]]:
    """(file, what) for a page (``pages/``, ``app.py``) that defines a
    Streamlit cache of its own, and for any module that clears one: a page
    caches through cadre/ui/cached.py, keyed on the data version and the
    settings, which makes a clear needless."""
    out: set[tuple[str, str]] = set()
    for path in files:
        rel = path.relative_to(root).as_posix()
        is_page = rel.startswith("pages/") or rel == "app.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        cached_fns = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any("cache_data" in ast.unparse(d) or "cache_resource" in ast.unparse(d) for d in node.decorator_list):
                    cached_fns.add(node.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                text = ast.unparse(node)
                if is_page and node.attr in ("cache_data", "cache_resource", "experimental_memo",
                                              "experimental_singleton", "cache"):
                    out.add((rel, text))
                elif node.attr == "clear" and (text.endswith(("cache_data.clear", "cache_resource.clear"))
                                               or ast.unparse(node.value) in cached_fns):
                    out.add((rel, text))
    return out


def test_pages_cache_only_through_the_one_helper_and_nothing_clears_a_cache():
    assert cache_breaches(product_files()) == set()


def test_the_cache_check_sees_a_page_cache_and_a_clear(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "cadre").mkdir()
    (tmp_path / "pages" / "p.py").write_text(
        "import streamlit as st\n\n@st.cache_data(max_entries=4)\ndef people(_con, v):\n    return v\n")
    (tmp_path / "cadre" / "c.py").write_text(
        "import streamlit as st\n\n@st.cache_resource\ndef lab(v):\n    return v\n\n"
        "def reset():\n    lab.clear()\n    st.cache_data.clear()\n")
    assert cache_breaches([tmp_path / "pages" / "p.py", tmp_path / "cadre" / "c.py"], tmp_path) == {
        ("pages/p.py", "st.cache_data"), ("cadre/c.py", "lab.clear"), ("cadre/c.py", "st.cache_data.clear")}


def _made_on_click(data: ast.expr) -> bool:
    """A download button's ``data`` that is a callable Streamlit calls on the click."""
    if isinstance(data, ast.Lambda):
        return True
    return isinstance(data, ast.Call) and ast.unparse(data.func).split(".")[-1] in ("deferred", "logged")


def rerunning_deferred_downloads(files: list[Path], root: Path = ROOT) -> set[tuple[str, int]]:
    """(file, line) of a download button whose file is made on the click but
    whose click also reruns the page. The rerun registers a new file for the
    button and drops the old one; when it ends before the browser's request
    for the file is served ("Deferred file … not found" in the server's log),
    the click downloads nothing. A fresh-clone test run lost the appraisal
    page's 公示 this way; on_click="ignore" sends no rerun."""
    out: set[tuple[str, int]] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("download_button"):
                kw = {k.arg: k.value for k in node.keywords if k.arg}
                if "data" in kw and _made_on_click(kw["data"]):
                    click = kw.get("on_click")
                    if not (isinstance(click, ast.Constant) and click.value == "ignore"):
                        out.add((path.relative_to(root).as_posix(), node.lineno))
    return out


def test_a_file_made_on_the_click_is_not_dropped_by_a_rerun():
    assert rerunning_deferred_downloads(product_files()) == set()


def test_the_download_check_sees_a_rerunning_deferred_button(tmp_path):
    (tmp_path / "p.py").write_text(
        "import streamlit as st\n"
        "st.download_button('a', data=lambda: b'x', file_name='a')\n"
        "st.download_button('b', data=audited.deferred(ctx, 'export', {}, make), file_name='b', on_click='rerun')\n"
        "st.download_button('c', data=lambda: b'x', file_name='c', on_click='ignore')\n"
        "st.download_button('d', data=b'x', file_name='d')\n")
    assert rerunning_deferred_downloads([tmp_path / "p.py"], tmp_path) == {("p.py", 2), ("p.py", 3)}
