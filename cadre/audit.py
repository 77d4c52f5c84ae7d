"""The audit log: who did what, when.

One function writes it, ``record(con, user, kind, detail)``; pages and
commands call it after the act (sign-in, upload, undo, settings, users,
scenario adoption, export, pack download, the close of an appraisal
meeting). The log is append-only: no query
in the product updates or deletes it, and no page edits it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd

from cadre import i18n, store
from cadre.batch_names import file_label

# What the log records. The contract lists them (docs/contract.md).
KINDS = (
    "login", "login_failed", "login_locked", "logout", "session_expired",
    "upload", "upload_rejected", "undo", "settings_change",
    "user_add", "user_passwd", "user_disable", "user_enable", "user_role",
    "scenario_adopt", "export", "pack_download", "pack", "appraisal_close",
    "recommend_add", "recommend_revise", "recommend_close",
)
MAX_ROWS = 100_000  # the page and its download show at most this many entries


def _name(user) -> str:
    return user if isinstance(user, str) else getattr(user, "name", str(user))


def record(con, user, kind: str, detail: dict | None = None, at: dt.datetime | None = None) -> None:
    """Append one entry: ``user`` (a User or a name) did ``kind``; ``detail``
    holds the particulars (JSON). Time is the server's local clock."""
    cur = con.cursor()
    try:
        record_in(cur, user, kind, detail, at)
    finally:
        cur.close()


def record_in(cur, user, kind: str, detail: dict | None = None, at: dt.datetime | None = None) -> None:
    """:func:`record` on ``cur``, inside the caller's transaction: the entry
    stands or falls with what the transaction writes (an upload's batch)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    detail = {k: v for k, v in (detail or {}).items() if v is not None}
    store.execute(cur, "audit_record", at_time=at or dt.datetime.now(), user_name=_name(user), kind=kind,
                  detail=json.dumps(detail, ensure_ascii=False, default=str))


def upload_detail(files: list[tuple[str, bytes]], batch_id=None, loaded=None, problems=None) -> dict:
    """An upload's particulars: its files with their sha256, the batch and
    rows it landed, or how many problems rejected it."""
    return {"files": [{"name": name, "sha256": hashlib.sha256(bytes(data or b"")).hexdigest()}
                      for name, data in files],
            "batch": batch_id, "rows": loaded or None, "problems": problems}


def record_upload(con, user, files: list[tuple[str, bytes]], result) -> None:
    """An upload that landed nothing (rejected, or already loaded). A landed
    upload's entry is written by :func:`cadre.batches.ingest` in the batch's
    own transaction, so a batch is never stored unaudited."""
    record(con, user, "upload" if result.ok else "upload_rejected",
           upload_detail(files, result.batch_id, result.loaded,
                         None if result.ok else len(result.upload.problems)))


def entries(con, user: str | None = None, kinds: list[str] | None = None, start: dt.date | None = None,
            end: dt.date | None = None, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Entries newest first; each filter is off when None (``end`` inclusive)."""
    return store.query(con, "audit_entries", user_name=user, kinds=list(kinds) if kinds else None,
                       start=start, end=end, limit=int(limit))


def span(con) -> tuple[dt.date, dt.date]:
    """The first and the last day of the log (today for both when it is
    empty; the last is never before today)."""
    row = store.query(con, "audit_span").iloc[0]
    today = dt.date.today()
    first = row["first_day"] if pd.notna(row["first_day"]) else today
    last = row["last_day"] if pd.notna(row["last_day"]) else today
    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    return min(first, today), max(last, today)


def users_in_log(con) -> list[str]:
    return store.query(con, "audit_users")["user_name"].tolist()


def kind_label(kind: str, lang: str) -> str:
    return i18n.t(f"audit.kind.{kind}", lang)


def detail_text(detail, lang: str) -> str:
    """An entry's particulars as one line of text (``key: value; …``)."""
    data = json.loads(detail) if isinstance(detail, str) else (detail or {})
    parts = []
    for key, value in data.items():
        label = i18n.catalogue(lang).get(f"audit.detail.{key}", key)
        if isinstance(value, str):
            cat = i18n.catalogue(lang)
            value = cat.get(f"audit.value.{value}", cat.get(f"auth.role.{value}", value))
        elif isinstance(value, bool):
            value = i18n.t("audit.value.yes" if value else "audit.value.no", lang)
        elif isinstance(value, list):
            value = i18n.join((_item_text(v, lang) for v in value), lang)
        elif isinstance(value, dict):
            value = _dict_text(value, lang)
        parts.append(f"{label}{'：' if lang == 'zh' else ': '}{value}")
    return ("；" if lang == "zh" else "; ").join(parts)


def _item_text(item, lang: str) -> str:
    if isinstance(item, dict) and "name" in item:
        sha = item.get("sha256")
        name = file_label(str(item["name"]), lang)
        return f"{name} (sha256 {sha})" if sha else name
    return item if isinstance(item, str) else _dict_text(item, lang) if isinstance(item, dict) else str(item)


def _dict_text(data: dict, lang: str) -> str:
    """A nested detail (e.g. rows per dataset) as words: 「人员名册 19、考核成绩 120」,
    never JSON."""
    cat = i18n.catalogue(lang)
    parts = []
    for key, value in data.items():
        label = cat.get(f"dataset.{key}", cat.get(f"audit.detail.{key}", str(key)))
        if isinstance(value, dict):
            value = _dict_text(value, lang)
        elif isinstance(value, list):
            value = i18n.join((_item_text(v, lang) for v in value), lang)
        elif isinstance(value, bool):
            value = i18n.t("audit.value.yes" if value else "audit.value.no", lang)
        parts.append(f"{label} {value}")
    return i18n.join(parts, lang)


def display_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Entries for the page and its download: time as text, kind and detail
    in the UI language (no raw timestamps, no JSON)."""
    return pd.DataFrame({
        "audit_time": frame["at_time"].dt.strftime("%Y-%m-%d %H:%M:%S") if len(frame) else pd.Series(dtype=object),
        "audit_user": frame["user_name"].astype(object),
        "audit_kind": frame["kind"].map(lambda k: kind_label(k, lang)),
        "audit_detail": frame["detail"].map(lambda d: detail_text(d, lang)),
    })
