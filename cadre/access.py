"""Who is asking, and what they may do: the one place roles are decided.

Pages ask ``cadre.ui.session.current_user()`` (the signed-in user, or the
local administrator of a demo store that has no users yet), commands ask
``cli_user()``; both check ``can(user, action)``.

- admin: uploads, undoes, edits settings and users, reads the audit log;
- leader: sees everything, names included, and may unmask;
- viewer: office and section figures and charts, names always masked, no
  person's number, no list of people (a table with a row per person), no
  person profiles, no appraisal meeting, no data page.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from cadre import i18n

ROLES = ("admin", "leader", "viewer")
# action -> roles allowed
PERMISSIONS = {
    "view": {"admin", "leader", "viewer"},
    "see_names": {"admin", "leader"},       # may turn name masking off
    "view_person": {"admin", "leader"},     # person profiles and every list of people (row per person)
    "view_appraisal": {"admin", "leader"},  # the 评定会 page: it lists every person of the period
    "view_data": {"admin", "leader"},       # the data page: batches, file names
    "manage_users": {"admin"},
    "view_audit": {"admin"},
    "upload": {"admin"},
    "undo": {"admin"},
    "edit_settings": {"admin"},
    "save_scenario": {"admin", "leader"},
    "adopt_scenario": {"admin"},
    "export": {"admin", "leader"},
    "appraise": {"admin", "leader"},         # move grades and tick commendations in the 评定会
    "close_appraisal": {"admin"},            # write the meeting's grades as the official ones
    "backup": {"admin"},
    "recommend": {"admin", "leader"},        # record, revise and close recommendations (推荐) for posts
}


@dataclass(frozen=True)
class User:
    name: str
    role: str


LOCAL_ADMIN = User(name="local", role="admin")
# No one: what a page sees before the sign-in gate has run (may do nothing).
NOBODY = User(name="", role="none")


def can(user: User, action: str) -> bool:
    return user.role in PERMISSIONS[action]


def user_label(name, lang: str = "zh") -> str:
    """A user name as people read it: the signed-in user's own name; the
    demo's local session (``local``) as 本机管理员; a shell
    (``cli:<account>``) as 命令行（account）."""
    text = "" if name is None else str(name)
    if text == LOCAL_ADMIN.name:
        return i18n.t("auth.user.local", lang)
    if text == "cli" or text.startswith("cli:"):
        return i18n.t("auth.user.cli", lang, account=text[4:] or "?")
    return text


def cli_user() -> User:
    """The caller of a command: whoever can open the store file from a shell
    (the file's permissions are the guard), as administrator, named after the
    operating system account ("cli:<account>") in the audit log."""
    try:
        return User(name=f"cli:{getpass.getuser()}", role="admin")
    except Exception:
        return User(name="cli", role="admin")
