"""What ``scripts/app.sh`` asks of the store before it starts the server.

``python -m cadre.serve upload-limit`` prints the upload limit setting in MB,
so the server's own cap (``server.maxUploadSize``, read only at start) is the
office's setting. Any trouble (no store yet, store busy) prints the default:
the app still checks every file against the setting itself.
"""
from __future__ import annotations

import sys

from cadre import settings as settings_mod


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
    if sys.argv[1:] != ["upload-limit"]:
        print("usage: python -m cadre.serve upload-limit", file=sys.stderr)
        raise SystemExit(2)
    print(upload_limit_mb())
