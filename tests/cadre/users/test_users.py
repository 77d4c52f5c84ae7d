"""Users, password hashes, lockout, idle expiry, roles and the audit log,
on a real store file."""
from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from cadre import access, audit, store, users
from cadre.access import User, can
from cadre.ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[3]
ADMIN = User("root-admin", "admin")
T0 = dt.datetime(2026, 3, 1, 9, 0, 0)


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "u.duckdb")
    yield c
    c.close()


def _log(con, kind=None):
    frame = audit.entries(con, kinds=[kind] if kind else None)
    return [(r.user_name, r.kind, json.loads(r.detail)) for r in frame.itertuples()]


def test_a_password_is_stored_only_as_an_argon2id_hash(con):
    users.add(con, "王主任", "admin", "correct horse", ADMIN)
    row = users.get(con, "王主任")
    assert row["password_hash"].startswith("$argon2id$")
    assert "correct horse" not in row["password_hash"]
    assert "password_hash" not in users.list_users(con).columns
    assert users.authenticate(con, "王主任", "correct horse", now=T0).ok
    assert not users.authenticate(con, "王主任", "Correct horse", now=T0).ok


def test_user_changes_are_checked_and_audited(con):
    users.add(con, "a1", "admin", "password-1", ADMIN)
    users.add(con, "v1", "viewer", "password-2", ADMIN)
    with pytest.raises(users.UserError) as e:
        users.add(con, "v1", "viewer", "password-3", ADMIN)
    assert e.value.key == "auth.error.exists"
    with pytest.raises(users.UserError) as e:
        users.add(con, "v2", "viewer", "short", ADMIN)
    assert e.value.key == "auth.error.password_short"
    for bad in ("", " lead", "tab\there", "x" * 65):
        with pytest.raises(users.UserError):
            users.add(con, bad, "viewer", "password-4", ADMIN)
    with pytest.raises(users.UserError):
        users.add(con, "v3", "superuser", "password-4", ADMIN)
    # The only active admin cannot be disabled or demoted.
    with pytest.raises(users.UserError) as e:
        users.set_disabled(con, "a1", True, ADMIN)
    assert e.value.key == "auth.error.last_admin"
    with pytest.raises(users.UserError):
        users.set_role(con, "a1", "leader", ADMIN)
    users.set_role(con, "v1", "leader", ADMIN)
    users.set_disabled(con, "v1", True, ADMIN)
    assert users.active_user(con, "v1") is None
    users.set_disabled(con, "v1", False, ADMIN)
    assert users.active_user(con, "v1") == User("v1", "leader")
    users.set_password(con, "v1", "new-password", ADMIN)
    assert users.authenticate(con, "v1", "new-password", now=T0).ok
    kinds = [k for _, k, _ in _log(con)]
    assert kinds.count("user_add") == 2
    for kind in ("user_role", "user_disable", "user_enable", "user_passwd", "login"):
        assert kind in kinds
    role_change = _log(con, "user_role")[0]
    assert role_change[0] == "root-admin" and role_change[2] == {"name": "v1", "from": "viewer", "to": "leader"}


def test_five_wrong_passwords_lock_for_fifteen_minutes(con):
    users.add(con, "leader1", "leader", "the-password", ADMIN)
    for attempt in range(4):
        r = users.authenticate(con, "leader1", "wrong", now=T0 + dt.timedelta(seconds=attempt))
        assert (r.ok, r.reason) == (False, "wrong")
    fifth = users.authenticate(con, "leader1", "wrong", now=T0 + dt.timedelta(seconds=5))
    assert fifth.reason == "locked"
    assert fifth.locked_until == T0 + dt.timedelta(seconds=5, minutes=15)
    # The right password does not open a locked account.
    still = users.authenticate(con, "leader1", "the-password", now=T0 + dt.timedelta(minutes=14))
    assert (still.ok, still.reason) == (False, "locked")
    # After 15 minutes it opens, and the count starts afresh.
    later = users.authenticate(con, "leader1", "the-password", now=T0 + dt.timedelta(minutes=16))
    assert later.ok and later.user == User("leader1", "leader")
    assert users.get(con, "leader1")["failed_attempts"] == 0
    kinds = [k for _, k, _ in _log(con)]
    assert kinds.count("login_failed") == 5 and kinds.count("login_locked") == 1 and kinds.count("login") == 1


def test_a_new_password_unlocks(con):
    users.add(con, "x", "viewer", "the-password", ADMIN)
    for i in range(5):
        users.authenticate(con, "x", "nope", now=T0)
    assert users.authenticate(con, "x", "the-password", now=T0).reason == "locked"
    users.set_password(con, "x", "other-password", ADMIN)
    assert users.authenticate(con, "x", "other-password", now=T0).ok


