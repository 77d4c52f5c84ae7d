"""What ``scripts/app.sh`` asks of the store before it starts the server.

``python -m cadre.serve upload-limit`` prints the upload limit setting in MB;
``server-cap`` the server's own cap (``server.maxUploadSize``, read only at
start), set above the office's setting (see ``SERVER_CAP_FACTOR``). Any trouble (no store yet, store busy) prints the default:
the app still checks every file against the setting itself.
"""
from __future__ import annotations

import sys

from cadre import settings as settings_mod


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


if __name__ == "__main__":
    if sys.argv[1:] not in (["upload-limit"], ["server-cap"]):
        print("usage: python -m cadre.serve upload-limit|server-cap", file=sys.stderr)
        raise SystemExit(2)
    print(upload_limit_mb() if sys.argv[1] == "upload-limit" else server_cap_mb())
