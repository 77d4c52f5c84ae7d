"""Starting the server: what ``scripts/app.sh`` asks of the store before it
starts it, ``bash scripts/cadre serve`` (what the service unit of
``scripts/install-service.sh`` runs), and the app's log file.

``python -m cadre.serve upload-limit`` prints the upload limit setting in MB;
``server-cap`` the server's own cap (``server.maxUploadSize``, read only at
start), set above the office's setting (see ``SERVER_CAP_FACTOR``). Any trouble (no store yet, store busy) prints the default:
the app still checks every file against the setting itself.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from cadre import settings as settings_mod

ROOT = Path(__file__).resolve().parent.parent
LOG_NAME = "cadre.log"
LOG_BYTES, LOG_FILES = 5 * 1024 * 1024, 5  # rotated at 5 MB, five old files kept


# The server's cap is this many times the upload limit: a file somewhat over
# the limit must reach the app, whose own check says so in the user's
# language and audits it; above the cap the browser refuses it itself.
SERVER_CAP_FACTOR = 2


def server_cap_mb(path=None) -> int:
    """``server.maxUploadSize`` for the office's upload limit setting."""
    return upload_limit_mb(path) * SERVER_CAP_FACTOR


def upload_limit_mb(path=None) -> int:
    default = int(settings_mod.DEFAULTS["upload_limit_mb"])
    try:
        from cadre import store
        p = store.db_path(path)
        if not p.is_file():
            return default
        con = store.connect(p, read_only=True)
        try:
            value = store.get_settings(con).get("upload_limit_mb", default)
        finally:
            con.close()
        return max(1, int(value))
    except Exception:  # the server must start whatever the store's state
        return default


def log_file(db=None) -> Path:
    """The app's log: ``logs/cadre.log`` in the store's folder (the data folder)."""
    from cadre import store
    return store.db_path(db).resolve().parent / "logs" / LOG_NAME


def setup_logging(db=None) -> Path | None:
    """Send the app's log (cadre's, Streamlit's and warnings from any
    library) to :func:`log_file`, rotated; once per process, whatever the
    number of page runs that call it. None when the folder is not writable
    (the app runs on, logging to the console as before)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_cadre_log", False):
            return Path(handler.baseFilename)
    path = log_file(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_FILES,
                                                       encoding="utf-8")
    except OSError:
        return None
    handler._cadre_log = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    logging.getLogger("cadre").setLevel(logging.INFO)
    # Streamlit's loggers do not propagate to the root: give them the file too.
    logging.getLogger("streamlit").addHandler(handler)
    logging.getLogger("cadre").info("cadre started (pid %s, store %s)", os.getpid(), _store_name(db))
    return path


def _store_name(db=None) -> str:
    from cadre import store
    return str(store.db_path(db))


def register(command, h) -> None:
    """Add ``serve`` through ``command`` (a subcommand maker)."""
    p = command("serve")
    p.add_argument("--port", type=int, default=8501, help=h("serve.port"))
    p.add_argument("--address", help=h("serve.address"))


def streamlit_argv(args) -> list[str]:
    """The command ``serve`` runs: Streamlit on ``app.py`` with the upload cap
    taken from the store's setting (read only at start)."""
    argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(args.port), "--server.maxUploadSize", str(server_cap_mb(args.db))]
    if args.address:
        argv += ["--server.address", args.address]
    return argv


def cmd_serve(args) -> int:
    """Run the app in this process (exec): from the project folder, where
    Streamlit finds ``.streamlit/config.toml``, with ``--db`` as ``$CADRE_DB``."""
    from cadre import store
    if args.db:
        os.environ["CADRE_DB"] = str(store.db_path(args.db).resolve())
    argv = streamlit_argv(args)
    os.chdir(ROOT)
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 0  # not reached


if __name__ == "__main__":
    if sys.argv[1:] not in (["upload-limit"], ["server-cap"]):
        print("usage: python -m cadre.serve upload-limit|server-cap", file=sys.stderr)
        raise SystemExit(2)
    print(upload_limit_mb() if sys.argv[1] == "upload-limit" else server_cap_mb())
