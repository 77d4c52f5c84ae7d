"""Shared fixtures: a store on disk, loaded with the committed demo office."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
