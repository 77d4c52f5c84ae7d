"""``bash scripts/cadre user …``: add, list, passwd, disable, enable, role.

Passwords are asked twice on a terminal (never echoed, via getpass) or read
once from standard input with ``--password-stdin`` (for scripts). The first
user of a store must be an admin. Refused changes exit 1 with the reason.
"""
from __future__ import annotations

import getpass
import sys

from cadre import i18n
from cadre.access import ROLES, can, cli_user
from cadre.cli_common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, connect, emit


def register(command, common, h) -> None:
    """Add ``user`` and its actions through ``command`` (a subcommand maker);
    ``h`` gives a help text in the user's language."""
    p = command("user")
    actions = p.add_subparsers(dest="user_command", required=True, parser_class=type(p), metavar="ACTION")
    for action in ("add", "list", "passwd", "disable", "enable", "role"):
        a = actions.add_parser(action, parents=[common], help=h(f"user.{action}"), description=h(f"user.{action}"))
        if action != "list":
            a.add_argument("name", help=h("user.name"))
        if action in ("add", "role"):
            a.add_argument("--role", required=True, choices=ROLES, help=h("user.role_opt"))
        if action in ("add", "passwd"):
            a.add_argument("--password-stdin", action="store_true", help=h("user.password_stdin"))


class _Refused(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise _Refused("auth.cli.no_terminal")
    first = getpass.getpass(i18n.t("auth.cli.password", args.lang))
    second = getpass.getpass(i18n.t("auth.cli.password_again", args.lang))
    if first != second:
        raise _Refused("auth.cli.mismatch")
    return first


def run(args) -> int:
    """Run ``args.user_command`` on the store ``--db`` names."""
    from cadre import users

    actor = cli_user()
    if not can(actor, "manage_users"):
        print(i18n.t("auth.refused", args.lang), file=sys.stderr)
        return EXIT_USAGE
    con = connect(args)
    try:
        if args.user_command == "list":
            return _list(args, con)
        if args.user_command == "add":
            if not users.has_users(con) and args.role != "admin":
                raise _Refused("auth.error.first_admin")
            users.check_name(args.name)
            user = users.add(con, args.name, args.role, _read_password(args), actor)
            message = i18n.t("auth.cli.added", args.lang, name=user.name, role=i18n.t(f"auth.role.{user.role}", args.lang))
        elif args.user_command == "passwd":
            if users.get(con, args.name) is None:
                raise users.UserError("auth.error.no_user", name=args.name)
            users.set_password(con, args.name, _read_password(args), actor)
            message = i18n.t("auth.cli.password_set", args.lang, name=args.name)
        elif args.user_command in ("disable", "enable"):
            users.set_disabled(con, args.name, args.user_command == "disable", actor)
            message = i18n.t(f"auth.cli.{args.user_command}d", args.lang, name=args.name)
        else:
            users.set_role(con, args.name, args.role, actor)
            message = i18n.t("auth.cli.role_set", args.lang, name=args.name,
                             role=i18n.t(f"auth.role.{args.role}", args.lang))
    except (users.UserError, _Refused) as exc:
        text = i18n.t(exc.key, args.lang, **exc.params)
        if args.json:
            emit(args, {"error": text}, [])
        print(text, file=sys.stderr)
        return EXIT_REJECTED
    emit(args, {"done": args.user_command, "name": args.name}, [message])
    return EXIT_OK


def _list(args, con) -> int:
    from cadre import users

    frame = users.list_users(con)
    rows = []
    for rec in frame.to_dict("records"):
        rows.append({
            "name": rec["name"], "role": rec["role"], "disabled": bool(rec["disabled"]),
            "locked_until": _when(rec["locked_until"], future_only=True), "last_login": _when(rec["last_login"]),
        })
    lines = [i18n.t("auth.cli.list_title", args.lang, n=len(rows))]
    for r in rows:
        state = i18n.t("auth.state.disabled" if r["disabled"] else "auth.state.active", args.lang)
        if r["locked_until"]:
            state += " · " + i18n.t("auth.state.locked", args.lang, until=r["locked_until"])
        last = r["last_login"] or i18n.t("auth.state.never", args.lang)
        lines.append(f"  {r['name']}  {i18n.t('auth.role.' + r['role'], args.lang)}  {state}  "
                     f"{i18n.t('auth.cli.last_login', args.lang)}: {last}")
    emit(args, {"users": rows}, lines)
    return EXIT_OK


def _when(value, future_only: bool = False) -> str | None:
    import pandas as pd

    if value is None or pd.isna(value) or (future_only and pd.Timestamp(value) <= pd.Timestamp.now()):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
