"""Shared fixtures: a store on disk, loaded with the committed demo office."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROWSER_TESTS = ROOT / "tests" / "browser"


def pytest_collection_modifyitems(config, items):
    """Groups for the parallel run (scripts/test.sh: ``-n 2 --dist
    loadgroup``): every browser test in one group, so one worker drives one
    Chromium and one app server at a time while the other runs the rest a
    file at a time (two browser tests at once on two cores lost grid edits
    to each other's load); each other file is a group of its own, so its
    module-scoped fixtures and test order stay with it."""
    for item in items:
        path = Path(str(item.fspath))
        group = "browser" if path.is_relative_to(BROWSER_TESTS) else str(path.relative_to(ROOT))
        item.add_marker(pytest.mark.xdist_group(group))


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
