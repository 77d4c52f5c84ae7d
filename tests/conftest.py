"""Shared fixtures: a store on disk, loaded with the committed demo office."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROWSER_TESTS = ROOT / "tests" / "browser"


# Browser tests that only open pages and read them (no upload, no grid edit,
# no slider held): they run on the other worker, beside the interactive ones.
BROWSER_SWEEPS = frozenset({
    "test_viewer_browser.py", "test_offline_browser.py", "test_projector_cut_browser.py",
    "test_cut_labels_browser.py",
})


def xdist_group_of(path: Path) -> str:
    """The xdist group of a test file (see ``pytest_collection_modifyitems``)."""
    if path.is_relative_to(BROWSER_TESTS):
        return "browser-sweeps" if path.name in BROWSER_SWEEPS else "browser"
    return str(path.relative_to(ROOT))


def pytest_collection_modifyitems(config, items):
    """Groups for the parallel run (scripts/test.sh: ``-n 2 --dist loadgroup
    --no-loadscope-reorder``), in the order the workers take them:

    - ``browser``: the interactive browser tests (uploads, grid edits,
      sliders), one after another on one worker with one Chromium;
    - ``browser-sweeps``: the browser tests that open every page and read it
      (viewer, offline, cut labels), on the other worker at the same
      time; they are most of the browser's time, and reading a page waits
      for it to settle, so the other worker's load cannot change what they see;
    - every other file, a group of its own (its module-scoped fixtures and
      test order stay with it), taken by whichever worker is free: the
      longest files first (``LONG_FILES``), so the run ends on short files
      that even out the two workers, not on a minute-long file that one
      worker runs while the other waits.

    Never two interactive browser tests at once: on two cores they lost grid
    edits to each other's load."""
    for item in items:
        item.add_marker(pytest.mark.xdist_group(xdist_group_of(Path(str(item.fspath)))))

    def rank(item) -> int:  # the order the workers take the groups in
        group = xdist_group_of(Path(str(item.fspath)))
        if group in ("browser", "browser-sweeps"):
            return 0 if group == "browser" else 1
        return 2 + LONG_FILES.index(group) if group in LONG_FILES else 2 + len(LONG_FILES)
    items.sort(key=rank)  # stable: files keep their order within a rank


# The files of more than 20 s (setup and teardown included) in a full run
# (fresh clone, 2026-12-07), longest first; the slowest-tests list at the
# end of every run shows when this needs updating. Ordering only: a file
# missing here still runs, in its place among the others.
LONG_FILES = (
    "tests/cadre/ingest/hostile/test_cli_address_limit.py",   # 77 s
    "tests/test_offline_install.py",                          # 67 s
    "tests/cadre/export/test_pack.py",                        # 42 s
    "tests/cadre/store/test_unusable_store.py",               # 39 s
    "tests/pages/test_page_scan.py",                          # 30 s
    "tests/cadre/ingest/hostile/test_hostile_files.py",       # 30 s
    "tests/cadre/test_cli.py",                                # 27 s
    "tests/cadre/appraisal/test_appraisal_cli.py",            # 26 s
    "tests/pages/test_pages_auth.py",                         # 23 s
    "tests/cadre/test_cli_common.py",                         # 22 s
)


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory) -> Path:
    """A DuckDB file holding the demo office, built once per test session."""
    from cadre import batches, store
    path = tmp_path_factory.mktemp("demo_store") / "demo.duckdb"
    con = store.connect(path)
    assert batches.ensure_demo(con)
    con.close()
    return path


@pytest.fixture
def demo_db(demo_store_template, tmp_path) -> Path:
    """A private copy of the demo store for one test (safe to change)."""
    path = tmp_path / "cadre.duckdb"
    shutil.copy(demo_store_template, path)
    return path


@pytest.fixture
def demo_con(demo_db):
    from cadre import store
    con = store.connect(demo_db)
    yield con
    con.close()
