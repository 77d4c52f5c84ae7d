"""Users who may sign in: argon2id password hashes, roles, lockout.

Users live in the store (table ``users``). Five wrong passwords in a row lock
an account for 15 minutes; a new password (``user passwd``) unlocks it. Every
change and every sign-in attempt is written to the audit log by the function
that makes it, so the app and the command line are audited alike.

Problems are ``UserError`` with an i18n key (``auth.error.*``), never a
traceback for the caller to show.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cadre import audit, store
from cadre.access import ROLES, User

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
MAX_PASSWORD = 256
NAME_RE = re.compile(r"^[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]{0,62}[^\x00-\x1f\x7f\s]$|^[^\x00-\x1f\x7f\s]$")

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a
# sign-in costs tens of milliseconds on the office server, not seconds, and
# hashes made with other parameters are upgraded at the next sign-in.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Checked when the user is unknown, so that a wrong name takes as long as a
# wrong password (the answer does not tell which names exist).
_DUMMY_HASH = HASHER.hash("not a password of anyone")


class UserError(ValueError):
    """A refused user change: ``key`` is an i18n key, ``params`` its values."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str                      # ok | wrong | locked | disabled
    user: User | None = None
    locked_until: dt.datetime | None = None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("auth.error.password_short", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise UserError("auth.error.password_long", n=MAX_PASSWORD)


def check_name(name: str) -> None:
    if not NAME_RE.match(name or ""):
        raise UserError("auth.error.bad_name")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError("auth.error.bad_role", role=role, roles=", ".join(ROLES))


def counts(con) -> tuple[int, int]:
    """(users, active admins) in the store."""
    row = store.query(con, "users_count").iloc[0]
    return int(row["n"]), int(row["active_admins"])


def has_users(con) -> bool:
    return counts(con)[0] > 0


def get(con, name: str) -> dict | None:
    rows = store.query(con, "users_get", user_name=name)
    return None if not len(rows) else rows.iloc[0].to_dict()


def active_user(con, name: str) -> User | None:
    """The user as stored now (role may have changed), or None if gone or disabled."""
    row = get(con, name)
    if row is None or bool(row["disabled"]):
        return None
    return User(name=row["name"], role=row["role"])


def list_users(con) -> pd.DataFrame:
    return store.query(con, "users_list")


def add(con, name: str, role: str, password: str, actor) -> User:
    check_name(name)
    check_role(role)
    check_password(password)
    if get(con, name) is not None:
        raise UserError("auth.error.exists", name=name)
    with store.transaction(con) as cur:
        store.execute(cur, "users_insert", user_name=name, role=role, password_hash=hash_password(password), now=_now())
    audit.record(con, actor, "user_add", {"name": name, "role": role})
    return User(name=name, role=role)


def set_password(con, name: str, password: str, actor) -> None:
    check_password(password)
    _require(con, name)
    with store.transaction(con) as cur:
        store.execute(cur, "users_set_password", user_name=name, password_hash=hash_password(password), now=_now())
    audit.record(con, actor, "user_passwd", {"name": name})


def set_disabled(con, name: str, disabled: bool, actor) -> None:
    row = _require(con, name)
    if disabled and row["role"] == "admin" and not row["disabled"] and counts(con)[1] <= 1:
        raise UserError("auth.error.last_admin", name=name)
    with store.transaction(con) as cur:
        store.execute(cur, "users_set_disabled", user_name=name, disabled=bool(disabled))
    audit.record(con, actor, "user_disable" if disabled else "user_enable", {"name": name})


def set_role(con, name: str, role: str, actor) -> None:
    check_role(role)
    row = _require(con, name)
    if row["role"] == "admin" and role != "admin" and not row["disabled"] and counts(con)[1] <= 1:
        raise UserError("auth.error.last_admin", name=name)
    with store.transaction(con) as cur:
        store.execute(cur, "users_set_role", user_name=name, role=role)
    audit.record(con, actor, "user_role", {"name": name, "from": row["role"], "to": role})


def _require(con, name: str) -> dict:
    row = get(con, name)
    if row is None:
        raise UserError("auth.error.no_user", name=name)
    return row


def authenticate(con, name: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a sign-in and audit it. A locked account answers "locked"
    whatever the password; an unknown name answers like a wrong password."""
    now = now or _now()
    name = (name or "").strip()
    row = get(con, name) if name else None
    if row is None:
        _verify(_DUMMY_HASH, password)
        audit.record(con, name or "?", "login_failed", {"reason": "unknown_user"}, at=now)
        return LoginResult(False, "wrong")
    locked_until = row["locked_until"]
    if locked_until is not None and not pd.isna(locked_until) and pd.Timestamp(locked_until) > pd.Timestamp(now):
        until = pd.Timestamp(locked_until).to_pydatetime()
        audit.record(con, name, "login_locked", {"locked_until": until.isoformat(sep=" ")}, at=now)
        return LoginResult(False, "locked", locked_until=until)
    if not _verify(row["password_hash"], password):
        until = now + dt.timedelta(minutes=LOCK_MINUTES)
        cur = con.cursor()
        try:
            cur.execute("begin transaction")
            after = store.execute(cur, "users_login_failed", user_name=name, limit=MAX_FAILURES,
                                  locked_until=until).fetchone()
            cur.execute("commit")
        finally:
            cur.close()
        locked = after is not None and after[1] is not None and pd.Timestamp(after[1]) > pd.Timestamp(now)
        audit.record(con, name, "login_failed",
                     {"reason": "wrong_password", **({"locked_until": until.isoformat(sep=" ")} if locked else {})},
                     at=now)
        return LoginResult(False, "locked" if locked else "wrong", locked_until=until if locked else None)
    if bool(row["disabled"]):
        audit.record(con, name, "login_failed", {"reason": "disabled"}, at=now)
        return LoginResult(False, "disabled")
    rehash = hash_password(password) if HASHER.check_needs_rehash(row["password_hash"]) else None
    with store.transaction(con) as cur:
        store.execute(cur, "users_login_ok", user_name=name, now=now, rehash=rehash)
    audit.record(con, name, "login", {"role": row["role"]}, at=now)
    return LoginResult(True, "ok", User(name=row["name"], role=row["role"]))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def expired(last_seen: dt.datetime | None, now: dt.datetime, idle_minutes: float) -> bool:
    """Whether a session last active at ``last_seen`` has been idle too long."""
    return last_seen is not None and (now - last_seen) > dt.timedelta(minutes=float(idle_minutes))
