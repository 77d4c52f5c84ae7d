"""Data page: upload with validation, batch history with undo, templates."""
import streamlit as st

from cadre.access import can
from cadre.export import templates
from cadre.ui import backup_button, downloads, frame, intake, upload, uploader, widgets

ctx = frame.context(needs="view_data")
widgets.page_header(ctx, "nav.data")

st.subheader(ctx.t("data.upload.title"))
if not ctx.settings.get("office_name"):  # the pack cover shows a placeholder until it is set
    widgets.notice(ctx, "leader.office_name_unset")
if can(ctx.user, "upload"):
    st.write(ctx.t("data.upload.help"))
    st.caption(ctx.t("lrmx.ui.upload_hint"))
    if upload.limit_note(ctx):
        st.caption(upload.limit_note(ctx))
    uploader.localise(ctx)
    with st.form("data_upload", clear_on_submit=True, border=False):
        files = st.file_uploader(ctx.t("data.upload.label"), type=["csv", "xlsx", "lrmx", "lrm", "pic", "zip"],
                                 accept_multiple_files=True, key="data_files")  # the app checks the size
        submitted = st.form_submit_button(ctx.t("data.upload.submit"), type="primary", icon=":material/upload:")
    if submitted and files:
        intake.handle_upload(ctx, files)
        st.rerun()
    elif submitted:
        widgets.notice(ctx, "data.upload.none")
    intake.show(ctx)
    upload.show_report(ctx)
else:
    widgets.notice(ctx, "data.no_permission")

st.subheader(ctx.t("data.templates.title"))
st.write(ctx.t("data.templates.help"))
st.download_button(ctx.t("data.templates.download"), data=lambda: templates.template_workbook(ctx.lang),
                   file_name=ctx.t("data.templates.file") + ".xlsx", key="data_template", icon=":material/download:",
                   on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

downloads.show(ctx)

st.subheader(ctx.t("data.history.title"))
history = upload.history_frame(ctx)
if len(history):
    widgets.table(ctx, history, key="data_history", file_name="batches")
    question = upload.undo_question(ctx) if can(ctx.user, "undo") else None
    if question:  # a destructive action asks once, naming what it removes
        with st.popover(ctx.t("data.undo"), icon=":material/undo:"):
            st.warning(question, icon=":material/warning:")
            if st.button(ctx.t("leader.undo.confirm"), key="data_undo", type="primary", icon=":material/undo:"):
                undone = upload.undo_last(ctx)
                st.toast(ctx.t("data.undone", batch=undone))
                st.rerun()
else:
    widgets.notice(ctx, "data.history.empty")

backup_button.render(ctx)
