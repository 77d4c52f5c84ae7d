"""`cadre doctor`: each check finds what is wrong and says what to fix, in
the user's language; the exit status is 1 when something failed; --json."""
from __future__ import annotations

import json

import duckdb
import pytest

from cadre import doctor, store

from .store.helpers import cadre


def test_a_ready_server_passes_every_check(demo_db, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    proc = cadre("doctor", "--json", "--backup-dir", str(backups), "--min-free-mb", "1", db=demo_db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["ok"] is True
    assert [c["name"] for c in answer["checks"]] == ["python", "packages", "chromium", "fonts", "store", "disk",
                                                     "backup_dir"]
    assert all(c["status"] == "ok" for c in answer["checks"]), answer
    store_check = answer["checks"][4]
    assert f"schema version {store.SCHEMA_VERSION}" in doctor.check_store("en", demo_db).message
    assert str(demo_db) in store_check["message"]


@pytest.mark.parametrize("lang,words,fix", [("zh", "备份文件夹", "sudo mkdir -p"), ("en", "does not exist", "sudo mkdir -p")])
def test_a_missing_backup_folder_fails_with_the_fix_in_the_users_language(demo_db, tmp_path, lang, words, fix):
    proc = cadre("doctor", "--lang", lang, "--backup-dir", str(tmp_path / "none"), db=demo_db)
    assert proc.returncode == 1
    assert words in proc.stdout and fix in proc.stdout and str(tmp_path / "none") in proc.stdout


def test_a_newer_store_fails_and_is_not_changed(demo_db, tmp_path):
    con = duckdb.connect(str(demo_db))
    con.execute("update meta set value = '999' where key = 'schema_version'")
    con.close()
    check = doctor.check_store("zh", demo_db)
    assert check.status == doctor.FAIL and "更新版本" in check.message and "重新安装" in check.fix
    english = doctor.check_store("en", demo_db)
    assert "newer version" in english.message and english.fix


def test_an_older_store_is_reported_as_upgraded_at_next_open(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    store.migrate(con, None, upto=1)
    con.close()
    check = doctor.check_store("en", db)
    assert check.status == doctor.OK and "schema version 1" in check.message
    assert f"upgraded to {store.SCHEMA_VERSION}" in check.message
    con = duckdb.connect(str(db), read_only=True)
    assert store.schema_version(con) == 1  # doctor only looked
    con.close()


def test_no_store_yet_is_a_warning_not_a_failure(tmp_path):
    check = doctor.check_store("en", tmp_path / "none.duckdb")
    assert check.status == doctor.WARN and not (tmp_path / "none.duckdb").exists()


def test_packages_off_their_pins_fail():
    check = doctor.check_packages("en", {"duckdb": "0.0.1", "no-such-package-here": "1.0"})
    assert check.status == doctor.FAIL
    assert "duckdb is" in check.message and "the pin is 0.0.1" in check.message
    assert "no-such-package-here is not installed" in check.message and "setup.sh" in check.fix
    assert doctor.check_packages("zh", {"duckdb": duckdb.__version__}).status == doctor.OK


def test_the_pins_are_requirements_txt():
    pins = doctor.pins()
    assert pins["duckdb"] and pins["streamlit"] and "pytest" not in pins


def test_old_python_missing_fonts_and_low_disk_fail(tmp_path):
    assert doctor.check_python("en", (3, 10, 2)).status == doctor.FAIL
    assert doctor.check_python("en", (3, 11, 0)).status == doctor.OK
    fonts = doctor.check_fonts("zh", "/usr/share/fonts/x.ttc: Noto Sans CJK SC:style=Regular\n")
    assert fonts.status == doctor.FAIL and "WenQuanYi Zen Hei" in fonts.message and "方框" in fonts.message
    disk = doctor.check_disk("en", tmp_path / "x.duckdb", min_free_mb=10 ** 9)
    assert disk.status == doctor.FAIL and "needs" in disk.message and disk.fix


def test_exit_status_is_1_when_something_fails(demo_db, tmp_path):
    backups = tmp_path / "b"
    backups.mkdir()
    proc = cadre("doctor", "--json", "--backup-dir", str(backups), "--min-free-mb", str(10 ** 9), db=demo_db)
    assert proc.returncode == 1
    answer = json.loads(proc.stdout)
    assert answer["ok"] is False and [c["name"] for c in answer["checks"] if c["status"] == "fail"] == ["disk"]
