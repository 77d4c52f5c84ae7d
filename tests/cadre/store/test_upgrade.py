"""Upgrades keep the store: every store fixture (one per schema version,
``tests/fixtures/stores``) opens with this version's code and is migrated
in one transaction with a copy of the file kept first; a store of a newer
version is refused, untouched, on the command line and on the page."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from cadre import migrations as schema, store
from tests.fixtures.stores import make_stores

from .helpers import cadre, digest

FIXTURES = sorted(make_stores.HERE.glob("schema-v*.duckdb.gz"))


def unpack(fixture: Path, tmp_path: Path) -> Path:
    db = tmp_path / "office.duckdb"
    with gzip.open(fixture, "rb") as src, db.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return db


def version_of(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return store.schema_version(con)
    finally:
        con.close()


def test_there_is_a_fixture_for_every_version_up_to_this_one():
    assert [int(p.name.split("-v")[1].split(".")[0]) for p in FIXTURES] == list(range(1, store.SCHEMA_VERSION + 1))
    assert all(p.stat().st_size < 64 * 1024 for p in FIXTURES)  # tiny


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name.split(".")[0])
def test_each_fixture_opens_and_is_migrated_with_a_copy_kept_first(fixture, tmp_path):
    db = unpack(fixture, tmp_path)
    old = version_of(db)
    before = digest(db)
    con = store.connect(db)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert store.get_settings(con)["upload_limit_mb"] > 0
    finally:
        con.close()
    copies = sorted(tmp_path.glob("office.before-v*.duckdb"))
    if old < store.SCHEMA_VERSION:
        assert [c.name.split("-")[1] for c in copies] == [f"v{old}"]
        assert digest(copies[0]) == before and version_of(copies[0]) == old  # the file as it was
        assert schema.UPGRADED.pop(str(db))[:2] == (old, store.SCHEMA_VERSION)
    else:
        assert copies == []  # nothing to upgrade: not copied (settings added since are filled in, as ever)


def test_this_versions_fixture_keeps_its_office_users_and_audit(tmp_path):
    db = unpack(make_stores.fixture_path(store.SCHEMA_VERSION), tmp_path)
    proc = cadre("user", "list", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    assert [u["name"] for u in json.loads(proc.stdout)["users"]] == [make_stores.ADMIN_NAME]
    proc = cadre("structure", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["headcount"] == 3 and "demo" not in answer


def test_the_command_line_says_it_upgraded_and_where_the_copy_is(tmp_path):
    db = unpack(make_stores.fixture_path(1), tmp_path)
    proc = cadre("user", "list", "--lang", "en", db=db)
    assert proc.returncode == 0, proc.stderr
    copy = next(tmp_path.glob("office.before-v1-*.duckdb"))
    assert f"upgraded from schema version 1 to {store.SCHEMA_VERSION}" in proc.stderr and str(copy) in proc.stderr


def test_a_failing_upgrade_changes_nothing(tmp_path, monkeypatch):
    """All pending migrations run in one transaction: when the last fails,
    the ones before it are rolled back with it."""
    migrations = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS_DIR, migrations)
    (migrations / f"{store.SCHEMA_VERSION + 1:03d}_broken.sql").write_text(
        "create table half_done (x integer);\nselect error('this migration fails');\n", encoding="utf-8")
    monkeypatch.setattr(schema, "DIR", migrations)
    db = unpack(make_stores.fixture_path(1), tmp_path)
    with pytest.raises(duckdb.Error, match="this migration fails"):
        store.connect(db)
    assert version_of(db) == 1
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    con.close()
    assert "users" not in tables and "half_done" not in tables  # migration 2's table rolled back too
    assert len(list(tmp_path.glob("office.before-v1-*.duckdb"))) == 1  # the copy was taken first


def _newer(tmp_path) -> Path:
    db = unpack(make_stores.fixture_path(store.SCHEMA_VERSION), tmp_path)
    con = duckdb.connect(str(db))
    con.execute("update meta set value = ? where key = 'schema_version'", [str(store.SCHEMA_VERSION + 1)])
    con.close()
    return db


def test_a_newer_store_is_refused_untouched_in_the_users_language(tmp_path):
    db = _newer(tmp_path)
    before = digest(db)
    for lang, words in (("zh", "更新版本"), ("en", "newer version of cadre")):
        proc = cadre("user", "list", "--lang", lang, db=db)
        assert proc.returncode == 3 and words in proc.stderr and "Traceback" not in proc.stderr
    assert digest(db) == before and not list(tmp_path.glob("*.before-*"))


@pytest.mark.parametrize("lang,words", [("zh", "更新版本"), ("en", "newer version of cadre")])
def test_the_app_page_shows_the_newer_store_message(lang, words, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    db = _newer(tmp_path)
    before = digest(db)
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(str(make_stores.HERE.parents[2] / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    shown = " ".join(str(e.value) for kind in ("error", "text") for e in getattr(at, kind))
    assert words in shown and str(db) in shown
    assert digest(db) == before
