"""Set-up installs into a project virtual environment, never the system
Python (Debian 12's is EXTERNALLY-MANAGED and refuses pip), with runtime and
test requirements apart; app.sh and test.sh run from that environment."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY = ("pytest", "hypothesis", "playwright")


def _packages(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.append(re.split(r"[=<>~!\[ ]", line)[0].lower())
    return names


def test_runtime_and_test_requirements_are_apart():
    runtime = _packages(ROOT / "requirements.txt")
    assert "streamlit" in runtime and "duckdb" in runtime
    assert not set(runtime) & set(TEST_ONLY), "test packages in the runtime requirements"
    test = (ROOT / "requirements-test.txt").read_text()
    assert "-r requirements.txt" in test
    assert set(TEST_ONLY) <= set(_packages(ROOT / "requirements-test.txt"))


def test_setup_installs_into_the_project_venv_only():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert '-m venv "$VENV"' in setup and "VENV=.venv" in setup
    pip_lines = [ln for ln in setup.splitlines() if "pip install" in ln and not ln.lstrip().startswith("#")]
    assert pip_lines and all('"$VENV/bin/python" -m pip' in ln for ln in pip_lines), pip_lines
    assert "python3-venv" in setup  # Debian ships ensurepip apart from python3
    for pkg in ("chromium", "fonts-noto-cjk", "poppler-utils"):
        assert pkg in setup


def test_app_and_tests_run_from_the_venv():
    app = (ROOT / "scripts" / "app.sh").read_text()
    test = (ROOT / "scripts" / "test.sh").read_text()
    assert "bash scripts/setup.sh\n" in app and ".venv/bin/python -m streamlit run app.py" in app
    assert "bash scripts/setup.sh --test" in test and ".venv/bin/python -m pytest" in test
    for script in ("setup.sh", "app.sh", "test.sh"):
        subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], check=True)


def test_the_venv_is_not_committed():
    out = subprocess.run(["git", "check-ignore", "-q", ".venv/bin/python"], cwd=ROOT)
    assert out.returncode == 0, ".venv is not gitignored"


def test_readme_keeps_two_commands_and_says_port_and_store():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/app.sh " in readme and "bash scripts/test.sh " in readme
    assert "--server.port" in readme and "CADRE_DB=" in readme


def test_no_check_pipes_into_an_early_quitting_grep():
    """Under pipefail, `producer | grep -q` fails with 141 when grep quits
    before the producer has written everything: a check that is true reads
    as false and the set-up reaches for the network."""
    for script in ("setup.sh", "app.sh", "test.sh", "bundle.sh", "install-offline.sh"):
        for n, line in enumerate((ROOT / "scripts" / script).read_text().splitlines(), 1):
            code = line.split("#")[0]
            assert not re.search(r"\|\s*grep\s+-\w*q", code), f"{script}:{n}: {line.strip()}"


def test_setup_finds_the_fonts_it_needs_every_time():
    """Run the font checks of setup.sh (as written there) 20 times: present
    fonts are found each time (the piped version failed about half)."""
    setup = (ROOT / "scripts" / "setup.sh").read_text().splitlines()
    checks = [ln for ln in setup if "fc-list" in ln or ("need_apt+=(fonts-" in ln)]
    script = "set -euo pipefail\nneed_apt=()\n" + "\n".join(checks) + '\necho "${need_apt[@]:-}"\n'
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "Noto Sans CJK" not in fonts or "WenQuanYi Zen Hei" not in fonts:
        raise AssertionError("the test machine lacks the fonts setup.sh installs")
    for _ in range(20):
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "", out.stdout


def test_the_bundle_carries_every_debian_package_setup_installs():
    """bundle.sh takes its Debian packages from `setup.sh --debian-packages`:
    that list holds every package setup.sh would install for the app (the
    test-only iproute2 apart), so a server set up from the bundle never
    needs a mirror."""
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    installed = set(re.findall(r"need_apt\+=\(([\w.+-]+)\)", setup)) - {"iproute2"}
    listed = subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), "--debian-packages"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert installed and installed <= set(listed), installed - set(listed)
    assert "setup.sh\" --debian-packages" in (ROOT / "scripts" / "bundle.sh").read_text()
    for script in ("bundle.sh", "install-offline.sh"):
        subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], check=True)

