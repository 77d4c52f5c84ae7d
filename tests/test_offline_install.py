"""The app starts on a server that reaches no network, and installs there
from the offline bundle alone (issue 18, items 1 and 2). Real network
namespaces (`unshare -n`, loopback up), not mocks: inside one, nothing but
127.0.0.1 answers, as on an office intranet with no package registry."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765  # a private network namespace: every port is free

# Run inside the namespace: start `scripts/app.sh` in the folder given, wait
# for Streamlit's health answer on loopback, print it, stop the app.
_START_AND_PROBE = r"""
set -eu
ip link set lo up
cd "$1"
bash scripts/app.sh --server.port {port} --server.fileWatcherType none > app.log 2>&1 &
app=$!
"$2" - "$app" <<'PY'
import os, socket, sys, time, urllib.request
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    print("NETWORK: pypi.org answered")
except OSError:
    print("no network: pypi.org unreachable")
for _ in range(600):
    try:
        with urllib.request.urlopen("http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            print("health:", r.status, r.read().decode())
            break
    except OSError:
        pass
    try:
        os.kill(int(sys.argv[1]), 0)
    except ProcessLookupError:
        print("the app exited"); break
    time.sleep(0.2)
PY
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
""".replace("{port}", str(PORT))


def _netns() -> list[str]:
    """`unshare` into a new network namespace (as root; otherwise in a user
    namespace too, which lets `ip` raise loopback)."""
    missing = [tool for tool in ("unshare", "ip") if shutil.which(tool) is None]
    assert not missing, f"{missing} missing: run `bash scripts/setup.sh --test` (installs iproute2)"
    return ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]


def _in_netns(script: str, *args: str, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([*_netns(), "bash", "-c", script, "netns", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def _checkout(dest: Path) -> Path:
    """A copy of this project's files, as a clerk's server holds them (no
    .git, no stores, no test artefacts)."""
    shutil.copytree(ROOT, dest, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.duckdb", "*.duckdb.wal", "artifacts", "__pycache__", ".pytest_cache"))
    return dest


def _prepared_checkout(dest: Path) -> Path:
    """A copy of the project after `scripts/setup.sh` has run there once,
    without a registry: its own .venv, light, with the packages of the venv
    this test runs in (a .pth line), so the set-up's installs into it (the
    editable cadre command) never touch that venv."""
    checkout = _checkout(dest)
    venv = checkout / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    inner = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(inner, "_cadre_test_base.pth").write_text("".join(f"{p}\n" for p in sorted(outer)))
    env = dict(os.environ, PIP_NO_INDEX="1")
    subprocess.run(["bash", "scripts/setup.sh"], cwd=checkout, env=env, check=True, capture_output=True)
    return checkout


def _start_offline(folder: Path, env: dict) -> tuple[str, str]:
    """Start scripts/app.sh in ``folder`` with no network; (probe output, app log)."""
    out = _in_netns(_START_AND_PROBE, str(folder), sys.executable, env=env)
    log = (folder / "app.log").read_text() if (folder / "app.log").exists() else ""
    return out.stdout + out.stderr, log


def test_app_starts_with_no_network_when_nothing_is_missing(tmp_path):
    """A prepared checkout (its venv made) starts inside a namespace with no
    network: the set-up asks no registry, and Streamlit answers its health
    check. Before the fix the font checks failed at random under pipefail
    and sent the start to apt-get, which failed here."""
    checkout = _prepared_checkout(tmp_path / "cadre")
    env = dict(os.environ, CADRE_DB=str(tmp_path / "office.duckdb"))
    started = time.monotonic()
    probe, log = _start_offline(checkout, env)
    assert "no network" in probe, probe
    assert "health: 200 ok" in probe, probe + log
    assert "setup:" not in log and "apt-get" not in log, log
    print(f"no-network start: {time.monotonic() - started:.1f} s")


def _apt_config(tmp_path: Path) -> dict:
    """An apt configuration of the test's own (lists and cache in tmp_path),
    so the failed update inside the namespace leaves the machine's apt
    state alone."""
    state = tmp_path / "apt"
    (state / "lists" / "partial").mkdir(parents=True)
    (state / "cache" / "archives" / "partial").mkdir(parents=True)
    conf = state / "apt.conf"
    conf.write_text(f'Dir::State::Lists "{state / "lists"}";\nDir::Cache "{state / "cache"}";\n'
                    'Acquire::Retries "0";\n')
    return {"APT_CONFIG": str(conf)}


def test_missing_fonts_without_network_say_how_to_install_offline(tmp_path):
    """The fonts are missing (an empty font configuration) and no mirror
    answers: set-up names what is missing and the bundle commands, and
    exits non-zero; the app does not start."""
    checkout = _prepared_checkout(tmp_path / "cadre")
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig/>')
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf), TMPDIR=str(tmp_path), **_apt_config(tmp_path))
    out = _in_netns('ip link set lo up; cd "$1"; bash scripts/setup.sh', str(checkout), env=env, timeout=120)
    assert out.returncode == 3, out.stdout + out.stderr
    assert "missing: fonts-noto-cjk fonts-wqy-zenhei" in out.stderr, out.stderr
    assert "bash scripts/bundle.sh" in out.stderr and "scripts/install-offline.sh cadre-bundle.tar.gz" in out.stderr
    assert "Offline install" in out.stderr


def test_missing_python_packages_without_network_say_how_to_install_offline(tmp_path):
    """A venv without the pinned packages and no registry: set-up names the
    missing pins and the bundle commands, and exits non-zero."""
    checkout = _checkout(tmp_path / "cadre")
    subprocess.run(["python3", "-m", "venv", str(checkout / ".venv")], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["TMPDIR"] = str(tmp_path)  # where set-up keeps pip's report for the message
    out = _in_netns('ip link set lo up; cd "$1"; bash scripts/setup.sh', str(checkout), env=env, timeout=180)
    assert out.returncode == 3, out.stdout + out.stderr
    assert "missing: streamlit==" in out.stderr and "duckdb==" in out.stderr, out.stderr
    assert "bash scripts/bundle.sh" in out.stderr


@pytest.mark.slow
def test_bundle_installs_and_starts_with_no_network(tmp_path):
    """bundle.sh (on this connected machine; pip's and the bundle's caches
    make later runs quick), then, inside a namespace with no network,
    install-offline.sh into a fresh folder: the Debian packages through
    apt-get pointed at the bundle's folder (--simulate: they are installed
    here already, and simulated on an empty package database, the bundle
    alone must hold the whole dependency closure), the wheels into a fresh
    venv; then scripts/app.sh there answers its health check."""
    started = time.monotonic()
    bundle = tmp_path / "cadre-bundle.tar.gz"
    made = subprocess.run(["bash", str(ROOT / "scripts" / "bundle.sh"), "--out", str(bundle)],
                          capture_output=True, text=True, timeout=1500)
    assert made.returncode == 0, made.stdout + made.stderr
    built = time.monotonic()

    target = tmp_path / "server" / "cadre"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env.update(CADRE_SIMULATE_APT="1", CADRE_DB=str(tmp_path / "office.duckdb"))
    out = _in_netns('ip link set lo up; bash "$1" "$2" --dir "$3"',
                    str(ROOT / "scripts" / "install-offline.sh"), str(bundle), str(target), env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "install on a machine with none of them" in out.stdout, out.stdout
    venv_python = target / ".venv" / "bin" / "python"
    assert venv_python.is_file() and not (target / ".venv").is_symlink()
    installed = time.monotonic()

    probe, log = _start_offline(target, env)
    shutil.rmtree(target.parent)  # about 1 GB, which pytest would keep
    bundle.unlink()
    assert "no network" in probe, probe
    assert "health: 200 ok" in probe, probe + log
    assert "setup:" not in log, log
    print(f"bundle {built - started:.0f} s, offline install {installed - built:.0f} s, "
          f"start {time.monotonic() - installed:.0f} s")


def test_setup_asks_no_registry_when_nothing_is_missing(tmp_path):
    """With everything installed, setup.sh calls neither apt-get nor pip:
    it says nothing and exits 0 with both made to fail."""
    checkout = _prepared_checkout(tmp_path / "cadre")
    fail = tmp_path / "bin"
    fail.mkdir()
    for tool in ("apt-get", "sudo"):
        (fail / tool).write_text("#!/bin/sh\necho called >&2\nexit 99\n")
        (fail / tool).chmod(0o755)
    env = dict(os.environ, PATH=f"{fail}:{os.environ['PATH']}", PIP_NO_INDEX="1", PIP_FIND_LINKS=str(fail))
    for args in ([], ["--test"]):
        out = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=checkout, env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout == "" and out.stderr == "", out
