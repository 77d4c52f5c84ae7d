"""python -m cadre user …: passwords from standard input or a terminal
only, the first user an admin, refusals exit 1; commands write the audit log."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cadre import audit, store, users

ROOT = Path(__file__).resolve().parents[3]


def cadre(*args, db, stdin=None):
    return subprocess.run([sys.executable, "-m", "cadre", *args, "--db", str(db)], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_user_commands_end_to_end(tmp_path):
    db = tmp_path / "office.duckdb"
    # The first user must be an admin.
    first = cadre("user", "add", "李科长", "--role", "leader", "--password-stdin", db=db, stdin="long-password\n")
    assert first.returncode == 1 and "管理员" in first.stderr
    ok = cadre("user", "add", "王主任", "--role", "admin", "--password-stdin", db=db, stdin="long-password\n")
    assert ok.returncode == 0, ok.stderr
    assert "王主任" in ok.stdout and "long-password" not in ok.stdout + ok.stderr
    assert cadre("user", "add", "李科长", "--role", "leader", "--password-stdin", db=db,
                 stdin="another-password\n").returncode == 0
    short = cadre("user", "add", "小赵", "--role", "viewer", "--password-stdin", "--lang", "en", db=db, stdin="abc\n")
    assert short.returncode == 1 and "too short" in short.stderr
    # Without --password-stdin and without a terminal, no password is read.
    no_tty = cadre("user", "add", "小赵", "--role", "viewer", db=db, stdin="long-password\n")
    assert no_tty.returncode == 1 and "--password-stdin" in no_tty.stderr
    assert cadre("user", "add", "小赵", "--role", "boss", "--password-stdin", db=db, stdin="x\n").returncode == 2

    listed = json.loads(cadre("user", "list", "--json", db=db).stdout)["users"]
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [("李科长", "leader", False), ("王主任", "admin", False)]
    assert "password" not in json.dumps(listed)

    assert cadre("user", "passwd", "李科长", "--password-stdin", db=db, stdin="changed-password\n").returncode == 0
    assert cadre("user", "disable", "李科长", db=db).returncode == 0
    last_admin = cadre("user", "disable", "王主任", db=db)
    assert last_admin.returncode == 1 and "唯一" in last_admin.stderr
    missing = cadre("user", "passwd", "nobody", "--password-stdin", db=db, stdin="whatever-pass\n")
    assert missing.returncode == 1 and "nobody" in missing.stderr
    assert cadre("user", "enable", "李科长", db=db).returncode == 0
    assert cadre("user", "role", "李科长", "--role", "viewer", db=db).returncode == 0
    text = cadre("user", "list", db=db).stdout
    assert "李科长" in text and "查看者" in text

    con = store.connect(db)
    try:
        assert users.authenticate(con, "李科长", "changed-password").ok
        log = audit.entries(con)
        kinds = log["kind"].tolist()[::-1]
        assert kinds[:6] == ["user_add", "user_add", "user_passwd", "user_disable", "user_enable", "user_role"]
        assert set(log["user_name"].iloc[1:]) == {f"cli:{__import__('getpass').getuser()}"}
    finally:
        con.close()


def test_ingest_is_audited_with_file_hashes(tmp_path):
    import hashlib

    out, db = tmp_path / "demo", tmp_path / "x.duckdb"
    assert cadre("demo", "--out", str(out), db=db).returncode == 0
    files = sorted(out.glob("*.csv"))
    assert cadre("ingest", *map(str, files), db=db).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,姓名\n1,张三\n", encoding="utf-8")
    assert cadre("ingest", str(bad), db=db).returncode == 1
    con = store.connect(db)
    try:
        log = audit.entries(con)
    finally:
        con.close()
    rejected, landed = (json.loads(d) for d in log["detail"])
    assert log["kind"].tolist() == ["upload_rejected", "upload"]
    assert {f["name"]: f["sha256"] for f in landed["files"]} == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert landed["batch"] == 1 and landed["rows"]["roster"] > 0
    assert rejected["files"][0]["name"] == "bad.csv" and rejected["problems"] >= 1
