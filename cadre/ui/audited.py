"""Downloads that write the audit log when the user takes them.

A download button's ``data`` may be a callable that Streamlit runs only when
the button is clicked (on its own thread); ``deferred`` wraps one so that
the file is made and the audit entry written together. For bytes already
made (the review pack), ``on_click`` records the download instead.
"""
from __future__ import annotations

from cadre import audit
from cadre.ui.context import Context


def deferred(ctx: Context, kind: str, detail: dict, make):
    """``make`` (no arguments, returns the file) wrapped to record ``kind``."""
    con, user = ctx.con, ctx.user

    def build():
        data = make()
        audit.record(con, user, kind, detail)
        return data

    return build


def on_click(ctx: Context, kind: str, detail: dict) -> dict:
    """Keyword arguments for a download button that records ``kind`` when clicked."""
    return {"on_click": audit.record, "args": (ctx.con, ctx.user, kind, detail)}
