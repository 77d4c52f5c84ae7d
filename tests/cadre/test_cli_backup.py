"""`backup --out FOLDER --keep N`: a dated file in the folder, the oldest
dated backups beyond N deleted, nothing else in the folder touched."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

from cadre import cli_backup

from .store.helpers import cadre


def test_a_folder_gets_a_dated_backup_and_keep_deletes_the_oldest(demo_db, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    old = ["cadre-backup-20200101-023000.zip", "cadre-backup-20200102-023000.zip", "cadre-backup-20200103-023000.zip"]
    for name in old:
        (folder / name).write_bytes(b"old")
    (folder / "keep-me.zip").write_bytes(b"not a dated backup")
    proc = cadre("backup", "--out", str(folder), "--keep", "2", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    written = folder / answer["out"].rsplit("/", 1)[1]
    assert cli_backup.DATED.match(written.name) and zipfile.is_zipfile(written)
    assert sorted(p.name for p in folder.iterdir()) == sorted([old[2], written.name, "keep-me.zip"])
    assert [p.rsplit("/", 1)[1] for p in answer["removed"]] == old[:2]


def test_two_backups_in_one_second_both_kept(tmp_path):
    now = dt.datetime(2026, 12, 6, 2, 30, 0)
    first = cli_backup.target(tmp_path, now)
    first.write_bytes(b"x")
    second = cli_backup.target(tmp_path, now)
    assert first != second and cli_backup.DATED.match(second.name)


def test_keep_needs_a_folder_and_a_positive_number(demo_db, tmp_path):
    proc = cadre("backup", "--out", str(tmp_path / "one.zip"), "--keep", "3", "--lang", "en", db=demo_db)
    assert proc.returncode == 2 and "existing folder" in proc.stderr and not (tmp_path / "one.zip").exists()
    proc = cadre("backup", "--out", str(tmp_path), "--keep", "0", db=demo_db)
    assert proc.returncode == 2 and "--keep" in proc.stderr and list(tmp_path.iterdir()) == [demo_db]


def test_a_file_target_still_writes_that_file(demo_db, tmp_path):
    out = tmp_path / "b.zip"
    proc = cadre("backup", "--out", str(out), db=demo_db)
    assert proc.returncode == 0 and zipfile.is_zipfile(out)
