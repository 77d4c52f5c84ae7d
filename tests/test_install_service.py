"""scripts/install-service.sh, without systemd running: the units are
rendered into a temporary root (``--root``), checked by ``systemd-analyze
verify`` where it exists, and their commands run for real: the backup
unit's command keeps the newest N dated backups, the app unit's command
serves the app (its health answer)."""
from __future__ import annotations

import shlex
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install-service.sh"


def render(tmp_path: Path, *options: str) -> tuple[subprocess.CompletedProcess, Path]:
    root = tmp_path / "root"
    proc = subprocess.run(["bash", str(SCRIPT), "--root", str(root), *options], capture_output=True, text=True,
                          timeout=60)
    return proc, root / "etc" / "systemd" / "system"


def unit(units: Path, name: str) -> dict[str, list[str]]:
    """``key -> values`` of a unit file (a key may repeat)."""
    out: dict[str, list[str]] = {}
    for line in (units / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def exec_start(units: Path, name: str) -> list[str]:
    return shlex.split(unit(units, name)["ExecStart"][0])


def test_the_units_run_the_app_as_an_unprivileged_account_restarted_and_at_boot(tmp_path):
    db = tmp_path / "data" / "office.duckdb"
    proc, units = render(tmp_path, "--port", "8600", "--db", str(db), "--user", "cadresvc", "--keep", "5",
                         "--backup-dir", str(tmp_path / "nightly"), "--at", "03:15")
    assert proc.returncode == 0, proc.stderr
    app = unit(units, "cadre.service")
    assert app["User"] == ["cadresvc"] and app["Group"] == ["cadresvc"]
    assert app["Restart"] == ["on-failure"] and app["WantedBy"] == ["multi-user.target"]
    assert exec_start(units, "cadre.service")[1:] == [str(ROOT / "scripts" / "cadre"), "serve", "--port", "8600",
                                                       "--db", str(db)]
    assert app["WorkingDirectory"] == [str(ROOT)]
    backup = exec_start(units, "cadre-backup.service")
    assert backup[2:8] == ["backup", "--out", str(tmp_path / "nightly"), "--keep", "5", "--db"]
    timer = unit(units, "cadre-backup.timer")
    assert timer["OnCalendar"] == ["*-*-* 03:15:00"] and timer["Persistent"] == ["true"]
    assert timer["WantedBy"] == ["timers.target"]
    for name in ("cadre.service", "cadre-backup.service"):
        assert "root" not in unit(units, name)["User"]
    proc, units = render(tmp_path, "--address", "0.0.0.0")
    assert exec_start(units, "cadre.service")[-2:] == ["--address", "0.0.0.0"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_finds_nothing_wrong_in_the_units(tmp_path):
    proc, units = render(tmp_path, "--backup-dir", str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(["systemd-analyze", "verify", "./cadre.service", "./cadre-backup.service",
                            "./cadre-backup.timer"], cwd=units, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0 and check.stderr.strip() == "", check.stderr


@pytest.mark.parametrize("options,words", [
    (("--user", "root"), "must not run as root"), (("--keep", "0"), "--keep must be 1 or more"),
    (("--port", "http"), "--port must be a number"), (("--at", "25:00"), "--at must be a time"),
    (("--user", "Bad Name"), "--user must be an account name"), (("--address", "a b"), "--address must be"), (("--bogus",), "unknown option --bogus")])
def test_wrong_options_are_refused_and_nothing_is_written(tmp_path, options, words):
    proc, units = render(tmp_path, *options)
    assert proc.returncode == 2 and words in proc.stderr
    assert not units.exists()


def test_without_root_it_asks_for_root_and_changes_nothing(tmp_path):
    if subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip() == "0":
        pytest.skip("runs as root here")
    proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "sudo bash" in proc.stderr


def test_uninstall_removes_the_units_and_keeps_the_data(tmp_path):
    db = tmp_path / "data" / "office.duckdb"
    db.parent.mkdir()
    db.write_bytes(b"the office's store")
    (tmp_path / "data" / "backups").mkdir()
    (tmp_path / "data" / "backups" / "cadre-backup-20260101-023000.zip").write_bytes(b"a backup")
    proc, units = render(tmp_path, "--db", str(db))
    assert proc.returncode == 0 and len(list(units.iterdir())) == 3
    proc, units = render(tmp_path, "--db", str(db), "--uninstall")
    assert proc.returncode == 0, proc.stderr
    assert list(units.iterdir()) == []
    assert db.read_bytes() == b"the office's store" and len(list((tmp_path / "data" / "backups").iterdir())) == 1
    assert "kept" in proc.stdout


def test_the_backup_units_command_keeps_the_newest_n(tmp_path):
    db = tmp_path / "data" / "office.duckdb"
    nightly = tmp_path / "nightly"
    nightly.mkdir()
    (nightly / "notes.txt").write_text("not a backup")  # never touched
    proc, units = render(tmp_path, "--db", str(db), "--backup-dir", str(nightly), "--keep", "2")
    assert proc.returncode == 0, proc.stderr
    command = exec_start(units, "cadre-backup.service")
    for _ in range(3):
        done = subprocess.run(command, cwd="/", capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    kept = sorted(p.name for p in nightly.glob("cadre-backup-*.zip"))
    assert len(kept) == 2 and (nightly / "notes.txt").exists()
    assert "Deleted 1" in done.stdout or "已删除 1" in done.stdout


def test_the_app_units_command_serves_the_app(tmp_path):
    port = _free_port()
    db = tmp_path / "data" / "office.duckdb"
    proc, units = render(tmp_path, "--db", str(db), "--port", str(port))
    assert proc.returncode == 0, proc.stderr
    server = subprocess.Popen(exec_start(units, "cadre.service"), cwd="/", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200
    finally:  # the store is a test's copy: no need to stop the server gently
        server.kill()
        server.wait(timeout=30)
