"""The upload flow of the Data page: read, validate, land, report."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from cadre import audit, batches, display, figures, i18n, store
from cadre.batch_names import file_label
from cadre.export.tables import to_xlsx
from cadre.ui import audited
from cadre.ui.context import Context

REPORT_KEY = "data_last_report"


def problems_frame(problems, lang: str) -> pd.DataFrame:
    rows = [p.as_dict(lang) for p in problems]
    frame = pd.DataFrame(rows, columns=["file", "sheet", "row", "column", "value", "message"])
    return frame


MB = 1024 * 1024


def limit_mb(ctx: Context) -> int:
    """The upload limit per file (settings), in MB."""
    return max(1, int(ctx.settings.get("upload_limit_mb", 50)))


def limit_note(ctx: Context) -> str | None:
    """Said when the setting is above what this server process accepts
    (``server.maxUploadSize`` is read only when the server starts)."""
    cap = int(st.get_option("server.maxUploadSize"))
    return ctx.t("upload_limit.server_cap", cap=cap, limit=limit_mb(ctx)) if limit_mb(ctx) > cap else None


def too_large(ctx: Context, uploaded_files) -> bool:
    """The app's own check of the size limit, in the user's language and
    audited. The uploader sets no limit of its own: the browser would refuse
    a larger file in Streamlit's English and the server would never hear of
    it; the server's cap (``server.maxUploadSize``, see cadre.serve) is set
    above the limit so that such a file reaches this check."""
    big = [f for f in uploaded_files if f.size > limit_mb(ctx) * MB]
    if not big:
        return False
    rows = [{"file": f.name, "message": ctx.t("upload_limit.too_large", file=f.name, size=figures.value("file_size", f.size / MB, ctx.lang),
                                                  limit=limit_mb(ctx))} for f in big]
    empty = pd.DataFrame(columns=["file", "sheet", "row", "column", "value", "message"])
    st.session_state[REPORT_KEY] = {"ok": False, "batch_id": None, "loaded": {}, "notes": empty,
                                    "problems": pd.DataFrame(rows, columns=empty.columns)}
    audit.record(ctx.con, ctx.user, "upload_rejected",
                 {"files": [f.name for f in uploaded_files], "reason": "too_large"})
    return True


def run_upload(ctx: Context, uploaded_files) -> None:
    """Validate and land the uploaded files as one batch; keep the outcome for display."""
    if too_large(ctx, uploaded_files):
        return
    files = [(f.name, f.getvalue()) for f in uploaded_files]
    bar = st.progress(0.0, text=ctx.t("progress.reading"))

    def progress(fraction: float, key: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=ctx.t(key))

    waiting = st.empty()
    try:
        result = batches.ingest(ctx.con, files, lang=ctx.lang, progress=progress, user=ctx.user,
                                on_wait=lambda: waiting.info(ctx.t("store.upload.waiting"), icon=":material/hourglass:"))
    except store.StoreError as exc:
        bar.empty()
        waiting.empty()
        st.session_state[REPORT_KEY] = {"busy": exc.message(ctx.lang)}
        return
    bar.empty()
    waiting.empty()
    st.session_state[REPORT_KEY] = {
        "already": result.already,
        "ok": result.ok,
        "batch_id": result.batch_id,
        "loaded": result.loaded,
        "problems": problems_frame(result.upload.problems, ctx.lang),
        "notes": problems_frame(result.upload.notes, ctx.lang),
    }  # cached results key on the data version, which the batch changed


def show_report(ctx: Context) -> None:
    report = st.session_state.get(REPORT_KEY)
    if not report:
        return
    if report.get("busy"):
        st.error(report["busy"], icon=":material/hourglass:")
        return
    if report.get("already") is not None:
        st.info(ctx.t("store.already_loaded", batch=report["already"]), icon=":material/info:")
    elif report["ok"]:
        counts = ", ".join(f"{ctx.t('dataset.' + k)} {v}" for k, v in report["loaded"].items())
        st.success(ctx.t("data.loaded", batch=report["batch_id"], counts=counts), icon=":material/check_circle:")
    else:
        st.error(ctx.t("data.rejected", n=len(report["problems"])), icon=":material/error:")
        _problem_table(ctx, report["problems"], "data_problems")
    if len(report["notes"]):
        st.warning(ctx.t("data.notes", n=len(report["notes"])), icon=":material/warning:")
        _problem_table(ctx, report["notes"], "data_notes")


def _problem_table(ctx: Context, frame: pd.DataFrame, key: str) -> None:
    shown = display.clean(frame.rename(columns={c: ctx.t(f"data.col.{c}") for c in frame.columns}))
    st.dataframe(shown, hide_index=True, placeholder=display.MISSING, key=f"{key}_table")
    st.download_button(ctx.t("data.download_problems"), data=to_xlsx(shown), file_name="problems.xlsx",
                       key=f"{key}_xlsx", icon=":material/download:",
                       **audited.on_click(ctx, "export", {"file": "problems.xlsx"}),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def history_frame(ctx: Context) -> pd.DataFrame:
    hist = batches.history(ctx.con)
    if not len(hist):
        return pd.DataFrame()
    files = hist["files"].map(lambda v: i18n.join((file_label(f["name"], ctx.lang) for f in json.loads(v)),
                                                  ctx.lang))
    rows = hist["rows"].map(json.loads)
    out = pd.DataFrame({
        "batch_id": hist["batch_id"],
        "loaded_at": hist["loaded_at"].dt.strftime("%Y-%m-%d %H:%M"),
        "files": files,
        "roster": rows.map(lambda r: r.get("roster", 0)),
        "assessments": rows.map(lambda r: r.get("assessments", 0)),
        "movements": rows.map(lambda r: r.get("movements", 0)),
        "batch_kind": [ctx.t("data.kind.demo") if d else ctx.t("data.kind.office") for d in hist["is_demo"]],
        "state": [ctx.t("data.state.undone") if u else ctx.t("data.state.live") if k else ctx.t("data.state.kept")
                  for u, k in zip(hist["undone"], hist["undoable"])],
        "sha256": hist["files"].map(lambda v: i18n.join((f["sha256"][:12] for f in json.loads(v)), ctx.lang)),
    })
    return out


def undo_question(ctx: Context) -> str | None:
    """What undoing would remove, in words (Markdown-safe): the last live
    batch's number, kind, files and rows, and what the store holds after."""
    hist = batches.history(ctx.con)
    live = hist[~hist["undone"].astype(bool)]
    if not len(live):
        return None
    last = live.iloc[0]
    rows = json.loads(last["rows"])
    counts = ctx.t("leader.list_sep").join(
        ctx.t("leader.undo.rows", dataset=ctx.t(f"dataset.{k}"), n=int(rows.get(k, 0)))
        for k in ("roster", "assessments", "movements") if rows.get(k))
    files = ctx.t("leader.list_sep").join(display.md_text(file_label(f["name"], ctx.lang))
                                          for f in json.loads(last["files"]))
    after = ("leader.undo.after_demo" if bool(last["replaced_demo"])
             else "leader.undo.after_empty" if len(live) == 1
             else "leader.undo.after_previous")
    kind = ctx.t("data.kind.demo") if bool(last["is_demo"]) else ctx.t("data.kind.office")
    return ctx.t("leader.undo.question", batch=int(last["batch_id"]), kind=kind, files=files,
                 counts=counts or ctx.t("leader.undo.no_rows"), after=ctx.t(after))


def undo_last(ctx: Context) -> int | None:
    try:
        # a new data version: cached results start afresh; audited in the undo's transaction
        batch = batches.undo_last(ctx.con, user=ctx.user)
    except store.StoreError as exc:
        st.session_state[REPORT_KEY] = {"busy": exc.message(ctx.lang)}
        st.rerun()  # the page shows the message (never a toast with no batch)
    st.session_state.pop(REPORT_KEY, None)
    return batch
