"""What every command of ``bash scripts/cadre`` shares: the exit codes, the
parser (help in the user's language), the options every command accepts
before or after its name, opening the store, and printing an answer.

``cadre.cli`` and the command modules beside it (``cadre.appraisal.cli``,
``cadre.cli_user``, ``cadre.cli_backup``, ``cadre.doctor``) import from here;
nothing here imports them, so no module of the command line imports another
one that imports it back.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
from pathlib import Path

from cadre import i18n

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3
ROOT = Path(__file__).resolve().parent.parent
# The one form every message, page and the README give for the command line:
# the wrapper runs the project's own venv from any folder, activating nothing.
COMMAND = "bash scripts/cadre"


class UsageError(Exception):
    """Wrong usage: exit status 2 with the message on stderr."""


def command_line(rest: str, db: str | os.PathLike | None = None) -> str:
    """A command as typed on this server from any folder: the wrapper by its
    absolute path, ``--db`` when the store is not the default one, and
    ``sudo -u OWNER`` when this process runs as another account than the
    one that owns the checkout (the service's account)."""
    from cadre import store
    words = f"bash {shlex.quote(str(ROOT / 'scripts' / 'cadre'))} {rest}"
    path = store.db_path(db)
    if path.resolve() != store.DEFAULT_DB.resolve():
        words += f" --db {shlex.quote(str(path.resolve()))}"
    try:
        import pwd
        me = os.geteuid()
        if me != ROOT.stat().st_uid:
            words = f"sudo -u {shlex.quote(pwd.getpwuid(me).pw_name)} {words}"
    except (ImportError, KeyError, OSError):
        pass
    return words


# ----------------------------------------------------------------- the parser

def help_language(argv: list[str]) -> str:
    """The language of the help: ``--lang`` if given, else Chinese when the
    locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in POSIX order) is
    Chinese, else English."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGUAGES:
            return argv[i + 1]
        if word.startswith("--lang=") and word[7:] in i18n.LANGUAGES:
            return word[7:]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class _Formatter(argparse.HelpFormatter):
    lang = "en"

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:  # argparse passes "" when it builds a subcommand's name
            prefix = i18n.t("cli.help.usage", self.lang) + " "
        super().add_usage(usage, actions, groups, prefix=prefix)


class ParserBase(argparse.ArgumentParser):
    """argparse in the user's language: its usage line, section titles and
    ``-h``; wrong usage exits 2 with argparse's own message."""
    lang = "en"

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", type("Formatter", (_Formatter,), {"lang": self.lang}))
        super().__init__(*args, **kwargs)
        self._positionals.title = i18n.t("cli.help.positionals", self.lang)
        self._optionals.title = i18n.t("cli.help.options", self.lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=i18n.t("cli.help.help", self.lang))

    def error(self, message):  # argparse exits 2 by itself; keep its message
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {i18n.t('cli.help.error', self.lang)}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser_class(lang: str) -> type:
    """A parser class speaking ``lang`` (subparsers made with ``type(p)`` keep it)."""
    return type("Parser", (ParserBase,), {"lang": lang})


def add_common(parser: argparse.ArgumentParser, lang: str, top: bool) -> None:
    """``--db``, ``--json``, ``--lang``, ``--wait``: on the top-level parser
    with their defaults, on every subcommand without (``SUPPRESS``), so an
    option given before the subcommand is not reset by the subcommand's
    parser and one given after it wins."""
    def h(key):
        return i18n.t(f"cli.help.{key}", lang)

    def default(value):
        return value if top else argparse.SUPPRESS
    parser.add_argument("--db", default=default(None), help=h("db"))
    parser.add_argument("--json", action="store_true", default=default(False), help=h("json"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=default(i18n.DEFAULT_LANGUAGE), help=h("lang"))
    parser.add_argument("--wait", type=float, default=default(None), metavar="SECONDS", help=h("wait"))


# ----------------------------------------------------------------- answers

def emit(args, payload: dict, table_lines: list[str]) -> None:
    """One answer: JSON with ``--json``, else the readable lines; flagged
    ``"demo": true`` (and said on stderr) when read from the demo office."""
    if from_demo(args):
        payload = {"demo": True, **payload}
        print(i18n.t("store.cli.demo_answer", args.lang), file=sys.stderr)
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, default=json_default)
        sys.stdout.write("\n")
    else:
        print("\n".join(table_lines))


def refuse(args, exc, lang: str) -> None:
    """A domain's refusal (an error with ``key`` and ``message(lang)``):
    ``{"errors": [{message, key}]}`` with ``--json``, else the message on stderr."""
    message = exc.message(lang)
    if args.json:
        emit(args, {"errors": [{"message": message, "key": exc.key}]}, [])
    else:
        print(message, file=sys.stderr)


def json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)}")


def connect(args, new_key: str = "store.cli.new_empty"):
    """The store, waiting for another process up to ``--wait``; a path with
    no store yet is created, and the command says so on stderr."""
    from cadre import store
    path = store.db_path(args.db)
    new = str(path) != ":memory:" and not path.exists()
    con = store.connect(path, wait=args.wait)
    args._con = con
    if new:
        print(i18n.t(new_key, args.lang, path=str(path)), file=sys.stderr)
    upgraded = store.UPGRADED.pop(str(path), None)
    if upgraded:
        print(i18n.t("store.upgraded", args.lang, path=str(path), old=upgraded[0], new=upgraded[1],
                     copy=str(upgraded[2])), file=sys.stderr)
    return con


def from_demo(args) -> bool:
    """True when the answer was read from a store holding the demo office."""
    from cadre import batches
    con = getattr(args, "_con", None)
    return con is not None and batches.holds_demo(con)


def open_data(args):
    """The store with data in it (a new, empty store opens on the demo
    office) and the settings stored with it, which every command passes to
    the services explicitly."""
    from cadre import batches, store
    from cadre.assessment import stored
    con = connect(args, "store.cli.new_store")
    batches.ensure_demo(con, lang=args.lang)
    with batches.writing():
        stored.ensure(con)  # an upgraded store's scores, written once
    return con, store.get_settings(con)


def canonical_period(text: str, lang: str) -> str:
    import pandas as pd

    from cadre.ingest.parse import parse_periods
    period, _kind, _end, bad = parse_periods(pd.Series([text], dtype=object))
    if bool(bad.iloc[0]) or not isinstance(period.iloc[0], str) or period.iloc[0] in ("", "nan"):
        raise UsageError(i18n.t("cli.bad_period", lang, period=text))
    return period.iloc[0]


def parse_date(text: str | None, lang: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date (None for none); wrong usage otherwise."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(i18n.t("cli.bad_date", lang, date=text)) from None


def input_file(name: str, lang: str) -> Path:
    """``name`` when it is a regular file; else wrong usage saying what it is
    (missing, a folder, or a FIFO, device or socket, which is never read:
    reading a FIFO would wait for a writer forever)."""
    path = Path(name)
    if path.is_file():
        return path
    key = ("cli.is_a_folder" if path.is_dir() else "cli.not_a_regular_file" if path.exists()
           else "cli.no_such_file")
    raise UsageError(i18n.t(key, lang, path=name))


def read_input(path: Path, lang: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:  # no permission, a disk error
        raise UsageError(i18n.t("cli.unreadable_file", lang, path=str(path),
                                reason=exc.strerror or type(exc).__name__)) from None
