"""Who is asking, and what they may do.

There is no login yet: every caller is the local administrator. Pages and
commands ask ``cadre.ui.session.current_user()`` / ``cli_user()``, and check
``can(user, action)``, so that roles (admin, leader, viewer) arrive in one place.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

ROLES = ("admin", "leader", "viewer")
# action -> roles allowed
PERMISSIONS = {
    "view": {"admin", "leader", "viewer"},
    "see_names": {"admin", "leader"},
    "upload": {"admin"},
    "undo": {"admin"},
    "edit_settings": {"admin"},
    "save_scenario": {"admin", "leader"},
    "adopt_scenario": {"admin"},
    "export": {"admin", "leader"},
    "appraise": {"admin", "leader"},         # move grades and tick commendations in the 评定会
    "close_appraisal": {"admin"},            # write the meeting's grades as the official ones
    "backup": {"admin"},
}


@dataclass(frozen=True)
class User:
    name: str
    role: str


LOCAL_ADMIN = User(name="local", role="admin")


def can(user: User, action: str) -> bool:
    return user.role in PERMISSIONS[action]


def cli_user() -> User:
    """The caller of a command: the operating system user, as administrator."""
    try:
        return User(name=getpass.getuser(), role="admin")
    except Exception:
        return LOCAL_ADMIN