def test_unknown_names_and_disabled_accounts(con):
    users.add(con, "a", "admin", "the-password", ADMIN)
    users.add(con, "b", "viewer", "the-password", ADMIN)
    unknown = users.authenticate(con, "nobody", "the-password", now=T0)
    assert unknown.reason == "wrong"  # the same answer as a wrong password
    users.set_disabled(con, "b", True, ADMIN)
    assert users.authenticate(con, "b", "wrong-one", now=T0).reason == "wrong"
    assert users.authenticate(con, "b", "the-password", now=T0).reason == "disabled"
    failed = _log(con, "login_failed")
    assert ("nobody", "login_failed", {"reason": "unknown_user"}) in failed
    assert ("b", "login_failed", {"reason": "disabled"}) in failed


def test_idle_expiry():
    assert not users.expired(None, T0, 30)
    assert not users.expired(T0, T0 + dt.timedelta(minutes=30), 30)
    assert users.expired(T0, T0 + dt.timedelta(minutes=30, seconds=1), 30)
    assert users.expired(T0, T0 + dt.timedelta(minutes=6), 5)


def test_roles():
    admin, leader, viewer = User("a", "admin"), User("l", "leader"), User("v", "viewer")
    for action in access.PERMISSIONS:
        assert can(admin, action), action
        assert not can(access.NOBODY, action), action
    for action in ("see_names", "view_person", "view_data", "export", "save_scenario"):
        assert can(leader, action) and not can(viewer, action), action
    for action in ("upload", "undo", "edit_settings", "manage_users", "view_audit", "adopt_scenario"):
        assert not can(leader, action) and not can(viewer, action), action
    assert can(viewer, "view")


def test_every_page_checks_the_role_its_menu_entry_names():
    """The menu hides what a role may not see; the page itself refuses it
    too, with the same action (a URL typed by hand gets the refusal)."""
    for spec in PAGES:
        tree = ast.parse((ROOT / spec.file).read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr == "context"]
        assert len(calls) == 1, spec.file
        needs = {k.arg: k.value.value for k in calls[0].keywords}.get("needs", "view")
        assert needs == spec.needs, spec.file
        assert needs in access.PERMISSIONS


def test_the_audit_log_is_append_only():
    """No query updates or deletes it; the only write is audit_record."""
    for path in (ROOT / "queries").glob("*.sql"):
        code = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8")).lower()
        assert not re.search(r"\b(update|delete\s+from|truncate|drop\s+table|alter\s+table)\s+audit\b", code), path.name
        if re.search(r"\binsert\s+into\s+audit\b", code):
            assert path.name == "audit_record.sql"


def test_audit_entries_filter_and_display(con):
    audit.record(con, ADMIN, "upload", {"files": [{"name": "名册.csv", "sha256": "ab" * 32}], "batch": 2},
                 at=T0)
    audit.record(con, User("v", "viewer"), "export", {"file": "x.xlsx"}, at=T0 + dt.timedelta(days=1))
    audit.record(con, "cli:root", "undo", {"batch": 2}, at=T0 + dt.timedelta(days=2))
    with pytest.raises(ValueError):
        audit.record(con, ADMIN, "coffee", {})
    assert len(audit.entries(con)) == 3
    assert audit.entries(con, user="v")["kind"].tolist() == ["export"]
    assert audit.entries(con, kinds=["undo", "upload"])["kind"].tolist() == ["undo", "upload"]
    day2 = T0.date() + dt.timedelta(days=1)
    assert audit.entries(con, start=day2, end=day2)["kind"].tolist() == ["export"]
    assert audit.entries(con, end=T0.date())["kind"].tolist() == ["upload"]
    assert audit.users_in_log(con) == ["cli:root", "root-admin", "v"]
    shown = audit.display_frame(audit.entries(con), "zh")
    assert shown["audit_time"].tolist()[-1] == "2026-03-01 09:00:00"
    assert shown["audit_kind"].tolist() == ["撤销", "导出", "上传"]
    assert "名册.csv (sha256 " + "ab" * 32 + ")" in shown["audit_detail"].iloc[2]
    text = shown.to_string()
    for word in ("None", "nan", "NaT", "{", "}"):
        assert word not in text
    # A failed sign-in logs the name typed, whatever it is; the download
    # keeps it a text cell (Excel's quote prefix), never a formula.
    audit.record(con, '=HYPERLINK("http://x","y")', "login_failed", {"reason": "unknown_user"})
    from openpyxl import load_workbook
    import io
    from cadre.export.tables import to_xlsx
    ws = load_workbook(io.BytesIO(to_xlsx(audit.display_frame(audit.entries(con), "en")))).active
    typed = [c for row in ws.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPERLINK")]
    assert len(typed) == 1 and typed[0].data_type == "s" and typed[0].quotePrefix
