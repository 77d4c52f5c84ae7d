"""The `cadre` command as the clerk types it: ``bash scripts/cadre`` from
any folder with nothing activated, ``.venv/bin/cadre`` after set-up, the
common options before or after the command, help in Chinese or English,
and no user-facing text that names a command form that would fail."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cadre import cli_common

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "scripts" / "cadre"


def run(*args, cwd="/", env=None, input=None):
    base = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    return subprocess.run(["bash", str(WRAPPER), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**base, **(env or {})}, input=input)


def test_the_wrapper_runs_from_any_folder_with_nothing_activated(tmp_path):
    """From /, with a PATH that has no venv: relative paths are the caller's."""
    proc = run("--db", "office.duckdb", "user", "add", "王主任", "--role", "admin", "--password-stdin",
               cwd=tmp_path, input="a long enough password\n")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "office.duckdb").is_file()
    proc = run("user", "list", "--json", "--db", str(tmp_path / "office.duckdb"))
    assert proc.returncode == 0 and json.loads(proc.stdout)["users"][0]["name"] == "王主任"


@pytest.mark.parametrize("order", ["before", "after", "both"])
def test_db_goes_before_or_after_the_command(tmp_path, order):
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    args = {"before": ["--db", str(first), "--json", "structure"],
            "after": ["structure", "--db", str(first), "--json"],
            "both": ["--db", str(second), "--lang", "en", "structure", "--db", str(first), "--json"]}[order]
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["headcount"] > 0  # --json given on either side
    assert first.is_file() and not second.exists()  # the one after the command wins
    assert str(first) in proc.stderr  # "no store at …, a new one was made"


def test_db_before_a_nested_command(tmp_path):
    db = tmp_path / "x.duckdb"
    proc = run("--db", str(db), "--json", "user", "list")
    assert proc.returncode == 0, proc.stderr
    assert db.is_file() and json.loads(proc.stdout)["users"] == []


@pytest.mark.parametrize("how,words", [
    ({"env": {"LANG": "zh_CN.UTF-8"}, "args": ()}, ("用法：", "命令", "添加用户")),
    ({"env": {"LANG": "C.UTF-8"}, "args": ("--lang", "zh")}, ("用法：", "命令", "添加用户")),
    ({"env": {"LANG": "en_US.UTF-8"}, "args": ()}, ("usage:", "commands", "add a user")),
    ({"env": {"LANG": "zh_CN.UTF-8"}, "args": ("--lang", "en")}, ("usage:", "commands", "add a user")),
])
def test_help_speaks_the_users_language(how, words):
    top = run(*how["args"], "--help", env=how["env"])
    assert top.returncode == 0 and words[0] in top.stdout and words[1] in top.stdout
    sub = run(*how["args"], "user", "--help", env=how["env"])
    assert sub.returncode == 0 and words[2] in sub.stdout
    assert "bash scripts/cadre" in top.stdout


def test_every_help_text_is_in_both_catalogues():
    from cadre import i18n
    zh = {k for k in i18n.catalogue("zh") if k.startswith("cli.help.")}
    en = {k for k in i18n.catalogue("en") if k.startswith("cli.help.")}
    assert zh == en and len(zh) > 50
    for lang in ("zh", "en"):  # every subcommand's help builds (a missing key raises)
        parser = __import__("cadre.cli", fromlist=["build_parser"]).build_parser(lang)
        assert parser.format_help()


def test_wrong_usage_exits_2_in_the_users_language():
    proc = run("--lang", "zh", "structure", "--date")
    assert proc.returncode == 2 and "错误" in proc.stderr


def test_the_sign_in_command_is_this_checkouts_wrapper_and_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(tmp_path / "o.duckdb"))
    line = cli_common.command_line("user add 王主任 --role admin")
    assert line.endswith(f"bash {WRAPPER} user add 王主任 --role admin --db {tmp_path / 'o.duckdb'}")
    monkeypatch.delenv("CADRE_DB")
    assert "--db" not in cli_common.command_line("user list")
    # the app runs as the service's account, not the checkout's owner: the command says whose
    monkeypatch.setattr(os, "geteuid", lambda: 65534)
    import pwd
    assert cli_common.command_line("user list").startswith(f"sudo -u {pwd.getpwuid(65534).pw_name} bash {WRAPPER}")


# A command form that fails as typed on a fresh server: python without the
# venv (`python -m cadre`, `python3 -m cadre`), or the bare console script.
FAILING = re.compile(r"(?<![\w/.-])python3?\s+-m\s+cadre(?![\w.])|(?<![\w/.-])cadre\s+(?:user|backup|restore|doctor|"
                     r"ingest|report|serve)\s+(?:add|list|--)")
USER_FACING = ["README.md", "app.py", "docs/*.md", "pages/*.py", "scripts/*", "cadre/**/*.py", "cadre/locales/*/*.json"]


def test_no_user_facing_text_names_a_command_that_would_fail():
    found = []
    for pattern in USER_FACING:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    if FAILING.search(line):
                        found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


def test_the_command_line_modules_import_no_circle():
    """cadre.cli imports the command modules; none of them imports cadre.cli."""
    for path in [ROOT / "cadre" / "appraisal" / "cli.py", *(ROOT / "cadre").glob("cli_*.py"),
                 ROOT / "cadre" / "doctor.py", ROOT / "cadre" / "serve.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert "cadre.cli" not in names, f"{path.name} imports cadre.cli"


def test_pyproject_declares_the_cadre_console_script():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["cadre"] == "cadre.cli:console"
    from cadre import cli
    assert callable(cli.console)


def test_setup_installs_the_cadre_command_into_the_venv_without_a_registry(tmp_path):
    """scripts/setup.sh on a copy of the project whose venv already has its
    packages: it installs `.venv/bin/cadre` (editable, offline), which then
    runs from any folder."""
    proj = tmp_path / "proj"
    shutil.copytree(ROOT, proj, ignore=shutil.ignore_patterns(".venv", ".git", "*.duckdb*", "logs", "backups", "tests",
                                                              "bench", "docs", "__pycache__", "*.egg-info", "build"))
    venv = proj / ".venv"
    subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", str(venv)], check=True, timeout=300)
    site = next(venv.glob("lib/python3.*/site-packages"))
    shared = next(Path(p) for p in sys.path if p.endswith("site-packages") and "venv" in p)
    (site / "shared.pth").write_text(str(shared) + "\n")   # the packages, as setup.sh would have installed them
    for reqs in ("requirements", "requirements-test"):         # setup.sh's own stamp: nothing to install
        digest = subprocess.run(f"cat requirements.txt {reqs}.txt | sha256sum | cut -d' ' -f1", shell=True,
                                cwd=proj, capture_output=True, text=True, check=True).stdout.strip()
        (venv / f".installed-{reqs}").write_text(digest + "\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_NO_INDEX": "1"}
    setup = subprocess.run(["bash", "scripts/setup.sh"], cwd=proj, capture_output=True, text=True, timeout=600, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (venv / "bin" / "cadre").exists(), setup.stdout + setup.stderr
    proc = subprocess.run([str(venv / "bin" / "cadre"), "--db", str(tmp_path / "x.duckdb"), "structure", "--json"],
                          cwd="/", capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0 and json.loads(proc.stdout)["headcount"] > 0, proc.stderr
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=proj, capture_output=True, text=True, timeout=600, env=env)
    assert again.returncode == 0 and "cadre command" not in again.stdout  # installed once
